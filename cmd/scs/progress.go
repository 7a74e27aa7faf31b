package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress draws a one-line progress bar on a terminal and stays silent
// otherwise (cron, pipes, CI), so logs and --json output are never mixed
// with it. It is safe for concurrent use.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	on      bool
	label   string
	n, tot  int
	last    time.Time
	started time.Time
}

func newProgress(w io.Writer) *progress {
	on := false
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progress{w: w, on: on}
}

// start begins a new phase of total steps.
func (p *progress) start(label string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.label, p.n, p.tot, p.started = label, 0, total, time.Now()
	p.draw(true)
}

// step advances the current phase by one.
func (p *progress) step() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	p.draw(p.n == p.tot)
}

// done ends the current phase's line.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on && p.tot > 0 {
		fmt.Fprintln(p.w)
	}
	p.tot = 0
}

func (p *progress) draw(force bool) {
	if !p.on || p.tot == 0 || (!force && time.Since(p.last) < 100*time.Millisecond) {
		return
	}
	p.last = time.Now()
	const width = 30
	fill := width * p.n / p.tot
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = ' '
		if i < fill {
			bar[i] = '='
		}
	}
	fmt.Fprintf(p.w, "\r%-7s [%s] %d/%d %.1fs", p.label, bar, p.n, p.tot, time.Since(p.started).Seconds())
}
