package extract

import (
	"archive/zip"
	"bytes"
	"fmt"
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

const numberingXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1条"/><w:suff w:val="space"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCountingThousand"/><w:lvlText w:val="第%1章"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="3">
 <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>
</w:numbering>`

const numberingStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="Chapter"><w:name w:val="章"/><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
</w:styles>`

func numbered(numID, ilvl int, text string) string {
	return fmt.Sprintf(`<w:p><w:pPr><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>`, ilvl, numID, text)
}

// Word's automatic numbering comes out as printed: articles and items
// counted in Chinese, a decimal list that starts at 3 with a second level,
// chapter labels from a paragraph style, bullets left out.
func TestDOCXNumbering(t *testing.T) {
	body := `<w:p><w:pPr><w:pStyle w:val="Chapter"/></w:pPr><w:r><w:t>总则</w:t></w:r></w:p>` +
		numbered(1, 0, "为了规范信用承诺，制定本办法。") +
		numbered(1, 0, "承诺事项如下：") +
		numbered(1, 1, "行政许可；") +
		numbered(1, 1, "财政资金补贴。") +
		`<w:p><w:pPr><w:pStyle w:val="Chapter"/></w:pPr><w:r><w:t>附则</w:t></w:r></w:p>` +
		strings.Repeat(numbered(1, 0, "条文。"), 9) +
		numbered(1, 1, "第十二条的第一项。") +
		numbered(2, 0, "建立目录。") +
		numbered(2, 1, "编制。") +
		numbered(2, 0, "公布目录。") +
		numbered(4, 0, "不编号的要点") +
		numbered(9, 0, "未定义的编号")
	doc := `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`
	raw := makeZip(t, "word/document.xml", doc, "word/numbering.xml", numberingXML, "word/styles.xml", numberingStyles)
	d := &corpus.Document{Source: "numbered.docx", Raw: raw}
	if err := New(Config{}).Extract(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"第一章 总则",
		"第一条 为了规范信用承诺，制定本办法。",
		"第二条 承诺事项如下：",
		"（一）行政许可；",
		"（二）财政资金补贴。",
		"第二章 附则",
		"第三条 条文。",
	}
	lines := strings.Split(d.Text, "\n")
	for i, w := range want {
		if i >= len(lines) || lines[i] != w {
			t.Fatalf("line %d = %q, want %q\ntext:\n%s", i, lines[i], w, d.Text)
		}
	}
	tail := strings.Join(lines[len(lines)-7:], "\n")
	wantTail := "第十一条 条文。\n（一）第十二条的第一项。\n3. 建立目录。\n3.1 编制。\n4. 公布目录。\n不编号的要点\n未定义的编号"
	if tail != wantTail {
		t.Errorf("last lines =\n%s\nwant\n%s", tail, wantTail)
	}
}

func TestChineseNumber(t *testing.T) {
	for n, want := range map[int]string{1: "一", 10: "十", 12: "十二", 20: "二十", 21: "二十一", 100: "一百", 101: "一百零一", 110: "一百一十", 1005: "一千零五", 0: "0"} {
		if got := chineseNumber(n); got != want {
			t.Errorf("chineseNumber(%d) = %q, want %q", n, got, want)
		}
	}
}
