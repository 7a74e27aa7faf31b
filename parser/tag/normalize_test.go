package tag

import (
	"reflect"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"二百五十五", 255, true}, {"十", 10, true}, {"十二", 12, true}, {"二十", 20, true},
		{"一百零五", 105, true}, {"一〇五", 105, true}, {"两", 2, true}, {"三千零一", 3001, true},
		{"一万二千", 12000, true}, {"255", 255, true}, {"１２", 12, true}, {"六十三", 63, true},
		{"", 0, false}, {"第三", 0, false}, {"abc", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseNumber(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseNumber(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseCitations(t *testing.T) {
	const law = "中华人民共和国民事诉讼法"
	tests := []struct {
		in   string
		want []corpus.Citation
	}{
		{"《中华人民共和国民事诉讼法》第二百五十五条", []corpus.Citation{{Title: law, Article: 255}}},
		{"《中华人民共和国公司法》第一百四十六条第一款第(五)项", []corpus.Citation{{Title: "中华人民共和国公司法", Article: 146, Paragraph: 1, Item: 5}}},
		{"《中华人民共和国公司法》第一百四十六条第一款第（五）项", []corpus.Citation{{Title: "中华人民共和国公司法", Article: 146, Paragraph: 1, Item: 5}}},
		{"《中华人民共和国农产品质量安全法》第三十四条、第三十九条", []corpus.Citation{
			{Title: "中华人民共和国农产品质量安全法", Article: 34}, {Title: "中华人民共和国农产品质量安全法", Article: 39}}},
		{"《纳税信用管理办法(试行)》", []corpus.Citation{{Title: "纳税信用管理办法(试行)"}}},
		{"《企业债券管理条例》第12条第二项", []corpus.Citation{{Title: "企业债券管理条例", Article: 12, Item: 2}}},
		{"国务院关于建立完善守信联合激励和失信联合惩戒制度的指导意见", []corpus.Citation{{Title: "国务院关于建立完善守信联合激励和失信联合惩戒制度的指导意见"}}},
	}
	for _, tt := range tests {
		got := ParseCitations(tt.in)
		for i := range got {
			got[i].Text = ""
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseCitations(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in       string
		min, max int
		ok       bool
	}{
		{"3年", 36, 36, true}, {"五年", 60, 60, true}, {"6个月", 6, 6, true}, {"一至三年", 12, 36, true},
		{"1至3年", 12, 36, true}, {"半年", 6, 6, true}, {"十二个月", 12, 12, true}, {"两年", 24, 24, true},
		{"三至一年", 0, 0, false}, {"十五日", 0, 0, false}, {"", 0, 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseDuration(tt.in)
		if ok != tt.ok || got.Min != tt.min || got.Max != tt.max {
			t.Errorf("ParseDuration(%q) = %+v, %v; want %d–%d, %v", tt.in, got, ok, tt.min, tt.max, tt.ok)
		}
	}
}

func TestAliasesCanonical(t *testing.T) {
	a, err := LoadAliases(corpus.AgencyAliases())
	if err != nil {
		t.Fatalf("LoadAliases(embedded): %v", err)
	}
	tests := []struct{ in, canonical, current string }{
		{"人民银行", "中国人民银行", "中国人民银行"},
		{"中国人民银行", "中国人民银行", "中国人民银行"},
		{"发展改革委", "国家发展改革委", "国家发展改革委"},
		{"发改委", "国家发展改革委", "国家发展改革委"},
		{"国家发展改革委", "国家发展改革委", "国家发展改革委"},
		{"银监会", "中国银监会", "国家金融监督管理总局"},
		{"中国银行业监督管理委员会", "中国银监会", "国家金融监督管理总局"},
		{"银保监会", "中国银保监会", "国家金融监督管理总局"},
		{"金融监管总局", "国家金融监督管理总局", "国家金融监督管理总局"},
		{"中国铁路总公司", "中国铁路总公司", "中国国家铁路集团有限公司"},
		{"市社会信用管理部门", "市社会信用管理部门", "市社会信用管理部门"},
	}
	for _, tt := range tests {
		c, cur := a.Canonical(tt.in)
		if c != tt.canonical || cur != tt.current {
			t.Errorf("Canonical(%q) = %q, %q; want %q, %q", tt.in, c, cur, tt.canonical, tt.current)
		}
	}
}

func TestLoadAliasesRejects(t *testing.T) {
	for name, in := range map[string]string{
		"one column":   "人民银行\n",
		"bad third":    "a\tb\tmerged\n",
		"rename cycle": "a\tb\trenamed 2018\nb\ta\trenamed 2019\n",
	} {
		if _, err := LoadAliases([]byte(in)); err == nil {
			t.Errorf("%s: LoadAliases(%q) = nil error", name, in)
		}
	}
}

func TestMeasuresOfMOU(t *testing.T) {
	tg := mustDefault(t)
	d := &corpus.Document{Metadata: corpus.Metadata{Kind: corpus.KindMOU}, Clauses: []corpus.Clause{
		{ID: "c0", Path: "二/第1段", Text: "各部门对联合惩戒对象采取下列惩戒措施:"},
		{ID: "c1", Path: "二/（一）", Label: "(一)", Parent: "二/第1段", Text: "限制发行企业债券。\n实施单位:发改委、证监会\n法律依据:《企业债券管理条例》第十二条"},
		{ID: "c2", Path: "二/（二）", Label: "(二)", Parent: "二/第1段", Text: "从严审核贷款申请，提高贷款利率。\n实施单位:人民银行、银监会"},
		{ID: "c3", Path: "三/第1段", Text: "各部门定期通过全国信用信息共享平台反馈实施情况。"},
	}}
	tg.TagDocument(d)
	if len(d.Measures) != 2 {
		t.Fatalf("Measures = %+v, want 2 (the two items)", d.Measures)
	}
	m0, m1 := d.Measures[0], d.Measures[1]
	if m0.Ordinal != "(一)" || m0.Text != "限制发行企业债券。" || !m0.HasLegalBasis || m0.Kind != "sanction" {
		t.Errorf("measure 1 = %+v, want (一) 限制发行企业债券。 with legal basis", m0)
	}
	if want := []string{"国家发展改革委", "中国证监会"}; !reflect.DeepEqual(m0.AgenciesCanonical, want) {
		t.Errorf("measure 1 canonical agencies = %v, want %v", m0.AgenciesCanonical, want)
	}
	if len(m0.Citations) != 1 || m0.Citations[0].Title != "企业债券管理条例" || m0.Citations[0].Article != 12 {
		t.Errorf("measure 1 citations = %+v, want 企业债券管理条例 art. 12", m0.Citations)
	}
	if m1.HasLegalBasis || !reflect.DeepEqual(m1.Categories, []string{"finance"}) {
		t.Errorf("measure 2 = %+v, want finance without legal basis", m1)
	}
	if want := []string{"人民银行", "银监会"}; !reflect.DeepEqual(m1.Agencies, want) {
		t.Errorf("measure 2 agencies as written = %v, want %v", m1.Agencies, want)
	}
	if want := []string{"中国人民银行", "国家金融监督管理总局"}; !reflect.DeepEqual(m1.AgenciesCanonical, want) {
		t.Errorf("measure 2 canonical agencies = %v, want %v", m1.AgenciesCanonical, want)
	}
}

func TestContainsLit(t *testing.T) {
	tests := []struct {
		s, l string
	}{
		{"对失信主体采取下列惩戒措施：", "惩戒"},
		{"对失信主体采取下列惩戒措施：", "惩罚"},
		{"惩戒", "惩戒"},
		{"惩", "惩戒"},
		{"", "惩戒"},
		{"abc限制", "限制"},
		{"限制abc", "abc"},
		{"PPP项目", "PPP"},
		{"信用信息平台信用信", "信用信息平台"},
		{"信用信信用信息", "信用信息"},
	}
	for _, tt := range tests {
		t.Run(tt.s+"/"+tt.l, func(t *testing.T) {
			if got, want := containsLit(tt.s, tt.l), strings.Contains(tt.s, tt.l); got != want {
				t.Errorf("containsLit(%q, %q) = %v, want %v", tt.s, tt.l, got, want)
			}
		})
	}
}

func TestMaskTitles(t *testing.T) {
	tests := []struct{ in, want string }{
		{"依照《限制消费规定》第三条限制其", "依照《□□□□□□》第三条限制其"},
		{"无书名号", "无书名号"},
		{"《A1》和《信息》", "《__》和《□□》"},
		{"未闭合《限制消费", "未闭合《□□□□"},
		{"《跨\n行》", "《跨\n行》"},
		{"惩戒措施的备忘录》的通知", "□□□□□□□□》的通知"},
	}
	for _, tt := range tests {
		got := maskTitles(tt.in)
		if got != tt.want {
			t.Errorf("maskTitles(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) != len(tt.in) {
			t.Errorf("maskTitles(%q) changed the byte length: %d, want %d", tt.in, len(got), len(tt.in))
		}
	}
}

// TestMeasuresUnderHeadings covers the layout of the NDRC MOUs of 2016 and
// after: a numbered heading names the measure ((三)设立…审批参考), the
// paragraph below it states it and carries its 实施单位 line. The heading's
// number is the measure's ordinal; a paragraph without the line is not a
// measure record.
func TestMeasuresUnderHeadings(t *testing.T) {
	tg := mustDefault(t)
	d := &corpus.Document{Metadata: corpus.Metadata{Kind: corpus.KindMOU}, Clauses: []corpus.Clause{
		{ID: "c0", Path: "二/（三）/第1段", Headings: []string{"二、惩戒措施", "（三）设立融资担保公司审批参考"},
			Text: "对失信主体，将其失信记录作为设立融资担保公司的审批参考。\n实施单位：银保监会"},
		{ID: "c1", Path: "二/（四）/第1段", Headings: []string{"二、惩戒措施", "（四）限制获得政府补贴"},
			Text: "对失信主体，限制其申请政府补贴资金。"},
	}}
	tg.TagDocument(d)
	if len(d.Measures) != 1 {
		t.Fatalf("Measures = %+v, want 1 (the paragraph with its 实施单位 line)", d.Measures)
	}
	m := d.Measures[0]
	if m.Ordinal != "（三）" || m.Text != "对失信主体，将其失信记录作为设立融资担保公司的审批参考。" || !reflect.DeepEqual(m.Agencies, []string{"银保监会"}) {
		t.Errorf("measure = %+v, want （三） with 银保监会", m)
	}
}
