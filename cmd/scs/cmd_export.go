package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strings"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/dataset"
	"github.com/scs-project/scs/indexer"
)

const exportHelp = `Writes the corpus as tidy tables for pandas, R, DuckDB, Excel or Kibana,
one file per table into --out DIR: documents, attachments, clauses, tags
(one row per tag or field with its rule and span), measures (MOU and list
measures), measure_agencies, legal_bases, agencies (canonical names and
aliases) and citations (document -> cited document edges). Ids are stable
across runs. Beside the tables: datapackage.json (a Frictionless Data
Package: every table, column, type and description) and CODEBOOK.md.

--format jsonl (default), csv (UTF-8, RFC 4180, lists joined with "|";
--bom for Excel) or parquet (dates as DATE, lists as LIST). The filters are
those of 'scs search' (--tag keeps the clauses with that tag). The export
is written to a temporary directory and renamed into place: DIR holds the
previous export or the new one, never half of one.`

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "--out DIR [--format jsonl|csv|parquet] [--bom] [--since DATE] [--tag T] [--kind K] [--issuer X] [--region R]", exportHelp)
	data := fs.String("data", "", "data directory (default $SCS_DATA or ./scs-data)")
	out := fs.String("out", "", "dataset directory to write (replaced atomically)")
	format := fs.String("format", "jsonl", "jsonl, csv or parquet")
	bom := fs.Bool("bom", false, "CSV: start each file with a UTF-8 byte-order mark (Excel)")
	asJSON := fs.Bool("json", false, "print what was written as JSON")
	f := filterFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if !contains(dataset.Formats, dataset.Format(*format)) {
		fmt.Fprintf(e.stderr, "scs export: unknown format %q (jsonl, csv or parquet)\n", *format)
		return errUsage
	}
	filter, err := f.filter()
	if err != nil {
		fmt.Fprintln(e.stderr, "scs export:", err)
		return errUsage
	}
	dir := dataDir(e, *data)
	store, err := openStoreRead(dir)
	if err != nil {
		return err
	}
	defer store.Close()
	titles, err := corpusTitles(ctx, store)
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(dir)
	m, err := dataset.Export(ctx, dataset.Config{Out: *out, Format: dataset.Format(*format), BOM: *bom, Version: version,
		Source: abs, Filter: filter, AgencyAliases: corpus.AgencyAliases(), Titles: titles}, storeDocuments(ctx, store))
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, m)
	}
	fmt.Fprintf(e.stdout, "scs export: %d documents as %s into %s\n", m.Documents, m.Format, m.Out)
	for _, t := range dataset.Tables {
		fmt.Fprintf(e.stdout, "  %-17s %7d rows\n", t.Name, m.Rows[t.Name])
	}
	fmt.Fprintln(e.stdout, "  datapackage.json, CODEBOOK.md")
	return nil
}

// filterSet holds the search-style filter flags of export and stats.
type filterSet struct {
	tags, kinds                  multiFlag
	issuer, region, since, until *string
}

func filterFlags(fs *flag.FlagSet) *filterSet {
	f := &filterSet{}
	fs.Var(&f.tags, "tag", "keep clauses with this tag (repeatable)")
	fs.Var(&f.kinds, "kind", "document kind (repeatable)")
	f.issuer = fs.String("issuer", "", "part of an issuer's name")
	f.region = fs.String("region", "", "region: national, or e.g. 上海市")
	f.since = fs.String("since", "", "issued on or after (YYYY-MM-DD)")
	f.until = fs.String("until", "", "issued on or before (YYYY-MM-DD)")
	return f
}

func (f *filterSet) filter() (dataset.Filter, error) {
	q := indexer.Query{Text: "x", Tags: f.tags, Issuer: *f.issuer, Region: *f.region, Since: *f.since, Until: *f.until}
	for _, k := range f.kinds {
		q.Kinds = append(q.Kinds, corpus.Kind(k))
	}
	if err := validateQuery(q); err != nil {
		return dataset.Filter{}, err
	}
	return dataset.Filter{Tags: q.Tags, Kinds: q.Kinds, Issuer: q.Issuer, Region: q.Region, Since: q.Since, Until: q.Until}, nil
}

// openStoreRead opens the corpus store of dir, failing when there is none.
func openStoreRead(dir string) (*corpus.Store, error) {
	if _, err := os.Stat(filepath.Join(dir, "corpus.sqlite")); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no corpus in %s: run 'scs run' or 'scs ingest PATH' first", dir)
	}
	s, err := corpus.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	return s, nil
}

// corpusTitles maps the title of every document to its id.
func corpusTitles(ctx context.Context, s *corpus.Store) (map[string]string, error) {
	all, err := s.List(ctx, corpus.All)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(all))
	for _, d := range all {
		if t := strings.TrimSpace(d.Title); t != "" {
			if old, ok := m[t]; !ok || d.ID < old {
				m[t] = d.ID
			}
		}
	}
	return m, nil
}

// storeDocuments yields the parsed (or failed) documents of the store one
// at a time, in source order: memory holds one document, not the corpus.
// Documents not parsed yet (a run in progress or killed) are left out.
func storeDocuments(ctx context.Context, s *corpus.Store) iter.Seq2[*corpus.Document, error] {
	return func(yield func(*corpus.Document, error) bool) {
		all, err := s.List(ctx, corpus.All)
		if err != nil {
			yield(nil, err)
			return
		}
		for _, m := range all {
			if m.Status == corpus.StatusFetched {
				continue
			}
			d, err := s.Load(ctx, m.ID)
			if err != nil {
				if !yield(nil, err) {
					return
				}
				continue
			}
			if m.Status == corpus.StatusFailed && d.Err == nil {
				d.Err = &corpus.StageError{Stage: m.ErrorStage, Source: m.Source, Msg: m.Error}
			}
			d.Raw = nil
			if !yield(d, nil) {
				return
			}
		}
	}
}
