package world

import (
	"fmt"
	"net"
	"strings"

	"github.com/miekg/dns"
)

// Zone is the DNS zone the world's server is authoritative for.
const Zone = "bench.test."

// dnsServer answers, for every name under Zone, A with 127.0.0.1 and
// every other type with NOERROR and no data; other names are NXDOMAIN (a
// name updoc should never ask). It serves UDP and TCP on the same port.
type dnsServer struct {
	udp, tcp *dns.Server
	addr     string
}

func startDNS(c *Counters) (*dnsServer, error) {
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		c.dnsQueries.Add(1)
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		q := r.Question[0]
		name := strings.ToLower(q.Name)
		switch {
		case !dns.IsSubDomain(Zone, name):
			m.Rcode = dns.RcodeNameError
		case q.Qtype == dns.TypeA:
			m.Answer = append(m.Answer, &dns.A{
				Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60},
				A:   net.IPv4(127, 0, 0, 1),
			})
		}
		_ = w.WriteMsg(m)
	})
	for attempt := 0; ; attempt++ {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("listen for the DNS server on 127.0.0.1 (udp): %w", err)
		}
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err != nil {
			pc.Close()
			if attempt < 20 {
				continue // that port is taken for TCP: try another one
			}
			return nil, fmt.Errorf("listen for the DNS server on 127.0.0.1 (tcp): %w", err)
		}
		s := &dnsServer{
			udp:  &dns.Server{PacketConn: pc, Handler: h},
			tcp:  &dns.Server{Listener: ln, Handler: h},
			addr: pc.LocalAddr().String(),
		}
		for _, srv := range []*dns.Server{s.udp, s.tcp} {
			started := make(chan struct{})
			srv.NotifyStartedFunc = func() { close(started) }
			go func() { _ = srv.ActivateAndServe() }()
			<-started
		}
		return s, nil
	}
}

func (s *dnsServer) close() {
	_ = s.udp.Shutdown()
	_ = s.tcp.Shutdown()
}
