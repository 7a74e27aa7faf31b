package tag

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser/segment"
)

func mustDefault(tb testing.TB) *Tagger {
	tb.Helper()
	tg, err := Default()
	if err != nil {
		tb.Fatalf("Default(): %v", err)
	}
	return tg
}

// tagCase is one case of testdata/cases.json: clauses (optionally items of
// a lead-in) and what the tagger must produce for each.
type tagCase struct {
	Name       string     `json:"name"`
	LeadIn     string     `json:"leadin"`
	LeadInTags []string   `json:"leadin_tags"`
	Clauses    []wantSpec `json:"clauses"`
}

type wantSpec struct {
	Text       string   `json:"text"`
	Tags       []string `json:"tags"`
	Cats       []string `json:"cats"`
	Agencies   []string `json:"agencies"`
	LegalBasis []string `json:"legal_basis"`
	Duration   string   `json:"duration"`
}

func TestTagCases(t *testing.T) {
	tg := mustDefault(t)
	raw, err := os.ReadFile("testdata/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []tagCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatalf("testdata/cases.json: %v", err)
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			d := &corpus.Document{}
			if tc.LeadIn != "" {
				d.Clauses = append(d.Clauses, corpus.Clause{Path: "一", Text: tc.LeadIn})
			}
			for i, w := range tc.Clauses {
				c := corpus.Clause{Path: "一/" + string(rune('1'+i)), Text: w.Text}
				if tc.LeadIn != "" {
					c.Parent = "一"
				}
				d.Clauses = append(d.Clauses, c)
			}
			tg.TagDocument(d)
			got := d.Clauses
			if tc.LeadIn != "" {
				if !eqSet(got[0].Tags, tc.LeadInTags) {
					t.Errorf("lead-in %q: tags = %v, want %v", tc.LeadIn, got[0].Tags, tc.LeadInTags)
				}
				if len(got[0].SanctionCategories) != 0 {
					t.Errorf("lead-in %q: categories = %v, want none", tc.LeadIn, got[0].SanctionCategories)
				}
				got = got[1:]
			}
			for i, w := range tc.Clauses {
				c := got[i]
				check := func(field string, g, want []string) {
					if !eqSet(g, want) {
						t.Errorf("%q: %s = %v, want %v (evidence %v)", w.Text, field, g, want, c.Evidence)
					}
				}
				check("tags", c.Tags, w.Tags)
				check("categories", c.SanctionCategories, w.Cats)
				check("agencies", c.Agencies, w.Agencies)
				check("legal_basis", c.LegalBasis, w.LegalBasis)
				if c.Duration != w.Duration {
					t.Errorf("%q: duration = %q, want %q", w.Text, c.Duration, w.Duration)
				}
				checkEvidence(t, c)
			}
		})
	}
}

// checkEvidence asserts that every output value has evidence and that
// in-clause spans point at the clause text.
func checkEvidence(t *testing.T, c corpus.Clause) {
	t.Helper()
	has := func(field, v string) bool {
		return slices.ContainsFunc(c.Evidence, func(e corpus.Evidence) bool { return e.Field == field && e.Value == v })
	}
	for field, vals := range map[string][]string{FieldTag: c.Tags, FieldCategory: c.SanctionCategories, FieldAgency: c.Agencies, FieldLegalBasis: c.LegalBasis} {
		for _, v := range vals {
			if !has(field, v) {
				t.Errorf("%q: %s %q has no evidence", c.Text, field, v)
			}
		}
	}
	if c.Duration != "" && !has(FieldDuration, c.Duration) {
		t.Errorf("%q: duration %q has no evidence", c.Text, c.Duration)
	}
	for _, e := range c.Evidence {
		if e.Rule == "" {
			t.Errorf("%q: evidence %+v names no rule", c.Text, e)
		}
		if e.Start >= 0 && (e.End > len(c.Text) || c.Text[e.Start:e.End] != e.Span) {
			t.Errorf("%q: evidence span %q at [%d,%d) does not match the text", c.Text, e.Span, e.Start, e.End)
		}
	}
}

func eqSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestTagsSortedInSpecOrder(t *testing.T) {
	tg := mustDefault(t)
	c := corpus.Clause{Text: "对失信主体限制融资，同时对守信主体给予优先办理，并向社会公示失信主体名单，归集信用信息。"}
	tg.TagClause(&c, nil, false)
	idx := func(list []string) func(string) int {
		return func(s string) int { return slices.Index(list, s) }
	}
	for name, pair := range map[string][2][]string{"tags": {c.Tags, corpus.Tags}, "categories": {c.SanctionCategories, corpus.SanctionCategories}} {
		pos := idx(pair[1])
		if !slices.IsSortedFunc(pair[0], func(a, b string) int { return pos(a) - pos(b) }) {
			t.Errorf("%s = %v, want spec order", name, pair[0])
		}
	}
	if len(c.Tags) < 3 {
		t.Errorf("tags = %v, want sanction, reward and data", c.Tags)
	}
}

func TestLoadRejectsBadRules(t *testing.T) {
	tests := []struct {
		name, yaml string
		wantID     string
		wantLine   int
		wantMsg    string
	}{
		{"unknown tag", "rules:\n  - id: a\n    tag: punish\n    match: ['x']\n", "a", 2, "unknown tag"},
		{"unknown category", "rules:\n  - id: a\n    tag: sanction\n    match: ['x']\n  - id: b\n    category: jail\n    match: ['x']\n", "b", 5, "unknown sanction category"},
		{"bad regex", "rules:\n  - id: r1\n    tag: data\n    match: ['(unclosed']\n", "r1", 2, "bad regex"},
		{"duplicate id", "rules:\n  - id: d\n    tag: data\n    match: ['x']\n  - id: d\n    tag: scope\n    match: ['y']\n", "d", 5, "duplicate id"},
		{"two products", "rules:\n  - id: t\n    tag: data\n    category: finance\n    match: ['x']\n", "t", 2, "exactly one"},
		{"unknown pattern list", "rules:\n  - id: p\n    tag: data\n    match: ['@nope']\n", "p", 2, "unknown pattern list"},
		{"unknown field", "rules:\n  - id: f\n    field: penalty\n    match: ['x']\n", "f", 2, "unknown field"},
		{"unknown key", "rules:\n  - id: k\n    tag: data\n    matches: ['x']\n", "", 0, "matches"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("Load(%q) = nil error, want one mentioning %q", tt.yaml, tt.wantMsg)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Load error = %q, want it to mention %q", err, tt.wantMsg)
			}
			if tt.wantID == "" {
				return
			}
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("Load error %v is not a *RuleError", err)
			}
			if re.ID != tt.wantID || re.Line != tt.wantLine {
				t.Errorf("RuleError id=%q line=%d, want id=%q line=%d", re.ID, re.Line, tt.wantID, tt.wantLine)
			}
		})
	}
}

func TestDefaultRulesLoad(t *testing.T) {
	tg := mustDefault(t)
	if tg.Len() < 30 {
		t.Errorf("Default() has %d rules, want the full embedded set (>= 30)", tg.Len())
	}
}

func TestStage(t *testing.T) {
	st := NewStage(mustDefault(t))
	if st.Name() != "tag" {
		t.Errorf("Name() = %q, want tag", st.Name())
	}
	d := &corpus.Document{Clauses: []corpus.Clause{{Path: "第一条", Text: "限制失信被执行人乘坐飞机。"}}}
	if err := corpus.RunStage(t.Context(), st, d); err != nil || d.Failed() {
		t.Fatalf("RunStage: %v, %v", err, d.Err)
	}
	if c := d.Clauses[0]; !eqSet(c.Tags, []string{"sanction"}) || !eqSet(c.SanctionCategories, []string{"travel"}) {
		t.Errorf("clause = %v %v, want [sanction] [travel]", c.Tags, c.SanctionCategories)
	}
}

// benchDoc is a document of clauses from the gold texts (or the test cases).
func benchClauses(b *testing.B, tg *Tagger) []corpus.Clause {
	b.Helper()
	var out []corpus.Clause
	for _, p := range loadGold(b, tg) {
		if p.Got != nil {
			out = append(out, *p.Got)
		}
	}
	return out
}

