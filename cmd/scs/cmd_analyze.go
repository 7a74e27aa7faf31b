package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser"
)

const analyzeHelp = `Extracts, structures, segments and tags each file, without a corpus or an
index. Folders are walked.

With --json, prints one JSON object per document and line (JSONL): id,
source, the metadata fields (title, issuers, doc_number, issued, effective,
kind, region), extractor, quality, flags, and clauses, each with id, path,
label, text, headings, parent, tags, sanction_categories, agencies,
legal_basis, duration and evidence (the rule and matched span behind every
tag and field). A document that failed carries "error" (stage, source,
message). --text adds the document's clean text, --tokens each clause's
segmentation.

Without --json, prints a readable outline: each clause's path, tags and
the start of its text.`

func runAnalyze(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "analyze", "[--json] [--text] [--tokens] FILE...", analyzeHelp)
	asJSON := fs.Bool("json", false, "one JSON object per document (JSONL)")
	withText := fs.Bool("text", false, "with --json: include the document text")
	withTokens := fs.Bool("tokens", false, "with --json: include each clause's tokens")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	p, err := parser.New(parserConfig(e))
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	failed, err := processFiles(ctx, fs.Args(), p.Chain(), 0, func(d *corpus.Document) {
		if d.Failed() {
			fmt.Fprintln(e.stderr, "scs analyze:", d.Err)
		}
		if *asJSON {
			out := *d
			if !*withText {
				out.Text = ""
			}
			if !*withTokens {
				out.Clauses = append([]corpus.Clause(nil), d.Clauses...)
				for i := range out.Clauses {
					out.Clauses[i].Tokens = nil
				}
			}
			enc.Encode(&out)
			return
		}
		printOutline(e, d)
	})
	if err != nil {
		return err
	}
	if failed > 0 {
		return errInputs{failed}
	}
	return nil
}

// printOutline prints a document's metadata and clauses for a reader.
func printOutline(e *env, d *corpus.Document) {
	if d.Failed() {
		return
	}
	fmt.Fprintf(e.stdout, "%s\n  title: %s\n  kind: %s  region: %s  doc number: %s  issued: %s  effective: %s\n  issuers: %s\n  %d clauses\n",
		d.Source, orDash(d.Title), orDash(string(d.Kind)), orDash(d.Region), orDash(d.DocNumber), orDash(d.Issued), orDash(d.Effective),
		orDash(strings.Join(d.Issuers, "、")), len(d.Clauses))
	for _, c := range d.Clauses {
		tags := ""
		if len(c.Tags) > 0 {
			tags = " [" + strings.Join(c.Tags, " ") + "]"
			if len(c.SanctionCategories) > 0 {
				tags += "{" + strings.Join(c.SanctionCategories, " ") + "}"
			}
		}
		fmt.Fprintf(e.stdout, "  %-28s%s %s\n", c.Path, tags, truncate(c.Text, 40))
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// truncate cuts s to n runes on one line, marking the cut with …
func truncate(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
