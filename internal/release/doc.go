// Package release holds the tests of what a release ships besides the code:
// the LICENSE, goreleaser.yaml (which `goreleaser check` must accept in a
// clone with no remote) and the README's pointers to them. It has no code of
// its own and imports nothing of updoc's.
package release
