package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"

	"github.com/scs-project/scs/corpus"
)

// State is the crawl state kept between runs; *corpus.Store implements it.
type State interface {
	URLState(ctx context.Context, url string) (corpus.URLState, bool, error)
	SaveURLState(ctx context.Context, st corpus.URLState) error
	MarkSeen(ctx context.Context, url string, t time.Time) error
	MarkGone(ctx context.Context, source string, since time.Time) ([]string, error)
	SaveSourceState(ctx context.Context, st corpus.SourceState) error
	SourceStates(ctx context.Context) (map[string]corpus.SourceState, error)
	// SameText returns another URL already holding bytes of this hash.
	SameText(ctx context.Context, url, sha256 string) (string, error)
}

// Sink receives the fetched documents; *corpus.Store implements it.
type Sink interface {
	Put(ctx context.Context, d *corpus.Document) (corpus.PutResult, error)
}

// Config configures a Crawler.
type Config struct {
	Fetcher *Fetcher // required
	State   State    // required
	Sink    Sink     // required
	Logger  *slog.Logger
	// MaxPages, when positive, overrides every source's max_pages.
	MaxPages int
	// Since skips list items dated before it (when the list gives a date).
	Since time.Time
	// Parallel is how many sources are crawled at once (default 4); the
	// fetcher still serialises the requests to each host.
	Parallel int
	// OnItem is called after each list item is handled (progress).
	OnItem func(source string)
	// OnPage is called after each list page of a source is read, with the
	// number of pages read and the most the run will read (progress).
	OnPage func(source string, pages, maxPages int)
	// OnDone is called when a source's crawl ends, with its report.
	OnDone func(r Report)
}

// Crawler walks the sources of a registry into the corpus.
type Crawler struct {
	cfg Config
	log *slog.Logger
}

// New returns a Crawler.
func New(cfg Config) *Crawler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Parallel <= 0 {
		cfg.Parallel = 4
	}
	return &Crawler{cfg: cfg, log: cfg.Logger}
}

// Report is what a crawl of one source did.
type Report struct {
	Name       string       `json:"name"`
	Status     string       `json:"status"` // corpus.Source* (ok, failed, blocked)
	Reason     string       `json:"reason,omitempty"`
	Pages      int          `json:"pages"`     // list pages read
	Listed     int          `json:"listed"`    // items on them
	Filtered   int          `json:"filtered"`  // new items whose title matched no keyword
	Known      int          `json:"known"`     // items already held: not fetched again
	Fetched    int          `json:"fetched"`   // detail pages and attachments that returned bytes
	New        int          `json:"new"`       // documents added to the corpus
	Changed    int          `json:"changed"`   // documents whose bytes changed
	Unchanged  int          `json:"unchanged"` // 304, or the same bytes as stored
	Attach     int          `json:"attachments"`
	Gone       int          `json:"gone"`                 // no longer listed: marked gone
	Failed     int          `json:"failed"`               // URLs that failed (retried next run)
	Requests   int          `json:"requests"`             // HTTP requests made (retries included)
	Pauses     int          `json:"pauses,omitempty"`     // rests taken (Source.PauseEvery)
	Duplicates int          `json:"duplicates,omitempty"` // documents whose bytes another URL already held
	Complete   bool         `json:"complete"`             // the whole listing was walked
	Failures   []URLFailure `json:"failures,omitempty"`
	Started    time.Time    `json:"started"`
	Seconds    float64      `json:"seconds"`
}

// URLFailure is one URL that failed, with the reason.
type URLFailure struct {
	URL   string `json:"url"`
	Error string `json:"error"`
}

// BlockedError is an anti-bot wall: the source is blocked.
type BlockedError struct {
	URL    string
	Reason string
}

func (e *BlockedError) Error() string { return e.URL + ": blocked: " + e.Reason }

// ErrBudget is returned when a source has used its request budget.
var ErrBudget = errors.New("request budget exhausted")

// Item is one entry of a list page (or API result).
type Item struct {
	URL   string
	Title string
	Date  string            // as the list gives it, if at all
	Meta  map[string]string // what the list states (文号, 发文机关)
}

// lister reads the list pages of one source, 0-based; more says whether
// another page follows.
type lister interface {
	page(ctx context.Context, s *session, n int) (items []Item, more bool, err error)
}

