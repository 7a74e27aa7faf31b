package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/indexer"
	"github.com/scs-project/scs/parser/segment"
)

const indexHelp = `Pushes the corpus to Elasticsearch: every document parsed since the last
push (new or changed bytes) is indexed, documents that failed on their new
bytes are removed. The embedded index needs no push ('scs run' keeps it up
to date; 'scs reindex' rebuilds it); 'scs run' also pushes to
Elasticsearch when ELASTICSEARCH_URL is set.

--rebuild builds a new version of the indices (documents and clauses,
behind the aliases <prefix>-documents and <prefix>-clauses) from the whole
corpus, then swaps both aliases to it at once: searches never stop and
never see a half-built index.

Connection: --es URL or $ELASTICSEARCH_URL; credentials from
$ELASTICSEARCH_API_KEY, or $ELASTICSEARCH_USERNAME and
$ELASTICSEARCH_PASSWORD; a CA certificate (PEM file) from
$ELASTICSEARCH_CA_CERT; the index names' prefix from --es-prefix or
$ELASTICSEARCH_INDEX_PREFIX (default scs). Secrets are never printed.

A document Elasticsearch refuses is listed with the reason (exit status 3)
and pushed again next time; an unreachable cluster fails the command
(exit status 1) and the next push catches up.`

// esFlags adds --es and --es-prefix to a command's flags.
func esFlags(fs interface {
	String(name, value, usage string) *string
}) (urlFlag, prefixFlag *string) {
	return fs.String("es", "", "Elasticsearch URL (default $ELASTICSEARCH_URL)"),
		fs.String("es-prefix", "", "Elasticsearch index prefix (default $ELASTICSEARCH_INDEX_PREFIX or scs)")
}

// esSettings is the Elasticsearch configuration of the command line.
type esSettings struct {
	client indexer.ClientConfig
	prefix string
}

// esConfig resolves the Elasticsearch configuration: flags first, then the
// environment. ok is false when no URL is configured.
func esConfig(e *env, urlFlag, prefixFlag string) (cfg esSettings, ok bool, err error) {
	u := urlFlag
	if u == "" {
		u = e.getenv("ELASTICSEARCH_URL")
	}
	if u == "" {
		return cfg, false, nil
	}
	cfg.client = indexer.ClientConfig{URL: u, APIKey: e.getenv("ELASTICSEARCH_API_KEY"),
		Username: e.getenv("ELASTICSEARCH_USERNAME"), Password: e.getenv("ELASTICSEARCH_PASSWORD")}
	if ca := e.getenv("ELASTICSEARCH_CA_CERT"); ca != "" {
		b, err := os.ReadFile(ca)
		if err != nil {
			return cfg, false, fmt.Errorf("ELASTICSEARCH_CA_CERT: %w", err)
		}
		cfg.client.CACert = b
	}
	cfg.prefix = prefixFlag
	if cfg.prefix == "" {
		cfg.prefix = e.getenv("ELASTICSEARCH_INDEX_PREFIX")
	}
	if cfg.prefix == "" {
		cfg.prefix = "scs"
	}
	return cfg, true, nil
}

// esTarget is an Elasticsearch index the corpus is pushed to.
type esTarget struct {
	ix   *indexer.Elasticsearch
	key  string // the store's index-state target: cluster and prefix, no credentials
	desc string // for messages: redacted
}

// openESTarget connects and opens (creating if needed) the index.
func openESTarget(ctx context.Context, cfg esSettings, seg corpus.Segmenter, log *slog.Logger, readOnly bool) (*esTarget, error) {
	desc := cfg.client.Redacted()
	client, err := indexer.NewElasticsearchClient(cfg.client)
	if err != nil {
		return nil, err
	}
	ix, err := indexer.OpenElasticsearch(ctx, client, seg, indexer.ElasticsearchConfig{Prefix: cfg.prefix, Logger: log, ReadOnly: readOnly})
	if err != nil {
		return nil, fmt.Errorf("elasticsearch %s: %w", desc, err)
	}
	log.Info("elasticsearch", "cluster", desc, "prefix", cfg.prefix)
	return &esTarget{ix: ix, key: "elasticsearch " + stripUserinfo(cfg.client.URL) + " " + cfg.prefix, desc: desc}, nil
}

// stripUserinfo drops user:password@ from each URL of a comma list.
func stripUserinfo(list string) string {
	var out []string
	for _, s := range strings.Split(list, ",") {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.User != nil {
			u.User = nil
			s = u.String()
		}
		out = append(out, strings.TrimRight(strings.TrimSpace(s), "/"))
	}
	return strings.Join(out, ",")
}

// esPushed counts one push to Elasticsearch.
type esPushed struct {
	Indexed int `json:"indexed"` // documents written
	Deleted int `json:"deleted"` // failed documents taken out
	Failed  int `json:"failed"`  // documents Elasticsearch refused (in the failures)
}

