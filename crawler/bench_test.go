package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"
)

// BenchmarkCrawl1000 crawls a local TRS column of 1,000 notices (50 list
// pages of 20) with zero delay into a fresh store, then measures the
// no-change re-run. Reported: documents/s of the first crawl, and in the
// same run the baseline: raw net/http GETs of the same 50 list pages and
// 1,000 details, one at a time, with no robots, politeness, parsing or
// state (base-docs/s); the peak heap in use during the crawl (sampled
// every 5 ms); the requests and time of the re-run.
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
	var urls []string
	for p := range pages {
		if p == 0 {
			urls = append(urls, site.col())
		} else {
			urls = append(urls, fmt.Sprintf("%s/xxgk/zcfb/tz/index_%d.html", site.srv.URL, p))
		}
	}
	for _, items := range pages {
		for _, it := range items {
			urls = append(urls, site.srv.URL+"/xxgk/zcfb/tz/202608/t20260820_"+it.id+".html")
		}
	}
	for b.Loop() {
		b.StopTimer()
		base := rawGets(b, urls)
		c, st := memCrawlB(b, hostOf(site.srv.URL))
		src := trsSource(site)
		src.MaxPages, src.Budget = 100, 5000
		runtime.GC()
		peak := sampleHeap()
		b.StartTimer()
		reps, err := c.Crawl(context.Background(), []Source{src})
		heap := peak()
		if err != nil || reps[0].New != 1000 {
			b.Fatalf("first crawl: %+v, %v", reps, err)
		}
		b.ReportMetric(1000/reps[0].Seconds, "docs/s")
		b.ReportMetric(1000/base.Seconds(), "base-docs/s")
		b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
		reps, _ = c.Crawl(context.Background(), []Source{src})
		b.ReportMetric(float64(reps[0].Requests), "rerun-requests")
		b.ReportMetric(reps[0].Seconds*1000, "rerun-ms")
		st.Close()
	}
}

// rawGets fetches urls one by one with a plain client and returns the
// time taken: the floor under any crawler of the same pages.
func rawGets(b *testing.B, urls []string) time.Duration {
	start := time.Now()
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("%s: %d", u, resp.StatusCode)
		}
	}
	return time.Since(start)
}

// sampleHeap samples HeapInuse every 5 ms until the returned function is
// called, which returns the maximum seen.
func sampleHeap() func() uint64 {
	var mu sync.Mutex
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	read := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		peak = max(peak, ms.HeapInuse)
		mu.Unlock()
	}
	go func() {
		defer close(done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			read()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		read()
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}
