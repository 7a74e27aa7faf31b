package structure

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite golden files")

func readFixture(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// summary renders clauses as one line each: path, label, parent, headings
// and the first 20 runes of the text.
func summary(text string) string {
	var sb strings.Builder
	for _, c := range Parse("doc", text, "") {
		r := []rune(strings.ReplaceAll(c.Text, "\n", "⏎"))
		if len(r) > 20 {
			r = r[:20]
		}
		fmt.Fprintf(&sb, "%s\t%s\t%s\t%s\t%s\n", c.Path, c.Label, c.Parent, strings.Join(c.Headings, "|"), string(r))
	}
	return sb.String()
}

func TestParseGolden(t *testing.T) {
	for _, name := range []string{"regulation", "regulation-trad", "judicial", "policy", "mou", "mou-halfwidth", "mou-trad"} {
		t.Run(name, func(t *testing.T) {
			got := summary(readFixture(t, name+".txt"))
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("Parse(%s) differs from %s:\ngot:\n%s\nwant:\n%s", name, golden, got, want)
			}
		})
	}
}

// paths returns the clause paths of text.
func paths(text string) []string {
	var out []string
	for _, c := range Parse("doc", text, "") {
		out = append(out, c.Path)
	}
	return out
}

func TestParseVariantsGiveSamePaths(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"half-width brackets", "mou.txt", "mou-halfwidth.txt"},
		{"traditional MOU", "mou.txt", "mou-trad.txt"},
		{"traditional regulation 條 節", "regulation.txt", "regulation-trad.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := paths(readFixture(t, tt.a)), paths(readFixture(t, tt.b))
			if strings.Join(a, "\n") != strings.Join(b, "\n") {
				t.Errorf("paths of %s:\n%v\nwant those of %s:\n%v", tt.b, b, tt.a, a)
			}
		})
	}
}

