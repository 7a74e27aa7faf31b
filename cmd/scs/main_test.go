package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/indexer"
)

// TestMain lets the test binary serve as the PDF child process, as the
// scs binary does, so the CLI tests run PDFs through real child processes.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == pdfChildCommand {
		servePDFChild()
	}
	os.Exit(m.Run())
}

// scs runs the command line in-process and returns its exit code and output.
func scs(t testing.TB, ctx context.Context, envs map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(ctx, args, &env{stdout: &out, stderr: &errb, getenv: func(k string) string { return envs[k] }})
	return code, out.String(), errb.String()
}

// inbox copies the example inbox into a temporary folder and adds a broken PDF.
func inbox(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob("../../examples/inbox/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("example inbox: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.pdf"), []byte("%PDF-1.4\n1 0 obj << /Type /Catalog"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRunIngestsSearchesAndSkipsUnchanged(t *testing.T) {
	ctx := t.Context()
	in := inbox(t)
	data := filepath.Join(t.TempDir(), "data")
	envs := map[string]string{"SCS_DATA": data}

	code, out, stderr := scs(t, ctx, envs, "run", "--inbox", in, "--json")
	if code != exitPartial { // broken.pdf fails: a partial failure
		t.Fatalf("run exit %d, want %d (partial), stderr:\n%s", code, exitPartial, stderr)
	}
	var s summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("run --json output is not JSON: %v\n%s", err, out)
	}
	if s.Found != 4 || s.New != 4 || s.Parsed != 3 || s.Indexed != 3 || s.Failed != 1 {
		t.Errorf("summary = found %d new %d parsed %d indexed %d failed %d; want 4 4 3 3 1", s.Found, s.New, s.Parsed, s.Indexed, s.Failed)
	}
	if len(s.Failures) != 1 || !strings.HasSuffix(s.Failures[0].Source, "broken.pdf") || s.Failures[0].Stage != "extract" {
		t.Errorf("failures = %+v, want broken.pdf failing in extract", s.Failures)
	}
	if s.Clauses < 20 {
		t.Errorf("clauses = %d, want at least 20 from the examples", s.Clauses)
	}
	if runs, _ := filepath.Glob(filepath.Join(data, "runs", "*.json")); len(runs) != 1 {
		t.Errorf("run summaries kept = %v, want 1", runs)
	}

	// A second run finds nothing new.
	code, out, _ = scs(t, ctx, envs, "run", "--inbox", in, "--json")
	s = summary{}
	json.Unmarshal([]byte(out), &s)
	if code != exitOK || s.Unchanged != 4 || s.Parsed != 0 || s.Indexed != 0 {
		t.Errorf("second run: exit %d, unchanged %d parsed %d indexed %d; want 0 4 0 0", code, s.Unchanged, s.Parsed, s.Indexed)
	}

	// Search: recall inside a longer word, filters, JSON.
	code, out, stderr = scs(t, ctx, envs, "search", "--json", "严重失信主体")
	if code != exitOK {
		t.Fatalf("search exit %d: %s", code, stderr)
	}
	var res indexer.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search --json: %v\n%s", err, out)
	}
	if res.Total < 3 {
		t.Errorf("search 严重失信主体: %d hits, want at least 3", res.Total)
	}
	for _, h := range res.Hits {
		if !strings.Contains(h.Text, "严重失信主体") || !strings.Contains(h.Snippet, "【") {
			t.Errorf("hit %s %q does not contain the query or lacks a marked snippet %q", h.Path, h.Text, h.Snippet)
		}
	}
	code, out, _ = scs(t, ctx, envs, "search", "--json", "--tag", "sanction", "--kind", "mou", "实施单位")
	res = indexer.Result{}
	json.Unmarshal([]byte(out), &res)
	if code != exitOK || res.Total == 0 {
		t.Errorf("search --tag sanction --kind mou 实施单位: exit %d, %d hits; want some", code, res.Total)
	}
	for _, h := range res.Hits {
		if h.Kind != "mou" || !contains(h.Tags, "sanction") {
			t.Errorf("filtered hit %+v is not a sanction clause of a mou", h)
		}
	}
	code, out, _ = scs(t, ctx, envs, "search", "信用修复")
	if code != exitOK || !strings.Contains(out, "clauses match") || !strings.Contains(out, "【信用修复】") {
		t.Errorf("text search output:\n%s", out)
	}
}

