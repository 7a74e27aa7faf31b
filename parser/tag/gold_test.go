package tag

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser/structure"
)

var dump = flag.Bool("dump", false, "log every gold clause that the tagger gets wrong")

// goldClause is one line of ../shared/gold/*.jsonl.
type goldClause struct {
	Doc                string   `json:"doc"`
	Path               string   `json:"path"`
	Quote              string   `json:"quote"`
	Tags               []string `json:"tags"`
	SanctionCategories []string `json:"sanction_categories"`
	Agencies           []string `json:"agencies"`
	LegalBasis         []string `json:"legal_basis"`
	Duration           string   `json:"duration"`
}

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

// goldPair is a gold clause and the tagged clause it matched (nil if none).
type goldPair struct {
	gold goldClause
	got  *corpus.Clause
}

// loadGold parses each gold document with parser/structure, tags it with
// tg and pairs every gold clause with its output clause.
func loadGold(tb testing.TB, tg *Tagger) []goldPair {
	tb.Helper()
	shared := sharedDir(tb)
	files, _ := filepath.Glob(filepath.Join(shared, "gold", "*.jsonl"))
	if len(files) == 0 {
		tb.Skip("no gold files")
	}
	var pairs []goldPair
	for _, g := range files {
		f, err := os.Open(g)
		if err != nil {
			tb.Fatal(err)
		}
		var gold []goldClause
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var c goldClause
			if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
				tb.Fatalf("%s: %v", g, err)
			}
			gold = append(gold, c)
		}
		f.Close()
		if len(gold) == 0 {
			continue
		}
		src := filepath.Join(shared, "corpus", "real", gold[0].Doc)
		real := true
		if _, err := os.Stat(src); err != nil {
			src, real = filepath.Join(shared, "gold", gold[0].Doc), false
		}
		raw, err := os.ReadFile(src)
		if err != nil {
			tb.Fatal(err)
		}
		text, title := string(raw), ""
		if real {
			text, title = stripMarkdown(text)
		}
		d := &corpus.Document{ID: "gold", Text: text}
		d.Clauses = structure.Parse(d.ID, text, title)
		tg.TagDocument(d)
		folded := make([]string, len(d.Clauses))
		for i, c := range d.Clauses {
			folded[i] = foldQuote(c.Text)
		}
		next := 0
		for _, gc := range gold {
			q := foldQuote(gc.Quote)
			found := -1
			for i := next; i < len(d.Clauses) && found < 0; i++ {
				if strings.Contains(folded[i], q) {
					found = i
				}
			}
			for i := 0; i < len(d.Clauses) && found < 0; i++ {
				if strings.Contains(folded[i], q) {
					found = i
				}
			}
			p := goldPair{gold: gc}
			if found >= 0 {
				p.got = &d.Clauses[found]
				next = found + 1
			}
			pairs = append(pairs, p)
		}
	}
	return pairs
}

// prf counts true positives, false positives and false negatives.
type prf struct{ tp, fp, fn int }

func (c *prf) add(got, want []string) {
	for _, g := range got {
		if slices.Contains(want, g) {
			c.tp++
		} else {
			c.fp++
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			c.fn++
		}
	}
}

