package lab

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// startDNS starts the authoritative server for Zone on one free port, udp
// and tcp. The udp socket picks the port; the tcp listener takes the same
// number (retried on a fresh port if that number is taken for tcp).
func (l *Lab) startDNS() error {
	var (
		pc  net.PacketConn
		ln  net.Listener
		err error
	)
	for range 10 {
		pc, err = net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("lab: dns udp: %w", err)
		}
		port := pc.LocalAddr().(*net.UDPAddr).Port
		ln, err = net.Listen("tcp", addr(port))
		if err == nil {
			break
		}
		_ = pc.Close()
		pc = nil
	}
	if pc == nil {
		return fmt.Errorf("lab: dns: no port free for both udp and tcp: %w", err)
	}
	port := pc.LocalAddr().(*net.UDPAddr).Port
	l.resolver = addr(port)
	l.udpPorts = append(l.udpPorts, port)
	l.tcpPorts = append(l.tcpPorts, port)

	h := dns.HandlerFunc(l.serveDNS)
	for _, srv := range []*dns.Server{
		{PacketConn: pc, Handler: h, Net: "udp"},
		{Listener: ln, Handler: h, Net: "tcp", ReadTimeout: 2 * time.Second, WriteTimeout: 2 * time.Second},
	} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		errc := make(chan error, 1)
		l.goTracked(func() { errc <- srv.ActivateAndServe() })
		select {
		case <-started:
			l.addCloser(func() error {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				return srv.ShutdownContext(ctx)
			})
		case err := <-errc:
			_ = pc.Close()
			_ = ln.Close()
			return fmt.Errorf("lab: dns %s: %w", srv.Net, err)
		}
	}
	return nil
}

const soaTTL = 30

// dnsFault is how the lab DNS misanswers a scenario's name on purpose.
type dnsFault int

const (
	dnsHealthy dnsFault = iota
	// dnsTruncated: over UDP, NOERROR with the TC flag and no records (the
	// answer "did not fit"); over TCP the connection is closed unanswered.
	dnsTruncated
	// dnsCNAMELoop: NAME is a CNAME of loopPartner(NAME), which is a CNAME
	// of NAME; both are answered with the two records.
	dnsCNAMELoop
)

// faultyName is a name of a dnsFault scenario: its fault, and for a CNAME
// loop the other name of the loop.
type faultyName struct {
	fault dnsFault
	other string // fqdn, lower case
}

// loopPartner is the other name of a CNAME loop: "cnameloop-cdn.ZONE" for
// "cnameloop.ZONE".
func loopPartner(host string) string {
	first, rest, _ := strings.Cut(host, ".")
	return first + "-cdn." + rest
}

// serveFault answers a name of a dnsFault scenario.
func serveFault(w dns.ResponseWriter, m *dns.Msg, name string, f faultyName) {
	m.Authoritative = true
	switch f.fault {
	case dnsTruncated:
		if w.RemoteAddr().Network() != "udp" {
			_ = w.Close()
			return
		}
		m.Truncated = true
	case dnsCNAMELoop:
		m.Answer = append(m.Answer, cname(name, f.other), cname(f.other, name))
	}
	_ = w.WriteMsg(m)
}

func cname(owner, target string) dns.RR {
	return &dns.CNAME{Hdr: dns.RR_Header{Name: owner, Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: 30}, Target: target}
}

// serveDNS answers as the authority for Zone: A 127.0.0.1 for every lab
// name, NODATA for other types, NXDOMAIN for a name not in the zone, SERVFAIL
// under BrokenZone, REFUSED outside the zone; the names of the dnsFault
// scenarios as serveFault says.
func (l *Lab) serveDNS(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	if len(r.Question) != 1 || r.Opcode != dns.OpcodeQuery {
		m.Rcode = dns.RcodeFormatError
		_ = w.WriteMsg(m)
		return
	}
	q := r.Question[0]
	name := strings.ToLower(q.Name)
	zone := Zone + "."
	if up, ok := l.names[name]; ok {
		l.count(up)
	}
	if f, ok := l.dnsFaults[name]; ok {
		serveFault(w, m, q.Name, f)
		return
	}
	switch {
	case name != zone && !strings.HasSuffix(name, "."+zone):
		m.Rcode = dns.RcodeRefused
	case name == BrokenZone+"." || strings.HasSuffix(name, "."+BrokenZone+"."):
		m.Rcode = dns.RcodeServerFailure
	case name == zone:
		m.Authoritative = true
		if q.Qtype == dns.TypeSOA {
			m.Answer = append(m.Answer, soa())
		} else {
			m.Ns = append(m.Ns, soa())
		}
	case l.hosts[name]:
		m.Authoritative = true
		if q.Qtype == dns.TypeA {
			m.Answer = append(m.Answer, &dns.A{
				Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 30},
				A:   net.IPv4(127, 0, 0, 1).To4(),
			})
		} else {
			m.Ns = append(m.Ns, soa()) // NOERROR, no data
		}
	default:
		m.Authoritative = true
		m.Rcode = dns.RcodeNameError
		m.Ns = append(m.Ns, soa())
	}
	_ = w.WriteMsg(m)
}

func soa() dns.RR {
	zone := Zone + "."
	return &dns.SOA{
		Hdr:     dns.RR_Header{Name: zone, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: soaTTL},
		Ns:      "ns." + zone,
		Mbox:    "hostmaster." + zone,
		Serial:  1,
		Refresh: 3600,
		Retry:   600,
		Expire:  86400,
		Minttl:  soaTTL,
	}
}
