package score

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/scs-project/scs/corpus"
)

// Label is one hand-labelled clause (one line of a gold JSONL file).
type Label struct {
	Doc                string   `json:"doc"`   // the labelled document's file name
	Path               string   `json:"path"`  // matched exactly when there is no Quote
	Quote              string   `json:"quote"` // the first characters of the clause text
	Tags               []string `json:"tags"`
	SanctionCategories []string `json:"sanction_categories"`
	Agencies           []string `json:"agencies"`
	LegalBasis         []string `json:"legal_basis"`
	Duration           string   `json:"duration"`
}

// ReadFile reads a gold JSONL file. Errors name the file and line.
func ReadFile(path string) ([]Label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Label
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l Label
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// ReadDir reads every *.jsonl file of dir and groups the labels by Doc, in
// file order.
func ReadDir(dir string) (map[string][]Label, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	out := map[string][]Label{}
	for _, f := range files {
		ls, err := ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			out[l.Doc] = append(out[l.Doc], l)
		}
	}
	return out, nil
}

// Fold removes white space and folds full-width ASCII to half-width, as
// the gold README prescribes for matching quotes.
func Fold(s string) string {
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

// Pair is a label and the output clause it matched (nil if none).
type Pair struct {
	Label Label
	Got   *corpus.Clause
}

// Match pairs each label of one document with the output clause whose
// folded text contains its folded quote (or, for a label without a quote,
// whose path is the label's path): the first such clause after the
// previous match (so repeated short quotes are matched in document order),
// else the first anywhere.
func Match(labels []Label, clauses []corpus.Clause) []Pair {
	folded := make([]string, len(clauses))
	for i, c := range clauses {
		folded[i] = Fold(c.Text)
	}
	var out []Pair
	next := 0
	for _, l := range labels {
		if l.Quote == "" {
			// Labels of third-party texts carry no quote, so that the
			// project does not copy those texts: the path is the key.
			p := Pair{Label: l}
			if i := slices.IndexFunc(clauses, func(c corpus.Clause) bool { return c.Path == l.Path }); i >= 0 {
				p.Got = &clauses[i]
				next = i + 1
			}
			out = append(out, p)
			continue
		}
		q := Fold(l.Quote)
		found := -1
		for i := next; i < len(clauses) && found < 0; i++ {
			if strings.Contains(folded[i], q) {
				found = i
			}
		}
		for i := 0; i < next && found < 0; i++ {
			if strings.Contains(folded[i], q) {
				found = i
			}
		}
		p := Pair{Label: l}
		if found >= 0 {
			p.Got = &clauses[found]
			next = found + 1
		}
		out = append(out, p)
	}
	return out
}

// PRF counts true positives, false positives and false negatives.
type PRF struct{ TP, FP, FN int }

// Add counts the values of got against those of want.
func (c *PRF) Add(got, want []string) {
	for _, g := range got {
		if slices.Contains(want, g) {
			c.TP++
		} else {
			c.FP++
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			c.FN++
		}
	}
}

// P is the precision (1 when nothing was produced).
func (c PRF) P() float64 { return Ratio(c.TP, c.TP+c.FP) }

// R is the recall (1 when nothing was wanted).
func (c PRF) R() float64 { return Ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of P and R.
func (c PRF) F1() float64 { return Ratio(2*c.TP, 2*c.TP+c.FP+c.FN) }

func (c PRF) String() string {
	return fmt.Sprintf("P=%.3f R=%.3f F1=%.3f (tp=%d fp=%d fn=%d)", c.P(), c.R(), c.F1(), c.TP, c.FP, c.FN)
}

// Ratio is a/b, or 1 when b is 0.
func Ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Scores are the metrics of one set of pairs.
type Scores struct {
	Clauses, Unmatched int
	PerTag             map[string]*PRF // by spec §4 tag
	Micro              PRF             // all tags together
	Categories         PRF             // sanction categories, value by value
	// CatExact of CatTotal clauses (those where gold or output has a
	// category) have exactly the gold's category set.
	CatExact, CatTotal int
	Agencies           PRF // as written (the spec's agencies field)
	LegalBasis         PRF
	// DurOK of DurN clauses (gold or output has a duration) agree exactly.
	DurOK, DurN int
}

// Score computes the metrics of pairs; unmatched labels count only in
// Unmatched.
func Score(pairs []Pair) Scores {
	s := Scores{PerTag: map[string]*PRF{}}
	for _, t := range corpus.Tags {
		s.PerTag[t] = &PRF{}
	}
	for _, p := range pairs {
		s.Clauses++
		if p.Got == nil {
			s.Unmatched++
			continue
		}
		g, c := p.Label, p.Got
		for _, t := range corpus.Tags {
			s.PerTag[t].Add(only(c.Tags, t), only(g.Tags, t))
		}
		s.Micro.Add(c.Tags, g.Tags)
		s.Categories.Add(c.SanctionCategories, g.SanctionCategories)
		if len(g.SanctionCategories) > 0 || len(c.SanctionCategories) > 0 {
			s.CatTotal++
			if SameSet(c.SanctionCategories, g.SanctionCategories) {
				s.CatExact++
			}
		}
		s.Agencies.Add(c.Agencies, g.Agencies)
		s.LegalBasis.Add(c.LegalBasis, g.LegalBasis)
		if g.Duration != "" || c.Duration != "" {
			s.DurN++
			if g.Duration == c.Duration {
				s.DurOK++
			}
		}
	}
	return s
}

// MinTagF1 returns the lowest per-tag F1 among tags that occur in the gold
// or the output, and that tag.
func (s Scores) MinTagF1() (string, float64) {
	name, low := "", 1.0
	for _, t := range corpus.Tags {
		c := s.PerTag[t]
		if c.TP+c.FP+c.FN == 0 {
			continue
		}
		if f := c.F1(); f < low {
			name, low = t, f
		}
	}
	return name, low
}

// Report writes the scores as an aligned table.
func (s Scores) Report(w io.Writer) {
	fmt.Fprintf(w, "clauses %d, unmatched %d\n", s.Clauses, s.Unmatched)
	for _, t := range corpus.Tags {
		fmt.Fprintf(w, "  %-13s %v\n", t, *s.PerTag[t])
	}
	fmt.Fprintf(w, "tags micro      %v\n", s.Micro)
	fmt.Fprintf(w, "categories      %v; exact set agreement %d/%d\n", s.Categories, s.CatExact, s.CatTotal)
	fmt.Fprintf(w, "agencies        %v\n", s.Agencies)
	fmt.Fprintf(w, "legal_basis     %v\n", s.LegalBasis)
	fmt.Fprintf(w, "duration        %d/%d exact\n", s.DurOK, s.DurN)
}

// Diff describes where a matched clause disagrees with its label, or ""
// when it agrees on every scored field.
func Diff(p Pair) string {
	if p.Got == nil {
		return fmt.Sprintf("UNMATCHED %s %s %q", p.Label.Doc, p.Label.Path, p.Label.Quote)
	}
	g, c := p.Label, p.Got
	if SameSet(g.Tags, c.Tags) && SameSet(g.SanctionCategories, c.SanctionCategories) &&
		SameSet(g.Agencies, c.Agencies) && SameSet(g.LegalBasis, c.LegalBasis) && g.Duration == c.Duration {
		return ""
	}
	var ev []string
	for _, e := range c.Evidence {
		ev = append(ev, fmt.Sprintf("%s=%s<-%s[%s]", e.Field, e.Value, e.Rule, e.Span))
	}
	return fmt.Sprintf("== %s %s\n   text: %s\n   want: %v %v ag=%v lb=%v d=%q\n   got:  %v %v ag=%v lb=%v d=%q\n   ev:   %s",
		g.Doc, g.Path, c.Text, g.Tags, g.SanctionCategories, g.Agencies, g.LegalBasis, g.Duration,
		c.Tags, c.SanctionCategories, c.Agencies, c.LegalBasis, c.Duration, strings.Join(ev, " "))
}

// SameSet reports whether a and b hold the same values, in any order.
func SameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func only(list []string, v string) []string {
	if slices.Contains(list, v) {
		return []string{v}
	}
	return nil
}
