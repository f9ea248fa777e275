package world

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/miekg/dns"
)

// TestWorldCounts checks that the world answers as the harness assumes —
// the zone's A record, 200, 503 on FailPath, refused on the faulty port —
// and counts every connect, request and DNS question.
func TestWorldCounts(t *testing.T) {
	w, err := Start(Options{Servers: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)

	m := new(dns.Msg)
	m.SetQuestion(Host+".", dns.TypeA)
	r, err := dns.Exchange(m, w.DNSAddr())
	if err != nil || len(r.Answer) != 1 || r.Answer[0].(*dns.A).A.String() != "127.0.0.1" {
		t.Fatalf("A %s = %v, %v; want 127.0.0.1", Host, r, err)
	}

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	get := func(raw string) (int, error) {
		u, _ := url.Parse(raw)
		u.Host = strings.Replace(u.Host, Host, "127.0.0.1", 1)
		resp, err := client.Get(u.String())
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	if code, err := get(w.URL(0, true)); code != 200 || err != nil {
		t.Errorf("healthy upstream: %d, %v; want 200", code, err)
	}
	if code, err := get(w.URL(17, true)); code != 503 || err != nil {
		t.Errorf("fail upstream: %d, %v; want 503", code, err)
	}
	if _, err := get(w.URL(7, true)); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("refused upstream: %v; want connection refused", err)
	}
	if got, want := w.Snapshot(), (Counts{Connects: 2, Requests: 2, DNSQueries: 1}); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	w.Reset()
	if got := w.Snapshot(); got != (Counts{}) {
		t.Errorf("counts after Reset %+v, want zero", got)
	}
}
