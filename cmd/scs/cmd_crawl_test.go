package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser"
)

// mirrorSite is a local TRS column with one GBK-encoded notice (no charset
// in the header, as on legacy district sites), and a wall that answers
// every request with a 瑞数 challenge.
func mirrorSite(t *testing.T) (site, wall *httptest.Server, details *atomic.Int32) {
	details = &atomic.Int32{}
	site = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		case "/col/index.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><ul><li><a href="./202301/t20230118_309218.html" title="示例省社会信用条例">示例省社会信用条例</a><span>2023-01-18</span></li></ul>
<script>createPageHTML(1, 0, "index", "html");</script></body></html>`)
		case "/col/202301/t20230118_309218.html":
			details.Add(1)
			page := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>示例省社会信用条例</title></head>
<body><div class="TRS_Editor"><p>示例省社会信用条例</p>
<p>第一条　为了推进社会信用体系建设，制定本条例。</p>
<p>第二条　对严重失信主体，可以限制其参与政府采购和招标投标。</p></div></body></html>`
			b, _ := simplifiedchinese.GBK.NewEncoder().String(page)
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, b)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(site.Close)
	wall = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(412)
		fmt.Fprint(w, `<html><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};</script></html>`)
	}))
	t.Cleanup(wall.Close)
	return site, wall, details
}

func TestCrawlCommand(t *testing.T) {
	site, wall, details := mirrorSite(t)
	dir := t.TempDir()
	reg := filepath.Join(dir, "sources.yaml")
	os.WriteFile(reg, []byte(fmt.Sprintf(`sources:
  - name: mirror
    adapter: trs
    url: %s/col/index.html
    keywords: [信用]
  - name: walled
    adapter: trs
    url: %s/index.html
`, site.URL, wall.URL)), 0o644)
	data := filepath.Join(dir, "data")
	ctx := context.Background()

	code, out, errs := scs(t, ctx, nil, "crawl", "--data", data, "--sources", reg, "--delay", "0", "--json")
	if code != exitOK {
		t.Fatalf("crawl exit %d\n%s\n%s", code, out, errs)
	}
	var s summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if s.New != 1 || s.Parsed != 1 || s.Indexed != 1 || len(s.Crawl) != 2 {
		t.Fatalf("first crawl: new %d, parsed %d, indexed %d, sources %d; want 1, 1, 1, 2", s.New, s.Parsed, s.Indexed, len(s.Crawl))
	}
	if s.Crawl[1].Status != "blocked" {
		t.Errorf("walled source: status %q, want blocked", s.Crawl[1].Status)
	}

	t.Run("GBK page stored raw and extracted by the pipeline", func(t *testing.T) {
		code, out, _ := scs(t, ctx, nil, "search", "--data", data, "政府采购")
		if code != exitOK || !strings.Contains(out, "示例省社会信用条例") || !strings.Contains(out, "限制其参与【政府采购】") {
			t.Errorf("search exit %d:\n%s\nwant the GBK notice's clause decoded", code, out)
		}
	})

	t.Run("sources shows each source's state", func(t *testing.T) {
		code, out, _ := scs(t, ctx, nil, "sources", "--data", data, "--sources", reg, "--json")
		var rows []sourceRow
		if err := json.Unmarshal([]byte(out), &rows); code != exitOK || err != nil {
			t.Fatalf("sources exit %d, %v:\n%s", code, err, out)
		}
		if len(rows) != 2 || rows[0].Status != "ok" || rows[0].Documents != 1 || rows[0].New != 1 ||
			rows[1].Status != "blocked" || !strings.Contains(rows[1].Reason, "412") {
			t.Errorf("sources = %+v", rows)
		}
	})

	t.Run("a re-run with nothing new fetches and parses nothing", func(t *testing.T) {
		code, out, _ := scs(t, ctx, nil, "crawl", "--data", data, "--sources", reg, "--delay", "0", "--source", "mirror", "--json")
		var s summary
		json.Unmarshal([]byte(out), &s)
		if code != exitOK || s.New != 0 || s.Parsed != 0 || details.Load() != 1 {
			t.Errorf("re-run: exit %d, new %d, parsed %d, detail requests %d; want 0, 0, 1 in total", code, s.New, s.Parsed, details.Load())
		}
	})

	t.Run("unknown source is a usage error", func(t *testing.T) {
		if code, _, errs := scs(t, ctx, nil, "crawl", "--data", data, "--sources", reg, "--source", "nope"); code != exitUsage || !strings.Contains(errs, "mirror") {
			t.Errorf("exit %d, stderr %q; want 2 naming the known sources", code, errs)
		}
	})
}

