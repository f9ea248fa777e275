package catalog

import (
	"strings"
	"testing"
)

func TestProxyRunbooksRenderCompletely(t *testing.T) {
	products := append(ProxyProducts(), "", "Unknown Proxy")
	for _, p := range products {
		for _, code := range []string{GatewayNoHealthyUpstream, GatewayBadGateway, GatewayTimeout, GatewayRouteNotFound, GatewayOverloaded} {
			e, _ := Lookup(code)
			for _, vars := range []Vars{{Product: p}, {Product: p, URL: "http://api.example.com/health", Target: "10.0.0.7:80"}} {
				for _, s := range e.Steps(vars) {
					if placeholderRE.MatchString(s) || strings.Contains(s, "{{") || strings.Contains(s, "  ") {
						t.Errorf("%s/%q: step %q", code, p, s)
					}
				}
			}
		}
	}
}

func TestProxyRunbookNamesTheProductsCommands(t *testing.T) {
	e, _ := Lookup(GatewayNoHealthyUpstream)
	for product, want := range map[string]string{
		"Envoy":         "curl -s localhost:15000/clusters | grep health_flags",
		"Istio (Envoy)": "istioctl proxy-config endpoints POD",
		"HAProxy":       `echo 'show servers state' | socat stdio /run/haproxy.sock`,
		"Kong":          "localhost:8001/upstreams/UPSTREAM/health",
		"nginx":         "kubectl get endpoints SERVICE",
		"AWS ALB":       "aws elbv2 describe-target-health",
		"Caddy":         "localhost:2019/reverse_proxy/upstreams",
		"Linkerd":       "linkerd diagnostics endpoints",
		"Traefik":       "/api/http/services",
	} {
		steps := strings.Join(e.Steps(Vars{Product: product}), "\n")
		if !strings.Contains(steps, want) || !strings.Contains(steps, product+"'s view") {
			t.Errorf("%s: steps lack %q:\n%s", product, want, steps)
		}
	}
	e, _ = Lookup(GatewayRouteNotFound)
	steps := strings.Join(e.Steps(Vars{Product: "Kong", URL: "http://api.example.com/v1"}), "\n")
	if !strings.Contains(steps, "grep -B3 -A3 api.example.com") {
		t.Errorf("route steps do not fill the host:\n%s", steps)
	}
}
