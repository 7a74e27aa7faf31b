package tag

import (
	"flag"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser/structure"
	"github.com/scs-project/scs/parser/tag/score"
)

var (
	dump      = flag.Bool("dump", false, "log every labelled clause that the tagger gets wrong (not batch 4: see -dumpfinal)")
	dumpFinal = flag.Bool("dumpfinal", false, "also log the errors on held-out batch 4, the final check; do not tune rules on them")
)

// sharedDir finds ../shared next to the module root, or skips the test.
func sharedDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			s := filepath.Join(dir, "..", "shared")
			if fi, err := os.Stat(s); err == nil && fi.IsDir() {
				return s
			}
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	tb.Skip("../shared not found: skipping corpus test")
	return ""
}

var (
	reMDComment = regexp.MustCompile(`(?s)<!--.*?-->`)
	reMDLink    = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	reMDHash    = regexp.MustCompile(`^#+\s*`)
)

// stripMarkdown is this test's minimal Markdown-to-text conversion, so the
// test does not depend on parser/extract.
func stripMarkdown(md string) (text, title string) {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	if strings.HasPrefix(md, "---\n") {
		if end := strings.Index(md[4:], "\n---\n"); end >= 0 {
			md = md[4+end+5:]
		}
	}
	md = reMDComment.ReplaceAllString(md, "")
	md = reMDLink.ReplaceAllString(md, "$1")
	var out []string
	for _, l := range strings.Split(md, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "# ") && title == "" {
			title = strings.TrimSpace(l[2:])
		}
		l = strings.TrimPrefix(l, "> ")
		l = reMDHash.ReplaceAllString(l, "")
		l = strings.TrimSpace(strings.ReplaceAll(l, "**", ""))
		if l == "" || l == "*" {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n"), title
}

// loadLabelled parses each labelled document of labels (found in one of
// dirs) with parser/structure, tags it with tg and pairs every label with
// its output clause. Real corpus files are Markdown; the others plain text.
func loadLabelled(tb testing.TB, tg *Tagger, labels map[string][]score.Label, dirs ...string) []score.Pair {
	tb.Helper()
	var pairs []score.Pair
	for _, name := range slices.Sorted(maps.Keys(labels)) {
		var raw []byte
		var src string
		for _, dir := range dirs {
			src = filepath.Join(dir, name)
			var err error
			if raw, err = os.ReadFile(src); err == nil {
				break
			}
		}
		if raw == nil {
			tb.Fatalf("labelled document %s is in none of %v", name, dirs)
		}
		text, title := string(raw), ""
		if strings.Contains(src, filepath.Join("corpus", "real")) {
			text, title = stripMarkdown(text)
		} else {
			title, _, _ = strings.Cut(text, "\n")
		}
		d := &corpus.Document{ID: "gold", Text: text}
		d.Clauses = structure.Parse(d.ID, text, title)
		tg.TagDocument(d)
		pairs = append(pairs, score.Match(labels[name], d.Clauses)...)
	}
	return pairs
}

// loadGold pairs the ../shared/gold labels with tagged clauses.
func loadGold(tb testing.TB, tg *Tagger) []score.Pair {
	tb.Helper()
	shared := sharedDir(tb)
	labels, err := score.ReadDir(filepath.Join(shared, "gold"))
	if err != nil {
		tb.Fatal(err)
	}
	if len(labels) == 0 {
		tb.Skip("no gold files")
	}
	return loadLabelled(tb, tg, labels, filepath.Join(shared, "corpus", "real"), filepath.Join(shared, "gold"))
}

// loadHeldOut pairs the held-out labels of testdata/<dir> (heldout,
// heldout2, heldout3) with tagged clauses.
func loadHeldOut(tb testing.TB, tg *Tagger, dir string) []score.Pair {
	tb.Helper()
	dir = filepath.Join("testdata", dir)
	labels, err := score.ReadDir(dir)
	if err != nil || len(labels) == 0 {
		tb.Fatalf("%s: %v (%d documents)", dir, err, len(labels))
	}
	return loadLabelled(tb, tg, labels, dir)
}

// finalSet names held-out batch 4, whose errors -dump does not show: it is
// the generalisation check, scored but never tuned on. (Batch 3 held that
// role until batch 4 was labelled; it is now a tuning set.)
const finalSet = "held-out 4"

func report(t *testing.T, name string, pairs []score.Pair) score.Scores {
	t.Helper()
	s := score.Score(pairs)
	var sb strings.Builder
	s.Report(&sb)
	t.Logf("%s:\n%s", name, sb.String())
	if (*dump && name != finalSet) || (*dumpFinal && name == finalSet) {
		for _, p := range pairs {
			if d := score.Diff(p); d != "" {
				t.Log(d)
			}
		}
	}
	if s.Unmatched > 0 {
		t.Errorf("%s: %d labelled clauses matched no clause", name, s.Unmatched)
	}
	return s
}

// TestGoldScores scores the embedded rules on the structure stage's
// clauses (no extraction: cmd/scs scores the whole `scs analyze` path)
// against the gold labels and the held-out set, and fails below the floors
// reached so far.
func TestGoldScores(t *testing.T) {
	tg := mustDefault(t)
	type floor struct {
		name      string
		got, want float64
	}
	check := func(fs []floor) {
		for _, f := range fs {
			if f.got < f.want {
				t.Errorf("%s = %.3f, want >= %.3f", f.name, f.got, f.want)
			}
		}
	}
	h := report(t, "held-out", loadHeldOut(t, tg, "heldout"))
	_, hmin := h.MinTagF1()
	check([]floor{
		{"held-out tags micro-F1", h.Micro.F1(), 0.98},
		{"held-out lowest tag F1", hmin, 0.95},
		{"held-out categories F1", h.Categories.F1(), 0.95},
		{"held-out agencies F1", h.Agencies.F1(), 0.95},
		{"held-out legal_basis F1", h.LegalBasis.F1(), 0.95},
	})
	// Batches 2 and 3 were labelled before tuning (first runs: micro-F1
	// 0.672 and 0.645) and then tuned on; batch 4 never was (0.852 before,
	// 0.854 after the tuning on the other sets): its floor sits a little
	// below that score.
	h2 := report(t, "held-out 2", loadHeldOut(t, tg, "heldout2"))
	_, h2min := h2.MinTagF1()
	check([]floor{
		{"held-out 2 tags micro-F1", h2.Micro.F1(), 0.98},
		{"held-out 2 lowest tag F1", h2min, 0.95},
		{"held-out 2 categories F1", h2.Categories.F1(), 0.95},
		{"held-out 2 agencies F1", h2.Agencies.F1(), 0.90},
	})
	h3 := report(t, "held-out 3", loadHeldOut(t, tg, "heldout3"))
	_, h3min := h3.MinTagF1()
	check([]floor{
		{"held-out 3 tags micro-F1", h3.Micro.F1(), 0.98},
		{"held-out 3 lowest tag F1", h3min, 0.95},
		{"held-out 3 categories F1", h3.Categories.F1(), 0.95},
	})
	h4 := report(t, finalSet, loadHeldOut(t, tg, "heldout4"))
	check([]floor{{"held-out 4 tags micro-F1", h4.Micro.F1(), 0.82}})
	g := report(t, "gold", loadGold(t, tg))
	_, gmin := g.MinTagF1()
	check([]floor{
		{"gold tags micro-F1", g.Micro.F1(), 0.95},
		{"gold lowest tag F1", gmin, 0.90},
		{"gold categories F1", g.Categories.F1(), 0.95},
		{"gold agencies F1", g.Agencies.F1(), 0.87},
		{"gold legal_basis F1", g.LegalBasis.F1(), 0.97},
		{"gold duration accuracy", score.Ratio(g.DurOK, g.DurN), 0.85},
	})
}
