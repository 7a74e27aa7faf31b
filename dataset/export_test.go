package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scs-project/scs/corpus"
)

// fixture returns a small corpus written in the genre's style: an MOU with
// measures, implementing agencies and legal bases; a regulation citing the
// MOU's title; a failed document.
func fixture() []*corpus.Document {
	mou := &corpus.Document{ID: "aaaa000000000001", Source: "/inbox/mou.html", RawHash: "11", ContentType: "text/html",
		FetchedAt: time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC), Extractor: "html", Quality: 0.97,
		Metadata: corpus.Metadata{Title: "关于对示例领域失信主体开展联合惩戒的合作备忘录", Issuers: []string{"示例市发展改革委", "人民银行示例分行"},
			DocNumber: "示发改〔2019〕12号", Issued: "2019-03-04", Kind: corpus.KindMOU, Region: "示例市"},
		Attachments: []corpus.Link{{URL: "http://example.gov.cn/a.pdf", Title: "附件1"}}}
	lead := corpus.Clause{Path: "二", Label: "二、", Text: "联合惩戒措施及实施单位", Offset: 10}
	m1 := corpus.Clause{Path: "二/（一）", Label: "（一）", Parent: "二", Headings: []string{"二、联合惩戒措施及实施单位"}, Offset: 40,
		Text: "限制参与政府采购活动。实施单位：财政部、发展改革委。法律依据：《中华人民共和国政府采购法》第二十二条",
		Tags: []string{"sanction"}, SanctionCategories: []string{"procurement"}, Agencies: []string{"财政部", "发展改革委"},
		LegalBasis: []string{"《中华人民共和国政府采购法》第二十二条"},
		Evidence: []corpus.Evidence{{Field: "tag", Value: "sanction", Rule: "sanction.restrict", Span: "限制", Start: 0, End: 6},
			{Field: "sanction_category", Value: "procurement", Rule: "cat.procurement", Span: "政府采购", Start: 12, End: 24},
			{Field: "agency", Value: "财政部", Rule: "agency.line", Span: "财政部", Start: 40, End: 49}}}
	m2 := corpus.Clause{Path: "二/（二）", Label: "（二）", Parent: "二", Headings: []string{"二、联合惩戒措施及实施单位"}, Offset: -1,
		Text: "在审批财政补助资金时从严审核。实施单位：财政部", Tags: []string{"sanction"}, SanctionCategories: []string{"subsidies"},
		Agencies: []string{"财政部"}, Evidence: []corpus.Evidence{{Field: "tag", Value: "sanction", Rule: "sanction.lead", Span: "惩戒措施", Start: -1, End: -1}}}
	other := corpus.Clause{Path: "三", Label: "三、", Text: "各部门应当建立信息共享机制。", Tags: []string{"data"}}
	mou.Clauses = []corpus.Clause{lead, m1, m2, other}
	for i := range mou.Clauses {
		mou.Clauses[i].ID = corpus.ClauseID(mou.ID, mou.Clauses[i].Path)
	}
	reg := &corpus.Document{ID: "bbbb000000000002", Source: "/inbox/reg.md", RawHash: "22", ContentType: "text/markdown",
		FetchedAt: time.Date(2024, 5, 2, 8, 0, 0, 0, time.UTC),
		Metadata:  corpus.Metadata{Title: "示例市社会信用条例", Issuers: []string{"示例市人民代表大会常务委员会"}, Issued: "2023", Kind: corpus.KindLocalRegulation, Region: "示例市"},
		Clauses: []corpus.Clause{{ID: "bbbb000000000002-c1", Path: "第八条", Label: "第八条",
			Text: "依照《关于对示例领域失信主体开展联合惩戒的合作备忘录》和《不存在的办法》，对失信主体采取惩戒措施，“含引号”, 逗号。",
			Tags: []string{"sanction", "scope"}, Offset: 0}}}
	bad := &corpus.Document{ID: "cccc000000000003", Source: "/inbox/bad.pdf", RawHash: "33", ContentType: "application/pdf",
		FetchedAt: time.Date(2024, 5, 3, 8, 0, 0, 0, time.UTC), Err: &corpus.StageError{Stage: "extract", Source: "/inbox/bad.pdf", Msg: "no text layer"}}
	return []*corpus.Document{mou, reg, bad}
}

