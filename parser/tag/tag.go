package tag

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/scs-project/scs/corpus"
)

// Tagger applies a compiled rule set. It is immutable after Load and safe
// for concurrent use.
type Tagger struct {
	rules   []*rule
	order   map[string]int     // tag and category → spec order
	aliases *Aliases           // agency names → canonical; nil: names as written
	simp    *corpus.Simplifier // reads traditional characters as simplified
}

// Load compiles a rule set in the rules.yaml format. Every problem (unknown
// tag, category or field name, bad regex, duplicate or missing id) is
// reported, each with its rule id and line.
func Load(data []byte) (*Tagger, error) {
	rules, err := compile(data)
	if err != nil {
		return nil, err
	}
	order := map[string]int{}
	for i, t := range corpus.Tags {
		order[t] = i
	}
	for i, c := range corpus.SanctionCategories {
		order[c] = i
	}
	return &Tagger{rules: rules, order: order}, nil
}

// Default returns a Tagger for the rule set and agency alias table
// embedded in the corpus package (corpus/data/rules.yaml, agencies.tsv).
func Default() (*Tagger, error) {
	t, err := Load(corpus.RulesYAML())
	if err != nil {
		return nil, fmt.Errorf("tag: embedded corpus data: %w", err)
	}
	if t.aliases, err = LoadAliases(corpus.AgencyAliases()); err != nil {
		return nil, fmt.Errorf("tag: embedded corpus data: %w", err)
	}
	if t.simp, err = corpus.LoadSimplifier(corpus.TradSimp()); err != nil {
		return nil, fmt.Errorf("tag: embedded corpus data: %w", err)
	}
	return t, nil
}

// WithAliases returns a copy of t that normalises agency names through a.
func (t *Tagger) WithAliases(a *Aliases) *Tagger {
	c := *t
	c.aliases = a
	return &c
}

// Aliases returns the agency alias table (nil if none).
func (t *Tagger) Aliases() *Aliases { return t.aliases }

// Len returns the number of rules.
func (t *Tagger) Len() int { return len(t.rules) }

// clauseCtx is what the rules may look at for one clause.
type clauseCtx struct {
	c        *corpus.Clause
	parent   *corpus.Clause // the lead-in, or nil
	leadIn   bool
	headings string
}

// TagDocument replaces the tag outputs (Tags, SanctionCategories, Agencies,
// LegalBasis, Duration, Evidence and their normalised forms
// AgenciesCanonical, Citations, DurationMonths) of every clause of d, and
// d.Measures. It reads the clause
// Text, Path, Parent and Headings. Lead-ins are tagged before their items
// (document order), so an item's rules can see its lead-in's tags.
func (t *Tagger) TagDocument(d *corpus.Document) {
	byPath := make(map[string]int, len(d.Clauses))
	leadIns := map[string]bool{}
	for i := range d.Clauses {
		byPath[d.Clauses[i].Path] = i
		if p := d.Clauses[i].Parent; p != "" {
			leadIns[p] = true
		}
	}
	implicit := implicitLeadIns(d.Clauses)
	for _, j := range implicit {
		if j >= 0 {
			leadIns[d.Clauses[j].Path] = true
		}
	}
	for i := range d.Clauses {
		c := &d.Clauses[i]
		cc := clauseCtx{c: c, leadIn: leadIns[c.Path], headings: strings.Join(c.Headings, "\n")}
		if j, ok := byPath[c.Parent]; ok && c.Parent != "" && j != i {
			cc.parent = &d.Clauses[j]
		} else if j := implicit[i]; j >= 0 {
			cc.parent = &d.Clauses[j]
		}
		t.tagClause(&cc)
	}
	d.Measures = measures(d, leadIns, byPath)
}

// TagClause tags one clause on its own, with parent as its lead-in (nil if
// none) and leadIn saying whether items follow it. It is TagDocument for
// callers that hold clauses outside a Document.
func (t *Tagger) TagClause(c *corpus.Clause, parent *corpus.Clause, leadIn bool) {
	t.tagClause(&clauseCtx{c: c, parent: parent, leadIn: leadIn, headings: strings.Join(c.Headings, "\n")})
}

