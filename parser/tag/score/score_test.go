package score

import (
	"testing"

	"github.com/scs-project/scs/corpus"
)

func TestMatch(t *testing.T) {
	clauses := []corpus.Clause{
		{Path: "第一条", Text: "为了规范信用管理，制定本办法。"},
		{Path: "第二条/（一）", Text: "拒不履行的；"},
		{Path: "第二条/（二）", Text: "拒不履行的；"},
		{Path: "第三条", Text: "本办法自２０２６年１月１日起施行。"},
	}
	tests := []struct {
		name  string
		label Label
		want  string // path of the matched clause, "" for none
	}{
		{"quote", Label{Quote: "为了规范信用管理"}, "第一条"},
		{"quote with white space and full-width digits", Label{Quote: "本办法自 2026年"}, "第三条"},
		{"path without quote", Label{Path: "第二条/（二）"}, "第二条/（二）"},
		{"path not cut", Label{Path: "第九条"}, ""},
		{"quote not found", Label{Quote: "信用修复"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Match([]Label{tt.label}, clauses)[0]
			got := ""
			if p.Got != nil {
				got = p.Got.Path
			}
			if got != tt.want {
				t.Errorf("matched %q, want %q", got, tt.want)
			}
		})
	}
	// Repeated short quotes are matched in document order.
	ps := Match([]Label{{Quote: "拒不履行"}, {Quote: "拒不履行"}}, clauses)
	if ps[0].Got == nil || ps[1].Got == nil || ps[0].Got.Path != "第二条/（一）" || ps[1].Got.Path != "第二条/（二）" {
		t.Errorf("repeated quotes not matched in order: %+v", ps)
	}
}
