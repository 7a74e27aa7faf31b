package crawler

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"
)

// parseHTML parses a fetched page, decoding its charset (header, meta).
func parseHTML(resp *Response) (*goquery.Document, error) {
	r, err := charset.NewReader(bytes.NewReader(resp.Body), resp.ContentType)
	if err != nil {
		r = bytes.NewReader(resp.Body)
	}
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		return nil, fmt.Errorf("%s: parse list page: %w", resp.URL, err)
	}
	return doc, nil
}

// anchors returns the items of a list page: the links selected by sel
// (resolved against the page URL) that keep, with their title (the title
// attribute, else the text) and the date found in their list entry.
func anchors(doc *goquery.Document, pageURL, sel string, keep func(*url.URL) bool) []Item {
	base, _ := url.Parse(pageURL)
	var out []Item
	seen := map[string]bool{}
	doc.Find(sel).Each(func(_ int, a *goquery.Selection) {
		href, ok := a.Attr("href")
		if !ok {
			return
		}
		ref, err := url.Parse(strings.TrimSpace(href))
		if err != nil {
			return
		}
		u := base.ResolveReference(ref)
		if (u.Scheme != "http" && u.Scheme != "https") || (keep != nil && !keep(u)) {
			return
		}
		cu := Canonical(u.String())
		if seen[cu] {
			return
		}
		seen[cu] = true
		title, _ := a.Attr("title")
		if strings.TrimSpace(title) == "" {
			title = a.Text()
		}
		date := ""
		if m := dateRe.FindString(a.Parent().Text()); m != "" {
			date = m
		}
		out = append(out, Item{URL: cu, Title: collapse(title), Date: date})
	})
	return out
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// trsLister reads a TRS CMS column (research/sources.md A.2, A.6): page 1
// is index.html, page k+1 is index_k.html, and the number of pages comes
// from createPageHTML(N, cur, "index", "html") in an inline script; the
// items are links to detail pages tYYYYMMDD_<id>.html. Option "item" (CSS
// selector) narrows the links considered.
type trsLister struct {
	src   Source
	pages int // from createPageHTML on the first page
	ext   string
}

var (
	trsListRe   = regexp.MustCompile(`createPageHTML\(\s*(\d+)\s*,\s*\d+\s*,\s*["']([\w-]+)["']\s*,\s*["'](s?html?)["']`)
	trsDetailRe = regexp.MustCompile(`/t\d{8}_\d+\.s?html?$`)
)

func (l *trsLister) page(ctx context.Context, s *session, n int) ([]Item, bool, error) {
	u := l.src.URL
	if n > 0 {
		u = trsPageURL(l.src.URL, n, l.ext)
	}
	resp, err := s.fetch(ctx, Request{URL: u})
	if err != nil {
		return nil, false, fmt.Errorf("list page %d: %w", n+1, err)
	}
	if n == 0 {
		l.pages, l.ext = 1, "html"
		if m := trsListRe.FindSubmatch(resp.Body); m != nil {
			l.pages, _ = strconv.Atoi(string(m[1]))
			l.ext = string(m[3])
		}
	}
	doc, err := parseHTML(resp)
	if err != nil {
		return nil, false, err
	}
	sel := l.src.Options["item"]
	if sel == "" {
		sel = "a[href]"
	}
	items := anchors(doc, resp.FinalURL, sel, func(u *url.URL) bool { return trsDetailRe.MatchString(u.Path) })
	return items, n+1 < l.pages, nil
}

// trsPageURL is the URL of list page n+1 (n ≥ 1): index_n.<ext> beside
// the first page.
func trsPageURL(first string, n int, ext string) string {
	u, err := url.Parse(first)
	if err != nil {
		return first
	}
	dir, file := u.Path, ""
	if i := strings.LastIndex(dir, "/"); i >= 0 {
		dir, file = dir[:i+1], dir[i+1:]
	}
	stem := "index"
	if file != "" {
		if dot := strings.LastIndex(file, "."); dot > 0 {
			stem = file[:dot]
			if ext == "" {
				ext = file[dot+1:]
			}
		}
	}
	if ext == "" {
		ext = "html"
	}
	u.Path = fmt.Sprintf("%s%s_%d.%s", dir, stem, n, ext)
	return u.String()
}

// govcnLister reads gov.cn's search API (research/sources.md A.1):
// GET …/search-gov/data?t=&q=&p=&n=&sort=…; results per bucket in
// searchVO.catMap.<bucket>.listVO, each bucket with its own totalCount
// (the top-level totalCount is always 0). Options: t (default
// zhengcelibrary), n (page size, default 20), sort (default pubtime).
type govcnLister struct {
	src  Source
	seen map[string]bool // buckets overlap: dedupe on url within a run
}

type govcnResponse struct {
	SearchVO struct {
		TotalCount int `json:"totalCount"`
		CatMap     map[string]struct {
			TotalCount int `json:"totalCount"`
			ListVO     []struct {
				Title      string `json:"title"`
				URL        string `json:"url"`
				PCode      string `json:"pcode"`
				PubOrg     string `json:"puborg"`
				PubTimeStr string `json:"pubtimeStr"`
				PTime      int64  `json:"ptime"`
				Index      string `json:"index"`
				ChildType  string `json:"childtype"`
			} `json:"listVO"`
		} `json:"catMap"`
	} `json:"searchVO"`
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

var cst = time.FixedZone("CST", 8*3600)

func (l *govcnLister) page(ctx context.Context, s *session, n int) ([]Item, bool, error) {
	opt := func(k, def string) string {
		if v := l.src.Options[k]; v != "" {
			return v
		}
		return def
	}
	size, err := strconv.Atoi(opt("n", "20"))
	if err != nil || size <= 0 {
		return nil, false, fmt.Errorf("option n %q: not a page size", l.src.Options["n"])
	}
	q := url.Values{}
	q.Set("t", opt("t", "zhengcelibrary"))
	q.Set("q", l.src.Query)
	q.Set("p", strconv.Itoa(n+1))
	q.Set("n", strconv.Itoa(size))
	q.Set("sort", opt("sort", "pubtime"))
	q.Set("sortType", "1")
	q.Set("searchfield", "title:content")
	q.Set("timetype", "timeqb")
	u, err := url.Parse(l.src.URL)
	if err != nil {
		return nil, false, err
	}
	u.RawQuery = q.Encode() // never a type= parameter: it zeroes the results
	resp, err := s.fetch(ctx, Request{URL: u.String(), Header: map[string]string{
		"Referer": u.Scheme + "://" + u.Host + "/", "Accept": "application/json"}})
	if err != nil {
		return nil, false, fmt.Errorf("search page %d: %w", n+1, err)
	}
	var r govcnResponse
	if err := json.Unmarshal(resp.Body, &r); err != nil {
		return nil, false, fmt.Errorf("%s: search response is not the expected JSON: %w", u, err)
	}
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	var items []Item
	more := false
	for _, cat := range sortedKeys(r.SearchVO.CatMap) {
		b := r.SearchVO.CatMap[cat]
		if (n+1)*size < b.TotalCount {
			more = true
		}
		for _, v := range b.ListVO {
			cu := Canonical(v.URL)
			if v.URL == "" || l.seen[cu] {
				continue
			}
			l.seen[cu] = true
			date := v.PubTimeStr // null on later pages: fall back to ptime (UTC ms → +08)
			if date == "" && v.PTime > 0 {
				date = time.UnixMilli(v.PTime).In(cst).Format("2006-01-02")
			}
			items = append(items, Item{URL: cu, Title: collapse(tagRe.ReplaceAllString(v.Title, "")), Date: date,
				Meta: map[string]string{"发文字号": v.PCode, "发文机关": v.PubOrg, "索引号": v.Index, "主题分类": v.ChildType}})
		}
	}
	if len(items) == 0 {
		s.c.log.Info("search returned no results", "source", s.src.Name, "page", n+1)
	}
	return items, more, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// htmlLister is the generic list adapter for the long tail, configured
// with CSS selectors: option "item" selects the detail links of a list
// page (required), "next" the link to the next list page (optional; without
// it the listing is one page).
type htmlLister struct {
	src  Source
	next string // URL of the next list page, found on the previous one
}

func newHTMLLister(src Source) (*htmlLister, error) {
	if src.Options["item"] == "" {
		return nil, fmt.Errorf("source %s: the html adapter needs option item (CSS selector of the detail links)", src.Name)
	}
	return &htmlLister{src: src}, nil
}

func (l *htmlLister) page(ctx context.Context, s *session, n int) ([]Item, bool, error) {
	u := l.src.URL
	if n > 0 {
		u = l.next
	}
	resp, err := s.fetch(ctx, Request{URL: u})
	if err != nil {
		return nil, false, fmt.Errorf("list page %d: %w", n+1, err)
	}
	doc, err := parseHTML(resp)
	if err != nil {
		return nil, false, err
	}
	items := anchors(doc, resp.FinalURL, l.src.Options["item"], nil)
	l.next = ""
	if sel := l.src.Options["next"]; sel != "" {
		if href, ok := doc.Find(sel).First().Attr("href"); ok {
			base, _ := url.Parse(resp.FinalURL)
			if ref, err := url.Parse(strings.TrimSpace(href)); err == nil {
				if nu := base.ResolveReference(ref).String(); Canonical(nu) != Canonical(u) {
					l.next = nu
				}
			}
		}
	}
	return items, l.next != "", nil
}

// hanwebLister reads a Hanweb (大汉) jpage column (research/sources.md
// A.6): the list is not in the static page (index_1.html is a 404) but
// comes from POST /module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=
// with form fields naming the column, answering XML with <totalrecord>
// and <record><![CDATA[<li><a …>]]></record> entries. Options: columnid
// (required), unitid, webid, webname, path (default /), appid (default 1),
// perpage (default 15), proxy_url (default the site's dataproxy.jsp).
type hanwebLister struct {
	src Source
}

type hanwebXML struct {
	TotalRecord int      `xml:"totalrecord"`
	TotalPage   int      `xml:"totalpage"`
	Records     []string `xml:"recordset>record"`
}

func (l *hanwebLister) page(ctx context.Context, s *session, n int) ([]Item, bool, error) {
	o := l.src.Options
	if o["columnid"] == "" {
		return nil, false, fmt.Errorf("source %s: the hanweb adapter needs option columnid", l.src.Name)
	}
	per, err := strconv.Atoi(cmpOr(o["perpage"], "15"))
	if err != nil || per <= 0 {
		return nil, false, fmt.Errorf("option perpage %q: not a page size", o["perpage"])
	}
	base, err := url.Parse(l.src.URL)
	if err != nil {
		return nil, false, err
	}
	proxy := cmpOr(o["proxy_url"], base.Scheme+"://"+base.Host+"/module/web/jpage/dataproxy.jsp")
	pu, err := url.Parse(proxy)
	if err != nil {
		return nil, false, fmt.Errorf("option proxy_url %q: %w", proxy, err)
	}
	start, end := n*per+1, (n+1)*per
	pu.RawQuery = fmt.Sprintf("startrecord=%d&endrecord=%d&perpage=%d", start, end, per)
	form := url.Values{}
	form.Set("col", "1")
	form.Set("appid", cmpOr(o["appid"], "1"))
	form.Set("webid", o["webid"])
	form.Set("path", cmpOr(o["path"], "/"))
	form.Set("columnid", o["columnid"])
	form.Set("sourceContentType", "1")
	form.Set("unitid", o["unitid"])
	form.Set("webname", o["webname"])
	form.Set("permissiontype", "0")
	resp, err := s.fetch(ctx, Request{URL: pu.String(), Method: "POST", Body: []byte(form.Encode()),
		Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Referer": l.src.URL}})
	if err != nil {
		return nil, false, fmt.Errorf("list page %d: %w", n+1, err)
	}
	var x hanwebXML
	dec := xml.NewDecoder(bytes.NewReader(resp.Body))
	dec.CharsetReader = charset.NewReaderLabel
	if err := dec.Decode(&x); err != nil {
		return nil, false, fmt.Errorf("%s: dataproxy response is not the expected XML: %w", pu, err)
	}
	var items []Item
	for _, rec := range x.Records {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec))
		if err != nil {
			continue
		}
		items = append(items, anchors(doc, l.src.URL, "a[href]", nil)...)
	}
	return items, end < x.TotalRecord, nil
}

func cmpOr(v, def string) string {
	if v != "" {
		return v
	}
	return def
}
