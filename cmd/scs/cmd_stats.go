package main

import (
	"context"
	"fmt"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/dataset"
)

const statsHelp = `Counts of the corpus: documents by kind, issuer, region and year of issue;
clauses by tag and sanction category; MOU and list measures, the share of
them that cite a legal basis, and the agencies implementing the most
measures (canonical names). The filters of 'scs search' narrow the counts.
The numbers agree with the tables of 'scs export' under the same filters.`

func runStats(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "stats", "[--json] [--top N] [--tag T] [--kind K] [--issuer X] [--region R] [--since DATE]", statsHelp)
	data := fs.String("data", "", "data directory (default $SCS_DATA or ./scs-data)")
	asJSON := fs.Bool("json", false, "print the counts as one JSON object")
	top := fs.Int("top", 10, "agencies to list")
	f := filterFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	filter, err := f.filter()
	if err != nil {
		fmt.Fprintln(e.stderr, "scs stats:", err)
		return errUsage
	}
	store, err := openStoreRead(dataDir(e, *data))
	if err != nil {
		return err
	}
	defer store.Close()
	s, err := dataset.Compute(ctx, storeDocuments(ctx, store), filter, corpus.AgencyAliases(), *top)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, s)
	}
	w := e.stdout
	fmt.Fprintf(w, "%d documents (%d failed), %d clauses, %d measures (%d with a legal basis: %.1f%%)\n",
		s.Documents, s.Failed, s.Clauses, s.Measures, s.MeasuresWithBasis, 100*s.ShareWithBasis)
	for _, sec := range []struct {
		title string
		c     []dataset.Count
	}{{"kind", s.ByKind}, {"issuer", s.ByIssuer}, {"region", s.ByRegion}, {"year issued", s.ByYear},
		{"clauses by tag", s.ByTag}, {"sanction clauses by category", s.BySanction}, {"agencies by measures implemented", s.TopAgencies}} {
		fmt.Fprintf(w, "\n%s\n", sec.title)
		if len(sec.c) == 0 {
			fmt.Fprintln(w, "  (none)")
		}
		for _, c := range sec.c {
			fmt.Fprintf(w, "  %6d  %s\n", c.N, c.Value)
		}
	}
	return nil
}
