package main

import (
	"context"
)

const ingestHelp = `Adds files and folders (walked recursively: .html .htm .shtml .jsp .pdf
.docx .txt .md) to the corpus in the data directory. Files whose bytes are
already in the corpus are skipped; new and changed ones are extracted,
structured, segmented, tagged and indexed. A file that fails is reported
and the others go on.

Prints a summary of counts per stage and every failure; --json prints it
as one JSON object. The summary is also kept in DATA/runs/.`

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ingest", "[--data DIR] [--json] PATH...", ingestHelp)
	data := fs.String("data", "", "data directory (default $SCS_DATA or ./scs-data)")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	workers := fs.Int("workers", 0, "parse workers (default: number of CPUs)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	return ingestAndReport(ctx, e, "ingest", dataDir(e, *data), fs.Args(), *workers, *asJSON)
}

// ingestAndReport runs the pipeline on inputs and prints its summary.
func ingestAndReport(ctx context.Context, e *env, cmd, dir string, inputs []string, workers int, asJSON bool) error {
	p, err := openPipelineCmd(e, dir, cmd)
	if err != nil {
		return err
	}
	defer p.Close()
	p.workers = workers
	s, err := p.ingest(ctx, inputs)
	if asJSON {
		writeJSON(e.stdout, s)
	} else {
		printSummary(e, cmd, s)
	}
	if err == nil && s.Failed > 0 {
		return errPartial{s.Failed}
	}
	return err
}