func TestEmbeddedRegistryParses(t *testing.T) {
	reg, err := loadRegistry(&env{getenv: func(string) string { return "" }}, "")
	if err != nil {
		t.Fatal(err)
	}
	adapters := map[string]bool{}
	for _, s := range reg.Sources {
		adapters[s.Adapter] = true
		if !strings.HasPrefix(s.URL, "https://") {
			t.Errorf("%s: url %s, want https", s.Name, s.URL)
		}
	}
	for _, a := range []string{"govcn", "trs"} {
		if !adapters[a] {
			t.Errorf("the default registry has no %s source", a)
		}
	}
}

// docxBytes is a minimal DOCX whose paragraphs are paras.
func docxBytes(t *testing.T, paras ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("[Content_Types].xml")
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)
	w, _ = z.Create("word/document.xml")
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range paras {
		fmt.Fprintf(w, `<w:p><w:r><w:t>%s</w:t></w:r></w:p>`, p)
	}
	fmt.Fprint(w, `</w:body></w:document>`)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCrawlAttachmentLinkedToNotice: an MOU published as the attachment
// of a short 通知 is parsed with PageMeta["parent"] naming the notice, the
// notice lists it in Attachments, and the link is re-applied on a re-parse.
func TestCrawlAttachmentLinkedToNotice(t *testing.T) {
	mou := docxBytes(t, "关于对失信被执行人实施联合惩戒的合作备忘录",
		"一、对失信被执行人限制参与政府采购活动。", "二、对失信被执行人限制乘坐飞机。")
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		case "/col/index.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><ul><li><a href="./201601/t20160120_1.html" title="关于印发联合惩戒合作备忘录的通知">关于印发联合惩戒合作备忘录的通知</a><span>2016-01-20</span></li></ul></body></html>`)
		case "/col/201601/t20160120_1.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><title>关于印发联合惩戒合作备忘录的通知</title></head><body><div class="TRS_Editor">
<p>关于印发联合惩戒合作备忘录的通知</p><p>各有关单位：现将合作备忘录印发给你们，请认真贯彻执行。</p>
<p>附件：<a href="./P020160120000001.docx">合作备忘录</a></p></div></body></html>`)
		case "/col/201601/P020160120000001.docx":
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(mou)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(site.Close)
	dir := t.TempDir()
	reg := filepath.Join(dir, "sources.yaml")
	os.WriteFile(reg, []byte(fmt.Sprintf("sources:\n  - name: mirror\n    adapter: trs\n    url: %s/col/index.html\n    keywords: [备忘录]\n", site.URL)), 0o644)
	data := filepath.Join(dir, "data")
	ctx := context.Background()
	code, out, errs := scs(t, ctx, nil, "crawl", "--data", data, "--sources", reg, "--delay", "0", "--json")
	if code != exitOK {
		t.Fatalf("crawl exit %d\n%s\n%s", code, out, errs)
	}
	notice := site.URL + "/col/201601/t20160120_1.html"
	attach := site.URL + "/col/201601/P020160120000001.docx"
	st, err := corpus.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.Load(ctx, corpus.DocumentID(attach))
	if err != nil {
		t.Fatal(err)
	}
	if a.Failed() || a.PageMeta["parent"] != notice || a.PageMeta["crawl_source"] != "mirror" {
		t.Errorf("attachment: error %v, page meta %v; want parent %s", a.Err, a.PageMeta, notice)
	}
	if !strings.Contains(a.Text, "限制乘坐飞机") || len(a.Clauses) == 0 {
		t.Errorf("attachment not parsed: %d clauses, text %q", len(a.Clauses), a.Text)
	}
	n, err := st.Load(ctx, corpus.DocumentID(notice))
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, l := range n.Attachments {
		urls = append(urls, l.URL)
	}
	if len(urls) != 1 || urls[0] != attach {
		t.Errorf("notice attachments = %v, want [%s]", urls, attach)
	}
	if _, ok := n.PageMeta["parent"]; ok {
		t.Errorf("the notice has a parent: %v", n.PageMeta)
	}

	t.Run("the link is re-applied on a re-parse", func(t *testing.T) {
		p, err := parser.New(parserConfig(&env{getenv: func(string) string { return "" }}))
		if err != nil {
			t.Fatal(err)
		}
		// A fresh document, as Load returns one whose bytes changed.
		d := &corpus.Document{ID: a.ID, Source: a.Source, RawHash: a.RawHash, ContentType: a.ContentType, Raw: a.Raw}
		if err := withCrawlState(st, p.Chain()).Process(ctx, d); err != nil || d.Failed() {
			t.Fatalf("re-parse: %v %v", err, d.Err)
		}
		if d.PageMeta["parent"] != notice {
			t.Errorf("re-parsed page meta %v, want parent %s", d.PageMeta, notice)
		}
	})
}
