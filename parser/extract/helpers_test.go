package extract

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/internal/testshared"
)

var update = flag.Bool("update", false, "rewrite golden files")

// sharedDir returns ../shared beside the module root, or skips.
func sharedDir(t testing.TB) string { return testshared.Dir(t) }

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// extractFile runs the stage on one file as a local ingest would.
func extractFile(t testing.TB, path string) (*corpus.Document, error) {
	t.Helper()
	d := &corpus.Document{Source: path, Raw: readFile(t, path)}
	err := New(Config{}).Extract(t.Context(), d)
	return d, err
}

// squash removes all white space and folds the full-width parentheses and
// punctuation that sources write either way, for comparisons that must
// not depend on layout.
func squash(s string) string {
	r := strings.NewReplacer("（", "(", "）", ")", "：", ":", "，", ",", "；", ";")
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, r.Replace(s))
}

// charAccuracy is 1 − Levenshtein/max length over runes, white space
// removed: the measure of research/libraries.md §2.
func charAccuracy(got, want string) float64 {
	a, b := []rune(squash(got)), []rune(squash(want))
	n := max(len(a), len(b))
	if n == 0 {
		return 1
	}
	return 1 - float64(levenshtein(a, b))/float64(n)
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// lineAgreement is the share of the reference's lines that appear as a
// whole line of got (white space and punctuation width ignored): how well
// paragraphs were rebuilt.
func lineAgreement(got, want string) float64 {
	have := map[string]bool{}
	for _, l := range strings.Split(got, "\n") {
		have[squash(l)] = true
	}
	var n, ok int
	for _, l := range strings.Split(want, "\n") {
		if l = squash(l); l == "" {
			continue
		}
		n++
		if have[l] {
			ok++
		}
	}
	if n == 0 {
		return 1
	}
	return float64(ok) / float64(n)
}

// checkGolden compares got with testdata/name, rewriting it under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update to accept):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
