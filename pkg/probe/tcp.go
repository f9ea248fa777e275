package probe

import (
	"context"
	"time"
)

// probeTCP is the tcp layer: one connect to the target under the
// per-operation timeout. The connection is closed at once; every layer above
// dials its own.
func probeTCP(ctx context.Context, p *plan, t *TargetResult) bool {
	ctx, cancel := p.op(ctx)
	defer cancel()
	start := time.Now()
	conn, err := p.dial(ctx, t.DialAddress())
	t.TCP = &TCPResult{Duration: time.Since(start), Err: err}
	if err != nil {
		return false
	}
	conn.Close()
	return true
}
