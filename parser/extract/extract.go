package extract

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/scs-project/scs/corpus"
)

// Config configures an Extractor. The zero value means the defaults.
type Config struct {
	// MaxPages caps the PDF pages read per document (default 2000): a
	// gazette issue is a few hundred pages, anything larger is a merged
	// archive or a hostile file.
	MaxPages int
	// MaxBytes caps the input size and the uncompressed size of a DOCX
	// part (default 64 MiB), which guards against zip bombs.
	MaxBytes int64
	// MinQuality is the text-quality score below which a text layer is
	// rejected as unusable (default 0.6, see quality.go).
	MinQuality float64
	// Child, when its Command is set, parses PDFs in a child process with
	// a time and memory limit (see ChildConfig).
	Child ChildConfig
	// PDFToText is the poppler pdftotext binary, the fallback when
	// ledongthuc fails or scores low: "" looks it up on PATH, "off" turns
	// the fallback off.
	PDFToText string
	// Tesseract is the tesseract binary for OCR of pages without a text
	// layer (it needs pdftoppm beside pdftotext and the chi_sim data):
	// "" looks it up on PATH, "off" turns OCR off.
	Tesseract string
	// Soffice is LibreOffice's soffice, which converts legacy .doc and
	// WPS files to DOCX: "" looks it up on PATH, "off" turns it off (such
	// files then fail as unsupported).
	Soffice string
	// Logger receives per-document decisions (charset, extractor); nil
	// discards them.
	Logger *slog.Logger
}

// Extractor is the extract stage. It reads Document.Raw, ContentType and
// Source, and writes Text, Extractor, Quality, Flags, Attachments and
// PageMeta. It keeps no reference to the document and is safe for
// concurrent use.
type Extractor struct {
	cfg Config
	log *slog.Logger
	pdf pdfExtractor
	// fallbacks are tried in turn when pdf fails or scores low.
	fallbacks []pdfExtractor
	soffice   string // "" when not installed
}

var _ corpus.Stage = (*Extractor)(nil)

// New returns an Extractor with cfg's zero fields set to their defaults.
func New(cfg Config) *Extractor {
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = 2000
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 64 << 20
	}
	if cfg.MinQuality <= 0 {
		cfg.MinQuality = 0.6
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var pdf pdfExtractor = ledongthucPDF{maxPages: cfg.MaxPages}
	if len(cfg.Child.Command) > 0 {
		if cfg.Child.Timeout <= 0 {
			cfg.Child.Timeout = 2 * time.Minute
		}
		if cfg.Child.MemoryBytes <= 0 {
			cfg.Child.MemoryBytes = 2 << 30
		}
		pdf = childPDF{inner: pdf, cfg: cfg.Child, maxPages: cfg.MaxPages}
	}
	timeout := cfg.Child.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	var fallbacks []pdfExtractor
	pdftotext := lookTool(cfg.PDFToText, "pdftotext")
	if pdftotext != "" {
		fallbacks = append(fallbacks, pdftotextPDF{path: pdftotext, timeout: timeout, maxPages: cfg.MaxPages})
	}
	if ocr, ok := newOCR(lookTool(cfg.Tesseract, "tesseract"), pdftotext, timeout, cfg.MaxPages); ok {
		fallbacks = append(fallbacks, ocr)
	}
	return &Extractor{cfg: cfg, log: log, pdf: pdf, fallbacks: fallbacks, soffice: lookTool(cfg.Soffice, "soffice")}
}

// Name returns "extract".
func (e *Extractor) Name() string { return "extract" }

// Process extracts d; it is Extract under the corpus.Stage name.
func (e *Extractor) Process(ctx context.Context, d *corpus.Document) error {
	return e.Extract(ctx, d)
}

