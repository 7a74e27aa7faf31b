package main

import (
	"context"
	"fmt"

	"github.com/scs-project/scs/corpus"
)

const sourcesHelp = `Lists the sources of the registry (the embedded default, --sources FILE
or $SCS_SOURCES) with their state in the data directory: status after
the last crawl (ok, failed, blocked with the reason; "never" before the
first; "running" while a crawl is in progress or after one was
interrupted), documents held, new and gone in the last run, and when it ran.`

// sourceRow is one line of scs sources.
type sourceRow struct {
	Name      string `json:"name"`
	Adapter   string `json:"adapter"`
	URL       string `json:"url"`
	Disabled  bool   `json:"disabled,omitempty"`
	Status    string `json:"status"`
	Reason    string `json:"reason,omitempty"`
	Documents int    `json:"documents"`
	New       int    `json:"new"`
	Gone      int    `json:"gone"`
	Failed    int    `json:"failed"`
	LastRun   string `json:"last_run,omitempty"`
}

func runSources(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "sources", "[--data DIR] [--sources FILE] [--json]", sourcesHelp)
	data := fs.String("data", "", "data directory (default $SCS_DATA or ./scs-data)")
	file := fs.String("sources", "", "source registry file (default: $SCS_SOURCES, else the embedded registry)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	reg, err := loadRegistry(e, *file)
	if err != nil {
		return err
	}
	dir := dataDir(e, *data)
	st, err := corpus.Open(dir)
	if err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	defer st.Close()
	states, err := st.SourceStates(ctx)
	if err != nil {
		return err
	}
	rows := make([]sourceRow, 0, len(reg.Sources))
	for _, s := range reg.Sources {
		r := sourceRow{Name: s.Name, Adapter: s.Adapter, URL: s.URL, Disabled: s.Disabled, Status: "never"}
		if ss, ok := states[s.Name]; ok {
			r.Documents = ss.Documents
			if ss.Status != "" {
				r.Status, r.Reason = ss.Status, ss.Reason
				r.New, r.Gone, r.Failed = ss.Counts["new"], ss.Counts["gone"], ss.Counts["failed"]
				if !ss.LastRun.IsZero() {
					r.LastRun = ss.LastRun.Format("2006-01-02T15:04:05Z07:00")
				}
			}
		}
		rows = append(rows, r)
	}
	if *asJSON {
		return writeJSON(e.stdout, rows)
	}
	fmt.Fprintf(e.stdout, "%-26s %-7s %-8s %9s %5s %5s %-20s\n", "source", "adapter", "status", "documents", "new", "gone", "last run")
	for _, r := range rows {
		status := r.Status
		if r.Disabled {
			status += "*"
		}
		fmt.Fprintf(e.stdout, "%-26s %-7s %-8s %9d %5d %5d %-20s\n", r.Name, r.Adapter, status, r.Documents, r.New, r.Gone, r.LastRun)
		if r.Reason != "" {
			fmt.Fprintf(e.stdout, "  %s\n", truncate(r.Reason, 200))
		}
	}
	fmt.Fprintln(e.stdout, "(* disabled: crawled only when named with --source)")
	return nil
}
