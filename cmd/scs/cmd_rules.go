package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser/tag"
)

const rulesHelp = `Lists the tagging rules (corpus/data/rules.yaml, compiled into scs): id,
what each produces (a tag, a sanction category or a field), where it looks
(the clause text, its lead-in or its headings) and its comment.

When the data directory holds a corpus, each rule also shows on how many
clauses of the stored documents it fires with the current rules (the stored
clauses are tagged again, so the counts follow the rules, not the last
parse). Without a corpus the counts are omitted.

With --json, prints one JSON object per rule and line (JSONL): id,
produces, source, comment, line and, with a corpus, clauses.`

// ruleCount is one line of `scs rules --json`.
type ruleCount struct {
	tag.RuleInfo
	Clauses *int `json:"clauses,omitempty"`
}

func runRules(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "rules", "[--json] [--data DIR]", rulesHelp)
	asJSON := fs.Bool("json", false, "one JSON object per rule (JSONL)")
	data := fs.String("data", "", "data directory (default $SCS_DATA or ./scs-data)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	tg, err := tag.Default()
	if err != nil {
		return err
	}
	counts, docs, err := countRuleFires(ctx, tg, dataDir(e, *data))
	if err != nil {
		return err
	}
	rules := tg.Rules()
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		for _, r := range rules {
			rc := ruleCount{RuleInfo: r}
			if counts != nil {
				n := counts[r.ID]
				rc.Clauses = &n
			}
			if err := enc.Encode(rc); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	if counts != nil {
		fmt.Fprintf(tw, "ID\tPRODUCES\tSOURCE\tCLAUSES\tCOMMENT\n")
	} else {
		fmt.Fprintf(tw, "ID\tPRODUCES\tSOURCE\tCOMMENT\n")
	}
	for _, r := range rules {
		if counts != nil {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", r.ID, r.Produces, r.Source, counts[r.ID], r.Comment)
		} else {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Produces, r.Source, r.Comment)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if counts != nil {
		fmt.Fprintf(e.stdout, "\n%d rules; clause counts over %d parsed documents\n", len(rules), docs)
	} else {
		fmt.Fprintf(e.stdout, "\n%d rules (no corpus in the data directory: counts omitted)\n", len(rules))
	}
	return nil
}

// countRuleFires tags the stored parsed documents of dir again with tg and
// counts, per rule, the clauses it produced something on. It returns nil
// counts when dir holds no corpus.
func countRuleFires(ctx context.Context, tg *tag.Tagger, dir string) (map[string]int, int, error) {
	if _, err := os.Stat(filepath.Join(dir, "corpus.sqlite")); err != nil {
		return nil, 0, nil
	}
	st, err := corpus.Open(dir)
	if err != nil {
		return nil, 0, fmt.Errorf("data directory %s: %w", dir, err)
	}
	defer st.Close()
	list, err := st.List(ctx, corpus.All)
	if err != nil {
		return nil, 0, err
	}
	counts := map[string]int{}
	docs := 0
	for _, s := range list {
		if s.Status != corpus.StatusParsed {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		d, err := st.Load(ctx, s.ID)
		if err != nil {
			return nil, 0, err
		}
		docs++
		tg.TagDocument(d)
		for _, c := range d.Clauses {
			seen := map[string]bool{}
			for _, ev := range c.Evidence {
				if !seen[ev.Rule] {
					seen[ev.Rule] = true
					counts[ev.Rule]++
				}
			}
		}
	}
	return counts, docs, nil
}
