package corpus

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func openStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStoreLifecycle(t *testing.T) {
	ctx := t.Context()
	s := openStore(t)
	d := &Document{Source: "/inbox/a.txt", Raw: []byte("第一条 甲。"), ContentType: "text/plain"}
	res, err := s.Put(ctx, d)
	if err != nil || res != Added {
		t.Fatalf("first Put = %v, %v; want Added", res, err)
	}
	if d.ID != DocumentID("/inbox/a.txt") || d.RawHash != HashRaw([]byte("第一条 甲。")) {
		t.Errorf("Put set ID %q hash %q", d.ID, d.RawHash)
	}
	if got, _ := s.List(ctx, NeedParse); len(got) != 1 {
		t.Fatalf("NeedParse = %d docs, want 1", len(got))
	}

	d.Title = "甲条例"
	d.Text = "第一条 甲。"
	d.Clauses = []Clause{{ID: ClauseID(d.ID, "第一条"), Path: "第一条", Text: "甲。", Tags: []string{"scope"}}}
	if err := s.SaveParsed(ctx, d); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.List(ctx, NeedParse); len(got) != 0 {
		t.Errorf("NeedParse after save = %d docs, want 0", len(got))
	}
	if got, _ := s.List(ctx, NeedIndex); len(got) != 1 {
		t.Errorf("NeedIndex after save = %d docs, want 1", len(got))
	}

	// The same bytes again: nothing to do.
	again := &Document{Source: "/inbox/a.txt", Raw: []byte("第一条 甲。")}
	if res, err := s.Put(ctx, again); err != nil || res != Unchanged {
		t.Errorf("Put(same bytes) = %v, %v; want Unchanged", res, err)
	}

	got, err := s.Load(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "甲条例" || len(got.Clauses) != 1 || got.Clauses[0].Tags[0] != "scope" || string(got.Raw) != "第一条 甲。" {
		t.Errorf("Load = %+v", got)
	}

	if err := s.MarkIndexed(ctx, d.ID, d.RawHash); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.List(ctx, NeedIndex); len(got) != 0 {
		t.Errorf("NeedIndex after MarkIndexed = %d, want 0", len(got))
	}

	// Changed bytes: back to fetched, parse again; the old parse is not served as current.
	changedDoc := &Document{Source: "/inbox/a.txt", Raw: []byte("第一条 乙。")}
	if res, err := s.Put(ctx, changedDoc); err != nil || res != Changed {
		t.Fatalf("Put(changed bytes) = %v, %v; want Changed", res, err)
	}
	got, err = s.Load(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "" || len(got.Clauses) != 0 || string(got.Raw) != "第一条 乙。" {
		t.Errorf("Load after change served the stale parse: %+v", got)
	}
	// A late save of the old parse must not overwrite the newer bytes' state.
	if err := s.SaveParsed(ctx, d); !errors.Is(err, ErrNotFound) {
		t.Errorf("SaveParsed(stale) = %v, want ErrNotFound", err)
	}
}

func TestStoreRecordsFailures(t *testing.T) {
	ctx := t.Context()
	s := openStore(t)
	d := &Document{Source: "/inbox/bad.pdf", Raw: []byte("%PDF-garbage")}
	if _, err := s.Put(ctx, d); err != nil {
		t.Fatal(err)
	}
	d.SetError("extract", errors.New("not a PDF file: missing %%EOF"))
	if err := s.SaveParsed(ctx, d); err != nil {
		t.Fatal(err)
	}
	failed, err := s.List(ctx, FailedDocs)
	if err != nil || len(failed) != 1 {
		t.Fatalf("FailedDocs = %v, %v", failed, err)
	}
	if failed[0].ErrorStage != "extract" || failed[0].Source != "/inbox/bad.pdf" {
		t.Errorf("failure = %+v", failed[0])
	}
	// A failed document is not parsed again until its bytes change.
	if got, _ := s.List(ctx, NeedParse); len(got) != 0 {
		t.Errorf("NeedParse = %d, want 0", len(got))
	}
}

func TestStoreConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for w := range 4 {
		wg.Go(func() {
			for i := range 25 {
				d := &Document{Source: filepath.Join("/w", string(rune('a'+w)), string(rune('a'+i))), Raw: []byte{byte(w), byte(i)}}
				if _, err := s.Put(ctx, d); err != nil {
					errs <- err
					continue
				}
				if err := s.SaveParsed(ctx, d); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	all, _ := s.List(ctx, All)
	if len(all) != 100 {
		t.Errorf("documents = %d, want 100", len(all))
	}
}

func TestBlobsAreContentAddressedAndComplete(t *testing.T) {
	s := openStore(t)
	d := &Document{Source: "x", Raw: []byte("内容")}
	if _, err := s.Put(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(s.Dir(), "blobs", d.RawHash[:2], d.RawHash)
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "内容" {
		t.Fatalf("blob %s = %q, %v", p, b, err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(s.Dir(), "blobs", "*", "*~"))
	if len(leftovers) != 0 {
		t.Errorf("temporary blob files left: %v", leftovers)
	}
}
