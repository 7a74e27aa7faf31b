package extract

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/scs-project/scs/corpus"
)

// render prints what the stage produced in a stable form for golden files.
func render(d *corpus.Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "extractor: %s\nflags: %v\n", d.Extractor, d.Flags)
	keys := make([]string, 0, len(d.PageMeta))
	for k := range d.PageMeta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "meta %s: %s\n", k, d.PageMeta[k])
	}
	for _, a := range d.Attachments {
		fmt.Fprintf(&b, "attachment: %s | %s\n", a.URL, a.Title)
	}
	b.WriteString("--- text\n")
	b.WriteString(d.Text)
	b.WriteString("\n")
	return b.String()
}

func TestHTMLGolden(t *testing.T) {
	tests := []struct{ file, source string }{
		{"govcn-template-a.html", "https://www.qinghe.gov.cn/zwgk/zcwj/202401/t20240105_1.html"},
		{"density.html", "density.html"},
		{"govcn-template-b.html", "https://www.qinghe.gov.cn/zhengce/202403/content_20240321001.htm"},
		{"trs.html", "https://zjj.qinghe.gov.cn/tzgg/202311/t20231102_88231.html"},
		{"hanweb.html", "https://scjg.qinghe.gov.cn/art/2024/6/18/art_103_5501.html"},
		{"word-html.html", "file:///inbox/zhengwu-chengxin.htm"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d := &corpus.Document{Source: tt.source, Raw: readFile(t, "testdata/"+tt.file)}
			if err := New(Config{}).Extract(t.Context(), d); err != nil {
				t.Fatalf("Extract(%s) error: %v", tt.file, err)
			}
			checkGolden(t, strings.TrimSuffix(tt.file, ".html")+".golden", render(d))
		})
	}
}

// The gov.cn template: body only, <br> articles split, table rows on one
// line, metadata table read, attachments absolute and titled.
func TestHTMLGovCNTemplate(t *testing.T) {
	d := &corpus.Document{Source: "https://www.qinghe.gov.cn/zwgk/zcwj/202401/t20240105_1.html",
		Raw: readFile(t, "testdata/govcn-template-a.html")}
	if err := New(Config{}).Extract(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(d.Text, "\n")
	has := func(l string) bool {
		for _, x := range lines {
			if x == l {
				return true
			}
		}
		return false
	}
	for _, want := range []string{
		"第一章 总则",
		"第一条 为了规范信用承诺工作，制定本办法。",
		"第二条 本办法适用于本市行政区域内的信用承诺活动。",
		"本办法所称信用承诺，是指市场主体向行政机关作出的书面承诺。",
		"序号\t事项\t承诺方式",
		"2\t资质认定\t书面承诺",
	} {
		if !has(want) {
			t.Errorf("line %q missing from text:\n%s", want, d.Text)
		}
	}
	for _, junk := range []string{"首页", "互动交流", "分享到微信", "版权所有", "var nav", "索引号"} {
		if strings.Contains(d.Text, junk) {
			t.Errorf("text contains %q", junk)
		}
	}
	wantMeta := map[string]string{
		"title":         "清河市人民政府关于印发清河市信用承诺管理办法的通知",
		"索引号":           "11370000MB0000000X/2024-00001",
		"发文机关":          "清河市人民政府",
		"发文字号":          "清政发〔2023〕18号",
		"成文日期":          "2023年12月28日",
		"发布日期":          "2024年01月05日",
		"PubDate":       "2024-01-05 10:00",
		"ContentSource": "清河市人民政府办公室",
	}
	for k, v := range wantMeta {
		if d.PageMeta[k] != v {
			t.Errorf("PageMeta[%s] = %q, want %q", k, d.PageMeta[k], v)
		}
	}
	wantLinks := []corpus.Link{
		{URL: "https://www.qinghe.gov.cn/zwgk/zcwj/202401/P020240105123456.pdf", Title: "1.信用承诺书（样式）"},
		{URL: "https://www.qinghe.gov.cn/zwgk/zcwj/202401/P020240105123457.docx", Title: "2.信用承诺事项清单"},
		{URL: "https://example.org/list.xlsx", Title: "list.xlsx"},
	}
	if fmt.Sprint(d.Attachments) != fmt.Sprint(wantLinks) {
		t.Errorf("Attachments = %v\nwant %v", d.Attachments, wantLinks)
	}
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHTMLCharsets(t *testing.T) {
	const want = "第一条 为了规范失信被执行人名单管理，制定本规定。\n镕喆堃等字也应当正确解码。"
	utf8Page := string(readFile(t, "testdata/charset-none.html"))
	tests := []struct {
		name        string
		raw         []byte
		contentType string
	}{
		{"utf-8 without declaration", []byte(utf8Page), ""},
		{"gbk declared in meta", gbk(t, string(readFile(t, "testdata/charset-gbk.html"))), ""},
		{"gbk without any declaration", gbk(t, utf8Page), ""},
		{"gb2312 in the http header only", gbk(t, utf8Page), "text/html; charset=gb2312"},
		{"header claims utf-8 but bytes are gbk", gbk(t, utf8Page), "text/html; charset=utf-8"},
		{"meta after the first 1024 bytes", gbk(t, string(readFile(t, "testdata/charset-late-meta.html"))), "text/html"},
		{"stale gb2312 meta over utf-8 bytes", []byte(strings.Replace(string(readFile(t, "testdata/charset-gbk.html")), "gbk", "gb2312", 1)), ""},
		{"latin-1 header over gbk bytes", gbk(t, utf8Page), "text/html; charset=iso-8859-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &corpus.Document{Source: "page.html", Raw: tt.raw, ContentType: tt.contentType}
			if err := New(Config{}).Extract(t.Context(), d); err != nil {
				t.Fatalf("Extract error: %v", err)
			}
			if d.Text != want {
				t.Errorf("Text = %q, want %q", d.Text, want)
			}
			if d.PageMeta["title"] != "信用信息公示" {
				t.Errorf("title = %q", d.PageMeta["title"])
			}
		})
	}
}

func TestHTMLEdgeCases(t *testing.T) {
	tests := []struct {
		name    string
		page    string
		want    string
		wantErr bool
	}{
		{"fragment of paragraphs", "<p>第一条 甲。</p><p>第二条 乙。</p>", "第一条 甲。\n第二条 乙。", false},
		{"br inside one paragraph", "<p>第一条 甲。<br>第二条 乙。<br/><br/>第三条 丙。</p>", "第一条 甲。\n第二条 乙。\n第三条 丙。", false},
		{"hidden element dropped", `<div><p>第一条 甲。</p><p style="display: none">隐藏的文字</p></div>`, "第一条 甲。", false},
		{"letter-spaced heading closed up", "<p>征 信 业 管 理 条 例</p><p>第一章　总　　则</p>", "征信业管理条例\n第一章 总则", false},
		{"empty page", "<html><body><script>var a='正文';</script></body></html>", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &corpus.Document{Source: "x.html", Raw: []byte(tt.page)}
			err := New(Config{}).Extract(t.Context(), d)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Extract error = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "x.html") {
				t.Errorf("error %q does not name the source", err)
			}
			if d.Text != tt.want {
				t.Errorf("Text = %q, want %q", d.Text, tt.want)
			}
			if !utf8.ValidString(d.Text) {
				t.Errorf("Text not valid UTF-8")
			}
		})
	}
}
