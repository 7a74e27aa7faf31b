package meta

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/scs-project/scs/corpus"
)

const (
	headLines = 15 // the head: title, 文号 and publication lines, preamble
	tailLines = 6  // the tail: last article, signature block
)

// Extract derives the metadata of spec §2 from the labels a page states
// (pageMeta) and from the text's head and tail. Labels win over text. A
// field that neither states is left empty: Extract never guesses.
func Extract(text string, pageMeta map[string]string) corpus.Metadata {
	lines := nonEmptyLines(text)
	head := lines
	if len(head) > headLines {
		head = head[:headLines]
	}
	tail := lines
	if len(tail) > tailLines {
		tail = tail[len(tail)-tailLines:]
	}
	var m corpus.Metadata

	// Title.
	m.Title = cleanTitle(pageMeta["title"])
	if m.Title == "" {
		m.Title = cleanTitle(pageMeta["标题"])
	}
	if m.Title == "" {
		m.Title = headTitle(lines)
	}

	// The head proper: lines before the first provision. Cited documents in
	// a preamble sentence must not be read as this document's 文号.
	var header []string
	for _, l := range head {
		if strings.ContainsRune(l, '。') || isProvision(l) || strings.HasSuffix(l, "：") || strings.HasSuffix(l, ":") ||
			strings.ContainsRune(l, '，') && utf8.RuneCountInString(l) > 60 {
			break
		}
		header = append(header, l)
	}

	// Document number.
	m.DocNumber = NormalizeDocNumber(pageMeta["发文字号"])
	if m.DocNumber == "" {
		m.DocNumber = headerDocNumber(header)
	}
	if m.DocNumber == "" && m.Title != "" {
		m.DocNumber = findDocNumber(m.Title)
	}
	if m.DocNumber == "" {
		m.DocNumber = findDocNumber(pageMeta["notes"])
	}

	// Dates.
	hd := headerDates(header)
	for _, k := range []string{"成文日期", "发布日期"} {
		if m.Issued == "" {
			m.Issued, _ = ParseDate(pageMeta[k])
		}
	}
	if m.Issued == "" {
		m.Issued = hd.issued
	}
	if m.Issued == "" {
		m.Issued = signatureDate(tail)
	}
	if m.Issued == "" {
		m.Issued, _ = ParseDate(pageMeta["published_at"])
	}
	m.Effective, _ = ParseDate(pageMeta["施行日期"])
	if m.Effective == "" {
		m.Effective = hd.effective
	}
	if m.Effective == "" {
		m.Effective = effectiveIn(tail)
	}
	if m.Effective == "" {
		m.Effective = effectiveIn([]string{pageMeta["notes"]})
	}

	// Issuers.
	if v := pageMeta["发文机关"]; v != "" {
		m.Issuers = splitIssuers(v)
	}
	if len(m.Issuers) == 0 {
		m.Issuers = headerIssuers(header)
	}
	if len(m.Issuers) == 0 {
		m.Issuers = titleIssuers(m.Title)
	}
	if len(m.Issuers) == 0 && strings.Contains(simp().Convert(m.Title), "备忘录") {
		m.Issuers = preambleIssuers(head)
	}
	if len(m.Issuers) == 0 {
		m.Issuers = signatureIssuers(tail)
	}
	if len(m.Issuers) == 0 {
		m.Issuers = preambleIssuers(head)
	}
	if len(m.Issuers) == 0 || m.Issued == "" {
		// a covering notice (现将《…》印发给你们) signed in the head
		if bodies, date := coveringSignature(head); len(bodies) > 0 {
			if len(m.Issuers) == 0 {
				m.Issuers = bodies
			}
			if m.Issued == "" {
				m.Issued = date
			}
		}
	}

	m.Kind = kindFor(m.Title, m.Issuers, m.DocNumber, lines)
	m.Region = regionOf(simp().Simplify(m.Title), m.Issuers, m.Kind)
	return m
}