func TestIngestPicksUpChangedFile(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	f := filepath.Join(dir, "a.txt")
	os.WriteFile(f, []byte("甲条例\n第一条 本条例适用于本市。\n第二条 对失信主体限制参加政府采购。"), 0o644)
	envs := map[string]string{"SCS_DATA": filepath.Join(dir, "data")}
	if code, _, stderr := scs(t, ctx, envs, "ingest", f); code != exitOK {
		t.Fatalf("ingest: %d %s", code, stderr)
	}
	os.WriteFile(f, []byte("甲条例\n第一条 本条例适用于本市。\n第二条 对失信主体限制乘坐飞机。"), 0o644)
	code, out, _ := scs(t, ctx, envs, "ingest", "--json", f)
	var s summary
	json.Unmarshal([]byte(out), &s)
	if code != exitOK || s.Changed != 1 || s.Parsed != 1 || s.Indexed != 1 {
		t.Fatalf("re-ingest of a changed file: exit %d summary %+v", code, s)
	}
	_, out, _ = scs(t, ctx, envs, "search", "--json", "政府采购")
	var res indexer.Result
	json.Unmarshal([]byte(out), &res)
	if res.Total != 0 {
		t.Errorf("old clause still found after the file changed: %+v", res.Hits)
	}
	_, out, _ = scs(t, ctx, envs, "search", "--json", "乘坐飞机")
	json.Unmarshal([]byte(out), &res)
	if res.Total != 1 {
		t.Errorf("new clause: %d hits, want 1", res.Total)
	}
}

func TestOneLostBlobDoesNotStopTheBatch(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	store, err := corpus.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	lost := &corpus.Document{Source: "/elsewhere/lost.txt", Raw: []byte("第一条 甲。")}
	if _, err := store.Put(ctx, lost); err != nil {
		t.Fatal(err)
	}
	store.Close()
	os.Remove(filepath.Join(data, "blobs", lost.RawHash[:2], lost.RawHash))

	f := filepath.Join(dir, "b.txt")
	os.WriteFile(f, []byte("乙条例\n第一条 本条例适用于本市。"), 0o644)
	code, out, stderr := scs(t, ctx, map[string]string{"SCS_DATA": data}, "ingest", "--json", f)
	var s summary
	json.Unmarshal([]byte(out), &s)
	if code != exitPartial || s.Parsed != 1 || s.Indexed != 1 || s.Failed != 1 {
		t.Fatalf("exit %d, summary %+v, stderr %s; want b.txt parsed and indexed, lost.txt failed", code, s, stderr)
	}
	if s.Failures[0].Source != "/elsewhere/lost.txt" || s.Failures[0].Stage != "load" {
		t.Errorf("failure = %+v, want lost.txt in load", s.Failures[0])
	}
}

