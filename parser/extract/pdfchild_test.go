package extract

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scs-project/scs/corpus"
)

// TestMain lets the test binary stand in for scs as the PDF child process
// (and for children that misbehave on purpose), so the tests run real
// processes with real limits.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "__pdf-child":
			if err := ServePDFChild(os.Stdin, os.Stdout, os.Getenv); err != nil {
				os.Exit(1)
			}
			os.Exit(0)
		case "__hang-child":
			select {}
		case "__alloc-child":
			applyChildLimits(os.Getenv)
			var keep [][]byte
			for {
				keep = append(keep, make([]byte, 64<<20))
				for i := range keep[len(keep)-1] {
					keep[len(keep)-1][i] = 1
				}
			}
		}
	}
	os.Exit(m.Run())
}

func childConfig(verb string, timeout time.Duration) ChildConfig {
	return ChildConfig{Command: []string{os.Args[0], verb}, Timeout: timeout, MemoryBytes: 512 << 20}
}

func TestPDFChildMatchesInProcess(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.pdf")
	if len(files) == 0 {
		t.Fatal("no PDF fixtures in testdata")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			in := &corpus.Document{Source: f, Raw: raw}
			inErr := New(Config{}).Extract(t.Context(), in)
			ch := &corpus.Document{Source: f, Raw: raw}
			chErr := New(Config{Child: childConfig("__pdf-child", time.Minute)}).Extract(t.Context(), ch)
			if (inErr == nil) != (chErr == nil) || in.Text != ch.Text || in.Extractor != ch.Extractor {
				t.Errorf("child: err %v, %d bytes; in-process: err %v, %d bytes; want the same", chErr, len(ch.Text), inErr, len(in.Text))
			}
			if strings.HasPrefix(filepath.Base(f), "regulation") && (chErr != nil || !strings.Contains(ch.Text, "第一条")) {
				t.Errorf("child did not extract the regulation: err %v, text %q", chErr, ch.Text)
			}
		})
	}
}

func TestPDFChildLimits(t *testing.T) {
	raw, err := os.ReadFile("testdata/regulation.pdf")
	if err != nil {
		t.Fatal(err)
	}
	// The allocating child gets a long timeout: it must end by its memory
	// limit, however slowly a loaded machine lets it get there.
	tests := []struct {
		name, verb string
		timeout    time.Duration
		want       string
	}{
		{"a child that never finishes is given up on", "__hang-child", time.Second, "gave up after 1s"},
		{"a child that eats memory is stopped by its limit", "__alloc-child", time.Minute, "memory limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &corpus.Document{Source: "hostile.pdf", Raw: raw}
			err := New(Config{Child: childConfig(tt.verb, tt.timeout), PDFToText: "off"}).Extract(t.Context(), d)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "hostile.pdf") {
				t.Errorf("Extract = %v, want an error naming hostile.pdf and %q", err, tt.want)
			}
			// With the fallback, the document is read all the same.
			if _, lerr := exec.LookPath("pdftotext"); lerr != nil {
				return
			}
			d = &corpus.Document{Source: "hostile.pdf", Raw: raw}
			err = New(Config{Child: childConfig(tt.verb, tt.timeout)}).Extract(t.Context(), d)
			if err != nil || d.Extractor != "pdf/pdftotext" || !strings.Contains(d.Text, "第一条") {
				t.Errorf("with pdftotext: Extract = %v, Extractor %q; want the text from pdf/pdftotext", err, d.Extractor)
			}
		})
	}
}
