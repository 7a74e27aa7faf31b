package main

import (
	"context"
	"fmt"
	"os"
)

const batchHelp = `The scheduled batch job: takes everything configured through every stage.
With --crawl (or --sources FILE, or $SCS_SOURCES set) the web sources of
the registry are crawled first (see 'scs crawl'; without them the run
never touches the network). Then the inbox folder (--inbox, default
./inbox, created if missing): its files are recorded in the corpus, new and changed ones are
parsed and tagged, and the index is brought up to date. Work left by an
interrupted run is picked up.

Prints a run summary (counts per stage, failures with file names; --json
for scripts), also kept in DATA/runs/ and in the run record ('scs runs').

Safe to schedule (cron, systemd timer): a lock (DATA/scs.lock) keeps two
batches from overlapping, and a run killed at any point, SIGKILL included,
is completed by the next one with the same corpus and index an
uninterrupted run would have produced.

Exit status: 0 every document went through; 3 the run finished but some
documents failed (listed in the summary; they are not retried until their
file changes); 4 another batch holds the lock (not started); 1 the run
itself failed (data directory, store or index unusable); 130 interrupted.`

func runRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "run", "[--data DIR] [--inbox DIR] [--crawl] [--sources FILE] [--json]", batchHelp)
	data := fs.String("data", "", "data directory (default $SCS_DATA or ./scs-data)")
	inbox := fs.String("inbox", "inbox", "folder of documents to ingest")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	workers := fs.Int("workers", 0, "parse workers (default: number of CPUs)")
	crawl := fs.Bool("crawl", false, "crawl the source registry first (also when --sources or $SCS_SOURCES is set)")
	var co crawlOptions
	co.addFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if err := os.MkdirAll(*inbox, 0o755); err != nil {
		return fmt.Errorf("inbox %s: %w", *inbox, err)
	}
	if *crawl || co.sources != "" || e.getenv("SCS_SOURCES") != "" {
		return crawlAndReport(ctx, e, "run", dataDir(e, *data), []string{*inbox}, &co, *workers, *asJSON)
	}
	return ingestAndReport(ctx, e, "run", dataDir(e, *data), []string{*inbox}, *workers, *asJSON)
}
