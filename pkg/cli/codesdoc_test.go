package cli

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
)

const codesDoc = "../../docs/codes.md"

// codesMarkdown is docs/codes.md: the cause catalogue as `updoc explain`
// prints it, one section per code.
func codesMarkdown(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("# Cause codes\n\n")
	b.WriteString("Every finding updoc reports has one of these codes. This file is generated from the cause\n")
	b.WriteString("catalogue (`pkg/catalog`) by `go test ./pkg/cli -run TestCodesDoc -update`, and a test fails\n")
	b.WriteString("when it is stale: do not edit it by hand. `updoc explain` lists the codes and\n")
	b.WriteString("`updoc explain CODE` prints the same entry as below. The JSON report's keys are in [json.md](json.md).\n\n")
	b.WriteString("| code | layer | default severity | title |\n|---|---|---|---|\n")
	for _, e := range catalog.All() {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s |\n", e.Code, strings.ReplaceAll(e.Code, ".", ""),
			e.LayerText(), e.Severity, strings.ReplaceAll(e.Title, "|", `\|`))
	}
	for _, e := range catalog.All() {
		var entry bytes.Buffer
		if err := explainCode(&entry, e.Code); err != nil {
			t.Fatalf("explain %s: %v", e.Code, err)
		}
		fmt.Fprintf(&b, "\n## %s\n\n```text\n$ updoc explain %s\n%s```\n", e.Code, e.Code, entry.String())
	}
	return b.Bytes()
}

// docs/codes.md is current: regenerate it with -update after a change to
// the catalogue or to `updoc explain`.
func TestCodesDocIsCurrent(t *testing.T) {
	want := codesMarkdown(t)
	if *update {
		if err := os.WriteFile(codesDoc, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(codesDoc)
	if err != nil {
		t.Fatalf("read %s: %v (generate it: go test ./pkg/cli -run TestCodesDoc -update)", codesDoc, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: regenerate it with go test ./pkg/cli -run TestCodesDoc -update", codesDoc)
	}
	for _, code := range catalog.Codes() {
		if !bytes.Contains(got, []byte("\n## "+code+"\n")) {
			t.Errorf("%s has no section for %s", codesDoc, code)
		}
	}
}
