package tag

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/scs-project/scs/corpus"
)

// ParseNumber parses a number written in Chinese numerals (二百五十五,
// 一〇五, 两, 十二) or ASCII or full-width digits. It reports false for
// anything else.
func ParseNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
			digits++
		}
	}
	if digits == len([]rune(s)) {
		n := 0
		for _, r := range s {
			if r >= '０' {
				r = r - '０' + '0'
			}
			n = n*10 + int(r-'0')
			if n > 1e9 {
				return 0, false
			}
		}
		return n, true
	}
	// Positional form without units (一〇五) or with units (二百五十五).
	total, section, digit := 0, 0, -1
	hasUnit := false
	for _, r := range s {
		if d, ok := cnDigit[r]; ok {
			if digit >= 0 && !hasUnit {
				// Consecutive digits without units: positional (一〇五).
				digit = digit*10 + d
				continue
			}
			digit = d
			continue
		}
		u, ok := cnUnit[r]
		if !ok {
			return 0, false
		}
		hasUnit = true
		if digit < 0 {
			digit = 1 // 十二: an implicit 一
		}
		if u == 10000 {
			total += (section + digit) * u
			section, digit = 0, -1
			continue
		}
		section += digit * u
		digit = -1
	}
	if digit > 0 {
		section += digit
	}
	return total + section, true
}

var cnDigit = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
var cnUnit = map[rune]int{'十': 10, '百': 100, '千': 1000, '万': 10000}

const numeral = `[零〇一二两三四五六七八九十百千万0-9０-９]+`

var (
	reCitation = regexp.MustCompile(`《([^《》]+)》((?:第` + numeral + `条(?:第` + numeral + `款)?(?:第(?:` + numeral + `|[（(]` + numeral + `[）)])项)?(?:[、和及])?)*)`)
	reArticle  = regexp.MustCompile(`第(` + numeral + `)条(?:第(` + numeral + `)款)?(?:第(?:(` + numeral + `)|[（(](` + numeral + `)[）)])项)?`)
	reDuration = regexp.MustCompile(`^(` + numeral + `|半)(?:(?:至|到|－|-|—|~|～)(` + numeral + `))?(年|个月|月)$`)
)

// ParseCitations parses one legal_basis value into citations, one per
// cited article (《X》第三十四条、第三十九条 gives two). A value without
// 《》 (a 法律依据 line naming an instrument plainly) is one citation whose
// title is the text.
func ParseCitations(v string) []corpus.Citation {
	var out []corpus.Citation
	for _, m := range reCitation.FindAllStringSubmatch(v, -1) {
		title, arts := strings.TrimSpace(m[1]), m[2]
		ams := reArticle.FindAllStringSubmatch(arts, -1)
		if len(ams) == 0 {
			out = append(out, corpus.Citation{Title: title, Text: v})
			continue
		}
		for _, a := range ams {
			c := corpus.Citation{Title: title, Text: v}
			c.Article, _ = ParseNumber(a[1])
			c.Paragraph, _ = ParseNumber(a[2])
			if a[3] != "" {
				c.Item, _ = ParseNumber(a[3])
			} else {
				c.Item, _ = ParseNumber(a[4])
			}
			out = append(out, c)
		}
	}
	if len(out) == 0 && strings.TrimSpace(v) != "" {
		out = append(out, corpus.Citation{Title: strings.TrimSpace(v), Text: v})
	}
	return out
}

// ParseDuration normalises a duration as written (3年, 五年, 6个月,
// 一至三年, 半年) to months; false when it is not one.
func ParseDuration(v string) (corpus.MonthRange, bool) {
	m := reDuration.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return corpus.MonthRange{}, false
	}
	unit := 1
	if m[3] == "年" {
		unit = 12
	}
	var lo int
	if m[1] == "半" {
		if unit != 12 {
			return corpus.MonthRange{}, false
		}
		lo = 6
	} else {
		n, ok := ParseNumber(m[1])
		if !ok {
			return corpus.MonthRange{}, false
		}
		lo = n * unit
	}
	hi := lo
	if m[2] != "" {
		n, ok := ParseNumber(m[2])
		if !ok {
			return corpus.MonthRange{}, false
		}
		hi = n * unit
	}
	if hi < lo {
		return corpus.MonthRange{}, false
	}
	return corpus.MonthRange{Min: lo, Max: hi}, true
}

// Aliases maps agency names as written to canonical names, and canonical
// names of renamed or merged bodies to their successors.
type Aliases struct {
	canonical map[string]string // alias → canonical name of the same body
	successor map[string]string // canonical → the body that took it over
}

