// Command manpages writes updoc's man pages (section 1) into the directory
// given as its argument; scripts/manpages.sh runs it (a goreleaser before hook).
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra/doc"

	"github.com/updoc/updoc/pkg/cli"
	"github.com/updoc/updoc/pkg/iostreams"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./scripts/manpages DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "manpages: %v\n", err)
		os.Exit(1)
	}
	root := cli.NewRootCmd(iostreams.System(), os.LookupEnv)
	root.DisableAutoGenTag = true
	// No Title: cobra titles each page with its own command path
	// (UPDOC\-CHECK for `updoc check`), as man(1) shows it in the header.
	header := &doc.GenManHeader{Section: "1", Source: "updoc"}
	if err := doc.GenManTree(root, header, dir); err != nil {
		fmt.Fprintf(os.Stderr, "manpages: write to %s: %v\n", dir, err)
		os.Exit(1)
	}
}
