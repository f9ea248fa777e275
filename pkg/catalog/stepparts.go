package catalog

import "strings"

// commandWords are the programs a remediation step may tell the user to
// run. A step holds at most one command, at its end, after ": " (see
// SplitStep).
var commandWords = []string{
	"awk", "aws", "cat", "certbot", "chronyc", "consul", "curl", "dig", "docker", "echo", "envoy", "for", "getent", "grep",
	"grpc_health_probe", "haproxy", "ip", "iptables", "istioctl", "journalctl", "kubectl", "linkerd", "nc", "nginx",
	"nmap", "nstat", "openssl", "ping", "printf", "resolvectl", "socat", "ss", "sudo", "systemctl", "tail", "tcpdump",
	"time", "timedatectl", "traceroute", "unbound-control", "updoc",
}

// SplitStep splits a rendered remediation step into its prose and the
// command it tells the user to run: the text after the first ": " that is
// followed by a known program name ("Confirm from this machine: nc -vz
// 127.0.0.1 8080" → "Confirm from this machine:", "nc -vz 127.0.0.1
// 8080"). Renderers may wrap the prose but must print the command whole,
// on one line. A step without a command returns (step, "").
func SplitStep(step string) (prose, command string) {
	for i := 0; ; {
		j := strings.Index(step[i:], ": ")
		if j < 0 {
			return step, ""
		}
		at := i + j + 2
		if startsWithCommand(step[at:]) {
			return step[:at-1], step[at:]
		}
		i = at
	}
}

// startsWithCommand: s begins with a known program name followed by a
// space or the end.
func startsWithCommand(s string) bool {
	for _, w := range commandWords {
		if rest, ok := strings.CutPrefix(s, w); ok && (rest == "" || rest[0] == ' ') {
			return true
		}
	}
	return false
}
