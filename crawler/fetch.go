package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// DefaultUserAgent identifies the crawler to the sites it visits.
const DefaultUserAgent = "Mozilla/5.0 (compatible; scs-crawler/1.0; +https://github.com/scs-project/scs)"

// robotsAgent is the product token matched against robots.txt groups.
const robotsAgent = "scs-crawler"

// FetchConfig configures a Fetcher. The zero value is usable: every field
// has a default suited to small government sites.
type FetchConfig struct {
	UserAgent string        // default DefaultUserAgent
	Timeout   time.Duration // whole request, body included; default 60 s
	// Delay is the pause between two requests to the same host (default
	// 1 s; negative means none). Requests to one host are never concurrent.
	Delay    time.Duration
	MaxBytes int64 // body size cap; default 64 MiB
	// Retries is how many times a 429, a 5xx or a network error is retried
	// (default 3; negative means none), waiting Backoff·2^n with full jitter,
	// or the Retry-After the server asked for.
	Retries      int
	Backoff      time.Duration // default 2 s
	MaxRetryWait time.Duration // a longer Retry-After gives up; default 5 min
	MaxRedirects int           // default 5
	// AllowedHosts are the hosts (host or host:port) named in the source
	// registry: a redirect may lead to them even when they are private or
	// loopback addresses (a local mirror). A redirect to any other private
	// or loopback address is refused.
	AllowedHosts []string
	// IgnoreRobots skips robots.txt (for a local mirror one owns; never
	// set for the real sites).
	IgnoreRobots bool
	Client       *http.Client // default: a new client with the timeouts above
	Logger       *slog.Logger
	// Sleep waits for d or until ctx is done; tests replace it to observe
	// delays and backoffs without waiting. Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Fetcher is a polite HTTP client: per-host delay and serialisation,
// robots.txt, retries with backoff, a body cap, bounded and checked
// redirects, conditional GET. It is safe for concurrent use.
type Fetcher struct {
	cfg     FetchConfig
	client  *http.Client
	log     *slog.Logger
	allowed map[string]bool

	mu     sync.Mutex
	hosts  map[string]*hostState
	robots map[string]*robotstxt.Group // nil entry: everything allowed
}

type hostState struct {
	mu    sync.Mutex    // held for the duration of a request: concurrency 1 per host
	last  time.Time     // end of the previous request
	delay time.Duration // the host's own delay (SetHostDelay), when set
	set   bool
}

// SetHostDelay sets the delay between requests to host (host or
// host:port, as in the URL), overriding Delay: a source's own delay.
func (f *Fetcher) SetHostDelay(host string, d time.Duration) {
	h := f.host(host)
	h.mu.Lock()
	h.delay, h.set = d, true
	h.mu.Unlock()
}

// NewFetcher returns a Fetcher for cfg.
func NewFetcher(cfg FetchConfig) *Fetcher {
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Delay == 0 {
		cfg.Delay = time.Second
	} else if cfg.Delay < 0 {
		cfg.Delay = 0
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 64 << 20
	}
	if cfg.Retries == 0 {
		cfg.Retries = 3
	} else if cfg.Retries < 0 {
		cfg.Retries = 0
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 2 * time.Second
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = 5 * time.Minute
	}
	if cfg.MaxRedirects <= 0 {
		cfg.MaxRedirects = 5
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	f := &Fetcher{cfg: cfg, log: cfg.Logger, allowed: map[string]bool{},
		hosts: map[string]*hostState{}, robots: map[string]*robotstxt.Group{}}
	for _, h := range cfg.AllowedHosts {
		f.allowed[strings.ToLower(h)] = true
	}
	c := cfg.Client
	if c == nil {
		c = &http.Client{Timeout: cfg.Timeout, Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   15 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   2,
		}}
	} else {
		cp := *c // do not change the caller's client
		c = &cp
	}
	c.CheckRedirect = f.checkRedirect
	f.client = c
	return f
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Request is one fetch. ETag and LastModified, from the crawl state, make
// it a conditional GET.
type Request struct {
	URL          string
	Method       string            // default GET
	Body         []byte            // for POST (API adapters)
	Header       map[string]string // extra headers (Referer, Content-Type)
	ETag         string
	LastModified string
}

// Response is what a fetch brought back: the raw bytes (never decoded:
// charset is the extractor's business) and the provenance worth keeping.
type Response struct {
	URL          string // as requested
	FinalURL     string // after redirects
	Status       int
	NotModified  bool // 304 to a conditional GET: Body is empty
	ContentType  string
	ETag         string
	LastModified string
	Body         []byte
	FetchedAt    time.Time
	Requests     int // HTTP requests made, retries included (robots.txt excluded)
}

// Errors of Fetch, for errors.Is.
var (
	ErrRobots   = errors.New("disallowed by robots.txt")
	ErrTooLarge = errors.New("body larger than the size limit")
	ErrRedirect = errors.New("redirect refused")
)

// StatusError is an HTTP status that is neither success nor retried away.
type StatusError struct {
	URL    string
	Status int
	Body   []byte // the start of the body (challenge detection reads it)
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// Fetch performs r politely: robots.txt, per-host delay and serialisation,
// retries. A 2xx or 304 is a Response; any other final status is a
// *StatusError (with the Response, for its request count and body).
func (f *Fetcher) Fetch(ctx context.Context, r Request) (*Response, error) {
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("fetch %q: not an http(s) URL", r.URL)
	}
	if !f.cfg.IgnoreRobots && !isRobotsURL(u) {
		ok, err := f.robotsAllowed(ctx, u)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("fetch %s: %w", r.URL, ErrRobots)
		}
	}
	resp := &Response{URL: r.URL}
	for attempt := 0; ; attempt++ {
		resp.Requests++
		status, wait, err := f.once(ctx, u, r, resp)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return resp, ctx.Err()
		}
		if wait < 0 || attempt >= f.cfg.Retries {
			return resp, err
		}
		if wait == 0 {
			// Full jitter: a random wait in [0, Backoff·2^attempt], at
			// least a tenth of it so a retry is never immediate.
			ceil := f.cfg.Backoff << attempt
			wait = ceil/10 + time.Duration(rand.Int64N(int64(ceil-ceil/10)+1))
		}
		if wait > f.cfg.MaxRetryWait {
			return resp, fmt.Errorf("%w (asked to wait %s, more than the %s limit)", err, wait, f.cfg.MaxRetryWait)
		}
		f.log.Info("retrying", "url", r.URL, "status", status, "attempt", attempt+1, "wait", wait, "err", err)
		if err := f.cfg.Sleep(ctx, wait); err != nil {
			return resp, err
		}
	}
}

