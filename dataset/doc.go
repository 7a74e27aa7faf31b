// Package dataset turns the corpus into tidy tables for other tools
// (pandas, R, DuckDB, Excel, Kibana): one table per entity (documents,
// attachments, clauses, tags, measures, measure_agencies, legal_bases,
// agencies, citations), stable ids throughout, written as JSON Lines, CSV
// or Parquet, with a Frictionless datapackage.json and a CODEBOOK.md.
//
// One Go table of column definitions (Tables) drives everything: the rows
// a document yields, every file format, the data package descriptor and
// the codebook, so they cannot disagree. Export streams: documents come
// one at a time from an iterator and rows go straight to the open table
// writers, so memory does not grow with the corpus. An export is written
// into a temporary directory beside its destination and renamed into
// place, so a reader never sees half a dataset.
//
// Stats computes the corpus counts of `scs stats` from the same rows.
package dataset
