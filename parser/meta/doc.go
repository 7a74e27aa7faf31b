// Package meta owns the document metadata of spec §2: title, issuers, 文号,
// issued and effective dates, kind and region. It normalises what a page
// states (PageMeta labels) and reads what the text states in its head
// (title, 文号 and publication lines) and tail (signature, 自…起施行).
//
// It never guesses: a field that neither source states stays empty, because
// an analyst filtering by kind or date must be able to trust a value. The
// date and numeral helpers (ParseDate, ChineseNumber) are exported for the
// tagger, which reads article numbers in legal-basis citations.
package meta
