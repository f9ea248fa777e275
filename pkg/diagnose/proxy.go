package diagnose

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// Proxies (SPEC §2, the proxy key): a finding about connecting names the
// proxy it concerns; a tunnel the proxy would not open is the proxy's
// answer; and a direct connection that failed while the environment names
// a proxy says so, in one line.

// proxyNotes returns drafts with a note added to the message and evidence
// of every dns.* and tcp.* draft of an http(s) upstream: the proxy that was
// connected to, or the proxy variables a direct connection did not use. A
// draft that names its proxy already is left as it is.
func proxyNotes(s *subject, drafts []draft) []draft {
	note, ev := proxyNote(s)
	if note == "" {
		return drafts
	}
	out := slices.Clone(drafts)
	for k, d := range out {
		if _, named := d.Evidence["proxy"]; named || !strings.HasPrefix(d.Code, "dns.") && !strings.HasPrefix(d.Code, "tcp.") {
			continue
		}
		d.Message += note
		d.Evidence = maps.Clone(d.Evidence)
		if d.Evidence == nil {
			d.Evidence = map[string]any{}
		}
		maps.Copy(d.Evidence, ev)
		out[k] = d
	}
	return out
}

// proxyNote is what proxyNotes adds: "" when there is nothing to say.
func proxyNote(s *subject) (string, map[string]any) {
	if !s.hasHTTP() {
		return "", nil
	}
	if px := s.res.Proxy; px != nil {
		return fmt.Sprintf(" (the proxy %s, from %s)", graph.RedactedURL(px.URL), report.ProxySourcePhrase(px.Source)),
			map[string]any{"proxy": graph.RedactedURL(px.URL), "proxy_source": px.Source}
	}
	p := s.up.Proxy
	var set []string
	for _, v := range []graph.EnvVar{p.Env.HTTP, p.Env.HTTPS, p.Env.All, p.Env.UpperHTTP} {
		if v.IsSet() {
			set = append(set, v.Name)
		}
	}
	if len(set) == 0 {
		return "", nil
	}
	ev := map[string]any{"proxy_env": set, "proxy_mode": string(p.Mode)}
	vars := strings.Join(set, ", ")
	direct := "updoc connected directly"
	switch {
	case len(s.up.Targets) > 0:
		return fmt.Sprintf(" — %s %s set, but targets are connected to directly", vars, isAre(len(set))), ev
	case p.Mode == graph.ProxyNone:
		return fmt.Sprintf(" — %s %s set, but proxy is none: %s; set proxy: env to go through it", vars, isAre(len(set)), direct), ev
	case p.Mode == graph.ProxyFromEnv && p.Env.For(string(s.up.Scheme())).IsSet():
		// A proxy applies to the scheme: NO_PROXY excluded the host.
		ev["no_proxy"] = p.Env.No.Value
		return fmt.Sprintf(" — proxy: env, but %s=%q excludes %s: %s", p.Env.No.Name, p.Env.No.Value, s.up.URL.Hostname(), direct), ev
	case p.Mode == graph.ProxyFromEnv && s.up.Scheme() == graph.SchemeHTTP && p.Env.UpperHTTP.IsSet() && !p.Env.HTTP.IsSet():
		return fmt.Sprintf(" — proxy: env, but HTTP_PROXY is not read for http:// URLs (only http_proxy, in lower case, as curl does): %s", direct), ev
	case p.Mode == graph.ProxyFromEnv:
		return fmt.Sprintf(" — proxy: env, but none of %s applies to %s:// URLs: %s", vars, s.up.Scheme(), direct), ev
	}
	return "", nil
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// socksRefused: the SOCKS5 proxy replied to CONNECT with reply, not
// "succeeded": it tried the url's host and met what the reply says
// (reachFromSOCKSReply), or its rules forbid the destination
// (http.auth_failed, as an HTTP proxy's 403).
func socksRefused(i int, layer catalog.Layer, pe *probe.ProxyError, reply *probe.SOCKSReplyError) []draft {
	ev := map[string]any{"proxy": pe.Proxy, "proxy_source": pe.Source, "socks_reply": int(reply.Code), "tunnel_to": pe.Target}
	from := fmt.Sprintf("the proxy %s, from %s", pe.Proxy, report.ProxySourcePhrase(pe.Source))
	code, variant := catalog.HTTPAuthFailed, catalog.VariantProxyForbidden
	msg := fmt.Sprintf("the SOCKS5 proxy %s would not connect to %s: its rules do not allow it (SOCKS5 reply %d, connection not allowed by ruleset; %s)", hostOfURL(pe.Proxy), pe.Target, reply.Code, from)
	if reach, ok := reachFromSOCKSReply(reply.Code); ok {
		code, variant = reach.Code, reach.variant()
		msg = fmt.Sprintf("the SOCKS5 proxy %s could not reach %s: %s (SOCKS5 reply %d; %s)", hostOfURL(pe.Proxy), pe.Target, reach.Answer, reply.Code, from)
	}
	if layer != catalog.LayerTCP {
		msg += " (during " + string(layer) + ")"
	}
	return []draft{{Code: code, Layer: layer, Target: i, Message: msg, Evidence: ev, Variant: variant}}
}

// hostOfURL is the HOST:PORT of a URL; the URL itself when it has none.
func hostOfURL(raw string) string {
	if u, err := url.Parse(withoutUserinfo(raw)); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

// withoutUserinfo is URL raw without its userinfo: a password shown as
// "[redacted]" (graph.RedactedURL) does not parse.
func withoutUserinfo(raw string) string {
	i := strings.Index(raw, "://")
	if i < 0 {
		return raw
	}
	auth := raw[i+3:]
	if end := strings.IndexAny(auth, "/?#"); end >= 0 {
		auth = auth[:end]
	}
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		return raw[:i+3] + raw[i+3+at+1:]
	}
	return raw
}

// setProxyVars names in v the proxy px the url is reached through, for
// the commands of the steps (catalog.Vars.Proxy): its URL without
// credentials, the user name of them, and the variable it came from.
func setProxyVars(v *catalog.Vars, px *graph.ProxyChoice) {
	if px == nil || px.URL == nil {
		return
	}
	u := *px.URL
	u.User = nil
	v.Proxy = u.String()
	if px.URL.User != nil {
		v.ProxyUser = px.URL.User.Username()
	}
	if px.FromEnv() {
		v.ProxyEnv = px.Source
	}
}

// proxyRefused: the proxy answered CONNECT with a status that is not 2xx:
// it would not open the tunnel to the url's host. Credentials it wants or
// a destination it forbids are http.auth_failed; an answer that it could
// not reach the host (502, 503, 504, squid's X-Squid-Error) is the cause
// it met (reachFromProxyAnswer), with steps that check from the proxy's
// side; anything else leaves the host unreachable through it
// (tcp.unreachable). false when err is not such an answer.
func proxyRefused(s *subject, i int, layer catalog.Layer, err error) ([]draft, bool) {
	var pe *probe.ProxyError
	if !errors.As(err, &pe) {
		return nil, false
	}
	var reply *probe.SOCKSReplyError
	if errors.As(pe.Err, &reply) {
		return socksRefused(i, layer, pe, reply), true
	}
	if pe.StatusCode == 0 {
		return nil, false
	}
	ev := map[string]any{"proxy": pe.Proxy, "proxy_source": pe.Source, "status_code": pe.StatusCode, "tunnel_to": pe.Target}
	if se := pe.Header.Get("X-Squid-Error"); se != "" {
		ev["x_squid_error"] = se
	}
	from := fmt.Sprintf("the proxy %s, from %s", pe.Proxy, report.ProxySourcePhrase(pe.Source))
	code, variant := catalog.TCPUnreachable, ""
	msg := fmt.Sprintf("proxy %s (from %s) answered CONNECT %s with %s: it did not open the tunnel", pe.Proxy, report.ProxySourcePhrase(pe.Source), pe.Target, pe.Status)
	switch reach, couldNotReach := reachFromProxyAnswer(pe.StatusCode, pe.Status, pe.Header); {
	case (pe.StatusCode == http.StatusProxyAuthRequired || pe.StatusCode == http.StatusUnauthorized) && s.res.Proxy != nil:
		dr := proxyWantsCredentials(i, layer, s.res.Proxy, "answered CONNECT "+pe.Target+" with "+pe.Status, pe.Header)
		maps.Copy(dr.Evidence, ev)
		return []draft{dr}, true
	case pe.StatusCode == http.StatusForbidden:
		code, variant = catalog.HTTPAuthFailed, catalog.VariantProxyForbidden
		msg = fmt.Sprintf("proxy %s (from %s) answered CONNECT %s with %s: its rules do not let this client reach %s", pe.Proxy, report.ProxySourcePhrase(pe.Source), pe.Target, pe.Status, pe.Target)
	case couldNotReach:
		code, variant = reach.Code, reach.variant()
		msg = fmt.Sprintf("the proxy %s could not reach %s (CONNECT answered %s; %s)", hostOfURL(pe.Proxy), pe.Target, reach.Answer, from)
	}
	if layer != catalog.LayerTCP {
		msg += " (during " + string(layer) + ")"
	}
	return []draft{{Code: code, Layer: layer, Target: i, Message: msg, Evidence: ev, Variant: variant}}, true
}

// socksNameFailed: through a socks5:// proxy the url's host is resolved
// here, as curl does, before the proxy is asked for it — and it did not
// resolve. The dns rules judge it, for the target that is the proxy.
func socksNameFailed(s *subject, i int, err error) ([]draft, bool) {
	var re *probe.ResolveError
	if !errors.As(err, &re) || re.DNS == nil || classify(err) == kindCanceled {
		return nil, false
	}
	return classifyResolution(s, re.DNS, i, "", "resolving the host for the SOCKS5 proxy (socks5:// resolves it here; socks5h:// would leave it to the proxy): ", false), true
}
