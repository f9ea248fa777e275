package textfmt

import (
	"fmt"
	"strings"
)

// ListSome joins the first max items with ", " and says how many more
// there are: "svc000, svc001, svc002, … and 497 more". max < 1 is 1.
func ListSome(items []string, max int) string {
	max = maxInt(max, 1)
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s, … and %d more", strings.Join(items[:max], ", "), len(items)-max)
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}
