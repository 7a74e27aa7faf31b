package parser

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser/segment"
)

// benchFiles returns the real corpus beside the project (texts, pages,
// PDFs and DOCX), or the example inbox when ../shared is absent.
func benchFiles(tb testing.TB) []*corpus.Document {
	tb.Helper()
	var paths []string
	for _, g := range []string{"../../shared/corpus/real/*.txt", "../../shared/corpus/real/raw/*.htm",
		"../../shared/corpus/real/raw/*.jsp", "../../shared/corpus/made/*.pdf", "../../shared/corpus/made/*.docx"} {
		m, _ := filepath.Glob(g)
		paths = append(paths, m...)
	}
	if len(paths) == 0 {
		tb.Log("../shared not found: benchmarking the example inbox")
		paths, _ = filepath.Glob("../examples/inbox/*")
	}
	var docs []*corpus.Document
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		docs = append(docs, &corpus.Document{Source: p, ID: corpus.DocumentID(p), Raw: raw})
	}
	return docs
}

// BenchmarkPipeline measures every parse stage end to end on the real
// corpus, and raw gse segmentation of the same extracted text as the
// baseline in the same run: all-stages MB/s divided by gse-raw MB/s is the
// cost of the pipeline relative to segmentation alone.
func BenchmarkPipeline(b *testing.B) {
	p, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	docs := benchFiles(b)
	var rawBytes, textBytes int64
	var texts []string
	for _, d := range docs {
		rawBytes += int64(len(d.Raw))
		c := *d
		if err := p.Chain()[0].Process(b.Context(), &c); err == nil {
			texts = append(texts, c.Text)
			textBytes += int64(len(c.Text))
		}
	}
	seg, err := segment.Default()
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, stages corpus.Chain, n int64) {
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			for _, d := range docs {
				c := &corpus.Document{Source: d.Source, ID: d.ID, Raw: d.Raw}
				stages.Process(b.Context(), c)
			}
		}
		b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	}
	b.Run("gse-raw", func(b *testing.B) {
		b.SetBytes(textBytes)
		for b.Loop() {
			for _, t := range texts {
				seg.Gse().Cut(t)
			}
		}
		b.ReportMetric(float64(len(texts))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	})
	b.Run("extract", func(b *testing.B) { run(b, p.Chain()[:1], rawBytes) })
	b.Run("extract+meta+structure", func(b *testing.B) { run(b, p.Chain()[:3], rawBytes) })
	b.Run("all-stages", func(b *testing.B) { run(b, p.Chain(), rawBytes) })
}
