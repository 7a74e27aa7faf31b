package crawler

import (
	"bytes"
	"fmt"
)

// Anti-bot walls (research/sources.md A.3, S2.1): 瑞数 (RiverSecurity)
// answers 412 with an inline `$_ts` script; 加速乐 answers 521, or 307
// without a Location, with JavaScript that sets `__jsl_clearance`; Aliyun's
// WAF sets `acw_sc__v2`; some sites serve the same challenges as HTTP 200.
// A challenge is never stored as a document and never solved: the source
// is marked blocked and the run goes on.

// strongMarkers identify a challenge wherever they appear in a page.
var strongMarkers = []string{"$_ts=", "$_ts =", "$_ts[", "__jsl_clearance", "acw_sc__v2", "_waf_", "window.location.reload()"}

// weakMarkers identify a challenge only in a short page with no content
// (an article may well contain a <noscript> telling to enable JavaScript).
var weakMarkers = []string{"Please enable JavaScript", "please enable javascript", "请开启JavaScript", "请启用JavaScript",
	"请刷新后重试", "document.cookie="}

// Challenge reports whether a response is an anti-bot challenge, and why.
func Challenge(status int, body []byte) (reason string, ok bool) {
	marker := ""
	probe := body
	if len(probe) > 64<<10 {
		probe = probe[:64<<10]
	}
	for _, m := range strongMarkers {
		if m == "window.location.reload()" {
			continue // only with a short page, below
		}
		if bytes.Contains(probe, []byte(m)) {
			marker = m
			break
		}
	}
	if marker == "" && len(body) < 8<<10 {
		for _, m := range append(weakMarkers, "window.location.reload()") {
			if bytes.Contains(probe, []byte(m)) {
				marker = m
				break
			}
		}
	}
	switch {
	case status == 412:
		return withMarker("HTTP 412 challenge (瑞数/RiverSecurity WAF)", marker), true
	case status == 521:
		return withMarker("HTTP 521 challenge (加速乐 WAF)", marker), true
	case marker != "" && (status == 307 || status == 302 || status == 403 || status == 200 || status == 500):
		return fmt.Sprintf("HTTP %d JavaScript challenge page (marker %q)", status, marker), true
	}
	return "", false
}

func withMarker(s, marker string) string {
	if marker == "" {
		return s
	}
	return fmt.Sprintf("%s, marker %q", s, marker)
}
