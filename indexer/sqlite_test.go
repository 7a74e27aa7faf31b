package indexer

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser/segment"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testSegmenter returns the real gse segmenter: recall depends on the real
// tokens (失信被执行人 is one token), so there is no fake.
func testSegmenter(tb testing.TB) corpus.Segmenter {
	tb.Helper()
	seg, err := segment.Default()
	if err != nil {
		tb.Fatalf("segment.Default: %v", err)
	}
	return seg
}

func openTestIndex(tb testing.TB) *SQLite {
	tb.Helper()
	ix, err := OpenSQLite(filepath.Join(tb.TempDir(), "index.sqlite"), testSegmenter(tb), SQLiteConfig{})
	if err != nil {
		tb.Fatalf("OpenSQLite: %v", err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// loadFixtures reads testdata/docs.json; every call returns fresh copies.
func loadFixtures(tb testing.TB) []*corpus.Document {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "docs.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var docs []*corpus.Document
	if err := json.Unmarshal(b, &docs); err != nil {
		tb.Fatalf("testdata/docs.json: %v", err)
	}
	return docs
}

func fixtureIndex(tb testing.TB) *SQLite {
	tb.Helper()
	ix := openTestIndex(tb)
	if err := ix.Put(context.Background(), loadFixtures(tb)...); err != nil {
		tb.Fatalf("Put: %v", err)
	}
	return ix
}

func hitIDs(r *Result) []string {
	ids := make([]string, 0, len(r.Hits))
	for _, h := range r.Hits {
		ids = append(ids, h.ClauseID)
	}
	sort.Strings(ids)
	return ids
}

func sorted(ids ...string) []string {
	out := append([]string{}, ids...)
	sort.Strings(out)
	if out == nil {
		out = []string{}
	}
	return out
}

func TestSearchText(t *testing.T) {
	ix := fixtureIndex(t)
	allMOU := []string{"mou-1", "mou-2-1", "mou-2-2", "mou-3", "mou-4"}
	tests := []struct {
		name, query string
		want        []string
	}{
		{"word inside a longer gse token", "被执行人", []string{"mou-1", "mou-2-1", "mou-2-2", "mou-3", "mou-4", "sd-1"}},
		{"whole domain term", "失信被执行人", []string{"mou-1", "mou-2-1", "mou-2-2", "mou-3", "sd-1"}},
		{"sub-word of 联合惩戒", "惩戒", []string{"mou-1", "mou-3", "mou-4", "sh-21"}},
		{"domain term", "联合惩戒", []string{"mou-1", "mou-3"}},
		{"two characters", "信用", []string{"sh-1", "sh-20", "sh-30", "n-1", "n-3"}},
		{"one character", "信", []string{"mou-1", "mou-2-1", "mou-2-2", "mou-3", "sh-1", "sh-20", "sh-21", "sh-30", "n-1", "n-3", "sd-1"}},
		{"digits and unit", "3年", []string{"sh-21", "sd-1"}},
		{"document number", "141号", []string{"mou-3"}},
		{"bracketed year finds full-width digits too", "〔2016〕", []string{"mou-3", "n-2"}},
		{"half-width query finds full-width digits", "33号", []string{"n-2"}},
		{"latin is case- and width-folded", "ppp", []string{"n-3"}},
		{"upper-case latin", "PPP项目", []string{"n-3"}},
		{"terms are ANDed", "联合 惩戒", []string{"mou-1", "mou-3"}},
		{"ideographic space separates terms", "失信　公示", []string{"sh-30", "sd-1"}},
		{"quoted phrase keeps its space", `"联合 惩戒"`, nil},
		{"quoted phrase", `"信用修复"`, []string{"sh-30"}},
		{"chinese quotes", "“个人信息”", []string{"sh-30"}},
		{"negation", "惩戒 -联合惩戒", []string{"mou-4", "sh-21"}},
		{"negated phrase", `惩戒 -"联合惩戒"`, []string{"mou-4", "sh-21"}},
		{"only negation", "-信", []string{"mou-4", "n-2"}},
		{"lone dash is literal", "- see", []string{"n-2"}},
		{"dash inside a term is literal", "--", []string{"n-2"}},
		{"objection", "异议", []string{"sh-20"}},
		{"list", "名单", []string{"mou-3", "mou-4", "sd-1"}},
		{"failed document is not indexed", "这一条不应被索引", nil},
		{"absent word", "不存在的词", nil},
		{"fts operators are literal words", "AND OR NEAR", []string{"n-2"}},
		{"quoted operator", `"AND"`, []string{"n-2"}},
		{"star", "x*", []string{"n-2"}},
		{"colon and parentheses", "(a:b)", []string{"n-2"}},
		{"caret and plus", "^c +d", []string{"n-2"}},
		{"empty query lists everything", "", append(append([]string{}, allMOU...), "sh-1", "sh-20", "sh-21", "sh-30", "n-1", "n-2", "n-3", "sd-1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ix.Search(t.Context(), Query{Text: tt.query, Limit: 100})
			if err != nil {
				t.Fatalf("Search(%q): %v", tt.query, err)
			}
			if got, want := hitIDs(r), sorted(tt.want...); !reflect.DeepEqual(got, want) {
				t.Errorf("Search(%q) = %v, want %v", tt.query, got, want)
			}
			if r.Total != len(tt.want) {
				t.Errorf("Search(%q).Total = %d, want %d", tt.query, r.Total, len(tt.want))
			}
		})
	}
}

func TestSearchFilters(t *testing.T) {
	ix := fixtureIndex(t)
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"tag", Query{Tags: []string{"sanction"}}, []string{"mou-2-1", "mou-2-2", "sh-21"}},
		{"any of several tags", Query{Tags: []string{"repair", "reward"}}, []string{"mou-4", "sh-30", "n-1"}},
		{"tag is exact, not a substring", Query{Tags: []string{"list"}}, nil},
		{"kind", Query{Kinds: []corpus.Kind{corpus.KindMOU}}, []string{"mou-1", "mou-2-1", "mou-2-2", "mou-3", "mou-4"}},
		{"kinds with text", Query{Text: "公示", Kinds: []corpus.Kind{corpus.KindMOU, corpus.KindDraft}}, []string{"sd-1"}},
		{"issuer substring", Query{Text: "信用", Issuer: "人民银行"}, []string{"n-1", "n-3"}},
		{"issuer substring matches any issuer", Query{Text: "惩戒", Issuer: "发展改革委"}, []string{"mou-1", "mou-3", "mou-4"}},
		{"region", Query{Region: "上海市"}, []string{"sh-1", "sh-20", "sh-21", "sh-30"}},
		{"region is exact", Query{Region: "上海"}, nil},
		{"since excludes undated", Query{Text: "信用", Since: "2017"}, []string{"sh-1", "sh-20", "sh-30", "n-1", "n-3"}},
		{"until a year includes that year", Query{Text: "失信被执行人", Until: "2016"}, []string{"mou-1", "mou-2-1", "mou-2-2", "mou-3"}},
		{"since and until", Query{Since: "2017-01-01", Until: "2017-12-31"}, []string{"sh-1", "sh-20", "sh-21", "sh-30"}},
		{"until a month", Query{Text: "惩戒", Until: "2017-06"}, []string{"mou-1", "mou-3", "mou-4", "sh-21"}},
		{"until the day before", Query{Text: "惩戒", Until: "2017-06-22"}, []string{"mou-1", "mou-3", "mou-4"}},
		{"everything combined", Query{Text: "失信被执行人", Tags: []string{"sanction"}, Kinds: []corpus.Kind{corpus.KindMOU},
			Issuer: "国家发展改革委", Region: "national", Since: "2016-01-01", Until: "2016-12-31"}, []string{"mou-2-1", "mou-2-2"}},
		{"region tag and text", Query{Text: "公示", Region: "national", Tags: []string{"data"}}, []string{"n-3"}},
		{"negation with filter", Query{Text: "-惩戒", Kinds: []corpus.Kind{corpus.KindMOU}}, []string{"mou-2-1", "mou-2-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Limit = 100
			r, err := ix.Search(t.Context(), tt.q)
			if err != nil {
				t.Fatalf("Search(%+v): %v", tt.q, err)
			}
			if got, want := hitIDs(r), sorted(tt.want...); !reflect.DeepEqual(got, want) {
				t.Errorf("Search(%+v) = %v, want %v", tt.q, got, want)
			}
		})
	}
}

func TestSearchRejectsBadDates(t *testing.T) {
	ix := fixtureIndex(t)
	for _, q := range []Query{{Since: "2016/01/01"}, {Until: "yesterday"}, {Since: "2016-1-1"}} {
		if _, err := ix.Search(t.Context(), q); err == nil {
			t.Errorf("Search(%+v): no error, want one for a malformed date", q)
		}
	}
}

// TestSearchNeverErrorsOnSyntax feeds the index everything that means
// something to FTS5: none of it may reach MATCH unquoted.
func TestSearchNeverErrorsOnSyntax(t *testing.T) {
	ix := fixtureIndex(t)
	queries := []string{`"`, `""`, `"""`, `"失信`, `失信"`, `*`, `信*`, `:`, `tokens:失信`, `folded:x`,
		`(`, `)`, `()`, `(失信`, `AND`, `OR`, `NOT`, `NEAR`, `NEAR(a b, 3)`, `a AND`, `OR b`, `-`, `--`,
		`- -`, `-"`, `-""`, `^`, `+`, `{}`, `[`, `]`, `'`, `''`, `\`, `%`, `_`, `%_%`, `ab`, "\x00", `;`,
		`失信 OR`, `“`, `”`, `“”`, `-“`, `〔`, `【】`, `，。`, strings.Repeat("惩", 300), "\ufffd", "a\u200bb"}
	for _, q := range queries {
		t.Run(q, func(t *testing.T) {
			if _, err := ix.Search(t.Context(), Query{Text: q}); err != nil {
				t.Errorf("Search(%q): %v", q, err)
			}
		})
	}
}

func TestSearchPaging(t *testing.T) {
	ix := fixtureIndex(t)
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
	for _, h := range all.Hits {
		want = append(want, h.ClauseID)
	}
	if !reflect.DeepEqual(paged, want) {
		t.Errorf("pages joined = %v, want %v", paged, want)
	}
	r, err := ix.Search(t.Context(), Query{Text: "信"})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total <= 20 && len(r.Hits) != all.Total {
		t.Errorf("default limit: %d hits, want %d", len(r.Hits), all.Total)
	}
}

func TestSearchScoresDescend(t *testing.T) {
	ix := fixtureIndex(t)
	for _, q := range []string{"被执行人", "信用", "惩戒 失信", "〔2016〕"} {
		r, err := ix.Search(t.Context(), Query{Text: q, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range r.Hits {
			if h.Score < 0 {
				t.Errorf("Search(%q) hit %s: score %v < 0", q, h.ClauseID, h.Score)
			}
			if i > 0 && h.Score > r.Hits[i-1].Score {
				t.Errorf("Search(%q): hit %d score %v above hit %d score %v", q, i, h.Score, i-1, r.Hits[i-1].Score)
			}
		}
	}
}

func TestPutReplacesDocument(t *testing.T) {
	ix := fixtureIndex(t)
	docs := loadFixtures(t)
	mou := docs[0]
	mou.Clauses = mou.Clauses[3:] // drop mou-1, mou-2-1, mou-2-2
	mou.Clauses[0].Text = "各部门按季度交换名单。"
	mou.Clauses[0].Tags = []string{"data"}
	stale := loadFixtures(t)[0]
	for range 2 { // idempotent, and the last copy of a document wins
		if err := ix.Put(t.Context(), stale, mou); err != nil {
			t.Fatal(err)
		}
	}
	r, err := ix.Search(t.Context(), Query{Kinds: []corpus.Kind{corpus.KindMOU}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hitIDs(r), sorted("mou-3", "mou-4"); !reflect.DeepEqual(got, want) {
		t.Errorf("mou clauses after replace = %v, want %v", got, want)
	}
	for q, want := range map[string][]string{"141号": nil, "按季度": {"mou-3"}, "限制失信": nil} {
		r, err := ix.Search(t.Context(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if got := hitIDs(r); !reflect.DeepEqual(got, sorted(want...)) {
			t.Errorf("after replace, Search(%q) = %v, want %v", q, got, want)
		}
	}
	r, err = ix.Search(t.Context(), Query{Tags: []string{"sanction"}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hitIDs(r), sorted("sh-21"); !reflect.DeepEqual(got, want) {
		t.Errorf("sanction clauses after replace = %v, want %v (old tags must go)", got, want)
	}
	docsN, clausesN, err := ix.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if docsN != 4 || clausesN != 10 {
		t.Errorf("Stats = %d docs, %d clauses, want 4, 10", docsN, clausesN)
	}
}

func TestPutEmptyOrFailedRemovesOldRows(t *testing.T) {
	tests := []struct {
		name   string
		change func(d *corpus.Document)
	}{
		{"no clauses", func(d *corpus.Document) { d.Clauses = nil }},
		{"failed", func(d *corpus.Document) { d.SetError("structure", os.ErrInvalid) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := fixtureIndex(t)
			sh := loadFixtures(t)[1]
			tt.change(sh)
			if err := ix.Put(t.Context(), sh); err != nil {
				t.Fatal(err)
			}
			r, err := ix.Search(t.Context(), Query{Region: "上海市"})
			if err != nil {
				t.Fatal(err)
			}
			if r.Total != 0 {
				t.Errorf("Shanghai clauses after %s put: %v, want none", tt.name, hitIDs(r))
			}
			docsN, clausesN, err := ix.Stats(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if docsN != 3 || clausesN != 9 {
				t.Errorf("Stats = %d docs, %d clauses, want 3, 9", docsN, clausesN)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	ix := fixtureIndex(t)
	if err := ix.Delete(t.Context(), "mou2016", "sd-undated", "no-such-doc"); err != nil {
		t.Fatal(err)
	}
	r, err := ix.Search(t.Context(), Query{Text: "被执行人"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 0 {
		t.Errorf("Search(被执行人) after Delete = %v, want none", hitIDs(r))
	}
	docsN, clausesN, err := ix.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if docsN != 2 || clausesN != 7 {
		t.Errorf("Stats = %d docs, %d clauses, want 2, 7", docsN, clausesN)
	}
	if err := ix.Reset(t.Context()); err != nil {
		t.Fatal(err)
	}
	if docsN, clausesN, _ := ix.Stats(t.Context()); docsN != 0 || clausesN != 0 {
		t.Errorf("Stats after Reset = %d, %d, want 0, 0", docsN, clausesN)
	}
	r, err = ix.Search(t.Context(), Query{Text: "信用"})
	if err != nil || r.Total != 0 {
		t.Errorf("Search after Reset = %v, %v; want no hits", r, err)
	}
}

func TestReopenKeepsIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.sqlite")
	seg := testSegmenter(t)
	ix, err := OpenSQLite(path, seg, SQLiteConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(t.Context(), loadFixtures(t)...); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = OpenSQLite(path, seg, SQLiteConfig{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer ix.Close()
	r, err := ix.Search(t.Context(), Query{Text: "联合惩戒"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hitIDs(r), sorted("mou-1", "mou-3"); !reflect.DeepEqual(got, want) {
		t.Errorf("after reopen Search(联合惩戒) = %v, want %v", got, want)
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("甲", 50) + "失信被执行人" + strings.Repeat("乙", 50)
	tests := []struct {
		name, text string
		terms      []string
		width      int
		want       string
	}{
		{"short text, one match", "限制失信被执行人乘坐飞机。", []string{"被执行人"}, 60, "限制失信【被执行人】乘坐飞机。"},
		{"overlapping terms merge", "限制失信被执行人乘坐飞机。", []string{"失信被", "被执行人"}, 60, "限制【失信被执行人】乘坐飞机。"},
		{"every occurrence", "惩戒与惩戒", []string{"惩戒"}, 60, "【惩戒】与【惩戒】"},
		{"folded match shows original", "ＰＰＰ项目", []string{"ppp"}, 60, "【ＰＰＰ】项目"},
		{"window around a late match", long, []string{"被执行人"}, 20,
			"…" + strings.Repeat("甲", 6) + "失信【被执行人】" + strings.Repeat("乙", 8) + "…"},
		{"match never cut", "甲乙丙丁戊己庚", []string{"乙丙丁戊己"}, 3, "…【乙丙丁戊己】…"},
		{"no terms: head", strings.Repeat("丙", 10), nil, 4, "丙丙丙丙…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := snippet(tt.text, tt.terms, tt.width); got != tt.want {
				t.Errorf("snippet(%q, %q, %d) = %q, want %q", tt.text, tt.terms, tt.width, got, tt.want)
			}
		})
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want []term
	}{
		{"失信  惩戒", []term{{"失信", "失信", false}, {"惩戒", "惩戒", false}}},
		{`"联合 惩戒" -修复`, []term{{"联合 惩戒", "联合 惩戒", false}, {"修复", "修复", true}}},
		{`-"a b`, []term{{"a b", "a b", true}}},
		{"- x", []term{{"-", "-", false}, {"x", "x", false}}},
		{"ＰＰＰ PPP ppp", []term{{"ＰＰＰ", "ppp", false}}},
		{"2016-01 x-y", []term{{"2016-01", "2016-01", false}, {"x-y", "x-y", false}}},
		{`""`, nil},
	}
	for _, tt := range tests {
		if got := parseQuery(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseQuery(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// TestSearchGolden pins ranking and snippets of a few queries; review the
// diff after -update like code.
func TestSearchGolden(t *testing.T) {
	ix := fixtureIndex(t)
	type hit struct {
		ClauseID string `json:"clause_id"`
		Snippet  string `json:"snippet"`
	}
	type result struct {
		Query string `json:"query"`
		Total int    `json:"total"`
		Hits  []hit  `json:"hits"`
	}
	var got []result
	for _, q := range []string{"被执行人", "联合惩戒", "惩戒 -联合惩戒", "信用", "〔2016〕", "失信 公示"} {
		r, err := ix.Search(t.Context(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		res := result{Query: q, Total: r.Total}
		for _, h := range r.Hits {
			res.Hits = append(res.Hits, hit{h.ClauseID, h.Snippet})
		}
		got = append(got, res)
	}
	path := filepath.Join("testdata", "search.golden")
	if *update {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	var want []result
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		gb, _ := json.MarshalIndent(got, "", "  ")
		t.Errorf("search results differ from %s; got:\n%s", path, gb)
	}
}

// TestConcurrentPutAndSearch re-puts the documents while searching: every
// search must see the old or the new clauses of a document, never none of
// them (Put replaces in one transaction) and never both.
func TestConcurrentPutAndSearch(t *testing.T) {
	ix := fixtureIndex(t)
	docs := loadFixtures(t)
	done := make(chan error, 1)
	go func() {
		var err error
		for range 20 {
			if err = ix.Put(t.Context(), docs...); err != nil {
				break
			}
		}
		done <- err
	}()
	for i := 0; ; i++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Put: %v", err)
			}
			return
		default:
		}
		r, err := ix.Search(t.Context(), Query{Text: "联合惩戒"})
		if err != nil {
			t.Fatalf("Search %d: %v", i, err)
		}
		if got, want := hitIDs(r), sorted("mou-1", "mou-3"); !reflect.DeepEqual(got, want) {
			t.Fatalf("Search %d during Put = %v, want %v", i, got, want)
		}
	}
}

// TestSearchFacets checks the facet counts against a count made by hand
// from all the hits of the same query: per tag, kind, region and issuer,
// over every matching clause, not only the page shown.
func TestSearchFacets(t *testing.T) {
	ix := fixtureIndex(t)
	docs := loadFixtures(t)
	byDoc := map[string]*corpus.Document{}
	for _, d := range docs {
		byDoc[d.ID] = d
	}
	for _, q := range []Query{
		{Text: "失信"},
		{Text: "失信", Tags: []string{"sanction", "data"}},
		{Kinds: []corpus.Kind{corpus.KindMOU}},
		{Text: "名单", Region: "national"},
	} {
		t.Run(q.Text+"/"+strings.Join(q.Tags, ","), func(t *testing.T) {
			page := q
			page.Limit = 1 // facets count all matches, not just the page
			got, err := ix.Search(t.Context(), page)
			if err != nil {
				t.Fatal(err)
			}
			all := q
			all.Limit = 10000
			res, err := ix.Search(t.Context(), all)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total == 0 {
				t.Fatalf("query %+v matches nothing: not a useful case", q)
			}
			want := map[string]map[string]int{"tag": {}, "kind": {}, "region": {}, "issuer": {}}
			for _, h := range res.Hits {
				for _, tag := range h.Tags {
					want["tag"][tag]++
				}
				want["kind"][h.Kind]++
				want["region"][h.Region]++
				for _, is := range byDoc[h.DocID].Issuers {
					want["issuer"][is]++
				}
			}
			for name, w := range want {
				gotm := map[string]int{}
				for _, fc := range got.Facets[name] {
					gotm[fc.Value] = fc.Count
				}
				delete(w, "")
				if !reflect.DeepEqual(gotm, w) {
					t.Errorf("facet %s = %v, want %v", name, gotm, w)
				}
				for i := 1; i < len(got.Facets[name]); i++ {
					if got.Facets[name][i].Count > got.Facets[name][i-1].Count {
						t.Errorf("facet %s not most frequent first: %v", name, got.Facets[name])
					}
				}
			}
		})
	}
}