func (t *Tagger) tagClause(cc *clauseCtx) {
	c := cc.c
	c.Tags = []string{}
	c.SanctionCategories = []string{}
	c.Agencies = []string{}
	c.LegalBasis = []string{}
	c.Duration = ""
	c.Evidence = []corpus.Evidence{}
	// Rules read the clause in simplified characters (a traditional
	// text is converted character for character, offsets unchanged), and
	// tags and categories read it with cited titles masked, so that
	// 《…限制…若干规定》 or 《企业信息公示暂行条例》 is not read as a measure
	// or a publication; fields (legal_basis above all) need the titles.
	// Evidence spans of tags quote the original text.
	plain := t.simp.Simplify(c.Text)
	parentPlain, headings := "", t.simp.Simplify(cc.headings)
	if cc.parent != nil {
		parentPlain = t.simp.Simplify(cc.parent.Text)
	}
	text, parentText := maskTitles(plain), maskTitles(parentPlain)
	for _, r := range t.rules {
		if !t.applies(r, cc) {
			continue
		}
		masked := r.value != ""
		src, view, self, own := c.Text, plain, plain, true
		switch r.Source {
		case SourceParent:
			if cc.parent == nil {
				continue
			}
			src, view, own = cc.parent.Text, parentPlain, false
		case SourceHeadings:
			src, view, own = cc.headings, headings, false
		}
		if masked {
			self = text
			switch r.Source {
			case SourceParent:
				view = parentText
			case SourceText:
				view = text
			}
		}
		first := r.firstLit(view)
		if first < 0 || !matchesAll(r.allOf, view) || matchesAny(r.noneOf, self) {
			continue
		}
		if len(r.context) > 0 && !matchesAny(r.context, self) && !matchesAny(r.context, parentText) && !matchesAny(r.context, headings) {
			continue
		}
		if len(r.parentNoneOf) > 0 && matchesAny(r.parentNoneOf, parentText) {
			continue
		}
		if masked {
			loc := r.firstMatch(view, first)
			if loc == nil {
				continue
			}
			// Masking keeps byte offsets: the evidence quotes the original.
			t.add(c, r, r.value, src, loc, own)
			continue
		}
		// Field rules match the simplified view; values and spans are
		// taken from the original at the same offsets (as written).
		t.extract(c, r, view, src, own)
	}
	slices.SortStableFunc(c.Tags, func(a, b string) int { return t.order[a] - t.order[b] })
	slices.SortStableFunc(c.SanctionCategories, func(a, b string) int { return t.order[a] - t.order[b] })
	t.normalize(c)
}

// applies checks a rule's conditions against the clause's state so far.
func (t *Tagger) applies(r *rule, cc *clauseCtx) bool {
	c, k := cc.c, r.If
	if k.LeadIn != nil && *k.LeadIn != cc.leadIn {
		return false
	}
	if k.Item != nil && *k.Item != (cc.parent != nil) {
		return false
	}
	for _, tg := range k.Tags {
		if !slices.Contains(c.Tags, tg) {
			return false
		}
	}
	for _, tg := range k.NotTags {
		if slices.Contains(c.Tags, tg) {
			return false
		}
	}
	if cc.parent != nil {
		for _, tg := range k.NotParentTags {
			if slices.Contains(cc.parent.Tags, tg) {
				return false
			}
		}
	}
	if len(k.ParentTags) > 0 {
		if cc.parent == nil {
			return false
		}
		for _, tg := range k.ParentTags {
			if !slices.Contains(cc.parent.Tags, tg) {
				return false
			}
		}
	}
	if k.NoCategories != nil && *k.NoCategories != (len(c.SanctionCategories) == 0) {
		return false
	}
	if k.NoValue != nil {
		empty := true
		switch r.field {
		case FieldAgency:
			empty = len(c.Agencies) == 0
		case FieldLegalBasis:
			empty = len(c.LegalBasis) == 0
		case FieldDuration:
			empty = c.Duration == ""
		}
		if *k.NoValue != empty {
			return false
		}
	}
	return true
}

