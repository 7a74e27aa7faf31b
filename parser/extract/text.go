package extract

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/scs-project/scs/corpus"
)

var (
	frontMatter = regexp.MustCompile(`(?s)\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\z)`)
	htmlComment = regexp.MustCompile(`(?s)<!--.*?(?:-->|\z)`)
	mdHeading   = regexp.MustCompile(`^(#{1,6})[ \t]+(.*?)[ \t#]*$`)
	mdImage     = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	mdLink      = regexp.MustCompile(`\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)`)
	mdEmphasis  = regexp.MustCompile(`\*\*|__|~~`)
	mdRule      = regexp.MustCompile(`^(?:-{3,}|\*{3,}|_{3,})$`)
	mdBullet    = regexp.MustCompile(`^[-*+][ \t]+`)
	mdTableSep  = regexp.MustCompile(`^\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?$`)
	htmlBreak   = regexp.MustCompile(`(?i)<br\s*/?>`)
	htmlTag     = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
	mdEscape    = regexp.MustCompile(`\\([\\*_#\[\]()>~|-])`)
)

// extractText reads plain text and Markdown. Markdown is read the way the
// LawRefBook mirror and scraper exports write it (corpus/real/README.md):
// front matter and HTML comments go (front matter keys into PageMeta),
// headings become their text, the first "# " heading becomes the first
// line and PageMeta["title"], and inline markup is dropped.
func (e *Extractor) extractText(raw []byte, source string, markdown bool) (result, error) {
	s, enc := decodeText(raw)
	e.log.Debug("text charset", "stage", "extract", "source", source, "charset", enc)
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	res := result{extractor: "text", meta: map[string]string{}}
	if markdown {
		res.extractor = "markdown"
		s = e.markdown(s, source, &res)
	}
	res.text = cleanText(s)
	if res.text == "" {
		return res, fmt.Errorf("text %s: no text", source)
	}
	res.quality = quality(res.text)
	if res.quality < e.cfg.MinQuality {
		res.flags = []string{corpus.FlagLowQuality}
		return res, fmt.Errorf("text %s: text implausible (quality %.2f, decoded as %s)", source, res.quality, enc)
	}
	return res, nil
}

func (e *Extractor) markdown(s, source string, res *result) string {
	if m := frontMatter.FindStringSubmatchIndex(s); m != nil {
		readFrontMatter(s[m[2]:m[3]], res.meta)
		s = s[m[1]:]
	}
	s = htmlComment.ReplaceAllString(s, "\n")
	s = htmlBreak.ReplaceAllString(s, "\n")
	base := baseFor(res.meta["source_url"], source)
	var title string
	var out []string
	inFence := false
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			inFence = !inFence
			continue
		}
		for strings.HasPrefix(t, ">") {
			t = strings.TrimSpace(t[1:])
		}
		if mdRule.MatchString(t) || mdTableSep.MatchString(t) && strings.Contains(t, "-") && strings.Contains(t, "|") {
			continue
		}
		level := 0
		if m := mdHeading.FindStringSubmatch(t); m != nil {
			level, t = len(m[1]), m[2]
		}
		t = mdBullet.ReplaceAllString(t, "")
		if strings.HasPrefix(t, "|") && strings.HasSuffix(t, "|") && len(t) > 1 {
			t = strings.ReplaceAll(strings.Trim(t, "|"), "|", "\t")
		}
		t = mdImage.ReplaceAllString(t, "")
		t = mdLink.ReplaceAllStringFunc(t, func(l string) string {
			m := mdLink.FindStringSubmatch(l)
			if link, ok := documentLink(m[2], m[1], base); ok {
				res.attachments = appendLink(res.attachments, link)
			}
			return m[1]
		})
		t = htmlTag.ReplaceAllString(t, "")
		t = mdEmphasis.ReplaceAllString(t, "")
		t = mdEscape.ReplaceAllString(t, "$1")
		if level == 1 && title == "" {
			if title = normalizeLine(t); title != "" {
				continue // moved to the front below
			}
		}
		out = append(out, t)
	}
	if title != "" {
		if _, ok := res.meta["title"]; !ok {
			res.meta["title"] = title
		}
		out = append([]string{title}, out...)
	}
	return strings.Join(out, "\n")
}

// readFrontMatter puts the scalar keys of YAML front matter into meta; a
// block YAML cannot parse is read as "key: value" lines.
func readFrontMatter(block string, meta map[string]string) {
	var m map[string]any
	// Anchors and aliases have no business in front matter and are how
	// YAML is made to blow up, so such blocks are read line by line.
	if len(block) > 16<<10 || strings.ContainsAny(block, "&*") {
		m = nil
	} else if err := yaml.Unmarshal([]byte(block), &m); err == nil {
		for k, v := range m {
			switch v := v.(type) {
			case string:
				if v = normalizeLine(v); v != "" {
					meta[k] = v
				}
			case nil, map[string]any, []any:
			default:
				meta[k] = normalizeLine(fmt.Sprint(v))
			}
		}
		return
	}
	for _, l := range strings.Split(block, "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok {
			k, v = strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), `"'`)
			if k != "" && v != "" {
				meta[k] = normalizeLine(v)
			}
		}
	}
}

func baseFor(candidates ...string) *url.URL {
	for _, c := range candidates {
		if u, err := url.Parse(c); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return u
		}
	}
	return nil
}

// documentLink reports whether href points at a document file and returns
// it absolute (when base is known) with its title.
func documentLink(href, title string, base *url.URL) (corpus.Link, bool) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil || href == "" || !attachmentExt[strings.ToLower(path.Ext(u.Path))] {
		return corpus.Link{}, false
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	title = normalizeLine(mdEmphasis.ReplaceAllString(title, ""))
	if title == "" {
		title = path.Base(u.Path)
	}
	return corpus.Link{URL: u.String(), Title: title}, true
}

func appendLink(links []corpus.Link, l corpus.Link) []corpus.Link {
	for _, have := range links {
		if have.URL == l.URL {
			return links
		}
	}
	return append(links, l)
}
