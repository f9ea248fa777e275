package diagnose

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// The configured forward proxy's own answers: an http:// url through an
// HTTP proxy is requested from the proxy itself, which answers some
// requests on its own — 407 (it wants credentials), squid's error pages
// (X-Squid-Error), a 502/503/504 that it could not reach the host. They
// are the proxy's, not the service's, and say so.

// forwardProxyAnswer judges an answer the configured forward proxy wrote
// itself; false when hr did not come through one or is not such an
// answer. A gateway status is the proxy's own when squid marked it, or
// when it carries no Via (a proxy that forwarded the service's answer
// adds one) and no fingerprint of a gateway behind it.
func forwardProxyAnswer(s *subject, i int, hr *probe.HTTPResult) ([]draft, bool) {
	px := hr.Proxy
	if px == nil || px.URL == nil || px.URL.Scheme != "http" {
		return nil, false
	}
	u, err := url.Parse(hr.URL)
	if err != nil || u.Scheme != "http" {
		return nil, false
	}
	asked := hr.Method + " " + redactURL(hr.URL)
	switch hr.StatusCode {
	case http.StatusProxyAuthRequired:
		said := map[string]any{}
		d := proxyWantsCredentials(i, catalog.LayerHTTP, px, "answered "+asked+" with "+answerText(hr, said), hr.Header)
		if q, ok := said["body"]; ok {
			d.Evidence["body"] = q
		}
		return []draft{d}, true
	}
	_, squid := hr.Header["X-Squid-Error"]
	if !squid {
		if _, forwarded := hr.Header["Via"]; forwarded {
			return nil, false
		}
		if _, ok := matchProxy(hr); ok {
			return nil, false
		}
	}
	reach, ok := reachFromProxyAnswer(hr.StatusCode, statusText(hr.StatusCode), hr.Header)
	if !ok {
		return nil, false
	}
	ev := map[string]any{"proxy": graph.RedactedURL(px.URL), "proxy_source": px.Source, "status_code": hr.StatusCode, "method": hr.Method, "url": redactURL(hr.URL)}
	if se := hr.Header.Get("X-Squid-Error"); se != "" {
		ev["x_squid_error"] = se
	}
	if server := hr.Header.Get("Server"); server != "" {
		ev["server"] = server
	}
	msg := fmt.Sprintf("the proxy %s could not reach %s (it answered %s with %s; the proxy %s, from %s)",
		px.URL.Host, probe.Authority(u), asked, reach.Answer, graph.RedactedURL(px.URL), report.ProxySourcePhrase(px.Source))
	return []draft{{Code: reach.Code, Layer: catalog.LayerHTTP, Target: i, Message: msg, Evidence: ev, Variant: reach.variant()}}, true
}

// proxyWantsCredentials: the proxy px answered 407 (answered says to
// what): it wants credentials, or rejected those of its URL, which were
// sent.
func proxyWantsCredentials(i int, layer catalog.Layer, px *graph.ProxyChoice, answered string, h http.Header) draft {
	ev := map[string]any{"proxy": graph.RedactedURL(px.URL), "proxy_source": px.Source, "status_code": http.StatusProxyAuthRequired}
	challenge := ""
	if v := h.Get("Proxy-Authenticate"); v != "" {
		ev["proxy_authenticate"] = v
		challenge = " (Proxy-Authenticate: " + v + ")"
	}
	msg := fmt.Sprintf("the proxy %s (from %s) %s%s: ", graph.RedactedURL(px.URL), report.ProxySourcePhrase(px.Source), answered, challenge)
	variant := catalog.VariantProxyCredentialsMissing
	if px.URL.User != nil {
		variant = catalog.VariantProxyCredentialsRejected
		ev["proxy_user"] = px.URL.User.Username()
		msg += "it rejected the credentials of the proxy URL (user " + strconv.Quote(px.URL.User.Username()) + "), which updoc sent as Proxy-Authorization: Basic"
	} else {
		msg += "it wants credentials, and the proxy URL has none (give them in it: http://USER:PASSWORD@" + px.URL.Host + ")"
	}
	return draft{Code: catalog.HTTPAuthFailed, Layer: layer, Target: i, Message: msg, Evidence: ev, Variant: variant}
}
