package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/dataset"
)

func TestExportAndStatsAgreeWithTheStore(t *testing.T) {
	ctx := t.Context()
	data := filepath.Join(t.TempDir(), "data")
	envs := map[string]string{"SCS_DATA": data}
	in := inbox(t)
	scs(t, ctx, envs, "run", "--inbox", in)

	store, err := corpus.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := store.List(ctx, corpus.All)
	store.Close()
	clauses := 0
	for _, d := range all {
		clauses += d.Clauses
	}
	for _, format := range dataset.Formats {
		t.Run(string(format), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "ds")
			code, js, stderr := scs(t, ctx, envs, "export", "--format", string(format), "--out", out, "--json")
			if code != exitOK {
				t.Fatalf("export: exit %d: %s", code, stderr)
			}
			var m dataset.Manifest
			if err := json.Unmarshal([]byte(js), &m); err != nil {
				t.Fatal(err)
			}
			if m.Documents != len(all) || m.Rows["documents"] != len(all) || m.Rows["clauses"] != clauses {
				t.Errorf("export: %d documents, rows %v; want %d documents, %d clauses", m.Documents, m.Rows, len(all), clauses)
			}
			for _, f := range []string{"datapackage.json", "CODEBOOK.md", "measures." + string(format)} {
				if _, err := os.Stat(filepath.Join(out, f)); err != nil {
					t.Errorf("%s missing: %v", f, err)
				}
			}
		})
	}
	code, js, _ := scs(t, ctx, envs, "stats", "--json")
	var s dataset.Stats
	if err := json.Unmarshal([]byte(js), &s); code != exitOK || err != nil {
		t.Fatalf("stats --json: exit %d, %v", code, err)
	}
	if s.Documents != len(all) || s.Clauses != clauses || s.Failed != 1 {
		t.Errorf("stats: %d documents (%d failed), %d clauses; want %d (1 failed), %d", s.Documents, s.Failed, s.Clauses, len(all), clauses)
	}
	code, out, _ := scs(t, ctx, envs, "stats", "--kind", "mou")
	if code != exitOK || !strings.Contains(out, "measures") {
		t.Errorf("stats --kind mou: exit %d\n%s", code, out)
	}
	if code, _, _ := scs(t, ctx, envs, "export", "--format", "xlsx", "--out", t.TempDir()); code != exitUsage {
		t.Errorf("export --format xlsx: exit %d, want %d", code, exitUsage)
	}
}
