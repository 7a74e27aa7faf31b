package extract

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/scs-project/scs/corpus"
)

// contentSelectors are the body containers of the CMS families that
// publish SCS documents (research/sources.md), most specific first.
var contentSelectors = []string{
	"#UCAP-CONTENT", ".pages_content", // gov.cn templates A and B
	".TRS_Editor", ".trs_editor_view", ".Custom_UnionStyle", // TRS
	"#zoom", ".bt_content", // Hanweb
	".article_con", "#Zoom", ".view.TRS_UEDITOR",
	"div.WordSection1", "div.Section1", // Word "save as HTML"
	".article",
}

// junkTags never hold body text.
var junkTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Iframe: true,
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Form: true,
	atom.Button: true, atom.Select: true, atom.Input: true, atom.Textarea: true,
	atom.Object: true, atom.Embed: true, atom.Svg: true, atom.Template: true,
	atom.Head: true,
}

// junkClass matches class or id tokens of navigation and page chrome.
var junkClass = regexp.MustCompile(`(?i)^(nav|navbar|menu|topnav|subnav|breadcrumb\w*|crumbs?|position|location|footer\w*|foot|header|header_\w+|share\w*|sidebar|side|toolbar|pages_print\w*|print\w*|related|xg-list|pagination|pageinfo|copyright|bottom|top)$`)

// blockTags end a line before and after their content.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.Tr: true, atom.Table: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Section: true, atom.Article: true, atom.Blockquote: true, atom.Pre: true,
	atom.Dl: true, atom.Dd: true, atom.Dt: true, atom.Center: true, atom.Hr: true,
	atom.Address: true, atom.Fieldset: true, atom.Caption: true, atom.Main: true,
	atom.Aside: true, atom.Figure: true, atom.Figcaption: true, atom.Body: true,
}

// metaNames are the <meta name=…> values worth keeping: gov.cn and TRS
// pages state title, dates and source in them.
var metaNames = []string{"ArticleTitle", "PubDate", "ContentSource", "ColumnName", "SiteName",
	"keywords", "description", "author", "firstpublishedtime", "lastmodifiedtime",
	"manuscriptId", "lanmu", "catalog"}

// attachmentExt are the linked file types that carry document text.
var attachmentExt = map[string]bool{".pdf": true, ".doc": true, ".docx": true, ".wps": true,
	".ofd": true, ".xls": true, ".xlsx": true, ".zip": true, ".rar": true, ".et": true, ".txt": true}

func (e *Extractor) extractHTML(raw []byte, contentType, source string) (result, error) {
	text, enc := decodeHTML(raw, contentType)
	e.log.Debug("html charset", "stage", "extract", "source", source, "charset", enc)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(text))
	if err != nil {
		return result{}, fmt.Errorf("html %s: parse: %w", source, err)
	}
	res := result{extractor: "html/goquery", meta: map[string]string{}}
	base := baseURL(doc, source)
	res.attachments = attachments(doc, base)
	if more := trsPages(doc, base); len(more) > 0 {
		// The article continues on further pages (TRS): the crawler
		// fetches them; extract states where.
		res.meta["continued_on"] = strings.Join(more, " ")
	}
	collectMeta(doc, res.meta)
	title := pageTitle(doc)

	removeJunk(doc)
	// Labels like 发文字号：… are read from the whole page: the gov.cn
	// metadata table sits outside the body container.
	if body := doc.Find("body"); body.Length() > 0 {
		scanLabels(renderLines(body.Nodes[0]), res.meta)
	}
	root := mainContent(doc)
	if root == nil {
		return res, fmt.Errorf("html %s: no text content found", source)
	}
	res.text = cleanText(renderLines(root))
	if res.text == "" {
		return res, fmt.Errorf("html %s: no text content found", source)
	}
	if _, ok := res.meta["title"]; !ok {
		if title != "" {
			res.meta["title"] = title
		}
	}
	res.quality = quality(res.text)
	if res.quality < e.cfg.MinQuality {
		res.flags = append(res.flags, corpus.FlagLowQuality)
		return res, fmt.Errorf("html %s: text implausible (quality %.2f, charset %s)", source, res.quality, enc)
	}
	return res, nil
}