// LoadAliases parses the agencies.tsv format: "alias<TAB>canonical" lines,
// and "old<TAB>new<TAB>renamed YEAR" lines for bodies renamed or merged
// into another; # starts a comment. Errors name the line.
func LoadAliases(data []byte) (*Aliases, error) {
	a := &Aliases{canonical: map[string]string{}, successor: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 2 || f[0] == "" || f[1] == "" {
			return nil, fmt.Errorf("agencies.tsv:%d: want alias<TAB>canonical, got %q", n, line)
		}
		switch {
		case len(f) == 2:
			a.canonical[f[0]] = f[1]
		case strings.HasPrefix(f[2], "renamed"):
			a.successor[f[0]] = f[1]
		default:
			return nil, fmt.Errorf("agencies.tsv:%d: third column must be \"renamed YEAR\", got %q", n, f[2])
		}
	}
	// A successor chain must end: 银监会 → 银保监会 → 金融监管总局.
	for k := range a.successor {
		seen := map[string]bool{}
		for c := k; c != ""; c = a.successor[c] {
			if seen[c] {
				return nil, fmt.Errorf("agencies.tsv: renaming cycle through %q", c)
			}
			seen[c] = true
		}
	}
	return a, nil
}

// Canonical returns the canonical name of the body written as name (name
// itself when the table does not know it) and, when that body was since
// renamed or merged, the body that carries on its functions today (else
// the canonical name again).
func (a *Aliases) Canonical(name string) (canonical, current string) {
	canonical = name
	if a != nil {
		if c, ok := a.canonical[name]; ok {
			canonical = c
		}
	}
	current = canonical
	for a != nil {
		next, ok := a.successor[current]
		if !ok {
			break
		}
		if c, ok := a.canonical[next]; ok {
			next = c
		}
		current = next
	}
	return canonical, current
}

// normalize fills the normalised fields of c from its spec fields.
func (t *Tagger) normalize(c *corpus.Clause) {
	c.AgenciesCanonical, c.Citations, c.DurationMonths = nil, nil, nil
	for _, ag := range c.Agencies {
		_, cur := t.aliases.Canonical(ag)
		if !slices.Contains(c.AgenciesCanonical, cur) {
			c.AgenciesCanonical = append(c.AgenciesCanonical, cur)
		}
	}
	for _, lb := range c.LegalBasis {
		c.Citations = append(c.Citations, ParseCitations(lb)...)
	}
	if c.Duration != "" {
		if m, ok := ParseDuration(c.Duration); ok {
			c.DurationMonths = &m
		}
	}
}

// reParagraphPath is the path of an unnumbered paragraph under a numbered
// heading: …/（十六）/第1段.
var reParagraphPath = regexp.MustCompile(`(?:^|/)([（(][一二三四五六七八九十百]+[）)]|[0-9]+[.．、]?|[一二三四五六七八九十百]+)/第[0-9]+段$`)

// headingOrdinal returns the number of the heading a paragraph sits
// under, or "".
func headingOrdinal(path string) string {
	if m := reParagraphPath.FindStringSubmatch(path); m != nil {
		return m[1]
	}
	return ""
}

var reMeasureLines = regexp.MustCompile(`(?m)^\s*(?:` + corpus.MeasureLineLabels + `)\s*[：:].*$\n?`)

// measures builds the measure records of d: one per clause that is a
// numbered sanction or reward item (not a lead-in) of an MOU or measure
// list, or of a lead-in announcing measures, or that carries its own
// 实施单位 line.
func measures(d *corpus.Document, leadIns map[string]bool, byPath map[string]int) []corpus.Measure {
	var out []corpus.Measure
	listDoc := d.Kind == corpus.KindMOU || d.Kind == corpus.KindList
	for i := range d.Clauses {
		c := &d.Clauses[i]
		ordinal := c.Label
		if ordinal == "" && c.Parent == "" {
			// a paragraph under a numbered measure heading that carries
			// its 实施单位 line ((十六)设立…审批参考 / 对…当事人，… /
			// 实施单位：证监会): the heading numbers the measure
			ordinal = headingOrdinal(c.Path)
			if ordinal == "" || !reMeasureLines.MatchString(c.Text) {
				continue
			}
		}
		if leadIns[c.Path] {
			continue
		}
		kind := ""
		switch {
		case slices.Contains(c.Tags, corpus.TagSanction):
			kind = corpus.TagSanction
		case slices.Contains(c.Tags, corpus.TagReward):
			kind = corpus.TagReward
		default:
			continue
		}
		underMeasures := false
		if j, ok := byPath[c.Parent]; ok && c.Parent != "" {
			underMeasures = slices.Contains(d.Clauses[j].Tags, kind)
		}
		if !listDoc && !underMeasures && !strings.Contains(c.Text, "实施单位") {
			continue
		}
		m := corpus.Measure{
			ClauseID: c.ID, Path: c.Path, Ordinal: ordinal, Kind: kind,
			Text:              strings.TrimSpace(reMeasureLines.ReplaceAllString(c.Text, "")),
			Categories:        slices.Clone(c.SanctionCategories),
			Agencies:          slices.Clone(c.Agencies),
			AgenciesCanonical: slices.Clone(c.AgenciesCanonical),
			LegalBasis:        slices.Clone(c.LegalBasis),
			Citations:         slices.Clone(c.Citations),
			HasLegalBasis:     len(c.LegalBasis) > 0,
		}
		for _, f := range []*[]string{&m.Categories, &m.Agencies, &m.AgenciesCanonical, &m.LegalBasis} {
			if *f == nil {
				*f = []string{}
			}
		}
		if m.Citations == nil {
			m.Citations = []corpus.Citation{}
		}
		out = append(out, m)
	}
	return out
}
