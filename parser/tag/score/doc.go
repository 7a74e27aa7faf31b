// Package score measures tagged clauses against hand-labelled ones: the
// gold format of ../shared/gold (one JSON object per clause, matched to an
// output clause by its quote) and the per-tag precision, recall and F1,
// sanction-category agreement and field precision and recall that issue 4
// reports.
//
// It imports only corpus, so the tag stage's own tests and the command's
// end-to-end tests (which score `scs analyze --json` output) share one
// definition of the numbers.
package score
