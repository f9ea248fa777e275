package catalog

import "strings"

// ProxyRunbook is what to run against one proxy product: how to see its
// view of the backends, its routes, where it logs why it failed, and which
// of its own limits (circuit breakers, rate limits) refused requests.
// Remediation templates use them as {{ProxyBackends}}, {{ProxyRoutes}},
// {{ProxyLogs}} and {{ProxyLimits}}, filled from Vars.Product.
type ProxyRunbook struct {
	Backends string
	Routes   string
	Logs     string
	Limits   string
}

// proxyRunbooks by product name as diagnose reports it (Vars.Product).
var proxyRunbooks = map[string]ProxyRunbook{
	"Envoy": {
		Backends: "Envoy admin (15000 in Istio sidecars, often 9901 standalone): curl -s localhost:15000/clusters | grep health_flags; in Kubernetes: kubectl get endpoints SERVICE",
		Routes:   "Envoy admin: curl -s 'localhost:15000/config_dump?resource=dynamic_route_configs' | grep -B2 -A10 {{Host}}",
		Logs:     "Envoy access log response flags say why: UH no healthy host, UF connect failure, UT upstream timeout, NR no route (kubectl logs POD -c istio-proxy, or the Envoy access log)",
		Limits:   "Envoy admin: curl -s localhost:15000/stats | grep -E 'upstream_rq_pending_overflow|upstream_cx_overflow|upstream_rq_retry_overflow|rq_pending_open|local_rate_limit|overload' (a non-zero overflow counter names the circuit breaker that tripped); thresholds: curl -s localhost:15000/clusters | grep -E 'max_(connections|pending_requests|requests)'",
	},
	"Istio (Envoy)": {
		Backends: "istioctl proxy-config endpoints POD | grep SERVICE (or curl -s localhost:15000/clusters | grep health_flags in the sidecar); kubectl get endpoints SERVICE",
		Routes:   "istioctl proxy-config routes POD --name PORT -o json | grep -A10 {{Host}}; kubectl get virtualservice,gateway,httproute -A | grep {{Host}}",
		Logs:     "kubectl logs POD -c istio-proxy | tail -n 50 (response flags: UH no healthy host, UF connect failure, UT timeout, NR no route)",
		Limits:   "kubectl exec POD -c istio-proxy -- pilot-agent request GET stats | grep -E 'upstream_rq_pending_overflow|upstream_cx_overflow|local_rate_limit' ; the limits: kubectl get destinationrule -A -o yaml | grep -B2 -A8 connectionPool",
	},
	"HAProxy": {
		Backends: "echo \"show servers state\" | socat stdio /run/haproxy.sock (or: echo \"show stat\" | socat stdio /run/haproxy.sock | cut -d, -f1,2,18)",
		Routes:   "grep -n -E 'use_backend|default_backend|acl' /etc/haproxy/haproxy.cfg",
		Logs:     "journalctl -u haproxy -n 100 (termination state sC/SC: connect refused, sH/SH: server timeout)",
		Limits:   "echo \"show stat\" | socat stdio /run/haproxy.sock | cut -d, -f1,2,3,4,5,6,7 (qcur/qmax: requests queued because maxconn was reached)",
	},
	"Traefik": {
		Backends: "Traefik API (api enabled): curl -s localhost:8080/api/http/services | jq '.[] | {name, serverStatus}'; in Kubernetes: kubectl get endpoints SERVICE",
		Routes:   "Traefik API: curl -s localhost:8080/api/http/routers | jq '.[] | {name, rule, status}' | grep -B2 -A2 {{Host}}",
		Logs:     "docker logs traefik --tail 100, or kubectl logs -n traefik deploy/traefik --tail 100 (with log.level=DEBUG for backend errors)",
		Limits:   "Traefik API: curl -s localhost:8080/api/http/middlewares | jq '.[] | select(.circuitBreaker or .rateLimit or .inFlightReq) | {name, circuitBreaker, rateLimit, inFlightReq}'",
	},
	"nginx": {
		Backends: "kubectl get endpoints SERVICE (ingress-nginx: a Service without ready endpoints gives 503); plain nginx: check the upstream block's servers",
		Routes:   "nginx -T | grep -n -E 'server_name|location|proxy_pass'",
		Logs:     "tail -n 50 /var/log/nginx/error.log (or kubectl logs -n ingress-nginx deploy/ingress-nginx-controller --tail 100): 'connect() failed', 'upstream timed out', 'no live upstreams'",
		Limits:   "nginx -T | grep -n -E 'limit_req|limit_conn|max_conns|queue' ; grep -E 'limiting requests|limiting connections' /var/log/nginx/error.log | tail -n 20",
	},
	"Kong": {
		Backends: "Kong admin: curl -s localhost:8001/upstreams/UPSTREAM/health (and curl -s localhost:8001/upstreams/UPSTREAM/targets)",
		Routes:   "Kong admin: curl -s localhost:8001/routes | jq '.data[] | {name, hosts, paths}' | grep -B3 -A3 {{Host}}",
		Logs:     "Kong error log: tail -n 50 /usr/local/kong/logs/error.log (or kubectl logs deploy/kong -c proxy --tail 100)",
		Limits:   "Kong admin: curl -s localhost:8001/plugins | jq '.data[] | select(.name | test(\"rate-limiting|request-termination\")) | {name, config}'",
	},
	"AWS ALB": {
		Backends: "aws elbv2 describe-target-health --target-group-arn TARGET_GROUP_ARN (Reason/Description of each unhealthy target)",
		Routes:   "aws elbv2 describe-rules --listener-arn LISTENER_ARN (host-header and path-pattern conditions)",
		Logs:     "ALB access logs: elb_status_code vs target_status_code; CloudWatch HTTPCode_ELB_5XX_Count vs HTTPCode_Target_5XX_Count",
		Limits:   "CloudWatch RejectedConnectionCount and HTTPCode_ELB_503_Count of the load balancer: aws cloudwatch get-metric-statistics --namespace AWS/ApplicationELB --metric-name RejectedConnectionCount --dimensions Name=LoadBalancer,Value=app/NAME/ID --start-time START --end-time END --period 60 --statistics Sum",
	},
	"Cloudflare": {
		Backends: "bypass Cloudflare and ask the origin directly: curl -sS -i --resolve {{Host}}:443:ORIGIN_IP https://{{Host}}{{Path}}",
		Routes:   "check the DNS record and proxy status of {{Host}} in the Cloudflare dashboard (or: curl -s https://api.cloudflare.com/client/v4/zones/ZONE_ID/dns_records -H 'Authorization: Bearer TOKEN')",
		Logs:     "Cloudflare 52x: 521 origin refused, 522 connect timed out, 523 origin unreachable, 524 origin too slow, 525/526 TLS to the origin; check the origin's own logs at the time of the cf-ray",
		Limits:   "check the zone's rate limiting and WAF rules in the Cloudflare dashboard (Security > Events lists what was blocked, with the cf-ray of the request)",
	},
	"Caddy": {
		Backends: "Caddy admin API: curl -s localhost:2019/reverse_proxy/upstreams (num_requests and fails of each upstream)",
		Routes:   "curl -s localhost:2019/config/ | jq '.apps.http.servers' | grep -B3 -A3 {{Host}}",
		Logs:     "journalctl -u caddy -n 100 (or docker logs caddy): 'dial tcp ...: connect: connection refused', 'no upstreams available'",
		Limits:   "curl -s localhost:2019/config/ | jq '.. | objects | select(has(\"max_conns_per_host\") or has(\"max_requests\"))'",
	},
	"Linkerd": {
		Backends: "linkerd diagnostics endpoints SERVICE.NAMESPACE.svc.cluster.local:PORT; kubectl get endpoints SERVICE",
		Routes:   "linkerd viz routes deploy/DEPLOYMENT (and kubectl get httproute -A | grep {{Host}})",
		Logs:     "kubectl logs POD -c linkerd-proxy --tail 50 (the l5d-proxy-error header says why: fail-fast, connection refused, identity)",
		Limits:   "linkerd viz stat deploy/DEPLOYMENT (success rate and latency of the workload: a slow one makes the proxy shed load with 503); kubectl logs POD -c linkerd-proxy --tail 50 | grep -i -E 'load.?shed|fail-fast'",
	},
	"Spring Cloud Gateway": {
		Backends: "Spring Boot actuator (management endpoints exposed): curl -s localhost:8080/actuator/circuitbreakers; the instances the load balancer sees: curl -s localhost:8080/actuator/gateway/routes | jq '.[] | {route_id, uri}'",
		Routes:   "curl -s localhost:8080/actuator/gateway/routes | jq '.[] | {route_id, predicate, uri}' | grep -B2 -A2 {{Host}}",
		Logs:     "kubectl logs deploy/GATEWAY --tail 100 | grep -i -E 'CallNotPermittedException|CircuitBreaker|Unable to find instance'",
		Limits:   "curl -s localhost:8080/actuator/circuitbreakers (state OPEN, failureRate) and curl -s localhost:8080/actuator/circuitbreakerevents; the thresholds: resilience4j.circuitbreaker.instances in the gateway's application.yml",
	},
}

// genericProxyRunbook is used when the product is unknown.
var genericProxyRunbook = ProxyRunbook{
	Backends: "Envoy/Istio: curl -s localhost:15000/clusters | grep health_flags; HAProxy: echo \"show servers state\" | socat stdio /run/haproxy.sock; Kubernetes: kubectl get endpoints SERVICE",
	Routes:   "kubectl get ingress,httproute -A | grep {{Host}}; Kong: curl -s localhost:8001/routes; Envoy: curl -s localhost:15000/config_dump | grep -A5 {{Host}}",
	Logs:     "nginx: journalctl -u nginx -n 100 ('connect() failed', 'upstream prematurely closed', 'upstream timed out'), or kubectl logs of the ingress controller",
	Limits:   "Envoy/Istio: curl -s localhost:15000/stats | grep -E 'upstream_rq_pending_overflow|upstream_cx_overflow|local_rate_limit'; Spring Cloud Gateway: curl -s localhost:8080/actuator/circuitbreakers; nginx: nginx -T | grep -n -E 'limit_req|limit_conn'",
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
		"{{ProxyLimits}}", strings.TrimSpace(r.Limits),
	)
}
