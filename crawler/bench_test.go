package crawler

import (
	"context"
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkCrawl1000 crawls a local TRS column of 1,000 notices (50 list
// pages of 20) with zero delay into a fresh store, then measures the
// no-change re-run. Reported: documents/s of the first crawl, requests and
// seconds of the re-run, and the heap in use after the crawl.
func BenchmarkCrawl1000(b *testing.B) {
	var pages [][]trsItem
	for p := range 50 {
		var items []trsItem
		for i := range 20 {
			items = append(items, trsItem{id: fmt.Sprint(100000 + p*20 + i), title: fmt.Sprintf("关于社会信用体系建设的通知%d", p*20+i)})
		}
		pages = append(pages, items)
	}
	site := newTRSSite(b, pages)
	for b.Loop() {
		b.StopTimer()
		c, st := memCrawlB(b, hostOf(site.srv.URL))
		src := trsSource(site)
		src.MaxPages, src.Budget = 100, 5000
		b.StartTimer()
		reps, err := c.Crawl(context.Background(), []Source{src})
		if err != nil || reps[0].New != 1000 {
			b.Fatalf("first crawl: %+v, %v", reps, err)
		}
		b.ReportMetric(1000/reps[0].Seconds, "docs/s")
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
		reps, _ = c.Crawl(context.Background(), []Source{src})
		b.ReportMetric(float64(reps[0].Requests), "rerun-requests")
		b.ReportMetric(reps[0].Seconds*1000, "rerun-ms")
		st.Close()
	}
}
