package cli

import (
	"strconv"
	"strings"
)

// someNames lists names briefly: all of them when there are at most max,
// else the first max and how many more: "svc000, svc001, svc002, … +497".
func someNames(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + ", … +" + strconv.Itoa(len(names)-max)
}