// add records a tag or category value with its evidence, once.
func (t *Tagger) add(c *corpus.Clause, r *rule, value, src string, loc []int, own bool) {
	list := &c.Tags
	if r.field == FieldCategory {
		list = &c.SanctionCategories
	}
	if slices.Contains(*list, value) {
		// Record further support from another rule (once per rule), so
		// explanations and Confidence see every rule behind a value.
		if r.field == FieldTag && !slices.ContainsFunc(c.Evidence, func(e corpus.Evidence) bool { return e.Rule == r.ID }) {
			c.Evidence = append(c.Evidence, evidence(r, value, src, loc, own))
		}
		return
	}
	*list = append(*list, value)
	c.Evidence = append(c.Evidence, evidence(r, value, src, loc, own))
}

// Confidence scores how well the evidence supports tag on c, in [0, 1]:
// 0 when c lacks the tag. Each supporting rule adds weight: 1 for a match
// in the clause's own text, 0.6 when that match is a bare cue of up to three characters
// cue (限制, 暂停), 0.5 when it came only from context (the lead-in). The
// score is w/(w+0.5): one strong in-clause rule gives 0.67, a lone
// context match 0.5, two rules 0.8. It ranks clauses for review; it is
// not a probability.
func Confidence(c *corpus.Clause, tag string) float64 {
	w := 0.0
	for _, e := range c.Evidence {
		if e.Field != FieldTag || e.Value != tag {
			continue
		}
		switch {
		case e.Start < 0:
			w += 0.5
		case utf8.RuneCountInString(e.Span) <= 3:
			w += 0.6
		default:
			w += 1
		}
	}
	if w == 0 {
		return 0
	}
	return w / (w + 0.5)
}

// extract records every value of a field rule: the "v" group of each match
// (else the whole match), split on r.split, trimmed by r.trim and filtered
// by r.keep and r.drop. Duration takes one value.
func (t *Tagger) extract(c *corpus.Clause, r *rule, src, orig string, own bool) {
	lo, hi := 0, len(src)
	if r.within != nil {
		w := r.within.FindStringIndex(src)
		if w == nil {
			return
		}
		lo, hi = w[0], w[1]
	}
	for i, re := range r.match {
		if !mayMatch(r.lits[i], src[lo:hi]) {
			continue // no required literal: no match, skip the regex
		}
		vi := re.SubexpIndex("v")
		for _, m := range re.FindAllStringSubmatchIndex(src[lo:hi], -1) {
			for i := range m {
				if m[i] >= 0 {
					m[i] += lo
				}
			}
			if r.isNegated(src, m[0]) {
				continue
			}
			loc := m[:2]
			if vi > 0 && m[2*vi] >= 0 {
				loc = m[2*vi : 2*vi+2]
			}
			parts := splitLoc(src, loc, r.split)
			if r.field == FieldAgency && len(r.keep) > 0 {
				parts = splitAnd(src, joinFields(src, parts, r), r)
			}
			for _, part := range parts {
				v := strings.TrimSpace(src[part[0]:part[1]])
				if r.trim != nil {
					v = trimAgency(r.trim, v)
				}
				if v == "" || (len(r.keep) > 0 && !matchesAny(r.keep, v)) || matchesAny(r.drop, v) {
					continue
				}
				v = asWritten(v, src, orig, part)
				switch r.field {
				case FieldDuration:
					if c.Duration != "" {
						return
					}
					c.Duration = v
				case FieldAgency:
					if slices.Contains(c.Agencies, v) {
						continue
					}
					c.Agencies = append(c.Agencies, v)
				case FieldLegalBasis:
					if slices.Contains(c.LegalBasis, v) {
						continue
					}
					c.LegalBasis = append(c.LegalBasis, v)
				}
				c.Evidence = append(c.Evidence, evidence(r, v, orig, part, own))
			}
		}
	}
}

