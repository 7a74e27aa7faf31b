// Package extract is the first parser stage: it turns a document's raw bytes
// (HTML, PDF, DOCX, OFD, legacy DOC/WPS through LibreOffice, plain text or
// Markdown) into clean UTF-8 text, one paragraph per line, plus what the
// page states about itself (PageMeta) and the attachments it links to.
//
// It owns format detection, charset decoding and the clean-up that every
// later stage relies on: no markup, no navigation, no page numbers or running
// headers, no hard line wraps inside paragraphs. It also owns the judgement
// whether a text layer is usable at all: a PDF whose fonts have no usable
// Unicode map yields garbage that looks like text, so the stage scores text
// quality and fails the document (with flags saying why) rather than pass
// garbage on to structure and tagging.
//
// PDF text comes from a fallback chain behind the pdfExtractor interface
// (pdf.go): github.com/ledongthuc/pdf first (pure Go, fastest; in a child
// process when configured), then poppler's pdftotext -raw when the first
// fails or scores low, then tesseract OCR for scans; each only when
// installed, the best by quality × coverage kept, and Document.Extractor
// says which one it was. go-pdfium's WebAssembly build was measured and
// left out: it reads nothing pdftotext does not, and costs 2.2 s of start-up
// and about 300 MB per instance plus 11 MB of binary (research/libraries.md §2).
package extract
