package meta

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/internal/testshared"
	"github.com/scs-project/scs/parser/extract"
	"go.yaml.in/yaml/v3"
)

// frontMatter returns the YAML front matter of a Markdown file as the
// PageMeta extract would give (flat string values).
func frontMatter(tb testing.TB, md string) map[string]string {
	tb.Helper()
	if !strings.HasPrefix(md, "---\n") {
		return nil
	}
	end := strings.Index(md[4:], "\n---\n")
	if end < 0 {
		return nil
	}
	var raw map[string]any
	if err := yaml.Unmarshal([]byte(md[4:4+end]), &raw); err != nil {
		tb.Fatalf("front matter: %v", err)
	}
	out := map[string]string{}
	for k, v := range raw {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// manifestRow is one row of corpus/real/manifest.tsv.
type manifestRow struct {
	file, title, issuer, docNumber, date, kind string
}

func readManifest(tb testing.TB, path string) []manifestRow {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var rows []manifestRow
	for i, l := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
		f := strings.Split(l, "\t")
		if i == 0 || len(f) < 7 || strings.Contains(f[1], "/") {
			continue // header, and raw/ pages (not text files)
		}
		rows = append(rows, manifestRow{file: f[1], title: f[2], issuer: f[3], docNumber: f[4], date: f[5], kind: f[6]})
	}
	return rows
}

// cmpTitle folds a title for comparison: no trailing version note, no
// white space.
func cmpTitle(s string) string {
	return strings.Join(strings.Fields(baseTitle(cleanTitle(s))), "")
}

// TestManifestAgreement runs Extract on the real corpus and reports the
// agreement with the hand-written manifest per field. Fields the text does
// not state cannot agree: five 条例 have an empty header block, and the
// texts of 003/004 (法释) and 021/026/028 (主席令) do not carry their 文号: the floors
// below are what the stage actually reaches, so a regression fails.
func TestManifestAgreement(t *testing.T) {
	dir := filepath.Join(testshared.Dir(t), "corpus", "real")
	rows := readManifest(t, filepath.Join(dir, "manifest.tsv"))
	type score struct{ agree, total int }
	scores := map[string]*score{}
	for _, f := range []string{"title", "issuer", "doc_number", "date", "kind"} {
		scores[f] = &score{}
	}
	check := func(field, file, got, want string) {
		s := scores[field]
		s.total++
		if got == want {
			s.agree++
			return
		}
		t.Logf("%s %s: got %q, manifest %q", file, field, got, want)
	}
	for _, r := range rows {
		raw, err := os.ReadFile(filepath.Join(dir, r.file))
		if err != nil {
			t.Fatal(err)
		}
		m := Extract(testshared.StripMarkdown(string(raw)), frontMatter(t, string(raw)))
		check("title", r.file, cmpTitle(m.Title), cmpTitle(r.title))
		issuer := ""
		if len(m.Issuers) > 0 {
			issuer = m.Issuers[0]
		}
		want := r.issuer
		if i := strings.Index(want, "（"); i > 0 {
			want = want[:i]
		}
		check("issuer", r.file, issuer, want)
		if r.docNumber != "" {
			check("doc_number", r.file, m.DocNumber, r.docNumber)
		}
		check("date", r.file, m.Issued, r.date)
		check("kind", r.file, string(m.Kind), r.kind)
	}
	floors := map[string]float64{"title": 1.0, "issuer": 0.75, "doc_number": 0.40, "date": 0.8, "kind": 0.95}
	for _, f := range []string{"title", "issuer", "doc_number", "date", "kind"} {
		s := scores[f]
		rate := float64(s.agree) / float64(s.total)
		t.Logf("agreement %-10s %2d/%2d = %.0f%%", f, s.agree, s.total, 100*rate)
		if rate < floors[f] {
			t.Errorf("%s agreement %.2f below floor %.2f", f, rate, floors[f])
		}
	}
}

// TestExcerptManifestAgreement runs the extract and metadata stages on the
// web-page excerpts of the real corpus (partial pages: site chrome, titles
// split over lines, traditional characters, pinyin glosses) and reports the
// agreement of title, kind and first issuer with their manifest. Excerpts whose title is
// not in the text cannot agree; the floors are what the stages reach, so a
// regression fails.
func TestExcerptManifestAgreement(t *testing.T) {
	dir := filepath.Join(testshared.Dir(t), "corpus", "real", "excerpts")
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	simp, err := corpus.LoadSimplifier(corpus.TradSimp())
	if err != nil {
		t.Fatal(err)
	}
	ex := extract.New(extract.Config{})
	st := New(Config{})
	agree := map[string]int{}
	total := 0
	for i, l := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
		f := strings.Split(l, "\t")
		if i == 0 || len(f) < 6 {
			continue
		}
		file, title, issuer, kind := f[1], f[2], f[3], f[5]
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		d := &corpus.Document{Source: file, Raw: b, ContentType: "text/plain"}
		if err := ex.Process(t.Context(), d); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if err := st.Process(t.Context(), d); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		total++
		// The manifest notes what the excerpt is after the title:
		// （发改财金〔2016〕141号）, （正文片段）, (title not in excerpt).
		if got, want := cmpTitle(simp.Simplify(d.Title)), cmpTitle(title); got == want {
			agree["title"]++
		} else {
			t.Logf("%s title: got %q, manifest %q", file, d.Title, title)
		}
		// The manifest names the first issuer, then notes: 国家发展改革委、
		// 最高人民法院、人民银行等44个部门和单位（在正文中列出）.
		wantIssuer, _, _ := strings.Cut(issuer, "（")
		wantIssuer, _, _ = strings.Cut(wantIssuer, " (")
		wantIssuer, _, _ = strings.Cut(wantIssuer, "、")
		gotIssuer := ""
		if len(d.Issuers) > 0 {
			gotIssuer = simp.Convert(d.Issuers[0])
		}
		if gotIssuer == strings.TrimSpace(wantIssuer) {
			agree["issuer"]++
		} else {
			t.Logf("%s issuer: got %q, manifest %q", file, gotIssuer, issuer)
		}
		if got := string(d.Kind); got == kind || got == "" && kind == "other" {
			agree["kind"]++
		} else {
			t.Logf("%s kind: got %q, manifest %q", file, got, kind)
		}
	}
	floors := map[string]float64{"title": 0.40, "kind": 0.70, "issuer": 0.40}
	for _, f := range []string{"title", "kind", "issuer"} {
		rate := float64(agree[f]) / float64(total)
		t.Logf("agreement %-5s %2d/%2d = %.0f%%", f, agree[f], total, 100*rate)
		if rate < floors[f] {
			t.Errorf("%s agreement %.2f below floor %.2f", f, rate, floors[f])
		}
	}
}
