package crawler

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// sleeps records the waits a Fetcher asks for, without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func testFetcher(cfg FetchConfig, sl *sleeps) *Fetcher {
	if cfg.Delay == 0 {
		cfg.Delay = -1
	}
	if sl != nil {
		cfg.Sleep = sl.sleep
	}
	return NewFetcher(cfg)
}

func TestFetchRobots(t *testing.T) {
	var private atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
		case strings.HasPrefix(r.URL.Path, "/private/"):
			private.Add(1)
			fmt.Fprint(w, "secret")
		default:
			fmt.Fprint(w, "ok")
		}
	}))
	defer srv.Close()
	f := testFetcher(FetchConfig{}, nil)
	tests := []struct {
		path    string
		allowed bool
	}{
		{"/public/a.html", true},
		{"/private/a.html", false},
		{"/", true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), Request{URL: srv.URL + tt.path})
			if got := !errors.Is(err, ErrRobots); got != tt.allowed {
				t.Errorf("allowed = %v (err %v), want %v", got, err, tt.allowed)
			}
		})
	}
	if n := private.Load(); n != 0 {
		t.Errorf("%d requests reached a disallowed path, want 0", n)
	}
}

func TestFetchRetries(t *testing.T) {
	tests := []struct {
		name       string
		statuses   []int
		retryAfter string
		wantErr    bool
		wantReq    int
		wantMin    time.Duration // the smallest backoff wait expected
	}{
		{"429 with Retry-After", []int{429, 200}, "7", false, 2, 7 * time.Second},
		{"5xx then success", []int{503, 502, 200}, "", false, 3, 0},
		{"5xx every time", []int{500, 500, 500, 500, 500}, "", true, 4, 0},
		{"404 is not retried", []int{404, 200}, "", true, 1, 0},
		{"Retry-After beyond the limit gives up", []int{429, 200}, "3600", true, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					http.NotFound(w, r)
					return
				}
				i := int(n.Add(1)) - 1
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.statuses[min(i, len(tt.statuses)-1)])
				fmt.Fprint(w, "body")
			}))
			defer srv.Close()
			sl := &sleeps{}
			f := testFetcher(FetchConfig{Backoff: time.Second, MaxRetryWait: time.Minute}, sl)
			resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/doc"})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got := int(n.Load()); got != tt.wantReq {
				t.Errorf("requests = %d, want %d", got, tt.wantReq)
			}
			if resp != nil && resp.Requests != tt.wantReq {
				t.Errorf("Response.Requests = %d, want %d", resp.Requests, tt.wantReq)
			}
			waits := sl.all()
			if len(waits) != tt.wantReq-1 && !tt.wantErr {
				t.Errorf("waits = %v, want %d", waits, tt.wantReq-1)
			}
			for i, w := range waits {
				if w < tt.wantMin || w <= 0 {
					t.Errorf("wait %d = %v, want at least %v and > 0", i, w, tt.wantMin)
				}
				if ceil := time.Second << i; tt.retryAfter == "" && w > ceil {
					t.Errorf("wait %d = %v, want at most the backoff ceiling %v", i, w, ceil)
				}
			}
		})
	}
}

func TestFetchHostDelay(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "x") }))
	defer srv.Close()
	sl := &sleeps{}
	f := testFetcher(FetchConfig{Delay: time.Second, IgnoreRobots: true}, sl)
	for i := range 3 {
		if _, err := f.Fetch(context.Background(), Request{URL: fmt.Sprintf("%s/%d", srv.URL, i)}); err != nil {
			t.Fatal(err)
		}
	}
	waits := sl.all()
	if len(waits) != 2 {
		t.Fatalf("waits = %v, want 2 (before the 2nd and 3rd request)", waits)
	}
	for _, w := range waits {
		if w < 500*time.Millisecond || w > time.Second {
			t.Errorf("wait %v, want close to the 1s delay", w)
		}
	}
	// A source's own delay overrides the default.
	u, _ := url.Parse(srv.URL)
	f.SetHostDelay(u.Host, 0)
	f.Fetch(context.Background(), Request{URL: srv.URL + "/x"})
	if got := len(sl.all()); got != 2 {
		t.Errorf("with the host delay 0, waits = %d, want still 2", got)
	}
}

