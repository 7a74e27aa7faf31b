package structure

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scs-project/scs/corpus"
)

// Numerals as they appear in markers: Chinese (with both zero forms and 两)
// and ASCII or full-width digits.
const cnNum = `零〇○一二两三四五六七八九十百千`

var (
	// 第N编/章/节 followed by its title. The title is short and has no
	// sentence punctuation; checked in code.
	reHeading = regexp.MustCompile(`^第[ \t　]*([` + cnNum + `0-9０-９]+)[ \t　]*([编章节編節])[ \t　]*(.*)$`)
	// 第N条 (第N條, 第 一 条) and the rest of the line.
	reArticle = regexp.MustCompile(`^第[ \t　]*([` + cnNum + `0-9０-９]+)[ \t　]*[条條](.*)$`)
	// （一） (一) and the rest.
	reItem = regexp.MustCompile(`^[（(][ \t　]*([` + cnNum + `]+)[ \t　]*[）)][ \t　]*(.*)$`)
	// 一、 and the rest.
	reTop = regexp.MustCompile(`^([` + cnNum + `]+)[、][ \t　]*(.*)$`)
	// 1. 1、 1． and the rest (the rest must not start with a digit: 1.5倍).
	reSub = regexp.MustCompile(`^([0-9０-９]{1,3})[.．、][ \t　]*(.*)$`)
	// （1） (1) and the rest.
	reParenNum = regexp.MustCompile(`^[（(][ \t　]*([0-9０-９]{1,3})[ \t　]*[）)][ \t　]*(.*)$`)

	// Head lines that are not clauses: a bare 文号 line, a publication note,
	// a date on its own.
	reDocNumberLine = regexp.MustCompile(`^[\p{Han}A-Za-z]{0,16}[〔\[［【(（]\s*[0-9]{4}\s*[〕\]］】)）]\s*[0-9]+\s*[号號]$|^[\p{Han}]{0,20}令?第[` + cnNum + `0-9]+[号號]令?$`)
	reDateLine      = regexp.MustCompile(`^[（(]?\s*(?:[0-9０-９]{4}|[` + cnNum + `]{4})\s*[年.\-/－]\s*[0-9０-９` + cnNum + `]{1,3}\s*[月.\-/－]\s*[0-9０-９` + cnNum + `]{1,3}\s*日?\s*[）)]?$`)
	reHeadDate      = regexp.MustCompile(`^[（(]?\s*(?:[0-9]{4}|[` + cnNum + `]{4})\s*年`)
	reHeadVerb      = regexp.MustCompile(`通过|公布|施行|发布|修正|修订|批准|印发|废止`)
	reTrailingDate  = regexp.MustCompile(`(?:[0-9０-９]{4}|[` + cnNum + `]{4})\s*年\s*[0-9０-９` + cnNum + `]{1,3}\s*月\s*[0-9０-９` + cnNum + `]{1,3}\s*日$`)
)

// sentencePunct marks a line as prose rather than a bare heading or a
// signature.
const sentencePunct = "。；;，,：:？?！!"

// line is one non-empty line of the text, trimmed, with the byte offset of
// its first non-space byte.
type line struct {
	text string
	off  int
}

// splitLines returns the non-empty lines of text, trimmed of white space
// (including the full-width space), with their offsets.
func splitLines(text string) []line {
	var out []line
	start := 0
	for start <= len(text) {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		raw := text[start:end]
		lead := len(raw) - len(strings.TrimLeftFunc(raw, unicode.IsSpace))
		t := strings.TrimSpace(raw)
		if t != "" {
			out = append(out, line{text: t, off: start + lead})
		}
		start = end + 1
	}
	return out
}

// Parse cuts text into the clauses of spec §3. docID seeds the clause IDs;
// title, when known, lets Parse recognise and skip the title line. Parse
// never fails: text without any structure yields one clause per paragraph,
// and empty text yields no clauses.
//
// Conventions beyond the spec, fixed here so that paths stay stable:
//   - one preamble paragraph has the path 序言; several have 序言/第N段;
//   - a repeated number (第五条 twice) gets a suffix: 第五条#2;
//   - path segments fold 條/節/編 to 条/节/编, half-width brackets to
//     full-width and full-width digits to ASCII, and drop spaces
//     (第 一 条 → 第一条); Label keeps the marker as written, without spaces.
//   - items written inline in one paragraph (…之一的：（一）…；（二）…) are
//     not split: the paragraph stays one clause.
func Parse(docID, text, title string) []corpus.Clause {
	lines := splitLines(text)
	lines = trimHead(lines, title)
	lines = trimTail(lines)
	var b builder
	if isArticleDoc(lines) {
		b.articles(lines)
	} else {
		b.policy(lines)
	}
	return b.finish(docID)
}

