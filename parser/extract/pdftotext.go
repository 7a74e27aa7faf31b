package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// pdftotextPDF reads pages with poppler's pdftotext in stream order
// (-raw), the second extractor of the chain. It decodes what ledongthuc
// cannot: Type 3 fonts with ToUnicode (Chromium with Noto CJK), the
// predefined Chinese CMaps of older producers (GBK-EUC-H, UniGB-UTF16-H,
// with poppler-data installed), text in Form XObjects and files whose
// trailer understates the xref (research/libraries.md §2). It runs as its
// own process under a timeout, so a hostile file cannot hang the batch.
type pdftotextPDF struct {
	path     string // the pdftotext binary
	timeout  time.Duration
	maxPages int
}

func (pdftotextPDF) Name() string { return "pdf/pdftotext" }

func (p pdftotextPDF) Pages(ctx context.Context, raw []byte) ([]string, int, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	args := []string{"-enc", "UTF-8", "-raw", "-q"}
	if p.maxPages > 0 {
		args = append(args, "-l", strconv.Itoa(p.maxPages))
	}
	cmd := exec.CommandContext(ctx, p.path, append(args, "-", "-")...)
	cmd.Stdin = bytes.NewReader(raw)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, 0, fmt.Errorf("pdftotext gave up after %s", p.timeout)
		}
		return nil, 0, ctx.Err()
	}
	if err != nil {
		msg := lastLine(stderr.String())
		if msg == "" {
			msg = "no message"
		}
		return nil, 0, fmt.Errorf("pdftotext: %v: %s", err, msg)
	}
	// Every page ends with a form feed, an empty page too.
	pages := strings.Split(out.String(), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	for i, pg := range pages {
		pages[i] = fixPDFToText(pg)
	}
	return pages, len(pages), nil
}

// cjkClass is a Han character or CJK punctuation.
const cjkClass = `\p{Han}|[，。、；：？！（）《》“”]`

var (
	// spaceNearHan finds the spaces pdftotext puts between CJK and Latin
	// letters or digits ("2021 年 8 月") and between CJK characters.
	spaceNearHan = regexp.MustCompile(`(` + cjkClass + `)[ \t]+(` + cjkClass + `|[0-9A-Za-z])|([0-9A-Za-z%])[ \t]+(` + cjkClass + `)`)
	// articleEnd is a heading label whose following space is a separator.
	articleEnd = regexp.MustCompile(`(?:第[一二三四五六七八九十百千零〇两\d]+[条章节编]|附件\d*|附则|总则)$`)
)

// fixPDFToText undoes pdftotext's habits: the full-width ASCII letters and
// digits that the GB CMaps map to (only letters and digits: NFKC would
// also turn ，：into ASCII), and spaces around CJK that the source did not
// have, except after an article label such as 第一条.
func fixPDFToText(s string) string {
	s = strings.Map(foldFullWidthAlnum, s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = closeCJKSpaces(l)
	}
	return strings.Join(lines, "\n")
}

func foldFullWidthAlnum(r rune) rune {
	switch {
	case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
		return r - 0xFEE0
	}
	return r
}

// closeCJKSpaces removes single spaces between CJK and anything but keeps
// the space after an article or chapter label.
func closeCJKSpaces(l string) string {
	if !strings.ContainsAny(l, " \t") {
		return l
	}
	l = strings.TrimLeftFunc(l, unicode.IsSpace)
	var b strings.Builder
	for {
		m := spaceNearHan.FindStringSubmatchIndex(l)
		if m == nil {
			b.WriteString(l)
			break
		}
		// Group 1/2 or 3/4 matched; the space lies between the groups.
		left, right := m[3], m[4]
		if m[2] < 0 {
			left, right = m[7], m[8]
		}
		if articleEnd.MatchString(b.String() + l[:left]) {
			b.WriteString(l[:right])
		} else {
			b.WriteString(l[:left])
		}
		l = l[right:]
	}
	return b.String()
}
