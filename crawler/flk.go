package crawler

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/scs-project/scs/corpus"
)

// flkLister reads the national laws database flk.npc.gov.cn (research/
// sources.md A.4), a Vue SPA since 2025-08 whose data comes from a JSON API
// under /law-search/:
//
//   - POST search/list with a JSON body in which every field must be
//     present and orderByParam must be an object (else HTTP 500 系统异常);
//     the answer has total and rows[] (bbbs, title with <em> highlights,
//     gbrq, sxrq, sxx, flxz, zdjgName, flfgCodeId, zdjgCodeId);
//   - GET search/flfgDetails?bbbs= answers data with the metadata, the
//     version history lsyg, related files and ossFile (docx, pdf, OFD
//     paths); its content is a tree of headings only, never the text;
//   - GET download/pc?format=docx|pdf&bbbs=&fileId= answers data.url, a
//     pre-signed OBS URL valid about an hour (data.urlIn, an internal
//     172.16 address, is ignored).
//
// A list item is the law (its details URL); the crawler stores no JSON in
// the corpus: the law's text is the downloaded file, stored under the
// stable download/pc URL (never the signed one), carrying the details as
// crawl-state metadata that the parse phase puts in Document.PageMeta.
// The signed link is fetched at once; a 403 or 410 on it (expired) asks for
// a fresh link once. The server answers empty bodies after about 20
// requests in a row: the source's pause_every/pause rest it, and an empty
// body is retried after 1 s, 2 s, 4 s.
//
// Options: page_size (default 20, at most 100), search_range (1 title,
// 2 full text; default 1), search_type (1 exact, 2 fuzzy; default 2), sxx
// (validity codes, comma-separated: 1 废止, 2 已修改, 3 有效, 4 尚未生效;
// default all), flfg_code_id (classification codes, comma-separated),
// formats (default docx; e.g. "docx,pdf"), detail_url and download_url
// (default beside the search URL).
//
// Not verified against the live site (no network here): the exact shape of
// lsyg entries (kept as JSON, not interpreted), whether rows/total may sit
// under data (both are read), and the WZWS cookie wall (307 + wzws_cid)
// one public client reports: a 307 with a JavaScript challenge is reported
// as blocked like any wall; a bare 307 fails the source.
type flkLister struct {
	src               Source
	root              string
	size              int
	detail, download  string
	formats           []string
	sxx, codes        []int
	searchRange, kind int
}

func newFLKLister(src Source) (*flkLister, error) {
	u, err := url.Parse(src.URL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("source %s: url %q", src.Name, src.URL)
	}
	l := &flkLister{src: src, root: u.Scheme + "://" + u.Host}
	o := src.Options
	num := func(k, def string) (int, error) {
		n, err := strconv.Atoi(cmpOr(o[k], def))
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("source %s: option %s %q: want a positive number", src.Name, k, o[k])
		}
		return n, nil
	}
	if l.size, err = num("page_size", "20"); err != nil {
		return nil, err
	}
	l.size = min(l.size, 100)
	if l.searchRange, err = num("search_range", "1"); err != nil {
		return nil, err
	}
	if l.kind, err = num("search_type", "2"); err != nil {
		return nil, err
	}
	list := func(k string) ([]int, error) {
		out := []int{}
		for _, f := range strings.Split(o[k], ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			n, err := strconv.Atoi(f)
			if err != nil {
				return nil, fmt.Errorf("source %s: option %s %q: want comma-separated numbers", src.Name, k, o[k])
			}
			out = append(out, n)
		}
		return out, nil
	}
	if l.sxx, err = list("sxx"); err != nil {
		return nil, err
	}
	if l.codes, err = list("flfg_code_id"); err != nil {
		return nil, err
	}
	for _, f := range strings.Split(cmpOr(o["formats"], "docx"), ",") {
		switch f = strings.TrimSpace(f); f {
		case "docx", "pdf":
			l.formats = append(l.formats, f)
		case "":
		default:
			return nil, fmt.Errorf("source %s: option formats: %q is not docx or pdf", src.Name, f)
		}
	}
	l.detail = cmpOr(o["detail_url"], l.root+"/law-search/search/flfgDetails")
	l.download = cmpOr(o["download_url"], l.root+"/law-search/download/pc")
	return l, nil
}

// flkSearch is the body of search/list: every field present.
type flkSearch struct {
	SearchRange   int               `json:"searchRange"`
	SearchType    int               `json:"searchType"`
	SearchContent string            `json:"searchContent"`
	Sxx           []int             `json:"sxx"`
	Gbrq          []string          `json:"gbrq"`
	Sxrq          []string          `json:"sxrq"`
	GbrqYear      []int             `json:"gbrqYear"`
	FlfgCodeID    []int             `json:"flfgCodeId"`
	ZdjgCodeID    []int             `json:"zdjgCodeId"`
	OrderByParam  map[string]string `json:"orderByParam"`
	PageNum       int               `json:"pageNum"`
	PageSize      int               `json:"pageSize"`
}

