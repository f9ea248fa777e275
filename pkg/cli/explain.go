package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/internal/suggest"
	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
)

// ExplainOptions are the inputs of `updoc explain`.
type ExplainOptions struct {
	*Factory
	Code string // "" lists every code
}

func newExplainCmd(f *Factory, runF func(context.Context, *ExplainOptions) error) *cobra.Command {
	opts := &ExplainOptions{Factory: f}
	if runF == nil {
		runF = runExplain
	}
	cmd := &cobra.Command{
		Use:   "explain [CODE]",
		Short: "Explain a cause code: what it means, typical evidence, what to do",
		Long: `Print the cause catalogue entry for CODE (title, meaning, typical evidence and
remediation steps). Without CODE, list every code.`,
		Example: `  updoc explain
  updoc explain tls.cert_expired`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return catalog.Codes(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				opts.Code = args[0]
			}
			return runF(cmd.Context(), opts)
		},
	}
	return cmd
}

func runExplain(_ context.Context, opts *ExplainOptions) error {
	if opts.Code == "" {
		return listCodes(opts.IO.Out)
	}
	return explainCode(opts.IO.Out, opts.Code)
}

func listCodes(w io.Writer) error {
	return writeCodes(w, catalog.All(), "Run 'updoc explain CODE' for the meaning, evidence and remediation of one code.")
}

// writeCodes lists entries as a table of code, layer, severity and title,
// then the line after.
func writeCodes(w io.Writer, entries []catalog.Entry, after string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tLAYER\tSEVERITY\tTITLE")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Code, e.LayerText(), e.Severity, e.Title)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\n"+after)
	return err
}

// family returns the entries whose code begins with name + "." (name a
// family such as "tls"), in catalogue order.
func family(name string) []catalog.Entry {
	var out []catalog.Entry
	for _, e := range catalog.All() {
		if strings.HasPrefix(e.Code, name+".") {
			out = append(out, e)
		}
	}
	return out
}

func explainCode(w io.Writer, code string) error {
	code = strings.ToLower(strings.TrimSpace(code))
	e, ok := catalog.Lookup(code)
	if fam := family(code); !ok && len(fam) > 0 {
		// "explain tls": the codes of the family.
		return writeCodes(w, fam, "Run 'updoc explain "+fam[0].Code+"' (or another code above) for the meaning, evidence and remediation of one code.")
	}
	if !ok {
		return invalid(unknownCode(code))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n", e.Code, e.Title)
	fmt.Fprintf(&b, "layer: %s   default severity: %s\n\n", e.LayerText(), e.Severity)
	fmt.Fprintf(&b, "What it means\n%s\n\n", wrap(e.Meaning, "  ", 80))
	b.WriteString("Typical evidence\n")
	for _, ev := range e.Evidence {
		fmt.Fprintf(&b, "  - %s\n", ev)
	}
	b.WriteString("\nWhat to do\n")
	// Generic placeholders (HOST, UPSTREAM, …), except where a step names a
	// graph key with a default: the default is what a newcomer needs.
	vars := catalog.Vars{CertMinDays: strconv.Itoa(graph.DefaultCertMinDays) + " by default"}
	for i, step := range e.Steps(vars) {
		fmt.Fprintf(&b, "  %d. %s\n", i+1, step)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// unknownCode says that code is no cause code, with the codes it likely
// means and where to find the others.
func unknownCode(code string) error {
	msg := fmt.Sprintf("unknown cause code %q", code)
	if typo := suggest.Closest(code, catalog.Codes()); typo != "" {
		msg += " (did you mean " + typo + "?)"
	} else if near := suggest.Nearest(code, catalog.Codes(), 3); len(near) > 0 {
		msg += " (nearest: " + strings.Join(near, ", ") + ")"
	}
	hint := "Run 'updoc explain' for every code with its title."
	famName, _, _ := strings.Cut(code, ".")
	if fam := family(famName); len(fam) > 0 {
		codes := make([]string, len(fam))
		for i, e := range fam {
			codes[i] = e.Code
		}
		hint = "The " + famName + " codes: " + strings.Join(codes, ", ") + ".\n" + hint
	}
	return withHint(errors.New(msg), hint)
}

// wrap folds s into lines of at most width display columns (words longer
// than that stand alone, whole), each starting with prefix.
func wrap(s, prefix string, width int) string {
	lines := textfmt.WrapHanging(textfmt.OneLine(s), width, prefix, prefix, textfmt.KeepLongWords)
	return strings.Join(lines, "\n")
}
