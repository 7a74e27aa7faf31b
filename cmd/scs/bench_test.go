package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkIngest measures the whole batch end to end on the real corpus
// (or the example inbox without ../shared): read, store, every parse stage,
// and the SQLite index, into a fresh data directory each time.
func BenchmarkIngest(b *testing.B) {
	inputs := []string{"../../../shared/corpus/real", "../../../shared/corpus/made"}
	if _, err := os.Stat(inputs[0]); err != nil {
		b.Log("../shared not found: benchmarking the example inbox")
		inputs = []string{"../../examples/inbox"}
	}
	var n, size int64
	for _, in := range inputs {
		filepath.Walk(in, func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.Mode().IsRegular() {
				n++
				size += fi.Size()
			}
			return nil
		})
	}
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	p, err := openPipeline(e, b.TempDir()) // loads the parser once, outside the loop
	if err != nil {
		b.Fatal(err)
	}
	p.Close()
	b.SetBytes(size)
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		b.StartTimer()
		p, err := openPipeline(e, dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.ingest(b.Context(), inputs); err != nil {
			b.Fatal(err)
		}
		p.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
