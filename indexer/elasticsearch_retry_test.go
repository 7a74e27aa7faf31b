package indexer

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeBulkNode is the smallest Elasticsearch the write path needs, to test
// what a real node cannot be made to do on demand: reject bulk items with
// 429 (write queue full) or the whole request with 429.
type fakeBulkNode struct {
	mu           sync.Mutex
	itemRejects  int // reject every item of this many _bulk requests with 429
	requestFails int // answer this many _bulk requests with HTTP 429
	bulkRequests int
	accepted     map[string]int // action + id -> times accepted
}

func (f *fakeBulkNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Elastic-Product", "Elasticsearch")
	w.Header().Set("Content-Type", "application/json")
	switch {
	case strings.HasPrefix(r.URL.Path, "/_alias/"):
		fmt.Fprint(w, `{"t-documents-v1":{"aliases":{"t-documents":{}}},"t-clauses-v1":{"aliases":{"t-clauses":{}}}}`)
	case strings.HasSuffix(r.URL.Path, "/_mapping"):
		fmt.Fprint(w, `{"t-clauses-v1":{"mappings":{"_meta":{"scs_mapping":"`+esMappingVersion+`"}}}}`)
	case strings.HasSuffix(r.URL.Path, "/_search"):
		fmt.Fprint(w, `{"hits":{"hits":[]}}`)
	case r.URL.Path == "/_bulk":
		f.bulk(w, r)
	default: // templates, refresh
		fmt.Fprint(w, `{"acknowledged":true}`)
	}
}

func (f *fakeBulkNode) bulk(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bulkRequests++
	if f.requestFails > 0 {
		f.requestFails--
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error":{"type":"es_rejected_execution_exception","reason":"queue full"},"status":429}`)
		return
	}
	reject := f.itemRejects > 0
	if reject {
		f.itemRejects--
	}
	var items []string
	sc := bufio.NewScanner(r.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var meta map[string]struct {
			ID string `json:"_id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &meta); err != nil {
			http.Error(w, "bad action line", http.StatusBadRequest)
			return
		}
		for action, m := range meta {
			if action != "delete" && !sc.Scan() {
				http.Error(w, "missing body", http.StatusBadRequest)
				return
			}
			if reject {
				items = append(items, fmt.Sprintf(`{%q:{"_id":%q,"status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"}}}`, action, m.ID))
				continue
			}
			f.accepted[action+" "+m.ID]++
			items = append(items, fmt.Sprintf(`{%q:{"_id":%q,"status":200}}`, action, m.ID))
		}
	}
	fmt.Fprintf(w, `{"errors":%v,"items":[%s]}`, reject, strings.Join(items, ","))
}

func openFake(t *testing.T, f *fakeBulkNode, cfg ElasticsearchConfig) *Elasticsearch {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := NewElasticsearchClient(ClientConfig{URL: srv.URL, MaxRetries: 3})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Prefix = "t"
	ix, err := OpenElasticsearch(context.Background(), c, testSegmenter(t), cfg)
	if err != nil {
		t.Fatalf("OpenElasticsearch on the fake: %v", err)
	}
	return ix
}

func TestESBulkRetries429(t *testing.T) {
	docs := loadFixtures(t)
	items := 0
	for _, d := range docs {
		if d.Err == nil {
			items += 1 + len(d.Clauses)
		} else {
			items++ // its record is deleted
		}
	}
	tests := []struct {
		name                      string
		itemRejects, requestFails int
		retries                   int
		wantErr                   bool
	}{
		{"items rejected twice, then accepted", 2, 0, 5, false},
		{"whole request rejected twice (transport retry)", 0, 2, 5, false},
		{"both", 1, 1, 5, false},
		{"items rejected more often than retried", 3, 0, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeBulkNode{itemRejects: tt.itemRejects, requestFails: tt.requestFails, accepted: map[string]int{}}
			ix := openFake(t, f, ElasticsearchConfig{ItemRetries: tt.retries, Workers: 1, FlushBytes: 1 << 20})
			err := ix.Put(t.Context(), loadFixtures(t)...)
			if tt.wantErr {
				var be *BulkError
				if !errors.As(err, &be) || len(be.Failures) != items {
					t.Fatalf("Put = %v, want a BulkError for all %d items", err, items)
				}
				if f := be.Failures[0]; f.Status != http.StatusTooManyRequests || f.Attempts != tt.retries+1 {
					t.Errorf("failure = %+v, want status 429 after %d attempts", f, tt.retries+1)
				}
				return
			}
			if err != nil {
				t.Fatalf("Put: %v", err)
			}
			if len(f.accepted) != items {
				t.Errorf("%d distinct items accepted, want %d", len(f.accepted), items)
			}
			for k, n := range f.accepted {
				if n != 1 {
					t.Errorf("item %s accepted %d times, want once", k, n)
				}
			}
			if want := 1 + tt.itemRejects + tt.requestFails; f.bulkRequests != want {
				t.Errorf("%d bulk requests, want %d", f.bulkRequests, want)
			}
		})
	}
}
