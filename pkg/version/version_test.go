package version

import "testing"

// Get is computed once per process: later calls allocate nothing and give
// what the first computed.
func TestGetOnce(t *testing.T) {
	first := Get()
	if first != read() {
		t.Errorf("Get() = %+v, want %+v", first, read())
	}
	if n := testing.AllocsPerRun(100, func() { _ = Get() }); n != 0 {
		t.Errorf("Get allocates %v times per call, want 0", n)
	}
	if Get() != first {
		t.Errorf("Get() changed: %+v, then %+v", first, Get())
	}
}

// BenchmarkGet is the cost of the User-Agent's build info per request.
func BenchmarkGet(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Get()
	}
}

// BenchmarkRead is what every call of Get cost before it was computed once.
func BenchmarkRead(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = read()
	}
}
