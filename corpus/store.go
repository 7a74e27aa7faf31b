package corpus

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // pure-Go SQLite driver, registers "sqlite"
)

// Document status values in the store.
const (
	StatusFetched = "fetched" // raw bytes stored, not parsed yet (or changed since)
	StatusParsed  = "parsed"  // parsed result stored for the current raw bytes
	StatusFailed  = "failed"  // a stage failed on the current raw bytes
)

// ErrNotFound is returned when the store has no such document.
var ErrNotFound = errors.New("document not found")

// Store is the on-disk corpus: one SQLite database (WAL) with a row per
// document, plus content-addressed blob files holding the raw bytes.
//
// Durability: a blob is written to a temporary name, synced and renamed,
// before the row that names it is committed; each stage result is written in
// a single transaction. A crash or kill therefore leaves either the old or
// the new state of a document, never half of one. Store is safe for
// concurrent use.
type Store struct {
	dir string
	db  *sql.DB
}

const schema = `
CREATE TABLE IF NOT EXISTS documents (
	id           TEXT PRIMARY KEY,
	source       TEXT NOT NULL UNIQUE,
	raw_sha256   TEXT NOT NULL,
	content_type TEXT NOT NULL DEFAULT '',
	fetched_at   TEXT NOT NULL,
	status       TEXT NOT NULL,
	parsed_sha256 TEXT NOT NULL DEFAULT '',
	parsed_at    TEXT NOT NULL DEFAULT '',
	indexed_sha256 TEXT NOT NULL DEFAULT '',
	title        TEXT NOT NULL DEFAULT '',
	kind         TEXT NOT NULL DEFAULT '',
	region       TEXT NOT NULL DEFAULT '',
	issued       TEXT NOT NULL DEFAULT '',
	n_clauses    INTEGER NOT NULL DEFAULT 0,
	error_stage  TEXT NOT NULL DEFAULT '',
	error        TEXT NOT NULL DEFAULT '',
	parsed_json  BLOB
);
CREATE INDEX IF NOT EXISTS documents_status ON documents(status);
`

// Open opens (creating if needed) the store in dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "blobs"), 0o755); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	db, err := OpenSQLite(filepath.Join(dir, "corpus.sqlite"))
	if err != nil {
		return nil, err
	}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: schema: %w", dir, err)
	}
	s := &Store{dir: dir, db: db}
	if err := s.migrateCrawlState(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	return s, nil
}

// OpenSQLite opens a SQLite database with the settings every writer here
// needs (see research/libraries.md §5): WAL so readers never block the
// writer, synchronous=NORMAL (durable at checkpoints, safe against
// corruption), a busy timeout, and IMMEDIATE transactions so two writers
// that read before writing do not deadlock into SQLITE_BUSY. Extra pragmas
// (e.g. "synchronous(FULL)") are applied after these, on every connection.
func OpenSQLite(path string, pragmas ...string) (*sql.DB, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	for _, p := range pragmas {
		dsn += "&_pragma=" + p
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) blobPath(hash string) string {
	return filepath.Join(s.dir, "blobs", hash[:2], hash)
}

// writeBlob stores raw under its hash, atomically: temp file, fsync, rename.
func (s *Store) writeBlob(hash string, raw []byte) error {
	p := s.blobPath(hash)
	if _, err := os.Stat(p); err == nil {
		return nil // content-addressed: already there
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), hash+".*~")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(raw)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, p)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// Raw reads the blob with the given hash.
func (s *Store) Raw(hash string) ([]byte, error) {
	if len(hash) < 3 {
		return nil, fmt.Errorf("raw %q: bad hash", hash)
	}
	return os.ReadFile(s.blobPath(hash))
}

// PutResult says what Put found.
type PutResult int

// The results of Put.
const (
	Unchanged PutResult = iota // same bytes, already parsed: nothing to do
	Added                      // a document new to the store
	Changed                    // a known document with new bytes (or never parsed)
)

