// Package ca mints certificates in memory for the fault lab and for tests:
// a root CA, intermediate CAs under it, and leaf certificates with any
// names (or a common name only) and any validity window.
//
// It imports nothing of updoc's.
package ca
