// Package corpus owns the one document model that flows through every stage
// of scs (crawl or ingest, extract, structure, segment, tag, index), the
// contracts those stages implement, the runner that drives them, and the
// on-disk store where the stages meet.
//
// It is the leaf of the dependency graph: crawler, parser and indexer import
// corpus and never each other, so any stage can be rerun, tested or
// benchmarked alone against documents read back from the store.
//
// The package also embeds the data the pipeline reads: the SCS domain
// dictionary for segmentation, the tagging rules and the agency aliases
// (see data/). They are data, not code, so an analyst can read and review
// them without reading Go.
package corpus
