package cli

import (
	"fmt"
	"io"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/report"
)

// writeNotProbed names, under the table, each dependency that --only or
// --tags left out, so that a healthy selection is not read as a healthy
// chain: "frontend depends on api — not probed; add --with-deps".
func writeNotProbed(w io.Writer, missing []report.NotProbed) error {
	if len(missing) == 0 {
		return nil
	}
	if _, err := fmt.Fprintln(w); err != nil {
		return err
	}
	for _, m := range missing {
		if _, err := fmt.Fprintf(w, "%s %s on %s — not probed; add --with-deps\n",
			textfmt.ListSome(m.NeededBy, 3), textfmt.Noun(len(m.NeededBy), "depends", "depend"), m.Upstream); err != nil {
			return err
		}
	}
	return nil
}