// wantRows are the rows the fixture yields per table (agencies: the
// embedded alias table).
func wantRows() map[string]int {
	return map[string]int{TDocuments: 3, TAttachments: 1, TClauses: 5, TTags: 3 + 1 + 1 + 2, TMeasures: 2,
		TMeasureAgencies: 3, TLegalBases: 1, TCitations: 3, TAgencies: len(ParseAliases(corpus.AgencyAliases()))}
}

func seq(docs []*corpus.Document) func(func(*corpus.Document, error) bool) {
	return func(yield func(*corpus.Document, error) bool) {
		for _, d := range docs {
			if !yield(d, nil) {
				return
			}
		}
	}
}

func exportFixture(t *testing.T, f Format, out string, bom bool) *Manifest {
	t.Helper()
	docs := fixture()
	titles := map[string]string{}
	for _, d := range docs {
		titles[d.Title] = d.ID
	}
	m, err := Export(t.Context(), Config{Out: out, Format: f, BOM: bom, Version: "test", Source: "/data",
		AgencyAliases: corpus.AgencyAliases(), Titles: titles, Now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}, seq(docs))
	if err != nil {
		t.Fatalf("Export %s: %v", f, err)
	}
	return m
}

func TestExportRowCounts(t *testing.T) {
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			m := exportFixture(t, f, filepath.Join(t.TempDir(), "out"), false)
			for table, want := range wantRows() {
				if got := m.Rows[table]; got != want {
					t.Errorf("%s rows = %d, want %d", table, got, want)
				}
			}
		})
	}
}

func readJSONL(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		rows = append(rows, r)
	}
	return rows
}

