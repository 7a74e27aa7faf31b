package indexer

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// term is one parsed search term: the folded text it matches as a
// substring, and whether it excludes clauses instead of requiring it.
type term struct {
	raw    string // as typed, for segmentation
	folded string // fold(raw): what is matched against the folded clause text
	neg    bool
}

// parseQuery splits the text of a search box into terms.
//
// The syntax is deliberately small, and no character of it ever reaches
// FTS5 unquoted:
//   - terms are separated by white space (ASCII or the ideographic space
//     U+3000; NUL counts as space) and must all occur;
//   - "a quoted phrase" (ASCII quotes or “Chinese quotes”) is one term that
//     keeps its inner white space; an unterminated quote runs to the end;
//   - a leading '-' on a term or phrase (-失信, -"a b") excludes the clauses
//     containing it; a '-' alone, doubled (--) or inside a term is
//     literal (2016-01);
//   - every other character, including * : ( ) ^ + and the words AND, OR,
//     NOT and NEAR, is literal text to find.
//
// Empty terms are dropped and duplicates collapse.
func parseQuery(s string) []term {
	var out []term
	seen := make(map[string]bool)
	add := func(raw string, neg bool) {
		if raw == "" {
			return
		}
		t := term{raw: raw, folded: fold(raw), neg: neg}
		key := fmt.Sprint(neg, "\x00", t.folded)
		if seen[key] {
			return
		}
		seen[key] = true
		out = append(out, t)
	}
	// NUL ends a string inside FTS5's query parser: treat it as a space.
	rs := []rune(strings.ReplaceAll(s, "\x00", " "))
	for i := 0; i < len(rs); {
		r := rs[i]
		if unicode.IsSpace(r) {
			i++
			continue
		}
		neg := false
		if r == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) && rs[i+1] != '-' {
			neg = true
			i++
			r = rs[i]
		}
		if close, ok := closingQuote(r); ok {
			j := i + 1
			for j < len(rs) && rs[j] != close {
				j++
			}
			add(string(rs[i+1:j]), neg)
			i = j + 1
			continue
		}
		j := i
		for j < len(rs) && !unicode.IsSpace(rs[j]) {
			j++
		}
		add(string(rs[i:j]), neg)
		i = j
	}
	return out
}

// closingQuote returns the quote that ends a phrase opened by r.
func closingQuote(r rune) (rune, bool) {
	switch r {
	case '"':
		return '"', true
	case '“':
		return '”', true
	}
	return 0, false
}

// fold maps text to the form that matching compares: Latin letters lower
// case, full-width ASCII (１４１, Ｂ, （) to its half-width form and the
// ideographic space to a space, so that 141号 finds １４１号. It maps rune to
// rune, so rune offsets in the folded text are rune offsets in the original,
// which is what snippet relies on. Han characters are unchanged.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	return strings.Map(foldRune, s)
}

func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		return ' '
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// ftsString quotes s as an FTS5 string: inside double quotes every
// character is literal except the double quote, which is doubled. This is
// the only way user text reaches a MATCH expression.
func ftsString(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// snippet returns about width runes of text around the first occurrence of
// any term, each occurrence inside the window marked 【…】 and cut ends
// marked with …. With no occurrence it returns the head of text.
func snippet(text string, terms []string, width int) string {
	rs := []rune(text)
	fr := []rune(fold(text)) // same length: fold maps rune to rune
	type span struct{ s, e int }
	var spans []span
	for _, t := range terms {
		tr := []rune(t)
		if len(tr) == 0 {
			continue
		}
		for i := 0; i+len(tr) <= len(fr); i++ {
			if runesEqual(fr[i:i+len(tr)], tr) {
				spans = append(spans, span{i, i + len(tr)})
			}
		}
	}
	// Mark each rune covered by a match, then emit runs: overlapping and
	// adjacent matches merge into one 【】.
	marked := make([]bool, len(rs))
	first, firstLen := -1, 0
	for _, sp := range spans {
		if first < 0 || sp.s < first {
			first, firstLen = sp.s, sp.e-sp.s
		}
		for i := sp.s; i < sp.e; i++ {
			marked[i] = true
		}
	}
	start, end := 0, min(len(rs), width)
	if first >= 0 {
		start = max(0, first-max(0, width-firstLen)/2) // centre the first match
		end = min(len(rs), start+width)
		start = max(0, end-width)
		for end < len(rs) && marked[end] && marked[end-1] { // do not cut a match
			end++
		}
		for start > 0 && marked[start] && marked[start-1] {
			start--
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	for i := start; i < end; i++ {
		if marked[i] && (i == start || !marked[i-1]) {
			b.WriteString("【")
		}
		b.WriteRune(rs[i])
		if marked[i] && (i == end-1 || !marked[i+1]) {
			b.WriteString("】")
		}
	}
	if end < len(rs) {
		b.WriteString("…")
	}
	return b.String()
}

func runesEqual(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