// simp reads traditional characters as simplified for the matching of
// title words and kinds; values are kept as written.
var simp = sync.OnceValue(func() *corpus.Simplifier {
	z, err := corpus.LoadSimplifier(corpus.TradSimp())
	if err != nil {
		return nil // the tagger reports a broken table; here: no conversion
	}
	return z
})

// headConverter returns how to read a text's lines in simplified
// characters: converted when its head is written in traditional ones
// (judged once on the head, so that a short line with a single traditional
// character is converted too), else as they are.
func headConverter(lines []string) func(string) string {
	if z := simp(); z.Traditional(strings.Join(lines[:min(len(lines), titleScanLines)], "")) {
		return z.Convert
	}
	return func(s string) string { return s }
}

// titleScanLines is how many lines of the head may hold the title: pages
// open with site chrome (位置, 发布时间, 来源) and a 文号 line before it.
const titleScanLines = 10

// headTitle finds the title in the head of a text: the first line that
// looks like a title, or two or three consecutive lines that do together
// when the first one opens a title and leaves it unfinished (titles broken
// over lines in PDFs and pages: 印发《关于对…当事人 / 实施联合惩戒措施的
// 合作备忘录》的通知). A 《…》 opening a line is read alone (《X办法》(全文)
// …令第297号); site chrome, a "Title:" label and a 文号 are dropped. The
// scan stops at the body: a sentence (。) or a salutation ending in a
// colon. Lines are matched in simplified characters and returned as
// written.
func headTitle(lines []string) string {
	n := min(len(lines), titleScanLines)
	conv := headConverter(lines)
	var cands []string
	for i := range n {
		if strings.ContainsRune(lines[i], '。') || strings.HasSuffix(lines[i], "：") || strings.HasSuffix(lines[i], ":") || isProvision(lines[i]) {
			break
		}
		cands = append(cands, titleLine(lines[i], conv))
	}
	for i, l := range cands {
		if l == "" {
			continue
		}
		if opensTitle(conv(l)) {
			joined := l
			for j := i + 1; j < len(cands) && j <= i+2 && cands[j] != ""; j++ {
				joined += cands[j]
				if looksLikeTitle(conv(joined)) {
					return cleanTitle(joined)
				}
			}
		}
		if looksLikeTitle(conv(l)) {
			return cleanTitle(l)
		}
	}
	return ""
}

// reTitleOpen is how a title broken over lines starts: 关于, 印发, 转发, a
// 《 left open, or a line ending in a word that needs what follows.
var reTitleOpen = regexp.MustCompile(`^(?:[^。，]{0,24}(?:关于|印发|转发)|《[^》]*$)|(?:关于|印发|转发|的|和|及|与|对)$`)

// opensTitle reports whether a head line starts a title it does not
// finish.
func opensTitle(l string) bool {
	l = strings.Join(strings.Fields(l), "")
	return reTitleOpen.MatchString(l) && (!looksLikeTitle(l) || strings.Count(l, "《") > strings.Count(l, "》"))
}

var (
	reTitleLabel   = regexp.MustCompile(`^(?:Title|标题|標題)\s*[:：]\s*`)
	reNextLabel    = regexp.MustCompile(`\s+[A-Z][A-Za-z ]{2,30}:`)
	reQuotedOpen   = regexp.MustCompile(`^《([^《》]{4,80})》`)
	reLeadDocNum   = regexp.MustCompile(`^[\p{Han}]{1,8}\s*[〔\[［【(（]\s*[0-9]{4}\s*[〕\]］】)）]\s*[0-9]+\s*[号號]\s+`)
	reHanSpaceHan  = regexp.MustCompile(`(\p{Han})[ 　]+(\p{Han})`)
	reChromeMarker = regexp.MustCompile(`[|>]|发布时间|来源[:：]|点击|浏览|分享到|您(?:当前)?所在的?位置|首页|^会员动态|^新闻详情|^欢迎访问`)
)