// trimAgency strips the words trim matches from the front of v. A trim
// may strip 自 (自…作出决定之日起), which in 自治区, 自治州 and 自治县 is
// part of the name: RE2 cannot look ahead, so that 自 is put back here.
func trimAgency(trim *regexp.Regexp, v string) string {
	t := strings.TrimSpace(trim.ReplaceAllString(v, ""))
	if strings.HasPrefix(t, "治") && strings.HasSuffix(v, t) && strings.HasSuffix(strings.TrimSuffix(v, t), "自") {
		t = "自" + t
	}
	return t
}

// joinFields joins back the fields of a body listed before a shared 等
// (公安、民政、卫生健康等部门, 市场监管、税务等部门): each field alone is no body,
// and the list is one actor as written.
func joinFields(src string, parts [][]int, r *rule) [][]int {
	var out [][]int
	for i := 0; i < len(parts); i++ {
		j := i
		for j < len(parts)-1 && fieldOnly.MatchString(strings.TrimSpace(src[parts[j][0]:parts[j][1]])) &&
			!matchesAny(r.keep, strings.TrimSpace(src[parts[j][0]:parts[j][1]])) {
			j++
		}
		last := strings.TrimSpace(src[parts[j][0]:parts[j][1]])
		if j > i && strings.Contains(last, "等") && matchesAny(r.keep, last) {
			out = append(out, []int{parts[i][0], parts[j][1]})
			i = j
			continue
		}
		out = append(out, parts[i])
	}
	return out
}

// fieldOnly is a short field of administration written without a body
// (交通运输, 人力资源社会保障) in a list closed by 等部门.
var fieldOnly = regexp.MustCompile(`^\p{Han}{2,12}$`)

// splitLoc splits src[loc] at the matches of sep into sub-spans. A
// separator inside full-width parentheses does not split (县（市、区）), and
// a bare level of government stays with the part after it, whose body it
// shares (省、自治区、直辖市人民政府 is one name).
func splitLoc(src string, loc []int, sep *regexp.Regexp) [][]int {
	if sep == nil {
		return [][]int{loc}
	}
	var out [][]int
	start := loc[0]
	for _, m := range sep.FindAllStringIndex(src[loc[0]:loc[1]], -1) {
		before := src[loc[0] : loc[0]+m[0]]
		if strings.Count(before, "（") > strings.Count(before, "）") {
			continue
		}
		out = append(out, []int{start, loc[0] + m[0]})
		start = loc[0] + m[1]
	}
	out = append(out, []int{start, loc[1]})
	// A level joins the part after it; levels are judged on the parts as
	// split, so that a chain of them (省、自治区、直辖市) joins as a whole.
	level := make([]bool, len(out))
	for i, p := range out {
		level[i] = adminLevel.MatchString(strings.TrimSpace(src[p[0]:p[1]]))
	}
	merged := out[:0]
	for i := 0; i < len(out); i++ {
		if i+1 < len(out) && level[i] && !strings.HasPrefix(strings.TrimSpace(src[out[i+1][0]:out[i+1][1]]), "各") {
			out[i+1][0] = out[i][0]
			continue
		}
		merged = append(merged, out[i])
	}
	return merged
}

// adminLevel is a level of government written before the next one in a
// list of levels (省、自治区、直辖市…, 设区的市、县…; also after the
// preposition that opens the list, 由省、自治区…): not a body on its own.
// A level does not join a part opening with 各 (各区、各部门: two generic
// actors, not one body).
var adminLevel = regexp.MustCompile(`^(?:由|经|向|会同)?各?(?:省|自治区|直辖市|设区的市|市|县|区|乡|镇|乡镇|州|盟|旗)$`)

// splitAnd splits a part joining two bodies with 和 (公共信用信息机构和公共
// 信用信息提供单位) when each side is a body name on its own (r.keep), so
// that 市和区人民政府 stays one name.
func splitAnd(src string, parts [][]int, r *rule) [][]int {
	var out [][]int
	for _, p := range parts {
		v := src[p[0]:p[1]]
		i := strings.Index(v, "和")
		if i <= 0 || !matchesAny(r.keep, strings.TrimSpace(v[:i])) || !matchesAny(r.keep, strings.TrimSpace(v[i+len("和"):])) {
			out = append(out, p)
			continue
		}
		out = append(out, []int{p[0], p[0] + i}, []int{p[0] + i + len("和"), p[1]})
	}
	return out
}

