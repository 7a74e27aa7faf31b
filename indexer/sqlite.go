package indexer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scs-project/scs/corpus"
)

var _ Index = (*SQLite)(nil)

// schemaVersion names the layout below; an index written with another
// layout is refused rather than misread (Reset rebuilds it empty).
const schemaVersion = "1"

// The index lives in tables prefixed ix_ so that it can share a database
// file with the corpus store. Clause rows keep the original text (for
// display and snippets) and, when it differs, its folded form (for
// substring matching); the two FTS5 tables are contentless, so the text is
// stored once. Their rowids are ix_clauses.id.
const sqliteSchema = `
CREATE TABLE IF NOT EXISTS ix_meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ix_docs (
	doc_id  TEXT PRIMARY KEY,
	title   TEXT NOT NULL,
	source  TEXT NOT NULL,
	kind    TEXT NOT NULL,
	region  TEXT NOT NULL,
	issued  TEXT NOT NULL,
	issuers TEXT NOT NULL -- one per line, for substring search within one issuer
);
CREATE INDEX IF NOT EXISTS ix_docs_issued ON ix_docs(issued);
CREATE TABLE IF NOT EXISTS ix_clauses (
	id        INTEGER PRIMARY KEY,
	doc_id    TEXT NOT NULL,
	clause_id TEXT NOT NULL,
	path      TEXT NOT NULL,
	text      TEXT NOT NULL,
	folded    TEXT NOT NULL, -- fold(text), or '' when equal to text
	tags      TEXT NOT NULL  -- JSON array, for display; ix_clause_tags filters
);
CREATE INDEX IF NOT EXISTS ix_clauses_doc ON ix_clauses(doc_id);
CREATE TABLE IF NOT EXISTS ix_clause_tags (
	tag    TEXT NOT NULL,
	clause INTEGER NOT NULL,
	PRIMARY KEY (tag, clause)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ix_clause_tags_clause ON ix_clause_tags(clause);
CREATE VIRTUAL TABLE IF NOT EXISTS ix_seg USING fts5(
	tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE IF NOT EXISTS ix_tri USING fts5(
	folded, content='', contentless_delete=1, tokenize='trigram case_sensitive 1');
`

// SQLiteConfig configures OpenSQLite. The zero value is the default.
type SQLiteConfig struct {
	// Logger receives debug lines about writes; nil discards them.
	Logger *slog.Logger
	// SnippetRunes is the length of a snippet window in runes (default 60).
	SnippetRunes int
}

// SQLite is the embedded default Index: SQLite with two FTS5 tables, one
// over gse-segmented clause text for ranking and one trigram table over the
// folded original text for recall. See the package documentation for the
// design. It is safe for concurrent use; writers serialise on SQLite's
// write lock (IMMEDIATE transactions), readers never block (WAL).
type SQLite struct {
	db      *sql.DB
	seg     corpus.Segmenter
	log     *slog.Logger
	snippet int
}

