package segment

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/scs-project/scs/corpus"
)

func mustDefault(tb testing.TB) *Segmenter {
	tb.Helper()
	s, err := Default()
	if err != nil {
		tb.Fatalf("Default() error: %v", err)
	}
	return s
}

func TestCutKeepsDomainTermsWhole(t *testing.T) {
	seg := mustDefault(t)
	tests := []struct {
		name, text string
		want       []string
	}{
		{"shixin beizhixingren", "人民法院依法将失信被执行人信息推送至平台。", []string{"失信被执行人"}},
		{"mou and joint punishment", "依据合作备忘录对其实施联合惩戒。", []string{"合作备忘录", "联合惩戒"}},
		{"serious list", "将其列入严重失信主体名单并向社会公布。", []string{"严重失信主体名单"}},
		{"repair", "信用主体可以申请信用修复。", []string{"信用修复", "信用主体"}},
		{"system building", "推进社会信用体系建设，完善公共信用信息目录。", []string{"社会信用体系建设", "公共信用信息"}},
		{"consumption ban", "对其法定代表人采取限制高消费措施。", []string{"法定代表人", "限制高消费"}},
		{"credit code", "应当载明统一社会信用代码。", []string{"统一社会信用代码"}},
		{"abnormal list", "列入经营异常名录的企业", []string{"经营异常名录"}},
		{"tax level", "纳税信用级别为D级的纳税人", []string{"纳税信用级别"}},
		{"agencies", "国家发展改革委、人民银行、银保监会、市场监管总局负责实施。", []string{"国家发展改革委", "人民银行", "银保监会", "市场监管总局"}},
		{"more agencies", "人力资源社会保障部会同住房城乡建设部、交通运输部、海关总署", []string{"人力资源社会保障部", "住房城乡建设部", "交通运输部", "海关总署"}},
		{"focus", "列为重点监管对象，提高检查频次。", []string{"重点监管对象", "检查频次"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := seg.Cut(tt.text)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Cut(%q) = %q, want it to contain %q", tt.text, strings.Join(got, "/"), w)
				}
			}
		})
	}
}

// stripPunctSpace is what Cut's tokens must join back to.
func stripPunctSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestCutJoinsBackToInput(t *testing.T) {
	seg := mustDefault(t)
	tests := []struct{ name, text string }{
		{"empty", ""},
		{"only punctuation", "，。；：（）"},
		{"article", "第二十一条 对失信被执行人，有关部门应当依法采取下列惩戒措施：（一）限制担任法定代表人；"},
		{"mixed latin and digits", "统一社会信用代码 91330100MA2ABCDE1X，PDF 文件 3 份, 30% ≥5万元"},
		{"full-width", "ＡＢＣ１２３ 公司　全角空格"},
		{"invalid utf-8", "信用\xff修复"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(seg.Cut(tt.text), "")
			if want := stripPunctSpace(tt.text); got != want {
				t.Errorf("join(Cut(%q)) = %q, want %q", tt.text, got, want)
			}
		})
	}
}

func TestCutPreservesCase(t *testing.T) {
	seg := mustDefault(t)
	tests := []struct{ name, text, want string }{
		{"credit code", "代码为91330100MA2ABCDE1X的企业", "91330100MA2ABCDE1X"},
		{"acronym", "提交PDF格式", "PDF"},
		{"mixed", "通过App申请", "App"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, fn := range map[string]func(string) []string{"Cut": seg.Cut, "CutSearch": seg.CutSearch} {
				if got := fn(tt.text); !slices.Contains(got, tt.want) {
					t.Errorf("%s(%q) = %q, want it to contain %q", name, tt.text, got, tt.want)
				}
			}
		})
	}
}

func TestCutSearchAddsSubwords(t *testing.T) {
	seg := mustDefault(t)
	tests := []struct {
		name, text string
		want       []string
	}{
		{"four-rune subword", "失信被执行人", []string{"失信被执行人", "被执行人", "失信"}},
		{"mou", "合作备忘录", []string{"合作备忘录", "备忘录", "合作"}},
		{"credit code term", "统一社会信用代码", []string{"统一社会信用代码", "社会信用代码", "社会信用"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := seg.CutSearch(tt.text)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("CutSearch(%q) = %q, want it to contain %q", tt.text, got, w)
				}
			}
			if got[0] != seg.Cut(tt.text)[0] {
				t.Errorf("CutSearch(%q)[0] = %q, want the precise token %q first", tt.text, got[0], seg.Cut(tt.text)[0])
			}
		})
	}
}

