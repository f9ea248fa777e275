package report

import (
	"bytes"
	"strings"
)

// The recap ends a table that is taller than the terminal it is written
// to, as pytest ends with its "short test summary info": under a rule, the
// headline and the ROOT CAUSES list again (packed as at the top), so that
// when the run ends the screen shows what is wrong and not only the last
// remediation steps. A pipe or a file (Height 0) never gets one: there the
// headline and the root causes are the first lines already.

// recapTitle is the rule's label.
const recapTitle = "SUMMARY"

// recap writes the recap when the table so far is taller than o.Height.
func (p *printer) recap(r *Report) {
	if p.o.Height <= 0 || bytes.Count(p.buf.Bytes(), []byte("\n")) <= p.o.Height {
		return
	}
	p.blank()
	p.line(p.style(recapRule(p.width), ansiDim))
	p.header(r)
	p.rootCauseList(r)
}

// recapRule is "── SUMMARY ───…" across width columns.
func recapRule(width int) string {
	head := "── " + recapTitle + " "
	return head + strings.Repeat("─", max(2, width-len([]rune(head))))
}
