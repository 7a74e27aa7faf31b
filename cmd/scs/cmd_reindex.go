package main

import (
	"context"
	"fmt"

	"github.com/scs-project/scs/corpus"
)

const reindexHelp = `Rebuilds the search index from the corpus store: every parsed document is
indexed again from its stored parse result (nothing is re-read or
re-parsed). Use it after restoring a backup without index.sqlite, after a
change of index layout, or when the index file is lost or damaged (delete
DATA/index.sqlite first in that case).

Takes the data directory's lock like 'scs run', and is recorded in 'scs
runs'. Killed midway, it leaves the marks cleared: the next run or reindex
indexes everything again.`

// indexResetter is the part of the SQLite index a rebuild needs.
type indexResetter interface {
	Reset(ctx context.Context) error
}

func runReindex(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "reindex", "[--data DIR] [--json]", reindexHelp)
	data := fs.String("data", "", "data directory (default $SCS_DATA or ./scs-data)")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	p, err := openPipelineCmd(e, dataDir(e, *data), "reindex")
	if err != nil {
		return err
	}
	defer p.Close()
	s := &summary{Started: p.opened.UTC(), Data: p.store.Dir(), Inputs: []string{}, Failures: []failure{}}
	run, err := p.beginRun(ctx, s)
	if err == nil {
		err = p.rebuildIndex(ctx, s)
	}
	err = p.endRun(ctx, run, s, err)
	if *asJSON {
		writeJSON(e.stdout, s)
	} else {
		fmt.Fprintf(e.stdout, "scs reindex: %d documents indexed, %d failed, in %.1fs (run %d)\n", s.Indexed, s.Failed, s.Seconds, s.RunID)
	}
	if err == nil && s.Failed > 0 {
		return errPartial{s.Failed}
	}
	return err
}

// rebuildIndex clears the store's index marks, empties the index, then
// indexes every parsed document. The order matters for kill-safety: marks
// first, so no state claims an index entry that is not there.
func (p *pipeline) rebuildIndex(ctx context.Context, s *summary) error {
	r, ok := p.index.(indexResetter)
	if !ok {
		return fmt.Errorf("reindex: the index cannot be reset")
	}
	if err := p.store.ClearIndexed(ctx); err != nil {
		return err
	}
	if err := r.Reset(ctx); err != nil {
		return err
	}
	if err := p.indexAll(ctx, s); err != nil {
		return err
	}
	docs, err := p.store.List(ctx, corpus.All)
	if err != nil {
		return err
	}
	s.Corpus.Documents = len(docs)
	for _, d := range docs {
		if d.Status == corpus.StatusFailed {
			s.Corpus.Failed++
		}
	}
	return nil
}
