package extract

import (
	"archive/zip"
	"encoding/xml"
	"strconv"
	"strings"
)

// docxNumbering renders Word's automatic numbering (w:numPr) the way Word
// prints it: numbering.xml maps a paragraph's numId and level to a format
// (decimal, chineseCounting, …) and a label template ("第%1条", "（%1）",
// "%1."), and the counters run through the document. Chinese documents
// made from templates often number 第N条 and （一） this way, and without
// the labels the structure stage finds no articles.
type docxNumbering struct {
	nums     map[string]string            // numId -> abstractNumId
	starts   map[string]map[int]int       // numId -> level -> startOverride
	abstract map[string]map[int]docxLevel // abstractNumId -> level
	styles   map[string]docxNumRef        // paragraph styleId -> numbering
	counters map[string]map[int]int       // abstractNumId -> level -> value
	started  map[string]bool              // numIds that have begun counting
}

type docxLevel struct {
	format, text, suffix string
	start                int
}

type docxNumRef struct {
	numID string
	ilvl  int
}

// readNumbering reads numbering.xml and styles.xml when present; a file
// it cannot parse just leaves paragraphs unnumbered.
func (e *Extractor) readNumbering(numbering, styles *zip.File) *docxNumbering {
	n := &docxNumbering{nums: map[string]string{}, starts: map[string]map[int]int{},
		abstract: map[string]map[int]docxLevel{}, styles: map[string]docxNumRef{},
		counters: map[string]map[int]int{}, started: map[string]bool{}}
	if numbering != nil {
		var doc struct {
			Abstract []struct {
				ID     string `xml:"abstractNumId,attr"`
				Levels []struct {
					Ilvl   int     `xml:"ilvl,attr"`
					Start  wordVal `xml:"start"`
					Format wordVal `xml:"numFmt"`
					Text   wordVal `xml:"lvlText"`
					Suffix wordVal `xml:"suff"`
				} `xml:"lvl"`
			} `xml:"abstractNum"`
			Num []struct {
				ID       string  `xml:"numId,attr"`
				Abstract wordVal `xml:"abstractNumId"`
				Override []struct {
					Ilvl  int     `xml:"ilvl,attr"`
					Start wordVal `xml:"startOverride"`
				} `xml:"lvlOverride"`
			} `xml:"num"`
		}
		if rc, r, err := e.openCapped(numbering); err == nil {
			if xml.NewDecoder(r).Decode(&doc) == nil {
				for _, a := range doc.Abstract {
					levels := map[int]docxLevel{}
					for _, l := range a.Levels {
						start, err := strconv.Atoi(l.Start.Val)
						if err != nil {
							start = 1
						}
						levels[l.Ilvl] = docxLevel{format: l.Format.Val, text: l.Text.Val, suffix: l.Suffix.Val, start: start}
					}
					n.abstract[a.ID] = levels
				}
				for _, m := range doc.Num {
					n.nums[m.ID] = m.Abstract.Val
					for _, o := range m.Override {
						if v, err := strconv.Atoi(o.Start.Val); err == nil {
							if n.starts[m.ID] == nil {
								n.starts[m.ID] = map[int]int{}
							}
							n.starts[m.ID][o.Ilvl] = v
						}
					}
				}
			}
			rc.Close()
		}
	}
	if styles != nil {
		var doc struct {
			Styles []struct {
				ID    string  `xml:"styleId,attr"`
				NumID wordVal `xml:"pPr>numPr>numId"`
				Ilvl  wordVal `xml:"pPr>numPr>ilvl"`
			} `xml:"style"`
		}
		if rc, r, err := e.openCapped(styles); err == nil {
			if xml.NewDecoder(r).Decode(&doc) == nil {
				for _, s := range doc.Styles {
					if s.NumID.Val != "" {
						lvl, _ := strconv.Atoi(s.Ilvl.Val)
						n.styles[s.ID] = docxNumRef{numID: s.NumID.Val, ilvl: lvl}
					}
				}
			}
			rc.Close()
		}
	}
	return n
}

// wordVal is an element whose value is its w:val attribute.
type wordVal struct {
	Val string `xml:"val,attr"`
}

// label advances the counters for a paragraph numbered (numID, ilvl) and
// returns its printed label with the separator that follows it, or "".
func (n *docxNumbering) label(numID string, ilvl int) string {
	if n == nil || numID == "" || numID == "0" {
		return ""
	}
	absID, ok := n.nums[numID]
	if !ok {
		return ""
	}
	levels := n.abstract[absID]
	lvl, ok := levels[ilvl]
	if !ok || lvl.format == "none" || lvl.format == "bullet" {
		return ""
	}
	c := n.counters[absID]
	if c == nil {
		c = map[int]int{}
		n.counters[absID] = c
	}
	if !n.started[numID] {
		// A num with start overrides restarts its list.
		n.started[numID] = true
		for l, v := range n.starts[numID] {
			c[l] = v - 1
			for deeper := range c {
				if deeper > l {
					delete(c, deeper)
				}
			}
		}
	}
	if _, ok := c[ilvl]; !ok {
		c[ilvl] = lvl.start - 1
	}
	c[ilvl]++
	for deeper := range c {
		if deeper > ilvl {
			delete(c, deeper)
		}
	}
	text := lvl.text
	for l := 0; l <= 8; l++ {
		ph := "%" + strconv.Itoa(l+1)
		if !strings.Contains(text, ph) {
			continue
		}
		v, ok := c[l]
		if !ok {
			v = levels[l].start
		}
		text = strings.ReplaceAll(text, ph, formatNumber(v, levels[l].format))
	}
	if text == "" {
		return ""
	}
	switch {
	case lvl.suffix == "nothing":
	case strings.HasSuffix(text, "）") || strings.HasSuffix(text, "、") || strings.HasSuffix(text, ")") && !strings.HasPrefix(text, "("):
		// Chinese item labels are followed directly by the text.
	default:
		text += " "
	}
	return text
}

// formatNumber prints n in a Word number format.
func formatNumber(n int, format string) string {
	switch format {
	case "chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCountingThousand", "chineseLegalSimplified":
		return chineseNumber(n)
	case "lowerLetter", "upperLetter":
		s := ""
		for m := n; m > 0; m = (m - 1) / 26 {
			s = string(rune('a'+(m-1)%26)) + s
		}
		if format == "upperLetter" {
			s = strings.ToUpper(s)
		}
		return s
	case "lowerRoman", "upperRoman":
		s := roman(n)
		if format == "lowerRoman" {
			s = strings.ToLower(s)
		}
		return s
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	case "decimalFullWidth":
		return strings.Map(func(r rune) rune { return r - '0' + '０' }, strconv.Itoa(n))
	}
	return strconv.Itoa(n)
}

// chineseNumber writes n (1..9999) as 一, 十二, 二十, 一百零一, 一千零五.
func chineseNumber(n int) string {
	if n <= 0 || n > 9999 {
		return strconv.Itoa(n)
	}
	digits := []rune("零一二三四五六七八九")
	units := []string{"", "十", "百", "千"}
	var b strings.Builder
	s := strconv.Itoa(n)
	zero := false
	for i, ch := range s {
		d := int(ch - '0')
		pos := len(s) - 1 - i
		if d == 0 {
			zero = true
			continue
		}
		if zero && b.Len() > 0 {
			b.WriteRune('零')
		}
		zero = false
		if !(d == 1 && pos == 1 && i == 0) { // 十二, not 一十二
			b.WriteRune(digits[d])
		}
		b.WriteString(units[pos])
	}
	return b.String()
}

func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}