func TestFetchRedirects(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "inside") }))
	defer target.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, target.URL+"/x", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/same":
			http.Redirect(w, r, "/final", http.StatusMovedPermanently)
		default:
			fmt.Fprint(w, "final")
		}
	}))
	defer srv.Close()
	host := func(s string) string { u, _ := url.Parse(s); return u.Host }
	tests := []struct {
		name    string
		allowed []string
		path    string
		wantErr error
		final   string
	}{
		{"to an unregistered loopback host", []string{host(srv.URL)}, "/away", ErrRedirect, ""},
		{"to a registered loopback host", []string{host(srv.URL), host(target.URL)}, "/away", nil, target.URL + "/x"},
		{"within the registered host", []string{host(srv.URL)}, "/same", nil, srv.URL + "/final"},
		{"endless", []string{host(srv.URL)}, "/loop", ErrRedirect, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := testFetcher(FetchConfig{AllowedHosts: tt.allowed, IgnoreRobots: true}, &sleeps{})
			resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + tt.path})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err == nil && resp.FinalURL != tt.final {
				t.Errorf("final URL = %s, want %s", resp.FinalURL, tt.final)
			}
		})
	}
}

func TestFetchBodyCapGzipConditional(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			fmt.Fprint(w, strings.Repeat("x", 5000))
		case "/gz":
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			zw := gzip.NewWriter(w)
			fmt.Fprint(zw, "<p>社会信用</p>")
			zw.Close()
		case "/etag":
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Last-Modified", "Mon, 02 Jan 2026 15:04:05 GMT")
			fmt.Fprint(w, "first")
		}
	}))
	defer srv.Close()
	f := testFetcher(FetchConfig{MaxBytes: 1000, IgnoreRobots: true}, &sleeps{})
	ctx := context.Background()

	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/big"}); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "/big") {
		t.Errorf("oversize body: err = %v, want ErrTooLarge naming the URL", err)
	}
	resp, err := f.Fetch(ctx, Request{URL: srv.URL + "/gz"})
	if err != nil || string(resp.Body) != "<p>社会信用</p>" {
		t.Errorf("gzip body = %q (err %v), want it decoded", resp.Body, err)
	}
	first, err := f.Fetch(ctx, Request{URL: srv.URL + "/etag"})
	if err != nil || first.ETag != `"v1"` || first.NotModified {
		t.Fatalf("first fetch: %+v, %v", first, err)
	}
	again, err := f.Fetch(ctx, Request{URL: srv.URL + "/etag", ETag: first.ETag, LastModified: first.LastModified})
	if err != nil || !again.NotModified || len(again.Body) != 0 {
		t.Errorf("conditional fetch: NotModified = %v, body %q, err %v; want 304 unchanged", again.NotModified, again.Body, err)
	}
}

func TestChallenge(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   bool
	}{
		{"瑞数 412", 412, `<html><script>$_ts=window['$_ts'];</script></html>`, true},
		{"加速乐 521", 521, `<script>document.cookie=('__jsl_clearance=1')</script>`, true},
		{"加速乐 307 without Location", 307, `<script>document.cookie='__jsl_clearance=1';location.href=location.pathname</script>`, true},
		{"200 challenge page", 200, `<html><script>var arg1='x';document.cookie="acw_sc__v2="+x;</script></html>`, true},
		{"200 short enable-JavaScript page", 200, `<html><body>Please enable JavaScript and refresh</body></html>`, true},
		{"long article with a noscript notice", 200, `<noscript>Please enable JavaScript</noscript>` + strings.Repeat("<p>社会信用体系建设</p>", 1000), false},
		{"ordinary page", 200, `<html><body><div class="TRS_Editor">第一条</div></body></html>`, false},
		{"plain 404", 404, `not found`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reason, got := Challenge(tt.status, []byte(tt.body))
			if got != tt.want {
				t.Errorf("Challenge = %v (%s), want %v", got, reason, tt.want)
			}
		})
	}
}
