package diagnose

import (
	"errors"
	"net"
	"strings"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
)

// classifyTCP judges target i's connect.
func classifyTCP(s *subject, i int) []draft {
	t := s.target(i)
	if t.TCP == nil || t.TCP.Err == nil {
		return nil
	}
	return connectFailed(s, i, catalog.LayerTCP, t.TCP.Err, t.TCP.Duration)
}

// connectFailed classifies a failed connect of target i, or a connection
// error met in a later layer (observed in layer): tcp.refused, tcp.timeout
// or tcp.unreachable — or the answer of a proxy that would not open the
// tunnel (proxyRefused), or the url's host that did not resolve for a
// socks5:// proxy (socksNameFailed). It returns no draft for a connect the end of the run
// cut short (run.* reports it).
func connectFailed(s *subject, i int, layer catalog.Layer, err error, took time.Duration) []draft {
	if dr, ok := proxyRefused(s, i, layer, err); ok {
		return dr
	}
	if dr, ok := socksNameFailed(s, i, err); ok && layer == catalog.LayerTCP {
		return dr
	}
	addr := s.addrOf(i)
	ev := map[string]any{"error": shortErr(err)}
	if layer != catalog.LayerTCP {
		ev["phase"] = layer
	}
	// A connection the http layer opened elsewhere — to the host of a
	// redirect, or to the target's host on another port — failed: name
	// the address that failed, not the target, in the message and the
	// commands.
	var vars *catalog.Vars
	after := ""
	if failed := failedAddr(s, i, err); failed != "" && layer != catalog.LayerTCP {
		addr = failed
		ev["address"] = failed
		v := s.vars(i)
		setTarget(&v, failed)
		vars = &v
		if hr := s.target(i).HTTP; hr != nil && len(hr.Redirects) > 0 {
			to := redactURL(hr.URL)
			ev["redirected_to"] = to
			ev["redirects"] = redactAll(hr.Redirects)
			after = ", after following the redirect from " + s.addrOf(i) + " to " + to
		}
	}
	var code, msg string
	switch classify(err) {
	case kindCanceled:
		return nil
	case kindRefused:
		code, msg = catalog.TCPRefused, addr+" refused the connection"
	case kindTimeout:
		ev["duration_ms"] = ms(took)
		code, msg = catalog.TCPTimeout, "connect to "+addr+" timed out after "+fmtMS(took)
		if w := s.within(took, ev); strings.HasPrefix(w, "within the ") {
			msg = "connect to " + addr + " did not complete " + w
		}
	case kindUnreachable:
		code, msg = catalog.TCPUnreachable, addr+" is unreachable: "+errnoText(err)
	default:
		// No code says "connect failed for another reason" (EADDRNOTAVAIL,
		// EACCES, a reset during connect, a DNS error for a host:port
		// target): unreachable is the closest — the target cannot be reached.
		code, msg = catalog.TCPUnreachable, "cannot connect to "+addr+": "+shortErr(err)
	}
	if layer != catalog.LayerTCP {
		msg += " (during " + string(layer) + after + ")"
	}
	return []draft{{Code: code, Layer: layer, Target: i, Message: msg, Evidence: ev, Vars: vars}}
}

// failedAddr is the address a connection error of target i names (its
// *net.OpError's Addr) when that is not the address the target's own
// connect dialled; "" otherwise.
func failedAddr(s *subject, i int, err error) string {
	var op *net.OpError
	if !errors.As(err, &op) || op.Addr == nil {
		return ""
	}
	a := op.Addr.String()
	if a == "" || a == s.target(i).DialAddress() || a == s.target(i).Address {
		return ""
	}
	return a
}
