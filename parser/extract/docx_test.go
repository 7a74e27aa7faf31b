package extract

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
)

const docxBody = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body>
<w:p><w:r><w:t>清河市信用承诺管理办法</w:t></w:r></w:p>
<w:p><w:r><w:t>第一条</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">为了规范信用承诺，</w:t></w:r><w:r><w:t>制定本办法。</w:t></w:r></w:p>
<w:p><w:r><w:t>第二条 承诺事项如下：</w:t><w:br/><w:t>（一）行政许可；</w:t></w:r></w:p>
<w:p><w:r><w:delText>删除的文字</w:delText></w:r></w:p>
<w:tbl>
<w:tr><w:tc><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>事项</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>行政</w:t></w:r></w:p><w:p><w:r><w:t>许可</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>自动编号的段落</w:t></w:r></w:p>
</w:body>
</w:document>`

const docxCore = `<?xml version="1.0" encoding="UTF-8"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>清河市信用承诺管理办法</dc:title></cp:coreProperties>`

// makeZip builds a zip archive from name/content pairs.
func makeZip(t testing.TB, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDOCX(t *testing.T) {
	raw := makeZip(t, "[Content_Types].xml", "<Types/>", "word/document.xml", docxBody, "docProps/core.xml", docxCore)
	d := &corpus.Document{Source: "banfa.docx", Raw: raw}
	if err := New(Config{}).Extract(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	want := "清河市信用承诺管理办法\n第一条\t为了规范信用承诺，制定本办法。\n第二条 承诺事项如下：\n（一）行政许可；\n序号\t事项\n1\t行政 许可\n自动编号的段落"
	if d.Text != want {
		t.Errorf("Text =\n%s\nwant\n%s", d.Text, want)
	}
	if d.Extractor != "docx" || d.PageMeta["title"] != "清河市信用承诺管理办法" {
		t.Errorf("Extractor %q, title %q", d.Extractor, d.PageMeta["title"])
	}
}

func TestDOCXErrors(t *testing.T) {
	bomb := strings.Repeat("<w:p/>", 2000)
	tests := []struct {
		name    string
		raw     []byte
		cfg     Config
		wantErr string
	}{
		{"zip bomb over the size cap", makeZip(t, "word/document.xml", `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+bomb+`</w:body></w:document>`), Config{MaxBytes: 4096}, "exceeds the limit"},
		{"broken xml", makeZip(t, "word/document.xml", `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:t>甲`), Config{}, "word/document.xml"},
		{"no text", makeZip(t, "word/document.xml", `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p/></w:body></w:document>`), Config{}, "no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &corpus.Document{Source: "x.docx", Raw: tt.raw}
			err := New(tt.cfg).Extract(t.Context(), d)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "docx x.docx") {
				t.Errorf("error = %v; want one naming docx x.docx and containing %q", err, tt.wantErr)
			}
		})
	}
}
