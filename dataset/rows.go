package dataset

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/scs-project/scs/corpus"
)

// Row is one table row, its values in the table's column order: string
// (String, and Date as YYYY-MM-DD or ""), int64 or nil (Int), float64 or
// nil (Float), bool, time.Time (Timestamp), []string (List).
type Row []any

// Emit receives the rows of one table.
type Emit func(table string, r Row) error

// Resolver holds what rows need beyond one document: the titles of the
// whole corpus (to resolve citations) and the agency alias table.
type Resolver struct {
	titles  map[string]string // normalised title -> doc id
	aliases map[string]string // alias -> canonical
}

// NewResolver builds a resolver from the corpus titles (title -> doc id)
// and the alias table (corpus.AgencyAliases format). A title held by two
// documents resolves to the first given.
func NewResolver(titles map[string]string, aliasTSV []byte) *Resolver {
	r := &Resolver{titles: map[string]string{}, aliases: map[string]string{}}
	for t, id := range titles {
		if k := normTitle(t); k != "" {
			if old, ok := r.titles[k]; !ok || id < old {
				r.titles[k] = id
			}
		}
	}
	for _, a := range ParseAliases(aliasTSV) {
		r.aliases[a.Alias] = a.Canonical
	}
	return r
}

// Canonical returns an agency's canonical name, or the name itself.
func (r *Resolver) Canonical(agency string) string {
	if c, ok := r.aliases[agency]; ok {
		return c
	}
	return agency
}

// Resolve returns the id of the corpus document titled title, or "".
func (r *Resolver) Resolve(title string) string { return r.titles[normTitle(title)] }

func normTitle(t string) string {
	t = strings.TrimSpace(strings.Trim(strings.TrimSpace(t), "《》"))
	return strings.Join(strings.Fields(t), "")
}

// Alias is one row of the alias table.
type Alias struct{ Alias, Canonical string }

// ParseAliases reads "alias<TAB>canonical" lines (# comments), adding each
// canonical name as its own alias; the result is in file order.
func ParseAliases(tsv []byte) []Alias {
	var out []Alias
	seen := map[string]bool{}
	add := func(a, c string) {
		if !seen[a] {
			seen[a] = true
			out = append(out, Alias{a, c})
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(tsv))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		a, c, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		a, c = strings.TrimSpace(a), strings.TrimSpace(c)
		add(c, c)
		add(a, c)
	}
	return out
}

// AgencyRows emits the agencies table.
func AgencyRows(tsv []byte, emit Emit) error {
	for _, a := range ParseAliases(tsv) {
		if err := emit(TAgencies, Row{shortHash(a.Canonical), a.Canonical, a.Alias}); err != nil {
			return err
		}
	}
	return nil
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:6])
}

// Measure is a measure record derived from a clause.
type Measure struct {
	ID, Polarity, Strength string
	Clause                 *corpus.Clause
}

// IsMeasure reports whether clause c of document d is an MOU or list
// measure: a numbered item tagged sanction or reward, in an MOU or list,
// under a heading or lead-in that speaks of measures (措施).
//
// Export uses Document.Measures (recorded by the tagger) and falls back on
// this rule only for documents parsed before the tagger recorded them.
func IsMeasure(d *corpus.Document, c *corpus.Clause, leadIns map[string]string) (polarity string, ok bool) {
	if d.Kind != corpus.KindMOU && d.Kind != corpus.KindList {
		return "", false
	}
	switch {
	case contains(c.Tags, corpus.TagSanction):
		polarity = "punish"
	case contains(c.Tags, corpus.TagReward):
		polarity = "reward"
	default:
		return "", false
	}
	if c.Label == "" {
		return "", false
	}
	if !strings.Contains(strings.Join(c.Headings, "\n")+"\n"+leadIns[c.Parent], "措施") {
		return "", false
	}
	return polarity, true
}

var strengthCues = []struct{ value, re string }{
	{"prohibit", `禁止|不得|不予|取消.{0,6}资格`},
	{"strict_review", `从严审核|从严|严格审查|重点审查`},
	{"restrict", `限制|暂停|取消|停止|撤销|吊销`},
	{"reference", `参考|作为.{0,12}(依据|考量|因素)`},
}

var strengthRes = func() []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, c := range strengthCues {
		out = append(out, regexp.MustCompile(c.re))
	}
	return out
}()

// WordingStrength classifies a measure's wording by its earliest cue.
func WordingStrength(text string) string {
	best, at := "other", len(text)+1
	for i, re := range strengthRes {
		if loc := re.FindStringIndex(text); loc != nil && loc[0] < at {
			best, at = strengthCues[i].value, loc[0]
		}
	}
	return best
}

var (
	titleRe    = regexp.MustCompile(`《([^《》]{2,80})》`)
	citationRe = regexp.MustCompile(`^\s*《([^《》]+)》\s*(.*)$`)
)

// SplitCitation splits "《中华人民共和国税收征收管理法》第六十三条" into the title
// and the article reference.
func SplitCitation(c string) (title, article string) {
	if m := citationRe.FindStringSubmatch(c); m != nil {
		return strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
	}
	return "", strings.TrimSpace(c)
}

