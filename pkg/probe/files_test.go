package probe

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/updoc/updoc/pkg/graph"
)

// The tls files of the graph (ca_file, cert_file, key_file) are read once
// per run per path, however many upstreams name them, and each upstream
// gets what they hold: the pool, the client certificate, or the error
// (a missing file, a file without a certificate) as reading it alone
// would give.
func TestTLSFilesReadOncePerRun(t *testing.T) {
	c := newCA(t)
	certFile, keyFile := clientCertFiles(t, c)
	missing := filepath.Join(t.TempDir(), "missing.pem")
	notPEM := writeFile(t, "not.pem", "no certificate here\n")

	e := &env{}
	var mu sync.Mutex
	reads := map[string]int{}
	e.files.read = func(name string) ([]byte, error) {
		mu.Lock()
		reads[name]++
		mu.Unlock()
		return os.ReadFile(name)
	}
	var plans []*plan
	var wg sync.WaitGroup
	var pmu sync.Mutex
	for i := range 60 {
		u := upstream(t, fmt.Sprintf("u%d", i), "https://svc.test:8443/", func(u *graph.Upstream) {
			u.TLS.CAFile = []string{c.file, missing, notPEM}[i%3]
			u.TLS.CertFile, u.TLS.KeyFile = certFile, keyFile
		})
		wg.Go(func() { // as a run's upstreams do: concurrently
			p := newPlan(u, e)
			pmu.Lock()
			plans = append(plans, p)
			pmu.Unlock()
		})
	}
	wg.Wait()

	for _, p := range plans {
		if p.clientCertErr != nil || len(p.tlsConfig.Certificates) != 1 {
			t.Fatalf("%s: client certificate %v, %d certificates", p.u.Name, p.clientCertErr, len(p.tlsConfig.Certificates))
		}
		switch p.u.TLS.CAFile {
		case c.file:
			must(t, p.rootsErr == nil && p.roots != nil, "%s: roots %v", p.u.Name, p.rootsErr)
		case missing:
			must(t, p.roots == nil && p.rootsErr != nil && strings.HasPrefix(p.rootsErr.Error(), "read ca_file: open "+missing),
				"%s: roots %v %v", p.u.Name, p.roots, p.rootsErr)
		case notPEM:
			must(t, p.roots != nil && p.rootsErr != nil && p.rootsErr.Error() == "ca_file "+notPEM+": no PEM certificate found",
				"%s: roots %v", p.u.Name, p.rootsErr)
		}
	}
	want := map[string]int{c.file: 1, missing: 1, notPEM: 1, certFile: 1, keyFile: 1}
	if fmt.Sprint(reads) != fmt.Sprint(want) {
		t.Errorf("reads %v, want %v", reads, want)
	}
}
