package meta

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var cnDigits = map[rune]int{'零': 0, '〇': 0, '○': 0, 'Ｏ': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

var cnUnits = map[rune]int{'十': 10, '百': 100, '千': 1000}

// ChineseNumber converts a number written in Chinese numerals: with units
// (十二 = 12, 二百五十五 = 255, 一千零一 = 1001, 三万 = 30000) or digit by
// digit as in years (二〇一六 = 2016). ASCII and full-width digits are
// accepted too. It reports false for anything else, including "".
func ChineseNumber(s string) (int, bool) {
	s = strings.TrimSpace(foldWidth(s))
	if s == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 0
	}
	hasUnit := strings.ContainsAny(s, "十百千万")
	if !hasUnit {
		n := 0
		for _, r := range s {
			d, ok := cnDigits[r]
			if !ok {
				return 0, false
			}
			n = n*10 + d
		}
		return n, true
	}
	total, section, cur := 0, 0, -1
	for _, r := range s {
		if d, ok := cnDigits[r]; ok {
			cur = d
			continue
		}
		if r == '万' {
			if cur > 0 {
				section += cur
			}
			if section == 0 {
				return 0, false
			}
			total += section * 10000
			section, cur = 0, -1
			continue
		}
		u, ok := cnUnits[r]
		if !ok {
			return 0, false
		}
		if cur < 0 {
			if section != 0 && section%10 == 0 && u == 10 { // 二百十 is unusual but readable
				cur = 1
			} else if section != 0 {
				return 0, false
			} else {
				cur = 1 // 十二: the leading 一 is implicit
			}
		}
		section += cur * u
		cur = -1
	}
	if cur > 0 {
		section += cur
	}
	return total + section, true
}

// foldWidth turns full-width digits and ASCII punctuation into half-width.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' {
			return r - '！' + '!'
		}
		return r
	}, s)
}

const cnNumChars = `零〇○Ｏ一二两三四五六七八九十`

var (
	reDateYMD = regexp.MustCompile(`([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日`)
	reDateSep = regexp.MustCompile(`(?:^|[^0-9])([0-9]{4})\s*([-./])\s*([0-9]{1,2})\s*([-./])\s*([0-9]{1,2})(?:$|[^0-9])`)
	reDateCN  = regexp.MustCompile(`([` + cnNumChars + `]{4})\s*年\s*([` + cnNumChars + `]{1,3})\s*月\s*([` + cnNumChars + `]{1,3})\s*日`)
)

// dateMatch is one date found in a string, with its byte span.
type dateMatch struct {
	iso        string
	start, end int
}

// findDates returns the valid dates in s in order of appearance. s must
// already be width-folded.
func findDates(s string) []dateMatch {
	var out []dateMatch
	add := func(y, m, d string, start, end int) {
		if iso, ok := isoDate(y, m, d); ok {
			out = append(out, dateMatch{iso, start, end})
		}
	}
	for _, m := range reDateYMD.FindAllStringSubmatchIndex(s, -1) {
		add(s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]], m[0], m[1])
	}
	for _, m := range reDateCN.FindAllStringSubmatchIndex(s, -1) {
		add(s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]], m[0], m[1])
	}
	for _, m := range reDateSep.FindAllStringSubmatchIndex(s, -1) {
		if s[m[4]:m[5]] != s[m[8]:m[9]] { // 2016-01/20 is not a date
			continue
		}
		add(s[m[2]:m[3]], s[m[6]:m[7]], s[m[10]:m[11]], m[2], m[11])
	}
	// Order by position (the three patterns were scanned separately).
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].start < out[j-1].start; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// isoDate validates and formats a year/month/day written in digits or
// Chinese numerals.
func isoDate(y, m, d string) (string, bool) {
	yy, ok1 := ChineseNumber(y)
	mm, ok2 := ChineseNumber(m)
	dd, ok3 := ChineseNumber(d)
	if !ok1 || !ok2 || !ok3 || yy < 1949 || yy > 2100 || mm < 1 || mm > 12 || dd < 1 || dd > 31 {
		return "", false
	}
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Day() != dd { // 2月30日
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", yy, mm, dd), true
}

// ParseDate finds the first date in s and returns it as an ISO date
// (2016-01-20). It reads 2016年1月20日, 2016-01-20, 2016.1.20, 2016/1/20,
// full-width digits, and Chinese numerals (二〇一六年一月二十日, with 〇, ○
// or 零). Years outside 1949-2100 and impossible days are rejected.
func ParseDate(s string) (string, bool) {
	ds := findDates(foldWidth(s))
	if len(ds) == 0 {
		return "", false
	}
	return ds[0].iso, true
}
