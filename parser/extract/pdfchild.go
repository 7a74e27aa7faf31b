package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime/debug"
	"strings"
	"syscall"
	"time"
)

// ChildConfig runs PDF parsing in a child process, the way Tika isolates
// its parsers: ledongthuc/pdf loops forever on cyclic page trees, exhausts
// memory on huge counts and has panics that recover cannot catch
// (research/libraries.md §2), and none of that may stop a batch. The child
// is any command that calls ServePDFChild (scs re-executing itself).
type ChildConfig struct {
	// Command is the child's argv, e.g. {"/usr/bin/scs", "__pdf-child"};
	// empty means parse in-process (tests, and callers without a binary).
	Command []string
	// Timeout bounds one document's parse (default 2 minutes).
	Timeout time.Duration
	// MemoryBytes caps the child's data segment (RLIMIT_DATA, default
	// 2 GiB): a runaway allocation ends the child, not the machine.
	MemoryBytes int64
}

// childReply is what the child writes on stdout.
type childReply struct {
	Pages    []string `json:"pages"`
	NumPages int      `json:"num_pages"`
	Err      string   `json:"error,omitempty"`
	// Partial says Err concerns only some pages; Pages are usable.
	Partial bool `json:"partial,omitempty"`
}

// childPDF is the pdfExtractor that delegates to a child process running
// the in-process backend.
type childPDF struct {
	inner    pdfExtractor
	cfg      ChildConfig
	maxPages int
}

func (c childPDF) Name() string { return c.inner.Name() }

func (c childPDF) Pages(ctx context.Context, raw []byte) ([]string, int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.cfg.Command[0], c.cfg.Command[1:]...)
	cmd.Env = append(cmd.Environ(), fmt.Sprintf("SCS_PDF_CHILD_MEMORY=%d", c.cfg.MemoryBytes),
		fmt.Sprintf("SCS_PDF_CHILD_PAGES=%d", c.maxPages))
	cmd.Stdin = bytes.NewReader(raw)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil && !errors.Is(ctx.Err(), context.Canceled) {
		return nil, 0, fmt.Errorf("gave up after %s: the PDF library did not finish (malformed or hostile file)", c.cfg.Timeout)
	}
	if err := context.Cause(ctx); errors.Is(err, context.Canceled) {
		return nil, 0, err
	}
	var rep childReply
	if jerr := json.Unmarshal(out.Bytes(), &rep); jerr != nil {
		msg := lastLine(stderr.String())
		if outOfMemory(stderr.String()) {
			msg = fmt.Sprintf("exceeded the %d MiB memory limit", c.cfg.MemoryBytes>>20)
		}
		if err == nil {
			err = jerr
		}
		return nil, 0, fmt.Errorf("pdf child process failed (%v): %s", err, msg)
	}
	if rep.Err != "" && rep.Partial {
		return rep.Pages, rep.NumPages, &partialError{first: errors.New(rep.Err)}
	}
	if rep.Err != "" {
		return rep.Pages, rep.NumPages, errors.New(rep.Err)
	}
	return rep.Pages, rep.NumPages, nil
}

// outOfMemory recognises a child that hit its memory limit: the Go runtime
// says "out of memory"; a race-enabled build's sanitizer "failed to
// allocate"; a new thread's stack beyond RLIMIT_DATA "pthread_create failed".
func outOfMemory(stderr string) bool {
	for _, m := range []string{"out of memory", "failed to allocate", "cannot allocate memory", "pthread_create failed"} {
		if strings.Contains(stderr, m) {
			return true
		}
	}
	return false
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] // the first line of a Go crash names it; the rest is stacks
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// ServePDFChild is the child side: it reads one PDF from r, parses it with
// the in-process backend, and writes the pages as JSON to w. A command
// calls it when started with the argv given in ChildConfig.Command. It
// applies the limits the parent passed in the environment before parsing.
func ServePDFChild(r io.Reader, w io.Writer, getenv func(string) string) error {
	applyChildLimits(getenv)
	var maxPages int
	fmt.Sscan(getenv("SCS_PDF_CHILD_PAGES"), &maxPages)
	if maxPages <= 0 {
		maxPages = 2000
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	pages, n, err := ledongthucPDF{maxPages: maxPages}.Pages(context.Background(), raw)
	rep := childReply{Pages: pages, NumPages: n}
	if err != nil {
		rep.Err = err.Error()
		var partial *partialError
		rep.Partial = errors.As(err, &partial)
	}
	return json.NewEncoder(w).Encode(rep)
}

// applyChildLimits caps the process's memory as the parent asked.
func applyChildLimits(getenv func(string) string) {
	var limit int64
	fmt.Sscan(getenv("SCS_PDF_CHILD_MEMORY"), &limit)
	if limit > 0 {
		debug.SetMemoryLimit(limit / 2) // collect hard before the kernel says no
		syscall.Setrlimit(syscall.RLIMIT_DATA, &syscall.Rlimit{Cur: uint64(limit), Max: uint64(limit)})
	}
}
