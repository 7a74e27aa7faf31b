package indexer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/elastic/go-elasticsearch/v8/esutil"
)

// bulkOp is one bulk action, kept as plain data so that a retry builds a
// fresh esutil.BulkIndexerItem: re-adding the item a callback received
// writes its action line twice (research/libraries.md §4).
type bulkOp struct {
	action, index, id string
	docID, source     string // for failure reports
	body              []byte // nil for delete
	attempts          int
}

// bulk collects the operations of one Put or Delete and runs them with
// esutil.BulkIndexer in rounds: the items Elasticsearch rejects with 429 or
// 5xx inside a 200 answer (the bulk indexer does not retry those) are
// collected by the failure callback and sent again in a new bulk indexer
// after a backoff. Callbacks never call Add, so they cannot deadlock on
// the indexer's own queue, and no Add can follow a Close. Whole-request
// 429s and 5xx are retried by the client transport (NewElasticsearchClient).
type bulk struct {
	e   *Elasticsearch
	ops []bulkOp

	mu        sync.Mutex
	retry     []bulkOp
	failures  []ItemFailure
	transport error // the cluster could not be reached: the call fails
	stats     esutil.BulkIndexerStats
	retried   int
}

func (e *Elasticsearch) newBulk() *bulk { return &bulk{e: e} }

func (b *bulk) add(op bulkOp) { b.ops = append(b.ops, op) }

// run sends every operation; it returns the items that failed for good,
// or an error when the cluster could not be reached or ctx ended.
func (b *bulk) run(ctx context.Context) ([]ItemFailure, error) {
	ops := b.ops
	for round := 0; len(ops) > 0; round++ {
		if round > 0 {
			b.retried += len(ops)
			select {
			case <-time.After(backoff(round)):
			case <-ctx.Done():
				return b.failures, ctx.Err()
			}
		}
		if err := b.round(ctx, ops); err != nil {
			return b.failures, err
		}
		b.mu.Lock()
		ops, b.retry = b.retry, nil
		terr := b.transport
		b.mu.Unlock()
		if terr != nil {
			return b.failures, terr
		}
	}
	return b.failures, nil
}

func (b *bulk) round(ctx context.Context, ops []bulkOp) error {
	bi, err := esutil.NewBulkIndexer(esutil.BulkIndexerConfig{
		Client:     b.e.es,
		NumWorkers: b.e.cfg.Workers,
		FlushBytes: b.e.cfg.FlushBytes,
		OnError: func(_ context.Context, err error) {
			b.mu.Lock()
			if b.transport == nil {
				b.transport = err
			}
			b.mu.Unlock()
		},
	})
	if err != nil {
		return err
	}
	var addErr error
	for _, op := range ops {
		op := op
		item := esutil.BulkIndexerItem{Action: op.action, Index: op.index, DocumentID: op.id,
			OnFailure: func(_ context.Context, _ esutil.BulkIndexerItem, res esutil.BulkIndexerResponseItem, err error) {
				b.failed(op, res, err)
			}}
		if op.body != nil {
			item.Body = bytes.NewReader(op.body)
		}
		if addErr = bi.Add(ctx, item); addErr != nil {
			break
		}
	}
	closeErr := bi.Close(context.WithoutCancel(ctx))
	st := bi.Stats()
	b.stats.NumAdded += st.NumAdded
	b.stats.NumIndexed += st.NumIndexed
	b.stats.NumDeleted += st.NumDeleted
	b.stats.NumFailed += st.NumFailed
	b.stats.NumRequests += st.NumRequests
	b.stats.FlushedBytes += st.FlushedBytes
	return errors.Join(addErr, closeErr)
}

// failed sorts out one failed item: a missing document to delete is no
// failure, 429 and 5xx are retried, the rest is recorded with its reason.
func (b *bulk) failed(op bulkOp, res esutil.BulkIndexerResponseItem, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	op.attempts++
	switch {
	case err == nil && op.action == "delete" && res.Status == 404:
		return
	case err == nil && (res.Status == 429 || res.Status >= 500) && op.attempts <= b.e.cfg.ItemRetries:
		b.retry = append(b.retry, op)
		return
	}
	reason := ""
	if err != nil {
		reason = err.Error()
		if b.transport == nil {
			b.transport = err
		}
	} else {
		// Elasticsearch quotes a preview of the offending value: keep
		// the report readable, and the cause in it.
		reason = res.Error.Type + ": " + truncateBytes([]byte(res.Error.Reason), 240)
		if res.Error.Cause.Reason != "" {
			reason += " (caused by " + res.Error.Cause.Type + ": " + truncateBytes([]byte(res.Error.Cause.Reason), 240) + ")"
		}
	}
	b.failures = append(b.failures, ItemFailure{DocID: op.docID, Source: op.source, ItemID: op.id, Index: op.index,
		Action: op.action, Status: res.Status, Reason: reason, Attempts: op.attempts})
}

// finish runs b, refreshes the written indices, and reports.
func (e *Elasticsearch) finish(ctx context.Context, b *bulk, what string) error {
	failures, err := b.run(ctx)
	if err != nil {
		return fmt.Errorf("elasticsearch %s: %w", what, err)
	}
	if !e.cfg.NoRefresh {
		if err := e.refresh(ctx, e.docsTarget, e.clausesTarget); err != nil {
			return fmt.Errorf("elasticsearch %s: %w", what, err)
		}
	}
	e.log.Debug("elasticsearch bulk", "what", what, "items", len(b.ops), "indexed", b.stats.NumIndexed,
		"deleted", b.stats.NumDeleted, "failed", len(failures), "requests", b.stats.NumRequests, "retried_items", b.retried)
	if len(failures) > 0 {
		return &BulkError{Failures: failures}
	}
	return nil
}
