package extract

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// The gov.cn gazette page must give the body of the regulation: every
// article line of the LawRefBook text of the same regulation (001) is found
// in it, and none of the page chrome is.
func TestSharedGovCNGazettePage(t *testing.T) {
	shared := sharedDir(t)
	pages, _ := filepath.Glob(filepath.Join(shared, "corpus/real/raw/101-*.htm"))
	if len(pages) != 1 {
		t.Skip("101 page not found")
	}
	d, err := extractFile(t, pages[0])
	if err != nil {
		t.Fatalf("Extract(%s) error: %v", pages[0], err)
	}
	if d.Extractor != "html/goquery" {
		t.Errorf("Extractor = %q, want html/goquery", d.Extractor)
	}
	ref, _ := filepath.Glob(filepath.Join(shared, "corpus/real/001-*.txt"))
	body := string(readFile(t, ref[0]))
	_, body, _ = strings.Cut(body, "<!-- INFO END -->")
	got := squash(d.Text)
	missing := 0
	for _, l := range strings.Split(body, "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(l, "## "))
		if l == "" {
			continue
		}
		if !strings.Contains(got, squash(l)) {
			missing++
			t.Errorf("article line missing from extracted text: %q", l)
		}
	}
	for _, chrome := range []string{"首页", "无障碍", "相关稿件", "全国人大", "版权所有", "INFO_FLAG", "function"} {
		if strings.Contains(d.Text, chrome) {
			t.Errorf("extracted text contains page chrome %q", chrome)
		}
	}
	if !strings.Contains(d.Text, "\n第二条 在中国境内从事征信业务及相关活动，适用本条例。\n") {
		t.Errorf("<br>-separated articles not split into lines; text starts:\n%.600s", d.Text)
	}
	if want := "中华人民共和国国务院令（第631号） 征信业管理条例"; d.PageMeta["title"] != want {
		t.Errorf("PageMeta[title] = %q, want %q", d.PageMeta["title"], want)
	}
	if d.PageMeta["firstpublishedtime"] != "2013-02-10-23:59:59" {
		t.Errorf("PageMeta[firstpublishedtime] = %q", d.PageMeta["firstpublishedtime"])
	}
}

// The 九江 JSP pages are Word-generated HTML inside layout tables with no
// known container: density must find the body and leave the chrome out.
func TestSharedWordHTMLPages(t *testing.T) {
	shared := sharedDir(t)
	tests := []struct {
		glob      string
		wantLines []string
	}{
		{"102-*.jsp", []string{"一、项目信息公开专栏", "(三)“专栏”设置项目信息公开区和信用信息共享区。", "三、信用信息共享"}},
		{"103-*.jsp", []string{"不良行为记录信息限定在工程建设相关的信息范畴内。"}},
		{"104-*.jsp", []string{"(一) 从业单位信用信息", "1. 企业基本信息", "4. 不良行为记录信息"}},
	}
	for _, tt := range tests {
		t.Run(tt.glob, func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join(shared, "corpus/real/raw", tt.glob))
			if len(files) != 1 {
				t.Skip("page not found")
			}
			d, err := extractFile(t, files[0])
			if err != nil {
				t.Fatalf("Extract error: %v", err)
			}
			lines := map[string]bool{}
			for _, l := range strings.Split(d.Text, "\n") {
				lines[l] = true
			}
			for _, w := range tt.wantLines {
				if !lines[w] {
					t.Errorf("line %q missing; text:\n%s", w, d.Text)
				}
			}
			for _, chrome := range []string{"站内搜索", "ICP", "主办", "星期", "document.", "项目基本信息申请表"} {
				if strings.Contains(d.Text, chrome) {
					t.Errorf("text contains chrome %q", chrome)
				}
			}
			if d.PageMeta["发布日期"] != "2011-09-29" {
				t.Errorf("PageMeta[发布日期] = %q, want 2011-09-29 (from 发布时间：)", d.PageMeta["发布日期"])
			}
		})
	}
}

func TestSharedDOCX(t *testing.T) {
	shared := sharedDir(t)
	path := filepath.Join(shared, "corpus/made/001-zhengxinye-guanli-tiaoli.docx")
	d, err := extractFile(t, path)
	if err != nil {
		t.Fatalf("Extract error: %v", err)
	}
	ref := string(readFile(t, filepath.Join(shared, "corpus/made/001-zhengxinye-guanli-tiaoli.ref.txt")))
	acc, para := charAccuracy(d.Text, ref), lineAgreement(d.Text, ref)
	t.Logf("docx: character accuracy %.4f, paragraph agreement %.3f", acc, para)
	if acc < 0.999 || para < 0.99 {
		t.Errorf("docx accuracy %.4f / paragraphs %.3f; want >= 0.999 / 0.99", acc, para)
	}
}

var markupLeft = regexp.MustCompile(`#|\*\*|<!--|\]\(`)

// Every real Markdown text must come out without markup, its title first.
func TestSharedMarkdownHasNoMarkup(t *testing.T) {
	shared := sharedDir(t)
	files, _ := filepath.Glob(filepath.Join(shared, "corpus/real/*.txt"))
	if len(files) < 30 {
		t.Fatalf("found %d corpus texts, want 30", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			d, err := extractFile(t, f)
			if err != nil {
				t.Fatalf("Extract error: %v", err)
			}
			if d.Extractor != "markdown" {
				t.Errorf("Extractor = %q, want markdown", d.Extractor)
			}
			if m := markupLeft.FindString(d.Text); m != "" {
				i := strings.Index(d.Text, m)
				t.Errorf("markup %q left in text near %q", m, d.Text[max(0, i-40):min(len(d.Text), i+40)])
			}
			if !utf8.ValidString(d.Text) || strings.Contains(d.Text, "\n\n") {
				t.Errorf("text is not valid UTF-8 or has blank lines")
			}
			first, _, _ := strings.Cut(d.Text, "\n")
			if first == "" || d.PageMeta["title"] != first {
				t.Errorf("first line %q, PageMeta[title] %q; want the title in both", first, d.PageMeta["title"])
			}
			if !strings.Contains(d.Text, "第一条") && !strings.Contains(d.Text, "第1条") {
				t.Errorf("text has no 第一条: %.300s", d.Text)
			}
		})
	}
}
