package extract

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

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

// BenchmarkPDFPages measures PDF extraction in pages/s and MB/s, per
// extractor and for the whole stage (chain and clean-up), against running
// pdftotext -raw on the same files in the same run (the baseline; skipped
// when poppler is not installed).
func BenchmarkPDFPages(b *testing.B) {
	patterns := []string{"testdata/regulation.pdf", "testdata/notice.pdf", "testdata/gazette-2col.pdf", "testdata/memorandum*.pdf"}
	if dir, err := os.Getwd(); err == nil {
		if s := filepath.Join(dir, "..", "..", "..", "shared"); dirExists(s) {
			patterns = append(patterns, filepath.Join(s, "corpus/made/*.pdf"))
		}
	}
	docs := benchFiles(b, patterns...)
	var size int64
	pages := 0
	for _, d := range docs {
		size += int64(len(d.raw))
		_, n, _ := pdftotextPDF{path: "pdftotext", timeout: time.Minute}.Pages(b.Context(), d.raw)
		if n == 0 {
			_, n, _ = ledongthucPDF{maxPages: 2000}.Pages(b.Context(), d.raw)
		}
		pages += n
	}
	run := func(b *testing.B, f func(raw []byte, source string)) {
		b.SetBytes(size)
		for b.Loop() {
			for _, d := range docs {
				f(d.raw, d.source)
			}
		}
		b.ReportMetric(float64(b.N*pages)/b.Elapsed().Seconds(), "pages/s")
	}
	x := New(Config{})
	b.Run("stage", func(b *testing.B) {
		run(b, func(raw []byte, source string) {
			_ = x.Extract(b.Context(), &corpus.Document{Source: source, Raw: raw})
		})
	})
	b.Run("ledongthuc", func(b *testing.B) {
		run(b, func(raw []byte, _ string) { ledongthucPDF{maxPages: 2000}.Pages(b.Context(), raw) })
	})
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		b.Log("pdftotext not installed: no baseline")
		return
	}
	b.Run("pdftotext-raw", func(b *testing.B) {
		run(b, func(raw []byte, _ string) {
			cmd := exec.CommandContext(b.Context(), bin, "-enc", "UTF-8", "-raw", "-q", "-", "-")
			cmd.Stdin = bytes.NewReader(raw)
			_, _ = cmd.Output()
		})
	})
}
