package cli

import (
	"fmt"
	"strings"
)

// listSome joins the first max names and says how many more there are:
// "svc000, svc001, svc002, … and 497 more".
func listSome(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s, … and %d more", strings.Join(names[:max], ", "), len(names)-max)
}