func TestParseBehaviour(t *testing.T) {
	type want struct {
		path, label, text, parent string
	}
	tests := []struct {
		name string
		text string
		want []want // the first len(want) clauses
		n    int    // total clause count, -1 to skip
	}{
		{
			name: "single-paragraph article has no 款 in path",
			text: "第一条 为了规范管理，制定本办法。\n第二条 本办法自公布之日起施行。",
			want: []want{{"第一条", "第一条", "为了规范管理，制定本办法。", ""}, {"第二条", "第二条", "本办法自公布之日起施行。", ""}},
			n:    2,
		},
		{
			name: "multi-paragraph article numbers 款",
			text: "第三条 第一款内容。\n第二款内容。",
			want: []want{{"第三条/第1款", "第三条", "第一款内容。", ""}, {"第三条/第2款", "", "第二款内容。", ""}},
			n:    2,
		},
		{
			name: "items of a single paragraph hang on the article, lead-in is parent",
			text: "第五条 采取下列措施：\n（一）限制；\n（二）公示。",
			want: []want{{"第五条", "第五条", "采取下列措施：", ""}, {"第五条/（一）", "（一）", "限制；", "第五条"}, {"第五条/（二）", "（二）", "公示。", "第五条"}},
			n:    3,
		},
		{
			name: "paragraph after items is a new 款",
			text: "第九条 包括下列事项：\n（一）甲；\n法律另有规定的，从其规定。",
			want: []want{{"第九条/第1款", "第九条", "包括下列事项：", ""}, {"第九条/第1款/（一）", "（一）", "甲；", "第九条/第1款"}, {"第九条/第2款", "", "法律另有规定的，从其规定。", ""}},
			n:    3,
		},
		{
			name: "spaced and traditional article label",
			text: "第 一 條 為了規範管理。",
			want: []want{{"第一条", "第一條", "為了規範管理。", ""}},
			n:    1,
		},
		{
			name: "citation at line start is not an article",
			text: "第一条 依照本条例处理。\n第十二条规定的期限，自决定作出之日起计算。",
			want: []want{{"第一条/第1款", "第一条", "依照本条例处理。", ""}, {"第一条/第2款", "", "第十二条规定的期限，自决定作出之日起计算。", ""}},
			n:    2,
		},
		{
			name: "repeated article number gets a suffix",
			text: "第一条 甲。\n第一条 乙。",
			want: []want{{"第一条", "第一条", "甲。", ""}, {"第一条#2", "第一条", "乙。", ""}},
			n:    2,
		},
		{
			name: "one preamble paragraph is 序言",
			text: "为了做好工作，现提出如下意见。\n一、提高认识\n各地要提高认识。",
			want: []want{{"序言", "", "为了做好工作，现提出如下意见。", ""}, {"一/第1段", "", "各地要提高认识。", ""}},
			n:    2,
		},
		{
			name: "several preamble paragraphs are 序言/第N段",
			text: "各省、自治区人民政府：\n为了做好工作，现提出如下意见。\n一、提高认识。",
			want: []want{{"序言/第1段", "", "各省、自治区人民政府：", ""}, {"序言/第2段", "", "为了做好工作，现提出如下意见。", ""}, {"一", "一、", "提高认识。", ""}},
			n:    3,
		},
		{
			name: "numbered sentence is a clause and takes following lines",
			text: "一、对失信主体依法实施惩戒。\n实施单位：各部门\n二、其他事宜\n本备忘录自签署之日起实施。",
			want: []want{{"一", "一、", "对失信主体依法实施惩戒。\n实施单位：各部门", ""}, {"二/第1段", "", "本备忘录自签署之日起实施。", ""}},
			n:    2,
		},
		{
			name: "an 实施单位 line under a heading belongs to the paragraph above it",
			text: "（十六）设立证券公司审批参考\n对失信当事人，将其失信记录作为审批参考。\n实施单位:证监会\n法律依据：《证券法》\n（十七）限制补贴\n对失信当事人，限制其申请补贴。\n实施单位：财政部",
			want: []want{{"（十六）/第1段", "", "对失信当事人，将其失信记录作为审批参考。\n实施单位:证监会\n法律依据：《证券法》", ""}, {"（十七）/第1段", "", "对失信当事人，限制其申请补贴。\n实施单位：财政部", ""}},
			n:    2,
		},
		{
			name: "bare heading with nothing under it becomes a clause",
			text: "一、适用范围\n二、工作要求\n各地要加强领导。",
			want: []want{{"一", "一、", "适用范围", ""}, {"二/第1段", "", "各地要加强领导。", ""}},
			n:    2,
		},
		{
			name: "signature block and title dropped",
			text: "关于做好信用工作的通知\n各单位要做好信用工作。\n某某市发展和改革委员会\n2020年1月2日",
			want: []want{{"序言", "", "各单位要做好信用工作。", ""}},
			n:    1,
		},
		{
			name: "closing attachment list and 此件主动公开 dropped",
			text: "关于印发备忘录的通知\n一、联合惩戒对象\n对象为失信主体。\n附件：认定标准.pdf\n附件2：名单.docx\n某某市发展和改革委员会\n2020年1月2日\n（此件主动公开）",
			want: []want{{"一/第1段", "", "对象为失信主体。", ""}},
			n:    1,
		},
		{
			name: "empty text",
			text: "",
			n:    0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse("doc", tt.text, "")
			if tt.n >= 0 && len(got) != tt.n {
				t.Errorf("Parse(%q) gave %d clauses, want %d: %+v", tt.text, len(got), tt.n, got)
			}
			for i, w := range tt.want {
				if i >= len(got) {
					break
				}
				c := got[i]
				if c.Path != w.path || c.Label != w.label || c.Text != w.text || c.Parent != w.parent {
					t.Errorf("clause %d = {%q %q %q parent %q}, want {%q %q %q parent %q}", i, c.Path, c.Label, c.Text, c.Parent, w.path, w.label, w.text, w.parent)
				}
			}
		})
	}
}

