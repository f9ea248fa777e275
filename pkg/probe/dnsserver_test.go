package probe

import (
	"net"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// startHandler serves h on a 127.0.0.1 UDP port, and with tcp on the same
// TCP port; without, nothing listens there for TCP (connects are refused).
// It returns "127.0.0.1:PORT".
func startHandler(t *testing.T, tcp bool, h dns.HandlerFunc) string {
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
					continue
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

// zone answers from fixed records: every RR of records owned by the
// question's name or by a name its CNAMEs lead to, NXDOMAIN when the name
// owns none (the CNAMEs followed stay in the answer, as resolvers send
// them), NOERROR without data when the name owns records of other types.
// A handler may be given per lower-case name to answer it otherwise.
func zone(t *testing.T, records []string, special map[string]dns.HandlerFunc) dns.HandlerFunc {
	t.Helper()
	var rrs []dns.RR
	for _, s := range records {
		rrs = append(rrs, rr(s))
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
			owned := false
			next := ""
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