type flkRow struct {
	BBBS     string          `json:"bbbs"`
	Title    string          `json:"title"`
	Gbrq     string          `json:"gbrq"`
	Sxrq     string          `json:"sxrq"`
	Sxx      json.RawMessage `json:"sxx"` // a number or a string
	Flxz     string          `json:"flxz"`
	ZdjgName string          `json:"zdjgName"`
}

type flkList struct {
	Code  int      `json:"code"`
	Msg   string   `json:"msg"`
	Total int      `json:"total"`
	Rows  []flkRow `json:"rows"`
	Data  *struct {
		Total int      `json:"total"`
		Rows  []flkRow `json:"rows"`
	} `json:"data"`
}

type flkDetail struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
	Data *struct {
		flkRow
		OssFile map[string]string `json:"ossFile"`
		Lsyg    json.RawMessage   `json:"lsyg"`
	} `json:"data"`
}

type flkLink struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
	Data *struct {
		URL string `json:"url"`
	} `json:"data"`
}

// flkValidity names the sxx codes (sources.md A.4).
var flkValidity = map[string]string{"1": "废止", "2": "已修改", "3": "有效", "4": "尚未生效"}

var emRe = regexp.MustCompile(`</?em[^>]*>`)

func (l *flkLister) page(ctx context.Context, s *session, n int) ([]Item, bool, error) {
	body, _ := json.Marshal(flkSearch{SearchRange: l.searchRange, SearchType: l.kind, SearchContent: l.src.Query,
		Sxx: l.sxx, Gbrq: []string{}, Sxrq: []string{}, GbrqYear: []int{}, FlfgCodeID: l.codes, ZdjgCodeID: []int{},
		OrderByParam: map[string]string{"order": "-1", "sort": ""}, PageNum: n + 1, PageSize: l.size})
	var r flkList
	if err := l.call(ctx, s, Request{URL: l.src.URL, Method: "POST", Body: body}, &r); err != nil {
		return nil, false, fmt.Errorf("search page %d: %w", n+1, err)
	}
	rows, total := r.Rows, r.Total
	if r.Data != nil && rows == nil {
		rows, total = r.Data.Rows, r.Data.Total
	}
	items := make([]Item, 0, len(rows))
	for _, row := range rows {
		if row.BBBS == "" {
			continue
		}
		it := Item{URL: Canonical(l.detail + "?bbbs=" + url.QueryEscape(row.BBBS)), Title: flkTitle(row.Title), Date: row.Gbrq}
		it.Meta = row.meta()
		items = append(items, it)
	}
	return items, (n+1)*l.size < total, nil
}

func flkTitle(t string) string { return collapse(emRe.ReplaceAllString(t, "")) }

// meta is what a row states, under the PageMeta keys the metadata stage
// reads (title, 发布机关, 公布日期, 施行日期, 有效性).
func (r flkRow) meta() map[string]string {
	m := map[string]string{"flk_bbbs": r.BBBS}
	set := func(k, v string) {
		if v = strings.TrimSpace(v); v != "" {
			m[k] = v
		}
	}
	set("title", flkTitle(r.Title))
	set("发布机关", r.ZdjgName)
	set("公布日期", r.Gbrq)
	set("施行日期", r.Sxrq)
	set("法律性质", r.Flxz)
	sxx := strings.Trim(string(r.Sxx), `"`)
	if v, ok := flkValidity[sxx]; ok {
		set("有效性", v)
	}
	return m
}