func collectMeta(doc *goquery.Document, meta map[string]string) {
	doc.Find("meta[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		content, _ := s.Attr("content")
		content = normalizeLine(content)
		if content == "" {
			return
		}
		for _, m := range metaNames {
			if strings.EqualFold(name, m) {
				if _, ok := meta[m]; !ok {
					meta[m] = content
				}
			}
		}
	})
	if t := meta["ArticleTitle"]; t != "" {
		meta["title"] = t
	}
}

// pageTitle is the title a page states when no metadata says it: an h1,
// else <title> without the site name after the first "_" or " - ".
func pageTitle(doc *goquery.Document) string {
	for _, sel := range []string{"h1#ti", "h1"} {
		if t := normalizeLine(doc.Find(sel).First().Text()); t != "" {
			return t
		}
	}
	t := normalizeLine(doc.Find("title").First().Text())
	for _, sep := range []string{"_", " - ", " | ", "--"} {
		if i := strings.Index(t, sep); i > 0 {
			t = strings.TrimSpace(t[:i])
		}
	}
	return t
}

func removeJunk(doc *goquery.Document) {
	var junk []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.CommentNode {
				junk = append(junk, c)
				continue
			}
			if c.Type != html.ElementNode {
				continue
			}
			if junkTags[c.DataAtom] || isHidden(c) || (hasJunkClass(c) && !holdsContent(c)) {
				junk = append(junk, c)
				continue
			}
			walk(c)
		}
	}
	walk(doc.Selection.Nodes[0])
	for _, n := range junk {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
}

func isHidden(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "style" {
			s := strings.ReplaceAll(strings.ToLower(a.Val), " ", "")
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

func hasJunkClass(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "class" || a.Key == "id" {
			for _, tok := range strings.Fields(a.Val) {
				if junkClass.MatchString(tok) {
					return true
				}
			}
		}
	}
	return false
}

// holdsContent keeps a chrome-named wrapper that contains the body.
func holdsContent(n *html.Node) bool {
	s := goquery.NewDocumentFromNode(n).Selection
	for _, sel := range contentSelectors[:len(contentSelectors)-1] {
		if s.Find(sel).Length() > 0 {
			return true
		}
	}
	return false
}

// mainContent picks the body container: a known CMS container with text,
// else the element with the densest non-link Chinese text.
func mainContent(doc *goquery.Document) *html.Node {
	for _, sel := range contentSelectors {
		var best *html.Node
		bestN := 0
		doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
			if n := hanCount(s.Text()); n > bestN {
				best, bestN = s.Nodes[0], n
			}
		})
		if bestN >= 10 {
			return best
		}
	}
	body := doc.Find("body")
	if body.Length() == 0 {
		return nil
	}
	return densest(body.Nodes[0])
}

// densest scores each block by the Chinese text it holds directly (not in
// links or nested blocks), credits its parent with 0.9 and its
// grandparent with 0.45 of that, and returns the best-scoring element: the
// container of the article's paragraphs rather than the whole page.
func densest(body *html.Node) *html.Node {
	score := map[*html.Node]float64{}
	var order []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if blockTags[n.DataAtom] || n.DataAtom == atom.Td || n.DataAtom == atom.Th {
			own := float64(ownHan(n))
			if own > 0 {
				add := func(m *html.Node, f float64) {
					if m == nil || m.Type != html.ElementNode {
						return
					}
					if _, ok := score[m]; !ok {
						order = append(order, m)
					}
					score[m] += own * f
				}
				add(n, 1)
				add(n.Parent, 0.9)
				if n.Parent != nil {
					add(n.Parent.Parent, 0.45)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(body)
	best, bestScore := body, 0.0
	for _, n := range order {
		if score[n] > bestScore {
			best, bestScore = n, score[n]
		}
	}
	return best
}

// ownHan counts Han characters in n's text outside links and nested blocks.
func ownHan(n *html.Node) int {
	count := 0
	var walk func(m *html.Node)
	walk = func(m *html.Node) {
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				count += hanCount(c.Data)
			case c.Type == html.ElementNode && c.DataAtom != atom.A && !blockTags[c.DataAtom] &&
				c.DataAtom != atom.Td && c.DataAtom != atom.Th:
				walk(c)
			}
		}
	}
	walk(n)
	return count
}

func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// renderLines turns a subtree into text: blocks and <br> end lines, table
// cells are separated by a tab so that a row stays on one line.
func renderLines(root *html.Node) string {
	var b strings.Builder
	newline := func() {
		if b.Len() > 0 {
			s := b.String()
			if s[len(s)-1] != '\n' {
				b.WriteByte('\n')
			}
		}
	}
	cell := 0 // depth of data cells: their blocks and breaks are spaces
	var walk func(n *html.Node, pre bool)
	walk = func(n *html.Node, pre bool) {
		switch n.Type {
		case html.TextNode:
			if pre {
				b.WriteString(n.Data)
			} else {
				b.WriteString(collapseSpace(n.Data))
			}
			return
		case html.ElementNode:
			if junkTags[n.DataAtom] && n.DataAtom != atom.Head {
				return
			}
			switch {
			case n.DataAtom == atom.Br:
				if cell > 0 {
					b.WriteByte(' ')
				} else {
					b.WriteByte('\n')
				}
				return
			case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
				data := isDataCell(n)
				if data {
					cell++
				}
				b.WriteByte('\t')
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c, pre)
				}
				b.WriteByte('\t')
				if data {
					cell--
				}
				return
			case blockTags[n.DataAtom] && cell > 0:
				b.WriteByte(' ')
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c, pre)
				}
				b.WriteByte(' ')
				return
			case blockTags[n.DataAtom]:
				newline()
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c, pre || n.DataAtom == atom.Pre)
				}
				newline()
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, pre)
		}
	}
	walk(root, false)
	return b.String()
}

