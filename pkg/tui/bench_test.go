package tui

import "testing"

// BenchmarkView10 is the baseline of BenchmarkView1000: the same main view
// with 10 upstreams. Their ratio shows what the list's length costs.
func BenchmarkView10(b *testing.B) { benchView(b, 10) }

// BenchmarkView1000 renders the main view of 1,000 upstreams, with 20
// rounds of sparkline history, at 120×40.
func BenchmarkView1000(b *testing.B) { benchView(b, 1000) }

func benchView(b *testing.B, n int) {
	m := newTestModel(b, 120, 40)
	for range historyLen {
		feed(b, m, bigReport(n))
	}
	press(m, "pgdown") // a page in, so the cursor row is in the middle
	if p := frameProblems(m.View(), 120, 40); len(p) > 0 {
		b.Fatal(p)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkDetailView renders the detail pane of a rich upstream at 120×40.
func BenchmarkDetailView(b *testing.B) {
	m := newTestModel(b, 120, 40)
	for round := 1; round <= 6; round++ {
		feed(b, m, mixedReport(round))
	}
	press(m, "enter")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkRound1000 takes in a new report of 1,000 upstreams (history,
// changes, sorting, filtering).
func BenchmarkRound1000(b *testing.B) {
	m := newTestModel(b, 120, 40)
	r := bigReport(1000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		feed(b, m, r)
	}
}
