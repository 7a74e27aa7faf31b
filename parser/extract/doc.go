// Package extract is the first parser stage: it turns a document's raw bytes
// (HTML, PDF, DOCX, plain text or Markdown) into clean UTF-8 text, one
// paragraph per line, plus what the page states about itself (PageMeta) and
// the attachments it links to.
//
// It owns format detection, charset decoding and the clean-up that every
// later stage relies on: no markup, no navigation, no page numbers or running
// headers, no hard line wraps inside paragraphs. It also owns the judgement
// whether a text layer is usable at all: a PDF whose fonts have no usable
// Unicode map yields garbage that looks like text, so the stage scores text
// quality and fails the document (with flags saying why) rather than pass
// garbage on to structure and tagging.
//
// PDF text comes from github.com/ledongthuc/pdf behind the internal
// pdfExtractor interface, so that a better backend (pdfium, pdftotext in a
// child process, OCR) can be chained in front of or behind it later.
package extract