// isDataCell tells a table cell holding a value from a layout cell that
// holds a page region (old sites lay pages out with tables): a data cell
// has no nested table, little text and at most three paragraphs, and stays on its row's line.
func isDataCell(n *html.Node) bool {
	runes, blocks := 0, 0
	var walk func(m *html.Node) bool
	walk = func(m *html.Node) bool {
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				runes += utf8.RuneCountInString(strings.TrimSpace(c.Data))
			case html.ElementNode:
				if blockTags[c.DataAtom] || c.DataAtom == atom.Br {
					blocks++
				}
				if c.DataAtom == atom.Table || !walk(c) {
					return false
				}
			}
			if runes > 150 || blocks > 3 {
				return false
			}
		}
		return true
	}
	return walk(n)
}

// collapseSpace turns HTML source whitespace into single spaces; source
// line breaks carry no meaning in HTML.
func collapseSpace(s string) string {
	if !strings.ContainsAny(s, "\n\r\t\f") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\n', '\r', '\t', '\f':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Page labels: gov.cn metadata tables and 政府信息公开 headers (sources.md
// A.1, A.6). The map gives the PageMeta key for a label.
var labelKeys = map[string]string{
	"索引号": "索引号", "主题分类": "主题分类", "发文机关": "发文机关", "发布机关": "发布机关",
	"发布机构": "发布机构", "发文单位": "发文单位", "成文日期": "成文日期", "标题": "title",
	"发文字号": "发文字号", "文号": "发文字号", "发布日期": "发布日期", "发布时间": "发布日期",
	"公布日期": "公布日期", "施行日期": "施行日期", "生效日期": "生效日期", "实施日期": "施行日期",
	"来源": "来源", "信息来源": "来源", "公开主体": "公开主体", "有效性": "有效性", "时效性": "有效性",
}

var labelRe = func() *regexp.Regexp {
	var alts []string
	for l := range labelKeys {
		var parts []string
		for _, r := range l {
			parts = append(parts, regexp.QuoteMeta(string(r)))
		}
		alts = append(alts, strings.Join(parts, `[ \x{3000}]*`))
	}
	// Longer labels first so 发文字号 wins over 文号.
	sortByLenDesc(alts)
	return regexp.MustCompile(`(?:^|[^\p{Han}])(` + strings.Join(alts, "|") + `)[ \x{3000}]*[:：]`)
}()

// scanLabels reads "LABEL：VALUE" pairs from short lines; a label cell
// with no value takes the next cell (<td>发文字号：</td><td>…</td>).
// otherLabel is a short label of page chrome after a value: "　浏览次数：".
var otherLabel = regexp.MustCompile(`\s\p{Han}{2,6}[：:]`)

func scanLabels(text string, meta map[string]string) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.Map(func(r rune) rune {
			if r == '\u00a0' || r == '\u3000' {
				return ' '
			}
			return r
		}, line)
		if utf8.RuneCountInString(line) > 400 {
			continue
		}
		cells := splitCells(line)
		for i, cell := range cells {
			if utf8.RuneCountInString(cell) > 120 {
				continue
			}
			ms := labelRe.FindAllStringSubmatchIndex(cell, -1)
			for j, m := range ms {
				label := strings.Map(func(r rune) rune {
					if r == ' ' || r == '\u3000' {
						return -1
					}
					return r
				}, cell[m[2]:m[3]])
				end := len(cell)
				if j+1 < len(ms) {
					end = ms[j+1][2]
				}
				val := strings.TrimSpace(cell[m[1]:end])
				// An unknown label after a space ends the value too
				// (来源：市住建局　浏览次数：…, 字号：[大 中 小]).
				if k := otherLabel.FindStringIndex(val); k != nil {
					val = strings.TrimSpace(val[:k[0]])
				}
				if val == "" && j+1 == len(ms) && i+1 < len(cells) && !labelRe.MatchString(cells[i+1]) {
					val = cells[i+1]
				}
				val = normalizeLine(val)
				key := labelKeys[label]
				if val == "" || utf8.RuneCountInString(val) > 100 {
					continue
				}
				if _, ok := meta[key]; !ok {
					meta[key] = val
				}
			}
		}
	}
}

