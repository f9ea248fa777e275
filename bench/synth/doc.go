// Package synth makes the inputs of updoc's benchmarks: graph files of N
// upstreams (flat, or a dependency chain) and the probe results a run of
// such a graph would produce, without probing. The Go benchmarks of the
// pure parts (graph.Load, diagnosis, rendering) and the loopback harness
// (bench/cmd/updoc-bench) share it, so both measure the same shapes.
package synth
