package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const versionPkg = "github.com/updoc/updoc/pkg/version"

// buildStamped builds updoc with Go's VCS stamping off (GOFLAGS=-buildvcs=false,
// as on this project's machines and in many CI images) and the given -ldflags,
// and returns what `updoc version --json` says.
func buildStamped(t *testing.T, ldflags string) map[string]string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "updoc")
	build := exec.Command("go", "build", "-buildvcs=false", "-ldflags", ldflags, "-o", bin, ".")
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -ldflags %q: %v\n%s", ldflags, err, out)
	}
	out, err := exec.Command(bin, "version", "--json").Output()
	if err != nil {
		t.Fatalf("updoc version --json: %v", err)
	}
	var info map[string]string
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatalf("updoc version --json: %v\n%s", err, out)
	}
	text, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("updoc version: %v", err)
	}
	for _, v := range []string{info["version"], info["commit"], info["date"]} {
		if !strings.Contains(string(text), v) {
			t.Errorf("updoc version does not show %q:\n%s", v, text)
		}
	}
	return info
}

// With -buildvcs=false, what -ldflags -X sets is what `updoc version` shows;
// with nothing set, the commit and date are "unknown" (and only then).
func TestVersionStampedWithoutVCS(t *testing.T) {
	info := buildStamped(t, "-X "+versionPkg+".version=9.8.7 -X "+versionPkg+".commit=0123456789abcdef0123456789abcdef01234567 -X "+versionPkg+".date=2026-11-30T10:00:00Z")
	want := map[string]string{"version": "9.8.7", "commit": "0123456789abcdef0123456789abcdef01234567", "date": "2026-11-30T10:00:00Z"}
	for k, v := range want {
		if info[k] != v {
			t.Errorf("%s = %q, want %q", k, info[k], v)
		}
	}
	bare := buildStamped(t, "")
	if bare["commit"] != "unknown" || bare["date"] != "unknown" {
		t.Errorf("built with -buildvcs=false and no -X: commit %q date %q, want unknown", bare["commit"], bare["date"])
	}
}

// scripts/ldflags.sh stamps a -buildvcs=false build with what git says of the
// checkout: `updoc version` shows HEAD's commit, not "unknown".
func TestLdflagsScriptStampsTheCommit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	flags, err := exec.Command(filepath.Join("..", "..", "scripts", "ldflags.sh")).Output()
	if err != nil {
		t.Fatalf("scripts/ldflags.sh: %v", err)
	}
	info := buildStamped(t, strings.TrimSpace(string(flags)))
	if c := strings.TrimSuffix(info["commit"], "-dirty"); c != strings.TrimSpace(string(head)) {
		t.Errorf("commit = %q, want HEAD %s", info["commit"], head)
	}
	if info["date"] == "unknown" {
		t.Error("date = unknown, want the commit's date")
	}
}

// Every script that builds the updoc binary stamps it through
// scripts/ldflags.sh, so that its `updoc version` names the commit measured.
func TestScriptsStampTheirBuilds(t *testing.T) {
	scripts, _ := filepath.Glob(filepath.Join("..", "..", "scripts", "*.sh"))
	build := regexp.MustCompile(`go build[^\n]* \./cmd/updoc`)
	n := 0
	for _, s := range scripts {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range build.FindAllString(string(b), -1) {
			n++
			if !strings.Contains(line, `-ldflags "`) || !strings.Contains(line, `$(scripts/ldflags.sh)"`) {
				t.Errorf("%s: %q does not stamp the commit: add -ldflags \"$(scripts/ldflags.sh)\"", filepath.Base(s), line)
			}
		}
	}
	if n == 0 {
		t.Error("no script builds ./cmd/updoc: the pattern is stale")
	}
}
