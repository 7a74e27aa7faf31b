package crawler

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scs-project/scs/corpus"
)

// govcnAPI reproduces sousuo.www.gov.cn/search-gov/data (research/sources.md
// A.1): results per bucket under searchVO.catMap, each bucket with its own
// totalCount while the top-level one is 0; overlapping buckets; <em>
// highlights in titles; pubtimeStr null after page 1 (ptime in UTC ms).
func govcnAPI(t *testing.T, total int) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
			return
		case r.URL.Path == "/search-gov/data":
		default:
			fmt.Fprintf(w, `<html><body><div id="UCAP-CONTENT"><p>%s 的正文</p></div></body></html>`, r.URL.Path)
			return
		}
		calls.Add(1)
		q := r.URL.Query()
		if q.Get("type") != "" || q.Get("Referer") != "" || r.Header.Get("Referer") == "" {
			t.Errorf("request %s: a type= parameter or no Referer", r.URL)
		}
		p, _ := strconv.Atoi(q.Get("p"))
		n, _ := strconv.Atoi(q.Get("n"))
		type item struct {
			Title      string  `json:"title"`
			URL        string  `json:"url"`
			PCode      string  `json:"pcode"`
			PubOrg     string  `json:"puborg"`
			PubTimeStr *string `json:"pubtimeStr"`
			PTime      int64   `json:"ptime"`
		}
		var gw, bm []item
		for i := (p - 1) * n; i < p*n && i < total; i++ {
			var date *string
			if p == 1 {
				d := "2026.01.02"
				date = &d
			}
			it := item{Title: fmt.Sprintf("关于社会<em>信用</em>的通知%d", i), URL: fmt.Sprintf("%s/zhengce/content/202601/content_%d.htm", srv.URL, i),
				PCode: fmt.Sprintf("国办发〔2026〕%d号", i), PubOrg: "国务院办公厅", PubTimeStr: date, PTime: 1767283200000}
			gw = append(gw, it)
			if i%2 == 0 {
				bm = append(bm, it) // overlap between buckets
			}
		}
		resp := map[string]any{"code": 200, "searchVO": map[string]any{"totalCount": 0, "catMap": map[string]any{
			"gongwen":   map[string]any{"totalCount": total, "listVO": gw},
			"bumenfile": map[string]any{"totalCount": (total + 1) / 2, "listVO": bm},
		}}}
		json.NewEncoder(w).Encode(resp)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestGovcnAdapter(t *testing.T) {
	srv, calls := govcnAPI(t, 25)
	c, st := memCrawl(t, hostOf(srv.URL))
	src := Source{Name: "govcn", Adapter: "govcn", URL: srv.URL + "/search-gov/data", Query: "信用", Keywords: []string{"信用"},
		MaxPages: 10, Budget: 1000, StopAfterKnown: 1, Options: map[string]string{"n": "10"}}
	ctx := context.Background()
	reps, err := c.Crawl(ctx, []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	r := reps[0]
	if r.Pages != 3 || r.Listed != 25 || r.New != 25 || !r.Complete || calls.Load() != 3 {
		t.Errorf("first crawl: pages %d, listed %d, new %d, complete %v, API calls %d; want 3, 25 (deduped), 25, true, 3",
			r.Pages, r.Listed, r.New, r.Complete, calls.Load())
	}
	s, ok, _ := st.URLState(ctx, Canonical(srv.URL+"/zhengce/content/202601/content_0.htm"))
	if !ok || s.Title != "关于社会信用的通知0" {
		t.Errorf("title = %q, want the <em> highlight removed", s.Title)
	}
	reps, _ = c.Crawl(ctx, []Source{src})
	if r := reps[0]; r.Pages != 1 || r.Requests != 1 || r.New != 0 {
		t.Errorf("re-run: pages %d, requests %d, new %d; want the incremental stop after page 1", r.Pages, r.Requests, r.New)
	}
}

// hanwebSite reproduces a Hanweb jpage column (research/sources.md A.6):
// the static index_1.html is a 404; the list comes from POST
// dataproxy.jsp?startrecord=&endrecord=&perpage= with the column's form
// fields, as XML records holding <li><a> HTML in CDATA.
func TestHanwebAdapter(t *testing.T) {
	const total = 7
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt", "/col/col1229/index_1.html":
			http.NotFound(w, r)
		case "/module/web/jpage/dataproxy.jsp":
			body, _ := io.ReadAll(r.Body)
			form, _ := url.ParseQuery(string(body))
			if r.Method != http.MethodPost || form.Get("columnid") != "1229" || form.Get("unitid") != "42" {
				http.Error(w, "bad request", 400)
				return
			}
			start, _ := strconv.Atoi(r.URL.Query().Get("startrecord"))
			end, _ := strconv.Atoi(r.URL.Query().Get("endrecord"))
			var b strings.Builder
			fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=1229&unitid=42&webname=x&permissiontype=0"></a>]]></nextgroup><recordset>`)
			for i := start; i <= end && i <= total; i++ {
				fmt.Fprintf(&b, `<record><![CDATA[<li><a href="/art/2026/1/%d/art_1229_%d.html" title="信用文件%d" target="_blank">信用文件%d</a><span>2026-01-%02d</span></li>]]></record>`, i, i, i, i, i)
			}
			fmt.Fprintf(&b, `</recordset><totalrecord>%d</totalrecord><totalpage>%d</totalpage></datastore>`, total, (total+2)/3)
			w.Header().Set("Content-Type", "text/xml;charset=utf-8")
			io.WriteString(w, b.String())
		default:
			if strings.HasPrefix(r.URL.Path, "/art/") {
				fmt.Fprintf(w, `<html><body><div id="zoom"><p>%s 正文</p></div></body></html>`, r.URL.Path)
				return
			}
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, _ := memCrawl(t, hostOf(srv.URL))
	src := Source{Name: "zj", Adapter: "hanweb", URL: srv.URL + "/col/col1229/index.html", MaxPages: 10, Budget: 100,
		StopAfterKnown: 1, Options: map[string]string{"columnid": "1229", "unitid": "42", "perpage": "3"}}
	reps, err := c.Crawl(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	if r := reps[0]; r.Pages != 3 || r.New != total || !r.Complete || r.Status != corpus.SourceOK {
		t.Errorf("hanweb: %+v; want 3 pages, %d new, complete", r, total)
	}
}

func TestHTMLAdapter(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/xyzc/list.html":
			fmt.Fprint(w, `<div class="list"><a href="/xyzc/20260604/f077aa.html">信用条例</a><a href="/xyzc/20260603/b1.html">信用办法</a></div><a class="next" href="/xyzc/list2.html">下一页</a><a href="/about.html">关于</a>`)
		case "/xyzc/list2.html":
			fmt.Fprint(w, `<div class="list"><a href="/xyzc/20260101/c2.html">信用修复</a></div>`)
		default:
			fmt.Fprint(w, `<html><body><p>正文</p><a href="/files/附件1.docx">附件1</a></body></html>`)
		}
	}))
	defer srv.Close()
	c, _ := memCrawl(t, hostOf(srv.URL))
	src := Source{Name: "sh", Adapter: "html", URL: srv.URL + "/xyzc/list.html", MaxPages: 5, Budget: 100, StopAfterKnown: 1,
		Options: map[string]string{"item": "div.list a", "next": "a.next"}}
	reps, err := c.Crawl(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	// 3 notices, and the one attachment they share stored once.
	if r := reps[0]; r.Pages != 2 || r.Listed != 3 || r.New != 4 || r.Attach != 1 || !r.Complete {
		t.Errorf("html: %+v; want 2 pages, 3 listed, 4 new (3 + 1 attachment)", r)
	}
}
