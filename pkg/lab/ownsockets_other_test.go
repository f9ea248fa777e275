//go:build !linux

package lab

import "testing"

// ownPorts is Linux-only (it reads /proc); elsewhere the tests that use it
// fall back to binding the ports again.
func ownPorts(t *testing.T) map[string]bool {
	t.Helper()
	return nil
}
