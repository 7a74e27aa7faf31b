package meta

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/scs-project/scs/corpus"
)

func TestChineseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"一", 1, true},
		{"十", 10, true},
		{"十二", 12, true},
		{"二十", 20, true},
		{"九十九", 99, true},
		{"一百", 100, true},
		{"一百零五", 105, true},
		{"二百五十五", 255, true},
		{"一千零一", 1001, true},
		{"一千二百三十四", 1234, true},
		{"三万", 30000, true},
		{"两千", 2000, true},
		{"二〇一六", 2016, true},
		{"二○一六", 2016, true},
		{"二零一六", 2016, true},
		{"45", 45, true},
		{"４５", 45, true},
		{"", 0, false},
		{"第一", 0, false},
		{"百百", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ChineseNumber(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ChineseNumber(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"ymd", "2016年1月20日", "2016-01-20", true},
		{"ymd spaced", "2016 年 1 月 20 日", "2016-01-20", true},
		{"iso", "2016-01-20", "2016-01-20", true},
		{"dots", "2016.1.20", "2016-01-20", true},
		{"slashes", "2016/1/20", "2016-01-20", true},
		{"fullwidth digits", "２０１６年１月２０日", "2016-01-20", true},
		{"chinese numerals", "二〇一六年一月二十日", "2016-01-20", true},
		{"circle zero", "二○一六年十二月三十一日", "2016-12-31", true},
		{"ling zero", "二零一六年一月二十日", "2016-01-20", true},
		{"in a sentence", "本办法自2017年10月1日起施行。", "2017-10-01", true},
		{"first of two", "（2021年11月10日公布 自2022年1月1日起施行）", "2021-11-10", true},
		{"impossible day", "2019年2月30日", "", false},
		{"mixed separators", "2016-01/20", "", false},
		{"no date", "第一条", "", false},
		{"year only", "2016年", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseDate(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseDate(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestNormalizeDocNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"发改财金〔2016〕141号", "发改财金〔2016〕141号"},
		{"发改财金[2016]141号", "发改财金〔2016〕141号"},
		{"国发(2014)21号", "国发〔2014〕21号"},
		{"法释［2013］17号", "法释〔2013〕17号"},
		{"沪府发【2017】92号", "沪府发〔2017〕92号"},
		{"国发（２０１４）２１号", "国发〔2014〕21号"},
		{"关于印发…的通知（发改财金〔2016〕141号）", "发改财金〔2016〕141号"},
		{"2013年1月21日 中华人民共和国国务院令第631号公布", "国务院令第631号"},
		{"2021年11月10日人力资源社会保障部令第45号公布", "人力资源社会保障部令第45号"},
		{"深圳市人民政府第297号令", "深圳市人民政府第297号令"},
		{"没有文号", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := NormalizeDocNumber(tt.in); got != tt.want {
				t.Errorf("NormalizeDocNumber(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		pageMeta map[string]string
		want     corpus.Metadata
	}{
		{
			name: "mou signatories from preamble, 和 split only between bodies",
			text: readFixture(t, "mou.txt"),
			want: corpus.Metadata{
				Title:     "关于对文化市场领域严重失信主体实施联合惩戒的合作备忘录",
				Issuers:   []string{"国家发展改革委", "人民银行", "文化和旅游部", "市场监管总局", "税务总局"},
				DocNumber: "", // 二号 is not a 文号 the stage reads; the cited 国发〔2016〕33号 is not this document's
				Kind:      corpus.KindMOU,
				Region:    "national",
			},
		},
		{
			name: "local government rule from 人民政府令 header",
			text: readFixture(t, "rule.txt"),
			want: corpus.Metadata{
				Title:     "台江市公共信用信息管理办法",
				Issuers:   []string{"台江市人民政府"},
				DocNumber: "台江市人民政府令第88号",
				Issued:    "2019-03-05",
				Effective: "2019-05-01",
				Kind:      corpus.KindLocalGovernmentRule,
				Region:    "台江市",
			},
		},
		{
			name: "normative document with signature and Chinese-numeral date",
			text: readFixture(t, "notice.txt"),
			want: corpus.Metadata{
				Title:     "某某省人民政府关于加快推进社会信用体系建设的实施意见",
				Issuers:   []string{"某某省人民政府"},
				DocNumber: "某政发〔2017〕12号",
				Issued:    "2017-03-16",
				Kind:      corpus.KindNormativeDocument,
			},
		},
		{
			name: "page labels win over text",
			text: "征信业管理条例\n第一条 为了规范征信活动，制定本条例。",
			pageMeta: map[string]string{"title": "《征信业管理条例》", "发文机关": "国务院", "发文字号": "国务院令第631号",
				"成文日期": "2013年01月21日", "施行日期": "2013-03-15"},
			want: corpus.Metadata{
				Title: "征信业管理条例", Issuers: []string{"国务院"}, DocNumber: "国务院令第631号",
				Issued: "2013-01-21", Effective: "2013-03-15", Kind: corpus.KindAdministrativeRegulation, Region: "national",
			},
		},
		{
			name: "draft",
			text: "某某市社会信用条例（征求意见稿）\n第一条 为了……，制定本条例。",
			want: corpus.Metadata{Title: "某某市社会信用条例（征求意见稿）", Kind: corpus.KindDraft, Region: "某某市"},
		},
		{
			name: "nothing stated: nothing guessed",
			text: "为了做好有关工作，现通知如下。\n一、提高认识。",
			want: corpus.Metadata{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Extract(tt.text, tt.pageMeta)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Extract() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestStageKeepsPresetFields(t *testing.T) {
	d := &corpus.Document{ID: "x", Text: readFixture(t, "rule.txt")}
	d.Kind = corpus.KindOther
	if err := New(Config{}).Process(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if d.Kind != corpus.KindOther || d.DocNumber != "台江市人民政府令第88号" {
		t.Errorf("Process: kind %q, doc number %q; want preset kind other and the header 文号", d.Kind, d.DocNumber)
	}
}

// TestHeadTitleOfPages covers the heads of web pages and PDFs: site chrome
// before the title, a 文号 line, a title broken over lines, a "Title:"
// label, a title in 《》 followed by notes, traditional characters; and the
// kind of an untitled MOU fragment.
func TestHeadTitleOfPages(t *testing.T) {
	tests := []struct {
		name, text, title string
		kind              corpus.Kind
	}{
		{"chrome then title", "首页 > 政策法规 > 正文\n发布时间：2019-03-01 来源：市信用办\n关于对守信主体实施联合激励的合作备忘录\n各有关单位：\n为……。",
			"关于对守信主体实施联合激励的合作备忘录", corpus.KindMOU},
		{"文号 then title over two lines", "发改财金〔2019〕12号\n印发《关于对拖欠货款企业\n实施联合惩戒的合作备忘录》的通知\n各省、自治区、直辖市有关部门：",
			"印发关于对拖欠货款企业实施联合惩戒的合作备忘录的通知", corpus.KindMOU},
		{"three lines after a verb", "某区人民政府办公室关于印发\n某区社会信用体系建设\n2019-2021年行动计划的通知\n各街道：",
			"某区人民政府办公室关于印发某区社会信用体系建设2019-2021年行动计划的通知", corpus.KindNormativeDocument},
		{"title label", "Title: 关于加强个人诚信体系建设的意见 Promulgating Entities: 某部\n正文。",
			"关于加强个人诚信体系建设的意见", corpus.KindNormativeDocument},
		{"quoted title with notes", "《某市公共信用信息管理办法》(全文)某市人民政府令第9号\n第一条 为了……。",
			"某市公共信用信息管理办法", corpus.KindLocalGovernmentRule},
		{"traditional", "網站首頁 > 文件\n關於對失信企業實施聯合懲戒的合作備忘錄\n各有關單位:",
			"關於對失信企業實施聯合懲戒的合作備忘錄", corpus.KindMOU},
		{"a 文号 alone is no title", "某政发〔2018〕7号\n各县人民政府：\n现将有关事项通知如下。", "", corpus.KindNormativeDocument},
		{"untitled MOU fragment", "（一）限制担任国有企业高管\n实施单位：国资委\n（二）限制乘坐飞机\n实施单位：民航局\n（三）限制参与政府采购\n实施单位：财政部",
			"", corpus.KindMOU},
		{"a sentence first: no title", "为推进诚信建设，制定本方案。\n关于某事的通知", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Extract(tt.text, nil)
			if m.Title != tt.title || m.Kind != tt.kind {
				t.Errorf("title %q, kind %q; want %q, %q", m.Title, m.Kind, tt.title, tt.kind)
			}
		})
	}
}

// TestIssuersOfPages covers issuers a page states outside a header block:
// the body a title opens with, the signature of a covering notice in the
// head (with its date), and not the signatories of another MOU a preamble
// cites.
func TestIssuersOfPages(t *testing.T) {
	tests := []struct {
		name, text string
		issuers    []string
		issued     string
	}{
		{"title opens with the body", "某省人民政府办公厅关于加强诚信建设的实施意见\n各市人民政府：\n为……。", []string{"某省人民政府办公厅"}, ""},
		{"traditional title", "網站首頁\n某市人民政府關於印發某市信用體系建設方案的通知\n各區人民政府:", []string{"某市人民政府"}, ""},
		{"covering notice signed in the head", "各县（区）人民政府：\n现将《某市诚信建设方案》印发给你们，请认真贯彻执行。\n某市人民政府办公室\n2018年7月27日\n某市诚信建设方案\n一、总体要求",
			[]string{"某市人民政府办公室"}, "2018-07-27"},
		{"a cited MOU's signatories are not the issuers", "某市失信企业联合惩戒合作备忘录\n为加强信用监管，按照工商总局、国家发展改革委等38个部门签署的《失信企业协同监管和联合惩戒合作备忘录》的规定，制定本备忘录。",
			nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Extract(tt.text, nil)
			if !reflect.DeepEqual(m.Issuers, tt.issuers) || m.Issued != tt.issued {
				t.Errorf("issuers %q issued %q; want %q %q", m.Issuers, m.Issued, tt.issuers, tt.issued)
			}
		})
	}
}
