// Package indexer makes parsed clauses searchable. Index is the interface
// the CLI uses; SQLite (FTS5, embedded, the default) implements it here, and
// Elasticsearch is the second implementation for analysts at scale.
//
// # The SQLite index
//
// Analysts expect a search box to find every clause that contains what they
// typed, and FTS5 alone cannot promise that for Chinese: modernc's SQLite
// has no custom-tokenizer API, so clause text is segmented by gse before it
// reaches FTS5, and gse keeps domain terms whole (失信被执行人 is one token,
// so a token index does not find 被执行人 in it; see research/libraries.md
// §5). The index therefore separates recall from ranking:
//
//   - Recall is substring matching on the clause text. A clause is a hit
//     when it contains every positive term of the query and none of the
//     negated ones. Terms of three or more characters are looked up in a
//     trigram FTS5 table over the text, which is an exact substring index;
//     shorter terms, which trigrams cannot express, are checked with instr()
//     on the candidate rows (all rows when the query has no longer term).
//     The hit set is thus exactly what a substring scan returns, which
//     TestRecallMatchesSubstringScan checks on the real corpus.
//   - Ranking adds two bm25 scores (negated, so higher is better): the
//     trigram table's score for the long terms, and the score of an FTS5
//     table over the gse search-mode tokens (CutSearch, sub-words included)
//     matched against the precise tokens (Cut) of every term, ORed. The
//     segmented score rewards clauses where the term is a word rather than
//     a chance character sequence and where query words are dense; the
//     trigram score ranks the clauses that only match inside a longer word.
//     Scores from two tables are not strictly comparable; adding them is a
//     deliberate, simple choice that puts clauses matching both ways first.
//     A query with only short terms and no segmented match scores 0, in
//     insertion order.
//
// Matching compares a folded form of both sides: ASCII letters lower case,
// full-width ASCII (１４１, Ｂ, （) as half-width, the ideographic space as a
// space. The fold maps rune to rune, so snippets mark the original text at
// the same rune offsets. Han characters are not folded, so for Chinese terms
// the hits are exactly the clauses strings.Contains finds.
//
// Query syntax (parseQuery): white space separates terms, which are ANDed;
// "double quotes" or “Chinese quotes” make one term keeping inner spaces;
// a leading '-' negates a term or phrase. Nothing else is an operator: the
// user's text reaches MATCH only inside FTS5 string literals, so FTS5
// syntax such as AND, NEAR, *, : or ( is searched for as text and can never
// cause a syntax error.
//
// Filters: Tags (any of, exact, via a clause_tags table), Kinds (any of),
// Issuer (substring of one issuer), Region (exact), Since and Until (ISO
// dates or their year/month prefixes; Until 2016 includes all of 2016;
// undated documents never pass a date bound). Total counts every hit, with
// a window function in the same statement as the page, so page and total
// come from one snapshot.
//
// Storage: ix_docs (document metadata), ix_clauses (original text, folded
// text when it differs, tags as JSON), ix_clause_tags, and two contentless
// FTS5 tables (contentless_delete=1) keyed by the clause rowid. The tables
// carry an ix_ prefix so that the index can live in the corpus database.
// Put segments outside the transaction, then deletes and inserts all of its
// documents in one IMMEDIATE transaction; readers (WAL) see the old or the
// new clauses, never a mix.
package indexer
