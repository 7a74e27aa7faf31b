package indexer

import (
	"context"
	"fmt"
	"github.com/scs-project/scs/internal/testshared"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/scs-project/scs/corpus"
)

// realDocs turns each real corpus text into a document with one clause per
// non-empty line, after a minimal Markdown strip: the index is tested here,
// not the structure stage.
func realDocs(tb testing.TB) []*corpus.Document {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(testshared.Dir(tb), "corpus", "real", "*.txt"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no real corpus texts: %v", err)
	}
	var docs []*corpus.Document
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		base := strings.TrimSuffix(filepath.Base(f), ".txt")
		d := &corpus.Document{ID: base, Source: f, Metadata: corpus.Metadata{Kind: corpus.KindOther, Region: "national"}}
		for i, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "<!--") || line == "---" {
				continue
			}
			line = strings.TrimSpace(strings.TrimLeft(line, "#"))
			line = strings.ReplaceAll(line, "**", "")
			if line == "" {
				continue
			}
			if d.Title == "" {
				d.Title = line
			}
			path := fmt.Sprintf("L%d", i+1)
			d.Clauses = append(d.Clauses, corpus.Clause{ID: base + "/" + path, Path: path, Text: line})
		}
		docs = append(docs, d)
	}
	return docs
}

func realIndex(tb testing.TB, docs []*corpus.Document) *SQLite {
	tb.Helper()
	ix := openTestIndex(tb)
	if err := ix.Put(context.Background(), docs...); err != nil {
		tb.Fatalf("Put real corpus: %v", err)
	}
	return ix
}

// recallQueries are domain terms with their sub-words (several of which
// gse keeps inside longer tokens), short and Latin/digit terms, and a few
// multi-term queries.
var recallQueries = []string{
	"被执行人", "失信被执行人", "执行人", "联合惩戒", "惩戒", "信用修复", "修复", "信用", "名单",
	"异议", "法定代表人", "代表人", "个人信息", "公示", "3年", "条例", "严重失信", "失信", "严重失信主体名单",
	"信用信息", "公共信用信息", "征信机构", "征信", "行政处罚", "处罚", "市场监督管理", "监督管理",
	"限制高消费", "信用承诺", "承诺", "告知", "复核", "不得", "五年", "人民法院", "信", "罚", "第",
	"2019", "1", "（一）", "、",
	"失信 惩戒", "信用 -修复", "失信 名单 公示", "-信用 -条例 处罚",
}

// randomSubstrings picks n substrings of 2–4 runes from clause texts with a
// fixed seed, skipping ones the query syntax would read differently.
func randomSubstrings(docs []*corpus.Document, n int) []string {
	rng := rand.New(rand.NewPCG(2, 3))
	var out []string
	for len(out) < n {
		d := docs[rng.IntN(len(docs))]
		rs := []rune(d.Clauses[rng.IntN(len(d.Clauses))].Text)
		l := 2 + rng.IntN(3)
		if len(rs) < l {
			continue
		}
		at := rng.IntN(len(rs) - l + 1)
		s := string(rs[at : at+l])
		if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '“' }) || s[0] == '-' {
			continue
		}
		out = append(out, s)
	}
	return out
}

