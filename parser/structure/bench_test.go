package structure

import "testing"

// BenchmarkStructure parses the real corpus (texts stripped before the
// timed loop) and reports MB/s and clauses/s.
func BenchmarkStructure(b *testing.B) {
	docs := loadReal(b)
	size := 0
	for _, d := range docs {
		size += len(d.text)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	clauses := 0
	for b.Loop() {
		for _, d := range docs {
			clauses += len(Parse("doc", d.text, d.title))
		}
	}
	b.ReportMetric(float64(clauses)/b.Elapsed().Seconds(), "clauses/s")
}
