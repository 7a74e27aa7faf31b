package meta

import (
	"regexp"
	"strings"

	"github.com/scs-project/scs/corpus"
)

// provinces are the provincial-level names as they appear in titles.
var provinces = []string{"北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省",
	"黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
	"广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
	"内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
	"香港特别行政区", "澳门特别行政区"}

// reLocalPrefix finds a sub-provincial place at the start of a name:
// 深圳市, 台州市, 楚雄州, 文登区 …
var reLocalPrefix = regexp.MustCompile(`^([\p{Han}]{2,3}(?:市|自治州|州|盟|地区))`)

// localPrefix returns the place a title or body name starts with, or "".
func localPrefix(s string) string {
	for _, p := range provinces {
		if strings.HasPrefix(s, p) {
			return p
		}
		// 上海社会信用条例 without 市 is rare in titles; not read.
	}
	if m := reLocalPrefix.FindString(s); m != "" && !strings.HasPrefix(m, "全国") && !strings.HasPrefix(m, "国家") {
		return m
	}
	return ""
}

// isCentral reports whether a body is a central (national) one.
func isCentral(body string) bool {
	if localPrefix(body) != "" {
		return false
	}
	for _, p := range []string{"国务院", "全国", "最高人民", "国家", "中共中央", "中央", "中国", "人民银行", "海关总署", "税务总局"} {
		if strings.HasPrefix(body, p) {
			return true
		}
	}
	for _, s := range []string{"部", "委", "总局", "总署", "银保监会", "证监会", "署"} {
		if strings.HasSuffix(body, s) {
			return true
		}
	}
	return false
}

// kindOf derives the spec §1 kind from the title, the issuers and the 文号,
// in order of the most specific evidence. It returns "" when nothing
// decides.
func kindOf(title string, issuers []string, docNumber string) corpus.Kind {
	base := baseTitle(title)
	first := ""
	if len(issuers) > 0 {
		first = issuers[0]
	}
	localNPC := strings.Contains(first, "人民代表大会") && !strings.HasPrefix(first, "全国")
	switch {
	case title == "" && docNumber == "" && first == "":
		return ""
	case strings.Contains(title, "征求意见稿"):
		return corpus.KindDraft
	case strings.Contains(title, "备忘录"):
		return corpus.KindMOU
	case strings.HasPrefix(docNumber, "法释") || strings.HasPrefix(docNumber, "高检发释"),
		(reCourt.MatchString(title) || reCourt.MatchString(first)) &&
			(strings.HasSuffix(base, "规定") || strings.HasSuffix(base, "解释") || strings.HasSuffix(base, "批复")):
		return corpus.KindJudicialInterpretation
	case strings.HasSuffix(base, "清单"):
		return corpus.KindList
	case strings.HasPrefix(base, "中华人民共和国") && strings.HasSuffix(base, "法"),
		strings.HasPrefix(first, "全国人民代表大会") && strings.HasSuffix(base, "法"):
		return corpus.KindLaw
	case localNPC:
		return corpus.KindLocalRegulation
	case strings.HasSuffix(base, "条例") && localPrefix(strings.TrimPrefix(base, "中华人民共和国")) != "":
		return corpus.KindLocalRegulation
	case strings.HasSuffix(base, "条例") && strings.HasPrefix(base, "深圳经济特区"):
		return corpus.KindLocalRegulation
	case strings.HasSuffix(base, "条例") && (first == "" || first == "国务院"):
		// A 条例 without a place name is the State Council's: local
		// regulations always carry their region.
		return corpus.KindAdministrativeRegulation
	case strings.Contains(docNumber, "人民政府令") || strings.Contains(docNumber, "政府第") && strings.HasSuffix(docNumber, "号令"):
		return corpus.KindLocalGovernmentRule
	case strings.Contains(docNumber, "令第") && docNumber != "" && !strings.HasPrefix(docNumber, "国务院令") && !strings.HasPrefix(docNumber, "主席令"):
		return corpus.KindDepartmentalRule
	case strings.HasPrefix(docNumber, "国务院令"):
		return corpus.KindAdministrativeRegulation
	case strings.Contains(docNumber, "〔") && reNormativeEnd.MatchString(base),
		// a numbered 文件 whose title the text does not give
		title == "" && strings.Contains(docNumber, "〔"),
		// a policy document by its title: (…印发)…关于…的意见, 印发…方案的通知
		reNormativeTitle.MatchString(base):
		return corpus.KindNormativeDocument
	}
	return ""
}

var reNormativeTitle = regexp.MustCompile(`(?:关于|印发|转发)[^。]*(?:通知|意见|方案|规划|纲要|计划|措施)$`)

var reNormativeEnd = regexp.MustCompile(`(通知|意见|方案|办法|规划|纲要|决定|细则|规定|计划|措施|指引|批复|公告)$`)

// regionOf is "national" for central bodies and national kinds, else the
// place named first by the issuer or the title.
func regionOf(title string, issuers []string, kind corpus.Kind) string {
	for _, is := range issuers {
		if p := localPrefix(is); p != "" {
			return p
		}
	}
	if p := localPrefix(title); p != "" {
		return p
	}
	if strings.HasPrefix(title, "深圳经济特区") {
		return "深圳市"
	}
	switch kind {
	case corpus.KindLaw, corpus.KindAdministrativeRegulation, corpus.KindJudicialInterpretation:
		return "national"
	}
	for _, is := range issuers {
		if isCentral(is) {
			return "national"
		}
	}
	return ""
}
