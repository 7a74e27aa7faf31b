package corpus

import (
	"context"
	"fmt"
)

// A corpus can feed more than one index: the embedded SQLite index (whose
// state is the documents.indexed_sha256 column) and external ones such as
// Elasticsearch. Each external target keeps its own record of which raw
// bytes of each document it holds, so that it is brought up to date
// independently ("what is new since the last Elasticsearch run").

const indexStateSchema = `
CREATE TABLE IF NOT EXISTS index_state (
	target TEXT NOT NULL, -- e.g. "elasticsearch:http://host:9200/scs"
	id     TEXT NOT NULL, -- document id
	sha256 TEXT NOT NULL, -- raw_sha256 of the document as indexed there
	PRIMARY KEY (target, id)
) WITHOUT ROWID;`

func (s *Store) ensureIndexState(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, indexStateSchema); err != nil {
		return fmt.Errorf("index state: %w", err)
	}
	return nil
}

// PendingFor returns the documents whose current state is not yet in the
// index target: parsed documents whose current bytes it does not hold
// (put), and failed documents it may still hold (delete), both ordered by
// source.
func (s *Store) PendingFor(ctx context.Context, target string) (put, del []Summary, err error) {
	if err := s.ensureIndexState(ctx); err != nil {
		return nil, nil, err
	}
	held := map[string]string{}
	rows, err := s.db.QueryContext(ctx, `SELECT id, sha256 FROM index_state WHERE target = ?`, target)
	if err != nil {
		return nil, nil, fmt.Errorf("index state %s: %w", target, err)
	}
	for rows.Next() {
		var id, h string
		if err := rows.Scan(&id, &h); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("index state %s: %w", target, err)
		}
		held[id] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("index state %s: %w", target, err)
	}
	all, err := s.List(ctx, All)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range all {
		h, ok := held[m.ID]
		switch {
		case m.Status == StatusParsed && h != m.RawHash:
			put = append(put, m)
		case m.Status == StatusFailed && ok && h != m.RawHash:
			del = append(del, m)
		}
	}
	return put, del, nil
}

// MarkIndexedIn records that target holds the document with these raw
// bytes (or, for a failed document, holds nothing of them).
func (s *Store) MarkIndexedIn(ctx context.Context, target, id, rawHash string) error {
	if err := s.ensureIndexState(ctx); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO index_state (target, id, sha256) VALUES (?, ?, ?)
		ON CONFLICT (target, id) DO UPDATE SET sha256 = excluded.sha256`, target, id, rawHash)
	if err != nil {
		return fmt.Errorf("index state %s %s: %w", target, id, err)
	}
	return nil
}

// ResetIndexState forgets what target holds, so that everything is pending
// for it again (after a rebuild into a new, empty index).
func (s *Store) ResetIndexState(ctx context.Context, target string) error {
	if err := s.ensureIndexState(ctx); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM index_state WHERE target = ?`, target); err != nil {
		return fmt.Errorf("index state %s: %w", target, err)
	}
	return nil
}
