package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// README.md links only to files of the repository, and they exist: a clone
// has nothing outside it (no ../shared/SPEC.md) and may be read offline.
func TestReadmeLinksStayInTheRepository(t *testing.T) {
	const root = "../.."
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	// Prose only: fenced blocks hold example graphs and commands, whose
	// URLs are examples, not links.
	var prose []string
	fenced := false
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if !fenced {
			prose = append(prose, line)
		}
	}
	text := strings.Join(prose, "\n")
	links := regexp.MustCompile(`(?m)\]\(([^)\s]+)\)|^\[[^\]]+\]:\s*(\S+)|<a\s+href="([^"]+)"`).FindAllStringSubmatch(text, -1)
	if len(links) == 0 {
		t.Fatal("no links found in README.md: the pattern is broken")
	}
	for _, m := range links {
		target := m[1] + m[2] + m[3]
		path, _, _ := strings.Cut(target, "#")
		switch {
		case regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`).MatchString(target):
			t.Errorf("README.md links outside the repository: %s", target)
		case path == "":
			// an anchor in README.md itself
		case strings.HasPrefix(path, "/") || strings.Contains(path, ".."):
			t.Errorf("README.md links to %s, outside the repository or not relative to it", target)
		default:
			if _, err := os.Stat(filepath.Join(root, path)); err != nil {
				t.Errorf("README.md links to %s, which does not exist in the repository", target)
			}
		}
	}
	// A path outside the repository named in prose, linked or not.
	for _, outside := range []string{"../", "SPEC.md"} {
		if strings.Contains(text, outside) {
			t.Errorf("README.md names %q, which a clone does not have", outside)
		}
	}
}
