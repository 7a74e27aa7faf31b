package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser"
)

const extractHelp = `Prints the clean text of each file: one paragraph per line, page numbers,
running headers and hard line wraps removed. Folders are walked.

With --json, prints one JSON object per file and line: source, the
document metadata (title, issuers, doc_number, issued, effective, kind,
region), extractor, quality, flags, attachments and text; a file that
failed has "error" instead.

Files that fail are named on stderr with the reason; the exit status is
then 1, after every other file has been printed.`

func runExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "extract", "[--json] FILE...", extractHelp)
	asJSON := fs.Bool("json", false, "one JSON object per file (JSONL)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	p := parser.NewExtractor(parserConfig(e))
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	failed, err := processFiles(ctx, fs.Args(), p, 0, func(d *corpus.Document) {
		if d.Failed() {
			fmt.Fprintln(e.stderr, "scs extract:", d.Err)
		}
		if *asJSON {
			out := *d
			out.Clauses = nil
			enc.Encode(&out)
			return
		}
		if !d.Failed() {
			fmt.Fprintln(e.stdout, d.Text)
		}
	})
	if err != nil {
		return err
	}
	if failed > 0 {
		return errInputs{failed}
	}
	return nil
}
