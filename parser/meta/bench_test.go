package meta

import (
	"github.com/scs-project/scs/internal/testshared"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkMeta runs Extract over the real corpus (texts stripped before
// the timed loop).
func BenchmarkMeta(b *testing.B) {
	dir := filepath.Join(testshared.Dir(b), "corpus", "real")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	type doc struct {
		text string
		pm   map[string]string
	}
	var docs []doc
	size := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		d := doc{testshared.StripMarkdown(string(raw)), frontMatter(b, string(raw))}
		docs = append(docs, d)
		size += len(d.text)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			Extract(d.text, d.pm)
		}
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
