package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

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
	if bad > 0 {
		return pages, numPages, &partialError{bad: bad, first: firstErr}
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

// goodQuality is the text-quality score at which the first extractor's
// text is taken without asking a fallback: correct text scores 0.97–1.0,
// a wrong CMap or a Type 3 font well under 0.5.
const goodQuality = 0.9

// pdfAttempt is one extractor's text and the stage's judgement of it.
type pdfAttempt struct {
	res     result
	err     error
	chars   int  // non-space characters of the cleaned text
	partial bool // some pages could not be read
	empty   int  // pages without text
	// flat says the extractor gave (almost) no line breaks, as
	// ledongthuc does for producers that move lines with Td (cairo):
	// headers, footers and paragraphs cannot be told apart.
	flat bool
}

// good reports whether the attempt needs no second opinion.
func (a pdfAttempt) good() bool {
	return a.err == nil && !a.partial && !a.flat && a.empty == 0 && a.res.quality >= goodQuality
}

// extractPDF runs the fallback chain: the first extractor (ledongthuc,
// fast and pure Go), and when it fails, panics, times out, finds no pages
// or text, loses pages or scores low, each fallback in turn (pdftotext,
// then OCR for pages without a text layer) until one is good. The best
// result by quality times coverage wins; the first extractor wins ties.
func (e *Extractor) extractPDF(ctx context.Context, raw []byte, source string) (result, error) {
	attempts := []pdfAttempt{e.tryPDF(ctx, e.pdf, raw, source)}
	if ctx.Err() != nil {
		return attempts[0].res, ctx.Err()
	}
	for _, fb := range e.fallbacks {
		if attempts[0].good() || bestAttempt(attempts).good() {
			break
		}
		if _, isOCR := fb.(ocrPDF); isOCR && !scannedOnly(attempts) {
			continue // OCR is for missing text layers, not for bad fonts
		}
		a := e.tryPDF(ctx, fb, raw, source)
		if ctx.Err() != nil {
			return a.res, ctx.Err()
		}
		e.log.Debug("pdf fallback", "stage", "extract", "source", source, "extractor", fb.Name(),
			"quality", a.res.quality, "chars", a.chars, "err", a.err)
		attempts = append(attempts, a)
	}
	best := bestAttempt(attempts)
	if best.err == nil {
		if best.res.extractor != attempts[0].res.extractor {
			e.log.Info("pdf fallback used", "stage", "extract", "source", source, "extractor", best.res.extractor,
				"quality", best.res.quality, "first", attempts[0].res.extractor, "first_quality", attempts[0].res.quality,
				"first_error", attempts[0].err)
		}
		return best.res, nil
	}
	// Every extractor failed: report the first one's judgement (its flags
	// say why) and what each fallback said.
	err := attempts[0].err
	for _, a := range attempts[1:] {
		err = fmt.Errorf("%w; %s: %s", err, a.res.extractor, strings.TrimPrefix(a.err.Error(), "pdf "+source+": "))
	}
	return attempts[0].res, err
}

// bestAttempt returns the successful attempt with the highest quality ×
// coverage (its characters against the most any attempt found); a later
// one must beat an earlier one by more than 0.01. With no success it
// returns the first attempt.
func bestAttempt(attempts []pdfAttempt) pdfAttempt {
	most := 0
	for _, a := range attempts {
		if a.err == nil {
			most = max(most, a.chars)
		}
	}
	best, bestScore := -1, 0.0
	for i, a := range attempts {
		if a.err != nil || most == 0 {
			continue
		}
		score := a.res.quality * float64(a.chars) / float64(most)
		if a.flat {
			score *= 0.9
		}
		if best < 0 || score > bestScore+0.01 {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return attempts[0]
	}
	return attempts[best]
}

// scannedOnly reports whether no attempt found a text layer.
func scannedOnly(attempts []pdfAttempt) bool {
	for _, a := range attempts {
		if !hasFlag(a.res.flags, corpus.FlagScanned) {
			return false
		}
	}
	return true
}

func hasFlag(flags []string, f string) bool {
	for _, g := range flags {
		if g == f {
			return true
		}
	}
	return false
}

// partialError says that some pages of a document could not be read; the
// pages returned with it are usable.
type partialError struct {
	bad   int
	first error
}

func (p *partialError) Error() string {
	if p.bad == 0 {
		return p.first.Error() // from a child, which counted already
	}
	return fmt.Sprintf("%d pages unreadable, first: %v", p.bad, p.first)
}

// tryPDF runs one extractor and judges its text.
func (e *Extractor) tryPDF(ctx context.Context, x pdfExtractor, raw []byte, source string) (a pdfAttempt) {
	a.res.extractor = x.Name()
	pages, numPages, err := x.Pages(ctx, raw)
	var partial *partialError
	if errors.As(err, &partial) && len(pages) > 0 {
		a.partial = true
		e.log.Warn("pdf pages unreadable", "stage", "extract", "source", source, "extractor", x.Name(), "err", err)
		err = nil
	}
	if err != nil {
		if ctx.Err() != nil {
			a.err = ctx.Err()
			return a
		}
		a.err = fmt.Errorf("pdf %s: %w", source, err)
		return a
	}
	if numPages == 0 {
		a.err = fmt.Errorf("pdf %s: no pages found (broken or unsupported cross-reference table)", source)
		return a
	}
	if numPages > len(pages) {
		e.log.Warn("pdf page cap", "stage", "extract", "source", source, "pages", numPages, "read", len(pages))
	}
	// No printed line holds 100 characters; when most text sits in such
	// "lines", the extractor lost the line breaks.
	runes, long := 0, 0
	for _, p := range pages {
		if len(strings.Fields(p)) == 0 {
			a.empty++
		}
		for _, l := range strings.Split(p, "\n") {
			n := utf8.RuneCountInString(l)
			runes += n
			if n > 100 {
				long += n
			}
		}
	}
	a.flat = runes > 500 && long > runes/2
	text := cleanPages(pages)
	a.chars = len([]rune(strings.Join(strings.Fields(text), "")))
	if a.chars < 20*len(pages) && a.chars < 200 {
		// Pages but (almost) no text: an image-only scan.
		a.res.flags = []string{corpus.FlagScanned, corpus.FlagLowQuality}
		a.err = fmt.Errorf("pdf %s: no text layer (%d characters on %d pages): scanned; needs OCR", source, a.chars, len(pages))
		return a
	}
	a.res.quality = quality(text)
	if a.res.quality < e.cfg.MinQuality {
		a.res.flags = []string{corpus.FlagLowQuality, corpus.FlagUnmappedFont}
		a.err = fmt.Errorf("pdf %s: text layer unusable (quality %.2f): unmapped font", source, a.res.quality)
		return a
	}
	a.res.text = text
	return a
}
