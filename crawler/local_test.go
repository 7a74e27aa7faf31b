package crawler

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
)

func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLocalFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.txt":           "第一条 甲",
		"sub/b.html":      "<p>乙</p>",
		"sub/c.PDF":       "%PDF-1.4",
		"sub/notes.xyz":   "unknown extension in a folder: skipped",
		".hidden/d.txt":   "hidden folder: skipped",
		"sub/.e.txt":      "hidden file: skipped",
		"explicit.xyz":    "named explicitly: taken",
		"deep/er/f.md":    "# 标题",
		"deep/er/g.docx":  "PK",
		"deep/er/h.shtml": "<p>丙</p>",
	})
	l := NewLocal(LocalConfig{})
	got, err := l.Files([]string{dir, filepath.Join(dir, "explicit.xyz"), filepath.Join(dir, "a.txt")})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, p := range got {
		r, _ := filepath.Rel(dir, p)
		rel = append(rel, r)
	}
	want := "a.txt deep/er/f.md deep/er/g.docx deep/er/h.shtml sub/b.html sub/c.PDF explicit.xyz"
	if strings.Join(rel, " ") != want {
		t.Errorf("Files = %v, want %s", rel, want)
	}
}

func TestLocalMissingPathNamesIt(t *testing.T) {
	_, err := NewLocal(LocalConfig{}).Files([]string{"/no/such/inbox"})
	if err == nil || !strings.Contains(err.Error(), "/no/such/inbox") {
		t.Fatalf("Files(missing) error = %v, want one naming the path", err)
	}
}

func TestLocalWalkReportsOversizeAndGoesOn(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"big.txt": strings.Repeat("信", 100), "small.txt": "小"})
	l := NewLocal(LocalConfig{MaxBytes: 50})
	out := make(chan *corpus.Document, 10)
	var errs []error
	if err := l.Walk(context.Background(), []string{dir}, out, func(err error) { errs = append(errs, err) }); err != nil {
		t.Fatal(err)
	}
	close(out)
	var docs []*corpus.Document
	for d := range out {
		docs = append(docs, d)
	}
	if len(docs) != 1 || !strings.HasSuffix(docs[0].Source, "small.txt") || string(docs[0].Raw) != "小" {
		t.Errorf("docs = %v, want small.txt only", docs)
	}
	if docs[0].ContentType != "text/plain" || docs[0].FetchedAt.IsZero() {
		t.Errorf("doc = %+v, want text/plain with a fetch time", docs[0])
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "big.txt") || !strings.Contains(errs[0].Error(), "limit") {
		t.Errorf("errors = %v, want one naming big.txt and the limit", errs)
	}
}