// call makes one API request and decodes its JSON answer into v. An empty
// body (the rate limit) is retried after 1 s, 2 s, 4 s; an answer whose
// code is not 200 is an error with the server's message.
func (l *flkLister) call(ctx context.Context, s *session, r Request, v any) error {
	if r.Header == nil {
		r.Header = map[string]string{"Accept": "application/json, text/plain, */*", "Referer": l.root + "/"}
		if r.Method == "POST" {
			r.Header["Content-Type"] = "application/json;charset=utf-8"
			r.Header["Origin"] = l.root
		}
	}
	for attempt := 0; ; attempt++ {
		resp, err := s.fetch(ctx, r)
		if err != nil {
			return err
		}
		body := bytes.TrimSpace(resp.Body)
		if len(body) == 0 {
			if attempt >= 3 {
				return fmt.Errorf("%s: empty answer %d times (rate limit)", r.URL, attempt+1)
			}
			wait := time.Second << attempt
			s.c.log.Info("empty answer (rate limit); waiting", "url", r.URL, "wait", wait)
			if err := s.c.cfg.Fetcher.cfg.Sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		if err := json.Unmarshal(body, v); err != nil {
			return fmt.Errorf("%s: answer is not the expected JSON: %w", r.URL, err)
		}
		var c struct {
			Code *int   `json:"code"`
			Msg  string `json:"msg"`
		}
		_ = json.Unmarshal(body, &c)
		if c.Code != nil && *c.Code != 200 {
			return fmt.Errorf("%s: API code %d: %s", r.URL, *c.Code, c.Msg)
		}
		return nil
	}
}

// fetchItem fetches a law's details, then each wanted format through a
// fresh short-lived link, and stores the files. The details URL is marked
// ok only when a file was stored, so a law whose download failed is tried
// again next run.
func (l *flkLister) fetchItem(ctx context.Context, s *session, it Item, st *corpus.URLState, log *slog.Logger) error {
	c := s.c
	var d flkDetail
	err := l.call(ctx, s, Request{URL: st.URL}, &d)
	if err == nil && d.Data == nil {
		err = fmt.Errorf("%s: details answer without data", st.URL)
	}
	if err != nil {
		_, _, err = c.record(ctx, s, st, nil, err, log)
		return err
	}
	meta := map[string]string{}
	for k, v := range it.Meta {
		meta[k] = v
	}
	for k, v := range d.Data.flkRow.meta() {
		if k != "flk_bbbs" || v != "" {
			meta[k] = v
		}
	}
	if len(d.Data.Lsyg) > 0 && string(d.Data.Lsyg) != "null" {
		var compact bytes.Buffer
		if json.Compact(&compact, d.Data.Lsyg) == nil {
			meta["flk_versions"] = compact.String() // shape not verified: kept as the API gave it
		}
	}
	bbbs := cmpOr(d.Data.BBBS, it.Meta["flk_bbbs"])
	stored := 0
	for _, format := range l.formats {
		if len(d.Data.OssFile) > 0 && !flkHasFile(d.Data.OssFile, format) {
			continue // the details name no file of this format
		}
		q := url.Values{"format": {format}, "bbbs": {bbbs}, "fileId": {""}}
		fu := Canonical(l.download + "?" + q.Encode())
		fst, ok, err := c.cfg.State.URLState(ctx, fu)
		if err != nil {
			return &storeError{err}
		}
		if !ok {
			fst = corpus.URLState{URL: fu}
		}
		fst.Kind, fst.Source, fst.Parent, fst.Title, fst.SeenAt = "download", s.src.Name, st.URL, it.Title, st.SeenAt
		fst.Meta = maps.Clone(meta)
		fst.Meta["flk_format"] = format
		resp, err := l.file(ctx, s, fu, format)
		if _, _, err := c.record(ctx, s, &fst, resp, err, log); err != nil {
			return err
		}
		if fst.Status == corpus.URLOK {
			stored++
		}
	}
	st.Meta, st.FetchedAt, st.HTTPStatus, st.Error = meta, time.Now().UTC(), 200, ""
	st.Status = corpus.URLOK
	if stored == 0 {
		st.Status, st.Error = corpus.URLFailed, "no file of formats "+strings.Join(l.formats, ",")+" could be stored"
	}
	if err := c.cfg.State.SaveURLState(ctx, *st); err != nil {
		return &storeError{err}
	}
	return nil
}

func flkHasFile(oss map[string]string, format string) bool {
	for k, v := range oss {
		k = strings.ToLower(k)
		if v == "" || strings.Contains(k, "ofd") {
			continue
		}
		if (format == "docx" && strings.Contains(k, "word")) || (format == "pdf" && strings.Contains(k, "pdf")) {
			return true
		}
	}
	return false
}

// file asks download/pc for a signed link and fetches it at once; a 403
// or 410 on the link (expired) asks for a fresh one, once. The response's
// FinalURL loses the signature (useless after an hour) and its content
// type falls back to the format's.
func (l *flkLister) file(ctx context.Context, s *session, api, format string) (*Response, error) {
	var resp *Response
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		var link flkLink
		if err = l.call(ctx, s, Request{URL: api}, &link); err != nil {
			return nil, err
		}
		if link.Data == nil || link.Data.URL == "" {
			return nil, fmt.Errorf("%s: no download link in the answer", api)
		}
		signed, perr := url.Parse(link.Data.URL)
		if perr != nil || (signed.Scheme != "http" && signed.Scheme != "https") {
			return nil, fmt.Errorf("%s: download link %q is not an http(s) URL", api, link.Data.URL)
		}
		f := s.c.cfg.Fetcher
		if !f.allowed[strings.ToLower(signed.Host)] && !f.allowed[strings.ToLower(signed.Hostname())] &&
			private(ctx, signed.Hostname()) {
			return nil, fmt.Errorf("%s: download link leads to a private address %s (not in the source registry)", api, signed.Host)
		}
		resp, err = s.fetch(ctx, Request{URL: link.Data.URL})
		var se *StatusError
		if errors.As(err, &se) && (se.Status == 403 || se.Status == 410) && attempt == 0 {
			s.c.log.Info("download link refused (expired?); asking for a fresh one", "url", api, "status", se.Status)
			continue
		}
		break
	}
	if err != nil {
		var se *StatusError
		if errors.As(err, &se) {
			// The link's status is reported under the stable URL: a 404 of a
			// signed link says nothing about the law being gone.
			return nil, fmt.Errorf("%s: download link answered HTTP %d", api, se.Status)
		}
		return nil, err
	}
	if u, perr := url.Parse(resp.FinalURL); perr == nil {
		u.RawQuery = ""
		resp.FinalURL = u.String()
	}
	if ct := resp.ContentType; ct == "" || strings.HasPrefix(ct, "application/octet-stream") || strings.HasPrefix(ct, "binary/") {
		resp.ContentType = map[string]string{"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			"pdf": "application/pdf"}[format]
	}
	return resp, nil
}