func BenchmarkTag(b *testing.B) {
	tg := mustDefault(b)
	clauses := benchClauses(b, tg)
	n := 0
	for _, c := range clauses {
		n += len(c.Text)
	}
	for _, v := range []struct {
		name string
		tg   *Tagger
	}{{"tag", tg}, {"tag-no-prefilter", tg.withoutPrefilter()}} {
		b.Run(v.name, func(b *testing.B) {
			d := &corpus.Document{Clauses: slices.Clone(clauses)}
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				v.tg.TagDocument(d)
			}
			b.ReportMetric(float64(len(clauses))*float64(b.N)/b.Elapsed().Seconds(), "clauses/s")
		})
	}
	b.Run("segment-baseline", func(b *testing.B) {
		seg, err := segment.Default()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(n))
		b.ReportAllocs()
		for b.Loop() {
			for _, c := range clauses {
				seg.Cut(c.Text)
			}
		}
		b.ReportMetric(float64(len(clauses))*float64(b.N)/b.Elapsed().Seconds(), "clauses/s")
	})
}

// TestPrefilterChangesNothing pins that the literal prefilters only skip
// regexes that cannot match: tagging with and without them is identical.
func TestPrefilterChangesNothing(t *testing.T) {
	tg := mustDefault(t)
	for _, name := range []string{"local-regulation", "spc-rule", "mou", "notice"} {
		raw, err := os.ReadFile("testdata/heldout/" + name + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		var a, b []corpus.Clause
		for i, line := range strings.Split(string(raw), "\n") {
			a = append(a, corpus.Clause{Path: fmt.Sprint(i), Text: line})
		}
		b = slices.Clone(a)
		tg.TagDocument(&corpus.Document{Clauses: a})
		tg.withoutPrefilter().TagDocument(&corpus.Document{Clauses: b})
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: tagging with prefilters differs from tagging without", name)
		}
	}
}

// TestTraditionalCharacters pins that a clause published in traditional
// characters is tagged as its simplified form would be, while its text,
// field values and evidence spans stay as written.
func TestTraditionalCharacters(t *testing.T) {
	tg := mustDefault(t)
	tests := []struct {
		text, wantTag, wantAgency string
	}{
		{"對失信被執行人，由人民法院依法限制其乘坐飛機。", "sanction", "人民法院"},
		{"信用主體認為信用信息存在錯誤的，可以向市公共信用信息服務中心提出異議。", "safeguard", "市公共信用信息服務中心"},
	}
	for _, tt := range tests {
		c := corpus.Clause{Path: "第一条", Text: tt.text}
		tg.TagClause(&c, nil, false)
		if !slices.Contains(c.Tags, tt.wantTag) {
			t.Errorf("%q: tags %v, want %s", tt.text, c.Tags, tt.wantTag)
		}
		if !slices.Contains(c.Agencies, tt.wantAgency) {
			t.Errorf("%q: agencies %v, want %s as written", tt.text, c.Agencies, tt.wantAgency)
		}
		if c.Text != tt.text {
			t.Errorf("the clause text changed: %q", c.Text)
		}
		for _, e := range c.Evidence {
			if e.Start >= 0 && tt.text[e.Start:e.End] != e.Span {
				t.Errorf("%q: evidence %s span %q is not the text at [%d:%d]", tt.text, e.Rule, e.Span, e.Start, e.End)
			}
		}
	}
}

func TestImplicitLeadIns(t *testing.T) {
	cs := []corpus.Clause{
		{Path: "第八十条/第1款", Text: "信用主体可以通过下列方式修复其失信记录："},
		{Path: "第八十条/第2款", Text: "作出信用承诺；"},
		{Path: "第八十条/第3款", Text: "法律、法规规定的其他修复措施。"},
		{Path: "第八十条/第4款", Text: "修复完成后停止公示。"},
		{Path: "第八十一条/第1款", Text: "有下列情形之一的，不予修复："},
		{Path: "第八十二条", Text: "本条例自公布之日起施行。"},
		{Path: "第八十三条", Text: "有下列情形之一的：", Parent: ""},
		{Path: "第八十三条/（一）", Text: "甲；", Parent: "第八十三条"},
	}
	want := []int{-1, 0, 0, -1, -1, -1, -1, -1}
	got := implicitLeadIns(cs)
	if !slices.Equal(got, want) {
		t.Errorf("implicitLeadIns = %v, want %v", got, want)
	}
}
