package probe

import (
	"crypto/x509"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
)

// The chain verification built is a fact: leaf, the intermediate the
// server sent, the root from ca_file (which the server did not send). A
// server that sends its leaf alone keeps the leaf as evidence and has no
// verified chain; insecure_skip_verify verifies nothing.
func TestVerifiedChainIsRecorded(t *testing.T) {
	c := newCA(t)
	inter, err := c.Intermediate("updoc test intermediate", time.Time{}, time.Now().AddDate(0, 0, 5))
	if err != nil {
		t.Fatal(err)
	}
	full, err := inter.Issue(ca.Leaf{Names: []string{"svc.test"}})
	if err != nil {
		t.Fatal(err)
	}
	leafOnly := full
	leafOnly.Certificate = full.Certificate[:1]
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})

	for _, tt := range []struct {
		name       string
		sent       int
		insecure   bool
		wantChain  []*x509.Certificate
		wantUnauth bool
	}{
		{name: "full chain", sent: 2, wantChain: []*x509.Certificate{full.Leaf, inter.Cert, c.Cert}},
		{name: "leaf only", sent: 1, wantUnauth: true},
		{name: "leaf only, insecure_skip_verify", sent: 1, insecure: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cert := full
			if tt.sent == 1 {
				cert = leafOnly
			}
			srv, _ := tlsServer(t, cert, ok)
			_, port := hostPort(t, srv.Listener.Addr().String())
			res := runOne(t, testOpts(t), upstream(t, "chain", "https://svc.test:"+port+"/", withTargets(srv.Listener.Addr().String()),
				func(u *graph.Upstream) { u.TLS.CAFile, u.TLS.InsecureSkipVerify = c.file, tt.insecure }))
			tr := res.Targets[0].TLS
			must(t, tr != nil && tr.HandshakeErr == nil, "TLS = %+v", tr)
			if len(tr.PeerCertificates) != tt.sent || !tr.PeerCertificates[0].Equal(full.Leaf) {
				t.Errorf("%d certificates sent, want %d with the leaf first", len(tr.PeerCertificates), tt.sent)
			}
			if len(tr.VerifiedChain) != len(tt.wantChain) {
				t.Fatalf("VerifiedChain has %d certificates, want %d", len(tr.VerifiedChain), len(tt.wantChain))
			}
			for i, want := range tt.wantChain {
				if !tr.VerifiedChain[i].Equal(want) {
					t.Errorf("VerifiedChain[%d] = %s, want %s", i, tr.VerifiedChain[i].Subject, want.Subject)
				}
			}
			var unknown x509.UnknownAuthorityError
			if got := errors.As(tr.VerifyErr, &unknown); got != tt.wantUnauth || !tt.wantUnauth && tr.VerifyErr != nil {
				t.Errorf("VerifyErr = %v, want x509.UnknownAuthorityError: %v", tr.VerifyErr, tt.wantUnauth)
			}
		})
	}
}
