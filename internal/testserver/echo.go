package testserver

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// SecretForms are the forms in which an upstream may echo secret s back:
// as it is, in other letter case, URL-, JSON-, Go-quote- and HTML-escaped,
// and in base64. Each is what a test must never find in an output.
func SecretForms(s string) []string {
	swapped := []rune(s)
	for i, r := range swapped {
		if i%2 == 0 {
			swapped[i] = []rune(strings.ToUpper(string(r)))[0]
		} else {
			swapped[i] = []rune(strings.ToLower(string(r)))[0]
		}
	}
	js, _ := json.Marshal(s)
	forms := []string{
		s, strings.ToUpper(s), strings.ToLower(s), string(swapped),
		url.QueryEscape(s), url.PathEscape(s), strings.ToLower(url.QueryEscape(s)),
		strings.Trim(string(js), `"`), strings.Trim(strconv.Quote(s), `"`), strings.Trim(strconv.QuoteToASCII(s), `"`),
		html.EscapeString(s),
		base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s)),
	}
	var out []string
	for _, f := range forms {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// Echo is a loopback HTTP server that sends back the strings it was given
// to echo, each through every channel an upstream has: GET or POST
// /…/N answers 302 to /landing/N/FORM with form N in its Location, in
// Set-Cookie and in other headers; /landing/N/… answers 503 with an error
// page that holds form N in its <title> and body, in Set-Cookie and the
// same headers. It records the Authorization and Cookie headers of every
// request.
type Echo struct {
	URL string // http://127.0.0.1:PORT

	forms []string
	mu    sync.Mutex
	seen  []EchoRequest
}

// EchoRequest is one request an Echo server received.
type EchoRequest struct {
	Path          string
	Authorization string
	Cookie        string
}

// NewEcho starts an Echo server that echoes forms: form N is forms[N].
func NewEcho(t testing.TB, forms []string) *Echo {
	t.Helper()
	e := &Echo{forms: forms}
	srv := httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	return e
}

// Seen returns the requests received so far.
func (e *Echo) Seen() []EchoRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]EchoRequest(nil), e.seen...)
}

func (e *Echo) serve(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
	e.mu.Lock()
	e.seen = append(e.seen, EchoRequest{Path: r.URL.Path, Authorization: r.Header.Get("Authorization"), Cookie: r.Header.Get("Cookie")})
	e.mu.Unlock()
	landing := strings.HasPrefix(r.URL.Path, "/landing/")
	var num string
	if landing {
		num, _, _ = strings.Cut(strings.TrimPrefix(r.URL.Path, "/landing/"), "/")
	} else {
		num = r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n >= len(e.forms) {
		http.Error(w, "no such form", http.StatusNotFound)
		return
	}
	form := e.forms[n]
	echoed := "you sent " + form
	h := w.Header()
	for _, name := range []string{"Server", "Via", "WWW-Authenticate", "X-Squid-Error", "Warning", "X-Echo", "Link", "Deprecation", "Sunset"} {
		h.Set(name, echoed)
	}
	h.Add("Set-Cookie", "echo="+form+"; Path=/")
	h.Add("Set-Cookie", form)
	if !landing {
		again := form
		if strings.ContainsAny(form, " \t#") {
			again = url.QueryEscape(form)
		}
		h.Set("Location", "/landing/"+strconv.Itoa(n)+"/"+url.PathEscape(form)+"?again="+again)
		w.WriteHeader(http.StatusFound)
		fmt.Fprintf(w, "moved: %s\n", echoed)
		return
	}
	h.Set("Retry-After", echoed)
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprintf(w, "<html><head><title>Error: %s</title></head><body><h1>%s</h1><pre>%s</pre></body></html>\n", form, echoed, form)
}
