package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/crawler"
)

const crawlHelp = `Fetches the documents of the web sources in the source registry (the
embedded default, or --sources FILE) into the corpus, then parses and
indexes what is new or changed, like 'scs ingest'.

Politeness: robots.txt is honoured, one request at a time per host with
--delay between them (default 1s; a source's own delay wins), an
identifying User-Agent, a request budget per source. Retries with
exponential backoff on 429, 5xx and network errors (Retry-After honoured).

Incremental: list paging stops at the first page holding only documents
already held, known detail pages are not fetched again, validators
(ETag, Last-Modified) make re-fetches conditional, and documents that are
no longer listed are marked gone, never deleted. A source behind an
anti-bot wall (瑞数 412, 加速乐 521/307, JavaScript challenge pages) is marked
blocked with the reason and the others go on: see 'scs sources'.

Exit status as for 'scs run'; a blocked source is not a failure.`

// crawlOptions are the flags of crawl (and of run when it crawls).
type crawlOptions struct {
	sources  string
	names    stringList
	since    string
	maxPages int
	delay    time.Duration
	progress *crawlProgress // nil: none
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func (o *crawlOptions) addFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.sources, "sources", "", "source registry file (default: $SCS_SOURCES, else the embedded registry)")
	fs.Var(&o.names, "source", "crawl only this source (repeatable)")
	fs.StringVar(&o.since, "since", "", "skip list items dated before this day (YYYY-MM-DD)")
	fs.IntVar(&o.maxPages, "max-pages", 0, "list pages per source at most (default: each source's max_pages)")
	fs.DurationVar(&o.delay, "delay", time.Second, "pause between two requests to the same host")
}

// loadRegistry reads the registry: --sources, else $SCS_SOURCES, else
// the embedded default.
func loadRegistry(e *env, file string) (*crawler.Registry, error) {
	if file == "" {
		file = e.getenv("SCS_SOURCES")
	}
	if file != "" {
		return crawler.LoadRegistry(file)
	}
	return crawler.ParseRegistry("embedded sources.yaml", corpus.SourcesYAML())
}

func runCrawl(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "crawl", "[--data DIR] [--sources FILE] [--source NAME]... [--since DATE] [--max-pages N] [--delay D] [--json]", crawlHelp)
	data := fs.String("data", "", "data directory (default $SCS_DATA or ./scs-data)")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	workers := fs.Int("workers", 0, "parse workers (default: number of CPUs)")
	var o crawlOptions
	o.addFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	return crawlAndReport(ctx, e, "crawl", dataDir(e, *data), nil, &o, *workers, *asJSON)
}

// crawlAndReport runs the pipeline with a crawl phase first (and the
// inputs, for run), then prints the summary.
func crawlAndReport(ctx context.Context, e *env, cmd, dir string, inputs []string, o *crawlOptions, workers int, asJSON bool) error {
	phase, err := newCrawlPhase(e, o)
	if err != nil {
		fmt.Fprintf(e.stderr, "scs %s: %v\n", cmd, err)
		return errUsage
	}
	p, err := openPipelineCmd(e, dir, cmd)
	if err != nil {
		return err
	}
	defer p.Close()
	// The bar shares stderr with the logs: drawn only on a terminal, never
	// with --json or when logs are asked for.
	o.progress = newCrawlProgress(e.stderr, !asJSON && e.getenv("SCS_LOG") == "")
	p.workers = workers
	p.crawl = func(ctx context.Context, s *summary) error { return phase(ctx, p.store, s) }
	s, err := p.ingest(ctx, inputs)
	if asJSON {
		writeJSON(e.stdout, s)
	} else {
		printCrawl(e, s.Crawl)
		printSummary(e, cmd, s)
	}
	if err == nil && s.Failed > 0 {
		return errPartial{s.Failed}
	}
	return err
}

