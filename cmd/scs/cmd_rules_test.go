package main

import (
	"bufio"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestRulesWithoutCorpusOmitsCounts(t *testing.T) {
	envs := map[string]string{"SCS_DATA": filepath.Join(t.TempDir(), "none")}
	code, out, stderr := scs(t, t.Context(), envs, "rules")
	if code != exitOK {
		t.Fatalf("scs rules: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"sanction.concrete-measure", "tag:sanction", "sanction_category:finance", "counts omitted"} {
		if !strings.Contains(out, want) {
			t.Errorf("scs rules output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = scs(t, t.Context(), envs, "rules", "--json")
	if code != exitOK {
		t.Fatalf("scs rules --json: exit %d", code)
	}
	n := 0
	for l := range strings.Lines(out) {
		var rc map[string]any
		if err := json.Unmarshal([]byte(l), &rc); err != nil {
			t.Fatalf("scs rules --json: line %q: %v", l, err)
		}
		if rc["id"] == "" || rc["produces"] == "" {
			t.Errorf("rule %v lacks id or produces", rc)
		}
		if _, ok := rc["clauses"]; ok {
			t.Errorf("rule %v has clause counts without a corpus", rc["id"])
		}
		n++
	}
	if n < 30 {
		t.Errorf("scs rules --json printed %d rules, want the whole set", n)
	}
}

func TestRulesCountsFiresOnTheCorpus(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	envs := map[string]string{"SCS_DATA": data}
	if code, _, stderr := scs(t, t.Context(), envs, "ingest", "../../examples/inbox"); code != exitOK {
		t.Fatalf("ingest: exit %d\n%s", code, stderr)
	}
	code, out, stderr := scs(t, t.Context(), envs, "rules", "--json")
	if code != exitOK {
		t.Fatalf("scs rules --json: exit %d\n%s", code, stderr)
	}
	counts := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var rc struct {
			ID      string `json:"id"`
			Clauses *int   `json:"clauses"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rc); err != nil {
			t.Fatal(err)
		}
		if rc.Clauses == nil {
			t.Fatalf("rule %s has no clause count with a corpus", rc.ID)
		}
		counts[rc.ID] = *rc.Clauses
	}
	for _, id := range []string{"sanction.measure-items", "field.agency-implementer-line", "cat.finance"} {
		if counts[id] == 0 {
			t.Errorf("rule %s fired on 0 clauses of the example corpus, want > 0 (counts %v)", id, counts)
		}
	}
}
