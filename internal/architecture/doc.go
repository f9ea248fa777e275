// Package architecture holds no code: its test checks that every package of
// updoc imports only what ARCHITECTURE.md allows it to (the one-way data
// flow graph → engine (probe → diagnose → redact) → report → renderers).
// Its start-up test (issue 11) checks what runs before main: the binary
// links no dependency known for slow package inits, and no package of the
// module compiles a regexp or builds a large map literal at init.
package architecture