// Extract detects d's format and fills its text fields. A document that
// cannot be read (unsupported format, broken file, unusable text layer)
// gets an error naming its source; flags and quality are still set when
// they explain the failure. A panic in a parser library is recovered and
// returned as an error.
func (e *Extractor) Extract(ctx context.Context, d *corpus.Document) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("extract %s: %w", d.Source, corpus.PanicError("extract", v))
		}
	}()
	if int64(len(d.Raw)) > e.cfg.MaxBytes {
		return fmt.Errorf("extract %s: input of %d bytes exceeds the %d-byte limit", d.Source, len(d.Raw), e.cfg.MaxBytes)
	}
	if len(d.Raw) == 0 {
		return fmt.Errorf("extract %s: empty input", d.Source)
	}
	f := detect(d.Raw, d.ContentType, d.Source)
	e.log.Debug("extract", "stage", "extract", "source", d.Source, "format", f.String(), "bytes", len(d.Raw))
	var res result
	switch f {
	case formatHTML:
		res, err = e.extractHTML(d.Raw, d.ContentType, d.Source)
	case formatPDF:
		res, err = e.extractPDF(ctx, d.Raw, d.Source)
	case formatDOCX:
		res, err = e.extractDOCX(d.Raw, d.Source)
	case formatOFD:
		res, err = e.extractOFD(d.Raw, d.Source)
	case formatLegacyOffice:
		res, err = e.extractLegacyOffice(ctx, d.Raw, d.Source)
	case formatText, formatMarkdown:
		res, err = e.extractText(d.Raw, d.Source, f == formatMarkdown)
	default:
		return fmt.Errorf("extract %s: %w (content type %q, no known signature)", d.Source, corpus.ErrUnsupported, d.ContentType)
	}
	// Flags and quality explain a failure too, so they are kept either way.
	d.Flags = appendFlags(d.Flags, res.flags...)
	d.Quality = res.quality
	if err != nil {
		return err
	}
	d.Text = res.text
	if t, n := stripPinyinGlosses(d.Text); n > 0 {
		d.Text = t
		d.Flags = appendFlags(d.Flags, "pinyin-glosses-removed")
	}
	d.Extractor = res.extractor
	d.Attachments = res.attachments
	if len(res.meta) > 0 {
		if d.PageMeta == nil {
			d.PageMeta = make(map[string]string, len(res.meta))
		}
		for k, v := range res.meta {
			if _, ok := d.PageMeta[k]; !ok {
				d.PageMeta[k] = v
			}
		}
	}
	return nil
}

// result is what one format extractor produces.
type result struct {
	text        string
	extractor   string
	quality     float64
	flags       []string
	attachments []corpus.Link
	meta        map[string]string
}

func appendFlags(have []string, add ...string) []string {
	for _, f := range add {
		dup := false
		for _, h := range have {
			if h == f {
				dup = true
				break
			}
		}
		if !dup {
			have = append(have, f)
		}
	}
	return have
}

// lookTool resolves a configured external tool: "off" disables it, a path
// is used as given, "" finds name on PATH.
func lookTool(configured, name string) string {
	switch configured {
	case "off":
		return ""
	case "":
		p, err := exec.LookPath(name)
		if err != nil {
			return ""
		}
		return p
	}
	return configured
}

// pinyinGloss is a tone-marked pinyin syllable in parentheses right after a
// Han character: 發(fā), 關(guān). Some converters and reposting sites leave
// one after many characters of a traditional-character text; they are
// noise that splits words (主體(tǐ)激勵), not content. An untoned (a) or an
// English word in parentheses is kept.
var pinyinGloss = regexp.MustCompile(`(\p{Han})[(（] ?[a-zü]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,5} ?[)）]`)

// stripPinyinGlosses removes pinyin glosses from s and reports how many.
func stripPinyinGlosses(s string) (string, int) {
	n := 0
	out := pinyinGloss.ReplaceAllStringFunc(s, func(m string) string {
		n++
		_, size := utf8.DecodeRuneInString(m)
		return m[:size]
	})
	return out, n
}
