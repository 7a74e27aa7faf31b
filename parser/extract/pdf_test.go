package extract

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
)

// Our LibreOffice-made regulation (three pages, running header 清河市人民政府
// 公报 and "— N —" footers) must come back exactly as its source text.
func TestPDFFixturesMatchSource(t *testing.T) {
	for _, name := range []string{"regulation", "notice"} {
		t.Run(name, func(t *testing.T) {
			d, err := extractFile(t, "testdata/"+name+".pdf")
			if err != nil {
				t.Fatalf("Extract error: %v", err)
			}
			want := strings.TrimSpace(string(readFile(t, "testdata/"+name+".txt")))
			if d.Text != want {
				t.Errorf("Text differs from %s.txt (accuracy %.4f, lines %.3f):\ngot:\n%s", name, charAccuracy(d.Text, want), lineAgreement(d.Text, want), d.Text)
			}
			if d.Extractor != "pdf/ledongthuc" || d.Quality < 0.99 || len(d.Flags) != 0 {
				t.Errorf("Extractor %q, Quality %.2f, Flags %v", d.Extractor, d.Quality, d.Flags)
			}
		})
	}
}

func TestPDFBrokenFiles(t *testing.T) {
	tests := []struct {
		name, file string
		raw        []byte
	}{
		{"truncated", "testdata/truncated.pdf", nil},
		{"garbage after a pdf header", "testdata/garbage.pdf", nil},
		{"header only", "", []byte("%PDF-1.7\n")},
		{"empty trailer", "", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.raw
			if tt.file != "" {
				raw = readFile(t, tt.file)
			}
			d := &corpus.Document{Source: "broken.pdf", Raw: raw}
			err := New(Config{}).Extract(t.Context(), d)
			if err == nil {
				t.Fatalf("Extract succeeded; want an error. Text: %.100q", d.Text)
			}
			if !strings.Contains(err.Error(), "pdf broken.pdf") {
				t.Errorf("error %q does not say pdf and name the source", err)
			}
			if d.Text != "" {
				t.Errorf("Text = %.80q on failure, want empty", d.Text)
			}
		})
	}
}

func TestPDFPageCap(t *testing.T) {
	d := &corpus.Document{Source: "regulation.pdf", Raw: readFile(t, "testdata/regulation.pdf")}
	if err := New(Config{MaxPages: 1}).Extract(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(d.Text, "第二十条") || !strings.Contains(d.Text, "第一条") {
		t.Errorf("MaxPages=1 read more or less than page 1:\n%s", d.Text)
	}
}

// fakePDF stands in for a backend to test the stage's own judgement.
type fakePDF struct {
	pages []string
	n     int
	err   error
}

func (fakePDF) Name() string { return "pdf/fake" }
func (f fakePDF) Pages(_ context.Context, _ []byte) ([]string, int, error) {
	return f.pages, f.n, f.err
}

func TestPDFJudgement(t *testing.T) {
	tests := []struct {
		name      string
		backend   fakePDF
		wantErr   string
		wantFlags []string
	}{
		{"no pages", fakePDF{n: 0}, "no pages", nil},
		{"pages without text", fakePDF{pages: []string{"", " ", ""}, n: 3}, "scanned", []string{corpus.FlagScanned, corpus.FlagLowQuality}},
		{"replacement characters", fakePDF{pages: []string{strings.Repeat("\uFFFD\uFFFDa", 100)}, n: 1}, "text layer unusable", []string{corpus.FlagLowQuality, corpus.FlagUnmappedFont}},
		{"latin-1 soup", fakePDF{pages: []string{strings.Repeat("mûÎãõ!è,û¡ÇÌÇ", 30)}, n: 1}, "unmapped font", []string{corpus.FlagLowQuality, corpus.FlagUnmappedFont}},
		{"random rare ideographs", fakePDF{pages: []string{strings.Repeat("㐀㐁䶵龘龖鿐鿑鿒鿓鿔", 20)}, n: 1}, "text layer unusable", []string{corpus.FlagLowQuality, corpus.FlagUnmappedFont}},
		{"a handful of ideographs repeated", fakePDF{pages: []string{strings.Repeat("人二二和和三一大", 40)}, n: 1}, "text layer unusable", []string{corpus.FlagLowQuality}},
		{"backend error", fakePDF{err: errors.New("malformed xref")}, "malformed xref", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := New(Config{})
			x.pdf = tt.backend
			d := &corpus.Document{Source: "f.pdf", Raw: []byte("%PDF-1.7\n")}
			err := x.Extract(t.Context(), d)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "f.pdf") {
				t.Fatalf("error = %v; want one naming f.pdf and containing %q", err, tt.wantErr)
			}
			for _, f := range tt.wantFlags {
				if !hasFlag(d.Flags, f) {
					t.Errorf("Flags = %v, want %s", d.Flags, f)
				}
			}
		})
	}
}
