package testserver

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
)

// Request is what a Recording server was sent.
type Request struct {
	Method, Path, Body string // Path with its query
	Header             http.Header
}

// Recording starts a loopback HTTP server that answers every request with
// status and body, and records it; seen returns the requests so far.
func Recording(t testing.TB, status int, body string) (url string, seen func() []Request) {
	t.Helper()
	var mu sync.Mutex
	var reqs []Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		reqs = append(reqs, Request{r.Method, r.URL.RequestURI(), string(b), r.Header.Clone()})
		mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() []Request {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(reqs)
	}
}
