package diagnose

import (
	"context"
	"testing"
)

// acrossCores calls fn on ranges that cover [0, n) once each, whatever
// the number of goroutines.
func TestAcrossCoresCoversEachIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, perCoreChunk - 1, perCoreChunk, perCoreChunk + 1, 7*perCoreChunk + 3} {
		for _, workers := range []int{0, 1, 2, 3, 16} {
			seen := make([]int, n)
			_ = acrossCores(context.Background(), n, workers, func(from, to int) {
				for i := from; i < to; i++ {
					seen[i]++ // each index is this call's own
				}
			})
			for i, c := range seen {
				if c != 1 {
					t.Fatalf("n=%d, %d workers: index %d called %d times", n, workers, i, c)
				}
			}
		}
	}
}