func evidence(r *rule, value, src string, loc []int, own bool) corpus.Evidence {
	e := corpus.Evidence{Field: r.field, Value: value, Rule: r.ID, Span: src[loc[0]:loc[1]], Start: loc[0], End: loc[1]}
	if !own {
		e.Start, e.End = -1, -1
	}
	return e
}

// firstLit returns the index of the first match regex whose required
// literals s contains (or that has none), i.e. the first that can match,
// or -1 when none can.
func (r *rule) firstLit(s string) int {
	for i, l := range r.lits {
		if mayMatch(l, s) {
			return i
		}
	}
	return -1
}

// firstMatch returns the first match in s of the first match regex that
// has one not negated (see isNegated), trying regexes from index from on
// (those before it cannot match: see firstLit).
func (r *rule) firstMatch(s string, from int) []int {
	for i := from; i < len(r.match); i++ {
		re := r.match[i]
		if i > from && !mayMatch(r.lits[i], s) {
			continue
		}
		if len(r.negated) == 0 {
			if loc := re.FindStringIndex(s); loc != nil {
				return loc
			}
			continue
		}
		for _, loc := range re.FindAllStringIndex(s, -1) {
			if !r.isNegated(s, loc[0]) {
				return loc
			}
		}
	}
	return nil
}

// negationWindow is how far before a match a negation is looked for.
const negationWindow = 90 // bytes: about 30 Han characters

// isNegated reports whether one of r.negated matches at the end of the
// text before start, within the same sentence (not across 。；).
func (r *rule) isNegated(s string, start int) bool {
	if len(r.negated) == 0 {
		return false
	}
	lo := max(0, start-negationWindow)
	for lo < start && !utf8.RuneStart(s[lo]) {
		lo++
	}
	before := s[lo:start]
	if i := strings.LastIndexAny(before, "。；;\n"); i >= 0 {
		_, size := utf8.DecodeRuneInString(before[i:])
		before = before[i+size:]
	}
	return matchesAny(r.negated, before)
}

func matchesAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

func matchesAll(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if !re.MatchString(s) {
			return false
		}
	}
	return true
}

// Stage is the tag stage: it runs TagDocument on each document.
type Stage struct{ t *Tagger }

var _ corpus.Stage = (*Stage)(nil)

// NewStage returns the tag stage for t.
func NewStage(t *Tagger) *Stage { return &Stage{t: t} }

// Name returns "tag".
func (s *Stage) Name() string { return "tag" }

// Process tags every clause of d (see TagDocument).
func (s *Stage) Process(ctx context.Context, d *corpus.Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.t == nil {
		return fmt.Errorf("tag: nil tagger")
	}
	s.t.TagDocument(d)
	return nil
}

// RuleInfo describes one rule for listings and explanations.
type RuleInfo struct {
	ID       string `json:"id"`
	Produces string `json:"produces"` // tag:sanction, sanction_category:finance, agency, legal_basis, duration
	Source   string `json:"source"`   // where it looks: text, parent or headings
	Comment  string `json:"comment"`
	Line     int    `json:"line"` // in rules.yaml
}

// Rules describes the rules in evaluation order.
func (t *Tagger) Rules() []RuleInfo {
	out := make([]RuleInfo, len(t.rules))
	for i, r := range t.rules {
		p := r.field
		if r.value != "" {
			p += ":" + r.value
		}
		out[i] = RuleInfo{ID: r.ID, Produces: p, Source: r.Source, Comment: r.Comment, Line: r.line}
	}
	return out
}

// Rule returns the description of the rule with this id.
func (t *Tagger) Rule(id string) (RuleInfo, bool) {
	for _, ri := range t.Rules() {
		if ri.ID == id {
			return ri, true
		}
	}
	return RuleInfo{}, false
}