func splitCells(line string) []string {
	var cells []string
	for _, c := range strings.Split(line, "\t") {
		if c = strings.TrimSpace(c); c != "" {
			cells = append(cells, c)
		}
	}
	return cells
}

func sortByLenDesc(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && len(s[j]) > len(s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func baseURL(doc *goquery.Document, source string) *url.URL {
	u, err := url.Parse(source)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		u = nil
	}
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := url.Parse(strings.TrimSpace(href)); err == nil {
			if u != nil {
				return u.ResolveReference(b)
			}
			if b.IsAbs() {
				return b
			}
		}
	}
	return u
}

// attachments lists links to document files, absolute when the page URL
// is known, each once, titled by its link text.
func attachments(doc *goquery.Document, base *url.URL) []corpus.Link {
	var links []corpus.Link
	seen := map[string]bool{}
	doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		href = strings.TrimSpace(href)
		u, err := url.Parse(href)
		if err != nil || href == "" || strings.HasPrefix(strings.ToLower(href), "javascript:") {
			return
		}
		if !attachmentExt[strings.ToLower(path.Ext(u.Path))] && !downloadQuery(u) {
			return
		}
		if base != nil {
			u = base.ResolveReference(u)
		}
		abs := u.String()
		if seen[abs] {
			return
		}
		seen[abs] = true
		title := normalizeLine(s.Text())
		if title == "" {
			title = normalizeLine(s.AttrOr("title", ""))
		}
		if title == "" {
			title = path.Base(u.Path)
		}
		links = append(links, corpus.Link{URL: abs, Title: title})
	})
	return links
}

// downloadQuery reports a download script link whose query names a
// document file: Hanweb's /module/download/downfile.jsp?filename=….pdf.
func downloadQuery(u *url.URL) bool {
	for _, vs := range u.Query() {
		for _, v := range vs {
			if attachmentExt[strings.ToLower(path.Ext(v))] {
				return true
			}
		}
	}
	return false
}

// trsPages finds TRS's createPageHTML(N, cur, "name", "ext") in a page's
// scripts: an article split over N pages, the rest at name_1.ext …
// name_{N-1}.ext beside this one. It returns those URLs (resolved against
// base when known) for the crawler to fetch and append.
func trsPages(doc *goquery.Document, base *url.URL) []string {
	var more []string
	doc.Find("script").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		m := createPageHTML.FindStringSubmatch(s.Text())
		if m == nil {
			return true
		}
		n, _ := strconv.Atoi(m[1])
		for i := 1; i < n && i < 100; i++ {
			u := &url.URL{Path: fmt.Sprintf("%s_%d.%s", m[2], i, m[3])}
			if base != nil {
				u = base.ResolveReference(u)
			}
			more = append(more, u.String())
		}
		return false
	})
	return more
}

var createPageHTML = regexp.MustCompile(`createPageHTML\(\s*(\d+)\s*,\s*\d+\s*,\s*["']([\w.-]+)["']\s*,\s*["'](\w+)["']`)