func (c prf) p() float64  { return ratio(c.tp, c.tp+c.fp) }
func (c prf) r() float64  { return ratio(c.tp, c.tp+c.fn) }
func (c prf) f1() float64 { return ratio(2*c.tp, 2*c.tp+c.fp+c.fn) }
func (c prf) String() string {
	return fmt.Sprintf("P=%.3f R=%.3f F1=%.3f (tp=%d fp=%d fn=%d)", c.p(), c.r(), c.f1(), c.tp, c.fp, c.fn)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// goldScores are the gold metrics of one run.
type goldScores struct {
	unmatched                       int
	perTag                          map[string]*prf
	micro, cats, agencies, legal    prf
	catExact, catTotal, durOK, durN int
}

func scoreGold(pairs []goldPair) goldScores {
	s := goldScores{perTag: map[string]*prf{}}
	for _, t := range corpus.Tags {
		s.perTag[t] = &prf{}
	}
	for _, p := range pairs {
		if p.got == nil {
			s.unmatched++
			continue
		}
		g, c := p.gold, p.got
		for _, t := range corpus.Tags {
			s.perTag[t].add(filter(c.Tags, t), filter(g.Tags, t))
		}
		s.micro.add(c.Tags, g.Tags)
		s.cats.add(c.SanctionCategories, g.SanctionCategories)
		if len(g.SanctionCategories) > 0 || len(c.SanctionCategories) > 0 {
			s.catTotal++
			if slices.Equal(sorted(c.SanctionCategories), sorted(g.SanctionCategories)) {
				s.catExact++
			}
		}
		s.agencies.add(c.Agencies, g.Agencies)
		s.legal.add(c.LegalBasis, g.LegalBasis)
		if g.Duration != "" || c.Duration != "" {
			s.durN++
			if g.Duration == c.Duration {
				s.durOK++
			}
		}
	}
	return s
}

func filter(list []string, v string) []string {
	if slices.Contains(list, v) {
		return []string{v}
	}
	return nil
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestGoldScores scores the embedded rules against the hand-labelled gold
// clauses and fails if the scores fall below the floors reached so far.
func TestGoldScores(t *testing.T) {
	tg, err := Default()
	if err != nil {
		t.Fatalf("Default(): %v", err)
	}
	pairs := loadGold(t, tg)
	s := scoreGold(pairs)
	t.Logf("gold clauses: %d, unmatched: %d", len(pairs), s.unmatched)
	for _, tag := range corpus.Tags {
		t.Logf("  %-13s %v", tag, *s.perTag[tag])
	}
	t.Logf("tags micro      %v", s.micro)
	t.Logf("categories      %v; exact set agreement %d/%d", s.cats, s.catExact, s.catTotal)
	t.Logf("agencies        %v", s.agencies)
	t.Logf("legal_basis     %v", s.legal)
	t.Logf("duration        %d/%d exact", s.durOK, s.durN)
	if *dump {
		for _, p := range pairs {
			if p.got == nil {
				t.Logf("UNMATCHED %s %s %q", p.gold.Doc, p.gold.Path, p.gold.Quote)
				continue
			}
			g, c := p.gold, p.got
			if slices.Equal(sorted(g.Tags), sorted(c.Tags)) && slices.Equal(sorted(g.SanctionCategories), sorted(c.SanctionCategories)) &&
				slices.Equal(sorted(g.Agencies), sorted(c.Agencies)) && slices.Equal(sorted(g.LegalBasis), sorted(c.LegalBasis)) && g.Duration == c.Duration {
				continue
			}
			t.Logf("\n== %s %s (parent %q)\n   text: %s\n   gold: %v %v ag=%v lb=%v d=%q\n   got:  %v %v ag=%v lb=%v d=%q\n   ev: %v",
				g.Doc[:3], g.Path, c.Parent, c.Text, g.Tags, g.SanctionCategories, g.Agencies, g.LegalBasis, g.Duration,
				c.Tags, c.SanctionCategories, c.Agencies, c.LegalBasis, c.Duration, c.Evidence)
		}
	}
	floors := []struct {
		name      string
		got, want float64
	}{
		// Floors a little below the scores of the first rule set (0.935,
		// 0.967, 0.895, 1.000), which was written with these gold files in
		// view: they guard against regressions, not measure generalisation.
		{"tags micro-F1", s.micro.f1(), 0.92},
		{"categories F1", s.cats.f1(), 0.95},
		{"agencies F1", s.agencies.f1(), 0.87},
		{"legal_basis F1", s.legal.f1(), 0.97},
		{"duration accuracy", ratio(s.durOK, s.durN), 0.85},
	}
	for _, f := range floors {
		if f.got < f.want {
			t.Errorf("%s = %.3f, want >= %.3f", f.name, f.got, f.want)
		}
	}
}
