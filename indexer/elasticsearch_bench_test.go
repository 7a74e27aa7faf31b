package indexer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// BenchmarkESIndex indexes the real corpus into a real node, in the same
// run two ways:
//
//   - indexer: Put of every document (segmentation, JSON, the stale-clause
//     lookup, esutil.BulkIndexer with its workers, the refresh);
//   - prepare: the client-side work of indexer alone;
//   - raw-bulk: the same clause and document bodies, serialised once
//     before the timer into one NDJSON stream, POSTed to _bulk with
//     net/http in 4 MB requests, then a refresh: the node's own limit.
//
// Both overwrite the same ids on every iteration, as a re-run does.
func BenchmarkESIndex(b *testing.B) {
	docs := realDocs(b)
	_, nclauses := corpusBytes(docs)
	b.Run("indexer", func(b *testing.B) {
		ix := openTestES(b, ElasticsearchConfig{})
		for b.Loop() {
			if err := ix.Put(b.Context(), docs...); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(nclauses*b.N)/b.Elapsed().Seconds(), "clauses/s")
	})
	// prepare is the client-side part of indexer alone (gse search-mode
	// segmentation, folding, JSON): no node involved.
	b.Run("prepare", func(b *testing.B) {
		ix := openTestES(b, ElasticsearchConfig{})
		for b.Loop() {
			for _, d := range docs {
				if _, err := ix.prepare(d, "2026-01-01T00:00:00Z"); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(nclauses*b.N)/b.Elapsed().Seconds(), "clauses/s")
	})
	b.Run("raw-bulk", func(b *testing.B) {
		ix := openTestES(b, ElasticsearchConfig{})
		url := strings.TrimRight(esURL(b), "/")
		var bodies [][]byte // NDJSON requests of about 4 MB
		var cur bytes.Buffer
		now := time.Now().UTC().Format(time.RFC3339)
		line := func(index, id string, body []byte) {
			meta, _ := json.Marshal(map[string]any{"index": map[string]string{"_index": index, "_id": id}})
			cur.Write(meta)
			cur.WriteByte('\n')
			cur.Write(body)
			cur.WriteByte('\n')
			if cur.Len() >= 4<<20 {
				bodies = append(bodies, bytes.Clone(cur.Bytes()))
				cur.Reset()
			}
		}
		for _, d := range docs {
			p, err := ix.prepare(d, now)
			if err != nil {
				b.Fatal(err)
			}
			line(ix.docsAlias, p.id, p.doc)
			for _, cid := range p.order {
				line(ix.clausesAlias, cid, p.clauses[cid])
			}
		}
		if cur.Len() > 0 {
			bodies = append(bodies, bytes.Clone(cur.Bytes()))
		}
		post := func(ctx context.Context, path, ctype string, body []byte) {
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+path, bytes.NewReader(body))
			req.Header.Set("Content-Type", ctype)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			out, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || bytes.Contains(out[:min(len(out), 64)], []byte(`"errors":true`)) {
				b.Fatalf("POST %s: %s %s", path, res.Status, truncateBytes(out, 300))
			}
		}
		for b.Loop() {
			for _, body := range bodies {
				post(b.Context(), "/_bulk", "application/x-ndjson", body)
			}
			post(b.Context(), fmt.Sprintf("/%s,%s/_refresh", ix.docsAlias, ix.clausesAlias), "application/json", nil)
		}
		b.ReportMetric(float64(nclauses*b.N)/b.Elapsed().Seconds(), "clauses/s")
	})
}