// builder collects clauses in document order and keeps paths unique.
type builder struct {
	clauses []corpus.Clause
	used    map[string]int
}

// add appends a clause, making its path unique, and returns the path used.
func (b *builder) add(c corpus.Clause) string {
	c.Path = b.reserve(c.Path)
	b.clauses = append(b.clauses, c)
	return c.Path
}

// reserve marks p as used and returns it, or p#2, p#3 … when the source
// repeats a number. Headings reserve their path too, so that clauses below a
// repeated heading do not collide.
func (b *builder) reserve(p string) string {
	if b.used == nil {
		b.used = make(map[string]int)
	}
	if n := b.used[p]; n > 0 {
		for {
			n++
			cand := p + "#" + strconv.Itoa(n)
			if b.used[cand] == 0 {
				b.used[p] = n
				p = cand
				break
			}
		}
	}
	b.used[p]++
	return p
}

// finish resolves the preamble path and sets IDs.
func (b *builder) finish(docID string) []corpus.Clause {
	pre := 0
	for _, c := range b.clauses {
		if strings.HasPrefix(c.Path, "序言/第") {
			pre++
		}
	}
	for i := range b.clauses {
		c := &b.clauses[i]
		if pre == 1 && c.Path == "序言/第1段" {
			c.Path = "序言"
		}
		if pre == 1 && c.Parent == "序言/第1段" {
			c.Parent = "序言"
		}
		c.ID = corpus.ClauseID(docID, c.Path)
		if c.Tags == nil {
			c.Tags = []string{}
		}
		if c.SanctionCategories == nil {
			c.SanctionCategories = []string{}
		}
		if c.Agencies == nil {
			c.Agencies = []string{}
		}
		if c.LegalBasis == nil {
			c.LegalBasis = []string{}
		}
		if c.Evidence == nil {
			c.Evidence = []corpus.Evidence{}
		}
	}
	return b.clauses
}

// isArticleDoc reports whether the text is organised in 第N条 articles.
func isArticleDoc(lines []line) bool {
	for _, l := range lines {
		if _, _, ok := matchArticle(l.text, 0); ok {
			return true
		}
	}
	return false
}

// matchArticle recognises a 第N条 line. A label glued to its text
// (第二条本条例…) is accepted only when its number follows prev, so that
// a paragraph opening with a citation (第十二条规定的…) is not an article.
// prev 0 accepts only 第一条 glued. It returns the label as written (spaces
// removed), the text after it, and the number.
func matchArticle(s string, prev int) (label, rest string, ok bool) {
	if !strings.HasPrefix(s, "第") {
		return "", "", false
	}
	m := reArticle.FindStringSubmatch(s)
	if m == nil {
		return "", "", false
	}
	rest = m[2]
	label = removeSpace(s[:len(s)-len(rest)])
	trimmed := strings.TrimLeftFunc(rest, unicode.IsSpace)
	if rest == "" || len(trimmed) < len(rest) {
		return label, trimmed, true
	}
	// Glued: require the expected next number and no citation words.
	n, okN := numeral(m[1])
	if !okN || n != prev+1 {
		return "", "", false
	}
	for _, w := range []string{"规定", "的", "之", "中", "所", "第", "、", "和", "或"} {
		if strings.HasPrefix(rest, w) {
			return "", "", false
		}
	}
	return label, rest, true
}

