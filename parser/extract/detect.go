package extract

import (
	"archive/zip"
	"bytes"
	"mime"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"
)

type format int

const (
	formatUnknown format = iota
	formatHTML
	formatPDF
	formatDOCX
	formatText
	formatMarkdown
	formatOFD
	formatLegacyOffice // OLE2 .doc/.wps, read through a converter
)

func (f format) String() string {
	return [...]string{"unknown", "html", "pdf", "docx", "text", "markdown", "ofd", "doc"}[f]
}

// detect decides the format: bytes first (servers mislabel files, and local
// files have arbitrary names), then the content type, then the extension.
func detect(raw []byte, contentType, source string) format {
	sniffed := sniff(raw)
	if sniffed != formatText {
		return sniffed // a signature, or binary we cannot read
	}
	// Text has no signature: the label decides between HTML, Markdown and
	// plain text. A text body labelled PDF or DOCX goes to that reader,
	// which fails with a clear error instead of passing an error page on.
	declared := formatUnknown
	switch mediaType(contentType) {
	case "text/html", "application/xhtml+xml":
		declared = formatHTML
	case "application/pdf":
		declared = formatPDF
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
		declared = formatDOCX
	case "text/markdown":
		declared = formatMarkdown
	}
	if declared == formatUnknown {
		switch extOf(source) {
		case ".htm", ".html", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php":
			declared = formatHTML
		case ".pdf":
			declared = formatPDF
		case ".docx":
			declared = formatDOCX
		case ".md", ".markdown":
			declared = formatMarkdown
		}
	}
	if declared != formatUnknown {
		return declared
	}
	if looksMarkdown(raw) {
		return formatMarkdown
	}
	return formatText
}

var htmlSignatures = [][]byte{
	[]byte("<!doctype html"), []byte("<html"), []byte("<head"), []byte("<body"),
	[]byte("<p>"), []byte("<p "), []byte("<div"), []byte("<table"), []byte("<meta"),
	[]byte("<title"), []byte("<%@"), []byte("<br"), []byte("<span"), []byte("<h1"),
}

// sniff looks at the bytes only. It returns formatText for bytes that read
// as text (no signature of a binary format), formatUnknown for binary.
func sniff(raw []byte) format {
	head := raw
	if len(head) > 1024 {
		head = head[:1024]
	}
	if bytes.Contains(head, []byte("%PDF-")) {
		return formatPDF
	}
	if bytes.HasPrefix(raw, []byte("PK\x03\x04")) {
		if isDOCX(raw) {
			return formatDOCX
		}
		if hasZipMember(raw, "OFD.xml") {
			return formatOFD
		}
		return formatUnknown // xlsx, zip, odt, epub: not ours
	}
	if bytes.HasPrefix(raw, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		return formatLegacyOffice // .doc/.wps (or .xls, which the converter refuses)
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	lower := bytes.ToLower(trimmed)
	for _, sig := range htmlSignatures {
		if bytes.HasPrefix(lower, sig) {
			return formatHTML
		}
	}
	if bytes.HasPrefix(lower, []byte("<!--")) || bytes.HasPrefix(lower, []byte("<?xml")) {
		if bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<body")) {
			return formatHTML
		}
	}
	if looksText(raw) {
		return formatText
	}
	return formatUnknown
}

func hasZipMember(raw []byte, name string) bool {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if strings.EqualFold(strings.TrimPrefix(f.Name, "/"), name) {
			return true
		}
	}
	return false
}

func isDOCX(raw []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			return true
		}
	}
	return false
}

// looksText reports whether raw is plausibly text in UTF-8, UTF-16 or GB
// encodings: few control bytes in its first 4 KiB.
func looksText(raw []byte) bool {
	if bytes.HasPrefix(raw, []byte{0xFF, 0xFE}) || bytes.HasPrefix(raw, []byte{0xFE, 0xFF}) {
		return true
	}
	if e, _ := sniffUTF16(raw); e != nil {
		return true
	}
	head := raw
	if len(head) > 4096 {
		head = head[:4096]
		// Do not count a rune cut at the end as invalid.
		for i := 0; i < 3 && !utf8.Valid(head) && len(head) > 0; i++ {
			head = head[:len(head)-1]
		}
	}
	ctrl := 0
	for _, b := range head {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' {
			ctrl++
		}
	}
	return ctrl*100 <= len(head)
}

// looksMarkdown spots LawRefBook-style Markdown without an extension.
func looksMarkdown(raw []byte) bool {
	head := raw
	if len(head) > 2048 {
		head = head[:2048]
	}
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	return bytes.HasPrefix(head, []byte("# ")) || bytes.HasPrefix(head, []byte("---\n")) ||
		bytes.Contains(head, []byte("<!-- INFO END -->")) || bytes.Contains(head, []byte("\n## "))
}

func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	return mt
}

// extOf returns the lower-case extension of a URL path or file path.
func extOf(source string) string {
	p := source
	if u, err := url.Parse(source); err == nil && u.Scheme != "" && u.Host != "" {
		p = u.Path
	}
	return strings.ToLower(path.Ext(p))
}
