package corpus

import (
	"context"
	"runtime/debug"
)

// panicError is a recovered panic with its stack.
type panicError struct {
	msg   string
	stack []byte
}

func (e *panicError) Error() string { return e.msg }

// Stack returns the goroutine stack at the panic.
func (e *panicError) Stack() []byte { return e.stack }

// Stage processes one document in place. Process reads the fields that the
// earlier stages filled and writes its own (each implementation's doc comment
// says which). It must not keep references to d after returning.
//
// A returned error is a per-document failure: the runner records it on the
// document (SetError) and the batch goes on. Only a cancelled ctx stops a run.
// Implementations must be safe for concurrent use by several goroutines, each
// with its own document.
type Stage interface {
	Name() string
	Process(ctx context.Context, d *Document) error
}

// StageFunc adapts a plain function to a Stage.
type StageFunc struct {
	StageName string
	Fn        func(ctx context.Context, d *Document) error
}

// Name returns the stage name.
func (f StageFunc) Name() string { return f.StageName }

// Process calls f.Fn.
func (f StageFunc) Process(ctx context.Context, d *Document) error { return f.Fn(ctx, d) }

// RunStage runs s on d, converting a panic into a per-document error and
// recording any failure on d. It returns ctx.Err() if the context was
// cancelled, and nil otherwise: a document failure is data, not an error.
func RunStage(ctx context.Context, s Stage, d *Document) (err error) {
	if d.Failed() {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	defer func() {
		if v := recover(); v != nil {
			// The stack goes to the error's chain for debugging, not into
			// the message that reports and the failures table show.
			d.SetError(s.Name(), &panicError{msg: PanicError(s.Name(), v).Error(), stack: debug.Stack()})
			err = nil
		}
	}()
	if perr := s.Process(ctx, d); perr != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		d.SetError(s.Name(), perr)
	}
	return nil
}

// Chain runs stages in order as one Stage; it stops at the first failure.
type Chain []Stage

// Name returns "chain".
func (c Chain) Name() string { return "chain" }

// Process runs each stage on d through RunStage.
func (c Chain) Process(ctx context.Context, d *Document) error {
	for _, s := range c {
		if err := RunStage(ctx, s, d); err != nil {
			return err
		}
		if d.Failed() {
			return nil
		}
	}
	return nil
}

// Segmenter cuts Chinese text into words. The parser implements it with
// gse; the indexer uses it to segment queries exactly as the clauses were
// segmented. Implementations are safe for concurrent use.
type Segmenter interface {
	// Cut returns the precise segmentation of text, punctuation and white
	// space dropped. Joined, the tokens are the text without them.
	Cut(text string) []string
	// CutSearch returns the precise tokens plus the shorter dictionary words
	// inside long ones (search mode), for indexing.
	CutSearch(text string) []string
}
