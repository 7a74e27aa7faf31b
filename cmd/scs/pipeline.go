package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/crawler"
	"github.com/scs-project/scs/indexer"
	"github.com/scs-project/scs/parser"
)

// pipeline chains the stages through the store: files are recorded raw,
// then every document whose current bytes are not parsed yet is parsed,
// then every parse not yet in the index is indexed. Because each phase
// selects its work from the store, a run that was killed resumes where it
// stopped, and nothing committed is redone.
type pipeline struct {
	store    *corpus.Store
	index    indexer.Index
	parser   *parser.Parser
	log      *slog.Logger
	progress *progress
	workers  int
	opened   time.Time       // when loading began: the run's time includes it
	command  string          // the command, for the run record and lock
	lock     *corpus.RunLock // held from open to Close: runs never overlap
	es       *esTarget       // also pushed to when ELASTICSEARCH_URL is set (cmd_index.go)
	esConfig *esSettings
	// crawl, when set, runs before the inputs are read: it fetches the
	// configured web sources into the store (cmd_crawl.go).
	crawl func(ctx context.Context, s *summary) error
}

// summary is the run report: counts per stage and every failure by name.
type summary struct {
	Started   time.Time `json:"started"`
	Finished  time.Time `json:"finished"`
	Seconds   float64   `json:"seconds"`
	Data      string    `json:"data"`
	Inputs    []string  `json:"inputs"`
	Found     int       `json:"found"`     // files found in the inputs
	New       int       `json:"new"`       // documents seen for the first time
	Changed   int       `json:"changed"`   // known documents whose bytes changed
	Unchanged int       `json:"unchanged"` // skipped: same bytes as already processed
	Parsed    int       `json:"parsed"`    // documents parsed successfully this run
	Clauses   int       `json:"clauses"`   // clauses in the documents parsed this run
	Indexed   int       `json:"indexed"`   // documents (re)indexed this run
	Failed    int       `json:"failed"`    // documents that failed this run
	Failures  []failure `json:"failures"`
	Corpus    struct {
		Documents int `json:"documents"`
		Failed    int `json:"failed"`
	} `json:"corpus"`
	Elasticsearch *esPushed        `json:"elasticsearch,omitempty"` // the push, when configured
	Crawl         []crawler.Report `json:"crawl,omitempty"`         // per source, when the run crawled
	Error         string           `json:"error,omitempty"`         // set when the run itself failed
	RunID         int64            `json:"run"`                     // the run record in the store (scs runs)
	Status        string           `json:"status"`                  // ok, partial or failed (see corpus.Run*)
}

type failure struct {
	Source  string `json:"source"`
	Stage   string `json:"stage"`
	Message string `json:"message"`
}

func (s *summary) fail(source, stage, msg string) {
	s.Failed++
	s.Failures = append(s.Failures, failure{Source: source, Stage: stage, Message: msg})
}

// openPipeline opens the store, the parser and the index in dir.
func openPipeline(e *env, dir string) (*pipeline, error) { return openPipelineCmd(e, dir, "ingest") }

