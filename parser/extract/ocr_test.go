package extract

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
)

// scannedPDF renders page 1 of a PDF fixture with pdftoppm and wraps the
// picture in an image-only PDF, as a scanner would: no text layer at all.
func scannedPDF(t *testing.T, fixture string) []byte {
	t.Helper()
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Skip("pdftoppm not installed (poppler-utils): cannot make a scan")
	}
	dir := t.TempDir()
	if out, err := exec.Command(bin, "-r", "200", "-gray", "-png", "-f", "1", "-l", "1", fixture, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	if len(pngs) != 1 {
		t.Fatalf("pdftoppm made %d images", len(pngs))
	}
	f, err := os.Open(pngs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// One component, as /DeviceGray says: jpeg writes grey only from *image.Gray.
	gray := image.NewGray(img.Bounds())
	draw.Draw(gray, gray.Bounds(), img, img.Bounds().Min, draw.Src)
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, gray, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	pw, ph := float64(w)*72/200, float64(h)*72/200
	var b bytes.Buffer
	var offs []int
	obj := func(body string, stream []byte) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s", len(offs), body)
		if stream != nil {
			b.WriteString("\nstream\n")
			b.Write(stream)
			b.WriteString("\nendstream")
		}
		b.WriteString("\nendobj\n")
	}
	b.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", nil)
	obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>", pw, ph), nil)
	obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>", w, h, jpg.Len()), jpg.Bytes())
	content := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", pw, ph)
	obj(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content))
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// A scan has no text layer: without OCR it fails flagged "scanned"; with
// tesseract and chi_sim installed it is read by OCR, and says so.
func TestScannedPDF(t *testing.T) {
	raw := scannedPDF(t, "testdata/memorandum.pdf")
	d := &corpus.Document{Source: "scan.pdf", Raw: raw}
	err := New(Config{Tesseract: "off"}).Extract(t.Context(), d)
	if err == nil || !strings.Contains(err.Error(), "scanned") || !strings.Contains(err.Error(), "scan.pdf") {
		t.Errorf("without OCR: error = %v; want one naming scan.pdf and saying scanned", err)
	}
	if !hasFlag(d.Flags, corpus.FlagScanned) || d.Text != "" {
		t.Errorf("without OCR: Flags %v, Text %.40q; want scanned and no text", d.Flags, d.Text)
	}
	x := New(Config{})
	ocr := false
	for _, fb := range x.fallbacks {
		_, ok := fb.(ocrPDF)
		ocr = ocr || ok
	}
	if !ocr {
		t.Skip("tesseract with chi_sim not installed: OCR not tested")
	}
	d = &corpus.Document{Source: "scan.pdf", Raw: raw}
	if err := x.Extract(t.Context(), d); err != nil {
		t.Fatalf("with OCR: %v", err)
	}
	ref := string(readFile(t, "testdata/memorandum.ref.txt"))
	// Page 1 only: compare with the reference cut to the OCR text's length.
	r := []rune(squash(ref))
	n := min(len(r), len([]rune(squash(d.Text))))
	acc := charAccuracy(d.Text, string(r[:n]))
	t.Logf("OCR of a 200 dpi scan: character accuracy %.4f on page 1, quality %.3f", acc, d.Quality)
	if d.Extractor != "pdf/tesseract" || acc < 0.9 {
		t.Errorf("Extractor %q, accuracy %.4f; want pdf/tesseract, >= 0.9", d.Extractor, acc)
	}
}
