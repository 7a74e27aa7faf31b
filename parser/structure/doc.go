// Package structure owns the clause structure of spec §3: it cuts a
// document's clean text into clauses (articles, paragraphs, items and
// sub-items of regulations; numbered units and paragraphs of policy documents
// and MOUs) and gives each a path such as 第二章/第九条/第2款/（一） or
// 三/（一）/1.
//
// The path is the clause's citation and the source of its stable ID, so the
// rules here are deliberately literal: a path segment is the marker as
// written (numerals are not converted), 第N款 appears only when an article
// has more than one paragraph, and headings (编/章/节 titles and bare numbered
// headings) go into the path and Clause.Headings but are never clauses.
// Everything is line based: extract guarantees one paragraph per line.
//
// Parse is a pure function; Stage adapts it to corpus.Stage.
package structure