func newLister(src Source) (lister, error) {
	switch src.Adapter {
	case "trs":
		return &trsLister{src: src}, nil
	case "govcn":
		return &govcnLister{src: src}, nil
	case "html":
		return newHTMLLister(src)
	case "hanweb":
		return &hanwebLister{src: src}, nil
	case "flk":
		return newFLKLister(src)
	}
	return nil, fmt.Errorf("source %s: unknown adapter %q", src.Name, src.Adapter)
}

// itemFetcher is a lister that fetches its items itself (an API whose
// list items are not the documents: flk), instead of the detail page and
// its attachments. It updates and saves st like Crawler.document.
type itemFetcher interface {
	fetchItem(ctx context.Context, s *session, it Item, st *corpus.URLState, log *slog.Logger) error
}

// session is one source's crawl: its budget and report.
type session struct {
	c          *Crawler
	src        Source
	rep        *Report
	sincePause int // requests since the last pause (Source.PauseEvery)
}

// fetch makes one budgeted request and turns a challenge into a
// *BlockedError. It rests for the source's Pause every PauseEvery
// requests.
func (s *session) fetch(ctx context.Context, r Request) (*Response, error) {
	if s.rep.Requests >= s.src.Budget {
		return nil, fmt.Errorf("%s: %w (%d requests)", s.src.Name, ErrBudget, s.src.Budget)
	}
	if s.src.PauseEvery > 0 && s.sincePause >= s.src.PauseEvery {
		s.c.log.Debug("pausing", "source", s.src.Name, "after", s.sincePause, "pause", time.Duration(s.src.Pause))
		if err := s.c.cfg.Fetcher.cfg.Sleep(ctx, time.Duration(s.src.Pause)); err != nil {
			return nil, err
		}
		s.rep.Pauses++
		s.sincePause = 0
	}
	resp, err := s.c.cfg.Fetcher.Fetch(ctx, r)
	if resp != nil {
		s.sincePause += resp.Requests
	}
	if resp != nil {
		s.rep.Requests += resp.Requests
	}
	var se *StatusError
	if errors.As(err, &se) {
		if reason, ok := Challenge(se.Status, se.Body); ok {
			return nil, &BlockedError{URL: r.URL, Reason: reason}
		}
		return resp, err
	}
	if err != nil {
		return resp, err
	}
	if !resp.NotModified {
		if reason, ok := Challenge(resp.Status, resp.Body); ok {
			return nil, &BlockedError{URL: r.URL, Reason: reason}
		}
	}
	return resp, nil
}

// Crawl crawls the sources (at most Parallel at a time) and returns one
// report per source, in order. Only a broken store or cancellation is an
// error; a source that fails or is blocked is reported and the others go on.
func (c *Crawler) Crawl(ctx context.Context, sources []Source) ([]Report, error) {
	reports := make([]Report, len(sources))
	errs := make([]error, len(sources))
	sem := make(chan struct{}, c.cfg.Parallel)
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			reports[i], errs[i] = c.crawlSource(ctx, src)
			if c.cfg.OnDone != nil {
				c.cfg.OnDone(reports[i])
			}
		}()
	}
	wg.Wait()
	return reports, errors.Join(errs...)
}

// storeError marks an error of the store: it ends the run.
type storeError struct{ err error }

func (e *storeError) Error() string { return e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }

