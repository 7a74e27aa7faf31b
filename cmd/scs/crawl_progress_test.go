package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/scs-project/scs/crawler"
)

func TestCrawlProgress(t *testing.T) {
	srcs := []crawler.Source{{Name: "ndrc-tz", MaxPages: 4}, {Name: "flk", MaxPages: 10}}
	t.Run("silent off a terminal", func(t *testing.T) {
		var buf bytes.Buffer
		p := newCrawlProgress(&buf, true)
		p.start(srcs, 0)
		p.page("ndrc-tz", 1, 4)
		p.done(crawler.Report{Name: "ndrc-tz", Status: "ok"})
		p.finish()
		if buf.Len() != 0 {
			t.Errorf("drew %q on a buffer", buf.String())
		}
	})
	t.Run("bars per source on a terminal", func(t *testing.T) {
		var buf bytes.Buffer
		p := &crawlProgress{w: &buf, on: true}
		p.start(srcs, 0)
		p.page("ndrc-tz", 2, 4)
		p.item("ndrc-tz")
		p.item("ndrc-tz")
		p.done(crawler.Report{Name: "flk", Status: "blocked", New: 0})
		lines := p.render()
		want := []string{"ndrc-tz                    [==========          ]   2/4   pages     2 items  …",
			"flk                        [====================]  10/10  pages     0 items  blocked, 0 new, 0 failed"}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("render =\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
		if !strings.Contains(buf.String(), "\x1b[2A") {
			t.Errorf("redraws do not move back up over the %d lines: %q", len(srcs), buf.String())
		}
	})
	t.Run("--max-pages bounds the bar", func(t *testing.T) {
		p := &crawlProgress{w: &bytes.Buffer{}, on: true}
		p.start(srcs, 2)
		if got := p.render()[1]; !strings.Contains(got, "0/2") {
			t.Errorf("render = %q, want 0/2 pages", got)
		}
	})
}
