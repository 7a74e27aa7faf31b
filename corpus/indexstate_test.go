package corpus

import (
	"errors"
	"reflect"
	"testing"
)

func TestIndexStatePerTarget(t *testing.T) {
	s := openStore(t)
	ctx := t.Context()
	put := func(src, body string, fail bool) *Document {
		t.Helper()
		d := &Document{Source: src, Raw: []byte(body)}
		if _, err := s.Put(ctx, d); err != nil {
			t.Fatal(err)
		}
		if fail {
			d.SetError("extract", errors.New("broken"))
		}
		if err := s.SaveParsed(ctx, d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	ids := func(ms []Summary) []string {
		out := []string{}
		for _, m := range ms {
			out = append(out, m.Source)
		}
		return out
	}
	check := func(target string, wantPut, wantDel []string) {
		t.Helper()
		p, d, err := s.PendingFor(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ids(p), wantPut) || !reflect.DeepEqual(ids(d), wantDel) {
			t.Errorf("PendingFor(%s) = put %v, delete %v; want %v, %v", target, ids(p), ids(d), wantPut, wantDel)
		}
	}
	a := put("/a", "one", false)
	b := put("/b", "two", false)
	put("/c", "bad", true)
	check("es1", []string{"/a", "/b"}, []string{}) // a failed document never held needs no delete
	for _, d := range []*Document{a, b} {
		if err := s.MarkIndexedIn(ctx, "es1", d.ID, d.RawHash); err != nil {
			t.Fatal(err)
		}
	}
	check("es1", []string{}, []string{})
	check("es2", []string{"/a", "/b"}, []string{}) // targets are independent
	put("/a", "one, changed", false)
	put("/b", "two, now broken", true)
	check("es1", []string{"/a"}, []string{"/b"})
	if err := s.ResetIndexState(ctx, "es1"); err != nil {
		t.Fatal(err)
	}
	check("es1", []string{"/a"}, []string{})
}
