package indexer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/elastic/go-elasticsearch/v8"

	"github.com/scs-project/scs/corpus"
)

// The Elasticsearch tests run against a real node: SCS_TEST_ELASTICSEARCH_URL
// or ELASTICSEARCH_URL (make test starts one with scripts/elasticsearch).
// Without one they skip, unless CI is set: then they fail, so that CI never
// passes without them.

var esPrefixes atomic.Int64

// testESURL is where the tests find a node: $SCS_TEST_ELASTICSEARCH_URL
// (what make test sets: it does not leak into the scs processes other tests
// start, which would push to the node), else $ELASTICSEARCH_URL.
func testESURL() string {
	if u := os.Getenv("SCS_TEST_ELASTICSEARCH_URL"); u != "" {
		return u
	}
	return os.Getenv("ELASTICSEARCH_URL")
}

// esURL returns the node's URL, or skips (fails under CI) when there is
// no reachable node.
func esURL(tb testing.TB) string {
	tb.Helper()
	url := testESURL()
	unavailable := func(msg string) {
		tb.Helper()
		if os.Getenv("CI") != "" {
			tb.Fatalf("CI is set but %s: the Elasticsearch tests must run in CI (make test starts a node with scripts/elasticsearch)", msg)
		}
		tb.Skipf("%s: skipping Elasticsearch test (run scripts/elasticsearch start and export ELASTICSEARCH_URL=http://127.0.0.1:9200, or use make test)", msg)
	}
	if url == "" {
		unavailable("neither SCS_TEST_ELASTICSEARCH_URL nor ELASTICSEARCH_URL is set")
	}
	c := http.Client{Timeout: 10 * time.Second}
	res, err := c.Get(strings.TrimRight(url, "/") + "/_cluster/health?wait_for_status=yellow&timeout=10s")
	if err != nil {
		unavailable(fmt.Sprintf("no Elasticsearch at %s (%v)", url, err))
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		unavailable(fmt.Sprintf("Elasticsearch at %s answers %s", url, res.Status))
	}
	return url
}

