package dataset

import (
	"context"
	"iter"
	"sort"

	"github.com/scs-project/scs/corpus"
)

// Count is a value and how often it occurs.
type Count struct {
	Value string `json:"value"`
	N     int    `json:"n"`
}

// Stats are the corpus counts of `scs stats`.
type Stats struct {
	Documents         int     `json:"documents"`
	Failed            int     `json:"failed"`
	Clauses           int     `json:"clauses"`
	Measures          int     `json:"measures"`
	MeasuresWithBasis int     `json:"measures_with_legal_basis"`
	ShareWithBasis    float64 `json:"share_of_measures_with_legal_basis"` // 0..1; 0 when there are no measures
	ByKind            []Count `json:"by_kind"`
	ByIssuer          []Count `json:"by_issuer"`
	ByRegion          []Count `json:"by_region"`
	ByYear            []Count `json:"by_year"`
	ByTag             []Count `json:"by_tag"`               // clauses per tag
	BySanction        []Count `json:"by_sanction_category"` // sanction clauses per category
	TopAgencies       []Count `json:"top_agencies"`         // measures implemented, by canonical agency
}

// Compute counts the documents that docs yields and pass the filter. It
// reads the same rows as Export (one document at a time), so its numbers
// agree with an export's tables. topN bounds TopAgencies (default 20).
func Compute(ctx context.Context, docs iter.Seq2[*corpus.Document, error], f Filter, aliasTSV []byte, topN int) (*Stats, error) {
	if topN <= 0 {
		topN = 20
	}
	var s Stats
	kind, issuer, region, year, tag, sanc, agency := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{},
		map[string]int{}, map[string]int{}, map[string]int{}
	res := NewResolver(nil, aliasTSV)
	keep := f.MatchClause
	if len(f.Tags) == 0 {
		keep = nil
	}
	cTags, cSanc, mBasis, maCanon := ColumnIndex(TClauses, "tags"), ColumnIndex(TClauses, "sanction_categories"),
		ColumnIndex(TMeasures, "has_legal_basis"), ColumnIndex(TMeasureAgencies, "canonical")
	emit := func(table string, r Row) error {
		switch table {
		case TClauses:
			s.Clauses++
			for _, t := range r[cTags].([]string) {
				tag[t]++
			}
			for _, c := range r[cSanc].([]string) {
				sanc[c]++
			}
		case TMeasures:
			s.Measures++
			if r[mBasis].(bool) {
				s.MeasuresWithBasis++
			}
		case TMeasureAgencies:
			agency[r[maCanon].(string)]++
		}
		return nil
	}
	for d, err := range docs {
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !f.MatchDocument(d) {
			continue
		}
		s.Documents++
		if d.Err != nil {
			s.Failed++
			continue
		}
		kind[orNone(string(d.Kind))]++
		region[orNone(d.Region)]++
		y := "(none)"
		if len(d.Issued) >= 4 {
			y = d.Issued[:4]
		}
		year[y]++
		for _, is := range d.Issuers {
			issuer[is]++
		}
		if len(d.Issuers) == 0 {
			issuer["(none)"]++
		}
		if err := DocumentRows(d, res, keep, emit); err != nil {
			return nil, err
		}
	}
	if s.Measures > 0 {
		s.ShareWithBasis = float64(s.MeasuresWithBasis) / float64(s.Measures)
	}
	s.ByKind, s.ByIssuer, s.ByRegion = byCount(kind, 0), byCount(issuer, 0), byCount(region, 0)
	s.ByYear = byValue(year)
	s.ByTag, s.BySanction, s.TopAgencies = byCount(tag, 0), byCount(sanc, 0), byCount(agency, topN)
	return &s, nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// byCount sorts by count descending, then value; n > 0 keeps the first n.
func byCount(m map[string]int, n int) []Count {
	out := byValue(m)
	sort.SliceStable(out, func(i, j int) bool { return out[i].N > out[j].N })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

func byValue(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for v, n := range m {
		out = append(out, Count{v, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}