// OpenSQLite opens (creating if needed) the index in the SQLite database at
// path, which may be the corpus store's own database file. seg must be the
// segmenter the clauses are segmented with; it segments queries too.
func OpenSQLite(path string, seg corpus.Segmenter, cfg SQLiteConfig) (*SQLite, error) {
	if seg == nil {
		return nil, fmt.Errorf("open index %s: no segmenter", path)
	}
	// synchronous=FULL: a Put is on disk when it returns, before the
	// caller marks the document indexed in the store (another file), so a
	// power loss cannot leave the store saying "indexed" for clauses the
	// index lost. It costs one fsync per Put, which batches documents.
	db, err := corpus.OpenSQLite(path, "synchronous(FULL)")
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	s := &SQLite{db: db, seg: seg, log: cfg.Logger, snippet: cfg.SnippetRunes}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.snippet <= 0 {
		s.snippet = 60
	}
	if err := s.init(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	return s, nil
}

// init creates the schema and checks its version, in one transaction.
func (s *SQLite) init(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, sqliteSchema); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	var v string
	err = tx.QueryRowContext(ctx, `SELECT value FROM ix_meta WHERE key = 'schema'`).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO ix_meta (key, value) VALUES ('schema', ?)`, schemaVersion)
	case err == nil && v != schemaVersion:
		return fmt.Errorf("index schema version %s, this program reads %s: reset the index", v, schemaVersion)
	}
	if err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	return tx.Commit()
}

// Close closes the database.
func (s *SQLite) Close() error { return s.db.Close() }

// clauseRow is one clause ready to insert: everything that needs the
// segmenter is computed before the write transaction starts, so the write
// lock is held only for SQL.
type clauseRow struct {
	clauseID, path, text, folded, tags, tokens string
	tagList                                    []string
}

type docRows struct {
	id                                  string
	title, source, kind, region, issued string
	issuers                             string
	clauses                             []clauseRow
	failed                              bool
}

func (s *SQLite) prepare(d *corpus.Document) (docRows, error) {
	id, err := docID(d)
	if err != nil {
		return docRows{}, err
	}
	r := docRows{id: id, title: d.Title, source: d.Source, kind: string(d.Kind),
		region: d.Region, issued: d.Issued, issuers: strings.Join(d.Issuers, "\n"), failed: d.Err != nil}
	if r.failed {
		return r, nil
	}
	for _, c := range d.Clauses {
		cid := c.ID
		if cid == "" {
			cid = corpus.ClauseID(id, c.Path)
		}
		tags := c.Tags
		if tags == nil {
			tags = []string{}
		}
		tj, err := json.Marshal(tags)
		if err != nil {
			return docRows{}, err
		}
		f := fold(c.Text)
		if f == c.Text {
			f = ""
		}
		r.clauses = append(r.clauses, clauseRow{clauseID: cid, path: c.Path, text: c.Text, folded: f,
			tags: string(tj), tagList: tags, tokens: strings.Join(s.seg.CutSearch(c.Text), " ")})
	}
	return r, nil
}

// Put replaces the clauses of each document, all documents in one
// transaction. A failed document (d.Err set) or one without clauses only
// loses its old rows.
func (s *SQLite) Put(ctx context.Context, docs ...*corpus.Document) error {
	docs = lastCopies(docs)
	rows := make([]docRows, 0, len(docs))
	for _, d := range docs {
		r, err := s.prepare(d)
		if err != nil {
			return fmt.Errorf("index %s: %w", d.Source, err)
		}
		rows = append(rows, r)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	defer tx.Rollback()
	w, err := newWriter(ctx, tx)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	defer w.close()
	// All deletes before all inserts: FTS5 flushes its pending inserts to a
	// new segment whenever a delete follows them, so interleaving the two
	// per document made a re-put of the corpus twice as slow.
	for _, r := range rows {
		if err := w.delete(ctx, r.id); err != nil {
			return fmt.Errorf("index %s: %w", r.source, err)
		}
	}
	n := 0
	for _, r := range rows {
		if r.failed || len(r.clauses) == 0 {
			continue
		}
		if err := w.insert(ctx, r); err != nil {
			return fmt.Errorf("index %s: %w", r.source, err)
		}
		n += len(r.clauses)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("index: commit: %w", err)
	}
	s.log.Debug("indexed", "docs", len(rows), "clauses", n)
	return nil
}

// Delete removes every clause of the documents with these IDs, in one
// transaction. Unknown IDs are not an error.
func (s *SQLite) Delete(ctx context.Context, docIDs ...string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("index delete: %w", err)
	}
	defer tx.Rollback()
	w, err := newWriter(ctx, tx)
	if err != nil {
		return fmt.Errorf("index delete: %w", err)
	}
	defer w.close()
	for _, id := range docIDs {
		if err := w.delete(ctx, id); err != nil {
			return fmt.Errorf("index delete %s: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("index delete: commit: %w", err)
	}
	return nil
}

// writer holds the prepared statements of one write transaction.
type writer struct {
	stmts                                       []*sql.Stmt
	clauseIDs                                   *sql.Stmt
	delSeg, delTri, delTags, delClauses, delDoc *sql.Stmt
	insDoc, insClause, insTag, insSeg, insTri   *sql.Stmt
}

func newWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{}
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{
		{&w.clauseIDs, `SELECT id FROM ix_clauses WHERE doc_id = ?`},
		// One rowid at a time: FTS5 turns rowid = ? into a point lookup,
		// but rowid IN (subquery) into a scan of the whole table.
		{&w.delSeg, `DELETE FROM ix_seg WHERE rowid = ?`},
		{&w.delTri, `DELETE FROM ix_tri WHERE rowid = ?`},
		{&w.delTags, `DELETE FROM ix_clause_tags WHERE clause IN (SELECT id FROM ix_clauses WHERE doc_id = ?)`},
		{&w.delClauses, `DELETE FROM ix_clauses WHERE doc_id = ?`},
		{&w.delDoc, `DELETE FROM ix_docs WHERE doc_id = ?`},
		{&w.insDoc, `INSERT INTO ix_docs (doc_id, title, source, kind, region, issued, issuers) VALUES (?, ?, ?, ?, ?, ?, ?)`},
		{&w.insClause, `INSERT INTO ix_clauses (doc_id, clause_id, path, text, folded, tags) VALUES (?, ?, ?, ?, ?, ?)`},
		{&w.insTag, `INSERT OR IGNORE INTO ix_clause_tags (tag, clause) VALUES (?, ?)`},
		{&w.insSeg, `INSERT INTO ix_seg (rowid, tokens) VALUES (?, ?)`},
		{&w.insTri, `INSERT INTO ix_tri (rowid, folded) VALUES (?, ?)`},
	} {
		st, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.st = st
		w.stmts = append(w.stmts, st)
	}
	return w, nil
}

func (w *writer) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

func (w *writer) delete(ctx context.Context, docID string) error {
	rows, err := w.clauseIDs.QueryContext(ctx, docID)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		for _, st := range []*sql.Stmt{w.delSeg, w.delTri} {
			if _, err := st.ExecContext(ctx, id); err != nil {
				return err
			}
		}
	}
	for _, st := range []*sql.Stmt{w.delTags, w.delClauses, w.delDoc} {
		if _, err := st.ExecContext(ctx, docID); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) insert(ctx context.Context, r docRows) error {
	if _, err := w.insDoc.ExecContext(ctx, r.id, r.title, r.source, r.kind, r.region, r.issued, r.issuers); err != nil {
		return err
	}
	for _, c := range r.clauses {
		res, err := w.insClause.ExecContext(ctx, r.id, c.clauseID, c.path, c.text, c.folded, c.tags)
		if err != nil {
			return err
		}
		rowid, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for _, t := range c.tagList {
			if _, err := w.insTag.ExecContext(ctx, t, rowid); err != nil {
				return err
			}
		}
		if _, err := w.insSeg.ExecContext(ctx, rowid, c.tokens); err != nil {
			return err
		}
		f := c.folded
		if f == "" {
			f = c.text
		}
		if _, err := w.insTri.ExecContext(ctx, rowid, f); err != nil {
			return err
		}
	}
	return nil
}

// Stats returns the number of indexed documents and clauses.
func (s *SQLite) Stats(ctx context.Context) (docs, clauses int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM ix_docs), (SELECT count(*) FROM ix_clauses)`).Scan(&docs, &clauses)
	if err != nil {
		return 0, 0, fmt.Errorf("index stats: %w", err)
	}
	return docs, clauses, nil
}

