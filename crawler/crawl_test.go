package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/scs-project/scs/corpus"
)

// trsSite is a local TRS CMS column as research/sources.md A.2 describes
// NDRC's: index.html, index_1.html … with createPageHTML(N, cur, "index",
// "html"); items li > a[title] + span(date); details tYYYYMMDD_N.html with
// the body in .TRS_Editor and relative ./P0….pdf attachments.
type trsSite struct {
	mu       sync.Mutex
	pages    [][]trsItem // list pages, newest first
	requests map[string]int
	gbk      map[string]bool // details served in GBK
	srv      *httptest.Server
}

type trsItem struct {
	id, title string
	attach    bool
}

func newTRSSite(t testing.TB, pages [][]trsItem) *trsSite {
	s := &trsSite{pages: pages, requests: map[string]int{}, gbk: map[string]bool{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *trsSite) col() string { return s.srv.URL + "/xxgk/zcfb/tz/index.html" }

func (s *trsSite) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

func (s *trsSite) total(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for p, c := range s.requests {
		if strings.HasPrefix(p, prefix) {
			n += c
		}
	}
	return n
}

func (s *trsSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests[r.URL.Path]++
	pages := s.pages
	gbk := s.gbk[r.URL.Path]
	s.mu.Unlock()
	p := r.URL.Path
	switch {
	case p == "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nDisallow: /admin/\n")
	case strings.HasPrefix(p, "/xxgk/zcfb/tz/index"):
		n := 0
		if p != "/xxgk/zcfb/tz/index.html" {
			fmt.Sscanf(strings.TrimPrefix(p, "/xxgk/zcfb/tz/index_"), "%d.html", &n)
		}
		if n >= len(pages) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><ul class="u-list">`)
		for _, it := range pages[n] {
			fmt.Fprintf(w, `<li><a href="./202608/t20260820_%s.html" target="_blank" title="%s">%s</a><span>2026/08/20</span></li>`,
				it.id, it.title, it.title)
		}
		fmt.Fprintf(w, `</ul><script>createPageHTML(%d, %d, "index", "html");</script></body></html>`, len(pages), n)
	case strings.HasPrefix(p, "/xxgk/zcfb/tz/202608/P0") && strings.HasSuffix(p, ".pdf"):
		w.Header().Set("Content-Type", "application/pdf")
		fmt.Fprint(w, "%PDF-1.4 fake attachment "+p)
	case strings.HasPrefix(p, "/xxgk/zcfb/tz/202608/t20260820_"):
		id := strings.TrimSuffix(strings.TrimPrefix(p, "/xxgk/zcfb/tz/202608/t20260820_"), ".html")
		var it *trsItem
		for _, pg := range pages {
			for i := range pg {
				if pg[i].id == id {
					it = &pg[i]
				}
			}
		}
		if it == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("ETag", `"`+id+`"`)
		if r.Header.Get("If-None-Match") == `"`+id+`"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body := fmt.Sprintf(`<html><head><meta charset="%s"><title>%s</title></head><body><div class="article_con"><div class="TRS_Editor">
<p>各省、自治区、直辖市发展改革委：</p><p>%s，现印发给你们，请认真贯彻执行。</p>`, map[bool]string{true: "gbk", false: "utf-8"}[gbk], it.title, it.title)
		if it.attach {
			body += fmt.Sprintf(`<p>附件：<a href="./P0202608203011%s.pdf">关于对失信主体实施联合惩戒的合作备忘录.pdf</a></p>`, id)
		}
		body += `</div></div></body></html>`
		if gbk {
			w.Header().Set("Content-Type", "text/html")
			b, _ := simplifiedchinese.GBK.NewEncoder().String(body)
			fmt.Fprint(w, b)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	default:
		http.NotFound(w, r)
	}
}

// memCrawl is a crawler over a fresh store, with no delay.
func memCrawl(t *testing.T, hosts ...string) (*Crawler, *corpus.Store) {
	t.Helper()
	st, err := corpus.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return newTestCrawler(st, hosts), st
}

func memCrawlB(b *testing.B, hosts ...string) (*Crawler, *corpus.Store) {
	st, err := corpus.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	return newTestCrawler(st, hosts), st
}

func newTestCrawler(st *corpus.Store, hosts []string) *Crawler {
	f := NewFetcher(FetchConfig{Delay: -1, AllowedHosts: hosts, Sleep: (&sleeps{}).sleep})
	return New(Config{Fetcher: f, State: st, Sink: st})
}

func hostOf(s string) string { u, _ := url.Parse(s); return u.Host }

func trsSource(site *trsSite) Source {
	return Source{Name: "ndrc-tz", Adapter: "trs", URL: site.col(), Keywords: []string{"信用", "失信", "备忘录"},
		MaxPages: 10, Budget: 1000, StopAfterKnown: 1, Options: map[string]string{}}
}

func TestCrawlTRS(t *testing.T) {
	site := newTRSSite(t, [][]trsItem{
		{{"1407101", "关于推进社会信用体系建设的通知", true}, {"1407102", "关于做好防汛工作的通知", false}},
		{{"1407090", "关于对失信主体开展联合惩戒的通知", false}, {"1407091", "关于印发合作备忘录的通知", true}},
		{{"1407080", "社会信用体系建设规划纲要", false}},
	})
	c, st := memCrawl(t, hostOf(site.srv.URL))
	ctx := context.Background()
	src := trsSource(site)

	reps, err := c.Crawl(ctx, []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	r := reps[0]
	want := Report{Pages: 3, Listed: 5, Filtered: 1, New: 6, Attach: 2, Failed: 0}
	if r.Pages != want.Pages || r.Listed != want.Listed || r.Filtered != want.Filtered || r.New != want.New ||
		r.Attach != want.Attach || r.Failed != want.Failed || !r.Complete || r.Status != corpus.SourceOK {
		t.Fatalf("first crawl: %+v\nwant pages 3, listed 5, filtered 1, new 6 (4 notices + 2 PDFs), attachments 2, complete", r)
	}
	if n := site.count("/xxgk/zcfb/tz/202608/t20260820_1407102.html"); n != 0 {
		t.Errorf("the item without a keyword was fetched %d times, want 0", n)
	}

	t.Run("attachments linked to their notice", func(t *testing.T) {
		states, err := st.URLStates(ctx, "ndrc-tz")
		if err != nil {
			t.Fatal(err)
		}
		parents := map[string]string{}
		for _, s := range states {
			if s.Kind == "attachment" {
				parents[s.URL] = s.Parent
			}
		}
		pdf := Canonical(site.srv.URL + "/xxgk/zcfb/tz/202608/P02026082030111407091.pdf")
		if got, want := parents[pdf], Canonical(site.srv.URL+"/xxgk/zcfb/tz/202608/t20260820_1407091.html"); got != want {
			t.Errorf("parent of %s = %q, want %q (all: %v)", pdf, got, want, parents)
		}
		docs, _ := st.List(ctx, corpus.All)
		if len(docs) != 6 {
			t.Errorf("corpus holds %d documents, want 6", len(docs))
		}
		for _, d := range docs {
			if strings.HasSuffix(d.Source, ".pdf") && d.ContentType != "application/pdf" {
				t.Errorf("%s: content type %q, want application/pdf", d.Source, d.ContentType)
			}
		}
	})

	t.Run("a re-run with nothing new fetches one list page and no detail", func(t *testing.T) {
		before := site.total("/xxgk/zcfb/tz/202608/")
		reps, err := c.Crawl(ctx, []Source{src})
		if err != nil {
			t.Fatal(err)
		}
		r := reps[0]
		if r.Pages != 1 || r.Requests != 1 || r.New != 0 || r.Fetched != 0 {
			t.Errorf("re-run: pages %d, requests %d, new %d, fetched %d; want 1, 1, 0, 0", r.Pages, r.Requests, r.New, r.Fetched)
		}
		if got := site.total("/xxgk/zcfb/tz/202608/"); got != before {
			t.Errorf("detail requests went from %d to %d, want none", before, got)
		}
	})

	t.Run("a new item on page 1 is fetched, paging stops after it", func(t *testing.T) {
		site.mu.Lock()
		site.pages[0] = append([]trsItem{{"1407110", "关于信用修复的通知", false}}, site.pages[0]...)
		site.mu.Unlock()
		reps, err := c.Crawl(ctx, []Source{src})
		if err != nil {
			t.Fatal(err)
		}
		r := reps[0]
		if r.New != 1 || r.Pages != 2 {
			t.Errorf("new %d, pages %d; want 1 new and stop after the known page 2", r.New, r.Pages)
		}
	})

	t.Run("a full walk marks removed items gone and keeps their documents", func(t *testing.T) {
		site.mu.Lock()
		site.pages[2] = nil // 规划纲要 disappears
		site.mu.Unlock()
		full := src
		full.StopAfterKnown = -1
		reps, err := c.Crawl(ctx, []Source{full})
		if err != nil {
			t.Fatal(err)
		}
		if reps[0].Gone != 1 {
			t.Errorf("gone = %d, want 1 (%+v)", reps[0].Gone, reps[0])
		}
		s, ok, _ := st.URLState(ctx, Canonical(site.srv.URL+"/xxgk/zcfb/tz/202608/t20260820_1407080.html"))
		if !ok || s.Status != corpus.URLGone {
			t.Errorf("state of the removed item = %+v, want gone", s)
		}
		docs, _ := st.List(ctx, corpus.All)
		if len(docs) != 7 {
			t.Errorf("corpus holds %d documents, want 7 (nothing deleted)", len(docs))
		}
	})
}

func TestCrawlConditionalGET(t *testing.T) {
	site := newTRSSite(t, [][]trsItem{{{"1", "社会信用条例", false}}})
	c, st := memCrawl(t, hostOf(site.srv.URL))
	ctx := context.Background()
	if _, err := c.Crawl(ctx, []Source{trsSource(site)}); err != nil {
		t.Fatal(err)
	}
	// A failed fetch is retried with the validators kept: mark it failed.
	u := Canonical(site.srv.URL + "/xxgk/zcfb/tz/202608/t20260820_1.html")
	s, _, _ := st.URLState(ctx, u)
	if s.ETag != `"1"` {
		t.Fatalf("stored ETag = %q, want \"1\"", s.ETag)
	}
	s.Status = corpus.URLFailed
	st.SaveURLState(ctx, s)
	reps, err := c.Crawl(ctx, []Source{trsSource(site)})
	if err != nil {
		t.Fatal(err)
	}
	if r := reps[0]; r.Unchanged != 1 || r.Fetched != 0 || r.New != 0 {
		t.Errorf("re-fetch with ETag: unchanged %d, fetched %d, new %d; want 304 → 1 unchanged", r.Unchanged, r.Fetched, r.New)
	}
}

func TestCrawlChallengeBlocksSource(t *testing.T) {
	wall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(412)
		fmt.Fprint(w, `<html><head><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=84522;</script><script src="/x.js"></script></head></html>`)
	}))
	defer wall.Close()
	wall200 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><script>var arg1='3A1F';document.cookie="acw_sc__v2="+arg1;location.reload();</script></html>`)
	}))
	defer wall200.Close()
	site := newTRSSite(t, [][]trsItem{{{"1", "社会信用条例", false}}})
	c, st := memCrawl(t, hostOf(site.srv.URL), hostOf(wall.URL), hostOf(wall200.URL))
	ctx := context.Background()
	srcs := []Source{
		{Name: "creditchina", Adapter: "trs", URL: wall.URL + "/zhengcefagui/index.html", MaxPages: 3, Budget: 10},
		{Name: "waf200", Adapter: "trs", URL: wall200.URL + "/index.html", MaxPages: 3, Budget: 10},
		trsSource(site),
	}
	reps, err := c.Crawl(ctx, srcs)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{corpus.SourceBlocked, corpus.SourceBlocked, corpus.SourceOK} {
		if reps[i].Status != want {
			t.Errorf("%s: status %s (%s), want %s", reps[i].Name, reps[i].Status, reps[i].Reason, want)
		}
	}
	if !strings.Contains(reps[0].Reason, "412") || !strings.Contains(reps[1].Reason, "acw_sc__v2") {
		t.Errorf("reasons %q, %q: want the status and the marker", reps[0].Reason, reps[1].Reason)
	}
	docs, _ := st.List(ctx, corpus.All)
	for _, d := range docs {
		if strings.HasPrefix(d.Source, wall.URL) || strings.HasPrefix(d.Source, wall200.URL) {
			t.Errorf("challenge page stored as a document: %s", d.Source)
		}
	}
	if len(docs) != 1 {
		t.Errorf("corpus holds %d documents, want the 1 from the open site", len(docs))
	}
	states, _ := st.SourceStates(ctx)
	if states["creditchina"].Status != corpus.SourceBlocked || states["ndrc-tz"].Documents != 1 {
		t.Errorf("source states: %+v", states)
	}
}

func TestCrawlBudget(t *testing.T) {
	site := newTRSSite(t, [][]trsItem{{{"1", "信用一", false}, {"2", "信用二", false}, {"3", "信用三", false}}})
	c, _ := memCrawl(t, hostOf(site.srv.URL))
	src := trsSource(site)
	src.Budget = 2
	reps, err := c.Crawl(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	if r := reps[0]; r.Requests != 2 || r.New != 1 || !strings.Contains(r.Reason, "budget") {
		t.Errorf("budget 2: requests %d, new %d, reason %q; want 2 requests (list + 1 detail) and the budget named", r.Requests, r.New, r.Reason)
	}
}

func TestCrawlResumesAfterInterruption(t *testing.T) {
	site := newTRSSite(t, [][]trsItem{{{"1", "信用一", false}}, {{"2", "信用二", false}}})
	c, st := memCrawl(t, hostOf(site.srv.URL))
	ctx := context.Background()
	// The first run was killed after page 1: its items are held, page 2's
	// are not, and the source is still marked running.
	src := trsSource(site)
	src.MaxPages = 1
	if _, err := c.Crawl(ctx, []Source{src}); err != nil {
		t.Fatal(err)
	}
	st.SaveSourceState(ctx, corpus.SourceState{Name: src.Name, Status: "running"})
	reps, err := c.Crawl(ctx, []Source{trsSource(site)})
	if err != nil {
		t.Fatal(err)
	}
	if r := reps[0]; r.New != 1 || r.Pages != 2 {
		t.Errorf("resumed run: new %d, pages %d; want page 2's item fetched despite a known page 1", r.New, r.Pages)
	}
	docs, _ := st.List(ctx, corpus.All)
	if len(docs) != 2 {
		t.Errorf("corpus holds %d documents, want 2 (none lost, none duplicated)", len(docs))
	}
}

func TestTRSPageURL(t *testing.T) {
	tests := []struct {
		first string
		n     int
		want  string
	}{
		{"https://www.ndrc.gov.cn/xxgk/zcfb/tz/index.html", 1, "https://www.ndrc.gov.cn/xxgk/zcfb/tz/index_1.html"},
		{"https://www.ndrc.gov.cn/xxgk/zcfb/tz/", 2, "https://www.ndrc.gov.cn/xxgk/zcfb/tz/index_2.html"},
		{"https://x.gov.cn/col/index.shtml", 3, "https://x.gov.cn/col/index_3.shtml"},
	}
	for _, tt := range tests {
		t.Run(tt.first, func(t *testing.T) {
			ext := ""
			if got := trsPageURL(tt.first, tt.n, ext); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestDuplicatesAcrossSites: the same notice republished on two sites is
// kept under both URLs; the later copy names the first in DuplicateOf.
func TestDuplicatesAcrossSites(t *testing.T) {
	items := [][]trsItem{{{"1407101", "关于推进社会信用体系建设的通知", true}}}
	a, b := newTRSSite(t, items), newTRSSite(t, items)
	c, st := memCrawl(t, hostOf(a.srv.URL), hostOf(b.srv.URL))
	srcA, srcB := trsSource(a), trsSource(b)
	srcB.Name = "mirror"
	ctx := context.Background()
	if _, err := c.Crawl(ctx, []Source{srcA}); err != nil {
		t.Fatal(err)
	}
	reps, err := c.Crawl(ctx, []Source{srcB})
	if err != nil {
		t.Fatal(err)
	}
	if reps[0].New != 2 || reps[0].Duplicates != 2 {
		t.Errorf("second site: new %d, duplicates %d; want 2 and 2 (notice and attachment)", reps[0].New, reps[0].Duplicates)
	}
	all, err := st.URLStates(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	dups := 0
	for _, u := range all {
		if u.SHA256 == "" {
			continue
		}
		if strings.HasPrefix(u.URL, b.srv.URL) {
			if !strings.HasPrefix(u.DuplicateOf, a.srv.URL) || strings.TrimPrefix(u.DuplicateOf, a.srv.URL) != strings.TrimPrefix(u.URL, b.srv.URL) {
				t.Errorf("%s: duplicate of %q, want the same path on the first site", u.URL, u.DuplicateOf)
			}
			dups++
		} else if u.DuplicateOf != "" {
			t.Errorf("first copy %s marked a duplicate of %s", u.URL, u.DuplicateOf)
		}
	}
	if dups != 2 {
		t.Errorf("%d copies held from the second site, want 2 (both kept)", dups)
	}
	docs, _ := st.List(ctx, corpus.All)
	if len(docs) != 4 {
		t.Errorf("%d documents in the corpus, want 4 (every copy kept)", len(docs))
	}
}