// titleLine prepares a head line for the title scan: "" for site chrome
// and for a line that is only a 文号; else the line without a title label
// or a leading 文号, or the 《…》 it opens with.
func titleLine(l string, conv func(string) string) string {
	if loc := reTitleLabel.FindStringIndex(l); loc != nil {
		l = l[loc[1]:]
		if e := reNextLabel.FindStringIndex(l); e != nil {
			l = l[:e[0]] // Title: … Promulgating Entities: … on one line
		}
	}
	l = strings.TrimSpace(l)
	if m := reQuotedOpen.FindStringSubmatch(l); m != nil && looksLikeTitle(conv(m[1])) {
		return m[1]
	}
	if reChromeMarker.MatchString(conv(l)) {
		return ""
	}
	l = strings.TrimSpace(reLeadDocNum.ReplaceAllString(l, ""))
	if dn := findDocNumber(l); dn != "" && utf8.RuneCountInString(l) <= utf8.RuneCountInString(dn)+16 {
		return "" // 发改财金 〔2016〕 2798号(联合惩戒2016版), 主动公开 明府办函〔2018〕84号
	}
	return l
}

// kindFor is kindOf on the title read in simplified characters, else the
// kind the body of an untitled text states (bodyKind).
func kindFor(title string, issuers []string, docNumber string, lines []string) corpus.Kind {
	if k := kindOf(simp().Convert(title), issuers, docNumber); k != "" || title != "" {
		return k
	}
	return bodyKind(lines)
}

// bodyKind reads the kind a text without a title states in its body: an
// MOU names itself (合作备忘录) in its opening lines, or lists the
// implementing bodies of its measures (实施单位：) again and again.
func bodyKind(lines []string) corpus.Kind {
	implementers := 0
	conv := headConverter(lines)
	for i, l := range lines {
		l = conv(l)
		if i < 3 && strings.Contains(l, "合作备忘录") {
			return corpus.KindMOU
		}
		if strings.HasPrefix(l, "实施单位：") || strings.HasPrefix(l, "实施单位:") {
			implementers++
		}
	}
	if implementers >= 3 {
		return corpus.KindMOU
	}
	return ""
}

func nonEmptyLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

var (
	reTitleEnd  = regexp.MustCompile(`(条例|办法|规定|决定|意见|通知|备忘录|细则|规则|法|解释|方案|清单|纲要|规划|计划|批复|公告|标准|目录|规范|指引|指南|措施|章程|准则)(?:[（(][^（()）]{1,24}[）)])*$`)
	reProvision = regexp.MustCompile(`^(第[ 　]*[零〇一二两三四五六七八九十百千0-9]+[ 　]*[条條章编節节]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])`)
)

// looksLikeTitle accepts a first line that names an instrument: short, no
// sentence punctuation, ending in a document type word.
func looksLikeTitle(s string) bool {
	s = strings.Join(strings.Fields(strings.Trim(s, "《》 　")), "")
	return utf8.RuneCountInString(s) <= 80 && !strings.ContainsAny(s, "。；：:") && reTitleEnd.MatchString(s)
}

func isProvision(s string) bool { return reProvision.MatchString(s) }

// cleanTitle drops 《》, Markdown marks and surrounding space.
func cleanTitle(s string) string {
	s = strings.TrimSpace(strings.TrimLeft(s, "# "))
	s = strings.ReplaceAll(s, "《", "")
	s = strings.ReplaceAll(s, "》", "")
	s = strings.ReplaceAll(s, "**", "")
	s = reHanSpaceHan.ReplaceAllString(s, "$1$2")
	s = reHanSpaceHan.ReplaceAllString(s, "$1$2") // overlapping pairs: 甲 乙 丙
	return strings.TrimSpace(s)
}

// baseTitle strips trailing parenthesised notes (（2021年修订）, （试行）).
func baseTitle(t string) string {
	for {
		u := strings.TrimSpace(t)
		if !strings.HasSuffix(u, "）") && !strings.HasSuffix(u, ")") {
			return u
		}
		i := strings.LastIndexAny(u, "（(")
		if i <= 0 {
			return u
		}
		t = u[:i]
	}
}

