//go:build unix

package probe

import (
	"errors"
	"testing"

	"github.com/updoc/updoc/internal/safefile"
)

// A TLS file that became a device after the graph was loaded is still read
// only through the cap and type check: an error, not an endless read.
func TestTLSFilesRefuseDevices(t *testing.T) {
	var f tlsFiles
	var nr *safefile.NotRegularError
	if _, err := f.rootsFrom("/dev/zero"); !errors.As(err, &nr) {
		t.Errorf("rootsFrom(/dev/zero) = %v; want a NotRegularError", err)
	}
	if _, err := f.keyPair("/dev/zero", "/dev/zero"); !errors.As(err, &nr) {
		t.Errorf("keyPair(/dev/zero) = %v; want a NotRegularError", err)
	}
}
