package extract

import (
	"fmt"
	"strings"
	"testing"
)

func TestCleanPages(t *testing.T) {
	tests := []struct {
		name  string
		pages []string
		want  string
	}{
		{"fragments at font switches are glued",
			[]string{"第一条 本办法自\n2021\n年\n8\n月\n1\n日起施行。"},
			"第一条 本办法自2021年8月1日起施行。"},
		{"hard wraps join without a space in Chinese",
			[]string{"第二条 为了规范公共信用信息的归集、披露和使\n用，制定本办法。\n第三条 本办法适用于本市。"},
			"第二条 为了规范公共信用信息的归集、披露和使用，制定本办法。\n第三条 本办法适用于本市。"},
		{"latin words join with one space",
			[]string{"Article 1 These measures apply to the\ncredit system."},
			"Article 1 These measures apply to the credit system."},
		{"markers start paragraphs even after a wrap",
			[]string{"采取下列措施\n（一）限制参与政府采购\n（二）限制享受补贴\n一、总体要求\n1. 依法依规"},
			"采取下列措施\n（一）限制参与政府采购\n（二）限制享受补贴\n一、总体要求\n1. 依法依规"},
		{"chapter heading ends its paragraph",
			[]string{"第一章 总则\n本章适用于全部条款。"},
			"第一章 总则\n本章适用于全部条款。"},
		{"page number styles are removed",
			[]string{"第一条 甲。\n— 1 —", "-2-\n第二条 乙。", "第三条 丙。\n第 3 页 共 5 页", "第四条 丁。\n4/5", "第五条 戊。\n5"},
			"第一条 甲。\n第二条 乙。\n第三条 丙。\n第四条 丁。\n第五条 戊。"},
		{"page number split over lines by BT",
			[]string{"第一条 甲。\n— \n1\n —", "第二条 乙。"},
			"第一条 甲。\n第二条 乙。"},
		{"page number glued to text without line breaks",
			[]string{"第一条 甲乙丙— 1 —", "丁戊。"},
			"第一条 甲乙丙丁戊。"},
		{"running header and footer removed from every page",
			[]string{"清河市人民政府公报\n第一条 甲。\n清政发〔2023〕1号", "清河市人民政府公报\n第二条 乙。\n清政发〔2023〕1号",
				"清河市人民政府公报\n第三条 丙。\n清政发〔2023〕1号", "清河市人民政府公报\n第四条 丁。\n清政发〔2023〕1号"},
			"第一条 甲。\n第二条 乙。\n第三条 丙。\n第四条 丁。"},
		{"a year is not a page number",
			[]string{"第一条 本办法自\n2024"}, "第一条 本办法自2024"},
		{"articles glued by a producer without line breaks are split",
			[]string{"第一条 甲。第二条 乙：（一）丙；（二）丁。"},
			"第一条 甲。\n第二条 乙：\n（一）丙；\n（二）丁。"},
		{"cross references are not markers",
			[]string{"第五条 依照本办法\n第三条规定处理。"},
			"第五条 依照本办法第三条规定处理。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanPages(tt.pages); got != tt.want {
				t.Errorf("cleanPages(%q)\ngot:\n%s\nwant:\n%s", tt.pages, got, tt.want)
			}
		})
	}
}

func TestNormalizeLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  第一条\u3000\u3000为了  规范 ", "第一条 为了 规范"},
		{"第一章\u3000总\u3000\u3000则", "第一章 总则"},
		{"\u00a0序号\t\t事项 \t 方式\t", "序号\t事项\t方式"},
		{"征 信 业 管 理 条 例", "征信业管理条例"},
		{"第 631 号", "第 631 号"},
		{"a\x00b\x1fc", "abc"},
	}
	for _, tt := range tests {
		if got := normalizeLine(tt.in); got != tt.want {
			t.Errorf("normalizeLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestQuality(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		min, max float64
	}{
		{"chinese regulation", "第一条 为了规范公共信用信息的归集、披露和使用，保护信用主体的合法权益，根据有关法律、法规，制定本办法。", 0.95, 1},
		{"english", "Article 1 These measures are formulated to regulate the collection of public credit information.", 0.95, 1},
		{"replacement characters", strings.Repeat("信\uFFFD", 40), 0, 0.3},
		{"private use glyphs", strings.Repeat("\ue000\ue001规定", 30), 0, 0.6},
		{"empty", "", 0, 0},
	}
	for _, tt := range tests {
		if q := quality(tt.text); q < tt.min || q > tt.max {
			t.Errorf("quality(%s) = %.3f, want in [%.2f, %.2f]", tt.name, q, tt.min, tt.max)
		}
	}
}

func TestRemoveRepeatedEdges(t *testing.T) {
	tests := []struct {
		name  string
		pages [][]string
		want  [][]string
	}{
		{"header cut into fragments at font switches",
			[][]string{{"清河市人民政府公报", "2024", "年第", "3", "期", "第一条 甲。"}, {"清河市人民政府公报", "2024", "年第", "3", "期", "第二条 乙。"}, {"清河市人民政府公报", "2024", "年第", "3", "期", "第三条 丙。"}},
			[][]string{{"第一条 甲。"}, {"第二条 乙。"}, {"第三条 丙。"}}},
		{"header and footer of a two-page document",
			[][]string{{"清河市社会信用体系建设领导小组办公室", "第一条 甲。", "抄送：市委办公室"}, {"清河市社会信用体系建设领导小组办公室", "第二条 乙。", "抄送：市委办公室"}},
			[][]string{{"第一条 甲。"}, {"第二条 乙。"}}},
		{"issue numbers differ only in digits",
			[][]string{{"公报 2024年第3期", "甲。"}, {"公报 2024年第4期", "乙。"}},
			[][]string{{"甲。"}, {"乙。"}}},
		{"same short start is text, not a header",
			[][]string{{"第一", "条 甲。"}, {"第一", "款 乙。"}},
			[][]string{{"第一", "条 甲。"}, {"第一", "款 乙。"}}},
		{"one page is left alone",
			[][]string{{"清河市人民政府公报", "第一条 甲。"}},
			[][]string{{"清河市人民政府公报", "第一条 甲。"}}},
		{"a page that is only the header keeps its line",
			[][]string{{"清河市人民政府公报"}, {"清河市人民政府公报", "乙。"}},
			[][]string{{"清河市人民政府公报"}, {"清河市人民政府公报", "乙。"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			removeRepeatedEdges(tt.pages)
			if fmt.Sprint(tt.pages) != fmt.Sprint(tt.want) {
				t.Errorf("got %q\nwant %q", tt.pages, tt.want)
			}
		})
	}
}

func TestFixPDFToText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"于 2021 年 8 月 1 日起施行", "于2021年8月1日起施行"},
		{"第一条 为了规范", "第一条 为了规范"},
		{"第十二条 2021 年起", "第十二条 2021年起"},
		{"第一章 总则", "第一章 总则"},
		{"ＧＢ／Ｔ ２２１１７ 标准", "GB／T 22117标准"},
		{"Open Data 格式", "Open Data格式"},
		{"（ 一 ） 书面申请", "（一）书面申请"},
		{"罚款 5 万元", "罚款5万元"},
	}
	for _, tt := range tests {
		if got := fixPDFToText(tt.in); got != tt.want {
			t.Errorf("fixPDFToText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRemoveWatermarks(t *testing.T) {
	pages := [][]string{
		{"第一条 甲乙丙丁", "内部资料 注意保存", "戊己庚。"},
		{"第二条 甲乙丙丁", "内部资料 注意保存", "戊己庚。", "实施单位：市财政局"},
		{"第三条 甲", "内部资料 注意保存", "乙。", "实施单位：市财政局"},
		{"第四条 甲", "乙。", "实施单位：市财政局", "一、总则", "内部资料 注意保存"},
	}
	removeWatermarks(pages)
	want := "[[第一条 甲乙丙丁 戊己庚。] [第二条 甲乙丙丁 戊己庚。 实施单位：市财政局] [第三条 甲 乙。 实施单位：市财政局] [第四条 甲 乙。 实施单位：市财政局 一、总则]]"
	if got := fmt.Sprint(pages); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}
