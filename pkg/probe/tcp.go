package probe

import (
	"context"
	"time"
)

// probeTCP is the tcp layer: one connect to the target under the
// per-operation timeout (through the upstream's proxy tunnel, if any). The
// connection is handed up to the layers above (carried): it is the one the
// tls layer's handshake, the http layer's request and the latency samples
// use, and its dial is their connect phase.
func probeTCP(ctx context.Context, p *plan, t *TargetResult, c *carried) bool {
	ctx, cancel := p.op(ctx)
	defer cancel()
	start := time.Now()
	conn, err := p.dial(ctx, t.DialAddress())
	t.TCP = &TCPResult{Duration: time.Since(start), Err: err}
	if err != nil {
		return false
	}
	c.set(conn, t.TCP.Duration)
	return true
}
