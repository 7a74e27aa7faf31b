package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ledongthuc/pdf"

	"github.com/scs-project/scs/corpus"
)

// pdfExtractor reads the raw text of each page. It is the seam for a
// fallback chain: ledongthuc today; pdfium or pdftotext in a child process
// and OCR later, tried in turn when a backend fails or scores low.
type pdfExtractor interface {
	// Name is the Document.Extractor value, e.g. "pdf/ledongthuc".
	Name() string
	// Pages returns the raw text of each page read (at most its page cap)
	// and the document's page count. It must not panic.
	Pages(ctx context.Context, raw []byte) (pages []string, numPages int, err error)
}

// ledongthucPDF reads pages with github.com/ledongthuc/pdf, one
// Page(i).GetPlainText call per page: Reader.GetPlainText garbles merged
// files and Content()/GetTextByRow misplace text (research/libraries.md
// §2). Every library call runs under recover; one bad page is skipped.
type ledongthucPDF struct{ maxPages int }

func (ledongthucPDF) Name() string { return "pdf/ledongthuc" }

func (l ledongthucPDF) Pages(ctx context.Context, raw []byte) (pages []string, numPages int, err error) {
	var r *pdf.Reader
	if err := safely(func() error {
		var err error
		r, err = pdf.NewReader(bytes.NewReader(raw), int64(len(raw)))
		return err
	}); err != nil {
		return nil, 0, fmt.Errorf("open: %w", err)
	}
	if err := safely(func() error { numPages = r.NumPage(); return nil }); err != nil {
		return nil, 0, fmt.Errorf("page count: %w", err)
	}
	n := min(numPages, l.maxPages)
	var firstErr error
	bad := 0
	for i := 1; i <= n; i++ {
		if err := ctx.Err(); err != nil {
			return nil, numPages, err
		}
		var text string
		err := safely(func() error {
			p := r.Page(i)
			if p.V.IsNull() {
				return errors.New("missing page object")
			}
			var err error
			text, err = p.GetPlainText(nil)
			return err
		})
		if err != nil {
			bad++
			if firstErr == nil {
				firstErr = fmt.Errorf("page %d: %w", i, err)
			}
			text = ""
		}
		pages = append(pages, text)
	}
	if bad == n && firstErr != nil {
		return nil, numPages, firstErr
	}
	return pages, numPages, nil
}

// safely runs f, turning a panic into an error: ledongthuc panics on
// malformed streams and unsupported CMaps.
func safely(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("pdf library panic: %v", v)
		}
	}()
	return f()
}

func (e *Extractor) extractPDF(ctx context.Context, raw []byte, source string) (result, error) {
	res := result{extractor: e.pdf.Name()}
	pages, numPages, err := e.pdf.Pages(ctx, raw)
	if err != nil {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		return res, fmt.Errorf("pdf %s: %w", source, err)
	}
	if numPages == 0 {
		return res, fmt.Errorf("pdf %s: no pages found (broken or unsupported cross-reference table)", source)
	}
	if numPages > len(pages) {
		e.log.Warn("pdf page cap", "stage", "extract", "source", source, "pages", numPages, "read", len(pages))
	}
	res.text = cleanPages(pages)
	chars := len([]rune(strings.Join(strings.Fields(res.text), "")))
	if chars < 20*len(pages) && chars < 200 {
		// Pages but (almost) no text: an image-only scan.
		res.flags = []string{corpus.FlagScanned, corpus.FlagLowQuality}
		return res, fmt.Errorf("pdf %s: no text layer (%d characters on %d pages): scanned; needs OCR", source, chars, len(pages))
	}
	res.quality = quality(res.text)
	if res.quality < e.cfg.MinQuality {
		res.flags = []string{corpus.FlagLowQuality, corpus.FlagUnmappedFont}
		return res, fmt.Errorf("pdf %s: text layer unusable (quality %.2f): unmapped font; needs the extraction-quality fallback", source, res.quality)
	}
	return res, nil
}
