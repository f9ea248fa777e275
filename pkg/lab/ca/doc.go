// Package ca mints certificates in memory for the fault lab and for tests:
// a root CA and leaf certificates with any names and validity window.
//
// It imports nothing of updoc's.
package ca