// newCrawlPhase checks the options and returns the crawl phase of the
// pipeline: it fetches the selected sources into the store and counts
// what it brought in the run summary.
func newCrawlPhase(e *env, o *crawlOptions) (func(context.Context, *corpus.Store, *summary) error, error) {
	reg, err := loadRegistry(e, o.sources)
	if err != nil {
		return nil, err
	}
	srcs, err := reg.Select(o.names)
	if err != nil {
		return nil, err
	}
	var since time.Time
	if o.since != "" {
		if since, err = time.Parse("2006-01-02", o.since); err != nil {
			return nil, fmt.Errorf("--since %q: want YYYY-MM-DD", o.since)
		}
	}
	delay := o.delay
	if delay == 0 {
		delay = -1 // FetchConfig: negative means no delay
	}
	return func(ctx context.Context, st *corpus.Store, s *summary) error {
		f := crawler.NewFetcher(crawler.FetchConfig{Delay: delay, AllowedHosts: reg.Hosts(), Logger: e.log})
		cfg := crawler.Config{Fetcher: f, State: st, Sink: st, Logger: e.log, MaxPages: o.maxPages, Since: since}
		if pr := o.progress; pr != nil && pr.on {
			pr.start(srcs, o.maxPages)
			cfg.OnItem, cfg.OnPage, cfg.OnDone = pr.item, pr.page, pr.done
			defer pr.finish()
		}
		c := crawler.New(cfg)
		for _, src := range srcs {
			s.Inputs = append(s.Inputs, src.URL)
		}
		reps, err := c.Crawl(ctx, srcs)
		s.Crawl = reps
		for _, r := range reps {
			s.Found += r.Fetched + r.Unchanged
			s.New += r.New
			s.Changed += r.Changed
			s.Unchanged += r.Unchanged
			for _, f := range r.Failures {
				s.fail(f.URL, "fetch", f.Error)
			}
			if r.Status == corpus.SourceFailed {
				s.fail(r.Name, "crawl", r.Reason)
			}
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			return fmt.Errorf("crawl: %w", err)
		}
		return err
	}, nil
}

// printCrawl writes one line per source crawled.
func printCrawl(e *env, reps []crawler.Report) {
	if len(reps) == 0 {
		return
	}
	w := e.stdout
	fmt.Fprintf(w, "%-26s %-8s %5s %7s %5s %9s %6s %5s %8s\n", "source", "status", "pages", "fetched", "new", "unchanged", "failed", "gone", "requests")
	for _, r := range reps {
		fmt.Fprintf(w, "%-26s %-8s %5d %7d %5d %9d %6d %5d %8d\n", r.Name, r.Status, r.Pages, r.Fetched, r.New, r.Unchanged, r.Failed, r.Gone, r.Requests)
		if r.Reason != "" {
			fmt.Fprintf(w, "  %s\n", truncate(r.Reason, 200))
		}
	}
}

// withCrawlState wraps the parser chain with what the crawl state knows
// about each document, so the link survives every re-parse: before extract,
// PageMeta gets the source's metadata (an API's title, issuer, dates), the
// notice an attachment was linked from ("parent"), the registry source
// ("crawl_source") and the first copy of the same bytes ("duplicate_of");
// at the end, a notice's Attachments list gets the attachments the crawler
// fetched for it (merged with the links extract found, by URL). Documents
// the crawler never fetched (local files) are left as they are.
func withCrawlState(st *corpus.Store, chain corpus.Chain) corpus.Chain {
	before := corpus.StageFunc{StageName: "crawl-meta", Fn: func(ctx context.Context, d *corpus.Document) error {
		pm, err := st.CrawlPageMeta(ctx, d.Source)
		if err != nil || len(pm) == 0 {
			return err
		}
		if d.PageMeta == nil {
			d.PageMeta = make(map[string]string, len(pm))
		}
		for k, v := range pm {
			d.PageMeta[k] = v
		}
		return nil
	}}
	after := corpus.StageFunc{StageName: "crawl-attachments", Fn: func(ctx context.Context, d *corpus.Document) error {
		links, err := st.CrawlAttachments(ctx, d.Source)
		if err != nil || len(links) == 0 {
			return err
		}
		have := make(map[string]bool, len(d.Attachments))
		for _, a := range d.Attachments {
			have[crawler.Canonical(a.URL)] = true
		}
		for _, l := range links {
			if !have[crawler.Canonical(l.URL)] {
				d.Attachments = append(d.Attachments, l)
			}
		}
		return nil
	}}
	out := make(corpus.Chain, 0, len(chain)+2)
	out = append(out, before)
	out = append(out, chain...)
	return append(out, after)
}
