package release

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// root is the repository's root, seen from this package's directory.
var root = filepath.Join("..", "..")

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The LICENSE is the whole Apache License 2.0, with the copyright line of its
// appendix naming the updoc authors, and the README names it.
func TestLicense(t *testing.T) {
	license := readRepoFile(t, "LICENSE")
	for _, want := range []string{
		"Apache License\n                           Version 2.0, January 2004",
		"TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
		"9. Accepting Warranty or Additional Liability.",
		"END OF TERMS AND CONDITIONS",
		"Copyright 2026 The updoc authors",
		`Licensed under the Apache License, Version 2.0 (the "License");`,
	} {
		if !strings.Contains(license, want) {
			t.Errorf("LICENSE lacks %q", want)
		}
	}
	if strings.Contains(license, "[name of copyright owner]") {
		t.Error("LICENSE still has the appendix's placeholder [name of copyright owner]")
	}
	if n := strings.Count(license, "\n"); n < 200 {
		t.Errorf("LICENSE has %d lines; the Apache License 2.0 has 202", n)
	}
}

// The README names every file a user or packager looks for.
func TestReadmeNamesReleaseFiles(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	for _, want := range []string{"LICENSE", "Apache-2.0", "docs/ci.md", "scripts/release-check.sh"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md does not name %s", want)
		}
	}
}
