package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/scs-project/scs/crawler"
)

// crawlProgress draws one line per source on a terminal while a crawl
// runs: a bar of list pages read out of the most the run reads (a source
// that stops early at known items jumps to full), items handled, and the
// status once done. It redraws at most every 100 ms, and never off a
// terminal (see progress.on), so pipes, cron and --json stay clean.
type crawlProgress struct {
	mu      sync.Mutex
	w       io.Writer
	on      bool
	rows    []*crawlRow
	byName  map[string]*crawlRow
	drawn   int // lines drawn last time (to move the cursor back up)
	last    time.Time
	started time.Time
}

type crawlRow struct {
	name        string
	pages, max  int
	items       int
	status      string // "" while running
	new, failed int
}

func newCrawlProgress(w io.Writer, allowed bool) *crawlProgress {
	return &crawlProgress{w: w, on: allowed && newProgress(w).on}
}

func (p *crawlProgress) start(srcs []crawler.Source, maxPages int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rows, p.byName, p.started = nil, map[string]*crawlRow{}, time.Now()
	for _, s := range srcs {
		m := s.MaxPages
		if maxPages > 0 {
			m = maxPages
		}
		r := &crawlRow{name: s.Name, max: max(m, 1)}
		p.rows = append(p.rows, r)
		p.byName[s.Name] = r
	}
	p.draw(true)
}

func (p *crawlProgress) item(source string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r := p.byName[source]; r != nil {
		r.items++
	}
	p.draw(false)
}

func (p *crawlProgress) page(source string, pages, maxPages int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r := p.byName[source]; r != nil {
		r.pages, r.max = pages, max(maxPages, 1)
	}
	p.draw(false)
}

func (p *crawlProgress) done(rep crawler.Report) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r := p.byName[rep.Name]; r != nil {
		r.status, r.new, r.failed = rep.Status, rep.New, rep.Failed
		r.pages = r.max
	}
	p.draw(true)
}

func (p *crawlProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(true)
	p.drawn = 0
}

// render returns the lines of the display.
func (p *crawlProgress) render() []string {
	const width = 20
	lines := make([]string, 0, len(p.rows))
	for _, r := range p.rows {
		fill := min(width*r.pages/r.max, width)
		bar := strings.Repeat("=", fill) + strings.Repeat(" ", width-fill)
		state := "…"
		if r.status != "" {
			state = fmt.Sprintf("%s, %d new, %d failed", r.status, r.new, r.failed)
		}
		lines = append(lines, fmt.Sprintf("%-26s [%s] %3d/%-3d pages %5d items  %s", r.name, bar, r.pages, r.max, r.items, state))
	}
	return lines
}

func (p *crawlProgress) draw(force bool) {
	if !p.on || (!force && time.Since(p.last) < 100*time.Millisecond) {
		return
	}
	p.last = time.Now()
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", p.drawn) // back to the first line
	}
	for _, l := range p.render() {
		b.WriteString("\r\x1b[2K")
		b.WriteString(l)
		b.WriteByte('\n')
	}
	p.drawn = len(p.rows)
	io.WriteString(p.w, b.String())
}
