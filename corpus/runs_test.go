package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunRecords(t *testing.T) {
	ctx := t.Context()
	s := openStore(t)
	if got, err := s.Runs(ctx, 0); err != nil || len(got) != 0 {
		t.Fatalf("Runs on a new store = %v, %v; want none", got, err)
	}
	killed := &Run{Command: "run", PID: 11}
	if err := s.BeginRun(ctx, killed); err != nil {
		t.Fatal(err)
	}
	// The process died here; the next run, holding the lock, begins.
	r := &Run{Command: "run", PID: 12, Version: "v1", Inputs: []string{"inbox"}}
	if err := s.BeginRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	r.Status = RunPartial
	r.Counts = map[string]int{"found": 3, "failed": 1}
	r.Failures = []RunFailure{{Source: "inbox/x.pdf", Stage: "extract", Message: "scanned"}}
	if err := s.FinishRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := s.Runs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("Runs = %d records, want 2", len(got))
	}
	tests := []struct {
		name        string
		run         Run
		wantStatus  string
		wantPID     int
		wantFailed  int
		wantFinDone bool
	}{
		{"newest first, finished with its counts", got[0], RunPartial, 12, 1, true},
		{"a run that never finished is marked killed", got[1], RunKilled, 11, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.run.Status != tt.wantStatus || tt.run.PID != tt.wantPID || tt.run.Counts["failed"] != tt.wantFailed || tt.run.Finished.IsZero() == tt.wantFinDone {
				t.Errorf("run = %+v; want status %s pid %d failed %d finished %v", tt.run, tt.wantStatus, tt.wantPID, tt.wantFailed, tt.wantFinDone)
			}
		})
	}
	if f := got[0].Failures; len(f) != 1 || f[0].Source != "inbox/x.pdf" {
		t.Errorf("failures = %+v, want inbox/x.pdf", f)
	}
	if lim, _ := s.Runs(ctx, 1); len(lim) != 1 || lim[0].ID != r.ID {
		t.Errorf("Runs(1) = %+v, want only run %d", lim, r.ID)
	}
}

func TestRunLock(t *testing.T) {
	dir := t.TempDir()
	l, err := Lock(dir, "run")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Lock(dir, "ingest")
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("second Lock = %v; want a LockedError", err)
	}
	if le.PID != os.Getpid() || le.Command != "run" || le.Started.IsZero() {
		t.Errorf("LockedError = %+v; want this pid, command run, a start time", le)
	}
	if !strings.Contains(err.Error(), "pid") || !strings.Contains(err.Error(), filepath.Join(dir, LockFile)) {
		t.Errorf("message %q should name the lock file and the holder's pid", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l2, err := Lock(dir, "run")
	if err != nil {
		t.Fatalf("Lock after Release: %v", err)
	}
	l2.Release()
}

func TestCleanTemp(t *testing.T) {
	s := openStore(t)
	d := &Document{Source: "/a.txt", Raw: []byte("甲")}
	if _, err := s.Put(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	tmp := s.blobPath(d.RawHash) + ".123~"
	if err := os.WriteFile(tmp, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.CleanTemp(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temp blob %s survived CleanTemp", tmp)
	}
	if _, err := s.Raw(d.RawHash); err != nil {
		t.Errorf("CleanTemp removed a real blob: %v", err)
	}
}
