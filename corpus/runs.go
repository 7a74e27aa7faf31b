package corpus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Run statuses in the run record.
const (
	RunRunning = "running" // started and not finished (or killed: see BeginRun)
	RunOK      = "ok"      // every document went through
	RunPartial = "partial" // the run finished, but some documents failed
	RunFailed  = "failed"  // the run itself failed (store, index, inputs)
	RunKilled  = "killed"  // never finished: the process died or was killed
)

// Run is the record of one batch run (scs run, scs ingest, scs reindex),
// kept in the store so an operator can see what every night did.
type Run struct {
	ID       int64     `json:"id"`
	Command  string    `json:"command"`
	PID      int       `json:"pid"`
	Version  string    `json:"version"`
	Inputs   []string  `json:"inputs"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	Status   string    `json:"status"`
	// Counts are the per-stage counters (found, new, changed, unchanged,
	// parsed, clauses, indexed, failed …) as the command reports them.
	Counts   map[string]int `json:"counts"`
	Failures []RunFailure   `json:"failures"`
	Error    string         `json:"error,omitempty"`
}

// RunFailure is one document that failed in a run, with its reason.
type RunFailure struct {
	Source  string `json:"source"`
	Stage   string `json:"stage"`
	Message string `json:"message"`
}

const runsSchema = `
CREATE TABLE IF NOT EXISTS runs (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	command   TEXT NOT NULL,
	pid       INTEGER NOT NULL,
	version   TEXT NOT NULL DEFAULT '',
	inputs    TEXT NOT NULL DEFAULT '[]',
	started   TEXT NOT NULL,
	finished  TEXT NOT NULL DEFAULT '',
	status    TEXT NOT NULL,
	counts    TEXT NOT NULL DEFAULT '{}',
	failures  TEXT NOT NULL DEFAULT '[]',
	error     TEXT NOT NULL DEFAULT ''
);
`

func (s *Store) runsTable(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, runsSchema); err != nil {
		return fmt.Errorf("runs table: %w", err)
	}
	return nil
}

// BeginRun records the start of r (Command, PID, Version, Inputs; Started
// defaults to now) with status RunRunning and sets r.ID. Call it while
// holding the run lock: earlier records still marked running can then only
// belong to runs that died, and are marked RunKilled.
func (s *Store) BeginRun(ctx context.Context, r *Run) error {
	if err := s.runsTable(ctx); err != nil {
		return err
	}
	if r.Started.IsZero() {
		r.Started = time.Now().UTC()
	}
	r.Status = RunRunning
	inputs, _ := json.Marshal(nonNil(r.Inputs))
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin run: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET status = ? WHERE status = ?`, RunKilled, RunRunning); err != nil {
		return fmt.Errorf("begin run: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO runs (command, pid, version, inputs, started, status) VALUES (?, ?, ?, ?, ?, ?)`,
		r.Command, r.PID, r.Version, string(inputs), r.Started.UTC().Format(time.RFC3339Nano), r.Status)
	if err != nil {
		return fmt.Errorf("begin run: %w", err)
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("begin run: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("begin run: commit: %w", err)
	}
	return nil
}

// FinishRun records the end of r: Status (RunOK, RunPartial or RunFailed),
// Counts, Failures and Error; Finished defaults to now.
func (s *Store) FinishRun(ctx context.Context, r *Run) error {
	if r.ID == 0 {
		return errors.New("finish run: run was not begun")
	}
	if r.Finished.IsZero() {
		r.Finished = time.Now().UTC()
	}
	counts, _ := json.Marshal(r.Counts)
	if r.Counts == nil {
		counts = []byte("{}")
	}
	failures, _ := json.Marshal(nonNil(r.Failures))
	// Recording the end of a run must not depend on the run's context: a
	// run cut short by SIGTERM is still recorded as failed.
	_, err := s.db.ExecContext(context.WithoutCancel(ctx), `UPDATE runs SET finished = ?, status = ?, counts = ?, failures = ?, error = ? WHERE id = ?`,
		r.Finished.UTC().Format(time.RFC3339Nano), r.Status, string(counts), string(failures), r.Error, r.ID)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", r.ID, err)
	}
	return nil
}

