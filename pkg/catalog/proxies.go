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
		Backends: "Envoy admin (port 15000 in Istio sidecars, often 9901 standalone; in Kubernetes, the Service's endpoints too): curl -s localhost:15000/clusters | grep health_flags",
		Routes:   "Envoy admin: curl -s 'localhost:15000/config_dump?resource=dynamic_route_configs' | grep -B2 -A10 {{Host}}",
		Logs:     "Envoy's access log, whose response flags say why (UH no healthy host, UF connect failure, UT upstream timeout, NR no route); in an Istio sidecar: kubectl logs POD -c istio-proxy --tail 100",
		Limits:   "Envoy admin (a non-zero overflow counter names the circuit breaker that tripped; the thresholds are in /clusters): curl -s localhost:15000/stats | grep -E 'upstream_rq_pending_overflow|upstream_cx_overflow|upstream_rq_retry_overflow|rq_pending_open|local_rate_limit|overload'",
	},
	"Istio (Envoy)": {
		Backends: "istioctl, for the endpoints the sidecar of POD sees: istioctl proxy-config endpoints POD",
		Routes:   "istioctl, for the routes of POD's sidecar: istioctl proxy-config routes POD -o json | grep -A10 {{Host}}",
		Logs:     "the sidecar's access log (response flags UH no healthy host, UF connect failure, UT timeout, NR no route): kubectl logs POD -c istio-proxy --tail 50",
		Limits:   "the sidecar's overflow counters (the limits are the connectionPool of the DestinationRule): kubectl exec POD -c istio-proxy -- pilot-agent request GET stats | grep -E 'upstream_rq_pending_overflow|upstream_cx_overflow|local_rate_limit'",
	},
	"HAProxy": {
		Backends: "the runtime API (the stats socket of the global section): echo 'show servers state' | socat stdio /run/haproxy.sock",
		Routes:   "grep -n -E 'use_backend|default_backend|acl' /etc/haproxy/haproxy.cfg",
		Logs:     "HAProxy's log (termination state sC/SC: connect refused, sH/SH: server timeout): journalctl -u haproxy -n 100",
		Limits:   "the runtime API (qcur/qmax: requests queued because maxconn was reached): echo 'show stat' | socat stdio /run/haproxy.sock | cut -d, -f1,2,3,4,5,6,7",
	},
	"Traefik": {
		Backends: "Traefik API (api enabled; in Kubernetes, the Service's endpoints too): curl -s localhost:8080/api/http/services | jq '.[] | {name, serverStatus}'",
		Routes:   "Traefik API: curl -s localhost:8080/api/http/routers | jq '.[] | {name, rule, status}' | grep -B2 -A2 {{Host}}",
		Logs:     "Traefik's log (with log.level=DEBUG for backend errors; in Kubernetes, kubectl logs -n traefik deploy/traefik): docker logs traefik --tail 100",
		Limits:   "Traefik API: curl -s localhost:8080/api/http/middlewares | jq '.[] | select(.circuitBreaker or .rateLimit or .inFlightReq) | {name, circuitBreaker, rateLimit, inFlightReq}'",
	},
	"nginx": {
		Backends: "the Service's ready endpoints (ingress-nginx gives 503 for a Service without any; plain nginx: the servers of the upstream block): kubectl get endpoints SERVICE",
		Routes:   "nginx -T | grep -n -E 'server_name|location|proxy_pass'",
		Logs:     "nginx's error log ('connect() failed', 'upstream timed out', 'no live upstreams'; ingress-nginx: the controller's pod log): tail -n 50 /var/log/nginx/error.log",
		Limits:   "the limits configured (and, in the error log, 'limiting requests' or 'limiting connections' lines): nginx -T | grep -n -E 'limit_req|limit_conn|max_conns|queue'",
	},
	"Kong": {
		Backends: "Kong admin (the upstream's targets under /targets): curl -s localhost:8001/upstreams/UPSTREAM/health",
		Routes:   "Kong admin: curl -s localhost:8001/routes | jq '.data[] | {name, hosts, paths}' | grep -B3 -A3 {{Host}}",
		Logs:     "Kong's error log (in Kubernetes, the proxy container's log): tail -n 50 /usr/local/kong/logs/error.log",
		Limits:   "Kong admin: curl -s localhost:8001/plugins | jq '.data[] | select(.name | test(\"rate-limiting|request-termination\")) | {name, config}'",
	},
	"AWS ALB": {
		Backends: "the Reason and Description of each unhealthy target: aws elbv2 describe-target-health --target-group-arn TARGET_GROUP_ARN",
		Routes:   "the host-header and path-pattern conditions of the listener's rules: aws elbv2 describe-rules --listener-arn LISTENER_ARN",
		Logs:     "the ALB access logs (elb_status_code against target_status_code) and CloudWatch's HTTPCode_ELB_5XX_Count against HTTPCode_Target_5XX_Count",
		Limits:   "the load balancer's RejectedConnectionCount in CloudWatch (and HTTPCode_ELB_503_Count): aws cloudwatch get-metric-statistics --namespace AWS/ApplicationELB --metric-name RejectedConnectionCount --dimensions Name=LoadBalancer,Value=app/NAME/ID --start-time START --end-time END --period 60 --statistics Sum",
	},
	"Cloudflare": {
		Backends: "bypass Cloudflare and ask the origin directly (ORIGIN_IP: the origin's address): curl -sS -i --resolve {{Host}}:443:ORIGIN_IP {{OriginURL}}",
		Routes:   "the DNS record and proxy status of {{Host}} in the Cloudflare dashboard, or its API (ZONE_ID: the zone's id): curl -s https://api.cloudflare.com/client/v4/zones/ZONE_ID/dns_records -H \"Authorization: Bearer $CLOUDFLARE_API_TOKEN\"",
		Logs:     "Cloudflare's 52x codes (521 origin refused, 522 connect timed out, 523 origin unreachable, 524 origin too slow, 525/526 TLS to the origin), then the origin's own logs at the time of the cf-ray",
		Limits:   "the zone's rate limiting and WAF rules in the Cloudflare dashboard (Security > Events lists what was blocked, with the cf-ray of the request)",
	},
	"Caddy": {
		Backends: "Caddy admin API (num_requests and fails of each upstream): curl -s localhost:2019/reverse_proxy/upstreams",
		Routes:   "Caddy admin API: curl -s localhost:2019/config/ | jq '.apps.http.servers' | grep -B3 -A3 {{Host}}",
		Logs:     "Caddy's log ('dial tcp ...: connect: connection refused', 'no upstreams available'; in Docker, docker logs caddy): journalctl -u caddy -n 100",
		Limits:   "Caddy admin API: curl -s localhost:2019/config/ | jq '.. | objects | select(has(\"max_conns_per_host\") or has(\"max_requests\"))'",
	},
	"Linkerd": {
		Backends: "the endpoints Linkerd's destination service gives: linkerd diagnostics endpoints SERVICE.NAMESPACE.svc.cluster.local:PORT",
		Routes:   "the routes of the workload (and the HTTPRoutes that name {{Host}}): linkerd viz routes deploy/DEPLOYMENT",
		Logs:     "the proxy's log (the l5d-proxy-error header says why: fail-fast, connection refused, identity): kubectl logs POD -c linkerd-proxy --tail 50",
		Limits:   "the success rate and latency of the workload (a slow one makes the proxy shed load with 503, logged as load shed or fail-fast): linkerd viz stat deploy/DEPLOYMENT",
	},
	"Spring Cloud Gateway": {
		Backends: "Spring Boot actuator (management endpoints exposed; /actuator/gateway/routes lists the instances): curl -s localhost:8080/actuator/circuitbreakers",
		Routes:   "Spring Boot actuator: curl -s localhost:8080/actuator/gateway/routes | jq '.[] | {route_id, predicate, uri}' | grep -B2 -A2 {{Host}}",
		Logs:     "the gateway's log (GATEWAY: its deployment): kubectl logs deploy/GATEWAY --tail 100 | grep -i -E 'CallNotPermittedException|CircuitBreaker|Unable to find instance'",
		Limits:   "Spring Boot actuator (state OPEN and failureRate; the thresholds are resilience4j.circuitbreaker.instances in the gateway's application.yml): curl -s localhost:8080/actuator/circuitbreakers",
	},
}

