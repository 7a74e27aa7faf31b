package extract

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/scs-project/scs/corpus"
)

type benchDoc struct {
	source string
	raw    []byte
}

func benchFiles(b *testing.B, patterns ...string) []benchDoc {
	b.Helper()
	var docs []benchDoc
	for _, p := range patterns {
		files, _ := filepath.Glob(p)
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			docs = append(docs, benchDoc{source: f, raw: raw})
		}
	}
	return docs
}

// BenchmarkExtract measures each format over the fixtures and, when
// present, the shared corpus. Documents that fail (the unusable PDFs) are
// still timed: rejecting them is part of the work.
func BenchmarkExtract(b *testing.B) {
	shared := ""
	if dir, err := os.Getwd(); err == nil {
		if s := filepath.Join(dir, "..", "..", "..", "shared"); dirExists(s) {
			shared = s
		}
	}
	sets := []struct {
		name     string
		patterns []string
	}{
		{"html", []string{"testdata/*.html", filepath.Join(shared, "corpus/real/raw/10*")}},
		{"pdf", []string{"testdata/regulation.pdf", "testdata/notice.pdf", filepath.Join(shared, "corpus/made/*.pdf")}},
		{"docx", []string{filepath.Join(shared, "corpus/made/*.docx")}},
		{"text", []string{"testdata/*.txt", filepath.Join(shared, "corpus/real/*.txt")}},
	}
	x := New(Config{})
	for _, set := range sets {
		b.Run(set.name, func(b *testing.B) {
			docs := benchFiles(b, set.patterns...)
			if set.name == "docx" {
				docs = append(docs, benchDoc{source: "gen.docx", raw: makeZip(b, "word/document.xml", docxBody)})
			}
			if len(docs) == 0 {
				b.Skip("no documents")
			}
			var size int64
			for _, d := range docs {
				size += int64(len(d.raw))
			}
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, bd := range docs {
					d := &corpus.Document{Source: bd.source, Raw: bd.raw}
					_ = x.Extract(b.Context(), d)
				}
			}
			b.ReportMetric(float64(b.N*len(docs))/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
