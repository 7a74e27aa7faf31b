package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/crawler"
)

// processFiles reads the files named by args (folders are walked), runs
// stage on each with the given number of workers, and calls emit for every
// document in argument order, failed ones included (marked with their
// error). A file that cannot be read becomes a failed document too. It
// returns the number of failed documents.
func processFiles(ctx context.Context, args []string, stage corpus.Stage, workers int, emit func(*corpus.Document)) (int, error) {
	local := crawler.NewLocal(crawler.LocalConfig{})
	files, err := local.Files(args)
	if err != nil {
		return 0, err
	}
	docs := make([]*corpus.Document, len(files))
	var mu sync.Mutex // guards docs, done, next, failed
	in := make(chan *corpus.Document)
	// Reader: files in order; unreadable ones are failed documents at once.
	go func() {
		defer close(in)
		for i, p := range files {
			d, err := local.Read(p)
			if err != nil {
				d = &corpus.Document{Source: p}
				d.SetError("read", fmt.Errorf("%w", err.(*crawler.FileError).Err))
			}
			d.ID = corpus.DocumentID(d.Source)
			mu.Lock()
			docs[i] = d
			mu.Unlock()
			select {
			case in <- d:
			case <-ctx.Done():
				return
			}
		}
	}()
	done := make(map[*corpus.Document]bool)
	next, failed := 0, 0
	r := &corpus.Runner{Stage: stage, Workers: workers, Sink: func(_ context.Context, d *corpus.Document) error {
		mu.Lock()
		defer mu.Unlock()
		done[d] = true
		// Emit every finished document at the front, in argument order.
		for next < len(docs) && docs[next] != nil && done[docs[next]] {
			if docs[next].Failed() {
				failed++
			}
			emit(docs[next])
			docs[next] = nil // release it
			next++
		}
		return nil
	}}
	err = r.Run(ctx, in)
	return failed, err
}
