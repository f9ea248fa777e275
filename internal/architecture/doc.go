// Package architecture holds no code: its test checks that every package of
// updoc imports only what ARCHITECTURE.md allows it to (the one-way data
// flow graph → engine (probe → diagnose → redact) → report → renderers).
package architecture
