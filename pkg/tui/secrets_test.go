package tui

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
)

// TestViewsShowNoSecret: the list and the detail pane of every upstream,
// drawn from the report of a run against an upstream that echoes a
// ${VAR} header and a url's password in every form (body, headers,
// Set-Cookie, Location, error page), hold none of them (SPEC §2).
func TestViewsShowNoSecret(t *testing.T) {
	const token, password = `T0k"en<&>-4242`, "pa55-w0rd!"
	userinfo := base64.StdEncoding.EncodeToString([]byte("alice:" + password))
	var forms []string
	for _, s := range []string{token, password, userinfo} {
		forms = append(forms, testserver.SecretForms(s)...)
	}
	echo := testserver.NewEcho(t, forms)
	host := strings.TrimPrefix(echo.URL, "http://")
	var file strings.Builder
	file.WriteString("version: 1\ndefaults: {samples: 0, timeout: 2s, headers: {X-Token: '${TOKEN}'}}\nupstreams:\n")
	for i := range forms {
		fmt.Fprintf(&file, "  f%02d: {url: 'http://alice:%s@%s/%d'}\n", i, password, host, i)
	}
	g, err := graph.Load("updoc.yaml", []byte(file.String()), func(k string) (string, bool) { return token, k == "TOKEN" })
	if err != nil {
		t.Fatal(err)
	}
	views := everyView(t, engine.Run(context.Background(), g, engine.Options{}, nil))
	for name, v := range views {
		for _, f := range forms {
			if strings.Contains(v, f) {
				t.Errorf("the %s view shows the secret form %q:\n%s", name, f, v)
			}
		}
	}
	if !strings.Contains(views["f00"], "[redacted]") {
		t.Errorf("the detail of f00 shows no [redacted]:\n%s", views["f00"])
	}
}
