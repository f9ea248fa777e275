package testserver

import (
	"net"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// DNS serves h (miekg/dns) on a 127.0.0.1 UDP port, and with tcp on the
// same TCP port; without tcp nothing listens there for TCP, so a TCP
// connect to it is refused. It returns "127.0.0.1:PORT"; the servers stop
// when the test ends.
func DNS(t testing.TB, tcp bool, h dns.Handler) string {
	t.Helper()
	for attempt := 0; ; attempt++ {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		servers := []*dns.Server{{PacketConn: pc, Handler: h}}
		if tcp {
			ln, err := net.Listen("tcp", pc.LocalAddr().String())
			if err != nil {
				pc.Close()
				if attempt < 20 {
					continue // the port number is taken for TCP: another one
				}
				t.Fatal(err)
			}
			servers = append(servers, &dns.Server{Listener: ln, Handler: h})
		}
		for _, srv := range servers {
			started := make(chan struct{})
			srv.NotifyStartedFunc = func() { close(started) }
			go func() { _ = srv.ActivateAndServe() }()
			<-started
			t.Cleanup(func() { _ = srv.Shutdown() })
		}
		return pc.LocalAddr().String()
	}
}

// Zone answers from records (zone-file lines, "a.x.test. 60 IN A
// 127.0.0.1") as a recursive resolver would: the records of the asked type
// owned by the question's name or by a name its CNAMEs lead to, the CNAMEs
// followed included; NXDOMAIN (with those CNAMEs) when a name of the chain
// owns nothing; NOERROR without data when it owns only other types. A CNAME
// loop is answered with its records once. special answers the lower-case
// names it holds instead.
func Zone(t testing.TB, records []string, special map[string]dns.HandlerFunc) dns.HandlerFunc {
	t.Helper()
	var rrs []dns.RR
	for _, s := range records {
		r, err := dns.NewRR(s)
		if err != nil {
			t.Fatalf("record %q: %v", s, err)
		}
		rrs = append(rrs, r)
	}
	return func(w dns.ResponseWriter, r *dns.Msg) {
		q := r.Question[0]
		if h := special[strings.ToLower(q.Name)]; h != nil {
			h(w, r)
			return
		}
		m := new(dns.Msg)
		m.SetReply(r)
		name, seen := strings.ToLower(q.Name), map[string]bool{}
		for !seen[name] {
			seen[name] = true
			owned, next := false, ""
			for _, x := range rrs {
				if !strings.EqualFold(x.Header().Name, name) {
					continue
				}
				owned = true
				if c, ok := x.(*dns.CNAME); ok {
					m.Answer = append(m.Answer, x)
					next = strings.ToLower(c.Target)
				} else if x.Header().Rrtype == q.Qtype {
					m.Answer = append(m.Answer, x)
				}
			}
			if !owned {
				m.Rcode = dns.RcodeNameError
				break
			}
			if next == "" {
				break
			}
			name = next
		}
		_ = w.WriteMsg(m)
	}
}
