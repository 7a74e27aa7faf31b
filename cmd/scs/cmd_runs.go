package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/scs-project/scs/corpus"
)

const runsHelp = `Lists past batch runs (run, ingest, reindex) from the run record in the
store, newest first: when each started and ended, its status (ok, partial:
some documents failed, failed, killed: the process died before finishing,
running), its counts per stage and the documents that failed, with the
stage and the reason. --json prints one JSON array for scripts and alerts.`

func runRuns(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "runs", "[--data DIR] [--json] [--limit N]", runsHelp)
	data := fs.String("data", "", "data directory (default $SCS_DATA or ./scs-data)")
	asJSON := fs.Bool("json", false, "print the runs as a JSON array")
	limit := fs.Int("limit", 20, "runs to show (0: all)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	dir := dataDir(e, *data)
	if _, err := os.Stat(filepath.Join(dir, "corpus.sqlite")); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no corpus in %s: run 'scs run' or 'scs ingest PATH' first", dir)
	}
	store, err := corpus.Open(dir)
	if err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	defer store.Close()
	runs, err := store.Runs(ctx, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		if runs == nil {
			runs = []corpus.Run{}
		}
		return writeJSON(e.stdout, runs)
	}
	if len(runs) == 0 {
		fmt.Fprintf(e.stdout, "no runs recorded in %s\n", dir)
		return nil
	}
	for _, r := range runs {
		took := "-"
		if !r.Finished.IsZero() {
			took = r.Finished.Sub(r.Started).Round(100 * time.Millisecond).String()
		}
		fmt.Fprintf(e.stdout, "#%d  %s  %-8s %-8s took %-8s pid %d  %s\n", r.ID, r.Started.Local().Format(time.DateTime),
			r.Command, r.Status, took, r.PID, r.Version)
		c := r.Counts
		if len(c) > 0 {
			fmt.Fprintf(e.stdout, "    read %d new, %d changed, %d unchanged; parsed %d (%d clauses); indexed %d; failed %d\n",
				c["new"], c["changed"], c["unchanged"], c["parsed"], c["clauses"], c["indexed"], c["failed"])
		}
		for _, f := range r.Failures {
			fmt.Fprintf(e.stdout, "    failed %s: %s: %s\n", f.Source, f.Stage, truncate(f.Message, 160))
		}
		if r.Error != "" {
			fmt.Fprintf(e.stdout, "    error: %s\n", r.Error)
		}
	}
	return nil
}
