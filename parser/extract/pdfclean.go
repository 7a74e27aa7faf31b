package extract

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// normalizeLine makes one line canonical: every kind of space (U+3000,
// NBSP, …) becomes one ASCII space, runs collapse, tabs (table cell
// separators) stay single, and letter-spaced Chinese ("征 信 业 管 理",
// "总　　则") is closed up.
func normalizeLine(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace, pendingTab := false, false
	for _, r := range s {
		switch {
		case r == '\t':
			pendingTab = true
		case unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff':
			pendingSpace = true
		case unicode.IsControl(r):
			// dropped: form feeds and stray C0/C1 controls carry nothing
		default:
			if b.Len() > 0 {
				if pendingTab {
					b.WriteByte('\t')
				} else if pendingSpace {
					b.WriteByte(' ')
				}
			}
			pendingSpace, pendingTab = false, false
			b.WriteRune(r)
		}
	}
	return closeLetterSpacing(b.String())
}

// closeLetterSpacing joins runs of two or more single-Han tokens
// separated by spaces ("总 则" → "总则") and leaves other spacing alone, so
// "第一条 为了" keeps its separator.
func closeLetterSpacing(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	toks := strings.Split(s, " ")
	single := func(t string) bool {
		r, size := utf8.DecodeRuneInString(t)
		return size == len(t) && size > 0 && unicode.Is(unicode.Han, r)
	}
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			if !(single(t) && single(toks[i-1])) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(t)
	}
	return b.String()
}