func TestConcurrentCut(t *testing.T) {
	seg := mustDefault(t)
	texts := []string{
		"人民法院依法将失信被执行人信息推送至信用信息共享平台。",
		"对其法定代表人采取限制高消费措施，统一社会信用代码91330100MA2ABCDE1X。",
		"国家发展改革委、人民银行、银保监会负责实施联合惩戒。",
	}
	want := make([]string, len(texts))
	for i, tx := range texts {
		want[i] = strings.Join(seg.Cut(tx), "/")
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*50*len(texts))
	for range 4 {
		wg.Go(func() {
			for range 50 {
				for i, tx := range texts {
					if got := strings.Join(seg.Cut(tx), "/"); got != want[i] {
						errs <- got
					}
					seg.CutSearch(tx)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for got := range errs {
		t.Errorf("concurrent Cut gave %q, differing from the sequential result", got)
	}
}

func TestStageFillsTokens(t *testing.T) {
	seg := mustDefault(t)
	st := NewStage(seg)
	if st.Name() != "segment" {
		t.Errorf("Name() = %q, want %q", st.Name(), "segment")
	}
	d := &corpus.Document{Clauses: []corpus.Clause{
		{Path: "第一条", Text: "失信被执行人应当履行义务。"},
		{Path: "第二条", Text: ""},
	}}
	if err := corpus.RunStage(t.Context(), st, d); err != nil {
		t.Fatalf("RunStage: %v", err)
	}
	if d.Failed() {
		t.Fatalf("document failed: %v", d.Err)
	}
	if got, want := strings.Join(d.Clauses[0].Tokens, "/"), "失信被执行人/应当/履行义务"; got != want {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
	if d.Clauses[1].Tokens != nil {
		t.Errorf("Tokens of empty clause = %q, want nil", d.Clauses[1].Tokens)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := st.Process(ctx, d); err == nil {
		t.Errorf("Process with cancelled context: got nil error, want context.Canceled")
	}
}

// benchTexts returns the real corpus texts (../shared/corpus/real) or, if
// absent, the package testdata.
func benchTexts(tb testing.TB) []string {
	tb.Helper()
	var files []string
	if root, ok := sharedDir(); ok {
		files, _ = filepath.Glob(filepath.Join(root, "corpus", "real", "*.txt"))
	}
	if len(files) == 0 {
		files, _ = filepath.Glob(filepath.Join("testdata", "*.txt"))
	}
	var texts []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatalf("read %s: %v", f, err)
		}
		texts = append(texts, strings.Split(string(b), "\n")...)
	}
	if len(texts) == 0 {
		tb.Skip("no corpus texts")
	}
	return texts
}

// sharedDir finds ../shared next to the module root.
func sharedDir() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			s := filepath.Join(dir, "..", "shared")
			if fi, err := os.Stat(s); err == nil && fi.IsDir() {
				return s, true
			}
			return "", false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func BenchmarkSegment(b *testing.B) {
	seg := mustDefault(b)
	texts := benchTexts(b)
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	run := func(b *testing.B, cut func(string) []string) {
		b.SetBytes(int64(n))
		b.ReportAllocs()
		tokens := 0
		for b.Loop() {
			for _, t := range texts {
				tokens += len(cut(t))
			}
		}
		b.ReportMetric(float64(tokens)/float64(b.N), "tokens/op")
	}
	b.Run("raw-gse", func(b *testing.B) { run(b, func(s string) []string { return seg.gse.Cut(s) }) })
	b.Run("raw-gse-search", func(b *testing.B) { run(b, func(s string) []string { return seg.gse.CutSearch(s) }) })
	b.Run("cut", func(b *testing.B) { run(b, seg.Cut) })
	b.Run("cut-search", func(b *testing.B) { run(b, seg.CutSearch) })
}

func FuzzCut(f *testing.F) {
	for _, s := range []string{"", "失信被执行人", "代码91330100MA2ABCDE1X，", "信用\xff修复", "（一）限制　高消费；"} {
		f.Add(s)
	}
	seg := mustDefault(f)
	f.Fuzz(func(t *testing.T, text string) {
		toks := seg.Cut(text)
		want := stripPunctSpace(strings.ToValidUTF8(text, "\uFFFD"))
		if got := strings.Join(toks, ""); got != want {
			t.Errorf("join(Cut(%q)) = %q, want %q", text, got, want)
		}
		for _, tok := range append(toks, seg.CutSearch(text)...) {
			if tok == "" || !utf8.ValidString(tok) {
				t.Errorf("Cut(%q) produced invalid token %q", text, tok)
			}
		}
	})
}
