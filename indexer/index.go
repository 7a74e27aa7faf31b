package indexer

import (
	"context"
	"errors"

	"github.com/scs-project/scs/corpus"
)

// Index is a searchable store of clauses. Implementations are safe for
// concurrent use.
type Index interface {
	// Put replaces every clause of each document with its current clauses,
	// atomically per call: a reader sees the old or the new clauses of a
	// document, never a mix. Re-putting a document is idempotent.
	Put(ctx context.Context, docs ...*corpus.Document) error
	// Delete removes every clause of the documents with these IDs.
	Delete(ctx context.Context, docIDs ...string) error
	// Search returns the clauses matching q, best first.
	Search(ctx context.Context, q Query) (*Result, error)
	// Close releases the index.
	Close() error
}

// Query selects clauses. Text is matched as analysts expect from a search
// box: every clause containing each term is found (also inside longer words:
// 被执行人 finds 失信被执行人), terms separated by white space must all
// occur, and "quoted phrases" match exactly. The filters combine with AND;
// within Tags and Kinds, any value matches.
type Query struct {
	Text   string
	Tags   []string      // clause tags (spec §4)
	Kinds  []corpus.Kind // document kinds (spec §1)
	Issuer string        // substring of any issuer
	Region string        // exact region, e.g. "national", "上海市"
	Since  string        // ISO date: documents issued on or after
	Until  string        // ISO date: documents issued on or before
	Limit  int           // default 20
	Offset int
}

// Hit is one matching clause.
type Hit struct {
	DocID    string   `json:"doc_id"`
	ClauseID string   `json:"clause_id"`
	Title    string   `json:"title"`
	Source   string   `json:"source"`
	Kind     string   `json:"kind"`
	Region   string   `json:"region"`
	Issued   string   `json:"issued"`
	Path     string   `json:"path"`
	Text     string   `json:"text"`
	Snippet  string   `json:"snippet"` // clause text around the match, matches in 【】
	Tags     []string `json:"tags"`
	Score    float64  `json:"score"` // higher is better
}

// Result is one page of hits.
type Result struct {
	Total int   `json:"total"` // all matching clauses, not just this page
	Hits  []Hit `json:"hits"`
	// Facets counts all matching clauses (not just this page) per value of
	// "tag", "kind", "region" and "issuer", most frequent first. Nil when
	// the index does not compute facets.
	Facets map[string][]FacetCount `json:"facets,omitempty"`
}

// FacetCount is one value of a facet and how many matching clauses have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// lastCopies returns docs with each document ID once, in the order of its
// first appearance, as its last copy: a Put given the same document twice
// indexes what the caller gave last.
func lastCopies(docs []*corpus.Document) []*corpus.Document {
	at := make(map[string]int, len(docs))
	out := make([]*corpus.Document, 0, len(docs))
	for _, d := range docs {
		id, err := docID(d)
		if i, ok := at[id]; ok && err == nil {
			out[i] = d
			continue
		}
		at[id] = len(out)
		out = append(out, d)
	}
	return out
}

// docID is the ID a document is indexed under: its own, or the one its
// source derives.
func docID(d *corpus.Document) (string, error) {
	id := d.ID
	if id == "" && d.Source != "" {
		id = corpus.DocumentID(d.Source)
	}
	if id == "" {
		return "", errors.New("document has neither id nor source")
	}
	return id, nil
}
