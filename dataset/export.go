package dataset

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/scs-project/scs/corpus"
)

// Filter selects what is exported, as `scs search` filters: documents by
// kind, issuer, region and issue date; clauses by tag. The zero Filter
// selects everything.
type Filter struct {
	Tags   []string      `json:"tags,omitempty"`   // keep clauses carrying any of these tags (and documents with one)
	Kinds  []corpus.Kind `json:"kinds,omitempty"`  // any of these kinds
	Issuer string        `json:"issuer,omitempty"` // substring of any issuer
	Region string        `json:"region,omitempty"` // exact region
	Since  string        `json:"since,omitempty"`  // issued on or after (YYYY, YYYY-MM or YYYY-MM-DD)
	Until  string        `json:"until,omitempty"`  // issued on or before
}

// MatchDocument reports whether d passes the document filters.
func (f Filter) MatchDocument(d *corpus.Document) bool {
	if len(f.Kinds) > 0 && !contains(kindsToStrings(f.Kinds), string(d.Kind)) {
		return false
	}
	if f.Region != "" && d.Region != f.Region {
		return false
	}
	if f.Issuer != "" {
		ok := false
		for _, is := range d.Issuers {
			ok = ok || strings.Contains(is, f.Issuer)
		}
		if !ok {
			return false
		}
	}
	if f.Since != "" && (d.Issued == "" || d.Issued < f.Since) {
		return false
	}
	// Until is inclusive of a partial date: 2020 keeps 2020-12-31.
	if f.Until != "" && (d.Issued == "" || d.Issued > f.Until && !strings.HasPrefix(d.Issued, f.Until)) {
		return false
	}
	if len(f.Tags) > 0 {
		for i := range d.Clauses {
			if f.MatchClause(&d.Clauses[i]) {
				return true
			}
		}
		return false
	}
	return true
}

// MatchClause reports whether c passes the tag filter.
func (f Filter) MatchClause(c *corpus.Clause) bool {
	if len(f.Tags) == 0 {
		return true
	}
	for _, t := range f.Tags {
		if contains(c.Tags, t) {
			return true
		}
	}
	return false
}

func kindsToStrings(ks []corpus.Kind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// Config configures Export. Out and Format are required.
type Config struct {
	Out     string // the dataset directory, replaced atomically
	Format  Format
	BOM     bool   // CSV: start each file with a UTF-8 byte-order mark (Excel)
	Version string // the scs version, recorded in datapackage.json
	Source  string // the corpus the export was made from (data directory)
	Filter  Filter
	Now     time.Time // export time; default time.Now()
	// AgencyAliases is the alias table (corpus.AgencyAliases()).
	AgencyAliases []byte
	// Titles maps every corpus document's title to its id, for resolving
	// citations (the whole corpus, not only the exported documents).
	Titles map[string]string
}

// Manifest says what an export wrote.
type Manifest struct {
	Out       string         `json:"out"`
	Format    Format         `json:"format"`
	Rows      map[string]int `json:"rows"` // table -> rows written
	Documents int            `json:"documents"`
	Exported  time.Time      `json:"exported"`
}

// Export writes the tables of the documents that docs yields and pass the
// filter. It writes into a temporary directory beside cfg.Out and renames
// it into place at the end: cfg.Out holds either the previous export or
// the new one, never a mix. An existing cfg.Out that is not an scs export
// (it has no datapackage.json) is left alone and Export fails.
func Export(ctx context.Context, cfg Config, docs iter.Seq2[*corpus.Document, error]) (*Manifest, error) {
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	out := filepath.Clean(cfg.Out)
	if err := checkReplaceable(out); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return nil, fmt.Errorf("export %s: %w", out, err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", out, err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	m, err := writeTables(ctx, cfg, tmp, docs)
	if err != nil {
		return nil, err
	}
	if err := writeDescriptors(cfg, tmp, m); err != nil {
		return nil, err
	}
	if err := replaceDir(tmp, out); err != nil {
		return nil, fmt.Errorf("export %s: %w", out, err)
	}
	ok = true
	m.Out = out
	return m, nil
}

func checkReplaceable(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", out, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, "datapackage.json")); err != nil {
		return fmt.Errorf("export %s: the directory exists and is not an scs export (no datapackage.json): not replacing it", out)
	}
	return nil
}

// replaceDir puts tmp in place of out: out is moved aside, tmp renamed,
// the old one removed. Between the two renames out does not exist, which
// a reader sees as "no export yet", never as half of one.
func replaceDir(tmp, out string) error {
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

type openTable struct {
	f *os.File
	w tableWriter
}

func writeTables(ctx context.Context, cfg Config, dir string, docs iter.Seq2[*corpus.Document, error]) (m *Manifest, err error) {
	m = &Manifest{Format: cfg.Format, Rows: map[string]int{}, Exported: cfg.Now.UTC()}
	open := map[string]*openTable{}
	defer func() {
		for _, o := range open {
			if o.f != nil {
				o.f.Close()
			}
		}
	}()
	for _, t := range Tables {
		path := filepath.Join(dir, t.Name+cfg.Format.ext())
		f, err := createFile(path)
		if err != nil {
			return nil, err
		}
		w, err := newTableWriter(cfg.Format, t, f, cfg.BOM)
		if err != nil {
			f.Close()
			return nil, err
		}
		open[t.Name] = &openTable{f: f, w: w}
		m.Rows[t.Name] = 0
	}
	emit := func(table string, r Row) error {
		o := open[table]
		if err := o.w.Write(r); err != nil {
			return fmt.Errorf("export %s: %w", table, err)
		}
		m.Rows[table]++
		return nil
	}
	if err := AgencyRows(cfg.AgencyAliases, emit); err != nil {
		return nil, err
	}
	res := NewResolver(cfg.Titles, cfg.AgencyAliases)
	keep := cfg.Filter.MatchClause
	if len(cfg.Filter.Tags) == 0 {
		keep = nil
	}
	for d, err := range docs {
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !cfg.Filter.MatchDocument(d) {
			continue
		}
		if err := DocumentRows(d, res, keep, emit); err != nil {
			return nil, err
		}
		m.Documents++
	}
	for _, t := range Tables {
		o := open[t.Name]
		err := o.w.Close()
		if err == nil {
			err = o.f.Sync()
		}
		if cerr := o.f.Close(); err == nil {
			err = cerr
		}
		o.f = nil
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", t.Name, err)
		}
	}
	return m, nil
}
