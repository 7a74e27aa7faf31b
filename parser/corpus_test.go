package parser

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
)

// articleLine matches a line that opens an article (第N条, also 條), as the
// source texts write it, optionally in Markdown bold.
var articleLine = regexp.MustCompile(`(?m)^\s*(?:\*\*)?第[一二三四五六七八九十百千零〇两0-9]+[条條]`)

// countArticles counts distinct article labels at line starts in text.
func countArticles(text string) int {
	seen := map[string]bool{}
	for _, m := range articleLine.FindAllString(text, -1) {
		seen[strings.Trim(strings.TrimSpace(m), "*")] = true
	}
	return len(seen)
}

// TestSharedCorpusThroughAllStages runs every file of ../shared/corpus
// through the whole parser: each yields clauses; the articles found equal
// the articles in the text (for PDFs and DOCX, in their reference text);
// every article clause is tagged by the tag stage (arrays present). The
// PDFs whose fonts ledongthuc/pdf cannot map are read by the pdftotext
// fallback when it is installed (CI installs it); without it they must end
// in a clear error, never in garbage passed on as text.
func TestSharedCorpusThroughAllStages(t *testing.T) {
	root := "../../shared/corpus"
	if _, err := os.Stat(root); err != nil {
		t.Skip("../shared not found: skipping corpus test")
	}
	p, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, g := range []string{"real/*.txt", "real/raw/*.htm", "real/raw/*.jsp", "made/*.pdf", "made/*.docx"} {
		m, _ := filepath.Glob(filepath.Join(root, g))
		files = append(files, m...)
	}
	if len(files) < 35 {
		t.Fatalf("found %d corpus files, want at least 35", len(files))
	}
	// Fonts that ledongthuc/pdf cannot map: the pdftotext fallback reads
	// them when poppler is installed (CI installs it); without it they
	// must fail clearly.
	unmapped := map[string]bool{}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		unmapped = map[string]bool{"004-spc-xianzhi-gaoxiaofei-utf16.pdf": true, "011-samr-chromium-type3.pdf": true}
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			d := &corpus.Document{Source: f, ID: corpus.DocumentID(f), Raw: raw}
			if err := p.Chain().Process(t.Context(), d); err != nil {
				t.Fatal(err)
			}
			if unmapped[name] {
				if d.Err == nil || d.Err.Stage != "extract" || !strings.Contains(d.Err.Msg, "quality") || !strings.Contains(d.Err.Error(), name) {
					t.Errorf("unmapped-font PDF: err %v, text %q…; want a clear extract error naming the file", d.Err, truncateRunes(d.Text, 40))
				}
				return
			}
			if d.Err != nil {
				t.Fatalf("failed: %v", d.Err)
			}
			if len(d.Clauses) == 0 {
				t.Fatalf("no clauses from %d bytes of text", len(d.Text))
			}
			want := -1
			switch ext := filepath.Ext(f); ext {
			case ".txt":
				want = countArticles(string(raw))
			case ".pdf", ".docx":
				base := strings.TrimSuffix(name, ext)
				base = strings.TrimSuffix(base, "-cairo")
				if ref, err := os.ReadFile(filepath.Join(root, "made", base+".ref.txt")); err == nil {
					want = countArticles(string(ref))
				}
			}
			got := map[string]bool{}
			for _, c := range d.Clauses {
				if c.Tags == nil || c.Evidence == nil {
					t.Errorf("clause %s was not tagged", c.Path)
				}
				for _, seg := range strings.Split(c.Path, "/") {
					if articleLine.MatchString(seg) {
						got[seg] = true
					}
				}
			}
			if want >= 0 && len(got) != want {
				t.Errorf("articles found %d, text has %d", len(got), want)
			}
		})
	}
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
