package report

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/textfmt"
)

// fitNames gives the line the drop-one-name-at-a-time loop it replaced
// gave (kept here as the reference), for names of every width — wide,
// combining and empty ones included — and every width of the table.
func TestFitNamesAsDroppingOneAtATime(t *testing.T) {
	ref := func(head string, names []string, width int) string {
		line := head + strings.Join(names, ", ")
		for keep := len(names) - 1; keep >= 1 && textfmt.Width(line) > width; keep-- {
			line = head + strings.Join(names[:keep], ", ") + ", … +" + strconv.Itoa(len(names)-keep)
		}
		return line
	}
	parts := []string{"a", "svc", "api-gateway", "数据库", "e\u0301", "\u0301x", "", "u00042", "🙂"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		names := make([]string, 1+r.IntN(40))
		for i := range names {
			names[i] = parts[r.IntN(len(parts))] + parts[r.IntN(len(parts))]
		}
		head := strconv.Itoa(len(names)) + " upstreams healthy: "
		width := r.IntN(120) - 5
		if got, want := fitNames(head, names, width), ref(head, names, width); got != want {
			t.Fatalf("fitNames(%q, width %d) = %q\nwant %q", names, width, got, want)
		}
	}
}

// The line of 10,000 healthy upstreams is made by joining a few names a
// few times, not all of them once per name dropped.
func TestFitNamesOfManyAllocatesLittle(t *testing.T) {
	names := make([]string, 10000)
	for i := range names {
		names[i] = "u" + strconv.Itoa(100000+i)
	}
	var line string
	allocs := testing.AllocsPerRun(3, func() { line = fitNames("10,000 upstreams healthy: ", names, 120) })
	if !strings.HasSuffix(line, ", … +9991") || textfmt.Width(line) > 120 {
		t.Errorf("line %q", line)
	}
	if allocs > 100 {
		t.Errorf("fitNames of 10,000 names: %.0f allocations; want at most 100", allocs)
	}
}