func (c *Crawler) crawlSource(ctx context.Context, src Source) (Report, error) {
	started := time.Now().UTC()
	rep := Report{Name: src.Name, Status: corpus.SourceOK, Started: started}
	s := &session{c: c, src: src, rep: &rep}
	log := c.log.With("source", src.Name)
	if c.cfg.MaxPages > 0 {
		src.MaxPages = c.cfg.MaxPages
	}
	if src.Delay > 0 {
		if u, err := url.Parse(src.URL); err == nil {
			c.cfg.Fetcher.SetHostDelay(u.Host, time.Duration(src.Delay))
		}
	}
	// A source whose previous crawl did not finish (killed, interrupted)
	// walks its listing without the stop-at-known rule this time, so the
	// pages it never reached are not skipped.
	prev, err := c.cfg.State.SourceStates(ctx)
	if err != nil {
		return rep, err
	}
	resume := prev[src.Name].Status == "running"
	if err := c.cfg.State.SaveSourceState(ctx, corpus.SourceState{Name: src.Name, Status: "running",
		Reason: "crawl in progress (or interrupted)", LastRun: started, Counts: prev[src.Name].Counts}); err != nil {
		return rep, err
	}
	l, err := newLister(src)
	if err == nil {
		err = c.walk(ctx, s, l, resume, log)
	}
	rep.Seconds = time.Since(started).Seconds()
	var blocked *BlockedError
	var se *storeError
	switch {
	case errors.As(err, &se):
		return rep, se.err
	case ctx.Err() != nil:
		return rep, ctx.Err() // the source stays "running": the next run resumes it
	case errors.As(err, &blocked):
		rep.Status, rep.Reason = corpus.SourceBlocked, blocked.Error()
		log.Warn("source blocked by an anti-bot wall; not bypassed", "url", blocked.URL, "reason", blocked.Reason)
	case errors.Is(err, ErrBudget):
		rep.Reason = err.Error()
		log.Warn("request budget exhausted", "budget", src.Budget)
	case err != nil:
		rep.Status, rep.Reason = corpus.SourceFailed, err.Error()
		log.Warn("source failed", "err", err)
	}
	if rep.Complete && rep.Status == corpus.SourceOK {
		gone, err := c.cfg.State.MarkGone(ctx, src.Name, started)
		if err != nil {
			return rep, err
		}
		rep.Gone += len(gone)
		for _, u := range gone {
			log.Info("no longer listed: marked gone", "url", u)
		}
	}
	counts := map[string]int{"pages": rep.Pages, "listed": rep.Listed, "fetched": rep.Fetched, "new": rep.New,
		"changed": rep.Changed, "unchanged": rep.Unchanged, "failed": rep.Failed, "gone": rep.Gone,
		"filtered": rep.Filtered, "requests": rep.Requests, "attachments": rep.Attach}
	if err := c.cfg.State.SaveSourceState(ctx, corpus.SourceState{Name: src.Name, Status: rep.Status,
		Reason: rep.Reason, LastRun: started, Counts: counts}); err != nil {
		return rep, err
	}
	log.Info("source crawled", "status", rep.Status, "pages", rep.Pages, "new", rep.New, "unchanged", rep.Unchanged,
		"failed", rep.Failed, "requests", rep.Requests)
	return rep, nil
}

// walk reads list pages until the listing ends, max_pages is reached, or
// stop_after_known pages in a row held only known items.
func (c *Crawler) walk(ctx context.Context, s *session, l lister, resume bool, log *slog.Logger) error {
	knownRun := 0
	for n := 0; n < s.src.MaxPages; n++ {
		items, more, err := l.page(ctx, s, n)
		if err != nil {
			return err
		}
		s.rep.Pages++
		if c.cfg.OnPage != nil {
			c.cfg.OnPage(s.src.Name, s.rep.Pages, s.src.MaxPages)
		}
		allKnown := true
		for _, it := range items {
			if err := ctx.Err(); err != nil {
				return err
			}
			known, err := c.item(ctx, s, l, it, log)
			if c.cfg.OnItem != nil {
				c.cfg.OnItem(s.src.Name)
			}
			if err != nil {
				return err
			}
			allKnown = allKnown && known
		}
		if !more {
			s.rep.Complete = true
			return nil
		}
		if len(items) == 0 {
			return nil
		}
		if allKnown {
			knownRun++
		} else {
			knownRun = 0
		}
		if !resume && s.src.StopAfterKnown > 0 && knownRun >= s.src.StopAfterKnown {
			log.Info("stopping: list pages hold only known items", "page", n+1)
			return nil
		}
	}
	return nil
}