// Runs returns the most recent runs, newest first; limit <= 0 means all.
func (s *Store) Runs(ctx context.Context, limit int) ([]Run, error) {
	if err := s.runsTable(ctx); err != nil {
		return nil, err
	}
	q := `SELECT id, command, pid, version, inputs, started, finished, status, counts, failures, error FROM runs ORDER BY id DESC`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var r Run
		var inputs, started, finished, counts, failures string
		if err := rows.Scan(&r.ID, &r.Command, &r.PID, &r.Version, &inputs, &started, &finished, &r.Status, &counts, &failures, &r.Error); err != nil {
			return nil, fmt.Errorf("runs: %w", err)
		}
		r.Started, _ = time.Parse(time.RFC3339Nano, started)
		r.Finished, _ = time.Parse(time.RFC3339Nano, finished)
		if err := errors.Join(json.Unmarshal([]byte(inputs), &r.Inputs), json.Unmarshal([]byte(counts), &r.Counts),
			json.Unmarshal([]byte(failures), &r.Failures)); err != nil {
			return nil, fmt.Errorf("runs: record %d: %w", r.ID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// LockFile is the name of the run lock in the data directory.
const LockFile = "scs.lock"

// RunLock is the exclusive lock a batch run holds on a data directory, so
// two runs never overlap. It is an advisory lock (flock) on DATA/scs.lock,
// which the kernel releases when the process dies, however it dies: a
// killed run never leaves a stale lock behind. The file holds the holder's
// pid, command and start time, for the message the next run prints.
type RunLock struct {
	f    *os.File
	path string
}

// LockedError is returned by Lock when another process holds the lock.
type LockedError struct {
	Path    string
	PID     int
	Command string
	Started time.Time
}

func (e *LockedError) Error() string {
	if e.PID == 0 {
		return fmt.Sprintf("another scs run holds %s", e.Path)
	}
	return fmt.Sprintf("another scs run holds %s: %s, pid %d, started %s", e.Path, e.Command, e.PID, e.Started.Local().Format(time.DateTime))
}

// ErrLocked matches a *LockedError with errors.Is.
var ErrLocked = errors.New("data directory locked by another run")

// Is makes errors.Is(err, ErrLocked) true for a *LockedError.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// Lock takes the run lock of the data directory dir without waiting. When
// another process holds it, it returns a *LockedError naming that process.
func Lock(dir, command string) (*RunLock, error) {
	path := filepath.Join(dir, LockFile)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !held {
		defer f.Close()
		le := &LockedError{Path: path}
		b, _ := os.ReadFile(path)
		var info struct {
			PID     int       `json:"pid"`
			Command string    `json:"command"`
			Started time.Time `json:"started"`
		}
		if json.Unmarshal(b, &info) == nil {
			le.PID, le.Command, le.Started = info.PID, info.Command, info.Started
		}
		return nil, le
	}
	info, _ := json.Marshal(map[string]any{"pid": os.Getpid(), "command": command, "started": time.Now().UTC()})
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt(append(info, '\n'), 0)
	}
	return &RunLock{f: f, path: path}, nil
}

// Release gives the lock up. The file stays (removing it would race with a
// run that has just opened it).
func (l *RunLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := l.f.Close() // closing the descriptor releases the flock
	l.f = nil
	return err
}

// CleanTemp removes temporary files a killed writer may have left in the
// store (blob files being written, named *~). Call it only while holding
// the run lock, so no live writer's file is taken.
func (s *Store) CleanTemp() error {
	dirs, err := filepath.Glob(filepath.Join(s.dir, "blobs", "*"))
	if err != nil {
		return err
	}
	var errs []error
	for _, d := range dirs {
		tmps, _ := filepath.Glob(filepath.Join(d, "*~"))
		for _, t := range tmps {
			if strings.HasSuffix(t, "~") {
				if err := os.Remove(t); err != nil && !errors.Is(err, os.ErrNotExist) {
					errs = append(errs, err)
				}
			}
		}
	}
	return errors.Join(errs...)
}

// ClearIndexed forgets which documents are in the index, so the next
// index phase puts every parsed document in again: the first step of a
// rebuild of the index from the corpus (clear the marks, then empty the
// index; a crash between the two only causes redundant work).
func (s *Store) ClearIndexed(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE documents SET indexed_sha256 = ''`); err != nil {
		return fmt.Errorf("clear index marks: %w", err)
	}
	return nil
}