// matchHeading recognises a 第N编/章/节 heading line; level 0 is 编, 1 章,
// 2 节. seg is the normalised path segment, title the heading text with
// white space collapsed.
func matchHeading(s string) (seg, title string, level int, ok bool) {
	if !strings.HasPrefix(s, "第") {
		return "", "", 0, false
	}
	m := reHeading.FindStringSubmatch(s)
	if m == nil {
		return "", "", 0, false
	}
	rest := m[3]
	if utf8.RuneCountInString(rest) > 40 || strings.ContainsAny(rest, sentencePunct) {
		return "", "", 0, false
	}
	kind := m[2]
	switch kind {
	case "编", "編":
		level, kind = 0, "编"
	case "章":
		level = 1
	default:
		level, kind = 2, "节"
	}
	seg = "第" + foldDigits(m[1]) + kind
	title = collapseSpace(s)
	return seg, title, level, true
}

// itemLevel classifies a numbered line of the 项/目 family. Levels: 1 for
// 一、, 2 for （一）, 3 for 1., 4 for （1）. seg is the normalised path
// segment and label the marker as written.
func itemLevel(s string) (level int, seg, label, rest string, ok bool) {
	// Cheap rejection: every item marker opens with a bracket, a numeral
	// or a digit; most lines open with none of them.
	r, _ := utf8.DecodeRuneInString(s)
	if r != '（' && r != '(' && !(r >= '0' && r <= '9') && !(r >= '０' && r <= '９') && !strings.ContainsRune(cnNum, r) {
		return 0, "", "", "", false
	}
	if m := reItem.FindStringSubmatch(s); m != nil {
		return 2, "（" + m[1] + "）", removeSpace(s[:len(s)-len(m[2])]), m[2], true
	}
	if m := reParenNum.FindStringSubmatch(s); m != nil {
		return 4, "（" + foldDigits(m[1]) + "）", removeSpace(s[:len(s)-len(m[2])]), m[2], true
	}
	if m := reTop.FindStringSubmatch(s); m != nil {
		return 1, m[1], removeSpace(s[:len(s)-len(m[2])]), m[2], true
	}
	if m := reSub.FindStringSubmatch(s); m != nil {
		r, _ := utf8.DecodeRuneInString(m[2])
		if m[2] != "" && (unicode.IsDigit(r) || r == '%' || r == '％') {
			return 0, "", "", "", false
		}
		return 3, foldDigits(m[1]), removeSpace(s[:len(s)-len(m[2])]), m[2], true
	}
	return 0, "", "", "", false
}

// isBareHeading reports whether the text after a numbered marker is a
// heading (一、联合惩戒对象) rather than a provision: short, no sentence
// punctuation.
func isBareHeading(rest string) bool {
	return utf8.RuneCountInString(rest) <= 30 && !strings.ContainsAny(rest, sentencePunct)
}

// endsLeadIn reports whether a paragraph introduces items (…下列措施：).
func endsLeadIn(s string) bool {
	return strings.HasSuffix(s, "：") || strings.HasSuffix(s, ":")
}

// trimHead drops the title, 文号, publication and date lines and a table of
// contents at the start of the text. When title is given and found among the
// first lines before any marker or sentence, on one line or broken over two
// or three, everything before it (page chrome) goes too.
func trimHead(lines []line, title string) []line {
	const headWindow = 15
	nt := normTitle(title)
	if nt != "" {
	search:
		for i := 0; i < len(lines) && i < headWindow; i++ {
			if isMarker(lines[i].text) || strings.ContainsRune(lines[i].text, '。') {
				break
			}
			joined := ""
			for j := i; j < len(lines) && j < i+3; j++ {
				joined += normTitle(lines[j].text)
				if joined == nt {
					lines = lines[j+1:]
					break search
				}
				if !strings.HasPrefix(nt, joined) {
					break
				}
			}
		}
	} else if len(lines) > 0 && looksLikeTitle(lines[0].text) {
		lines = lines[1:]
	}
	for len(lines) > 0 {
		s := lines[0].text
		switch {
		case isHeadLine(s):
			lines = lines[1:]
		case isTOCLine(s):
			lines = skipTOC(lines[1:])
		default:
			return lines
		}
	}
	return lines
}

// isMarker reports whether s opens with a structural marker.
func isMarker(s string) bool {
	if _, _, _, ok := matchHeading(s); ok {
		return true
	}
	if _, _, ok := matchArticle(s, 0); ok {
		return true
	}
	_, _, _, _, ok := itemLevel(s)
	return ok
}

