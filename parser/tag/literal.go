package tag

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// requiredLits returns strings of which every match of re contains at
// least one, or nil when no such set is known. The tagger tests them with
// strings.Contains before running the regex: most rules match few
// clauses, and a substring search is far cheaper than the regex engine.
func requiredLits(re *regexp.Regexp) []string {
	t, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	return lits(t.Simplify())
}

func lits(t *syntax.Regexp) []string {
	switch t.Op {
	case syntax.OpLiteral:
		if t.Flags&syntax.FoldCase != 0 {
			return nil
		}
		return []string{string(t.Rune)}
	case syntax.OpCapture, syntax.OpPlus:
		return lits(t.Sub[0])
	case syntax.OpRepeat:
		if t.Min >= 1 {
			return lits(t.Sub[0])
		}
	case syntax.OpConcat:
		// Any child's set will do; take the one whose least selective
		// literal is the most selective (see selectivity).
		var best []string
		bestLen := 0
		for _, s := range t.Sub {
			l := lits(s)
			if l == nil {
				continue
			}
			m := selectivity(l[0])
			for _, x := range l {
				m = min(m, selectivity(x))
			}
			if m > bestLen {
				best, bestLen = l, m
			}
		}
		return best
	case syntax.OpAlternate:
		var out []string
		for _, s := range t.Sub {
			l := lits(s)
			if l == nil {
				return nil
			}
			out = append(out, l...)
		}
		return out
	case syntax.OpCharClass:
		// A small class of runes ([布示]) is a set of one-rune literals.
		var out []string
		for i := 0; i+1 < len(t.Rune); i += 2 {
			if t.Rune[i+1]-t.Rune[i] > 4 || len(out) > 8 {
				return nil
			}
			for r := t.Rune[i]; r <= t.Rune[i+1]; r++ {
				out = append(out, string(r))
			}
		}
		return out
	}
	return nil
}

// commonRunes occur in most clauses: a literal made of them (的，) filters
// almost nothing, so it counts for little beside one of content words.
const commonRunes = "的，。、；：在和或及对其"

// selectivity estimates how rarely a literal occurs: its length in bytes,
// less most of the weight of each very common rune.
func selectivity(l string) int {
	n := len(l)
	for _, r := range l {
		if strings.ContainsRune(commonRunes, r) {
			n -= 2
		}
	}
	return n
}

// mayMatch reports whether s contains one of lits (true when lits is nil).
func mayMatch(lits []string, s string) bool {
	if lits == nil {
		return true
	}
	for _, l := range lits {
		if containsLit(s, l) {
			return true
		}
	}
	return false
}

// containsLit is strings.Contains tuned for Han literals: their first
// UTF-8 byte is shared by most of the text (0xE4-0xE9), so it scans for
// the last byte of the literal's first rune, which varies far more, and
// then compares the whole literal.
func containsLit(s, l string) bool {
	if len(l) < 3 || l[0] < 0xE0 || l[0] >= 0xF0 {
		return strings.Contains(s, l)
	}
	c := l[2]
	for off := 2; off < len(s); {
		i := strings.IndexByte(s[off:], c)
		if i < 0 {
			return false
		}
		if p := off + i - 2; strings.HasPrefix(s[p:], l) {
			return true
		}
		off += i + 1
	}
	return false
}

// withoutPrefilter returns a copy of t whose rules run every regex without
// the literal test first: the baseline of BenchmarkTag.
func (t *Tagger) withoutPrefilter() *Tagger {
	c := *t
	c.rules = make([]*rule, len(t.rules))
	for i, r := range t.rules {
		rc := *r
		rc.lits = make([][]string, len(r.lits))
		c.rules[i] = &rc
	}
	return &c
}