// Put records d's raw bytes (d.Source, d.Raw, d.ContentType, d.FetchedAt) and
// sets d.ID and d.RawHash. It reports Unchanged when the store already
// holds a parsed or failed result for exactly these bytes, so the caller can
// skip the document; a document whose raw bytes changed goes back to
// StatusFetched and keeps its old parsed result until the new one is saved.
func (s *Store) Put(ctx context.Context, d *Document) (result PutResult, err error) {
	if d.Source == "" {
		return Unchanged, errors.New("put: document has no source")
	}
	d.ID = DocumentID(d.Source)
	d.RawHash = HashRaw(d.Raw)
	if d.FetchedAt.IsZero() {
		d.FetchedAt = time.Now().UTC()
	}
	if err := s.writeBlob(d.RawHash, d.Raw); err != nil {
		return Unchanged, fmt.Errorf("put %s: write blob: %w", d.Source, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Unchanged, fmt.Errorf("put %s: %w", d.Source, err)
	}
	defer tx.Rollback()
	var oldHash, parsedHash string
	err = tx.QueryRowContext(ctx, `SELECT raw_sha256, parsed_sha256 FROM documents WHERE id = ?`, d.ID).Scan(&oldHash, &parsedHash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO documents (id, source, raw_sha256, content_type, fetched_at, status) VALUES (?, ?, ?, ?, ?, ?)`,
			d.ID, d.Source, d.RawHash, d.ContentType, d.FetchedAt.UTC().Format(time.RFC3339Nano), StatusFetched)
		result = Added
	case err != nil:
	case oldHash == d.RawHash && parsedHash == d.RawHash:
		result = Unchanged
	default:
		_, err = tx.ExecContext(ctx, `UPDATE documents SET raw_sha256 = ?, content_type = ?, fetched_at = ?, status = ? WHERE id = ?`,
			d.RawHash, d.ContentType, d.FetchedAt.UTC().Format(time.RFC3339Nano), StatusFetched, d.ID)
		result = Changed
	}
	if err != nil {
		return Unchanged, fmt.Errorf("put %s: %w", d.Source, err)
	}
	if err := tx.Commit(); err != nil {
		return Unchanged, fmt.Errorf("put %s: commit: %w", d.Source, err)
	}
	return result, nil
}

// SaveParsed writes the result of the parse stages for d (metadata, text,
// clauses, or the per-document error) in one transaction. The result is
// tied to d.RawHash: if the raw bytes changed meanwhile, the row stays
// StatusFetched so the newer bytes are parsed next time.
func (s *Store) SaveParsed(ctx context.Context, d *Document) error {
	js, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("save %s: encode: %w", d.Source, err)
	}
	status, estage, emsg := StatusParsed, "", ""
	if d.Err != nil {
		status, estage, emsg = StatusFailed, d.Err.Stage, d.Err.Msg
	}
	res, err := s.db.ExecContext(ctx, `UPDATE documents SET status = ?, parsed_sha256 = ?, parsed_at = ?,
		title = ?, kind = ?, region = ?, issued = ?, n_clauses = ?, error_stage = ?, error = ?, parsed_json = ?
		WHERE id = ? AND raw_sha256 = ?`,
		status, d.RawHash, time.Now().UTC().Format(time.RFC3339Nano),
		d.Title, string(d.Kind), d.Region, d.Issued, len(d.Clauses), estage, emsg, js, d.ID, d.RawHash)
	if err != nil {
		return fmt.Errorf("save %s: %w", d.Source, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("save %s: %w (or its raw bytes changed)", d.Source, ErrNotFound)
	}
	return nil
}

// MarkIndexed records that d's current parsed result is in the index.
func (s *Store) MarkIndexed(ctx context.Context, id, rawHash string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE documents SET indexed_sha256 = ? WHERE id = ?`, rawHash, id)
	return err
}

// Summary is one document's row, without its parsed result.
type Summary struct {
	ID, Source, RawHash, ContentType, Status string
	Title, Kind, Region, Issued              string
	Clauses                                  int
	ErrorStage, Error                        string
	Indexed                                  bool // the current parse is in the index
}

// Selection chooses documents for List.
type Selection int

// The selections of List.
const (
	All        Selection = iota
	NeedParse            // raw bytes not parsed yet (new or changed)
	NeedIndex            // parsed, but that parse is not in the index
	FailedDocs           // a stage failed on the current bytes
)

// List returns the summaries of the selected documents, ordered by source.
func (s *Store) List(ctx context.Context, sel Selection) ([]Summary, error) {
	where := map[Selection]string{
		All:        "1",
		NeedParse:  "parsed_sha256 != raw_sha256",
		NeedIndex:  "status = 'parsed' AND parsed_sha256 = raw_sha256 AND indexed_sha256 != raw_sha256",
		FailedDocs: "status = 'failed'",
	}[sel]
	rows, err := s.db.QueryContext(ctx, `SELECT id, source, raw_sha256, content_type, status, title, kind, region, issued,
		n_clauses, error_stage, error, indexed_sha256 = raw_sha256 FROM documents WHERE `+where+` ORDER BY source`)
	if err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var m Summary
		if err := rows.Scan(&m.ID, &m.Source, &m.RawHash, &m.ContentType, &m.Status, &m.Title, &m.Kind, &m.Region,
			&m.Issued, &m.Clauses, &m.ErrorStage, &m.Error, &m.Indexed); err != nil {
			return nil, fmt.Errorf("list: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Load returns the document with its raw bytes and, when it has been
// parsed, its parsed result.
func (s *Store) Load(ctx context.Context, id string) (*Document, error) {
	var d Document
	var fetched string
	var js []byte
	err := s.db.QueryRowContext(ctx, `SELECT id, source, raw_sha256, content_type, fetched_at, parsed_json FROM documents WHERE id = ?`, id).
		Scan(&d.ID, &d.Source, &d.RawHash, &d.ContentType, &fetched, &js)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("load %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", id, err)
	}
	rawHash := d.RawHash
	if len(js) > 0 {
		if err := json.Unmarshal(js, &d); err != nil {
			return nil, fmt.Errorf("load %s: decode parsed result: %w", d.Source, err)
		}
	}
	if d.RawHash != rawHash { // parsed result is stale; keep the current bytes' identity
		d = Document{ID: d.ID, Source: d.Source, RawHash: rawHash, ContentType: d.ContentType}
	}
	d.FetchedAt, _ = time.Parse(time.RFC3339Nano, fetched)
	if d.Raw, err = s.Raw(rawHash); err != nil {
		return nil, fmt.Errorf("load %s: %w", d.Source, err)
	}
	return &d, nil
}