var (
	reDocNumYear = regexp.MustCompile(`([\p{Han}]{1,8})\s*[〔\[［【(（]\s*([0-9]{4})\s*[〕\]］】)）]\s*([0-9]+)\s*[号號]`)
	reDocNumLing = regexp.MustCompile(`([\p{Han}]{1,24}令)\s*[（(]?\s*第\s*([0-9零〇一二两三四五六七八九十百千]+)\s*[号號]`)
	reDocNumHaoL = regexp.MustCompile(`([\p{Han}]{0,20}?)第\s*([0-9]+)\s*[号號]令`)
)

// NormalizeDocNumber returns the first 文号 in s, with the year brackets
// normalised to 〔〕 (发改财金[2016]141号 → 发改财金〔2016〕141号), or "".
// It reads 国务院令第631号 forms and 第297号令 too.
func NormalizeDocNumber(s string) string {
	return findDocNumber(s)
}

func findDocNumber(s string) string {
	s = foldWidthDigits(s)
	if m := reDocNumYear.FindStringSubmatch(s); m != nil {
		return m[1] + "〔" + m[2] + "〕" + m[3] + "号"
	}
	if m := reDocNumLing.FindStringSubmatch(s); m != nil {
		issuer := trimIssuerPrefix(strings.TrimSuffix(m[1], "令"))
		if issuer != "" {
			return issuer + "令第" + m[2] + "号"
		}
	}
	if m := reDocNumHaoL.FindStringSubmatch(s); m != nil {
		return trimIssuerPrefix(m[1]) + "第" + m[2] + "号令"
	}
	return ""
}

// headerDocNumber returns the first 〔year〕 文号 of the header, else the
// last 令 number: a revised text lists the original 令 first and the
// revision's last, and the text is the revision.
func headerDocNumber(header []string) string {
	last := ""
	for _, l := range header {
		if (strings.Contains(l, "》（") || strings.Contains(l, "》(")) && !strings.HasPrefix(l, "《") {
			continue // …《…》（国发〔2014〕21号） cites another document; a line opening with 《 is the title's own
		}
		dn := findDocNumber(l)
		if strings.Contains(dn, "〔") {
			return dn
		}
		if dn != "" {
			last = dn
		}
	}
	return last
}

// trimIssuerPrefix cuts what precedes an issuing body in a Han run: a date
// tail (…日), and the state name 中华人民共和国 before 国务院 or a ministry.
func trimIssuerPrefix(s string) string {
	if i := strings.LastIndexAny(s, "日月年"); i >= 0 {
		s = s[i+len("日"):]
	}
	s = strings.TrimPrefix(s, "中华人民共和国")
	s = strings.TrimPrefix(s, "原")
	return s
}

// foldWidthDigits folds full-width digits only (brackets must survive).
func foldWidthDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}

var reHeadVerb = regexp.MustCompile(`通过|公布|发布|印发|批准|修订|修正|签署|施行`)

type dates struct{ issued, effective string }

// headerDates reads the publication lines: each date is followed by its
// verb (…通过, …公布, …施行). issued is the latest non-施行 date (the
// version the text is), effective the 施行 date.
func headerDates(header []string) dates {
	var d dates
	for _, l := range header {
		l = foldWidth(l)
		ds := findDates(l)
		for i, dm := range ds {
			end := len(l)
			if i+1 < len(ds) {
				end = ds[i+1].start
			}
			seg := l[dm.end:end]
			verb := reHeadVerb.FindString(seg)
			if verb == "" {
				continue
			}
			if verb == "施行" && !strings.Contains(seg, "公布") {
				if d.effective == "" {
					d.effective = dm.iso
				}
				continue
			}
			if dm.iso > d.issued {
				d.issued = dm.iso
			}
		}
	}
	return d
}

