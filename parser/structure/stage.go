package structure

import (
	"context"
	"io"
	"log/slog"

	"github.com/scs-project/scs/corpus"
)

// Config configures the structure stage. The zero value is ready to use.
type Config struct {
	// Logger receives one debug line per document; nil discards.
	Logger *slog.Logger
}

// Stage is the structure stage. It reads Document.Text, Document.ID and the
// title (Metadata.Title, else PageMeta["title"]) and replaces
// Document.Clauses. A document without text gets no clauses and no error:
// extract has already flagged it. Stage holds no per-document state and is
// safe for concurrent use.
type Stage struct {
	log *slog.Logger
}

var _ corpus.Stage = (*Stage)(nil)

// New returns a structure stage.
func New(cfg Config) *Stage {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Stage{log: log}
}

// Name returns "structure".
func (s *Stage) Name() string { return "structure" }

// Process fills d.Clauses from d.Text.
func (s *Stage) Process(ctx context.Context, d *corpus.Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	title := d.Title
	if title == "" {
		title = d.PageMeta["title"]
	}
	d.Clauses = Parse(d.ID, d.Text, title)
	s.log.Debug("structure", "stage", s.Name(), "doc_id", d.ID, "clauses", len(d.Clauses))
	return nil
}
