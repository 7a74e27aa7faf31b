package structure

import (
	"bufio"
	"encoding/json"
	"github.com/scs-project/scs/internal/testshared"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// realDoc is one corpus text, stripped, with the title from its first line.
type realDoc struct {
	name, text, title string
}

func loadReal(tb testing.TB) []realDoc {
	tb.Helper()
	dir := filepath.Join(testshared.Dir(tb), "corpus", "real")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no corpus texts in %s: %v", dir, err)
	}
	var docs []realDoc
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		text := testshared.StripMarkdown(string(raw))
		docs = append(docs, realDoc{name: filepath.Base(f), text: text, title: mdTitle(string(raw))})
	}
	return docs
}

// mdTitle returns the text of the first '# ' line, as extract would put in
// PageMeta.
func mdTitle(md string) string {
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, "# ") {
			return strings.TrimSpace(l[2:])
		}
	}
	return ""
}

// reArticleStart is the test's independent notion of an article line: 第,
// Chinese numerals, 条, then white space.
var reArticleStart = regexp.MustCompile(`^第([零〇一二三四五六七八九十百千]+)条[\s　]`)

func TestRealCorpusArticles(t *testing.T) {
	for _, d := range loadReal(t) {
		t.Run(d.name, func(t *testing.T) {
			clauses := Parse("doc", d.text, d.title)
			if len(clauses) == 0 {
				t.Fatalf("Parse(%s) = no clauses", d.name)
			}
			want := map[string]bool{}
			for _, l := range strings.Split(d.text, "\n") {
				if m := reArticleStart.FindStringSubmatch(l); m != nil {
					want["第"+m[1]+"条"] = true
				}
			}
			got := map[string]bool{}
			for _, c := range clauses {
				for _, seg := range strings.Split(c.Path, "/") {
					if strings.HasPrefix(seg, "第") && strings.HasSuffix(seg, "条") {
						got[seg] = true
					}
				}
			}
			if len(got) != len(want) {
				var missing []string
				for a := range want {
					if !got[a] {
						missing = append(missing, a)
					}
				}
				t.Errorf("Parse(%s): %d distinct articles, want %d (missing %v)", d.name, len(got), len(want), missing)
			}
		})
	}
}

// goldClause is one line of a gold JSONL file; only the structure fields.
type goldClause struct {
	Doc   string `json:"doc"`
	Path  string `json:"path"`
	Quote string `json:"quote"`
}

// foldQuote removes white space and folds full-width ASCII, as the gold
// README prescribes for matching quotes.
func foldQuote(s string) string {
	var sb strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
		case r >= '！' && r <= '～':
			sb.WriteRune(r - '！' + '!')
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

func TestGoldPaths(t *testing.T) {
	shared := testshared.Dir(t)
	golds, err := filepath.Glob(filepath.Join(shared, "gold", "*.jsonl"))
	if err != nil || len(golds) == 0 {
		t.Fatalf("no gold files: %v", err)
	}
	for _, g := range golds {
		t.Run(filepath.Base(g), func(t *testing.T) {
			f, err := os.Open(g)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var gold []goldClause
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				var c goldClause
				if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
					t.Fatalf("%s: %v", g, err)
				}
				gold = append(gold, c)
			}
			if len(gold) == 0 {
				t.Fatalf("%s: empty", g)
			}
			src := filepath.Join(shared, "corpus", "real", gold[0].Doc)
			if _, err := os.Stat(src); err != nil {
				src = filepath.Join(shared, "gold", gold[0].Doc)
			}
			raw, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			text, title := string(raw), ""
			if strings.HasSuffix(src, ".txt") && strings.Contains(filepath.Dir(src), "real") {
				text, title = testshared.StripMarkdown(text), mdTitle(text)
			}
			clauses := Parse("doc", text, title)
			folded := make([]string, len(clauses))
			for i, c := range clauses {
				folded[i] = foldQuote(c.Text)
			}
			// Match in document order: a quote that occurs twice is the
			// next occurrence after the previous match.
			agree, next := 0, 0
			for _, gc := range gold {
				q := foldQuote(gc.Quote)
				found := -1
				for i := next; i < len(clauses); i++ {
					if strings.Contains(folded[i], q) {
						found = i
						break
					}
				}
				if found < 0 {
					for i := range clauses {
						if strings.Contains(folded[i], q) {
							found = i
							break
						}
					}
				}
				switch {
				case found < 0:
					t.Errorf("gold %s %q: no clause contains the quote", gc.Path, gc.Quote)
				case clauses[found].Path != gc.Path:
					t.Errorf("gold %q: path %q, want %q", gc.Quote, clauses[found].Path, gc.Path)
				default:
					agree++
					next = found + 1
				}
			}
			t.Logf("%s: path agreement %d/%d (%.1f%%)", filepath.Base(g), agree, len(gold), 100*float64(agree)/float64(len(gold)))
		})
	}
}
