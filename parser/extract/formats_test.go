package extract

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
)

// makeOFD builds an OFD package: each page is a list of lines; each line
// is written as one TextObject per half line, the second half first, so
// the reader must order by position. Page numbers "- N -" sit at the foot.
func makeOFD(t testing.TB, title string, pages [][]string) []byte {
	t.Helper()
	const ns = `xmlns:ofd="http://www.ofdspec.org/2016"`
	files := []string{
		"OFD.xml", `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ` + ns + ` Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:Title>` + title + `</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
	}
	var refs strings.Builder
	for i := range pages {
		loc := fmt.Sprintf("Pages/Page_%d/Content.xml", i)
		if i == 1 {
			loc = "/Doc_0/" + loc // absolute locations occur too
		}
		fmt.Fprintf(&refs, `<ofd:Page ID="%d" BaseLoc="%s"/>`, i+10, loc)
	}
	files = append(files, "Doc_0/Document.xml", `<?xml version="1.0" encoding="UTF-8"?><ofd:Document `+ns+`><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID></ofd:CommonData><ofd:Pages>`+refs.String()+`</ofd:Pages></ofd:Document>`)
	for i, lines := range pages {
		var objs strings.Builder
		id := 100
		obj := func(x, y float64, text string) {
			id++
			fmt.Fprintf(&objs, `<ofd:TextObject ID="%d" Boundary="%.2f %.2f 150 6" Font="3" Size="5.6"><ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="4.9" DeltaX="g %d 5.6">%s</ofd:TextCode></ofd:TextObject>`, id, x, y, len([]rune(text))-1, text)
		}
		for j, l := range lines {
			r := []rune(l)
			half := len(r) / 2
			y := 30 + float64(j)*9
			obj(25+float64(half)*5.6, y, string(r[half:]))
			obj(25, y, string(r[:half]))
		}
		obj(100, 280, fmt.Sprintf("- %d -", i+1))
		files = append(files, fmt.Sprintf("Doc_0/Pages/Page_%d/Content.xml", i),
			`<?xml version="1.0" encoding="UTF-8"?><ofd:Page `+ns+`><ofd:Content><ofd:Layer ID="2">`+objs.String()+`</ofd:Layer></ofd:Content></ofd:Page>`)
	}
	return makeZip(t, files...)
}

func TestOFD(t *testing.T) {
	raw := makeOFD(t, "清河市信用信息异议处理办法", [][]string{
		{"清河市信用信息异议处理办法", "第一条 为了规范信用信息异议处理工作，保护信", "用主体合法权益，制定本办法。", "第二条 信用主体认为信用信息有误的，可以提出"},
		{"异议申请。", "（一）书面申请；", "（二）网上申请。", "第三条 本办法自2025年1月1日起施行。"},
	})
	d := &corpus.Document{Source: "yiyi.ofd", Raw: raw}
	if err := New(Config{}).Extract(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	want := "清河市信用信息异议处理办法\n第一条 为了规范信用信息异议处理工作，保护信用主体合法权益，制定本办法。\n第二条 信用主体认为信用信息有误的，可以提出异议申请。\n（一）书面申请；\n（二）网上申请。\n第三条 本办法自2025年1月1日起施行。"
	if d.Text != want {
		t.Errorf("Text =\n%s\nwant\n%s", d.Text, want)
	}
	if d.Extractor != "ofd" || d.PageMeta["title"] != "清河市信用信息异议处理办法" {
		t.Errorf("Extractor %q, title %q; want ofd and the DocInfo title", d.Extractor, d.PageMeta["title"])
	}
}

func TestOFDErrors(t *testing.T) {
	tests := []struct {
		name    string
		raw     []byte
		wantErr string
	}{
		{"no DocRoot", makeZip(t, "OFD.xml", `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody/></ofd:OFD>`), "DocRoot"},
		{"missing document", makeZip(t, "OFD.xml", `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`), "Doc_0/Document.xml"},
		{"missing page", makeZip(t, "OFD.xml", `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
			"Doc_0/Document.xml", `<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`), "page 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &corpus.Document{Source: "x.ofd", Raw: tt.raw}
			err := New(Config{}).Extract(t.Context(), d)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "ofd x.ofd") {
				t.Errorf("error = %v; want one naming ofd x.ofd and containing %q", err, tt.wantErr)
			}
		})
	}
}

// A legacy .doc (our regulation, saved by LibreOffice as Word 97) is read
// through soffice when installed and fails as unsupported otherwise.
func TestLegacyDOC(t *testing.T) {
	raw := readFile(t, "testdata/regulation.doc")
	d := &corpus.Document{Source: "regulation.doc", Raw: raw}
	err := New(Config{Soffice: "off"}).Extract(t.Context(), d)
	if !errors.Is(err, corpus.ErrUnsupported) || !strings.Contains(err.Error(), "regulation.doc") || !strings.Contains(err.Error(), "soffice") {
		t.Errorf("without soffice: error = %v; want ErrUnsupported naming the file and soffice", err)
	}
	if _, err := exec.LookPath("soffice"); err != nil {
		t.Skip("soffice not installed: conversion not tested")
	}
	d = &corpus.Document{Source: "regulation.doc", Raw: raw}
	if err := New(Config{}).Extract(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(string(readFile(t, "testdata/regulation.txt")))
	if acc := charAccuracy(d.Text, want); acc < 0.999 || d.Extractor != "doc/soffice" {
		t.Errorf("accuracy %.4f, Extractor %q; want >= 0.999, doc/soffice\n%s", acc, d.Extractor, d.Text)
	}
}
