// Package tag labels clauses with the tags, sanction categories and fields
// of spec §4-6 (Clause.Tags, SanctionCategories, Agencies, LegalBasis,
// Duration, Evidence).
//
// The rules are data, not code: corpus/data/rules.yaml, readable and
// editable by an analyst. Each rule names what it produces (a tag, a
// category or a field), the regular expressions that must match (match,
// all_of), those that must not (none_of), where they look (the clause, its
// lead-in, its headings) and conditions on the clause (lead-in or item,
// tags already given). This package owns the rule language, its validation
// and its evaluation; it does not own the rules themselves.
//
// Every value the tagger emits carries an Evidence record naming the rule
// and the matched span, so an analyst can see why a clause was tagged and
// which rule to change.
package tag
