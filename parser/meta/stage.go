package meta

import (
	"context"
	"io"
	"log/slog"

	"github.com/scs-project/scs/corpus"
)

// Config configures the metadata stage. The zero value is ready to use.
type Config struct {
	// Logger receives one debug line per document; nil discards.
	Logger *slog.Logger
}

// Stage is the metadata stage. It reads Document.Text and PageMeta and fills
// the empty fields of Document.Metadata (a value set before, e.g. by a
// source adapter, is kept). It holds no per-document state and is safe for
// concurrent use.
type Stage struct {
	log *slog.Logger
}

var _ corpus.Stage = (*Stage)(nil)

// New returns a metadata stage.
func New(cfg Config) *Stage {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Stage{log: log}
}

// Name returns "meta".
func (s *Stage) Name() string { return "meta" }

// Process fills d.Metadata.
func (s *Stage) Process(ctx context.Context, d *corpus.Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m := Extract(d.Text, d.PageMeta)
	md := &d.Metadata
	if md.Title == "" {
		md.Title = m.Title
	}
	if len(md.Issuers) == 0 {
		md.Issuers = m.Issuers
	}
	if md.DocNumber == "" {
		md.DocNumber = m.DocNumber
	}
	if md.Issued == "" {
		md.Issued = m.Issued
	}
	if md.Effective == "" {
		md.Effective = m.Effective
	}
	if md.Kind == "" {
		md.Kind = kindOf(simp().Convert(md.Title), md.Issuers, md.DocNumber)
		if md.Kind == "" && md.Title == "" {
			md.Kind = m.Kind // what Extract read in the body of an untitled text
		}
	}
	if md.Region == "" {
		md.Region = regionOf(simp().Simplify(md.Title), md.Issuers, md.Kind)
	}
	s.log.Debug("meta", "stage", s.Name(), "doc_id", d.ID, "kind", md.Kind, "title", md.Title)
	return nil
}
