package indexer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// esFacets maps facet names to the clause fields they count.
var esFacets = []struct{ name, field string }{
	{"tag", "tags"}, {"kind", "kind"}, {"region", "region"}, {"issuer", "issuers"},
}

// Search runs q with the semantics of the SQLite index (see Query and the
// package documentation): every positive term must occur in the clause as
// a substring of its folded text, no negated one may; filters combine with
// AND. It also counts the matches per tag, kind, region and issuer.
func (e *Elasticsearch) Search(ctx context.Context, q Query) (*Result, error) {
	body, positives, err := e.searchBody(q)
	if err != nil {
		return nil, err
	}
	var r struct {
		Hits struct {
			Total struct {
				Value int `json:"value"`
			} `json:"total"`
			Hits []struct {
				Score  *float64 `json:"_score"`
				Source esClause `json:"_source"`
			} `json:"hits"`
		} `json:"hits"`
		Aggregations map[string]struct {
			Buckets []struct {
				Key   string `json:"key"`
				Count int    `json:"doc_count"`
			} `json:"buckets"`
		} `json:"aggregations"`
	}
	if err := e.do(ctx, http.MethodPost, "/"+e.clausesAlias+"/_search", body, &r); err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	res := &Result{Total: r.Hits.Total.Value, Hits: make([]Hit, 0, len(r.Hits.Hits)), Facets: map[string][]FacetCount{}}
	for _, h := range r.Hits.Hits {
		c := h.Source
		hit := Hit{DocID: c.DocID, ClauseID: c.ClauseID, Title: c.Title, Source: c.Source, Kind: c.Kind,
			Region: c.Region, Issued: c.Issued, Path: c.Path, Text: c.Text, Tags: c.Tags,
			Snippet: snippet(c.Text, positives, e.cfg.SnippetRunes)}
		if hit.Tags == nil {
			hit.Tags = []string{}
		}
		if h.Score != nil {
			hit.Score = *h.Score
		}
		res.Hits = append(res.Hits, hit)
	}
	for _, f := range esFacets {
		counts := []FacetCount{}
		for _, b := range r.Aggregations[f.name].Buckets {
			counts = append(counts, FacetCount{Value: b.Key, Count: b.Count})
		}
		res.Facets[f.name] = counts
	}
	return res, nil
}

// searchBody builds the request for q and returns the folded positive
// terms (for snippets).
func (e *Elasticsearch) searchBody(q Query) (string, []string, error) {
	for _, d := range []string{q.Since, q.Until} {
		if d != "" && !isoDate.MatchString(d) {
			return "", nil, fmt.Errorf("search: date %q: want YYYY, YYYY-MM or YYYY-MM-DD", d)
		}
	}
	limit, offset := q.Limit, max(q.Offset, 0)
	if limit <= 0 {
		limit = 20
	}
	var filter, mustNot, should []any
	var positives []string
	for _, t := range parseQuery(q.Text) {
		// Recall: the folded term as a substring of the folded text chunks.
		w := map[string]any{"wildcard": map[string]any{"text_exact": map[string]any{"value": "*" + wildcardEscape(t.folded) + "*"}}}
		if t.neg {
			mustNot = append(mustNot, w)
			continue
		}
		filter = append(filter, w)
		positives = append(positives, t.folded)
		// Ranking: the term's gse words among the clause's search-mode
		// tokens, and the term as a phrase of the standard-analysed text.
		var words []string
		for _, tok := range e.seg.Cut(t.raw) {
			if strings.TrimSpace(tok) != "" {
				words = append(words, fold(tok))
			}
		}
		if len(words) > 0 {
			should = append(should, map[string]any{"match": map[string]any{"text_seg": map[string]any{"query": strings.Join(words, " ")}}})
		}
		should = append(should, map[string]any{"match_phrase": map[string]any{"text": map[string]any{"query": t.raw, "boost": 0.5}}})
	}
	if len(q.Tags) > 0 {
		filter = append(filter, map[string]any{"terms": map[string]any{"tags": q.Tags}})
	}
	if len(q.Kinds) > 0 {
		filter = append(filter, map[string]any{"terms": map[string]any{"kind": q.Kinds}})
	}
	if q.Issuer != "" {
		filter = append(filter, map[string]any{"wildcard": map[string]any{"issuers": map[string]any{"value": "*" + wildcardEscape(q.Issuer) + "*"}}})
	}
	if q.Region != "" {
		filter = append(filter, map[string]any{"term": map[string]any{"region": q.Region}})
	}
	if q.Since != "" || q.Until != "" {
		rg := map[string]any{"format": "strict_date||strict_year_month||strict_year"}
		if q.Since != "" {
			rg["gte"] = q.Since
		}
		if q.Until != "" {
			// Until 2016 includes all of 2016: below the next year.
			next, err := nextPeriod(q.Until)
			if err != nil {
				return "", nil, fmt.Errorf("search: date %q: %w", q.Until, err)
			}
			rg["lt"] = next
		}
		filter = append(filter, map[string]any{"range": map[string]any{"issued": rg}})
	}
	bq := map[string]any{}
	if len(filter) > 0 {
		bq["filter"] = filter
	}
	if len(mustNot) > 0 {
		bq["must_not"] = mustNot
	}
	if len(should) > 0 {
		bq["should"] = should
	}
	sort := []any{
		map[string]any{"issued": map[string]any{"order": "desc", "missing": "_last"}},
		map[string]any{"doc_id": "asc"},
		map[string]any{"seq": "asc"},
	}
	if len(positives) > 0 {
		sort = append([]any{"_score"}, sort...)
	}
	aggs := map[string]any{}
	for _, f := range esFacets {
		aggs[f.name] = map[string]any{"terms": map[string]any{"field": f.field, "size": 50}}
	}
	req := map[string]any{
		"query":            map[string]any{"bool": bq},
		"from":             offset,
		"size":             limit,
		"track_total_hits": true,
		"sort":             sort,
		"aggs":             aggs,
		"_source":          map[string]any{"excludes": []string{"text_exact", "text_seg", "evidence"}},
	}
	b, err := json.Marshal(req)
	if err != nil {
		return "", nil, err
	}
	return string(b), positives, nil
}

// wildcardEscape makes s literal inside a wildcard pattern.
func wildcardEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`).Replace(s)
}

// nextPeriod returns the first day after the year, month or day d.
func nextPeriod(d string) (string, error) {
	switch len(d) {
	case 4:
		t, err := time.Parse("2006", d)
		return t.AddDate(1, 0, 0).Format("2006-01-02"), err
	case 7:
		t, err := time.Parse("2006-01", d)
		return t.AddDate(0, 1, 0).Format("2006-01-02"), err
	default:
		t, err := time.Parse("2006-01-02", d)
		return t.AddDate(0, 0, 1).Format("2006-01-02"), err
	}
}