func TestExportJSONLValues(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	exportFixture(t, JSONL, out, false)
	find := func(table, key, val string) map[string]any {
		for _, r := range readJSONL(t, filepath.Join(out, table+".jsonl")) {
			if r[key] == val {
				return r
			}
		}
		t.Fatalf("%s: no row with %s=%s", table, key, val)
		return nil
	}
	tests := []struct {
		name       string
		row        map[string]any
		col        string
		want       any
		wantAbsent bool
	}{
		{"a full date stays a date", find(TDocuments, "doc_id", "aaaa000000000001"), "issued", "2019-03-04", false},
		{"a partial date is null", find(TDocuments, "doc_id", "bbbb000000000002"), "issued", nil, false},
		{"a failed document keeps its reason", find(TDocuments, "doc_id", "cccc000000000003"), "error", "no text layer", false},
		{"unscored quality is null", find(TDocuments, "doc_id", "cccc000000000003"), "quality", nil, false},
		{"the measure's wording", find(TMeasures, "ordinal", "（一）"), "wording_strength", "restrict", false},
		{"strict review", find(TMeasures, "ordinal", "（二）"), "wording_strength", "strict_review", false},
		{"has a legal basis", find(TMeasures, "ordinal", "（一）"), "has_legal_basis", true, false},
		{"has none", find(TMeasures, "ordinal", "（二）"), "has_legal_basis", false, false},
		{"alias to canonical", find(TMeasureAgencies, "agency", "发展改革委"), "canonical", "国家发展改革委", false},
		{"citation resolved to the MOU", find(TCitations, "cited_title", "关于对示例领域失信主体开展联合惩戒的合作备忘录"), "cited_doc_id", "aaaa000000000001", false},
		{"citation outside the corpus", find(TCitations, "cited_title", "不存在的办法"), "resolved", false, false},
		{"legal basis split: title", find(TLegalBases, "article", "第二十二条"), "title", "中华人民共和国政府采购法", false},
		{"legal basis on a measure", find(TLegalBases, "article", "第二十二条"), "measure_id", find(TMeasures, "ordinal", "（一）")["measure_id"], false},
		{"evidence from context has no span offsets", find(TTags, "rule", "sanction.lead"), "span_start", nil, false},
		{"evidence from context is flagged", find(TTags, "rule", "sanction.lead"), "from_context", true, false},
		{"a tag without evidence gets a row", find(TTags, "clause_id", "bbbb000000000002-c1"), "rule", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.row[tt.col]
			if !ok {
				t.Fatalf("column %s missing in %v", tt.col, tt.row)
			}
			if gb, _ := json.Marshal(got); string(gb) != mustJSON(tt.want) {
				t.Errorf("%s = %s, want %s", tt.col, gb, mustJSON(tt.want))
			}
		})
	}
	// Keys in column order, every column present.
	b, _ := os.ReadFile(filepath.Join(out, "clauses.jsonl"))
	line, _, _ := strings.Cut(string(b), "\n")
	dec := json.NewDecoder(strings.NewReader(line))
	dec.Token()
	var keys []string
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	var want []string
	for _, c := range Tables[2].Columns {
		want = append(want, c.Name)
	}
	if !slices.Equal(keys, want) {
		t.Errorf("clauses.jsonl keys = %v, want %v", keys, want)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestMeasureDerivation(t *testing.T) {
	mou := fixture()[0]
	leadIns := map[string]string{"二": "联合惩戒措施及实施单位"}
	tests := []struct {
		name   string
		kind   corpus.Kind
		clause corpus.Clause
		want   string
	}{
		{"MOU item under a measures heading", corpus.KindMOU, mou.Clauses[1], "punish"},
		{"a lead-in is not a measure (no label)", corpus.KindMOU, corpus.Clause{Text: "措施", Tags: []string{"sanction"}, Headings: []string{"措施"}}, ""},
		{"untagged item", corpus.KindMOU, mou.Clauses[3], ""},
		{"a regulation's sanction item is not an MOU measure", corpus.KindLocalRegulation, mou.Clauses[1], ""},
		{"reward measure in a list", corpus.KindList, corpus.Clause{Label: "1.", Tags: []string{"reward"}, Headings: []string{"激励措施"}}, "reward"},
		{"item outside any measures heading", corpus.KindMOU, corpus.Clause{Label: "（一）", Tags: []string{"sanction"}, Headings: []string{"一、联合惩戒对象"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &corpus.Document{Metadata: corpus.Metadata{Kind: tt.kind}}
			got, _ := IsMeasure(d, &tt.clause, leadIns)
			if got != tt.want {
				t.Errorf("IsMeasure = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWordingAndCitations(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"限制参与政府采购活动", "restrict"},
		{"不予受理其申请", "prohibit"},
		{"从严审核其资格，限制其参与", "strict_review"},
		{"作为选择合作对象的参考", "reference"},
		{"通报批评", "other"},
	} {
		if got := WordingStrength(tt.text); got != tt.want {
			t.Errorf("WordingStrength(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	for _, tt := range []struct{ in, title, art string }{
		{"《中华人民共和国税收征收管理法》第六十三条第二款", "中华人民共和国税收征收管理法", "第六十三条第二款"},
		{"《企业信息公示暂行条例》", "企业信息公示暂行条例", ""},
		{"有关法律法规", "", "有关法律法规"},
	} {
		if title, art := SplitCitation(tt.in); title != tt.title || art != tt.art {
			t.Errorf("SplitCitation(%q) = %q, %q; want %q, %q", tt.in, title, art, tt.title, tt.art)
		}
	}
}

func TestFilter(t *testing.T) {
	docs := fixture()
	tests := []struct {
		name string
		f    Filter
		want []string
	}{
		{"no filter", Filter{}, []string{"aaaa000000000001", "bbbb000000000002", "cccc000000000003"}},
		{"kind", Filter{Kinds: []corpus.Kind{corpus.KindMOU}}, []string{"aaaa000000000001"}},
		{"issuer substring", Filter{Issuer: "人民银行"}, []string{"aaaa000000000001"}},
		{"region", Filter{Region: "示例市"}, []string{"aaaa000000000001", "bbbb000000000002"}},
		{"since excludes undated", Filter{Since: "2019-01-01"}, []string{"aaaa000000000001", "bbbb000000000002"}},
		{"until a year is inclusive", Filter{Until: "2019"}, []string{"aaaa000000000001"}},
		{"tag", Filter{Tags: []string{"scope"}}, []string{"bbbb000000000002"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range docs {
				if tt.f.MatchDocument(d) {
					got = append(got, d.ID)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("MatchDocument kept %v, want %v", got, tt.want)
			}
		})
	}
}

func TestExportReplacesAtomically(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	exportFixture(t, CSV, out, false)
	exportFixture(t, JSONL, out, false) // replaces the CSV export whole
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	for _, f := range files {
		if strings.HasSuffix(f, ".csv") {
			t.Errorf("%s survived the replacing export", f)
		}
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".out.tmp-*"))
	if len(left) > 0 {
		t.Errorf("temporary directories left: %v", left)
	}
	mine := filepath.Join(t.TempDir(), "notes")
	os.MkdirAll(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "thesis.docx"), []byte("x"), 0o644)
	_, err := Export(t.Context(), Config{Out: mine, Format: CSV}, seq(nil))
	if err == nil || !strings.Contains(err.Error(), "not an scs export") {
		t.Errorf("export over a foreign directory: err = %v, want a refusal", err)
	}
	if _, err := os.Stat(filepath.Join(mine, "thesis.docx")); err != nil {
		t.Errorf("the foreign directory was touched: %v", err)
	}
	// A failing document source leaves the previous export in place.
	boom := errors.New("store broken")
	_, err = Export(t.Context(), Config{Out: out, Format: CSV}, func(yield func(*corpus.Document, error) bool) { yield(nil, boom) })
	if !errors.Is(err, boom) {
		t.Errorf("Export with a failing source: %v, want %v", err, boom)
	}
	if _, err := os.Stat(filepath.Join(out, "documents.jsonl")); err != nil {
		t.Errorf("the previous export is gone after a failed one: %v", err)
	}
}

func TestDataPackageAndCodebook(t *testing.T) {
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			m := exportFixture(t, f, out, false)
			b, err := os.ReadFile(filepath.Join(out, "datapackage.json"))
			if err != nil {
				t.Fatal(err)
			}
			var dp struct {
				Profile   string `json:"profile"`
				Created   string `json:"created"`
				Version   string `json:"scs:version"`
				Sources   []any  `json:"sources"`
				Resources []struct {
					Name, Path string
					Rows       int `json:"scs:rows"`
					Schema     struct {
						Fields []struct{ Name, Type, Description string }
					}
				}
			}
			if err := json.Unmarshal(b, &dp); err != nil {
				t.Fatal(err)
			}
			if dp.Profile != "tabular-data-package" || dp.Created != "2025-01-02T03:04:05Z" || dp.Version != "test" || len(dp.Sources) == 0 {
				t.Errorf("descriptor head = %+v", dp)
			}
			if len(dp.Resources) != len(Tables) {
				t.Fatalf("%d resources, want %d", len(dp.Resources), len(Tables))
			}
			cb, _ := os.ReadFile(filepath.Join(out, "CODEBOOK.md"))
			for i, tb := range Tables {
				r := dp.Resources[i]
				if r.Name != tb.Name || r.Path != tb.Name+"."+string(f) || r.Rows != m.Rows[tb.Name] {
					t.Errorf("resource %d = %s %s %d rows; want %s, %d rows", i, r.Name, r.Path, r.Rows, tb.Name, m.Rows[tb.Name])
				}
				if _, err := os.Stat(filepath.Join(out, r.Path)); err != nil {
					t.Errorf("resource path: %v", err)
				}
				if len(r.Schema.Fields) != len(tb.Columns) {
					t.Fatalf("%s: %d fields, want %d", tb.Name, len(r.Schema.Fields), len(tb.Columns))
				}
				for j, c := range tb.Columns {
					fd := r.Schema.Fields[j]
					want := c.Type.Frictionless()
					if c.Type == List && f == CSV {
						want = "string"
					}
					if fd.Name != c.Name || fd.Type != want || fd.Description == "" {
						t.Errorf("%s field %d = %+v; want %s %s", tb.Name, j, fd, c.Name, want)
					}
					if !strings.Contains(string(cb), "| `"+c.Name+"` | "+c.Type.Frictionless()) {
						t.Errorf("CODEBOOK.md lacks %s.%s", tb.Name, c.Name)
					}
				}
			}
		})
	}
}

func TestColumnDefinitions(t *testing.T) {
	seen := map[string]bool{}
	for _, tb := range Tables {
		if seen[tb.Name] || tb.Description == "" || len(tb.Key) == 0 {
			t.Errorf("table %s: duplicate, or no description or key", tb.Name)
		}
		seen[tb.Name] = true
		cols := map[string]bool{}
		for _, c := range tb.Columns {
			if cols[c.Name] || c.Description == "" {
				t.Errorf("%s.%s: duplicate or undocumented", tb.Name, c.Name)
			}
			cols[c.Name] = true
		}
		for _, k := range tb.Key {
			if !cols[k] {
				t.Errorf("%s: key %s is not a column", tb.Name, k)
			}
		}
		for col, ref := range tb.Refs {
			rt, rc, _ := strings.Cut(ref, ".")
			other, ok := TableByName(rt)
			if !cols[col] || !ok || ColumnIndex(other.Name, rc) < 0 {
				t.Errorf("%s: bad foreign key %s -> %s", tb.Name, col, ref)
			}
		}
	}
}

// needReader finds an independent reader (python3, and its duckdb module
// for Parquet). Outside CI a missing reader skips the test; in CI (where
// .ci/run installs them) it fails.
func needReader(t *testing.T, module string) {
	t.Helper()
	args := []string{"-c", "import csv"}
	if module != "" {
		args = []string{"-c", "import " + module}
	}
	if _, err := exec.LookPath("python3"); err == nil {
		if err := exec.Command("python3", args...).Run(); err == nil {
			return
		}
	}
	msg := "python3" + map[bool]string{true: " with the " + module + " module", false: ""}[module != ""] + " is not installed (.ci/run installs it)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// python runs a Python script with args and returns its stdout.
func python(t *testing.T, script string, args ...string) string {
	t.Helper()
	cmd := exec.Command("python3", append([]string{"-c", script}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	return string(out)
}

// csvReader prints, per file, the header and the number of data rows, as
// read by Python's csv module (RFC 4180 quoting, embedded newlines).
const csvReader = `
import csv, json, sys
out = {}
for path in sys.argv[1:]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        raw = open(path, "rb").read(3)
        rows = list(csv.reader(f))
    out[path] = {"header": rows[0], "rows": len(rows) - 1, "bom": raw == b"\xef\xbb\xbf", "data": rows[1:3]}
print(json.dumps(out, ensure_ascii=False))
`

func TestCSVReadByPython(t *testing.T) {
	needReader(t, "")
	for _, bom := range []bool{false, true} {
		t.Run(map[bool]string{false: "utf8", true: "bom"}[bom], func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			m := exportFixture(t, CSV, out, bom)
			var paths []string
			for _, tb := range Tables {
				paths = append(paths, filepath.Join(out, tb.Name+".csv"))
			}
			var got map[string]struct {
				Header []string
				Rows   int
				BOM    bool
				Data   [][]string
			}
			if err := json.Unmarshal([]byte(python(t, csvReader, paths...)), &got); err != nil {
				t.Fatal(err)
			}
			for i, tb := range Tables {
				g := got[paths[i]]
				var want []string
				for _, c := range tb.Columns {
					want = append(want, c.Name)
				}
				if !slices.Equal(g.Header, want) || g.Rows != m.Rows[tb.Name] || g.BOM != bom {
					t.Errorf("%s read by python: header %v rows %d bom %v; want %v, %d rows, bom %v", tb.Name, g.Header, g.Rows, g.BOM, want, m.Rows[tb.Name], bom)
				}
			}
			docs := got[paths[0]].Data
			if iss := docs[0][ColumnIndex(TDocuments, "issuers")]; iss != "示例市发展改革委|人民银行示例分行" {
				t.Errorf("issuers cell = %q, want the list joined with |", iss)
			}
			cl := got[paths[2]]
			_ = cl
		})
	}
}

// parquetReader prints, per file, DuckDB's column types and row count.
const parquetReader = `
import duckdb, json, sys
con = duckdb.connect()
q = lambda sql: con.execute(sql).fetchall()
out = {}
for path in sys.argv[1:]:
    cols = q(f"DESCRIBE SELECT * FROM read_parquet('{path}')")
    n = q(f"SELECT count(*) FROM read_parquet('{path}')")[0][0]
    out[path] = {"columns": [[c[0], c[1]] for c in cols], "rows": n}
m = sys.argv[1].rsplit("/", 1)[0]
out["_issued"] = str(q(f"SELECT issued FROM read_parquet('{m}/documents.parquet') WHERE doc_id = 'aaaa000000000001'")[0][0])
out["_tags"] = q(f"SELECT tags FROM read_parquet('{m}/clauses.parquet') WHERE path = '第八条'")[0][0]
print(json.dumps(out, ensure_ascii=False))
`

// duckType is the DuckDB type each column type must read back as.
var duckType = map[Type]string{String: "VARCHAR", Int: "BIGINT", Float: "DOUBLE", Bool: "BOOLEAN", Date: "DATE",
	Timestamp: "TIMESTAMP WITH TIME ZONE", List: "VARCHAR[]"}

func TestParquetReadByDuckDB(t *testing.T) {
	needReader(t, "duckdb")
	out := filepath.Join(t.TempDir(), "out")
	m := exportFixture(t, Parquet, out, false)
	var paths []string
	for _, tb := range Tables {
		paths = append(paths, filepath.Join(out, tb.Name+".parquet"))
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(python(t, parquetReader, paths...)), &got); err != nil {
		t.Fatal(err)
	}
	for i, tb := range Tables {
		var g struct {
			Columns [][2]string
			Rows    int
		}
		json.Unmarshal(got[paths[i]], &g)
		if g.Rows != m.Rows[tb.Name] {
			t.Errorf("%s: duckdb reads %d rows, want %d", tb.Name, g.Rows, m.Rows[tb.Name])
		}
		if len(g.Columns) != len(tb.Columns) {
			t.Fatalf("%s: duckdb reads %d columns, want %d", tb.Name, len(g.Columns), len(tb.Columns))
		}
		for j, c := range tb.Columns {
			if g.Columns[j][0] != c.Name || g.Columns[j][1] != duckType[c.Type] {
				t.Errorf("%s column %d: duckdb reads %v, want %s %s", tb.Name, j, g.Columns[j], c.Name, duckType[c.Type])
			}
		}
	}
	if s := string(got["_issued"]); s != `"2019-03-04"` {
		t.Errorf("issued read back as %s, want the date 2019-03-04", s)
	}
	if s := string(got["_tags"]); s != `["sanction", "scope"]` && s != `["sanction","scope"]` {
		t.Errorf("tags read back as %s, want the list [sanction scope]", s)
	}
}

func TestTaggerMeasuresWin(t *testing.T) {
	d := fixture()[0]
	m1 := d.Clauses[1]
	d.Measures = []corpus.Measure{{ClauseID: m1.ID, Path: m1.Path, Ordinal: "（一）", Text: "限制参与政府采购活动。", Kind: "sanction",
		Categories: []string{"procurement"}, Agencies: []string{"发展改革委"}, AgenciesCanonical: []string{"国家发展改革委（标准名）"},
		LegalBasis: []string{"《中华人民共和国政府采购法》第二十二条"}, HasLegalBasis: true}}
	rows := map[string][]Row{}
	err := DocumentRows(d, NewResolver(nil, corpus.AgencyAliases()), nil, func(table string, r Row) error {
		rows[table] = append(rows[table], r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows[TMeasures]) != 1 {
		t.Fatalf("measures = %d rows, want 1 (the tagger's, no derived ones)", len(rows[TMeasures]))
	}
	if got := rows[TMeasures][0][ColumnIndex(TMeasures, "text")]; got != "限制参与政府采购活动。" {
		t.Errorf("measure text = %q, want the tagger's text", got)
	}
	if ma := rows[TMeasureAgencies]; len(ma) != 1 || ma[0][ColumnIndex(TMeasureAgencies, "canonical")] != "国家发展改革委（标准名）" {
		t.Errorf("measure_agencies = %v, want the tagger's canonical name", ma)
	}
}