// push brings the index up to date with the store: what is parsed and not
// in it goes in, failed documents it holds go out. A document the cluster
// refuses is recorded as a failure of stage "elasticsearch" and stays
// pending; an unreachable cluster returns an error.
func (t *esTarget) push(ctx context.Context, p *pipeline, s *summary) (esPushed, error) {
	var n esPushed
	put, del, err := p.store.PendingFor(ctx, t.key)
	if err != nil {
		return n, err
	}
	if len(del) > 0 {
		ids := make([]string, len(del))
		for i, m := range del {
			ids[i] = m.ID
		}
		if err := t.ix.Delete(ctx, ids...); err != nil {
			return n, fmt.Errorf("elasticsearch %s: %w", t.desc, err)
		}
		for _, m := range del {
			if err := p.store.MarkIndexedIn(ctx, t.key, m.ID, m.RawHash); err != nil {
				return n, err
			}
		}
		n.Deleted = len(del)
	}
	p.progress.start("elasticsearch", len(put))
	defer p.progress.done()
	err = putBatches(ctx, p, t.ix, put, s, &n, func(d *corpus.Document) error {
		return p.store.MarkIndexedIn(ctx, t.key, d.ID, d.RawHash)
	})
	if err != nil {
		return n, fmt.Errorf("elasticsearch %s: %w", t.desc, err)
	}
	return n, nil
}

// putBatches loads and puts the documents in batches; mark records each
// document the index took. Refused documents become failures in s.
func putBatches(ctx context.Context, p *pipeline, ix indexer.Index, todo []corpus.Summary, s *summary, n *esPushed, mark func(*corpus.Document) error) error {
	const batch = 64
	for i := 0; i < len(todo); i += batch {
		var docs []*corpus.Document
		for _, m := range todo[i:min(i+batch, len(todo))] {
			d, err := p.store.Load(ctx, m.ID)
			if err != nil {
				s.fail(m.Source, "elasticsearch", err.Error())
				n.Failed++
				p.progress.step()
				continue
			}
			docs = append(docs, d)
		}
		refused := map[string]string{}
		err := ix.Put(ctx, docs...)
		var be *indexer.BulkError
		if errors.As(err, &be) {
			for _, f := range be.Failures {
				if _, seen := refused[f.DocID]; !seen {
					refused[f.DocID] = fmt.Sprintf("%s %s: %d %s", f.Action, f.ItemID, f.Status, f.Reason)
				}
			}
		} else if err != nil {
			return err
		}
		for _, d := range docs {
			p.progress.step()
			if why, bad := refused[d.ID]; bad {
				p.log.Info("document failed", "stage", "elasticsearch", "source", d.Source, "err", why)
				s.fail(d.Source, "elasticsearch", why)
				n.Failed++
				continue
			}
			if err := mark(d); err != nil {
				return err
			}
			n.Indexed++
		}
	}
	return nil
}

// rebuild builds a new version of the indices from every parsed document
// and swaps the aliases to it; then the store's state for the target is
// replaced by what the new version holds.
func (t *esTarget) rebuild(ctx context.Context, p *pipeline, s *summary) (esPushed, int, error) {
	var n esPushed
	all, err := p.store.List(ctx, corpus.All)
	if err != nil {
		return n, 0, err
	}
	var todo []corpus.Summary
	for _, m := range all {
		if m.Status == corpus.StatusParsed {
			todo = append(todo, m)
		}
	}
	var took []*corpus.Document
	p.progress.start("elasticsearch", len(todo))
	version, err := t.ix.Rebuild(ctx, func(ctx context.Context, w indexer.Index) error {
		return putBatches(ctx, p, w, todo, s, &n, func(d *corpus.Document) error {
			took = append(took, &corpus.Document{ID: d.ID, RawHash: d.RawHash})
			return nil
		})
	})
	p.progress.done()
	if err != nil {
		return n, 0, fmt.Errorf("elasticsearch %s: %w", t.desc, err)
	}
	// The new version holds exactly took; if this is interrupted, the state
	// is empty and the next push re-sends everything (idempotent).
	if err := p.store.ResetIndexState(ctx, t.key); err != nil {
		return n, version, err
	}
	for _, d := range took {
		if err := p.store.MarkIndexedIn(ctx, t.key, d.ID, d.RawHash); err != nil {
			return n, version, err
		}
	}
	return n, version, nil
}

