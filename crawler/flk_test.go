package crawler

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scs-project/scs/corpus"
)

// flkSite reproduces the flk.npc.gov.cn API as research/sources.md A.4
// describes it: POST /law-search/search/list (every body field required,
// orderByParam an object, else 500 系统异常), GET search/flfgDetails,
// GET download/pc answering a pre-signed link that expires, the files
// under /obs/, and the rate limit: empty 200 answers after 20 requests
// without a rest.
type flkSite struct {
	mu       sync.Mutex
	laws     []flkLaw
	srv      *httptest.Server
	burst    int            // API requests since the last rest
	empties  int            // empty answers served (rate limited)
	expired  map[string]int // bbbs → links to hand out already expired
	links    int            // download links issued
	files    int            // file downloads served
	bodies   []map[string]any
	bad      int // search bodies refused (missing fields)
	noPDFFor string
}

type flkLaw struct{ bbbs, title, gbrq, sxx string }

func newFLKSite(t testing.TB, laws []flkLaw) *flkSite {
	s := &flkSite{laws: laws, expired: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// rest is called by the test's Sleep: a pause of a second or more resets
// the server's burst count.
func (s *flkSite) rest(d time.Duration) {
	if d >= time.Second {
		s.mu.Lock()
		s.burst = 0
		s.mu.Unlock()
	}
}

func (s *flkSite) law(bbbs string) (flkLaw, bool) {
	for _, l := range s.laws {
		if l.bbbs == bbbs {
			return l, true
		}
	}
	return flkLaw{}, false
}

func (s *flkSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := r.URL.Path
	if p == "/robots.txt" {
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		return
	}
	if strings.HasPrefix(p, "/law-search/") {
		s.burst++
		if s.burst > 20 {
			s.empties++
			w.WriteHeader(200) // the rate limit: an empty body
			return
		}
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	switch {
	case p == "/law-search/search/list" && r.Method == "POST":
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			s.bad++
			w.WriteHeader(500)
			fmt.Fprint(w, `{"code":500,"msg":"系统异常"}`)
			return
		}
		for _, k := range []string{"searchRange", "searchType", "searchContent", "sxx", "gbrq", "sxrq", "gbrqYear",
			"flfgCodeId", "zdjgCodeId", "orderByParam", "pageNum", "pageSize"} {
			if _, ok := body[k]; !ok {
				s.bad++
				w.WriteHeader(500)
				fmt.Fprint(w, `{"code":500,"msg":"系统异常"}`)
				return
			}
		}
		if _, ok := body["orderByParam"].(map[string]any); !ok {
			s.bad++
			w.WriteHeader(500)
			fmt.Fprint(w, `{"code":500,"msg":"系统异常"}`)
			return
		}
		s.bodies = append(s.bodies, body)
		num, size := int(body["pageNum"].(float64)), int(body["pageSize"].(float64))
		q := body["searchContent"].(string)
		var hits []flkLaw
		for _, l := range s.laws {
			if strings.Contains(l.title, q) {
				hits = append(hits, l)
			}
		}
		var rows []map[string]any
		for i := (num - 1) * size; i < min(num*size, len(hits)); i++ {
			l := hits[i]
			sxx := 3
			fmt.Sscan(l.sxx, &sxx)
			rows = append(rows, map[string]any{"bbbs": l.bbbs, "title": strings.ReplaceAll(l.title, q, "<em class='highlight'>"+q+"</em>"),
				"gbrq": l.gbrq, "sxrq": l.gbrq, "sxx": sxx, "flxz": "法律", "zdjgName": "全国人民代表大会常务委员会",
				"flfgCodeId": 120, "zdjgCodeId": 110})
		}
		json.NewEncoder(w).Encode(map[string]any{"code": 200, "msg": "操作成功", "total": len(hits), "rows": rows})
	case p == "/law-search/search/flfgDetails":
		l, ok := s.law(r.URL.Query().Get("bbbs"))
		if !ok {
			fmt.Fprint(w, `{"code":500,"msg":"数据不存在"}`)
			return
		}
		oss := map[string]string{"ossWordPath": "prod/" + l.bbbs + ".docx", "ossPdfPath": "prod/" + l.bbbs + ".pdf",
			"ossWordOfdPath": "prod/" + l.bbbs + ".ofd"}
		if l.bbbs == s.noPDFFor {
			oss["ossPdfPath"] = ""
		}
		json.NewEncoder(w).Encode(map[string]any{"code": 200, "msg": "操作成功", "data": map[string]any{
			"bbbs": l.bbbs, "title": l.title, "gbrq": l.gbrq, "sxrq": l.gbrq, "sxx": 3, "flxz": "法律",
			"zdjgName": "全国人民代表大会常务委员会", "ossFile": oss,
			"content": []map[string]any{{"title": "第一章 总则", "children": []any{}}},
			"lsyg":    []map[string]any{{"bbbs": l.bbbs, "title": l.title, "gbrq": l.gbrq, "highLight": true}},
		}})
	case p == "/law-search/download/pc":
		q := r.URL.Query()
		if _, ok := s.law(q.Get("bbbs")); !ok || q.Get("format") == "" {
			fmt.Fprint(w, `{"code":500,"msg":"参数错误"}`)
			return
		}
		s.links++
		exp := time.Now().Add(time.Hour).Unix()
		if s.expired[q.Get("bbbs")] > 0 {
			s.expired[q.Get("bbbs")]--
			exp = time.Now().Add(-time.Minute).Unix()
		}
		json.NewEncoder(w).Encode(map[string]any{"code": 200, "data": map[string]any{
			"url":   fmt.Sprintf("%s/obs/prod/%s.%s?AccessKeyId=X&Expires=%d&Signature=s%d", s.srv.URL, q.Get("bbbs"), q.Get("format"), exp, s.links),
			"urlIn": "http://172.16.1.1/obs/prod/" + q.Get("bbbs"),
		}})
	case strings.HasPrefix(p, "/obs/prod/"):
		var exp int64
		fmt.Sscan(r.URL.Query().Get("Expires"), &exp)
		if exp < time.Now().Unix() {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(403)
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`)
			return
		}
		s.files++
		w.Header().Set("Content-Type", "binary/octet-stream")
		fmt.Fprintf(w, "PK\x03\x04 file %s", strings.TrimPrefix(p, "/obs/prod/"))
	default:
		http.NotFound(w, r)
	}
}

func flkTestCrawler(t *testing.T, site *flkSite) (*Crawler, *corpus.Store, *sleeps) {
	t.Helper()
	st, err := corpus.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sl := &sleeps{}
	f := NewFetcher(FetchConfig{Delay: -1, AllowedHosts: []string{hostOf(site.srv.URL)}, Sleep: func(ctx context.Context, d time.Duration) error {
		site.rest(d)
		return sl.sleep(ctx, d)
	}})
	return New(Config{Fetcher: f, State: st, Sink: st}), st, sl
}

func flkSource(site *flkSite) Source {
	return Source{Name: "flk", Adapter: "flk", URL: site.srv.URL + "/law-search/search/list", Query: "信用",
		MaxPages: 10, Budget: 1000, StopAfterKnown: 1, Delay: Duration(500 * time.Millisecond),
		PauseEvery: 20, Pause: Duration(5 * time.Second), Options: map[string]string{"page_size": "2"}}
}

func flkLaws(n int) []flkLaw {
	var laws []flkLaw
	for i := range n {
		laws = append(laws, flkLaw{bbbs: fmt.Sprintf("ff80818100000000000000000000%04d", i), title: fmt.Sprintf("中华人民共和国社会信用法第%d号", i), gbrq: "2025-06-01"})
	}
	return laws
}

func TestFLK(t *testing.T) {
	site := newFLKSite(t, append(flkLaws(8), flkLaw{bbbs: "other", title: "中华人民共和国民法典", gbrq: "2020-05-28"}))
	site.expired["ff808181000000000000000000000001"] = 1 // its first link has expired
	c, st, sl := flkTestCrawler(t, site)
	src := flkSource(site)
	reps, err := c.Crawl(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	r := reps[0]
	if r.Status != corpus.SourceOK || r.New != 8 || r.Pages != 4 || !r.Complete || r.Failed != 0 {
		t.Fatalf("report = %+v, want ok, 8 new of 4 pages, complete", r)
	}
	if site.bad != 0 {
		t.Errorf("%d search bodies refused by the server (missing fields)", site.bad)
	}
	if site.empties != 0 {
		t.Errorf("%d empty (rate-limited) answers: the pause was not honoured", site.empties)
	}
	if site.links != 9 {
		t.Errorf("download links issued = %d, want 9 (8 laws, one link expired and re-requested)", site.links)
	}
	var pauses, delays int
	for _, d := range sl.all() {
		switch {
		case d == 5*time.Second:
			pauses++
		case d > 0 && d <= 500*time.Millisecond:
			delays++
		}
	}
	if pauses == 0 || pauses != r.Pauses || r.Requests < 20 {
		t.Errorf("pauses = %d (report %d) over %d requests, want one per 20 requests", pauses, r.Pauses, r.Requests)
	}
	if delays == 0 {
		t.Errorf("no per-host delay of at most 500ms observed: %v", sl.all())
	}

	law := "ff808181000000000000000000000001"
	fu := Canonical(site.srv.URL + "/law-search/download/pc?bbbs=" + law + "&fileId=&format=docx")
	fst, ok, err := st.URLState(context.Background(), fu)
	if err != nil || !ok {
		t.Fatalf("no crawl state for %s: %v", fu, err)
	}
	for k, want := range map[string]string{"title": "中华人民共和国社会信用法第1号", "发布机关": "全国人民代表大会常务委员会",
		"公布日期": "2025-06-01", "施行日期": "2025-06-01", "有效性": "有效", "flk_bbbs": law, "flk_format": "docx"} {
		if got := fst.Meta[k]; got != want {
			t.Errorf("meta[%s] = %q, want %q", k, got, want)
		}
	}
	if !strings.Contains(fst.Meta["flk_versions"], `"highLight":true`) {
		t.Errorf("meta flk_versions = %q, want the version history", fst.Meta["flk_versions"])
	}
	if strings.Contains(fst.FinalURL, "Signature") || !strings.Contains(fst.FinalURL, "/obs/prod/"+law+".docx") {
		t.Errorf("final URL = %q, want the OBS path without its signature", fst.FinalURL)
	}
	if fst.Kind != "download" || !strings.Contains(fst.Parent, "flfgDetails?bbbs="+law) || fst.Status != corpus.URLOK {
		t.Errorf("file state = %+v", fst)
	}
	d, err := st.Load(context.Background(), corpus.DocumentID(fu))
	if err != nil {
		t.Fatal(err)
	}
	if want := "PK\x03\x04 file " + law + ".docx"; string(d.Raw) != want || !strings.Contains(d.ContentType, "wordprocessingml") {
		t.Errorf("stored %q (%s), want %q as docx", d.Raw, d.ContentType, want)
	}
	pm, err := st.CrawlPageMeta(context.Background(), fu)
	if err != nil || pm["title"] != "中华人民共和国社会信用法第1号" || pm["crawl_source"] != "flk" {
		t.Errorf("CrawlPageMeta = %v, %v", pm, err)
	}

	// A re-run with nothing new: one search page, nothing fetched.
	before := site.files
	reps, err = c.Crawl(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	if r := reps[0]; r.New != 0 || r.Fetched != 0 || r.Pages != 1 || site.files != before {
		t.Errorf("re-run = %+v (%d files fetched), want one page and nothing fetched", r, site.files-before)
	}
}

func TestFLKRateLimitWithoutPause(t *testing.T) {
	site := newFLKSite(t, flkLaws(9))
	c, _, sl := flkTestCrawler(t, site)
	src := flkSource(site)
	src.PauseEvery, src.Pause = 0, 0
	reps, err := c.Crawl(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	if site.empties == 0 {
		t.Fatal("the site never rate-limited: the test does not test")
	}
	if r := reps[0]; r.New != 9 || r.Failed != 0 {
		t.Errorf("report = %+v, want all 9 laws despite %d empty answers", r, site.empties)
	}
	backoff := false
	for _, d := range sl.all() {
		backoff = backoff || d == time.Second
	}
	if !backoff {
		t.Errorf("no 1s wait after an empty answer: %v", sl.all())
	}
}

func TestFLKFormats(t *testing.T) {
	site := newFLKSite(t, flkLaws(2))
	site.noPDFFor = "ff808181000000000000000000000000"
	c, st, _ := flkTestCrawler(t, site)
	src := flkSource(site)
	src.Options["formats"] = "docx,pdf"
	reps, err := c.Crawl(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	if r := reps[0]; r.New != 3 {
		t.Errorf("new = %d, want 3 (docx of both, pdf of the one that has it)", r.New)
	}
	all, _ := st.URLStates(context.Background(), "flk")
	var pdfs int
	for _, u := range all {
		if strings.Contains(u.URL, "format=pdf") {
			pdfs++
			if u.ContentType != "application/pdf" {
				t.Errorf("%s: content type %q", u.URL, u.ContentType)
			}
		}
	}
	if pdfs != 1 {
		t.Errorf("pdf files = %d, want 1", pdfs)
	}
}

func TestFLKOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  map[string]string
		want string
	}{
		{"bad page size", map[string]string{"page_size": "x"}, "page_size"},
		{"bad format", map[string]string{"formats": "ofd"}, "formats"},
		{"bad sxx", map[string]string{"sxx": "3,a"}, "sxx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newFLKLister(Source{Name: "flk", URL: "https://flk.npc.gov.cn/law-search/search/list", Options: tt.opt})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one naming %s", err, tt.want)
			}
		})
	}
}
