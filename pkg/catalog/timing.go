package catalog

// Commands that time what updoc's latency samples timed: an HTTP request
// for http:// and https://, a TCP connect for tcp://, a connect and TLS
// handshake for tls:// — never curl for a port that speaks no HTTP. They
// are templates, filled like the steps they stand in.

import "strings"

// timingReplacer puts the timing commands of scheme in place of
// {{TimeOnce}} and {{TimeEach}}; their own placeholders are filled next.
func timingReplacer(scheme string) *strings.Replacer {
	return strings.NewReplacer("{{TimeOnce}}", timeOnce(scheme), "{{TimeEach}}", timeEach(scheme))
}

// timeOnce times one request of an upstream of scheme ("" when unknown:
// the HTTP form, as `updoc explain` prints it).
func timeOnce(scheme string) string {
	switch scheme {
	case "tcp":
		return "time nc -z -w 5 {{TargetHost}} {{TargetPort}}"
	case "tls":
		return "time openssl s_client -connect {{Target}} {{SNIFlag}} </dev/null >/dev/null 2>&1"
	}
	return "curl -sS -o /dev/null -w 'connect %{time_connect}s tls %{time_appconnect}s ttfb %{time_starttransfer}s total %{time_total}s\\n' {{CurlRequest}}"
}

// timeEach prints the time of each of 20 requests, in seconds.
func timeEach(scheme string) string {
	switch scheme {
	case "tcp":
		return "for i in $(seq 20); do TIMEFORMAT=%R; time nc -z -w 5 {{TargetHost}} {{TargetPort}}; done"
	case "tls":
		return "for i in $(seq 20); do TIMEFORMAT=%R; time openssl s_client -connect {{Target}} {{SNIFlag}} </dev/null >/dev/null 2>&1; done"
	}
	return "for i in $(seq 20); do curl -s -o /dev/null -w '%{time_total}\\n' {{CurlRequest}}; done"
}
