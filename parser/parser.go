package parser

import (
	"log/slog"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser/extract"
	"github.com/scs-project/scs/parser/meta"
	"github.com/scs-project/scs/parser/segment"
	"github.com/scs-project/scs/parser/structure"
	"github.com/scs-project/scs/parser/tag"
)

// Config configures the parser stages. The zero value is usable.
type Config struct {
	Logger *slog.Logger // nil discards logs
	// PDFChild is the argv that starts a PDF child process (scs
	// re-executing itself), so a hostile PDF cannot hang or crash the
	// batch; empty parses PDFs in-process. See extract.ChildConfig.
	PDFChild []string
}

// Parser holds the stages, built once per process: the segmenter and the
// rules are loaded at construction (about a second and 130 MB for gse's
// dictionary) and never mutated after, so one Parser serves every worker.
type Parser struct {
	seg   *segment.Segmenter
	chain corpus.Chain
}

// NewExtractor returns the stages that need no dictionary: extract, then
// meta. It is what `scs extract` runs.
func NewExtractor(cfg Config) corpus.Chain {
	return corpus.Chain{
		extract.New(extract.Config{Logger: cfg.Logger, Child: extract.ChildConfig{Command: cfg.PDFChild}}),
		meta.New(meta.Config{}),
	}
}

// New loads the segmenter and the tag rules and returns the full parser.
func New(cfg Config) (*Parser, error) {
	seg, err := segment.Default()
	if err != nil {
		return nil, err
	}
	tagger, err := tag.Default()
	if err != nil {
		return nil, err
	}
	chain := append(NewExtractor(cfg),
		structure.New(structure.Config{}),
		segment.NewStage(seg),
		tag.NewStage(tagger),
	)
	return &Parser{seg: seg, chain: chain}, nil
}

// Chain returns every stage in order: extract, meta, structure, segment, tag.
func (p *Parser) Chain() corpus.Chain { return p.chain }

// Segmenter returns the segmenter the clauses were cut with, for the index
// to segment queries the same way.
func (p *Parser) Segmenter() corpus.Segmenter { return p.seg }