// item handles one list item; known reports whether it was already held
// (then nothing is fetched). Errors returned end the source: a wall, the
// budget, the store; any other failure is counted and the crawl goes on.
func (c *Crawler) item(ctx context.Context, s *session, l lister, it Item, log *slog.Logger) (known bool, err error) {
	s.rep.Listed++
	u := Canonical(it.URL)
	now := time.Now().UTC()
	st, ok, err := c.cfg.State.URLState(ctx, u)
	if err != nil {
		return false, &storeError{err}
	}
	if ok && (st.Status == corpus.URLOK || st.Status == corpus.URLFiltered) {
		s.rep.Known++
		if err := c.cfg.State.MarkSeen(ctx, u, now); err != nil {
			return true, &storeError{err}
		}
		return true, nil
	}
	if !ok {
		st = corpus.URLState{URL: u, Source: s.src.Name, Kind: "detail"}
	}
	st.Source, st.Title, st.SeenAt = s.src.Name, it.Title, now
	if !matches(it.Title, s.src.Keywords) || before(it.Date, c.cfg.Since) {
		s.rep.Filtered++
		st.Status = corpus.URLFiltered
		if err := c.cfg.State.SaveURLState(ctx, st); err != nil {
			return false, &storeError{err}
		}
		return false, nil
	}
	if f, ok := l.(itemFetcher); ok {
		return false, f.fetchItem(ctx, s, it, &st, log)
	}
	body, ctype, err := c.document(ctx, s, &st, log)
	if err != nil || body == nil {
		return false, err
	}
	// Attachments (the MOU is often only the attachment of a short 通知)
	// and the further pages of a TRS article split across pages.
	base := st.FinalURL
	if base == "" {
		base = u
	}
	for _, a := range links(body, ctype, base) {
		ast, ok, err := c.cfg.State.URLState(ctx, a.URL)
		if err != nil {
			return false, &storeError{err}
		}
		if ok && ast.Status == corpus.URLOK {
			continue
		}
		if !ok {
			ast = corpus.URLState{URL: a.URL, Kind: a.Kind}
		}
		ast.Source, ast.Parent, ast.Title, ast.SeenAt = s.src.Name, u, a.Title, now
		if _, _, err := c.document(ctx, s, &ast, log); err != nil {
			return false, err
		}
		if a.Kind == "attachment" && ast.Status == corpus.URLOK {
			s.rep.Attach++
		}
	}
	return false, nil
}

// document fetches st.URL (conditionally when validators are known) and
// stores it; it updates and saves st. It returns the body when new bytes
// were fetched. A failure of the URL is recorded and returns a nil error.
func (c *Crawler) document(ctx context.Context, s *session, st *corpus.URLState, log *slog.Logger) ([]byte, string, error) {
	resp, err := s.fetch(ctx, Request{URL: st.URL, ETag: st.ETag, LastModified: st.LastModified})
	return c.record(ctx, s, st, resp, err, log)
}

// record stores what a fetch for st brought (resp, or the failure err)
// under st.URL, which may differ from the URL fetched (an API's stable
// download URL for a short-lived signed link), and updates and saves st.
func (c *Crawler) record(ctx context.Context, s *session, st *corpus.URLState, resp *Response, err error, log *slog.Logger) ([]byte, string, error) {
	var blocked *BlockedError
	var se *StatusError
	switch {
	case err == nil:
	case ctx.Err() != nil, errors.As(err, &blocked), errors.Is(err, ErrBudget):
		return nil, "", err
	default:
		st.Error = err.Error()
		st.Status = corpus.URLFailed
		if errors.As(err, &se) {
			st.HTTPStatus = se.Status
			if (se.Status == 404 || se.Status == 410) && st.SHA256 != "" {
				st.Status = corpus.URLGone // held before, now removed at the source
				s.rep.Gone++
			}
		}
		if st.Status == corpus.URLFailed {
			s.rep.Failed++
			s.rep.Failures = append(s.rep.Failures, URLFailure{URL: st.URL, Error: err.Error()})
			log.Info("fetch failed", "url", st.URL, "err", err)
		}
		if serr := c.cfg.State.SaveURLState(ctx, *st); serr != nil {
			return nil, "", &storeError{serr}
		}
		return nil, "", nil
	}
	st.HTTPStatus, st.FinalURL, st.FetchedAt, st.Error = resp.Status, resp.FinalURL, resp.FetchedAt, ""
	if resp.ETag != "" {
		st.ETag = resp.ETag
	}
	if resp.LastModified != "" {
		st.LastModified = resp.LastModified
	}
	if resp.NotModified {
		s.rep.Unchanged++
		st.Status = corpus.URLOK
		if err := c.cfg.State.SaveURLState(ctx, *st); err != nil {
			return nil, "", &storeError{err}
		}
		return nil, "", nil
	}
	s.rep.Fetched++
	ctype := resp.ContentType
	if ctype == "" || strings.HasPrefix(ctype, "application/octet-stream") {
		if t := mime.TypeByExtension(path.Ext(mustPath(st.URL))); t != "" {
			ctype = t
		}
	}
	d := &corpus.Document{Source: st.URL, ContentType: ctype, Raw: resp.Body, FetchedAt: resp.FetchedAt}
	res, err := c.cfg.Sink.Put(ctx, d)
	if err != nil {
		return nil, "", &storeError{err}
	}
	switch {
	case res == corpus.Added:
		s.rep.New++
	case res == corpus.Changed && st.SHA256 != d.RawHash:
		s.rep.Changed++
	default:
		s.rep.Unchanged++
	}
	if res != corpus.Unchanged || st.SHA256 != d.RawHash {
		// The same bytes held under another URL: a republication. Both
		// copies stay (provenance); this one names the first.
		st.DuplicateOf = ""
		first, err := c.cfg.State.SameText(ctx, st.URL, d.RawHash)
		if err != nil {
			return nil, "", &storeError{err}
		}
		if first != "" {
			st.DuplicateOf = first
			s.rep.Duplicates++
			log.Info("same bytes as a document held from another URL", "url", st.URL, "first", first)
		}
	}
	st.SHA256, st.ContentType, st.Status = d.RawHash, ctype, corpus.URLOK
	if err := c.cfg.State.SaveURLState(ctx, *st); err != nil {
		return nil, "", &storeError{err}
	}
	return resp.Body, ctype, nil
}

func mustPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Path
}

// matches reports whether title contains one of keywords (all titles
// match an empty list).
func matches(title string, keywords []string) bool {
	if len(keywords) == 0 {
		return true
	}
	for _, k := range keywords {
		if strings.Contains(title, k) {
			return true
		}
	}
	return false
}

var dateRe = regexp.MustCompile(`(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})`)

// before reports whether the date a list gives is before since (false
// when either is unknown).
func before(date string, since time.Time) bool {
	if since.IsZero() {
		return false
	}
	m := dateRe.FindStringSubmatch(date)
	if m == nil {
		return false
	}
	t, err := time.Parse("2006-1-2", m[1]+"-"+strings.TrimLeft(m[2], "0")+"-"+strings.TrimLeft(m[3], "0"))
	return err == nil && t.Before(since)
}

// Canonical normalises a URL for identity: lower-case scheme and host,
// no default port, no fragment, "/" for an empty path.
func Canonical(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if (u.Scheme == "http" && u.Port() == "80") || (u.Scheme == "https" && u.Port() == "443") {
		u.Host = u.Hostname()
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

// link is a URL found in a detail page worth fetching with it.
type link struct {
	URL, Title string
	Kind       string // "attachment" or "page" (a further page of the article)
}

// attachmentExts are the file types fetched as attachments.
var attachmentExts = map[string]bool{".pdf": true, ".doc": true, ".docx": true, ".wps": true, ".ofd": true,
	".xls": true, ".xlsx": true, ".et": true}

var trsPagesRe = regexp.MustCompile(`createPageHTML\(\s*(\d+)\s*,\s*0\s*,\s*["'](t\d{8}_\d+)["']\s*,\s*["'](s?html?)["']\s*\)`)

// links returns the attachments of an HTML page (links to PDF, DOC, DOCX,
// WPS, OFD, spreadsheets, on any host) and the further pages of a TRS
// article split across pages (createPageHTML(N, 0, "tYYYYMMDD_id", "html")
// in the body: _1 … _N-1).
func links(body []byte, ctype, base string) []link {
	mt, _, _ := mime.ParseMediaType(ctype)
	if mt != "" && mt != "text/html" && mt != "application/xhtml+xml" {
		return nil
	}
	if mt == "" && !bytes.Contains(bytes.ToLower(body[:min(len(body), 1024)]), []byte("<html")) {
		return nil
	}
	b, err := url.Parse(base)
	if err != nil {
		return nil
	}
	r, err := charset.NewReader(bytes.NewReader(body), ctype)
	if err != nil {
		r = bytes.NewReader(body)
	}
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		return nil
	}
	var out []link
	seen := map[string]bool{}
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		ref, err := url.Parse(strings.TrimSpace(href))
		if err != nil {
			return
		}
		abs := b.ResolveReference(ref)
		if abs.Scheme != "http" && abs.Scheme != "https" {
			return
		}
		if !attachmentExts[strings.ToLower(path.Ext(abs.Path))] {
			return
		}
		u := Canonical(abs.String())
		if seen[u] {
			return
		}
		seen[u] = true
		out = append(out, link{URL: u, Title: strings.TrimSpace(a.Text()), Kind: "attachment"})
	})
	if m := trsPagesRe.FindSubmatch(body); m != nil {
		var n int
		fmt.Sscan(string(m[1]), &n)
		for i := 1; i < n && i < 50; i++ {
			ref, _ := url.Parse(fmt.Sprintf("%s_%d.%s", m[2], i, m[3]))
			u := Canonical(b.ResolveReference(ref).String())
			if !seen[u] {
				seen[u] = true
				out = append(out, link{URL: u, Kind: "page"})
			}
		}
	}
	return out
}
