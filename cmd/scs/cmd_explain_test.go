package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const heldOutMOU = "../../parser/tag/testdata/heldout/mou.txt"

func TestExplainJSON(t *testing.T) {
	code, out, stderr := scs(t, t.Context(), nil, "explain", "--json", heldOutMOU, "二/（二）")
	if code != exitOK {
		t.Fatalf("scs explain: exit %d\n%s", code, stderr)
	}
	var x explainOutput
	if err := json.Unmarshal([]byte(out), &x); err != nil {
		t.Fatalf("scs explain --json: %v\n%s", err, out)
	}
	rules := map[string]bool{}
	for _, ex := range x.Explanations {
		rules[ex.Rule] = true
		if ex.Comment == "" {
			t.Errorf("explanation %+v has no rule comment", ex)
		}
		if ex.Start >= 0 && x.Clause.Text[ex.Start:ex.End] != ex.Span {
			t.Errorf("explanation %+v: span does not match the clause text", ex)
		}
	}
	for _, want := range []string{"sanction.measure-items", "cat.finance", "field.agency-implementer-line"} {
		if !rules[want] {
			t.Errorf("explanations %+v lack rule %s", x.Explanations, want)
		}
	}
	if x.Measure == nil || x.Measure.HasLegalBasis {
		t.Errorf("measure = %+v, want a measure without legal basis", x.Measure)
	}
	if got := strings.Join(x.Clause.AgenciesCanonical, ","); got != "中国人民银行,国家金融监督管理总局" {
		t.Errorf("canonical agencies = %s, want 中国人民银行,国家金融监督管理总局", got)
	}
}

func TestExplainText(t *testing.T) {
	code, out, stderr := scs(t, t.Context(), nil, "explain", heldOutMOU, "二/（二）")
	if code != exitOK {
		t.Fatalf("scs explain: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"【融资】", "in the lead-in", "cat.finance", "no legal basis"} {
		if !strings.Contains(out, want) {
			t.Errorf("scs explain output lacks %q:\n%s", want, out)
		}
	}
}

func TestExplainUnknownPath(t *testing.T) {
	code, _, stderr := scs(t, t.Context(), nil, "explain", heldOutMOU, "九/（九）")
	if code != exitFailure || !strings.Contains(stderr, `no clause "九/（九）"`) || !strings.Contains(stderr, "二/（一）") {
		t.Errorf("explain of a missing path: exit %d, stderr %q; want 1 naming the path and listing paths", code, stderr)
	}
	if code, _, _ := scs(t, t.Context(), nil, "explain", heldOutMOU); code != exitUsage {
		t.Errorf("explain without PATH: exit %d, want %d", code, exitUsage)
	}
}
