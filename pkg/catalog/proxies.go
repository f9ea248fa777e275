package catalog

import "strings"

// ProxyRunbook is what to run against one proxy product: how to see its
// view of the backends, its routes, and where it logs why it failed.
// Remediation templates use them as {{ProxyBackends}}, {{ProxyRoutes}} and
// {{ProxyLogs}}, filled from Vars.Product.
type ProxyRunbook struct {
	Backends string
	Routes   string
	Logs     string
}

// proxyRunbooks by product name as diagnose reports it (Vars.Product).
var proxyRunbooks = map[string]ProxyRunbook{
	"Envoy": {
		Backends: "Envoy admin (15000 in Istio sidecars, often 9901 standalone): curl -s localhost:15000/clusters | grep health_flags; in Kubernetes: kubectl get endpoints SERVICE",
		Routes:   "Envoy admin: curl -s 'localhost:15000/config_dump?resource=dynamic_route_configs' | grep -B2 -A10 {{Host}}",
		Logs:     "Envoy access log response flags say why: UH no healthy host, UF connect failure, UT upstream timeout, NR no route (kubectl logs POD -c istio-proxy, or the Envoy access log)",
	},
	"Istio (Envoy)": {
		Backends: "istioctl proxy-config endpoints POD | grep SERVICE (or curl -s localhost:15000/clusters | grep health_flags in the sidecar); kubectl get endpoints SERVICE",
		Routes:   "istioctl proxy-config routes POD --name PORT -o json | grep -A10 {{Host}}; kubectl get virtualservice,gateway,httproute -A | grep {{Host}}",
		Logs:     "kubectl logs POD -c istio-proxy | tail -n 50 (response flags: UH no healthy host, UF connect failure, UT timeout, NR no route)",
	},
	"HAProxy": {
		Backends: "echo \"show servers state\" | socat stdio /run/haproxy.sock (or: echo \"show stat\" | socat stdio /run/haproxy.sock | cut -d, -f1,2,18)",
		Routes:   "grep -n -E 'use_backend|default_backend|acl' /etc/haproxy/haproxy.cfg",
		Logs:     "journalctl -u haproxy -n 100 (termination state sC/SC: connect refused, sH/SH: server timeout)",
	},
	"Traefik": {
		Backends: "Traefik API (api enabled): curl -s localhost:8080/api/http/services | jq '.[] | {name, serverStatus}'; in Kubernetes: kubectl get endpoints SERVICE",
		Routes:   "Traefik API: curl -s localhost:8080/api/http/routers | jq '.[] | {name, rule, status}' | grep -B2 -A2 {{Host}}",
		Logs:     "docker logs traefik --tail 100, or kubectl logs -n traefik deploy/traefik --tail 100 (with log.level=DEBUG for backend errors)",
	},
	"nginx": {
		Backends: "kubectl get endpoints SERVICE (ingress-nginx: a Service without ready endpoints gives 503); plain nginx: check the upstream block's servers",
		Routes:   "nginx -T | grep -n -E 'server_name|location|proxy_pass'",
		Logs:     "tail -n 50 /var/log/nginx/error.log (or kubectl logs -n ingress-nginx deploy/ingress-nginx-controller --tail 100): 'connect() failed', 'upstream timed out', 'no live upstreams'",
	},
	"Kong": {
		Backends: "Kong admin: curl -s localhost:8001/upstreams/UPSTREAM/health (and curl -s localhost:8001/upstreams/UPSTREAM/targets)",
		Routes:   "Kong admin: curl -s localhost:8001/routes | jq '.data[] | {name, hosts, paths}' | grep -B3 -A3 {{Host}}",
		Logs:     "Kong error log: tail -n 50 /usr/local/kong/logs/error.log (or kubectl logs deploy/kong -c proxy --tail 100)",
	},
	"AWS ALB": {
		Backends: "aws elbv2 describe-target-health --target-group-arn TARGET_GROUP_ARN (Reason/Description of each unhealthy target)",
		Routes:   "aws elbv2 describe-rules --listener-arn LISTENER_ARN (host-header and path-pattern conditions)",
		Logs:     "ALB access logs: elb_status_code vs target_status_code; CloudWatch HTTPCode_ELB_5XX_Count vs HTTPCode_Target_5XX_Count",
	},
	"Cloudflare": {
		Backends: "bypass Cloudflare and ask the origin directly: curl -sS -i --resolve {{Host}}:443:ORIGIN_IP https://{{Host}}{{Path}}",
		Routes:   "check the DNS record and proxy status of {{Host}} in the Cloudflare dashboard (or: curl -s https://api.cloudflare.com/client/v4/zones/ZONE_ID/dns_records -H 'Authorization: Bearer TOKEN')",
		Logs:     "Cloudflare 52x: 521 origin refused, 522 connect timed out, 523 origin unreachable, 524 origin too slow, 525/526 TLS to the origin; check the origin's own logs at the time of the cf-ray",
	},
	"Caddy": {
		Backends: "Caddy admin API: curl -s localhost:2019/reverse_proxy/upstreams (num_requests and fails of each upstream)",
		Routes:   "curl -s localhost:2019/config/ | jq '.apps.http.servers' | grep -B3 -A3 {{Host}}",
		Logs:     "journalctl -u caddy -n 100 (or docker logs caddy): 'dial tcp ...: connect: connection refused', 'no upstreams available'",
	},
	"Linkerd": {
		Backends: "linkerd diagnostics endpoints SERVICE.NAMESPACE.svc.cluster.local:PORT; kubectl get endpoints SERVICE",
		Routes:   "linkerd viz routes deploy/DEPLOYMENT (and kubectl get httproute -A | grep {{Host}})",
		Logs:     "kubectl logs POD -c linkerd-proxy --tail 50 (the l5d-proxy-error header says why: fail-fast, connection refused, identity)",
	},
}

// genericProxyRunbook is used when the product is unknown.
var genericProxyRunbook = ProxyRunbook{
	Backends: "Envoy/Istio: curl -s localhost:15000/clusters | grep health_flags; HAProxy: echo \"show servers state\" | socat stdio /run/haproxy.sock; Kubernetes: kubectl get endpoints SERVICE",
	Routes:   "kubectl get ingress,httproute -A | grep {{Host}}; Kong: curl -s localhost:8001/routes; Envoy: curl -s localhost:15000/config_dump | grep -A5 {{Host}}",
	Logs:     "nginx: journalctl -u nginx -n 100 ('connect() failed', 'upstream prematurely closed', 'upstream timed out'), or kubectl logs of the ingress controller",
}

// RunbookFor returns the runbook of product (the generic one when unknown).
func RunbookFor(product string) ProxyRunbook {
	if r, ok := proxyRunbooks[product]; ok {
		return r
	}
	return genericProxyRunbook
}

// ProxyProducts lists the products with a runbook, for tests.
func ProxyProducts() []string {
	out := make([]string, 0, len(proxyRunbooks))
	for p := range proxyRunbooks {
		out = append(out, p)
	}
	return out
}

// replacer substitutes the runbook placeholders; the lines may hold other
// placeholders ({{Host}}, {{Path}}), filled by the Vars replacer after it.
func (r ProxyRunbook) replacer() *strings.Replacer {
	return strings.NewReplacer(
		"{{ProxyBackends}}", strings.TrimSpace(r.Backends),
		"{{ProxyRoutes}}", strings.TrimSpace(r.Routes),
		"{{ProxyLogs}}", strings.TrimSpace(r.Logs),
	)
}