// cleanText normalises every line and drops the empty ones.
func cleanText(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = normalizeLine(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Page numbers as printed on Chinese official documents, matched at the
// start or end of a page's raw text. ledongthuc breaks lines inside them
// ("— \n1\n —"), so \s spans newlines.
const pageNumPat = `(?:[-—–－─]+\s*\d{1,4}\s*[-—–－─]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4}|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)`

var (
	pageNumEnd   = regexp.MustCompile(`[\s\x{3000}]*` + pageNumPat + `[\s\x{3000}]*$`)
	pageNumStart = regexp.MustCompile(`^[\s\x{3000}]*` + pageNumPat + `[\s\x{3000}]*`)
	bareNumber   = regexp.MustCompile(`^\d{1,4}$`)

	// markerStart opens a new paragraph: 第N条/章/节/编 followed by a space,
	// （一）, (一), 一、, 1. / 1、 and 附件.
	markerStart = regexp.MustCompile(`^(?:第[一二三四五六七八九十百千零〇两\d]+[条章节编][ \x{3000}]|第[一二三四五六七八九十百千零〇两\d]+[章节编]$|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[.．、](?:\D|$)|附件)`)
	// headingLine ends its paragraph although it has no final punctuation.
	headingLine = regexp.MustCompile(`^第[一二三四五六七八九十百千零〇两\d]+[章节编](?:[ \x{3000}]\S.{0,30})?$`)
	// inlineMarker finds an article or item marker glued to the previous
	// sentence, as producers without line breaks (cairo) leave it.
	inlineMarker = regexp.MustCompile(`([。；：！？])(第[一二三四五六七八九十百千零〇两\d]+[条章节编][ \x{3000}]|[（(][一二三四五六七八九十]+[）)])`)
)

// cleanPages turns per-page raw PDF text into paragraphs: it removes page
// numbers and running headers and footers, then joins hard-wrapped lines
// and the fragments ledongthuc emits at every BT ("2021\n年\n8\n月").
func cleanPages(pages []string) string {
	split := make([][]string, len(pages))
	for i, p := range pages {
		for range 2 {
			p = pageNumEnd.ReplaceAllString(p, "")
			p = pageNumStart.ReplaceAllString(p, "")
		}
		p = inlineMarker.ReplaceAllString(p, "$1\n$2")
		var lines []string
		for _, l := range strings.Split(p, "\n") {
			if l = normalizeLine(l); l != "" {
				lines = append(lines, l)
			}
		}
		lines = dropBarePageNumber(lines, i+1)
		split[i] = lines
	}
	removeRepeatedEdges(split)
	removeRunning(split)
	removeWatermarks(split)
	var all []string
	for _, lines := range split {
		all = append(all, lines...)
	}
	return strings.Join(joinParagraphs(all), "\n")
}

// dropBarePageNumber removes a number alone on a page's first or last line
// when it is close to the page index (cover pages shift the count).
func dropBarePageNumber(lines []string, page int) []string {
	isNum := func(s string) bool {
		if !bareNumber.MatchString(s) {
			return false
		}
		n, _ := strconv.Atoi(s)
		return n >= page-3 && n <= page+1
	}
	if len(lines) > 1 && isNum(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	if len(lines) > 1 && isNum(lines[0]) {
		lines = lines[1:]
	}
	return lines
}

// removeRepeatedEdges removes the lines that open (or close) at least two
// pages, and half of them, with the same text (digits aside): running
// headers and footers, also when the PDF producer cut them into fragments
// at every font switch ("清河市人民政府公报 / 2024 / 年第 / 3 / 期"), and
// watermark text drawn first or last on each page. It works on two-page
// documents too, where counting lines cannot tell a header from a repeated
// phrase, because the repeated text must stand at the very start or end.
func removeRepeatedEdges(pages [][]string) {
	if len(pages) < 2 {
		return
	}
	need := max(2, (len(pages)+1)/2)
	strip := func(fromEnd bool) {
		// For each page, the keys of its first (last) 1..8 lines joined.
		count := map[string]int{}
		prefixes := make([][]string, len(pages))
		for p, lines := range pages {
			var joined []string
			for m := 1; m <= min(8, len(lines)-1); m++ {
				part := lines[:m]
				if fromEnd {
					part = lines[len(lines)-m:]
				}
				k := edgeKey(strings.Join(part, ""))
				if utf8.RuneCountInString(k) > 60 {
					break
				}
				joined = append(joined, k)
				count[k]++
			}
			prefixes[p] = joined
		}
		best := ""
		for k, n := range count {
			if n >= need && utf8.RuneCountInString(k) >= 4 && len(k) > len(best) {
				best = k
			}
		}
		if best == "" {
			return
		}
		for p, keys := range prefixes {
			for m, k := range keys {
				if k == best {
					if fromEnd {
						pages[p] = pages[p][:len(pages[p])-m-1]
					} else {
						pages[p] = pages[p][m+1:]
					}
					break
				}
			}
		}
	}
	strip(false)
	strip(true)
}

func edgeKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '#'
		}
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// removeWatermarks drops a short line without sentence punctuation that
// stands on at least three pages and 80 % of them anywhere on the page:
// watermark text (内部资料 注意保存, 仅供参考) that the producer drew in the
// middle of the page's content. Edges are removeRepeatedEdges' work.
func removeWatermarks(pages [][]string) {
	if len(pages) < 3 {
		return
	}
	count := map[string]int{}
	for _, lines := range pages {
		seen := map[string]bool{}
		for _, l := range lines {
			if watermarkLike(l) && !seen[l] {
				seen[l] = true
				count[l]++
			}
		}
	}
	need := max(3, (len(pages)*4+4)/5)
	for p, lines := range pages {
		kept := lines[:0]
		for _, l := range lines {
			if watermarkLike(l) && count[l] >= need {
				continue
			}
			kept = append(kept, l)
		}
		pages[p] = kept
	}
}

func watermarkLike(l string) bool {
	n := utf8.RuneCountInString(l)
	return n >= 2 && n <= 20 && !strings.ContainsAny(l, "。，；：、？！,;:") && !markerStart.MatchString(l) && !bareNumber.MatchString(l)
}

// removeRunning drops short lines that recur (digits aside) among the
// first or last three lines of at least half the pages: running headers
// such as 中华人民共和国国务院公报 and footers such as a document number.
func removeRunning(pages [][]string) {
	if len(pages) < 3 {
		return
	}
	const edge = 3
	key := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return '#'
			}
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	count := map[string]int{}
	for _, lines := range pages {
		seen := map[string]bool{}
		for i, l := range lines {
			if (i < edge || i >= len(lines)-edge) && utf8.RuneCountInString(l) <= 40 {
				seen[key(l)] = true
			}
		}
		for k := range seen {
			count[k]++
		}
	}
	need := max(3, (len(pages)+1)/2)
	for p, lines := range pages {
		var kept []string
		for i, l := range lines {
			if (i < edge || i >= len(lines)-edge) && utf8.RuneCountInString(l) <= 40 && count[key(l)] >= need {
				continue
			}
			kept = append(kept, l)
		}
		pages[p] = kept
	}
}

// joinParagraphs glues wrapped lines. A marker line always starts a
// paragraph; a line ending in 。；：！？ or a chapter heading ends one.
// Chinese joins without a space, Latin words with one.
func joinParagraphs(lines []string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for i, l := range lines {
		if markerStart.MatchString(l) {
			flush()
		}
		next := ""
		if i+1 < len(lines) {
			next = lines[i+1]
		}
		if cur.Len() > 0 {
			prev, _ := utf8.DecodeLastRuneInString(cur.String())
			next, _ := utf8.DecodeRuneInString(l)
			if latinWord(prev) && latinWord(next) || strings.ContainsRune(",.;:!?", prev) && latinWord(next) {
				cur.WriteByte(' ')
			}
		}
		cur.WriteString(l)
		if endsParagraph(l) || startsText(next) && (shortHeading.MatchString(cur.String()) ||
			len(out) == 0 && docTitle.MatchString(cur.String()) && !markerStart.MatchString(cur.String())) {
			flush()
		}
	}
	flush()
	return out
}

var (
	// shortHeading is a numbered heading such as 一、承诺范围: a short
	// marker line without punctuation.
	shortHeading = regexp.MustCompile(`^[一二三四五六七八九十]+、[^，。；：,;:！？]{1,14}\p{Han}$`)
	// docTitle is a first paragraph that names a document type and has no
	// punctuation: the title, which PDFs set on its own line.
	docTitle = regexp.MustCompile(`^[^，。；：,;:！？]{2,60}(?:通知|办法|条例|规定|决定|意见|细则|规则|方案|公告|通告|规范|目录|清单|备忘录|批复|函)$`)
)

// startsText reports whether a line starts with a Han character: the
// next line after a heading, whereas a digit or Latin start is most
// likely a fragment ledongthuc split at a font switch.
func startsText(l string) bool {
	r, _ := utf8.DecodeRuneInString(l)
	return unicode.Is(unicode.Han, r) || markerStart.MatchString(l)
}

func latinWord(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func endsParagraph(l string) bool {
	s := strings.TrimRight(l, "”’」』）)\"'")
	r, _ := utf8.DecodeLastRuneInString(s)
	switch r {
	case '。', '；', '：', '！', '？', '!', '?':
		return true
	}
	return headingLine.MatchString(l)
}
