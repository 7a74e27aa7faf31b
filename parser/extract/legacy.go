package extract

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/scs-project/scs/corpus"
)

// extractLegacyOffice reads legacy binary Word (.doc) and WPS files (OLE2
// compound documents) by converting them to DOCX with LibreOffice
// (soffice --headless --convert-to docx) when it is installed, then
// reading the DOCX. LibreOffice is the converter because it is maintained,
// packaged by Debian, and reads Word 97–2003 with its numbering, tables
// and Chinese text, and Kingsoft WPS files saved in that format; antiword
// and catdoc are unmaintained since the 2000s and lose numbering and
// tables. Without soffice the document fails as unsupported, saying what
// to install.
func (e *Extractor) extractLegacyOffice(ctx context.Context, raw []byte, source string) (result, error) {
	res := result{extractor: "doc/soffice"}
	if e.soffice == "" {
		return res, fmt.Errorf("doc %s: %w: legacy Word/WPS (OLE2) files are read through LibreOffice, and soffice is not installed (Debian: libreoffice-writer-nogui)", source, corpus.ErrUnsupported)
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout())
	defer cancel()
	dir, err := os.MkdirTemp("", "scs-doc-")
	if err != nil {
		return res, fmt.Errorf("doc %s: %w", source, err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.doc")
	if err := os.WriteFile(in, raw, 0o600); err != nil {
		return res, fmt.Errorf("doc %s: %w", source, err)
	}
	// A profile of its own lets conversions run side by side and leaves
	// the user's LibreOffice alone.
	cmd := exec.CommandContext(ctx, e.soffice, "--headless", "--norestore", "--nolockcheck",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "docx:MS Word 2007 XML", "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return res, fmt.Errorf("doc %s: soffice gave up after %s", source, e.timeout())
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	docx, rerr := os.ReadFile(filepath.Join(dir, "in.docx"))
	if err != nil || rerr != nil {
		msg := lastLine(strings.TrimSpace(string(out)))
		if err == nil {
			err = rerr
		}
		return res, fmt.Errorf("doc %s: soffice could not convert it (%v): %s", source, err, msg)
	}
	r, err := e.extractDOCX(docx, source)
	r.extractor = res.extractor
	return r, err
}

// timeout bounds one external tool run.
func (e *Extractor) timeout() time.Duration {
	if e.cfg.Child.Timeout > 0 {
		return e.cfg.Child.Timeout
	}
	return 2 * time.Minute
}