// DocumentRows emits every row that document d yields, in all tables but
// agencies. keep, when not nil, selects the clauses to export (a tag
// filter); the document row is always emitted.
func DocumentRows(d *corpus.Document, r *Resolver, keep func(*corpus.Clause) bool, emit Emit) error {
	status, estage, emsg := corpus.StatusParsed, "", ""
	if d.Err != nil {
		status, estage, emsg = corpus.StatusFailed, d.Err.Stage, d.Err.Msg
	}
	var quality any
	if d.Quality > 0 {
		quality = d.Quality
	}
	err := emit(TDocuments, Row{d.ID, d.Source, d.Title, d.DocNumber, string(d.Kind), d.Region, list(d.Issuers),
		date(d.Issued), date(d.Effective), d.ContentType, d.RawHash, d.FetchedAt.UTC(), status, estage, emsg,
		d.Extractor, quality, list(d.Flags), int64(len(d.Clauses)), int64(len(d.Attachments))})
	if err != nil {
		return err
	}
	for i, a := range d.Attachments {
		if err := emit(TAttachments, Row{fmt.Sprintf("%s-a%d", d.ID, i+1), d.ID, int64(i + 1), a.URL, a.Title}); err != nil {
			return err
		}
	}
	leadIns := map[string]string{}
	for _, c := range d.Clauses {
		leadIns[c.Path] = c.Text
	}
	measures := map[string]*corpus.Measure{}
	for i := range d.Measures {
		measures[d.Measures[i].ClauseID] = &d.Measures[i]
	}
	for i := range d.Clauses {
		c := &d.Clauses[i]
		if keep != nil && !keep(c) {
			continue
		}
		if err := clauseRows(d, c, i, r, leadIns, measures, emit); err != nil {
			return err
		}
	}
	return nil
}

func clauseRows(d *corpus.Document, c *corpus.Clause, i int, r *Resolver, leadIns map[string]string, measures map[string]*corpus.Measure, emit Emit) error {
	cid := c.ID
	if cid == "" {
		cid = corpus.ClauseID(d.ID, c.Path)
	}
	var offset any
	if c.Offset >= 0 {
		offset = int64(c.Offset)
	}
	if err := emit(TClauses, Row{cid, d.ID, int64(i + 1), c.Path, c.Label, c.Parent, list(c.Headings), c.Text, offset,
		list(c.Tags), list(c.SanctionCategories), list(c.Agencies), list(c.LegalBasis), c.Duration}); err != nil {
		return err
	}
	// tags: every evidence record, then tags the tagger gave no evidence for.
	n := 0
	covered := map[string]bool{}
	for _, ev := range c.Evidence {
		n++
		var start, end any
		if ev.Start >= 0 && ev.End >= 0 {
			start, end = int64(ev.Start), int64(ev.End)
		}
		if ev.Field == "tag" {
			covered[ev.Value] = true
		}
		if err := emit(TTags, Row{fmt.Sprintf("%s-t%d", cid, n), cid, d.ID, ev.Field, ev.Value, ev.Rule, ev.Span, start, end,
			ev.Start < 0, CodingMethod}); err != nil {
			return err
		}
	}
	for _, t := range c.Tags {
		if !covered[t] {
			n++
			if err := emit(TTags, Row{fmt.Sprintf("%s-t%d", cid, n), cid, d.ID, "tag", t, "", "", nil, nil, false, CodingMethod}); err != nil {
				return err
			}
		}
	}
	// measures and their agencies
	measureID := ""
	m := measures[cid]
	if m == nil && len(measures) == 0 {
		// A parse from before the tagger recorded measures: derive them.
		if pol, ok := IsMeasure(d, c, leadIns); ok {
			kind := corpus.TagSanction
			if pol == "reward" {
				kind = corpus.TagReward
			}
			m = &corpus.Measure{ClauseID: cid, Path: c.Path, Ordinal: c.Label, Text: c.Text, Kind: kind,
				Categories: c.SanctionCategories, Agencies: c.Agencies, LegalBasis: c.LegalBasis, HasLegalBasis: len(c.LegalBasis) > 0}
		}
	}
	if m != nil {
		measureID = cid + "-m"
		pol := "punish"
		if m.Kind == corpus.TagReward {
			pol = "reward"
		}
		if err := emit(TMeasures, Row{measureID, d.ID, cid, m.Ordinal, m.Path, m.Text, list(m.Categories), pol,
			list(m.Agencies), list(m.LegalBasis), m.HasLegalBasis, WordingStrength(m.Text), c.Duration, CodingMethod}); err != nil {
			return err
		}
		seen := map[string]bool{}
		for j, a := range m.Agencies {
			if seen[a] {
				continue
			}
			seen[a] = true
			canon := r.Canonical(a)
			if len(m.AgenciesCanonical) == len(m.Agencies) && m.AgenciesCanonical[j] != "" {
				canon = m.AgenciesCanonical[j]
			}
			if err := emit(TMeasureAgencies, Row{measureID, d.ID, a, canon, "implementing"}); err != nil {
				return err
			}
		}
	}
	for j, lb := range c.LegalBasis {
		title, art := SplitCitation(lb)
		cited := ""
		if title != "" {
			cited = r.Resolve(title)
		}
		if err := emit(TLegalBases, Row{fmt.Sprintf("%s-b%d", cid, j+1), d.ID, cid, measureID, lb, title, art, cited}); err != nil {
			return err
		}
	}
	// citations: 《title》 in the text, once per title per clause
	seen := map[string]bool{}
	k := 0
	for _, m := range titleRe.FindAllStringSubmatch(c.Text, -1) {
		t := strings.TrimSpace(m[1])
		if seen[t] {
			continue
		}
		seen[t] = true
		k++
		cited := r.Resolve(t)
		if err := emit(TCitations, Row{fmt.Sprintf("%s-c%d", cid, k), d.ID, cid, t, cited, cited != ""}); err != nil {
			return err
		}
	}
	return nil
}

func list(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// date keeps an ISO date, and turns anything else (a partial date such as
// 2014 or 2014-06, or nothing) into "" (null).
func date(s string) string {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return ""
	}
	return s
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
