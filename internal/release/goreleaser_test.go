package release

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The parts of goreleaser.yaml these tests read.
type goreleaserConfig struct {
	Version int `yaml:"version"`
	Before  struct {
		Hooks []string `yaml:"hooks"`
	} `yaml:"before"`
	Builds []struct {
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		Files []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
	} `yaml:"checksum"`
	Nfpms []struct {
		Formats  []string `yaml:"formats"`
		Bindir   string   `yaml:"bindir"`
		License  string   `yaml:"license"`
		Contents []struct {
			Src string `yaml:"src"`
			Dst string `yaml:"dst"`
		} `yaml:"contents"`
	} `yaml:"nfpms"`
	Release struct {
		Disable string `yaml:"disable"`
		GitHub  struct {
			Owner string `yaml:"owner"`
			Name  string `yaml:"name"`
		} `yaml:"github"`
	} `yaml:"release"`
}

func loadGoreleaser(t *testing.T) goreleaserConfig {
	t.Helper()
	var c goreleaserConfig
	if err := yaml.Unmarshal([]byte(readRepoFile(t, "goreleaser.yaml")), &c); err != nil {
		t.Fatalf("goreleaser.yaml: %v", err)
	}
	return c
}

// goreleaser.yaml builds what issue 13 asks for: six static, trimmed
// binaries stamped through -ldflags -X with variables pkg/version really has;
// archives with the README, LICENSE, completions and man pages (regenerated
// in before hooks); checksums.txt; .deb, .rpm and .apk packages installing
// the binary, the man pages and the completions where each shell looks; and
// a release target that does not depend on a git remote.
func TestGoreleaserConfig(t *testing.T) {
	c := loadGoreleaser(t)
	if c.Version != 2 {
		t.Errorf("version: %d, want 2", c.Version)
	}
	for _, hook := range []string{"./scripts/completions.sh", "./scripts/manpages.sh"} {
		if !slices.Contains(c.Before.Hooks, hook) {
			t.Errorf("before.hooks lacks %s", hook)
		}
	}
	if len(c.Builds) != 1 {
		t.Fatalf("%d builds, want 1", len(c.Builds))
	}
	b := c.Builds[0]
	if b.Main != "./cmd/updoc" || b.Binary != "updoc" {
		t.Errorf("build of %s as %s, want ./cmd/updoc as updoc", b.Main, b.Binary)
	}
	slices.Sort(b.Goos)
	slices.Sort(b.Goarch)
	if !slices.Equal(b.Goos, []string{"darwin", "linux", "windows"}) || !slices.Equal(b.Goarch, []string{"amd64", "arm64"}) {
		t.Errorf("goos %v goarch %v, want linux, darwin, windows × amd64, arm64", b.Goos, b.Goarch)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("env %v flags %v, want CGO_ENABLED=0 and -trimpath", b.Env, b.Flags)
	}
	// Every -X names a variable of pkg/version, and version, commit and date are all set.
	src := readRepoFile(t, filepath.Join("pkg", "version", "version.go"))
	x := regexp.MustCompile(`-X (\S+)\.(\w+)=\{\{`)
	set := map[string]bool{}
	for _, m := range x.FindAllStringSubmatch(strings.Join(b.Ldflags, " "), -1) {
		if m[1] != "github.com/updoc/updoc/pkg/version" {
			t.Errorf("-X %s.%s: not pkg/version", m[1], m[2])
		}
		if !regexp.MustCompile(`(?m)^\s+` + m[2] + `\s+= ""`).MatchString(src) {
			t.Errorf("-X sets pkg/version.%s, which pkg/version/version.go does not declare", m[2])
		}
		set[m[2]] = true
	}
	for _, v := range []string{"version", "commit", "date"} {
		if !set[v] {
			t.Errorf("ldflags do not set pkg/version.%s", v)
		}
	}
	if len(c.Archives) == 0 {
		t.Fatal("no archives")
	}
	for _, want := range []string{"README.md", "LICENSE", "completions/*", "manpages/*"} {
		if !slices.Contains(c.Archives[0].Files, want) {
			t.Errorf("archives.files lacks %s", want)
		}
	}
	if c.Checksum.NameTemplate != "checksums.txt" {
		t.Errorf("checksum.name_template %q, want checksums.txt", c.Checksum.NameTemplate)
	}
	if len(c.Nfpms) != 1 {
		t.Fatalf("%d nfpms, want 1", len(c.Nfpms))
	}
	n := c.Nfpms[0]
	slices.Sort(n.Formats)
	if !slices.Equal(n.Formats, []string{"apk", "deb", "rpm"}) || n.Bindir != "/usr/bin" || n.License != "Apache-2.0" {
		t.Errorf("nfpms formats %v bindir %q license %q, want apk, deb, rpm in /usr/bin, Apache-2.0", n.Formats, n.Bindir, n.License)
	}
	installs := map[string]string{}
	for _, f := range n.Contents {
		installs[f.Dst] = f.Src
	}
	for dst, src := range map[string]string{
		"/usr/share/man/man1/":                            "manpages/*.1",
		"/usr/share/bash-completion/completions/updoc":    "completions/updoc.bash",
		"/usr/share/zsh/vendor-completions/_updoc":        "completions/updoc.zsh",
		"/usr/share/fish/vendor_completions.d/updoc.fish": "completions/updoc.fish",
	} {
		if installs[dst] != src {
			t.Errorf("nfpms contents install %q at %s, want %s", installs[dst], dst, src)
		}
	}
	if c.Release.Disable != "true" && (c.Release.GitHub.Owner == "" || c.Release.GitHub.Name == "") {
		t.Error("release: neither disabled nor a named target: goreleaser would read the git remote, which a clone may not have")
	}
}

// `goreleaser check` accepts goreleaser.yaml in a git repository with no
// remote (issue 13: it failed with "scm releases: no remote configured to
// list refs from"). .ci/run builds goreleaser once (scripts/goreleaser.sh
// --path) and names it in UPDOC_GORELEASER.
func TestGoreleaserCheckWithoutRemote(t *testing.T) {
	bin := os.Getenv("UPDOC_GORELEASER")
	if bin == "" {
		t.Skip("goreleaser is not installed: set UPDOC_GORELEASER=$(scripts/goreleaser.sh --path), as .ci/run does")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	for _, f := range []string{"goreleaser.yaml", "go.mod", "LICENSE", "README.md"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(readRepoFile(t, f)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=updoc test", "-c", "user.email=test@localhost", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "release files")
	out, err := exec.Command("git", "-C", dir, "remote").Output()
	if err != nil || len(strings.TrimSpace(string(out))) != 0 {
		t.Fatalf("the test repository has a remote (%q) or git failed: %v", out, err)
	}
	check := exec.Command(bin, "check", "-f", "goreleaser.yaml")
	check.Dir = dir
	check.Env = append(os.Environ(), "GITHUB_TOKEN=", "GITLAB_TOKEN=", "GITEA_TOKEN=")
	if out, err := check.CombinedOutput(); err != nil {
		t.Fatalf("goreleaser check in a clone with no remote: %v\n%s", err, out)
	}
}
