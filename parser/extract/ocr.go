package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ocrPDF reads pages without a text layer (scans) with Debian's tesseract
// and its chi_sim data: pdftoppm renders each page at 300 dpi, tesseract
// reads it. It is the last extractor of the chain, used only when
// installed and only when no other extractor found a text layer, and the
// document says so: Extractor "pdf/tesseract".
type ocrPDF struct {
	tesseract, pdftoppm string
	timeout             time.Duration
	maxPages            int
}

func (ocrPDF) Name() string { return "pdf/tesseract" }

var (
	ocrLangsOnce sync.Map // tesseract path -> bool: has chi_sim
)

// newOCR returns the OCR extractor when tesseract with chi_sim and
// pdftoppm (beside pdftotext) are installed.
func newOCR(tesseract, pdftotext string, timeout time.Duration, maxPages int) (ocrPDF, bool) {
	if tesseract == "" || pdftotext == "" {
		return ocrPDF{}, false
	}
	pdftoppm := filepath.Join(filepath.Dir(pdftotext), "pdftoppm")
	if _, err := os.Stat(pdftoppm); err != nil {
		return ocrPDF{}, false
	}
	ok, seen := ocrLangsOnce.Load(tesseract)
	if !seen {
		out, _ := exec.Command(tesseract, "--list-langs").CombinedOutput()
		ok = bytes.Contains(out, []byte("chi_sim"))
		ocrLangsOnce.Store(tesseract, ok)
	}
	if !ok.(bool) {
		return ocrPDF{}, false
	}
	return ocrPDF{tesseract: tesseract, pdftoppm: pdftoppm, timeout: timeout, maxPages: maxPages}, true
}

func (o ocrPDF) Pages(ctx context.Context, raw []byte) ([]string, int, error) {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "scs-ocr-")
	if err != nil {
		return nil, 0, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, raw, 0o600); err != nil {
		return nil, 0, err
	}
	args := []string{"-r", "300", "-gray", "-png"}
	if o.maxPages > 0 {
		args = append(args, "-l", strconv.Itoa(o.maxPages))
	}
	if out, err := exec.CommandContext(ctx, o.pdftoppm, append(args, in, filepath.Join(dir, "p"))...).CombinedOutput(); err != nil {
		return nil, 0, o.fail(ctx, "pdftoppm", err, out)
	}
	imgs, _ := filepath.Glob(filepath.Join(dir, "p-*.png"))
	// pdftoppm pads page numbers to the width of the largest.
	sort.Strings(imgs)
	var pages []string
	for _, img := range imgs {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, o.tesseract, img, "stdout", "-l", "chi_sim", "--psm", "6")
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return nil, 0, o.fail(ctx, "tesseract", err, stderr.Bytes())
		}
		pages = append(pages, fixPDFToText(stdout.String()))
	}
	return pages, len(pages), nil
}

func (o ocrPDF) fail(ctx context.Context, tool string, err error, out []byte) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%s gave up after %s", tool, o.timeout)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("%s: %v: %s", tool, err, lastLine(strings.TrimSpace(string(out))))
}