var reEffective = regexp.MustCompile(`自\s*(\S{6,20}?日)\s*起\s*(?:施行|实施|执行|生效)`)

// effectiveIn finds "自2017年10月1日起施行", last occurrence first.
func effectiveIn(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		ms := reEffective.FindAllStringSubmatch(foldWidth(lines[i]), -1)
		for j := len(ms) - 1; j >= 0; j-- {
			if iso, ok := ParseDate(ms[j][1]); ok {
				return iso
			}
		}
	}
	return ""
}

// signatureDate is the date on the last lines when it stands alone or ends
// a signature line.
func signatureDate(tail []string) string {
	for i := len(tail) - 1; i >= 0 && i >= len(tail)-3; i-- {
		l := foldWidth(tail[i])
		if strings.ContainsAny(l, "。；，") {
			return ""
		}
		ds := findDates(l)
		if len(ds) > 0 && strings.TrimSpace(l[ds[len(ds)-1].end:]) == "" {
			return ds[len(ds)-1].iso
		}
	}
	return ""
}

var (
	reNPC     = regexp.MustCompile(`([\p{Han}]{0,12}?)第[零〇一二三四五六七八九十百0-9]+届(全国)?人民代表大会(常务委员会)?`)
	reCouncil = regexp.MustCompile(`国务院(?:第[0-9零〇一二三四五六七八九十百]+次)?常务会议|国务院令`)
	reCourt   = regexp.MustCompile(`最高人民(法院|检察院)`)
)

// reTitleIssuer is the issuing body that opens a title: 上海市人民政府印发
// 《…》的通知, 国务院关于…的意见, 甘肃省人民政府办公厅关于….
var reTitleIssuer = regexp.MustCompile(`^((?:中共)?\p{Han}[\p{Han}、]{1,40}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|人民法院|检察院|国务院|局|厅|部|委|署|行|会))(?:关于|印发|转发)`)

// titleIssuers returns the bodies a title opens with, as written (the
// title is matched in simplified characters, which keeps its offsets).
func titleIssuers(title string) []string {
	m := reTitleIssuer.FindStringSubmatchIndex(simp().Convert(title))
	if m == nil {
		return nil
	}
	var out []string
	for _, b := range strings.Split(title[m[2]:m[3]], "、") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

// headerIssuers reads the body that passed or promulgated the text from the
// publication lines, latest first. Approval lines (…批准) name a supervising body, not the
// issuer, and are skipped.
func headerIssuers(header []string) []string {
	var out []string
	add := func(s string) {
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	// Latest line first: a revised law lists the body that passed the
	// original (全国人民代表大会) before the one that amended it.
	for i := len(header) - 1; i >= 0; i-- {
		l := header[i]
		if utf8.RuneCountInString(l) > 40 && len(findDates(foldWidth(l))) == 0 {
			continue // prose that merely mentions a body
		}
		if strings.Contains(l, "批准") && !strings.Contains(l, "通过") {
			continue
		}
		if m := reNPC.FindStringSubmatch(l); m != nil {
			region := trimIssuerPrefix(m[1])
			if m[2] != "" {
				region = "全国"
			}
			body := region + "人民代表大会"
			if m[3] != "" {
				body += "常务委员会"
			}
			if region != "" {
				add(body)
			}
			continue
		}
		if reCouncil.MatchString(l) {
			add("国务院")
			continue
		}
		if m := reCourt.FindString(l); m != "" {
			add(m)
			continue
		}
		if m := reDocNumLing.FindStringSubmatch(foldWidthDigits(l)); m != nil {
			if is := trimIssuerPrefix(strings.TrimSuffix(m[1], "令")); is != "" {
				add(is)
			}
		}
	}
	return out
}

var orgSuffixes = []string{"部", "委", "院", "局", "厅", "办", "会", "政府", "总局", "署", "行", "室", "联", "公司", "中心", "集团", "团中央", "法院", "检察院"}

func isOrg(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 30 || strings.ContainsAny(s, "。；，,：:、") {
		return false
	}
	for _, suf := range orgSuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// coveringSignature reads the signature of a covering notice in the head
// of a text: a line of body names right above a line that is only a date
// (贺州市人民政府办公室 / 2018年7月27日). Bodies are matched in simplified
// characters and returned as written.
func coveringSignature(head []string) ([]string, string) {
	for i := 1; i < len(head); i++ {
		d := foldWidth(head[i])
		ds := findDates(d)
		if len(ds) != 1 || strings.TrimSpace(d[:ds[0].start]) != "" || strings.TrimSpace(d[ds[0].end:]) != "" {
			continue
		}
		prev := head[i-1]
		if strings.ContainsAny(prev, "。；，,：:") {
			continue
		}
		var bodies []string
		for _, f := range strings.Fields(prev) {
			if isOrg(simp().Convert(f)) {
				bodies = append(bodies, f)
			}
		}
		if len(bodies) > 0 {
			return bodies, ds[0].iso
		}
	}
	return nil, ""
}

// splitIssuers splits a list of bodies on 、，, / ; and white space, and on
// 和 only between two complete body names (人民银行和证监会, but not
// 文化和旅游部).
func splitIssuers(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("、，,；;/／", r)
	})
	var out []string
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if i := strings.IndexAny(f, "（("); i > 0 {
			f = f[:i]
		}
		if f == "" {
			continue
		}
		out = append(out, splitHe(f)...)
	}
	return out
}