// maskTitles returns s with the text inside each 《…》 replaced by filler
// runes of the same byte length, so that offsets into the result are
// offsets into s. A title cut by the clause's ends (a leading 》, a
// trailing 《) is masked up to them; one spanning a line break is not.
func maskTitles(s string) string {
	if !strings.ContainsAny(s, "《》") {
		return s
	}
	b := []byte(s)
	// A title cut by a line break of the source (…合作备忘录(2016版)》的通知
	// after a line ending in 《关于对…): the fragment before a leading 》
	// and after a trailing 《 is title text too.
	if close, open := strings.Index(s, "》"), strings.Index(s, "《"); close >= 0 && (open < 0 || close < open) {
		fill(b, s, 0, close)
	}
	if open, close := strings.LastIndex(s, "《"), strings.LastIndex(s, "》"); open >= 0 && close < open {
		fill(b, s, open+len("《"), len(s))
	}
	for i := 0; i < len(s); {
		open := strings.Index(s[i:], "《")
		if open < 0 {
			break
		}
		start := i + open + len("《")
		end := strings.Index(s[start:], "》")
		if end < 0 || strings.ContainsAny(s[start:start+end], "《\n") {
			i = start
			continue
		}
		fill(b, s, start, start+end)
		i = start + end + len("》")
	}
	return string(b)
}

// fill overwrites b[from:to] (a copy of s) with filler runes of the same
// byte lengths as the runes of s there; line breaks are kept.
func fill(b []byte, s string, from, to int) {
	for j := from; j < to; {
		r, size := utf8.DecodeRuneInString(s[j:])
		if r != '\n' {
			copy(b[j:], titleFiller[size])
		}
		j += size
	}
}

// titleFiller holds a rune that no rule mentions for each UTF-8 length.
var titleFiller = [5]string{1: "_", 2: "¤", 3: "□", 4: "\U0001F532"}

// asWritten returns value v, found in src[part] (the simplified view of a
// clause), as the original text orig writes it: the view keeps the
// original's byte offsets, so the same bytes of orig are the value in
// traditional characters. A simplified clause is its own view.
func asWritten(v, src, orig string, part []int) string {
	if src == orig {
		return v
	}
	i := strings.Index(src[part[0]:part[1]], v)
	if i < 0 {
		return v
	}
	return orig[part[0]+i : part[0]+i+len(v)]
}

// implicitLeadIns finds lists written without item markers: paragraphs
// (款) of one article that follow a paragraph ending in a colon (信用主体
// 可以通过下列方式修复：, then 作出信用承诺；, 完成信用整改；…). For each
// clause it returns the index of that lead-in, or -1. The run ends at the
// first paragraph that does not end in a semicolon (the last item ends in
// 。). The structure stage keeps them paragraphs (spec §3 has no unmarked
// items); the tagger reads them as the items they are.
func implicitLeadIns(cs []corpus.Clause) []int {
	out := make([]int, len(cs))
	lead := -1
	for i := range cs {
		out[i] = -1
		c := &cs[i]
		if lead >= 0 && c.Parent == "" && paragraphOf(c.Path) != "" && paragraphOf(c.Path) == paragraphOf(cs[lead].Path) {
			out[i] = lead
			if t := strings.TrimSpace(c.Text); strings.HasSuffix(t, "；") || strings.HasSuffix(t, ";") {
				continue
			}
		}
		lead = -1
		if t := strings.TrimSpace(c.Text); c.Parent == "" && paragraphOf(c.Path) != "" && (strings.HasSuffix(t, "：") || strings.HasSuffix(t, ":")) {
			lead = i
		}
	}
	return out
}

// paragraphOf returns the article part of a paragraph's path (第五章/第八十条
// of 第五章/第八十条/第2款), or "" when the path is not a paragraph's.
func paragraphOf(path string) string {
	i := strings.LastIndex(path, "/第")
	if i < 0 || !strings.HasSuffix(path, "款") {
		return ""
	}
	return path[:i]
}
