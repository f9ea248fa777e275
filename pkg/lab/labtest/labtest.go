// Package labtest starts the fault lab for the tests of other packages.
package labtest

import (
	"context"
	"testing"

	"github.com/updoc/updoc/pkg/lab"
)

// Start starts the fault lab on loopback and closes it when the test ends.
func Start(t testing.TB) *lab.Lab {
	t.Helper()
	l, err := lab.Start(context.Background())
	if err != nil {
		t.Fatalf("start lab: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close lab: %v", err)
		}
	})
	return l
}
