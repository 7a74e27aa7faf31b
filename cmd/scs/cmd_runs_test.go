package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
)

func TestRunLockAndRunRecords(t *testing.T) {
	ctx := t.Context()
	in := inbox(t)
	data := filepath.Join(t.TempDir(), "data")
	envs := map[string]string{"SCS_DATA": data}

	// Another batch holds the lock: run and ingest do not start.
	l, err := corpus.Lock(data, "run")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"run", "--inbox", in}, {"ingest", in}, {"reindex"}} {
		code, _, stderr := scs(t, ctx, envs, args...)
		if code != exitLocked || !strings.Contains(stderr, fmt.Sprintf("pid %d", os.Getpid())) || !strings.Contains(stderr, "started") {
			t.Errorf("%v while locked: exit %d, stderr %q; want %d naming pid %d and its start", args, code, stderr, exitLocked, os.Getpid())
		}
	}
	l.Release()

	if code, _, stderr := scs(t, ctx, envs, "run", "--inbox", in); code != exitPartial {
		t.Fatalf("run: exit %d, want %d (broken.pdf fails): %s", code, exitPartial, stderr)
	}
	os.Remove(filepath.Join(in, "broken.pdf"))
	os.WriteFile(filepath.Join(in, "extra.txt"), []byte("丙办法\n第一条 为了规范信用修复，制定本办法。"), 0o644)
	if code, _, stderr := scs(t, ctx, envs, "run", "--inbox", in); code != exitOK {
		t.Fatalf("second run: exit %d, want 0: %s", code, stderr)
	}
	code, out, stderr := scs(t, ctx, envs, "runs", "--json")
	if code != exitOK {
		t.Fatalf("runs --json: exit %d: %s", code, stderr)
	}
	var runs []corpus.Run
	if err := json.Unmarshal([]byte(out), &runs); err != nil {
		t.Fatalf("runs --json is not a JSON array: %v\n%s", err, out)
	}
	if len(runs) != 2 {
		t.Fatalf("runs = %d, want 2 (locked attempts are not runs)", len(runs))
	}
	tests := []struct {
		name                     string
		r                        corpus.Run
		status                   string
		newDocs, failed, indexed int
	}{
		{"second run: one new file, nothing failed", runs[0], corpus.RunOK, 1, 0, 1},
		{"first run: broken.pdf failed", runs[1], corpus.RunPartial, 4, 1, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.r.Counts
			if tt.r.Status != tt.status || c["new"] != tt.newDocs || c["failed"] != tt.failed || c["indexed"] != tt.indexed || tt.r.Finished.Before(tt.r.Started) {
				t.Errorf("run = %+v; want status %s new %d failed %d indexed %d", tt.r, tt.status, tt.newDocs, tt.failed, tt.indexed)
			}
		})
	}
	if f := runs[1].Failures; len(f) != 1 || !strings.HasSuffix(f[0].Source, "broken.pdf") || f[0].Message == "" {
		t.Errorf("first run failures = %+v, want broken.pdf with a reason", f)
	}
	code, out, _ = scs(t, ctx, envs, "runs")
	if code != exitOK || !strings.Contains(out, "partial") || !strings.Contains(out, "broken.pdf") {
		t.Errorf("runs: exit %d, output:\n%s\nwant the partial run and broken.pdf", code, out)
	}
}

func TestReindexRebuildsTheSameIndex(t *testing.T) {
	ctx := t.Context()
	in := inbox(t)
	data := filepath.Join(t.TempDir(), "data")
	envs := map[string]string{"SCS_DATA": data}
	scs(t, ctx, envs, "run", "--inbox", in)
	queries := [][]string{{"失信主体"}, {"--tag", "sanction", "限制"}, {"--kind", "mou", "实施单位"}, {"信用修复"}}
	totals := func() []int {
		var out []int
		for _, q := range queries {
			_, js, _ := scs(t, ctx, envs, append([]string{"search", "--json"}, q...)...)
			var res struct{ Total int }
			json.Unmarshal([]byte(js), &res)
			out = append(out, res.Total)
		}
		return out
	}
	before := totals()
	if before[0] == 0 {
		t.Fatalf("search 失信主体 before reindex found nothing")
	}
	// Lose the index entirely, then rebuild it from the corpus.
	for _, f := range []string{"index.sqlite", "index.sqlite-wal", "index.sqlite-shm"} {
		os.Remove(filepath.Join(data, f))
	}
	code, out, stderr := scs(t, ctx, envs, "reindex", "--json")
	if code != exitOK {
		t.Fatalf("reindex: exit %d: %s", code, stderr)
	}
	var s summary
	json.Unmarshal([]byte(out), &s)
	if s.Indexed != 3 || s.Status != corpus.RunOK {
		t.Errorf("reindex summary: indexed %d status %q; want 3 ok", s.Indexed, s.Status)
	}
	if after := totals(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("hit counts after reindex = %v, before = %v", after, before)
	}
}