// genericProxyRunbook is used when the product is unknown: the
// Kubernetes commands, with the other products' in words.
var genericProxyRunbook = ProxyRunbook{
	Backends: "in Kubernetes, the Service's ready endpoints (Envoy and Istio show theirs at the admin's /clusters, HAProxy with show servers state): kubectl get endpoints SERVICE",
	Routes:   "in Kubernetes, the ingresses and HTTPRoutes that name the host (Kong's are at its admin's /routes, Envoy's in its config_dump): kubectl get ingress,httproute -A | grep {{Host}}",
	Logs:     "the proxy's error log ('connect() failed', 'upstream prematurely closed', 'upstream timed out'; for an ingress controller, its pod log), nginx's here: journalctl -u nginx -n 100",
	Limits:   "Envoy's and Istio's overflow counters here (Spring Cloud Gateway: its actuator's /circuitbreakers; nginx: limit_req and limit_conn in nginx -T): curl -s localhost:15000/stats | grep -E 'upstream_rq_pending_overflow|upstream_cx_overflow|local_rate_limit'",
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
// placeholders ({{Host}}, {{OriginURL}}), filled by the Vars replacer after
// it. Each line is prose, then optionally ": " and one command, so that a
// step ending in a runbook placeholder still ends with one command.
func (r ProxyRunbook) replacer() *strings.Replacer {
	return strings.NewReplacer(
		"{{ProxyBackends}}", strings.TrimSpace(r.Backends),
		"{{ProxyRoutes}}", strings.TrimSpace(r.Routes),
		"{{ProxyLogs}}", strings.TrimSpace(r.Logs),
		"{{ProxyLimits}}", strings.TrimSpace(r.Limits),
	)
}