// once makes one request under the host's turn. It returns the status,
// and for an error, how long to wait before a retry: 0 for the backoff,
// a positive Retry-After, or -1 when the error is not worth retrying.
func (f *Fetcher) once(ctx context.Context, u *url.URL, r Request, resp *Response) (int, time.Duration, error) {
	h := f.host(u.Host)
	h.mu.Lock()
	defer h.mu.Unlock()
	delay := f.cfg.Delay
	if h.set {
		delay = h.delay
	}
	if wait := time.Until(h.last.Add(delay)); wait > 0 && !h.last.IsZero() {
		if err := f.cfg.Sleep(ctx, wait); err != nil {
			return 0, -1, err
		}
	}
	defer func() { h.last = time.Now() }()

	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if r.Body != nil {
		body = strings.NewReader(string(r.Body))
	}
	req, err := http.NewRequestWithContext(ctx, method, r.URL, body)
	if err != nil {
		return 0, -1, fmt.Errorf("fetch %s: %w", r.URL, err)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/json,application/pdf,*/*;q=0.8")
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5")
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	hr, err := f.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, -1, ctx.Err()
		}
		if errors.Is(err, ErrRedirect) {
			return 0, -1, fmt.Errorf("fetch %s: %w", r.URL, err)
		}
		return 0, 0, fmt.Errorf("fetch %s: %w", r.URL, err) // network error: retried
	}
	defer hr.Body.Close()
	resp.Status = hr.StatusCode
	resp.FinalURL = hr.Request.URL.String()
	resp.ContentType = hr.Header.Get("Content-Type")
	resp.ETag = hr.Header.Get("ETag")
	resp.LastModified = hr.Header.Get("Last-Modified")
	resp.FetchedAt = time.Now().UTC()
	raw, err := io.ReadAll(io.LimitReader(hr.Body, f.cfg.MaxBytes+1))
	if err != nil {
		return hr.StatusCode, 0, fmt.Errorf("fetch %s: read body: %w", r.URL, err)
	}
	if int64(len(raw)) > f.cfg.MaxBytes {
		return hr.StatusCode, -1, fmt.Errorf("fetch %s: %w (%d bytes)", r.URL, ErrTooLarge, f.cfg.MaxBytes)
	}
	switch s := hr.StatusCode; {
	case s == http.StatusNotModified && (r.ETag != "" || r.LastModified != ""):
		resp.NotModified = true
		return s, 0, nil
	case s >= 200 && s < 300:
		resp.Body = raw
		return s, 0, nil
	case s == http.StatusTooManyRequests || s == 500 || s == 502 || s == 503 || s == 504:
		resp.Body = raw
		return s, retryAfter(hr.Header.Get("Retry-After"), time.Now()), &StatusError{URL: r.URL, Status: s, Body: head(raw)}
	default:
		resp.Body = raw
		return s, -1, &StatusError{URL: r.URL, Status: s, Body: head(raw)}
	}
}

func head(b []byte) []byte {
	if len(b) > 64<<10 {
		return b[:64<<10]
	}
	return b
}

// retryAfter parses a Retry-After header (seconds or an HTTP date); 0 when
// absent or unreadable (the backoff applies).
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return max(time.Duration(n)*time.Second, time.Millisecond)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), time.Millisecond)
	}
	return 0
}

func (f *Fetcher) host(h string) *hostState {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.hosts[h]
	if st == nil {
		st = &hostState{}
		f.hosts[h] = st
	}
	return st
}

// robotsAllowed reports whether robots.txt of u's host lets us fetch u.
// robots.txt is fetched once per host and scheme (RFC 9309: a 4xx means
// no rules, a 5xx or an unreachable host means fetch nothing for now).
func (f *Fetcher) robotsAllowed(ctx context.Context, u *url.URL) (bool, error) {
	key := u.Scheme + "://" + u.Host
	f.mu.Lock()
	g, ok := f.robots[key]
	f.mu.Unlock()
	if !ok {
		resp, err := f.Fetch(ctx, Request{URL: key + "/robots.txt"}) // robots.txt itself is not checked
		status := 0
		var body []byte
		var se *StatusError
		switch {
		case err == nil:
			status, body = resp.Status, resp.Body
		case errors.As(err, &se):
			status = se.Status
		case ctx.Err() != nil:
			return false, ctx.Err()
		default:
			status = 503 // unreachable: treat as a server error (disallow all)
		}
		data, perr := robotstxt.FromStatusAndBytes(status, body)
		if perr != nil {
			f.log.Warn("robots.txt unreadable; treating as allow-all", "host", u.Host, "err", perr)
			data, _ = robotstxt.FromStatusAndBytes(404, nil)
		}
		g = data.FindGroup(robotsAgent)
		f.mu.Lock()
		f.robots[key] = g
		f.mu.Unlock()
		f.log.Info("robots.txt", "host", u.Host, "status", status)
	}
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if path == "" {
		path = "/"
	}
	ok = g.Test(path)
	if !ok {
		f.log.Info("robots.txt disallows", "url", u.String())
	}
	return ok, nil
}

// isRobotsURL: fetching robots.txt does not consult robots.txt.
func isRobotsURL(u *url.URL) bool { return u.Path == "/robots.txt" }

// checkRedirect bounds redirects and refuses one that leads to a private,
// loopback or link-local address unless its host is in the registry.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.cfg.MaxRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrRedirect, f.cfg.MaxRedirects)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("%w: to %s", ErrRedirect, req.URL)
	}
	if f.allowed[strings.ToLower(req.URL.Host)] || f.allowed[strings.ToLower(req.URL.Hostname())] {
		return nil
	}
	if private(req.Context(), req.URL.Hostname()) {
		return fmt.Errorf("%w: %s leads to a private or loopback address (%s is not in the source registry)",
			ErrRedirect, via[len(via)-1].URL, req.URL.Host)
	}
	return nil
}

// private reports whether host is, or resolves to, a private, loopback,
// link-local or unspecified address. A host that does not resolve is left
// to the dialer to refuse.
func private(ctx context.Context, host string) bool {
	isPriv := func(a netip.Addr) bool {
		a = a.Unmap()
		return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() ||
			a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast()
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return isPriv(a)
	}
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if isPriv(a) {
			return true
		}
	}
	return false
}
