// Package parser turns a document's raw bytes into tagged clauses. Its
// subpackages are the stages, each a corpus.Stage with one owner:
//
//   - extract: raw bytes (HTML, PDF, DOCX, text, Markdown) to clean text;
//   - meta: title, issuers, 文号, dates, kind and region;
//   - structure: text to the clauses of spec §3;
//   - segment: gse segmentation with the SCS domain dictionary;
//   - tag: rule-based tags, sanction categories and fields.
//
// New wires them into one chain in the order they depend on each other.
package parser
