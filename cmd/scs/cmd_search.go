package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/indexer"
	"github.com/scs-project/scs/parser/segment"
)

const searchHelp = `Searches the indexed clauses. Every clause containing the query is found,
also inside longer words (被执行人 finds 失信被执行人); words separated by
spaces must all occur; "quoted words" must occur as written. Hits are
ranked by relevance (bm25) and shown with their document, path and a
snippet with the matches in 【】.

Filters combine with AND: --tag (repeatable, any of: sanction reward scope
list_criteria repair safeguard data), --kind (repeatable, a document kind
of the spec), --issuer (part of an issuer's name), --region (national, or
a province or city as written, e.g. 上海市), --since/--until (ISO dates,
on the document's issue date; YYYY or YYYY-MM also work, and --until 2016
includes all of 2016). The query may be empty when a filter is
given.

--es URL searches Elasticsearch (filled by 'scs index') with the same
semantics, and also counts the matches per tag, kind, region and issuer
(credentials from the environment: see 'scs index -h').`

// multiFlag collects a repeatable (or comma-separated) flag.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*m = append(*m, s)
		}
	}
	return nil
}

func runSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "search", "[--json] [--tag T] [--kind K] [--issuer X] [--region R] [--since DATE] QUERY", searchHelp)
	data := fs.String("data", "", "data directory (default $SCS_DATA or ./scs-data)")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	var tags, kinds multiFlag
	fs.Var(&tags, "tag", "clause tag (repeatable)")
	fs.Var(&kinds, "kind", "document kind (repeatable)")
	issuer := fs.String("issuer", "", "part of an issuer's name")
	region := fs.String("region", "", "region: national, or e.g. 上海市")
	since := fs.String("since", "", "issued on or after (YYYY[-MM[-DD]])")
	until := fs.String("until", "", "issued on or before (YYYY[-MM[-DD]])")
	limit := fs.Int("limit", 20, "hits per page")
	offset := fs.Int("offset", 0, "hits to skip")
	esURL, esPrefix := esFlags(fs) // search Elasticsearch instead of the embedded index
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	q := indexer.Query{Text: strings.Join(fs.Args(), " "), Tags: tags, Issuer: *issuer, Region: *region,
		Since: *since, Until: *until, Limit: *limit, Offset: *offset}
	for _, k := range kinds {
		q.Kinds = append(q.Kinds, corpus.Kind(k))
	}
	if err := validateQuery(q); err != nil {
		fmt.Fprintln(e.stderr, "scs search:", err)
		return errUsage
	}
	if *esURL != "" {
		return searchES(ctx, e, q, *esURL, *esPrefix, *asJSON)
	}
	dir := dataDir(e, *data)
	path := filepath.Join(dir, "index.sqlite")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no index in %s: run 'scs ingest PATH' or 'scs run' first", dir)
	}
	seg, err := segment.Default()
	if err != nil {
		return err
	}
	idx, err := indexer.OpenSQLite(path, seg, indexer.SQLiteConfig{})
	if err != nil {
		return err
	}
	defer idx.Close()
	res, err := idx.Search(ctx, q)
	if err != nil {
		return err
	}
	return printResult(e, q, res, *asJSON)
}

// printResult writes a page of hits (and facets, when the index counted
// them) for a reader, or as one JSON object.
func printResult(e *env, q indexer.Query, res *indexer.Result, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(res)
	}
	fmt.Fprintf(e.stdout, "%d clauses match", res.Total)
	if len(res.Hits) > 0 {
		fmt.Fprintf(e.stdout, " (showing %d-%d)", q.Offset+1, q.Offset+len(res.Hits))
	}
	fmt.Fprintln(e.stdout)
	for i, h := range res.Hits {
		title := h.Title
		if title == "" {
			title = filepath.Base(h.Source)
		}
		tags := ""
		if len(h.Tags) > 0 {
			tags = "  [" + strings.Join(h.Tags, " ") + "]"
		}
		fmt.Fprintf(e.stdout, "\n%d. %s · %s%s\n   %s\n   %s\n", q.Offset+i+1, title, h.Path, tags, strings.ReplaceAll(h.Snippet, "\n", " "), h.Source)
	}
	printFacets(e, res)
	return nil
}

// validateQuery rejects filter values that can never match, so a typo is
// an error rather than an empty result.
func validateQuery(q indexer.Query) error {
	if strings.TrimSpace(q.Text) == "" && len(q.Tags) == 0 && len(q.Kinds) == 0 && q.Issuer == "" && q.Region == "" && q.Since == "" && q.Until == "" {
		return errors.New("give a query or at least one filter")
	}
	for _, t := range q.Tags {
		if !contains(corpus.Tags, t) {
			return fmt.Errorf("unknown tag %q (one of %s)", t, strings.Join(corpus.Tags, ", "))
		}
	}
	for _, k := range q.Kinds {
		if !contains(corpus.Kinds, k) {
			return fmt.Errorf("unknown kind %q", k)
		}
	}
	for _, d := range []string{q.Since, q.Until} {
		if d != "" && !isISODate(d) {
			return fmt.Errorf("bad date %q: want YYYY, YYYY-MM or YYYY-MM-DD", d)
		}
	}
	return nil
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// isISODate accepts what the index accepts: YYYY, YYYY-MM or YYYY-MM-DD
// (--until 2016 includes all of 2016).
func isISODate(s string) bool {
	if len(s) != 4 && len(s) != 7 && len(s) != 10 {
		return false
	}
	for i, c := range s {
		if i == 4 || i == 7 {
			if c != '-' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
