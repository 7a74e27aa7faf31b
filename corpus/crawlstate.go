package corpus

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The crawler's state between runs lives in corpus.sqlite beside the
// documents, in two tables of its own: one row per URL it has met (list
// item, detail page, attachment) with the validators for a conditional GET,
// the hash of the last bytes and what became of it; and one row per source
// with its last status (ok, failed, blocked and why) and the counts of its
// last run. Documents are never deleted: a URL that disappears is marked
// gone here, and its document stays in the corpus.

// URL statuses in the crawl state.
const (
	URLOK       = "ok"       // fetched and stored (or unchanged)
	URLFiltered = "filtered" // listed, but its title matches no keyword of the source
	URLFailed   = "failed"   // the last fetch failed; retried next run
	URLGone     = "gone"     // no longer listed by its source, or 404/410
)

// Source statuses in the crawl state.
const (
	SourceOK      = "ok"
	SourceFailed  = "failed"  // the source could not be listed (network, HTTP errors)
	SourceBlocked = "blocked" // an anti-bot wall answered; never bypassed
)

// URLState is what the crawler knows about one URL.
type URLState struct {
	URL          string    `json:"url"`
	Source       string    `json:"source"` // registry name of the source that listed it
	Kind         string    `json:"kind"`   // "detail" or "attachment"
	Parent       string    `json:"parent,omitempty"`
	Title        string    `json:"title,omitempty"`
	Status       string    `json:"status"` // URL* constants
	HTTPStatus   int       `json:"http_status,omitempty"`
	FinalURL     string    `json:"final_url,omitempty"`
	ContentType  string    `json:"content_type,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	SHA256       string    `json:"sha256,omitempty"` // of the bytes stored in the corpus
	Error        string    `json:"error,omitempty"`
	FetchedAt    time.Time `json:"fetched_at,omitzero"` // last request that returned bytes or 304
	SeenAt       time.Time `json:"seen_at,omitzero"`    // last time a list page named it
	// Meta is what the source states about the document outside its bytes
	// (an API's title, issuer, dates, version history): the parse phase
	// copies it into Document.PageMeta (see CrawlPageMeta).
	Meta map[string]string `json:"meta,omitempty"`
	// DuplicateOf is the URL of the first copy held with the same text
	// (a republication on another site), when there is one: both copies
	// are kept, this one is marked.
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

// SourceState is a source's status after its last crawl.
type SourceState struct {
	Name      string         `json:"name"`
	Status    string         `json:"status"` // Source* constants
	Reason    string         `json:"reason,omitempty"`
	LastRun   time.Time      `json:"last_run,omitzero"`
	Counts    map[string]int `json:"counts"`    // of the last run: fetched, new, unchanged, failed, gone…
	Documents int            `json:"documents"` // URLs of the source held in the corpus (status ok)
}

const crawlSchema = `
CREATE TABLE IF NOT EXISTS crawl_urls (
	url           TEXT PRIMARY KEY,
	source        TEXT NOT NULL,
	kind          TEXT NOT NULL,
	parent        TEXT NOT NULL DEFAULT '',
	title         TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL,
	http_status   INTEGER NOT NULL DEFAULT 0,
	final_url     TEXT NOT NULL DEFAULT '',
	content_type  TEXT NOT NULL DEFAULT '',
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	sha256        TEXT NOT NULL DEFAULT '',
	error         TEXT NOT NULL DEFAULT '',
	fetched_at    TEXT NOT NULL DEFAULT '',
	seen_at       TEXT NOT NULL DEFAULT '',
	meta          TEXT NOT NULL DEFAULT '{}',
	duplicate_of  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS crawl_urls_source ON crawl_urls(source, status);
CREATE INDEX IF NOT EXISTS crawl_urls_parent ON crawl_urls(parent);
CREATE TABLE IF NOT EXISTS crawl_sources (
	name     TEXT PRIMARY KEY,
	status   TEXT NOT NULL,
	reason   TEXT NOT NULL DEFAULT '',
	last_run TEXT NOT NULL DEFAULT '',
	counts   TEXT NOT NULL DEFAULT '{}'
);`

// crawlColumns are the columns added to crawl_urls after its first
// release: a store made before them gets them on open.
var crawlColumns = []struct{ name, def string }{
	{"meta", "TEXT NOT NULL DEFAULT '{}'"},
	{"duplicate_of", "TEXT NOT NULL DEFAULT ''"},
}

// migrateCrawlState creates the crawl tables and adds the columns a store
// made by an older version lacks. Open calls it once per store.
func (s *Store) migrateCrawlState(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, crawlSchema); err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	have := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM pragma_table_info('crawl_urls')`)
	if err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return fmt.Errorf("crawl state: %w", err)
		}
		have[n] = true
	}
	rows.Close()
	for _, c := range crawlColumns {
		if !have[c.name] {
			if _, err := s.db.ExecContext(ctx, `ALTER TABLE crawl_urls ADD COLUMN `+c.name+` `+c.def); err != nil {
				return fmt.Errorf("crawl state: add column %s: %w", c.name, err)
			}
		}
	}
	if _, err := s.db.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS crawl_urls_sha ON crawl_urls(sha256)`); err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	return nil
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// URLState returns the crawl state of url; ok is false when the crawler
// has never met it.
func (s *Store) URLState(ctx context.Context, url string) (st URLState, ok bool, err error) {
	var fetched, seen, meta string
	err = s.db.QueryRowContext(ctx, `SELECT url, source, kind, parent, title, status, http_status, final_url, content_type,
		etag, last_modified, sha256, error, fetched_at, seen_at, meta, duplicate_of FROM crawl_urls WHERE url = ?`, url).
		Scan(&st.URL, &st.Source, &st.Kind, &st.Parent, &st.Title, &st.Status, &st.HTTPStatus, &st.FinalURL,
			&st.ContentType, &st.ETag, &st.LastModified, &st.SHA256, &st.Error, &fetched, &seen, &meta, &st.DuplicateOf)
	if errors.Is(err, sql.ErrNoRows) {
		return URLState{}, false, nil
	}
	if err != nil {
		return st, false, fmt.Errorf("crawl state %s: %w", url, err)
	}
	st.FetchedAt, st.SeenAt = parseTime(fetched), parseTime(seen)
	if err := decodeMeta(meta, &st); err != nil {
		return st, false, err
	}
	return st, true, nil
}

// SaveURLState records st (inserting or replacing its row).
func (s *Store) SaveURLState(ctx context.Context, st URLState) error {
	meta := "{}"
	if len(st.Meta) > 0 {
		b, _ := json.Marshal(st.Meta) // a map of strings always encodes
		meta = string(b)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO crawl_urls (url, source, kind, parent, title, status, http_status,
		final_url, content_type, etag, last_modified, sha256, error, fetched_at, seen_at, meta, duplicate_of)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET source = excluded.source, kind = excluded.kind, parent = excluded.parent,
		title = excluded.title, status = excluded.status, http_status = excluded.http_status,
		final_url = excluded.final_url, content_type = excluded.content_type, etag = excluded.etag,
		last_modified = excluded.last_modified, sha256 = excluded.sha256, error = excluded.error,
		fetched_at = excluded.fetched_at, seen_at = excluded.seen_at, meta = excluded.meta,
		duplicate_of = excluded.duplicate_of`,
		st.URL, st.Source, st.Kind, st.Parent, st.Title, st.Status, st.HTTPStatus, st.FinalURL, st.ContentType,
		st.ETag, st.LastModified, st.SHA256, st.Error, fmtTime(st.FetchedAt), fmtTime(st.SeenAt), meta, st.DuplicateOf)
	if err != nil {
		return fmt.Errorf("crawl state %s: %w", st.URL, err)
	}
	return nil
}

