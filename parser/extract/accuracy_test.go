package extract

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scs-project/scs/corpus"
)

// accuracyCase is a PDF or DOCX with the text it should yield.
type accuracyCase struct {
	name, file, ref string
}

// accuracyCases lists the shared made corpus (each file with its
// .ref.txt; "-cairo" rewrites share their original's) and our own
// fixtures in testdata (each with its .ref.txt or .txt source).
func accuracyCases(t *testing.T) []accuracyCase {
	t.Helper()
	var cases []accuracyCase
	own, _ := filepath.Glob("testdata/*.pdf")
	docx, _ := filepath.Glob("testdata/*.docx")
	own = append(own, docx...)
	for _, f := range own {
		base := strings.TrimSuffix(f, filepath.Ext(f))
		base = strings.TrimSuffix(base, "-cairo")
		for _, ref := range []string{base + ".ref.txt", base + ".txt"} {
			if _, err := os.Stat(ref); err == nil {
				cases = append(cases, accuracyCase{"own/" + filepath.Base(f), f, ref})
				break
			}
		}
	}
	shared := sharedDir(t)
	made, _ := filepath.Glob(filepath.Join(shared, "corpus/made/*"))
	for _, f := range made {
		ext := filepath.Ext(f)
		if ext != ".pdf" && ext != ".docx" {
			continue
		}
		base := strings.TrimSuffix(strings.TrimSuffix(f, ext), "-cairo")
		cases = append(cases, accuracyCase{"made/" + filepath.Base(f), f, base + ".ref.txt"})
	}
	return cases
}

// pdftotextRaw is the baseline: poppler's stream-order output as people
// use it, without our clean-up.
func pdftotextRaw(t testing.TB, path string) (string, bool) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", false
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-enc", "UTF-8", "-raw", "-q", path, "-").Output()
	if err != nil {
		t.Logf("pdftotext %s: %v", path, err)
		return "", true
	}
	return string(out), true
}

// Every made PDF and DOCX, ours and the shared ones, must come out with a
// character accuracy of at least 0.995 against its reference text, its
// paragraphs rebuilt (95 % of the reference's lines found whole), and at
// least as good as raw pdftotext (the baseline, scored in the same run
// when installed; CI installs it).
func TestExtractionAccuracy(t *testing.T) {
	for _, c := range accuracyCases(t) {
		t.Run(c.name, func(t *testing.T) {
			d, err := extractFile(t, c.file)
			if err != nil {
				t.Fatalf("Extract error: %v", err)
			}
			ref := string(readFile(t, c.ref))
			acc, para := charAccuracy(d.Text, ref), lineAgreement(d.Text, ref)
			line := ""
			base := -1.0
			if strings.HasSuffix(c.file, ".pdf") {
				if raw, ok := pdftotextRaw(t, c.file); ok {
					base = charAccuracy(raw, ref)
					line = " | pdftotext -raw %.4f"
				}
			}
			if line != "" {
				t.Logf("%-55s ours %.4f (paragraphs %.3f, %s, quality %.3f)"+line, c.name, acc, para, d.Extractor, d.Quality, base)
			} else {
				t.Logf("%-55s ours %.4f (paragraphs %.3f, %s, quality %.3f)", c.name, acc, para, d.Extractor, d.Quality)
			}
			if acc < 0.995 {
				t.Errorf("character accuracy = %.4f, want >= 0.995", acc)
			}
			if para < 0.95 {
				t.Errorf("paragraph agreement = %.3f, want >= 0.95 (lines of the reference found as whole lines)", para)
			}
			if base >= 0 && acc+1e-9 < base {
				t.Errorf("character accuracy %.4f below the pdftotext -raw baseline %.4f", acc, base)
			}
			if len(d.Flags) != 0 {
				t.Errorf("Flags = %v, want none", d.Flags)
			}
		})
	}
}

// The files ledongthuc cannot read (a Type 3 font, a non-embedded font
// with the UniGB-UTF16-H CMap) come from the fallback, which says so.
func TestSharedPDFFallback(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils): no fallback to test")
	}
	shared := sharedDir(t)
	for _, name := range []string{"011-samr-chromium-type3.pdf", "004-spc-xianzhi-gaoxiaofei-utf16.pdf"} {
		t.Run(name, func(t *testing.T) {
			d, err := extractFile(t, filepath.Join(shared, "corpus/made", name))
			if err != nil {
				t.Fatalf("Extract error: %v", err)
			}
			if d.Extractor != "pdf/pdftotext" || d.Quality < goodQuality {
				t.Errorf("Extractor, Quality = %q, %.3f; want pdf/pdftotext, >= %.2f", d.Extractor, d.Quality, goodQuality)
			}
		})
	}
}

// Without a fallback, PDFs whose fonts ledongthuc cannot map must fail
// with flags, never pass garbage on.
func TestSharedPDFUnusableTextLayer(t *testing.T) {
	shared := sharedDir(t)
	for _, name := range []string{"011-samr-chromium-type3.pdf", "004-spc-xianzhi-gaoxiaofei-utf16.pdf"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(shared, "corpus/made", name)
			d := &corpus.Document{Source: path, Raw: readFile(t, path)}
			err := New(Config{PDFToText: "off", Tesseract: "off"}).Extract(t.Context(), d)
			if err == nil {
				t.Fatalf("Extract succeeded with quality %.2f; want an unusable-text-layer error. Text: %.200s", d.Quality, d.Text)
			}
			if !strings.Contains(err.Error(), "text layer unusable") || !strings.Contains(err.Error(), name) {
				t.Errorf("error = %q; want it to name the file and say the text layer is unusable", err)
			}
			if d.Text != "" {
				t.Errorf("Text = %.100q; want empty on failure", d.Text)
			}
			for _, f := range []string{corpus.FlagLowQuality, corpus.FlagUnmappedFont} {
				if !hasFlag(d.Flags, f) {
					t.Errorf("Flags = %v; want %s", d.Flags, f)
				}
			}
		})
	}
}