// looksLikeTitle is used only without a known title: a first line that is
// short, has no sentence punctuation and no marker.
func looksLikeTitle(s string) bool {
	return utf8.RuneCountInString(s) <= 80 && !strings.ContainsAny(s, "。；;：:") && !isMarker(s)
}

// isHeadLine recognises publication notes, 文号 and date lines.
func isHeadLine(s string) bool {
	if strings.ContainsRune(s, '。') {
		return false
	}
	n := utf8.RuneCountInString(s)
	if n <= 3 && !isMarker(s) { // stray ）or 根据 left by the source
		return true
	}
	if reDocNumberLine.MatchString(s) || reDateLine.MatchString(s) {
		return true
	}
	if (strings.HasPrefix(s, "（") || strings.HasPrefix(s, "(")) && reHeadVerb.MatchString(s) && n <= 200 {
		return true
	}
	if reHeadDate.MatchString(s) && reHeadVerb.MatchString(s) && n <= 200 {
		return true
	}
	switch s {
	case "（征求意见稿）", "(征求意见稿)", "征求意见稿":
		return true
	}
	return false
}

func isTOCLine(s string) bool {
	s = removeSpace(s)
	return s == "目录" || s == "目錄"
}

// skipTOC drops the heading lines of a table of contents. The body starts
// where the first listed heading appears again, or at the first line that is
// not a heading.
func skipTOC(lines []line) []line {
	if len(lines) == 0 {
		return lines
	}
	first, _, _, ok := matchHeading(lines[0].text)
	if !ok {
		return lines
	}
	for i := 1; i < len(lines); i++ {
		seg, _, _, ok := matchHeading(lines[i].text)
		if !ok {
			return lines[i:]
		}
		if seg == first {
			return lines[i:]
		}
	}
	return nil
}

// trimTail drops a signature block: issuer lines and a date at the very end.
// It is conservative: only lines without sentence punctuation that end in
// a date, or are short and end in an issuing-body word, or say 发布/印发.
func trimTail(lines []line) []line {
	for len(lines) > 1 {
		if !isSignatureLine(lines[len(lines)-1].text) {
			break
		}
		lines = lines[:len(lines)-1]
	}
	return lines
}

var signatureSuffixes = []string{"部", "委", "院", "局", "厅", "办", "会", "政府", "发布", "印发", "公司", "署", "行", "室", "联"}

// reAttachmentLine matches the list of attachments that closes a notice or
// an MOU page (附件：…, 附件1：…): a pointer to other files, not a provision.
var reAttachmentLine = regexp.MustCompile(`^附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*[：:]`)

func isSignatureLine(s string) bool {
	if reAttachmentLine.MatchString(s) {
		return true
	}
	if s == "（此件主动公开）" || s == "(此件主动公开)" {
		return true
	}
	if strings.ContainsAny(s, sentencePunct) || isMarker(s) {
		return false
	}
	if reDateLine.MatchString(s) || reTrailingDate.MatchString(s) {
		return true
	}
	if s == "（此件公开发布）" || s == "(此件公开发布)" {
		return true
	}
	if utf8.RuneCountInString(s) > 30 {
		return false
	}
	for _, suf := range signatureSuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// normTitle folds a title for comparison: no 《》, brackets or white space.
func normTitle(s string) string {
	var sb strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '《', r == '》', r == '#', r == '*':
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

func removeSpace(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// foldDigits turns full-width digits into ASCII.
func foldDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}

// numeral parses a marker number (Chinese or digits) for the article
// sequence check.
func numeral(s string) (int, bool) {
	s = foldDigits(s)
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	return chineseNumber(s)
}

// chineseNumber converts 一…九千九百九十九 (with 〇/零/两). It duplicates
// meta.ChineseNumber on purpose: stage packages do not import each other.
func chineseNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	digit := map[rune]int{'零': 0, '〇': 0, '○': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	unit := map[rune]int{'十': 10, '百': 100, '千': 1000}
	total, cur := 0, -1
	for _, r := range s {
		if d, ok := digit[r]; ok {
			cur = d
			continue
		}
		u, ok := unit[r]
		if !ok {
			return 0, false
		}
		if cur < 0 {
			cur = 1
		}
		total += cur * u
		cur = -1
	}
	if cur > 0 {
		total += cur
	}
	return total, true
}