// MarkSeen records that a list page of the source named url at time t.
func (s *Store) MarkSeen(ctx context.Context, url string, t time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE crawl_urls SET seen_at = ? WHERE url = ?`, fmtTime(t), url); err != nil {
		return fmt.Errorf("crawl state %s: %w", url, err)
	}
	return nil
}

// MarkGone marks gone every detail URL of source (and the attachments of
// those details) that no list page named since the time since: called only
// after a complete listing of the source. It returns the URLs marked.
func (s *Store) MarkGone(ctx context.Context, source string, since time.Time) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT url FROM crawl_urls WHERE source = ? AND kind = 'detail'
		AND status IN ('ok', 'failed') AND seen_at < ?`, source, fmtTime(since))
	if err != nil {
		return nil, fmt.Errorf("crawl state %s: %w", source, err)
	}
	var gone []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			rows.Close()
			return nil, fmt.Errorf("crawl state %s: %w", source, err)
		}
		gone = append(gone, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("crawl state %s: %w", source, err)
	}
	for _, u := range gone {
		if _, err := s.db.ExecContext(ctx, `UPDATE crawl_urls SET status = 'gone' WHERE url = ? OR parent = ?`, u, u); err != nil {
			return nil, fmt.Errorf("crawl state %s: %w", u, err)
		}
	}
	return gone, nil
}

