package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser"
	"github.com/scs-project/scs/parser/tag"
)

const explainHelp = `Analyses FILE (extract, structure, segment, tag: no corpus needed) and
shows why the clause at PATH got its tags: its text with every matched span
marked 【like this】, then each tag, sanction category and field with the
rule that produced it, the rule's comment, and where the rule looked (the
clause itself, its lead-in or its headings: context, quoted separately).
The normalised fields (canonical agencies, parsed citations, duration in
months) and, for a measure item, its measure record follow.

PATH is a clause path as printed by 'scs analyze' (第三章/第三十一条/（四）,
二/（一）/1) or a clause id. With --json, prints one JSON object: the clause
and its explanations.`

// explanation is one produced value with its rule.
type explanation struct {
	Field   string `json:"field"`
	Value   string `json:"value"`
	Rule    string `json:"rule"`
	Comment string `json:"comment"`
	Source  string `json:"source"` // text, parent or headings
	Span    string `json:"span"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

type explainOutput struct {
	Source       string          `json:"source"`
	Clause       corpus.Clause   `json:"clause"`
	Measure      *corpus.Measure `json:"measure,omitempty"`
	Explanations []explanation   `json:"explanations"`
}

func runExplain(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "explain", "[--json] FILE PATH", explainHelp)
	asJSON := fs.Bool("json", false, "one JSON object")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return errUsage
	}
	file, path := fs.Arg(0), fs.Arg(1)
	p, err := parser.New(parserConfig(e))
	if err != nil {
		return err
	}
	tg, err := tag.Default()
	if err != nil {
		return err
	}
	var doc *corpus.Document
	if _, err := processFiles(ctx, []string{file}, p.Chain(), 1, func(d *corpus.Document) {
		if doc == nil {
			doc = d
		}
	}); err != nil {
		return err
	}
	if doc == nil {
		return fmt.Errorf("%s: no document", file)
	}
	if doc.Failed() {
		return fmt.Errorf("%s: %v", file, doc.Err)
	}
	var c *corpus.Clause
	for i := range doc.Clauses {
		if doc.Clauses[i].Path == path || doc.Clauses[i].ID == path {
			c = &doc.Clauses[i]
			break
		}
	}
	if c == nil {
		var paths []string
		for i, cl := range doc.Clauses {
			if i == 12 {
				paths = append(paths, "…")
				break
			}
			paths = append(paths, cl.Path)
		}
		return fmt.Errorf("%s has no clause %q (%d clauses: %s; see 'scs analyze %s')", file, path, len(doc.Clauses), strings.Join(paths, " "), file)
	}
	out := explainOutput{Source: doc.Source, Clause: *c, Explanations: []explanation{}}
	out.Clause.Tokens = nil
	for i := range doc.Measures {
		if doc.Measures[i].Path == c.Path {
			out.Measure = &doc.Measures[i]
		}
	}
	for _, ev := range c.Evidence {
		ri, _ := tg.Rule(ev.Rule)
		out.Explanations = append(out.Explanations, explanation{Field: ev.Field, Value: ev.Value, Rule: ev.Rule,
			Comment: ri.Comment, Source: ri.Source, Span: ev.Span, Start: ev.Start, End: ev.End})
	}
	if *asJSON {
		return writeJSON(e.stdout, out)
	}
	printExplanation(e, &out, doc)
	return nil
}

func printExplanation(e *env, x *explainOutput, d *corpus.Document) {
	c := &x.Clause
	w := e.stdout
	fmt.Fprintf(w, "%s · %s\n", orDash(d.Title), c.Path)
	if len(c.Headings) > 0 {
		fmt.Fprintf(w, "headings: %s\n", strings.Join(c.Headings, " / "))
	}
	if c.Parent != "" {
		for _, p := range d.Clauses {
			if p.Path == c.Parent {
				fmt.Fprintf(w, "lead-in:  %s  %s\n", p.Path, truncate(p.Text, 60))
			}
		}
	}
	fmt.Fprintf(w, "\n%s\n\n", indent(highlightSpans(c.Text, c.Evidence), "  "))
	if len(x.Explanations) == 0 {
		fmt.Fprintln(w, "no rule fired: no tags, categories or fields")
	}
	for _, ex := range x.Explanations {
		where := "in the clause"
		if ex.Start < 0 {
			where = "in the " + map[string]string{tag.SourceParent: "lead-in", tag.SourceHeadings: "headings"}[ex.Source]
			if ex.Source == tag.SourceText || ex.Source == "" {
				where = "in context"
			}
		}
		fmt.Fprintf(w, "%-17s %-16s ← %s\n", ex.Field, ex.Value, ex.Rule)
		fmt.Fprintf(w, "%17s matched 【%s】 %s\n", "", truncate(ex.Span, 50), where)
		if ex.Comment != "" {
			fmt.Fprintf(w, "%17s %s\n", "", ex.Comment)
		}
	}
	if len(c.AgenciesCanonical) > 0 || len(c.Citations) > 0 || c.DurationMonths != nil {
		fmt.Fprintln(w, "\nnormalised:")
		if len(c.AgenciesCanonical) > 0 {
			fmt.Fprintf(w, "  agencies (canonical)  %s\n", strings.Join(c.AgenciesCanonical, "、"))
		}
		for _, ct := range c.Citations {
			fmt.Fprintf(w, "  citation              %s", ct.Title)
			for _, part := range []struct {
				n    int
				unit string
			}{{ct.Article, "article"}, {ct.Paragraph, "paragraph"}, {ct.Item, "item"}} {
				if part.n > 0 {
					fmt.Fprintf(w, ", %s %d", part.unit, part.n)
				}
			}
			fmt.Fprintln(w)
		}
		if m := c.DurationMonths; m != nil {
			if m.Min == m.Max {
				fmt.Fprintf(w, "  duration              %d months\n", m.Min)
			} else {
				fmt.Fprintf(w, "  duration              %d–%d months\n", m.Min, m.Max)
			}
		}
	}
	if m := x.Measure; m != nil {
		lb := "no legal basis (policy only)"
		if m.HasLegalBasis {
			lb = "legal basis: " + strings.Join(m.LegalBasis, "；")
		}
		fmt.Fprintf(w, "\nmeasure %s (%s): %s\n", m.Ordinal, m.Kind, lb)
	}
}

// highlightSpans marks the in-clause evidence spans of text with 【】,
// merging overlapping spans.
func highlightSpans(text string, evs []corpus.Evidence) string {
	type span struct{ s, e int }
	var spans []span
	for _, ev := range evs {
		if ev.Start >= 0 && ev.End <= len(text) && ev.Start < ev.End {
			spans = append(spans, span{ev.Start, ev.End})
		}
	}
	if len(spans) == 0 {
		return text
	}
	for i := 1; i < len(spans); i++ { // insertion sort: few spans
		for j := i; j > 0 && spans[j].s < spans[j-1].s; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	var sb strings.Builder
	pos := 0
	cur := spans[0]
	flush := func(sp span) {
		sb.WriteString(text[pos:sp.s])
		sb.WriteString("【" + text[sp.s:sp.e] + "】")
		pos = sp.e
	}
	for _, sp := range spans[1:] {
		if sp.s <= cur.e {
			cur.e = max(cur.e, sp.e)
			continue
		}
		flush(cur)
		cur = sp
	}
	flush(cur)
	sb.WriteString(text[pos:])
	return sb.String()
}

func indent(s, pre string) string {
	return pre + strings.ReplaceAll(s, "\n", "\n"+pre)
}