// openPipelineCmd opens the pipeline for command cmd, first taking the run
// lock of dir: a second batch on the same data directory fails with a
// *corpus.LockedError naming the holder.
func openPipelineCmd(e *env, dir, cmd string) (*pipeline, error) {
	opened := time.Now()
	lock, err := corpus.Lock(dir, cmd)
	if err != nil {
		return nil, err
	}
	store, err := corpus.Open(dir)
	if err != nil {
		lock.Release()
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	p, err := parser.New(parserConfig(e))
	if err != nil {
		store.Close()
		lock.Release()
		return nil, err
	}
	idx, err := indexer.OpenSQLite(filepath.Join(dir, "index.sqlite"), p.Segmenter(), indexer.SQLiteConfig{})
	if err != nil {
		store.Close()
		lock.Release()
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	log := e.log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	pl := &pipeline{store: store, index: idx, parser: p, log: log, progress: newProgress(e.stderr), opened: opened,
		command: cmd, lock: lock}
	if cfg, ok, err := esConfig(e, "", ""); err != nil {
		pl.Close()
		return nil, err
	} else if ok {
		pl.esConfig = &cfg
	}
	return pl, nil
}

func (p *pipeline) Close() error {
	return errors.Join(p.index.Close(), p.store.Close(), p.lock.Release())
}

// beginRun removes what a killed writer left (temporary blob files; safe:
// we hold the lock) and records the start of the run in the store.
func (p *pipeline) beginRun(ctx context.Context, s *summary) (*corpus.Run, error) {
	if err := p.store.CleanTemp(); err != nil {
		p.log.Warn("could not remove temporary files", "dir", p.store.Dir(), "err", err)
	}
	r := &corpus.Run{Command: p.command, PID: os.Getpid(), Version: version, Inputs: s.Inputs, Started: s.Started}
	if err := p.store.BeginRun(ctx, r); err != nil {
		return nil, err
	}
	s.RunID = r.ID
	return r, nil
}

// finishRun records the end of run r with the summary's counts and status.
func (p *pipeline) finishRun(ctx context.Context, r *corpus.Run, s *summary) error {
	r.Finished, r.Status, r.Error = s.Finished, s.Status, s.Error
	r.Counts = map[string]int{"found": s.Found, "new": s.New, "changed": s.Changed, "unchanged": s.Unchanged,
		"parsed": s.Parsed, "clauses": s.Clauses, "indexed": s.Indexed, "failed": s.Failed,
		"corpus_documents": s.Corpus.Documents, "corpus_failed": s.Corpus.Failed}
	r.Failures = make([]corpus.RunFailure, len(s.Failures))
	for i, f := range s.Failures {
		r.Failures[i] = corpus.RunFailure{Source: f.Source, Stage: f.Stage, Message: f.Message}
	}
	return p.store.FinishRun(ctx, r)
}

// setStatus derives the run status from the outcome.
func (s *summary) setStatus(err error) {
	switch {
	case err != nil:
		s.Status, s.Error = corpus.RunFailed, err.Error()
	case s.Failed > 0:
		s.Status = corpus.RunPartial
	default:
		s.Status = corpus.RunOK
	}
}

// ingest runs every phase for the given files and folders. It returns an
// error only when the run itself failed (store or index broken, inputs
// missing, cancelled); document failures are in the summary.
func (p *pipeline) ingest(ctx context.Context, inputs []string) (*summary, error) {
	s := &summary{Started: p.opened.UTC(), Data: p.store.Dir(), Inputs: inputs, Failures: []failure{}}
	run, err := p.beginRun(ctx, s)
	if err == nil && p.crawl != nil {
		err = p.crawl(ctx, s)
	}
	if err == nil && len(inputs) > 0 {
		err = p.collect(ctx, inputs, s)
	}
	if err == nil {
		err = p.parse(ctx, s)
	}
	if err == nil {
		err = p.indexAll(ctx, s)
	}
	if err == nil && p.esConfig != nil {
		err = p.pushES(ctx, s)
	}
	if err == nil {
		all, lerr := p.store.List(ctx, corpus.All)
		failed, ferr := p.store.List(ctx, corpus.FailedDocs)
		err = errors.Join(lerr, ferr)
		s.Corpus.Documents, s.Corpus.Failed = len(all), len(failed)
	}
	return s, p.endRun(ctx, run, s, err)
}

// endRun closes a batch (run, ingest, index, reindex): its time, its status
// from err and the document failures, the summary file in DATA/runs/, and
// the run record. It returns err, or else the first error of closing.
func (p *pipeline) endRun(ctx context.Context, run *corpus.Run, s *summary, err error) error {
	s.Finished = time.Now().UTC()
	s.Seconds = s.Finished.Sub(s.Started).Seconds()
	s.setStatus(err)
	if werr := p.writeSummary(s); werr != nil && err == nil {
		err = werr
	}
	if run != nil {
		if ferr := p.finishRun(ctx, run, s); ferr != nil && err == nil {
			err = ferr
		}
	}
	return err
}

// collect records the raw bytes of every input file in the store.
func (p *pipeline) collect(ctx context.Context, inputs []string, s *summary) error {
	local := crawler.NewLocal(crawler.LocalConfig{})
	files, err := local.Files(inputs)
	if err != nil {
		return err
	}
	s.Found = len(files)
	p.progress.start("read", len(files))
	defer p.progress.done()
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		d, err := local.Read(f)
		p.progress.step()
		if err != nil {
			p.log.Info("read failed", "stage", "read", "source", f, "err", err)
			s.fail(f, "read", err.Error())
			continue
		}
		res, err := p.store.Put(ctx, d)
		if err != nil {
			return err // the store is broken: the run fails
		}
		switch res {
		case corpus.Unchanged:
			s.Unchanged++
		case corpus.Changed:
			s.Changed++
		case corpus.Added:
			s.New++
		}
	}
	return nil
}

// parse runs the parser on every document whose current bytes are not
// parsed yet and saves each result (or failure) in its own transaction.
func (p *pipeline) parse(ctx context.Context, s *summary) error {
	todo, err := p.store.List(ctx, corpus.NeedParse)
	if err != nil {
		return err
	}
	p.progress.start("parse", len(todo))
	defer p.progress.done()
	in := make(chan *corpus.Document)
	go func() {
		defer close(in)
		for _, m := range todo {
			d, err := p.store.Load(ctx, m.ID)
			if err != nil {
				// One unreadable document (a blob lost on disk) fails
				// alone; the stages skip it and the sink records it.
				d = &corpus.Document{ID: m.ID, Source: m.Source, RawHash: m.RawHash}
				d.SetError("load", err)
			}
			select {
			case in <- d:
			case <-ctx.Done():
				return
			}
		}
	}()
	var mu sync.Mutex
	r := &corpus.Runner{Stage: withCrawlState(p.store, p.parser.Chain()), Workers: p.workers, Sink: func(ctx context.Context, d *corpus.Document) error {
		if err := p.store.SaveParsed(ctx, d); err != nil && !errors.Is(err, corpus.ErrNotFound) {
			return err
		}
		p.progress.step()
		mu.Lock()
		defer mu.Unlock()
		if d.Failed() {
			p.log.Info("document failed", "stage", d.Err.Stage, "source", d.Source, "err", d.Err.Msg)
			s.fail(d.Source, d.Err.Stage, d.Err.Msg)
			return nil
		}
		s.Parsed++
		s.Clauses += len(d.Clauses)
		return nil
	}}
	return r.Run(ctx, in)
}

// indexAll puts every parsed document not yet in the index into it, and
// takes out of the index the documents whose current bytes failed.
func (p *pipeline) indexAll(ctx context.Context, s *summary) error {
	todo, err := p.store.List(ctx, corpus.NeedIndex)
	if err != nil {
		return err
	}
	failed, err := p.store.List(ctx, corpus.FailedDocs)
	if err != nil {
		return err
	}
	for _, m := range failed {
		if !m.Indexed {
			if err := p.index.Delete(ctx, m.ID); err != nil {
				return err
			}
			if err := p.store.MarkIndexed(ctx, m.ID, m.RawHash); err != nil {
				return err
			}
		}
	}
	p.progress.start("index", len(todo))
	defer p.progress.done()
	const batch = 32
	for i := 0; i < len(todo); i += batch {
		var docs []*corpus.Document
		for _, m := range todo[i:min(i+batch, len(todo))] {
			d, err := p.store.Load(ctx, m.ID)
			if err != nil {
				p.log.Info("document failed", "stage", "index", "source", m.Source, "err", err)
				s.fail(m.Source, "index", err.Error())
				p.progress.step()
				continue
			}
			docs = append(docs, d)
		}
		if err := p.index.Put(ctx, docs...); err != nil {
			return fmt.Errorf("index: %w", err)
		}
		for _, d := range docs {
			if err := p.store.MarkIndexed(ctx, d.ID, d.RawHash); err != nil {
				return err
			}
			s.Indexed++
			p.progress.step()
		}
	}
	return nil
}

// writeSummary keeps the run report as runs/<time>.json in the data
// directory (written to a temporary name and renamed: never half a file).
func (p *pipeline) writeSummary(s *summary) error {
	dir := filepath.Join(p.store.Dir(), "runs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	name := filepath.Join(dir, s.Started.Format("20060102T150405.000Z")+".json")
	tmp := name + "~"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// printSummary writes the run report for a reader.
func printSummary(e *env, cmd string, s *summary) {
	w := e.stdout
	fmt.Fprintf(w, "scs %s: %d files in %v\n", cmd, s.Found, s.Inputs)
	fmt.Fprintf(w, "  read    %d new, %d changed, %d unchanged (skipped)\n", s.New, s.Changed, s.Unchanged)
	fmt.Fprintf(w, "  parse   %d documents parsed, %d clauses\n", s.Parsed, s.Clauses)
	fmt.Fprintf(w, "  index   %d documents indexed\n", s.Indexed)
	if es := s.Elasticsearch; es != nil {
		fmt.Fprintf(w, "  elasticsearch  %d indexed, %d deleted, %d failed\n", es.Indexed, es.Deleted, es.Failed)
	}
	fmt.Fprintf(w, "  failed  %d\n", s.Failed)
	for _, f := range s.Failures {
		fmt.Fprintf(w, "    %s: %s: %s\n", f.Source, f.Stage, truncate(f.Message, 160))
	}
	fmt.Fprintf(w, "  corpus  %d documents (%d failed) in %s\n", s.Corpus.Documents, s.Corpus.Failed, s.Data)
	if s.Error != "" {
		fmt.Fprintf(w, "  RUN FAILED: %s\n", s.Error)
	}
	if s.RunID != 0 {
		fmt.Fprintf(w, "  status  %s (run %d; see 'scs runs')\n", s.Status, s.RunID)
	}
	fmt.Fprintf(w, "  took    %.1fs\n", s.Seconds)
}
