package structure

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/scs-project/scs/corpus"
)

// item is a 项/目 of an article paragraph, with its sub-items.
type item struct {
	level      int // 1 （一）, 2 1., 3 （1）
	seg, label string
	text       string
	off        int
	children   []*item
}

// para is one 款 of an article: its text up to the first item, and items.
type para struct {
	label string // the article label on the first paragraph
	text  string
	off   int
	items []*item
	stack []*item // open items, innermost last
}

// article is a 第N条 being collected until the next article or heading.
type article struct {
	path     string // heading prefix + 第N条, not yet unique
	headings []string
	paras    []*para
}

// join appends seg to a path.
func join(path, seg string) string {
	if path == "" {
		return seg
	}
	return path + "/" + seg
}

// articles builds the clauses of a regulation: 编/章/节 headings, 第N条
// articles, 款 paragraphs (one per line), 项 and 目 items.
func (b *builder) articles(lines []line) {
	var (
		segs     [3]string // 编, 章, 节 path segments
		titles   [3]string
		art      *article
		prevNum  int
		preParas = map[string]int{} // 第N段 counters outside articles
	)
	prefix := func() string {
		p := ""
		for _, s := range segs {
			if s != "" {
				p = join(p, s)
			}
		}
		return p
	}
	headings := func() []string {
		var h []string
		for _, t := range titles {
			if t != "" {
				h = append(h, t)
			}
		}
		return h
	}
	for _, l := range lines {
		s := l.text
		if seg, title, level, ok := matchHeading(s); ok {
			b.flush(art)
			art = nil
			segs[level], titles[level] = seg, title
			for i := level + 1; i < len(segs); i++ {
				segs[i], titles[i] = "", ""
			}
			continue
		}
		if label, rest, ok := matchArticle(s, prevNum); ok {
			b.flush(art)
			if n, ok := numeral(reArticle.FindStringSubmatch(s)[1]); ok {
				prevNum = n
			}
			art = &article{
				path:     join(prefix(), "第"+foldDigits(articleNumber(s))+"条"),
				headings: headings(),
				paras:    []*para{{label: label, text: rest, off: l.off}},
			}
			continue
		}
		if art == nil {
			// Before the first article of a part: preamble, or an
			// unnumbered paragraph right under a heading.
			parent := prefix()
			key := parent
			if parent == "" {
				parent = "序言"
			}
			preParas[key]++
			b.add(corpus.Clause{
				Path:     join(parent, "第"+strconv.Itoa(preParas[key])+"段"),
				Text:     s,
				Headings: headings(),
				Offset:   l.off,
			})
			continue
		}
		last := art.paras[len(art.paras)-1]
		if level, seg, label, rest, ok := itemLevel(s); ok && level >= 2 {
			it := &item{level: level - 1, seg: seg, label: label, text: rest, off: l.off}
			for len(last.stack) > 0 && last.stack[len(last.stack)-1].level >= it.level {
				last.stack = last.stack[:len(last.stack)-1]
			}
			if len(last.stack) == 0 {
				last.items = append(last.items, it)
			} else {
				top := last.stack[len(last.stack)-1]
				top.children = append(top.children, it)
			}
			last.stack = append(last.stack, it)
			continue
		}
		if last.text == "" && len(last.items) == 0 {
			// The label stood alone on its line.
			last.text, last.off = s, l.off
			continue
		}
		art.paras = append(art.paras, &para{text: s, off: l.off})
	}
	b.flush(art)
}

// articleNumber returns the numeral of a 第N条 line without spaces.
func articleNumber(s string) string {
	return removeSpace(reArticle.FindStringSubmatch(s)[1])
}

// flush emits the clauses of a finished article. 第N款 enters the path only
// when the article has more than one paragraph.
func (b *builder) flush(art *article) {
	if art == nil {
		return
	}
	artPath := b.reserve(art.path)
	multi := len(art.paras) > 1
	for k, p := range art.paras {
		path := artPath
		if multi {
			path = join(artPath, "第"+strconv.Itoa(k+1)+"款")
		}
		parent := ""
		if p.text != "" || len(p.items) == 0 {
			if multi {
				path = b.add(corpus.Clause{Path: path, Label: p.label, Text: p.text, Headings: art.headings, Offset: p.off})
			} else {
				// The article path is already reserved.
				b.clauses = append(b.clauses, corpus.Clause{Path: path, Label: p.label, Text: p.text, Headings: art.headings, Offset: p.off})
			}
			parent = path
		} else if multi {
			path = b.reserve(path)
		}
		b.items(p.items, path, parent, art.headings)
	}
}