// URLStates returns the crawl state of every URL of source (all sources
// when source is empty), ordered by URL.
func (s *Store) URLStates(ctx context.Context, source string) ([]URLState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT url, source, kind, parent, title, status, http_status, final_url,
		content_type, etag, last_modified, sha256, error, fetched_at, seen_at, meta, duplicate_of FROM crawl_urls
		WHERE ? = '' OR source = ? ORDER BY url`, source, source)
	if err != nil {
		return nil, fmt.Errorf("crawl state: %w", err)
	}
	defer rows.Close()
	var out []URLState
	for rows.Next() {
		var st URLState
		var fetched, seen, meta string
		if err := rows.Scan(&st.URL, &st.Source, &st.Kind, &st.Parent, &st.Title, &st.Status, &st.HTTPStatus,
			&st.FinalURL, &st.ContentType, &st.ETag, &st.LastModified, &st.SHA256, &st.Error, &fetched, &seen,
			&meta, &st.DuplicateOf); err != nil {
			return nil, fmt.Errorf("crawl state: %w", err)
		}
		st.FetchedAt, st.SeenAt = parseTime(fetched), parseTime(seen)
		if err := decodeMeta(meta, &st); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// SaveSourceState records a source's status after a crawl.
func (s *Store) SaveSourceState(ctx context.Context, st SourceState) error {
	counts, _ := json.Marshal(st.Counts) // a map of ints always encodes
	_, err := s.db.ExecContext(ctx, `INSERT INTO crawl_sources (name, status, reason, last_run, counts) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET status = excluded.status, reason = excluded.reason,
		last_run = excluded.last_run, counts = excluded.counts`,
		st.Name, st.Status, st.Reason, fmtTime(st.LastRun), string(counts))
	if err != nil {
		return fmt.Errorf("source state %s: %w", st.Name, err)
	}
	return nil
}

// SourceStates returns the recorded state of every source crawled so far,
// with the number of its URLs held (status ok), by name.
func (s *Store) SourceStates(ctx context.Context) (map[string]SourceState, error) {
	out := map[string]SourceState{}
	rows, err := s.db.QueryContext(ctx, `SELECT name, status, reason, last_run, counts FROM crawl_sources`)
	if err != nil {
		return nil, fmt.Errorf("source state: %w", err)
	}
	for rows.Next() {
		var st SourceState
		var last, counts string
		if err := rows.Scan(&st.Name, &st.Status, &st.Reason, &last, &counts); err != nil {
			rows.Close()
			return nil, fmt.Errorf("source state: %w", err)
		}
		st.LastRun = parseTime(last)
		if err := json.Unmarshal([]byte(counts), &st.Counts); err != nil {
			rows.Close()
			return nil, fmt.Errorf("source state %s: %w", st.Name, err)
		}
		out[st.Name] = st
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("source state: %w", err)
	}
	rows, err = s.db.QueryContext(ctx, `SELECT source, count(*) FROM crawl_urls WHERE status = 'ok' AND sha256 != '' GROUP BY source`)
	if err != nil {
		return nil, fmt.Errorf("source state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return nil, fmt.Errorf("source state: %w", err)
		}
		st := out[name]
		st.Name, st.Documents = name, n
		out[name] = st
	}
	return out, rows.Err()
}

func decodeMeta(js string, st *URLState) error {
	if js == "" || js == "{}" {
		return nil
	}
	if err := json.Unmarshal([]byte(js), &st.Meta); err != nil {
		return fmt.Errorf("crawl state %s: meta: %w", st.URL, err)
	}
	return nil
}

// CrawlPageMeta returns what the crawl state knows about the document
// fetched from url, as PageMeta entries: the source's own metadata
// (URLState.Meta), "parent" (the notice an attachment was linked from),
// "crawl_source" (the registry source) and "duplicate_of" (the first copy
// held with the same text elsewhere). It returns nil for a URL the crawler
// never fetched (a local file). The parse phase applies it before extract,
// so every parse, the first or a re-parse, carries it.
func (s *Store) CrawlPageMeta(ctx context.Context, url string) (map[string]string, error) {
	st, ok, err := s.URLState(ctx, url)
	if err != nil || !ok {
		return nil, err
	}
	out := make(map[string]string, len(st.Meta)+3)
	for k, v := range st.Meta {
		out[k] = v
	}
	if st.Parent != "" && st.Kind == "attachment" {
		out["parent"] = st.Parent
	}
	if st.Source != "" {
		out["crawl_source"] = st.Source
	}
	if st.DuplicateOf != "" {
		out["duplicate_of"] = st.DuplicateOf
	}
	return out, nil
}

// CrawlAttachments returns the attachments the crawler fetched for the
// notice at url (crawl state rows of kind attachment whose parent is url),
// in URL order, as Links for Document.Attachments.
func (s *Store) CrawlAttachments(ctx context.Context, url string) ([]Link, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT url, title FROM crawl_urls WHERE parent = ? AND kind = 'attachment'
		ORDER BY url`, url)
	if err != nil {
		return nil, fmt.Errorf("crawl state %s: %w", url, err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		var l Link
		if err := rows.Scan(&l.URL, &l.Title); err != nil {
			return nil, fmt.Errorf("crawl state %s: %w", url, err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// SameText returns the first URL (by fetch time, then URL) other than url
// whose stored bytes hash to sha256: the copy a duplicate points to. It
// returns "" when there is none.
func (s *Store) SameText(ctx context.Context, url, sha256 string) (string, error) {
	var first string
	err := s.db.QueryRowContext(ctx, `SELECT url FROM crawl_urls WHERE sha256 = ? AND url != ? AND duplicate_of = ''
		ORDER BY fetched_at, url LIMIT 1`, sha256, url).Scan(&first)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("crawl state %s: %w", url, err)
	}
	return first, nil
}