func TestParseOffsetsAndHeadings(t *testing.T) {
	text := readFixture(t, "regulation.txt")
	for _, c := range Parse("doc", text, "") {
		first, _, _ := strings.Cut(c.Text, "\n")
		if c.Offset < 0 || c.Offset >= len(text) || !strings.Contains(text[c.Offset:], first) {
			t.Errorf("clause %s: offset %d does not point at its line", c.Path, c.Offset)
			continue
		}
		lineEnd := strings.IndexByte(text[c.Offset:], '\n')
		if lineEnd < 0 {
			lineEnd = len(text) - c.Offset
		}
		if !strings.HasSuffix(text[c.Offset:c.Offset+lineEnd], first) {
			t.Errorf("clause %s: line at offset %d is %q, want it to end with %q", c.Path, c.Offset, text[c.Offset:c.Offset+lineEnd], first)
		}
		if strings.HasPrefix(c.Path, "第二章/第一节") && (len(c.Headings) != 2 || c.Headings[0] != "第二章 信用信息" || c.Headings[1] != "第一节 归集") {
			t.Errorf("clause %s: headings %q, want [第二章 信用信息 第一节 归集]", c.Path, c.Headings)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"regulation.txt", "judicial.txt", "policy.txt", "mou.txt", "mou-trad.txt"} {
		f.Add(readFixture(f, name))
	}
	f.Add("第一条\n\n（一）\n1.\n（1）\n第一条")
	f.Add("一、\n（一）\n\n序言\n序言/第1段")
	f.Fuzz(func(t *testing.T, text string) {
		a := Parse("doc", text, "")
		b := Parse("doc", text, "")
		seen := map[string]bool{}
		for i, c := range a {
			if seen[c.Path] {
				t.Fatalf("duplicate path %q", c.Path)
			}
			seen[c.Path] = true
			if c.Offset < 0 || c.Offset > len(text) {
				t.Fatalf("clause %s: offset %d out of [0,%d]", c.Path, c.Offset, len(text))
			}
			if c.ID != b[i].ID || c.Path != b[i].Path {
				t.Fatalf("unstable: %s/%s vs %s/%s", c.ID, c.Path, b[i].ID, b[i].Path)
			}
			if utf8.ValidString(text) && !utf8.ValidString(c.Text) {
				t.Fatalf("clause %s: invalid UTF-8 from valid input", c.Path)
			}
		}
		if len(a) != len(b) {
			t.Fatalf("unstable clause count %d vs %d", len(a), len(b))
		}
	})
}

// TestTrimHeadTitleOverLines checks that a known title is found on one line
// or broken over two or three, with the chrome before it dropped, and that
// the search stops at the first sentence: a later line repeating the title
// never takes the body before it along.
func TestTrimHeadTitleOverLines(t *testing.T) {
	tests := []struct {
		name, text, title string
		first             string // text of the first clause
		n                 int
	}{
		{"title over two lines after a 文号", "发改财金〔2019〕12号\n印发《关于对拖欠货款企业\n实施联合惩戒的合作备忘录》的通知\n各有关部门：\n为推进诚信建设，现将备忘录印发给你们。",
			"印发关于对拖欠货款企业实施联合惩戒的合作备忘录的通知", "各有关部门：", 2},
		{"title over three lines", "网站首页\n某区人民政府关于印发\n某区社会信用体系建设\n行动计划的通知\n现将行动计划印发给你们。",
			"某区人民政府关于印发某区社会信用体系建设行动计划的通知", "现将行动计划印发给你们。", 1},
		{"a title repeated after the body is not searched for", "某市人民政府令第9号\n《某市信用办法》已经市政府常务会议通过，现予公布。\n某市信用办法\n第一条 为了规范管理，制定本办法。",
			"某市信用办法", "《某市信用办法》已经市政府常务会议通过，现予公布。", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse("doc", tt.text, tt.title)
			if len(got) != tt.n || len(got) > 0 && got[0].Text != tt.first {
				t.Errorf("Parse gave %d clauses, first %+v; want %d, first %q", len(got), got, tt.n, tt.first)
			}
		})
	}
}
