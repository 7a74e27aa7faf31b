package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/scs-project/scs/corpus"
)

// fuzzOne checks the stage's invariants on arbitrary input: no panic
// (Extract recovers, but a recovered panic is still a bug), valid UTF-8
// text without blank lines on success, an error naming the source on
// failure.
func fuzzOne(t *testing.T, raw []byte, ct, source string) {
	fuzzWith(t, Config{MaxPages: 50, Soffice: "off"}, raw, ct, source) // no seconds-long conversions per input
}

func fuzzWith(t *testing.T, cfg Config, raw []byte, ct, source string) {
	d := &corpus.Document{Source: source, Raw: raw, ContentType: ct}
	err := New(cfg).Extract(t.Context(), d)
	if err != nil {
		if strings.Contains(err.Error(), "recovered panic") {
			t.Fatalf("panic inside the extractor: %v", err)
		}
		if !strings.Contains(err.Error(), source) {
			t.Fatalf("error %q does not name %s", err, source)
		}
		return
	}
	if !utf8.ValidString(d.Text) {
		t.Fatalf("invalid UTF-8 in Text %q", d.Text)
	}
	if strings.Contains(d.Text, "\n\n") || strings.HasPrefix(d.Text, "\n") {
		t.Fatalf("blank line in Text %q", d.Text)
	}
	for k, v := range d.PageMeta {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			t.Fatalf("invalid UTF-8 in PageMeta %q=%q", k, v)
		}
	}
}

func addFiles(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

func FuzzHTML(f *testing.F) {
	addFiles(f, "testdata/*.html")
	f.Add([]byte("<p>第一条<br>第二条<table><tr><td>甲<td>乙</table>"))
	f.Add([]byte("<html><meta charset=gbk>\xb5\xda\xd2\xbb\xcc\xf5"))
	f.Add([]byte("<td><b>发文字号：</b></td><td>清政发〔2023〕1号</td><a href='a.pdf'>附件</a>"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		fuzzOne(t, raw, "text/html", "https://example.gov.cn/a/b.html")
	})
}

func FuzzPDF(f *testing.F) {
	addFiles(f, "testdata/*.pdf")
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"))
	// In a child process, as scs runs it: ledongthuc/pdf loops forever on
	// some inputs the fuzzer finds, and only a process can be stopped.
	cfg := Config{MaxPages: 50, Child: childConfig("__pdf-child", 5*time.Second), Soffice: "off"}
	f.Fuzz(func(t *testing.T, raw []byte) {
		fuzzWith(t, cfg, raw, "application/pdf", "fuzz.pdf")
	})
}

func FuzzText(f *testing.F) {
	addFiles(f, "testdata/*.txt")
	f.Add([]byte(markdownDoc))
	f.Add([]byte("\xff\xfe\x00"))
	f.Add([]byte("---\ntitle: [\n---\n# 标题"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		fuzzOne(t, raw, "", "fuzz.md")
		fuzzOne(t, raw, "text/plain", "fuzz.txt")
	})
}

func FuzzCleanPages(f *testing.F) {
	f.Add("第一条 甲\n2021\n年。— 1 —", "清河\n第二条 乙")
	f.Fuzz(func(t *testing.T, a, b string) {
		got := cleanPages([]string{a, b})
		if utf8.ValidString(a) && utf8.ValidString(b) && !utf8.ValidString(got) {
			t.Fatalf("cleanPages made invalid UTF-8 from valid input: %q", got)
		}
	})
}

func FuzzOFD(f *testing.F) {
	f.Add(makeOFD(f, "甲", [][]string{{"第一条 为了规范信用信息。", "第二条 本办法自印发之日起施行。"}}))
	f.Add(makeZip(f, "OFD.xml", `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>/Doc_0/../../Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		fuzzOne(t, raw, "", "fuzz.ofd")
	})
}