func TestAnalyzeJSON(t *testing.T) {
	code, out, stderr := scs(t, t.Context(), nil, "analyze", "--json", "../../examples/inbox/shili-shehui-xinyong-tiaoli.md", "../../examples/inbox/shili-lianhe-chengjie-mou.html")
	if code != exitOK {
		t.Fatalf("analyze exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("analyze --json printed %d lines, want 2 (one per document)", len(lines))
	}
	var reg, mou corpus.Document
	if err := json.Unmarshal([]byte(lines[0]), &reg); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &mou); err != nil {
		t.Fatal(err)
	}
	if reg.Title != "示例市社会信用条例" || reg.Effective != "2024-07-01" {
		t.Errorf("regulation metadata: title %q effective %q", reg.Title, reg.Effective)
	}
	byPath := map[string]corpus.Clause{}
	for _, c := range reg.Clauses {
		byPath[c.Path] = c
		if c.ID == "" || c.Tags == nil || c.Evidence == nil {
			t.Errorf("clause %s lacks id, tags or evidence arrays: %+v", c.Path, c)
		}
		if len(c.Tokens) != 0 {
			t.Errorf("clause %s carries tokens without --tokens", c.Path)
		}
	}
	c, ok := byPath["第三章/第八条/第1款/（四）"]
	if !ok {
		t.Fatalf("no clause 第三章/第八条/第1款/（四）; paths: %v", keys(byPath))
	}
	if !contains(c.Tags, "sanction") || !contains(c.SanctionCategories, "travel") {
		t.Errorf("（四）限制乘坐飞机: tags %v categories %v; want sanction/travel", c.Tags, c.SanctionCategories)
	}
	if mou.Kind != corpus.KindMOU || len(mou.Clauses) == 0 || mou.DocNumber != "示发改财金〔2019〕88号" {
		t.Errorf("mou: kind %q, doc number %q, %d clauses", mou.Kind, mou.DocNumber, len(mou.Clauses))
	}
}

func TestExtractAndExitCodes(t *testing.T) {
	ctx := t.Context()
	bad := filepath.Join(t.TempDir(), "bad.pdf")
	os.WriteFile(bad, []byte("%PDF-1.7 truncated"), 0o644)
	gbk := "../../examples/inbox/shili-xinyong-xiufu-tongzhi-gbk.html"

	code, out, stderr := scs(t, ctx, nil, "extract", gbk, bad)
	if code != exitFailure {
		t.Errorf("extract with a bad file: exit %d, want %d", code, exitFailure)
	}
	if !strings.Contains(out, "认定部门应当自受理之日起五个工作日内") || strings.Contains(out, "版权所有") {
		t.Errorf("GBK page extracted wrongly (mojibake or navigation kept):\n%s", out)
	}
	if !strings.Contains(stderr, "bad.pdf") {
		t.Errorf("stderr does not name the bad file:\n%s", stderr)
	}

	for _, tt := range []struct {
		name string
		args []string
		want int
	}{
		{"no command", nil, exitUsage},
		{"unknown command", []string{"frobnicate"}, exitUsage},
		{"bad flag", []string{"search", "--nope", "x"}, exitUsage},
		{"unknown tag", []string{"search", "--tag", "punish", "x"}, exitUsage},
		{"bad date", []string{"search", "--since", "2020/01/01", "x"}, exitUsage},
		{"extract without files", []string{"extract"}, exitUsage},
		{"missing file", []string{"extract", "/no/such/file.pdf"}, exitFailure},
		{"help", []string{"help"}, exitOK},
		{"version", []string{"version"}, exitOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := t.TempDir()
			if code, _, stderr := scs(t, ctx, map[string]string{"SCS_DATA": data}, tt.args...); code != tt.want {
				t.Errorf("scs %v: exit %d, want %d; stderr %s", tt.args, code, tt.want, stderr)
			}
		})
	}
}

func TestSearchWithoutIndexSaysWhatToDo(t *testing.T) {
	code, _, stderr := scs(t, t.Context(), map[string]string{"SCS_DATA": t.TempDir()}, "search", "信用")
	if code != exitFailure || !strings.Contains(stderr, "scs ingest") {
		t.Errorf("exit %d stderr %q; want 1 and advice to ingest", code, stderr)
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	code, _, _ := scs(t, ctx, map[string]string{"SCS_DATA": t.TempDir()}, "run", "--inbox", inbox(t))
	if code != exitCancelled {
		t.Errorf("cancelled run: exit %d, want %d", code, exitCancelled)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
