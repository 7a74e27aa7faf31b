package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// Simplifier reads texts published in traditional characters (converter
// pages of central documents, Hong Kong mirrors) through simplified ones,
// so that rules and cue words written once in simplified Chinese match
// both. Conversion is character by character and keeps byte offsets: a
// span found in the converted text is the same span of the original.
type Simplifier struct {
	t2s map[rune]rune
}

// LoadSimplifier reads a traditional → simplified character table in the
// format of data/t2s.txt ("trad<TAB>simp" lines, # comments). Only pairs
// of characters of the same UTF-8 length are accepted, so that converting
// a text keeps its byte offsets. Errors name the line.
func LoadSimplifier(data []byte) (*Simplifier, error) {
	m := map[rune]rune{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		tr, si, ok := strings.Cut(line, "\t")
		rt, st := []rune(tr), []rune(si)
		if !ok || len(rt) != 1 || len(st) != 1 || len(tr) != len(si) {
			return nil, fmt.Errorf("t2s.txt:%d: want one traditional and one simplified character of the same UTF-8 length, tab-separated: %q", n, line)
		}
		m[rt[0]] = st[0]
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("t2s.txt: %w", err)
	}
	return &Simplifier{t2s: m}, nil
}

// minTraditional is how many traditional characters a text needs before
// it is converted: a simplified text may hold one (著作权's 著 is also a
// traditional form of 着), a traditional one holds many.
const minTraditional = 2

// Simplify returns s in simplified characters when it is written in
// traditional ones, else s itself. The result has s's byte offsets. A nil
// Simplifier returns s.
func (z *Simplifier) Simplify(s string) string {
	if !z.Traditional(s) {
		return s
	}
	return z.Convert(s)
}

// Traditional reports whether s is written in traditional characters:
// whether it holds at least two that the table converts.
func (z *Simplifier) Traditional(s string) bool {
	if z == nil || len(z.t2s) == 0 {
		return false
	}
	n := 0
	for _, r := range s {
		if _, ok := z.t2s[r]; ok {
			if n++; n >= minTraditional {
				return true
			}
		}
	}
	return false
}

// Convert converts every traditional character of s, however few: for a
// short part (a title) of a text already found Traditional. A nil
// Simplifier returns s.
func (z *Simplifier) Convert(s string) string {
	if z == nil || len(z.t2s) == 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if v, ok := z.t2s[r]; ok {
			return v
		}
		return r
	}, s)
}
