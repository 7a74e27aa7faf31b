package indexer

import (
	"github.com/scs-project/scs/corpus"
	"slices"
	"testing"
	"unicode/utf8"
)

// FuzzSearch checks, on the fixture index, that no query text errors and
// that the hits are exactly the clauses the substring oracle finds, with
// valid UTF-8 snippets.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"被执行人", "联合 惩戒", `"联合惩戒"`, "-信", "信 -惩戒", `NEAR(x*)`, `"`, "ＰＰＰ", "〔2016〕", "--", "- -a", "“个人信息"} {
		f.Add(s)
	}
	ix := fixtureIndex(f)
	docs := loadFixtures(f)
	docs = slices.DeleteFunc(docs, (*corpus.Document).Failed)
	f.Fuzz(func(t *testing.T, q string) {
		r, err := ix.Search(t.Context(), Query{Text: q, Limit: 100})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		if got, want := hitIDs(r), scan(docs, q, foldedContains); !slices.Equal(got, want) {
			t.Fatalf("Search(%q) = %v, want %v", q, got, want)
		}
		for _, h := range r.Hits {
			if utf8.ValidString(h.Text) && !utf8.ValidString(h.Snippet) {
				t.Fatalf("Search(%q): invalid UTF-8 snippet %q", q, h.Snippet)
			}
		}
	})
}