func runIndex(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "index", "[--data DIR] [--es URL] [--rebuild] [--json]", indexHelp)
	data := fs.String("data", "", "data directory (default $SCS_DATA or ./scs-data)")
	esURL, esPrefix := esFlags(fs)
	rebuild := fs.Bool("rebuild", false, "build a new index version from the whole corpus and swap the aliases to it")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	cfg, ok, err := esConfig(e, *esURL, *esPrefix)
	if err != nil {
		return err
	}
	if !ok {
		fmt.Fprintln(e.stderr, "scs index: no Elasticsearch configured: give --es URL or set ELASTICSEARCH_URL (the embedded index needs no push; 'scs reindex' rebuilds it)")
		return errUsage
	}
	p, err := openPipelineCmd(e, dataDir(e, *data), "index")
	if err != nil {
		return err
	}
	defer p.Close()
	s := &summary{Started: p.opened.UTC(), Data: p.store.Dir(), Inputs: []string{}, Failures: []failure{}}
	var out struct {
		*summary
		Elasticsearch struct {
			Cluster string   `json:"cluster"`
			Aliases []string `json:"aliases"`
			Version int      `json:"version,omitempty"` // the new version after --rebuild
			esPushed
		} `json:"elasticsearch"`
	}
	out.summary = s
	run, err := p.beginRun(ctx, s)
	var t *esTarget
	if err == nil {
		t, err = openESTarget(ctx, cfg, p.parser.Segmenter(), p.log, false)
	}
	if err == nil {
		docs, clauses := t.ix.Aliases()
		out.Elasticsearch.Cluster, out.Elasticsearch.Aliases = t.desc, []string{docs, clauses}
		if *rebuild {
			out.Elasticsearch.esPushed, out.Elasticsearch.Version, err = t.rebuild(ctx, p, s)
		} else {
			out.Elasticsearch.esPushed, err = t.push(ctx, p, s)
		}
		s.Indexed = out.Elasticsearch.Indexed
	}
	err = p.endRun(ctx, run, s, err)
	if *asJSON {
		writeJSON(e.stdout, out)
	} else {
		es := out.Elasticsearch
		fmt.Fprintf(e.stdout, "scs index: %s\n", es.Cluster)
		if es.Version > 0 {
			fmt.Fprintf(e.stdout, "  rebuilt version %d, aliases %s now point to it\n", es.Version, strings.Join(es.Aliases, ", "))
		}
		fmt.Fprintf(e.stdout, "  indexed %d documents, deleted %d, failed %d\n", es.Indexed, es.Deleted, es.Failed)
		for _, f := range s.Failures {
			fmt.Fprintf(e.stdout, "    %s: %s: %s\n", f.Source, f.Stage, truncate(f.Message, 200))
		}
		if s.Error != "" {
			fmt.Fprintf(e.stdout, "  FAILED: %s\n", s.Error)
		}
		fmt.Fprintf(e.stdout, "  took    %.1fs (run %d)\n", s.Seconds, s.RunID)
	}
	if err == nil && s.Failed > 0 {
		return errPartial{s.Failed}
	}
	return err
}

// pushES is the Elasticsearch phase of run and ingest: after the embedded
// index, push what is new to the configured cluster. An unreachable
// cluster fails the run; the next run catches up.
func (p *pipeline) pushES(ctx context.Context, s *summary) error {
	if p.es == nil {
		t, err := openESTarget(ctx, *p.esConfig, p.parser.Segmenter(), p.log, false)
		if err != nil {
			return err
		}
		p.es = t
	}
	n, err := p.es.push(ctx, p, s)
	s.Elasticsearch = &n
	return err
}

// searchES runs q on Elasticsearch (scs search --es URL).
func searchES(ctx context.Context, e *env, q indexer.Query, urlFlag, prefixFlag string, asJSON bool) error {
	cfg, _, err := esConfig(e, urlFlag, prefixFlag)
	if err != nil {
		return err
	}
	seg, err := segment.Default()
	if err != nil {
		return err
	}
	t, err := openESTarget(ctx, cfg, seg, e.log, true)
	if err != nil {
		return err
	}
	res, err := t.ix.Search(ctx, q)
	if err != nil {
		return fmt.Errorf("elasticsearch %s: %w", t.desc, err)
	}
	return printResult(e, q, res, asJSON)
}

// printFacets prints the counts per facet value, when the index gave them.
func printFacets(e *env, res *indexer.Result) {
	if len(res.Facets) == 0 || res.Total == 0 {
		return
	}
	fmt.Fprintln(e.stdout, "\nfacets (all matches):")
	for _, name := range []string{"tag", "kind", "region", "issuer"} {
		counts := res.Facets[name]
		if len(counts) == 0 {
			continue
		}
		var parts []string
		for _, c := range counts[:min(len(counts), 12)] {
			parts = append(parts, fmt.Sprintf("%s %d", c.Value, c.Count))
		}
		more := ""
		if len(counts) > 12 {
			more = fmt.Sprintf(" … (%d more)", len(counts)-12)
		}
		fmt.Fprintf(e.stdout, "  %-7s %s%s\n", name, strings.Join(parts, " · "), more)
	}
}