// scan is the oracle: the clause ids whose folded text contains every
// positive term of q and no negative one.
func scan(docs []*corpus.Document, q string, match func(text, term string) bool) []string {
	terms := parseQuery(q)
	var ids []string
	for _, d := range docs {
	clauses:
		for _, c := range d.Clauses {
			for _, t := range terms {
				if match(c.Text, t.raw) == t.neg {
					continue clauses
				}
			}
			ids = append(ids, c.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func foldedContains(text, term string) bool { return strings.Contains(fold(text), fold(term)) }

// isHan reports whether every rune of s is a Han character, for which
// folding is the identity and a folded scan equals a plain one.
func isHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

// TestRecallMatchesSubstringScan checks on the real corpus that the hits
// of a query are exactly the clauses a substring scan finds: 100% recall
// (also inside longer gse tokens) and 100% precision.
func TestRecallMatchesSubstringScan(t *testing.T) {
	docs := realDocs(t)
	ix := realIndex(t, docs)
	queries := append(slices.Clone(recallQueries), randomSubstrings(docs, 30)...)
	for _, q := range queries {
		t.Run(q, func(t *testing.T) {
			r, err := ix.Search(t.Context(), Query{Text: q, Limit: 1 << 20})
			if err != nil {
				t.Fatalf("Search(%q): %v", q, err)
			}
			got := hitIDs(r)
			want := scan(docs, q, foldedContains)
			if !strings.HasPrefix(q, "-") && len(want) == 0 {
				t.Errorf("Search(%q): the oracle finds nothing: a useless query", q)
			}
			if r.Total != len(want) {
				t.Errorf("Search(%q).Total = %d, want %d", q, r.Total, len(want))
			}
			if missing, extra := diff(want, got), diff(got, want); len(missing)+len(extra) > 0 {
				t.Errorf("Search(%q): %d hits, want %d; missing %s; extra %s", q, len(got), len(want), head(missing), head(extra))
			}
			if isHan(strings.Join(strings.Fields(strings.ReplaceAll(q, "-", "")), "")) {
				if plain := scan(docs, q, strings.Contains); !slices.Equal(plain, want) {
					t.Errorf("Search(%q): folded scan differs from strings.Contains scan", q)
				}
			}
			for _, h := range r.Hits {
				if !utf8.ValidString(h.Snippet) {
					t.Fatalf("Search(%q): invalid UTF-8 snippet %q", q, h.Snippet)
				}
			}
		})
	}
}

func diff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			out = append(out, x)
		}
	}
	return out
}

func head(ids []string) string {
	if len(ids) > 5 {
		return fmt.Sprint(ids[:5], "…")
	}
	return fmt.Sprint(ids)
}

func corpusBytes(docs []*corpus.Document) (bytes, clauses int) {
	for _, d := range docs {
		for _, c := range d.Clauses {
			bytes += len(c.Text)
			clauses++
		}
	}
	return bytes, clauses
}

// BenchmarkIndexPut re-puts the real corpus (delete and insert, one
// transaction) per iteration; cutsearch is the gse segmentation alone, the
// part of Put that does not touch SQLite.
func BenchmarkIndexPut(b *testing.B) {
	docs := realDocs(b)
	nbytes, nclauses := corpusBytes(docs)
	seg := testSegmenter(b)
	b.Run("put", func(b *testing.B) {
		ix := openTestIndex(b)
		b.SetBytes(int64(nbytes))
		b.ReportAllocs()
		for b.Loop() {
			if err := ix.Put(b.Context(), docs...); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(nclauses*b.N)/b.Elapsed().Seconds(), "clauses/s")
	})
	b.Run("cutsearch", func(b *testing.B) {
		b.SetBytes(int64(nbytes))
		b.ReportAllocs()
		for b.Loop() {
			for _, d := range docs {
				for _, c := range d.Clauses {
					_ = strings.Join(seg.CutSearch(c.Text), " ")
				}
			}
		}
		b.ReportMetric(float64(nclauses*b.N)/b.Elapsed().Seconds(), "clauses/s")
	})
}

// BenchmarkSearch runs the recall queries (top 20 with total and
// snippets) against a plain LIKE scan returning the same page and total.
func BenchmarkSearch(b *testing.B) {
	docs := realDocs(b)
	ix := realIndex(b, docs)
	queries := []string{"被执行人", "失信被执行人", "联合惩戒", "惩戒", "信用修复", "信用", "名单", "异议",
		"法定代表人", "个人信息", "公示", "3年", "条例", "信", "失信 惩戒"}
	b.Run("fts", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, q := range queries {
				if _, err := ix.Search(b.Context(), Query{Text: q}); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(len(queries)*b.N)/b.Elapsed().Seconds(), "queries/s")
	})
	b.Run("like-scan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, q := range queries {
				var where []string
				var args []any
				for _, f := range strings.Fields(q) {
					where = append(where, `text LIKE ?`)
					args = append(args, "%"+f+"%")
				}
				rows, err := ix.db.QueryContext(b.Context(), `SELECT clause_id, text, count(*) OVER () FROM ix_clauses WHERE `+
					strings.Join(where, " AND ")+` LIMIT 20`, args...)
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
					var id, text string
					var total int
					if err := rows.Scan(&id, &text, &total); err != nil {
						b.Fatal(err)
					}
				}
				rows.Close()
			}
		}
		b.ReportMetric(float64(len(queries)*b.N)/b.Elapsed().Seconds(), "queries/s")
	})
}