func splitHe(f string) []string {
	for i := 0; i < len(f); {
		j := strings.Index(f[i:], "和")
		if j < 0 {
			break
		}
		left, right := f[:i+j], f[i+j+len("和"):]
		if isOrg(left) && isOrg(right) {
			return append([]string{left}, splitHe(right)...)
		}
		i += j + len("和")
	}
	return []string{f}
}

// reCiting is the verb a signatory list may follow in its sentence.
var reCiting = regexp.MustCompile(`^(?:按照|根据|依据|落实)`)

var reSignatories = regexp.MustCompile(`([^，。：；]{2,}(?:、[^，。：；、]{2,})+)等(?:[0-9一二三四五六七八九十]+个)?(?:部门|单位)`)

// preambleIssuers reads the signatory list of a MOU preamble
// (国家发展改革委、人民银行、…等部门和单位).
func preambleIssuers(head []string) []string {
	for _, l := range head {
		loc := reSignatories.FindStringSubmatchIndex(l)
		if loc == nil {
			continue
		}
		if rest := l[loc[1]:]; strings.HasPrefix(rest, "签署的") || strings.HasPrefix(rest, "联合签署的") || strings.HasPrefix(rest, "印发的") {
			continue // 按照X、Y等38个部门签署的《…》 cites another MOU's signatories
		}
		var out []string
		for _, f := range splitIssuers(reCiting.ReplaceAllString(l[loc[2]:loc[3]], "")) {
			if isOrg(f) && utf8.RuneCountInString(f) >= 2 {
				out = append(out, f)
			}
		}
		if len(out) >= 2 {
			return out
		}
	}
	return nil
}

// signatureIssuers reads issuing bodies from the signature block: the last
// lines without sentence punctuation that name bodies (…部发布, or a row of
// body names and a date).
func signatureIssuers(tail []string) []string {
	var out []string
	for i := len(tail) - 1; i >= 0 && i >= len(tail)-3; i-- {
		l := foldWidth(tail[i])
		if strings.ContainsAny(l, "。；，") {
			break
		}
		if ds := findDates(l); len(ds) > 0 {
			l = strings.TrimSpace(l[:ds[0].start])
		}
		var bodies []string
		for _, f := range strings.Fields(l) {
			f = strings.TrimSuffix(strings.TrimSuffix(f, "发布"), "印发")
			if isOrg(f) {
				bodies = append(bodies, f)
			}
		}
		if len(bodies) > 0 {
			out = append(bodies, out...)
		}
	}
	return out
}