func esClient(tb testing.TB, url string) *elasticsearch.Client {
	tb.Helper()
	c, err := NewElasticsearchClient(ClientConfig{URL: url, MaxRetries: 2})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// openTestES opens an index under a prefix of its own, deleted with its
// templates when the test ends.
func openTestES(tb testing.TB, cfg ElasticsearchConfig) *Elasticsearch {
	tb.Helper()
	url := esURL(tb)
	if cfg.Prefix == "" {
		cfg.Prefix = fmt.Sprintf("scs-test-%d-%d", os.Getpid(), esPrefixes.Add(1))
	}
	c := esClient(tb, url)
	tb.Cleanup(func() { esDropPrefix(tb, c, cfg.Prefix) })
	ix, err := OpenElasticsearch(context.Background(), c, testSegmenter(tb), cfg)
	if err != nil {
		tb.Fatalf("OpenElasticsearch: %v", err)
	}
	return ix
}

func esDropPrefix(tb testing.TB, c *elasticsearch.Client, prefix string) {
	for _, p := range []string{"/" + prefix + "-*?expand_wildcards=all", "/_index_template/" + prefix + "-*"} {
		req, _ := http.NewRequest(http.MethodDelete, p, nil)
		if res, err := c.Perform(req); err == nil {
			res.Body.Close()
		} else {
			tb.Logf("cleanup %s: %v", p, err)
		}
	}
}

func esFixtureIndex(tb testing.TB) *Elasticsearch {
	tb.Helper()
	ix := openTestES(tb, ElasticsearchConfig{})
	if err := ix.Put(context.Background(), loadFixtures(tb)...); err != nil {
		tb.Fatalf("Put fixtures: %v", err)
	}
	return ix
}

func esStats(tb testing.TB, ix *Elasticsearch) (int, int) {
	tb.Helper()
	d, c, err := ix.Stats(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return d, c
}

func TestESMappingAccepted(t *testing.T) {
	ix := openTestES(t, ElasticsearchConfig{})
	var m map[string]struct {
		Mappings struct {
			Dynamic    string                    `json:"dynamic"`
			Properties map[string]map[string]any `json:"properties"`
		} `json:"mappings"`
	}
	if err := ix.do(t.Context(), http.MethodGet, "/"+ix.clausesAlias+"/_mapping", "", &m); err != nil {
		t.Fatalf("GET mapping: %v", err)
	}
	if len(m) != 1 {
		t.Fatalf("alias %s resolves to %d indices, want 1", ix.clausesAlias, len(m))
	}
	for name, im := range m {
		if want := ix.clausesAlias + "-v1"; name != want {
			t.Errorf("physical index %s, want %s", name, want)
		}
		if im.Mappings.Dynamic != "strict" {
			t.Errorf("dynamic = %q, want strict", im.Mappings.Dynamic)
		}
		for field, want := range map[string]string{"tags": "keyword", "kind": "keyword", "region": "keyword",
			"issuers": "keyword", "doc_number": "keyword", "agencies": "keyword", "sanction_categories": "keyword",
			"issued": "date", "text": "text", "text_seg": "text", "text_exact": "keyword"} {
			if got := im.Mappings.Properties[field]["type"]; got != want {
				t.Errorf("field %s: type %v, want %s", field, got, want)
			}
		}
		if got := im.Mappings.Properties["text_seg"]["analyzer"]; got != "whitespace" {
			t.Errorf("text_seg analyzer %v, want whitespace", got)
		}
	}
	// Strict: a field the mapping does not name is refused.
	err := ix.do(t.Context(), http.MethodPut, "/"+ix.clausesAlias+"/_doc/x", `{"doc_id":"x","surprise":1}`, nil)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != http.StatusBadRequest || !strings.Contains(se.Reason, "strict") {
		t.Errorf("indexing an unmapped field: %v, want a 400 strict_dynamic_mapping_exception", err)
	}
	// Reopening finds the same version.
	ix2, err := OpenElasticsearch(t.Context(), ix.es, testSegmenter(t), ElasticsearchConfig{Prefix: ix.cfg.Prefix})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if vs, err := ix2.versions(t.Context()); err != nil || !reflect.DeepEqual(vs, []int{1}) {
		t.Errorf("versions after reopen = %v, %v; want [1]", vs, err)
	}
}

func TestESBulkRoundTripAndRerun(t *testing.T) {
	ix := esFixtureIndex(t)
	docs := loadFixtures(t)
	wantDocs, wantClauses := 0, 0
	for _, d := range docs {
		if d.Err == nil {
			wantDocs++
			wantClauses += len(d.Clauses)
		}
	}
	d, c := esStats(t, ix)
	if d != wantDocs || c != wantClauses {
		t.Fatalf("after Put: %d documents, %d clauses; want %d, %d", d, c, wantDocs, wantClauses)
	}
	// The stored clause comes back whole.
	r, err := ix.Search(t.Context(), Query{Text: "141号", Limit: 5})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("Search 141号 = %+v, %v; want one hit", r, err)
	}
	h := r.Hits[0]
	var src corpus.Clause
	var doc *corpus.Document
	for _, d := range docs {
		for _, c := range d.Clauses {
			if c.ID == h.ClauseID {
				src, doc = c, d
			}
		}
	}
	if doc == nil {
		t.Fatalf("hit %s is no fixture clause", h.ClauseID)
	}
	got := []any{h.DocID, h.Text, h.Path, h.Title, h.Source, h.Kind, h.Region, h.Issued, h.Tags}
	want := []any{doc.ID, src.Text, src.Path, doc.Title, doc.Source, string(doc.Kind), doc.Region, doc.Issued, nonNil(src.Tags)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip = %v, want %v", got, want)
	}
	if !strings.Contains(h.Snippet, "【141号】") {
		t.Errorf("snippet %q does not mark 【141号】", h.Snippet)
	}
	// Re-runs overwrite by id: the counts do not change.
	for i := range 2 {
		if err := ix.Put(t.Context(), loadFixtures(t)...); err != nil {
			t.Fatalf("re-Put %d: %v", i, err)
		}
		if d, c := esStats(t, ix); d != wantDocs || c != wantClauses {
			t.Errorf("after re-Put %d: %d documents, %d clauses; want %d, %d", i, d, c, wantDocs, wantClauses)
		}
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// esEquivalenceQueries are run on both indexes over the fixtures: the
// Elasticsearch index must return exactly the hits (and totals) of SQLite,
// whose expectations sqlite_test.go pins down.
var esEquivalenceQueries = []Query{
	{Text: "被执行人"}, {Text: "失信被执行人"}, {Text: "惩戒"}, {Text: "联合惩戒"}, {Text: "信用"}, {Text: "信"},
	{Text: "3年"}, {Text: "141号"}, {Text: "〔2016〕"}, {Text: "33号"}, {Text: "ppp"}, {Text: "PPP项目"},
	{Text: "联合 惩戒"}, {Text: "失信　公示"}, {Text: `"联合 惩戒"`}, {Text: `"信用修复"`}, {Text: "“个人信息”"},
	{Text: "惩戒 -联合惩戒"}, {Text: `惩戒 -"联合惩戒"`}, {Text: "-信"}, {Text: "- see"}, {Text: "--"},
	{Text: "这一条不应被索引"}, {Text: "AND OR NEAR"}, {Text: "x*"}, {Text: "(a:b)"}, {Text: "^c +d"}, {Text: `\`},
	{Text: "?"}, {Text: ""},
	{Tags: []string{"sanction"}}, {Tags: []string{"repair", "reward"}}, {Tags: []string{"list"}},
	{Kinds: []corpus.Kind{corpus.KindMOU}}, {Text: "公示", Kinds: []corpus.Kind{corpus.KindMOU, corpus.KindDraft}},
	{Text: "信用", Issuer: "人民银行"}, {Text: "惩戒", Issuer: "发展改革委"}, {Region: "上海市"}, {Region: "上海"},
	{Text: "信用", Since: "2017"}, {Text: "失信被执行人", Until: "2016"}, {Since: "2017-01-01", Until: "2017-12-31"},
	{Text: "惩戒", Until: "2017-06"}, {Text: "惩戒", Until: "2017-06-22"},
	{Text: "失信被执行人", Tags: []string{"sanction"}, Kinds: []corpus.Kind{corpus.KindMOU}, Issuer: "国家发展改革委",
		Region: "national", Since: "2016-01-01", Until: "2016-12-31"},
	{Text: "公示", Region: "national", Tags: []string{"data"}}, {Text: "-惩戒", Kinds: []corpus.Kind{corpus.KindMOU}},
}

func TestESSearchMatchesSQLite(t *testing.T) {
	es := esFixtureIndex(t)
	sq := fixtureIndex(t)
	for _, q := range esEquivalenceQueries {
		q.Limit = 100
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			want, err := sq.Search(t.Context(), q)
			if err != nil {
				t.Fatalf("SQLite: %v", err)
			}
			got, err := es.Search(t.Context(), q)
			if err != nil {
				t.Fatalf("Elasticsearch: %v", err)
			}
			if g, w := hitIDs(got), hitIDs(want); !reflect.DeepEqual(g, w) {
				t.Errorf("hits = %v, want (SQLite) %v", g, w)
			}
			if got.Total != want.Total {
				t.Errorf("Total = %d, want %d", got.Total, want.Total)
			}
			// Facets count the hits.
			wantFacets := map[string]map[string]int{"tag": {}, "kind": {}, "region": {}}
			for _, h := range want.Hits {
				for _, tag := range h.Tags {
					wantFacets["tag"][tag]++
				}
				wantFacets["kind"][h.Kind]++
				if h.Region != "" {
					wantFacets["region"][h.Region]++
				}
			}
			for name, counts := range wantFacets {
				gotCounts := map[string]int{}
				for _, fc := range got.Facets[name] {
					gotCounts[fc.Value] = fc.Count
				}
				if !reflect.DeepEqual(gotCounts, counts) {
					t.Errorf("facet %s = %v, want %v", name, gotCounts, counts)
				}
			}
			// Snippets mark the same matches.
			snips := map[string]string{}
			for _, h := range want.Hits {
				snips[h.ClauseID] = h.Snippet
			}
			for _, h := range got.Hits {
				if h.Snippet != snips[h.ClauseID] {
					t.Errorf("clause %s snippet %q, want %q", h.ClauseID, h.Snippet, snips[h.ClauseID])
				}
			}
		})
	}
}

func TestESSearchPagingAndScores(t *testing.T) {
	ix := esFixtureIndex(t)
	all, err := ix.Search(t.Context(), Query{Text: "信", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var paged []string
	for off := 0; off < all.Total+4; off += 4 {
		r, err := ix.Search(t.Context(), Query{Text: "信", Limit: 4, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != all.Total {
			t.Errorf("offset %d: Total = %d, want %d", off, r.Total, all.Total)
		}
		for _, h := range r.Hits {
			paged = append(paged, h.ClauseID)
		}
	}
	var want []string
	for i, h := range all.Hits {
		want = append(want, h.ClauseID)
		if i > 0 && h.Score > all.Hits[i-1].Score {
			t.Errorf("hit %d score %v above hit %d score %v", i, h.Score, i-1, all.Hits[i-1].Score)
		}
	}
	if !reflect.DeepEqual(paged, want) {
		t.Errorf("pages joined = %v, want %v", paged, want)
	}
	for _, q := range []Query{{Since: "2016/01/01"}, {Until: "yesterday"}} {
		if _, err := ix.Search(t.Context(), q); err == nil {
			t.Errorf("Search(%+v): no error, want one for a malformed date", q)
		}
	}
}

// TestESRecallMatchesSubstringScan is TestRecallMatchesSubstringScan
// against Elasticsearch: on the real corpus, the hits of every query are
// exactly the clauses a substring scan finds.
func TestESRecallMatchesSubstringScan(t *testing.T) {
	docs := realDocs(t)
	ix := openTestES(t, ElasticsearchConfig{})
	if err := ix.Put(t.Context(), docs...); err != nil {
		t.Fatalf("Put real corpus: %v", err)
	}
	queries := append(slices.Clone(recallQueries), randomSubstrings(docs, 30)...)
	for _, q := range queries {
		t.Run(q, func(t *testing.T) {
			r, err := ix.Search(t.Context(), Query{Text: q, Limit: 10000})
			if err != nil {
				t.Fatalf("Search(%q): %v", q, err)
			}
			want := scan(docs, q, foldedContains)
			if r.Total != len(want) {
				t.Errorf("Search(%q).Total = %d, want %d", q, r.Total, len(want))
			}
			got := hitIDs(r)
			if len(want) <= 10000 {
				if missing, extra := diff(want, got), diff(got, want); len(missing)+len(extra) > 0 {
					t.Errorf("Search(%q): %d hits, want %d; missing %s; extra %s", q, len(got), len(want), head(missing), head(extra))
				}
			}
		})
	}
}

func TestChunksCoverEveryShortSubstring(t *testing.T) {
	text := strings.Repeat("甲乙丙丁戊己庚辛壬癸", esChunkRunes/4) // 2.5 chunks
	rs := []rune(text)
	cs := chunks(text)
	if len(cs) < 3 {
		t.Fatalf("chunks: %d, want ≥ 3", len(cs))
	}
	for _, c := range cs {
		if n := len(c); n > 32766 {
			t.Errorf("chunk of %d bytes exceeds a Lucene term", n)
		}
	}
	for _, at := range []int{0, esChunkRunes - 10, esChunkRunes - esChunkOverlap, 2*(esChunkRunes-esChunkOverlap) - 5, len(rs) - esChunkOverlap} {
		sub := string(rs[at : at+esChunkOverlap])
		if !slices.ContainsFunc(cs, func(c string) bool { return strings.Contains(c, sub) }) {
			t.Errorf("substring at rune %d (%d runes) lies in no chunk", at, esChunkOverlap)
		}
	}
}

func TestESGoneDocumentsLeave(t *testing.T) {
	ix := esFixtureIndex(t)
	docs := loadFixtures(t)
	d0, c0 := esStats(t, ix)
	count := func(q string) int {
		t.Helper()
		r, err := ix.Search(t.Context(), Query{Text: q, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return r.Total
	}
	// Delete by id: the document and every clause leave.
	mou := docs[0]
	if err := ix.Delete(t.Context(), mou.ID, "no-such-document"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if d, c := esStats(t, ix); d != d0-1 || c != c0-len(mou.Clauses) {
		t.Errorf("after Delete: %d documents, %d clauses; want %d, %d", d, c, d0-1, c0-len(mou.Clauses))
	}
	if n := count("联合惩戒"); n != 0 {
		t.Errorf("联合惩戒 after deleting the MOU: %d hits, want 0", n)
	}
	// A document that failed on its new bytes leaves too.
	sh := docs[1]
	failed := *sh
	failed.SetError("extract", errors.New("broken"))
	if err := ix.Put(t.Context(), &failed); err != nil {
		t.Fatalf("Put failed document: %v", err)
	}
	if d, c := esStats(t, ix); d != d0-2 || c != c0-len(mou.Clauses)-len(sh.Clauses) {
		t.Errorf("after a failed re-Put: %d documents, %d clauses; want %d, %d", d, c, d0-2, c0-len(mou.Clauses)-len(sh.Clauses))
	}
	// A document that lost clauses keeps only its current ones.
	shorter := loadFixtures(t)[0]
	shorter.Clauses = shorter.Clauses[:2]
	if err := ix.Put(t.Context(), shorter); err != nil {
		t.Fatalf("Put shorter: %v", err)
	}
	ids, err := ix.clauseIDs(t.Context(), []string{shorter.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{shorter.Clauses[0].ID, shorter.Clauses[1].ID}
	slices.Sort(want)
	if got := ids[shorter.ID]; !reflect.DeepEqual(got, want) {
		t.Errorf("clauses of the shortened document = %v, want %v", got, want)
	}
}

func TestESBulkFailureKeepsOthers(t *testing.T) {
	ix := openTestES(t, ElasticsearchConfig{})
	docs := loadFixtures(t)
	bad := docs[2] // ndrc2019
	// A tag too long for a Lucene term (32766 bytes): the node refuses it.
	bad.Clauses[0].Tags = []string{strings.Repeat("超长", 6000)}
	err := ix.Put(t.Context(), docs...)
	var be *BulkError
	if !errors.As(err, &be) {
		t.Fatalf("Put = %v, want a *BulkError", err)
	}
	if got := be.DocIDs(); !reflect.DeepEqual(got, []string{bad.ID}) {
		t.Errorf("failed documents = %v, want [%s]", got, bad.ID)
	}
	// The clause and the document record (whose tags gather the clauses')
	// are refused, each with the reason.
	var items []string
	for _, f := range be.Failures {
		items = append(items, f.ItemID)
		if f.Status != http.StatusBadRequest || !strings.Contains(f.Reason, "immense") || f.Source != bad.Source || len(f.Reason) > 700 {
			t.Errorf("failure = %+v, want 400, a short immense-term reason, source %s", f, bad.Source)
		}
	}
	slices.Sort(items)
	if want := sorted(bad.ID, bad.Clauses[0].ID); !reflect.DeepEqual(items, want) {
		t.Errorf("failed items = %v, want %v", items, want)
	}
	if !strings.Contains(err.Error(), bad.ID) {
		t.Errorf("error %q does not name the document", err)
	}
	// Every other clause is there.
	_, c := esStats(t, ix)
	want := 0
	for _, d := range docs {
		if d.Err == nil {
			want += len(d.Clauses)
		}
	}
	if c != want-1 { // the clause of the failed document that was refused
		t.Errorf("%d clauses indexed, want %d (all but the refused one)", c, want-1)
	}
	// Fixed, the document goes in on the next Put.
	if err := ix.Put(t.Context(), loadFixtures(t)[2]); err != nil {
		t.Fatalf("Put fixed document: %v", err)
	}
	if _, c := esStats(t, ix); c != want {
		t.Errorf("after the fix: %d clauses, want %d", c, want)
	}
}

func TestESAliasSwapUnderConcurrentSearches(t *testing.T) {
	ix := esFixtureIndex(t)
	docs := loadFixtures(t)
	want, err := ix.Search(t.Context(), Query{Text: "失信被执行人", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	var searches atomic.Int64
	errs := make(chan error, 4)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				r, err := ix.Search(context.WithoutCancel(ctx), Query{Text: "失信被执行人", Limit: 100})
				if err == nil && !reflect.DeepEqual(hitIDs(r), hitIDs(want)) {
					err = fmt.Errorf("hits %v, want %v", hitIDs(r), hitIDs(want))
				}
				if err != nil {
					errs <- err
					return
				}
				searches.Add(1)
			}
		}()
	}
	var versions []int
	for range 3 {
		v, err := ix.Rebuild(t.Context(), func(ctx context.Context, w Index) error { return w.Put(ctx, docs...) })
		if err != nil {
			cancel()
			wg.Wait()
			t.Fatalf("Rebuild: %v", err)
		}
		versions = append(versions, v)
	}
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("search during alias swaps: %v", err)
	}
	if !reflect.DeepEqual(versions, []int{2, 3, 4}) {
		t.Errorf("rebuild versions = %v, want [2 3 4]", versions)
	}
	cur, err := ix.aliasTargets(t.Context())
	if err != nil || cur[ix.clausesAlias] != ix.clausesAlias+"-v4" || cur[ix.docsAlias] != ix.docsAlias+"-v4" {
		t.Errorf("aliases = %v, %v; want both on v4", cur, err)
	}
	if vs, err := ix.versions(t.Context()); err != nil || !reflect.DeepEqual(vs, []int{3, 4}) {
		t.Errorf("versions kept = %v, %v; want [3 4] (current and previous)", vs, err)
	}
	t.Logf("%d searches during 3 rebuilds", searches.Load())
	// A failed fill leaves the aliases alone and removes its version.
	if _, err := ix.Rebuild(t.Context(), func(context.Context, Index) error { return errors.New("boom") }); err == nil {
		t.Error("Rebuild with a failing fill: no error")
	}
	if vs, _ := ix.versions(t.Context()); !reflect.DeepEqual(vs, []int{3, 4}) {
		t.Errorf("versions after a failed rebuild = %v, want [3 4]", vs)
	}
}

// proxy forwards TCP connections to target until it is stopped: a node
// that goes away and comes back, without stopping the shared node.
type proxy struct {
	target string
	ln     net.Listener
	addr   string
	mu     sync.Mutex
	conns  []net.Conn
}

func startProxy(tb testing.TB, target, addr string) *proxy {
	tb.Helper()
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	p := &proxy{target: target, ln: ln, addr: ln.Addr().String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go func() { io.Copy(u, c); u.Close() }()
			go func() { io.Copy(c, u); c.Close() }()
		}
	}()
	tb.Cleanup(p.stop)
	return p
}

func (p *proxy) stop() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestESStoppedNodeFailsClearlyThenCatchesUp(t *testing.T) {
	url := esURL(t)
	target := strings.TrimPrefix(strings.TrimPrefix(strings.TrimRight(url, "/"), "http://"), "https://")
	p := startProxy(t, target, "")
	prefix := fmt.Sprintf("scs-test-%d-%d", os.Getpid(), esPrefixes.Add(1))
	c := esClient(t, "http://"+p.addr)
	t.Cleanup(func() { esDropPrefix(t, esClient(t, url), prefix) })
	ix, err := OpenElasticsearch(t.Context(), c, testSegmenter(t), ElasticsearchConfig{Prefix: prefix})
	if err != nil {
		t.Fatalf("OpenElasticsearch: %v", err)
	}
	docs := loadFixtures(t)
	if err := ix.Put(t.Context(), docs[:2]...); err != nil {
		t.Fatalf("Put while up: %v", err)
	}
	p.stop() // the node goes away
	err = ix.Put(t.Context(), docs...)
	if err == nil {
		t.Fatal("Put with the node down: no error")
	}
	var be *BulkError
	if errors.As(err, &be) {
		t.Errorf("Put with the node down = %v: a per-document BulkError, want the call to fail", err)
	}
	if !strings.Contains(err.Error(), "connection refused") && !strings.Contains(err.Error(), "EOF") {
		t.Errorf("Put with the node down = %q: does not say the node is unreachable", err)
	}
	if _, err := ix.Search(t.Context(), Query{Text: "信"}); err == nil {
		t.Error("Search with the node down: no error")
	}
	startProxy(t, target, p.addr) // the node is back on the same address
	if err := ix.Put(t.Context(), docs...); err != nil {
		t.Fatalf("Put after the node came back: %v", err)
	}
	want := 0
	for _, d := range docs {
		if d.Err == nil {
			want += len(d.Clauses)
		}
	}
	if _, c := esStats(t, ix); c != want {
		t.Errorf("after catching up: %d clauses, want %d", c, want)
	}
}

func TestClientConfigRedacted(t *testing.T) {
	tests := []struct {
		cfg  ClientConfig
		want string
	}{
		{ClientConfig{URL: "http://127.0.0.1:9200"}, "http://127.0.0.1:9200 (auth: none, ca: false)"},
		{ClientConfig{URL: "https://elastic:s3cret@es.example:9200", Password: "s3cret", Username: "elastic"},
			"https://***@es.example:9200 (auth: basic (user elastic), ca: false)"},
		{ClientConfig{URL: "https://es.example", APIKey: "c2VjcmV0", CACert: []byte("x")}, "https://es.example (auth: api-key, ca: true)"},
	}
	for _, tt := range tests {
		got := tt.cfg.Redacted()
		if got != tt.want {
			t.Errorf("Redacted() = %q, want %q", got, tt.want)
		}
		for _, secret := range []string{"s3cret", "c2VjcmV0"} {
			if strings.Contains(got, secret) {
				t.Errorf("Redacted() = %q shows a secret", got)
			}
		}
	}
}

func TestNextPeriodAndWildcardEscape(t *testing.T) {
	for in, want := range map[string]string{"2016": "2017-01-01", "2016-12": "2017-01-01", "2016-02-29": "2016-03-01", "2017-06-22": "2017-06-23"} {
		if got, err := nextPeriod(in); err != nil || got != want {
			t.Errorf("nextPeriod(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, want := wildcardEscape(`a*b?c\d`), `a\*b\?c\\d`; got != want {
		t.Errorf("wildcardEscape = %q, want %q", got, want)
	}
}