// Reset empties the index in one transaction, for a rebuild from the
// corpus store.
func (s *SQLite) Reset(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("index reset: %w", err)
	}
	defer tx.Rollback()
	for _, q := range []string{
		`INSERT INTO ix_seg (ix_seg) VALUES ('delete-all')`,
		`INSERT INTO ix_tri (ix_tri) VALUES ('delete-all')`,
		`DELETE FROM ix_clause_tags`,
		`DELETE FROM ix_clauses`,
		`DELETE FROM ix_docs`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index reset: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("index reset: commit: %w", err)
	}
	return nil
}

// Optimize merges the FTS5 b-trees of both full-text tables into one each:
// worth running after a large rebuild, never needed for correctness.
func (s *SQLite) Optimize(ctx context.Context) error {
	for _, q := range []string{
		`INSERT INTO ix_seg (ix_seg) VALUES ('optimize')`,
		`INSERT INTO ix_tri (ix_tri) VALUES ('optimize')`,
	} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index optimize: %w", err)
		}
	}
	return nil
}

// isoDate accepts a year, a year and month, or a full ISO date.
var isoDate = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// Search runs q. See the package documentation for matching and ranking.
func (s *SQLite) Search(ctx context.Context, q Query) (*Result, error) {
	for _, d := range []string{q.Since, q.Until} {
		if d != "" && !isoDate.MatchString(d) {
			return nil, fmt.Errorf("search: date %q: want YYYY, YYYY-MM or YYYY-MM-DD", d)
		}
	}
	limit, offset := q.Limit, max(q.Offset, 0)
	if limit <= 0 {
		limit = 20
	}
	terms := parseQuery(q.Text)

	var (
		ctes, where []string
		cteArgs     []any
		whereArgs   []any
		tri, segQ   []string
		positives   []string
	)
	segSeen := make(map[string]bool)
	for _, t := range terms {
		if t.neg {
			where = append(where, `instr(iif(c.folded = '', c.text, c.folded), ?) = 0`)
			whereArgs = append(whereArgs, t.folded)
			continue
		}
		positives = append(positives, t.folded)
		if utf8.RuneCountInString(t.folded) >= 3 {
			tri = append(tri, ftsString(t.folded))
		} else {
			// The trigram tokenizer cannot match fewer than three
			// characters: scan the candidates instead.
			where = append(where, `instr(iif(c.folded = '', c.text, c.folded), ?) > 0`)
			whereArgs = append(whereArgs, t.folded)
		}
		for _, tok := range s.seg.Cut(t.raw) {
			if !hasWordRune(tok) || segSeen[tok] {
				continue // unicode61 would drop it: an empty phrase
			}
			segSeen[tok] = true
			segQ = append(segQ, ftsString(tok))
		}
	}
	from := `ix_clauses c JOIN ix_docs d ON d.doc_id = c.doc_id`
	score := `0.0`
	order := `d.issued DESC, c.id`
	if len(tri) > 0 {
		ctes = append(ctes, `tri(id, s) AS MATERIALIZED (SELECT rowid, -bm25(ix_tri) FROM ix_tri WHERE ix_tri MATCH ?)`)
		cteArgs = append(cteArgs, strings.Join(tri, " "))
		from = `tri JOIN ix_clauses c ON c.id = tri.id JOIN ix_docs d ON d.doc_id = c.doc_id`
		score = `tri.s`
	}
	if len(segQ) > 0 {
		ctes = append(ctes, `seg(id, s) AS MATERIALIZED (SELECT rowid, -bm25(ix_seg) FROM ix_seg WHERE ix_seg MATCH ?)`)
		cteArgs = append(cteArgs, strings.Join(segQ, " OR "))
		from += ` LEFT JOIN seg ON seg.id = c.id`
		score += ` + coalesce(seg.s, 0.0)`
	}
	if len(positives) > 0 {
		order = `score DESC, c.id`
	}
	if len(q.Tags) > 0 {
		where = append(where, `c.id IN (SELECT clause FROM ix_clause_tags WHERE tag IN (`+placeholders(len(q.Tags))+`))`)
		for _, t := range q.Tags {
			whereArgs = append(whereArgs, t)
		}
	}
	if len(q.Kinds) > 0 {
		where = append(where, `d.kind IN (`+placeholders(len(q.Kinds))+`)`)
		for _, k := range q.Kinds {
			whereArgs = append(whereArgs, string(k))
		}
	}
	if q.Issuer != "" {
		where = append(where, `instr(d.issuers, ?) > 0`)
		whereArgs = append(whereArgs, q.Issuer)
	}
	if q.Region != "" {
		where = append(where, `d.region = ?`)
		whereArgs = append(whereArgs, q.Region)
	}
	if q.Since != "" {
		where = append(where, `d.issued >= ?`)
		whereArgs = append(whereArgs, q.Since)
	}
	if q.Until != "" {
		// Compare the prefix, so that Until 2016 includes all of 2016;
		// undated documents never pass a date bound.
		where = append(where, `d.issued != '' AND substr(d.issued, 1, ?) <= ?`)
		whereArgs = append(whereArgs, len(q.Until), q.Until)
	}
	var b strings.Builder
	if len(ctes) > 0 {
		b.WriteString("WITH " + strings.Join(ctes, ", ") + "\n")
	}
	b.WriteString(`SELECT c.doc_id, c.clause_id, d.title, d.source, d.kind, d.region, d.issued, c.path, c.text, c.tags, ` +
		score + ` AS score, count(*) OVER () FROM ` + from)
	if len(where) > 0 {
		b.WriteString(" WHERE " + strings.Join(where, " AND "))
	}
	b.WriteString(" ORDER BY " + order + " LIMIT ? OFFSET ?")
	args := append(append(cteArgs, whereArgs...), limit, offset)

	rows, err := s.db.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	defer rows.Close()
	res := &Result{Hits: []Hit{}}
	for rows.Next() {
		var h Hit
		var tags string
		if err := rows.Scan(&h.DocID, &h.ClauseID, &h.Title, &h.Source, &h.Kind, &h.Region, &h.Issued,
			&h.Path, &h.Text, &tags, &h.Score, &res.Total); err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
		if err := json.Unmarshal([]byte(tags), &h.Tags); err != nil {
			return nil, fmt.Errorf("search %q: clause %s tags: %w", q.Text, h.ClauseID, err)
		}
		h.Snippet = snippet(h.Text, positives, s.snippet)
		res.Hits = append(res.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	if len(res.Hits) == 0 && offset > 0 {
		// Past the last page the window count has no row to ride on.
		cq := b.String()
		cq = strings.Replace(cq, " ORDER BY "+order+" LIMIT ? OFFSET ?", "", 1)
		cq = "SELECT count(*) FROM (" + cq + ")"
		if err := s.db.QueryRowContext(ctx, cq, args[:len(args)-2]...).Scan(&res.Total); err != nil {
			return nil, fmt.Errorf("search %q: count: %w", q.Text, err)
		}
	}
	if res.Total > 0 {
		with, cond := "", ""
		if len(ctes) > 0 {
			with = "WITH " + strings.Join(ctes, ", ") + "\n"
		}
		if len(where) > 0 {
			cond = " WHERE " + strings.Join(where, " AND ")
		}
		if res.Facets, err = s.facets(ctx, with, from, cond, args[:len(args)-2]); err != nil {
			return nil, fmt.Errorf("search %q: facets: %w", q.Text, err)
		}
	}
	return res, nil
}

// maxFacetValues caps each facet's list, as the Elasticsearch index's
// terms aggregations do, so both indexes report the same facets.
const maxFacetValues = 50

// facets counts all matching clauses (the same WITH, FROM and WHERE as the
// search) per tag, kind, region and issuer. Tags come from the tag table;
// the document facets are counted per document and summed in Go, since
// issuers are a list.
func (s *SQLite) facets(ctx context.Context, with, from, cond string, args []any) (map[string][]FacetCount, error) {
	counts := map[string]map[string]int{"tag": {}, "kind": {}, "region": {}, "issuer": {}}
	rows, err := s.db.QueryContext(ctx, with+`SELECT t.tag, count(*) FROM `+from+
		` JOIN ix_clause_tags t ON t.clause = c.id`+cond+` GROUP BY t.tag`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			rows.Close()
			return nil, err
		}
		counts["tag"][v] += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.db.QueryContext(ctx, with+`SELECT d.kind, d.region, d.issuers, count(*) FROM `+from+cond+` GROUP BY d.doc_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, region, issuers string
		var n int
		if err := rows.Scan(&kind, &region, &issuers, &n); err != nil {
			return nil, err
		}
		counts["kind"][kind] += n
		counts["region"][region] += n
		seen := map[string]bool{}
		for _, is := range strings.Split(issuers, "\n") {
			if !seen[is] {
				seen[is] = true
				counts["issuer"][is] += n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := map[string][]FacetCount{}
	for name, m := range counts {
		list := []FacetCount{}
		for v, n := range m {
			if v != "" {
				list = append(list, FacetCount{Value: v, Count: n})
			}
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].Count != list[j].Count {
				return list[i].Count > list[j].Count
			}
			return list[i].Value < list[j].Value
		})
		if len(list) > maxFacetValues {
			list = list[:maxFacetValues]
		}
		out[name] = list
	}
	return out, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// hasWordRune reports whether unicode61 keeps any of tok: it indexes
// letters and digits only, so a token of symbols would become an empty
// (never matching) phrase.
func hasWordRune(tok string) bool {
	for _, r := range tok {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}
