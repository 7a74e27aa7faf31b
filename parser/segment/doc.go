// Package segment cuts clause text into words with gse, for clause tokens,
// queries and the full-text index.
//
// It owns the one piece of gse configuration the project relies on: which
// dictionaries are loaded and in what order (the SCS domain dictionary of
// corpus.DomainDict first, so that 失信被执行人 or 联合惩戒 stay whole, then
// an embedded gzipped copy of gse's simplified-Chinese dictionary), and how
// tokens are post-processed (punctuation and space dropped, the original
// case of Latin letters kept). Nothing is read from disk at run time and no
// build tag is needed.
//
// gse has process-wide state: its HMM model lives in package maps that every
// load rewrites, which crashes a process that loads a segmenter while another
// cuts with HMM. This package never uses HMM (NotLoadHMM is set before the
// first load), never mutates a Segmenter after New returns, and never
// touches gse.ToLower: original case is restored from byte offsets instead.
package segment