// items emits items under path; parent is the lead-in clause's path, empty
// when the paragraph had no text of its own.
func (b *builder) items(its []*item, path, parent string, headings []string) {
	for _, it := range its {
		p := b.add(corpus.Clause{
			Path:     join(path, it.seg),
			Label:    it.label,
			Text:     it.text,
			Headings: headings,
			Parent:   parent,
			Offset:   it.off,
		})
		b.items(it.children, p, p, headings)
	}
}

// unit is an open numbered unit (or the root) of a policy document.
type unit struct {
	level   int // 0 root, 1 一、, 2 （一）, 3 1., 4 （1）
	path    string
	heading bool
	title   string // heading text, for Clause.Headings
	lead    string // lead-in path for the units below a heading
	paras   int    // 第N段 counter
	last    int    // index in b.clauses of the last 第N段 paragraph
	clause  int    // index in b.clauses of a clause unit
	content bool   // a clause was emitted below this heading
	label   string
	off     int
}

// reMeasureLine is a line an MOU writes after a measure: the bodies that
// implement it and its legal basis.
var reMeasureLine = regexp.MustCompile(`^(?:` + corpus.MeasureLineLabels + `)\s*[：:]`)

// policy builds the clauses of a document without articles: numbered units
// 一、 > （一） > 1. > （1）, bare headings, and 第N段 paragraphs.
func (b *builder) policy(lines []line) {
	stack := []*unit{{level: 0, heading: true}}
	headings := func() []string {
		var h []string
		for _, u := range stack {
			if u.heading && u.title != "" {
				h = append(h, u.title)
			}
		}
		return h
	}
	markContent := func() {
		for _, u := range stack {
			u.content = true
		}
	}
	// pop closes units at or below level; a bare heading with nothing under
	// it was a short item after all and becomes a clause.
	pop := func(level int) {
		for len(stack) > 1 && stack[len(stack)-1].level >= level {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if u.heading && !u.content {
				parent := stack[len(stack)-1]
				par := parent.lead
				if !parent.heading {
					par = parent.path
				}
				text := strings.TrimSpace(strings.TrimPrefix(u.title, u.label))
				b.clauses = append(b.clauses, corpus.Clause{Path: u.path, Label: u.label, Text: text, Headings: headings(), Parent: par, Offset: u.off})
				markContent()
			}
		}
	}
	for _, l := range lines {
		s := l.text
		if level, seg, label, rest, ok := itemLevel(s); ok {
			pop(level)
			parent := stack[len(stack)-1]
			path := b.reserve(join(parent.path, seg))
			par := parent.lead
			if !parent.heading {
				par = parent.path
			}
			u := &unit{level: level, path: path, label: label, off: l.off}
			if rest == "" || isBareHeading(rest) {
				u.heading, u.title, u.lead = true, collapseSpace(s), par
			} else {
				u.clause = len(b.clauses)
				b.clauses = append(b.clauses, corpus.Clause{Path: path, Label: label, Text: rest, Headings: headings(), Parent: par, Offset: l.off})
				markContent()
			}
			stack = append(stack, u)
			continue
		}
		top := stack[len(stack)-1]
		if !top.heading {
			c := &b.clauses[top.clause]
			c.Text += "\n" + s
			continue
		}
		if top.paras > 0 && top.last == len(b.clauses)-1 && reMeasureLine.MatchString(s) {
			// 实施单位：/法律依据： belongs to the measure paragraph above it
			// (（十六）…审批参考 / 对…当事人，… / 实施单位：证监会)
			b.clauses[top.last].Text += "\n" + s
			continue
		}
		top.paras++
		base := top.path
		if top.level == 0 {
			base = "序言"
		}
		par := top.lead
		path := b.add(corpus.Clause{Path: join(base, "第"+strconv.Itoa(top.paras)+"段"), Text: s, Headings: headings(), Parent: par, Offset: l.off})
		top.last = len(b.clauses) - 1
		markContent()
		if top.level > 0 {
			if endsLeadIn(s) {
				top.lead = path
			} else {
				top.lead = ""
			}
		}
	}
	pop(1)
}
