package diagnose

import (
	"context"
	"runtime"
	"sync"
)

// perCoreChunk is how many upstreams one goroutine takes at a time in
// acrossCores: enough that handing out a chunk costs nothing next to
// judging it.
const perCoreChunk = 256

// acrossCores calls fn for consecutive ranges [from, to) that together
// cover [0, n) once each, on up to workers goroutines (GOMAXPROCS when
// workers < 1) — for per-upstream steps that read only their own subject
// and write only their own index. With a single chunk or a single core
// it runs them in order on this goroutine. It returns when every call has;
// once ctx ends no further chunk starts, and it returns ctx's error.
func acrossCores(ctx context.Context, n, workers int, fn func(from, to int)) error {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := (n + perCoreChunk - 1) / perCoreChunk
	workers = min(workers, chunks)
	if workers <= 1 {
		for c := range chunks {
			if err := ctx.Err(); err != nil {
				return err
			}
			fn(c*perCoreChunk, min((c+1)*perCoreChunk, n))
		}
		return ctx.Err()
	}
	next := make(chan int, chunks)
	for c := range chunks {
		next <- c
	}
	close(next)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for c := range next {
				if ctx.Err() != nil {
					return
				}
				fn(c*perCoreChunk, min((c+1)*perCoreChunk, n))
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}
