package corpus

import (
	"context"
	"runtime"

	"golang.org/x/sync/errgroup"
)

// Runner pushes documents through a Stage with a bounded number of workers.
//
// Goroutines: Run starts Workers goroutines that each take a document from
// the input channel, run the stage on it, and pass it to Sink. The caller
// owns (and closes) the input channel; Run returns once it is drained and
// every Sink call has returned, or as soon as ctx is cancelled or Sink fails.
// Sink is called from the worker goroutines and must be safe for concurrent
// use (the store is). A failed document still reaches Sink, marked with its
// error, so it can be recorded and counted.
type Runner struct {
	Stage   Stage
	Workers int // default runtime.NumCPU()
	Sink    func(ctx context.Context, d *Document) error
}

// Run processes every document from in.
func (r *Runner) Run(ctx context.Context, in <-chan *Document) error {
	n := r.Workers
	if n <= 0 {
		n = runtime.NumCPU()
	}
	g, ctx := errgroup.WithContext(ctx)
	for range n {
		g.Go(func() error {
			for {
				var d *Document
				var ok bool
				select {
				case <-ctx.Done():
					return ctx.Err()
				case d, ok = <-in:
					if !ok {
						return nil
					}
				}
				if err := RunStage(ctx, r.Stage, d); err != nil {
					return err
				}
				if r.Sink != nil {
					if err := r.Sink(ctx, d); err != nil {
						return err
					}
				}
			}
		})
	}
	return g.Wait()
}
