package extract

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/scs-project/scs/corpus"
)

func utf16(t *testing.T, s string, e unicode.Endianness, bom unicode.BOMPolicy) []byte {
	t.Helper()
	b, err := unicode.UTF16(e, bom).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTextEncodings(t *testing.T) {
	const src = "第一条 为了规范信用承诺，制定本办法。\n\n  第二条  本办法自2024年1月1日起施行。  \n"
	const want = "第一条 为了规范信用承诺，制定本办法。\n第二条 本办法自2024年1月1日起施行。"
	tests := []struct {
		name string
		raw  []byte
	}{
		{"utf-8", []byte(src)},
		{"utf-8 bom", append([]byte("\xEF\xBB\xBF"), src...)},
		{"utf-16le bom", utf16(t, src, unicode.LittleEndian, unicode.UseBOM)},
		{"utf-16be bom", utf16(t, src, unicode.BigEndian, unicode.UseBOM)},
		{"utf-16le without bom", utf16(t, "Credit notice 2024\n"+src, unicode.LittleEndian, unicode.IgnoreBOM)},
		{"gbk", gbk(t, src)},
		{"crlf", []byte(strings.ReplaceAll(src, "\n", "\r\n"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &corpus.Document{Source: "/data/banfa.txt", Raw: tt.raw}
			if err := New(Config{}).Extract(t.Context(), d); err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimPrefix(d.Text, "Credit notice 2024\n"); got != want {
				t.Errorf("Text = %q, want %q", d.Text, want)
			}
			if d.Extractor != "text" {
				t.Errorf("Extractor = %q, want text", d.Extractor)
			}
		})
	}
}

const markdownDoc = `---
title: "清河市信用承诺管理办法"
published_at: "2024-01-05"
authority: "清河市人民政府"
source_url: "https://www.qinghe.gov.cn/zwgk/202401/t20240105_1.html"
tags: [信用, 承诺]
---

> 效力层级：地方政府规章
> 来源：清河市人民政府

![](../images/logo.png)清河市人民政府规章

[下载文字版](./P020240105.docx)
[原文链接](https://www.qinghe.gov.cn/zwgk/202401/t20240105_1.html)

# 清河市信用承诺管理办法

### （2024年1月5日清河市人民政府令第1号公布 自2024年2月1日起施行）

<!-- INFO END -->

## 第一章 总则

**第一条**  为了规范信用承诺工作，制定本办法。

**第二条**  本办法适用于 *本市* 行政区域。

| 序号 | 事项 |
|---|---|
| 1 | 行政许可 |

---
`

func TestMarkdown(t *testing.T) {
	d := &corpus.Document{Source: "banfa.md", Raw: []byte(markdownDoc)}
	if err := New(Config{}).Extract(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	want := "清河市信用承诺管理办法\n效力层级：地方政府规章\n来源：清河市人民政府\n清河市人民政府规章\n下载文字版\n原文链接\n" +
		"（2024年1月5日清河市人民政府令第1号公布 自2024年2月1日起施行）\n第一章 总则\n第一条 为了规范信用承诺工作，制定本办法。\n" +
		"第二条 本办法适用于 *本市* 行政区域。\n序号\t事项\n1\t行政许可"
	if d.Text != want {
		t.Errorf("Text =\n%s\nwant\n%s", d.Text, want)
	}
	for k, v := range map[string]string{"title": "清河市信用承诺管理办法", "published_at": "2024-01-05", "authority": "清河市人民政府"} {
		if d.PageMeta[k] != v {
			t.Errorf("PageMeta[%s] = %q, want %q", k, d.PageMeta[k], v)
		}
	}
	if len(d.Attachments) != 1 || d.Attachments[0].URL != "https://www.qinghe.gov.cn/zwgk/202401/P020240105.docx" || d.Attachments[0].Title != "下载文字版" {
		t.Errorf("Attachments = %v; want the .docx resolved against source_url", d.Attachments)
	}
	if d.Extractor != "markdown" {
		t.Errorf("Extractor = %q", d.Extractor)
	}
}

func TestDetect(t *testing.T) {
	docx := makeZip(t, "word/document.xml", docxBody)
	xlsx := makeZip(t, "xl/workbook.xml", "<workbook/>")
	tests := []struct {
		name, ct, source string
		raw              []byte
		want             format
	}{
		{"pdf signature beats html type", "text/html", "a.html", []byte("%PDF-1.7\n..."), formatPDF},
		{"docx by zip content", "application/octet-stream", "download.jsp", docx, formatDOCX},
		{"html by doctype", "", "a.bin", []byte("\n<!DOCTYPE html><html>"), formatHTML},
		{"html fragment", "", "", []byte("<p>第一条</p>"), formatHTML},
		{"html by content type", "text/html; charset=gbk", "", []byte("正文"), formatHTML},
		{"jsp extension", "", "/x/102.jsp", []byte("正文"), formatHTML},
		{"markdown by extension", "", "a.md", []byte("正文"), formatMarkdown},
		{"markdown by shape", "", "", []byte("# 标题\n\n正文"), formatMarkdown},
		{"text without extension", "", "/data/notice", []byte("正文"), formatText},
		{"xlsx unsupported", "", "a.xlsx", xlsx, formatUnknown},
		{"ole doc through the converter", "", "a.doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00\x00\x00"), formatLegacyOffice},
		{"binary unsupported", "", "a.bin", []byte("\x00\x01\x02\x03\x89PNG\x00\x00\x00\x00\x00"), formatUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detect(tt.raw, tt.ct, tt.source); got != tt.want {
				t.Errorf("detect(%q, %q) = %v, want %v", tt.ct, tt.source, got, tt.want)
			}
		})
	}
}

func TestUnsupportedAndLimits(t *testing.T) {
	tests := []struct {
		name    string
		raw     []byte
		cfg     Config
		wantErr string
		wantIs  error
	}{
		{"binary names the source", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00"), Config{}, "extract img.bin", corpus.ErrUnsupported},
		{"empty input", nil, Config{}, "empty input", nil},
		{"over the size cap", []byte(strings.Repeat("信", 100)), Config{MaxBytes: 10}, "exceeds", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &corpus.Document{Source: "img.bin", Raw: tt.raw}
			err := New(tt.cfg).Process(t.Context(), d)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "img.bin") {
				t.Fatalf("error = %v; want it to name img.bin and contain %q", err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
		})
	}
}

func TestStageContract(t *testing.T) {
	x := New(Config{})
	if x.Name() != "extract" {
		t.Errorf("Name() = %q", x.Name())
	}
	d := &corpus.Document{Source: "a.txt", Raw: []byte("第一条 甲。"), PageMeta: map[string]string{"title": "已有标题"}}
	if err := corpus.RunStage(t.Context(), x, d); err != nil || d.Failed() {
		t.Fatalf("RunStage: %v, %v", err, d.Err)
	}
	if d.PageMeta["title"] != "已有标题" {
		t.Errorf("existing PageMeta overwritten: %q", d.PageMeta["title"])
	}
}

func TestStripPinyinGlosses(t *testing.T) {
	tests := []struct {
		in, want string
		n        int
	}{
		{"關於印發(fā)《關(guān)於對失信被執(zhí)行人實施聯(lián)合懲戒的合作備忘錄》的通知", "關於印發《關於對失信被執行人實施聯合懲戒的合作備忘錄》的通知", 4},
		{"加大(dà)對誠信主體(tǐ)激勵", "加大對誠信主體激勵", 2},
		{"社會(huì )信用", "社會信用", 1},
		{"第（一）项和(a)项以及(PPP)模式", "第（一）项和(a)项以及(PPP)模式", 0},
		{"no Han (fā) here", "no Han (fā) here", 0},
	}
	for _, tt := range tests {
		got, n := stripPinyinGlosses(tt.in)
		if got != tt.want || n != tt.n {
			t.Errorf("stripPinyinGlosses(%q) = %q, %d; want %q, %d", tt.in, got, n, tt.want, tt.n)
		}
	}
}
