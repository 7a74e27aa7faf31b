package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// esURLForTest returns $SCS_TEST_ELASTICSEARCH_URL (what make test sets),
// else $ELASTICSEARCH_URL, when a node answers there; else
// it skips (fails when CI is set: CI must run the Elasticsearch tests).
func esURLForTest(t *testing.T) string {
	testESURL := func() string {
		if u := os.Getenv("SCS_TEST_ELASTICSEARCH_URL"); u != "" {
			return u
		}
		return os.Getenv("ELASTICSEARCH_URL")
	}
	t.Helper()
	url := testESURL()
	msg := "neither SCS_TEST_ELASTICSEARCH_URL nor ELASTICSEARCH_URL is set"
	if url != "" {
		c := http.Client{Timeout: 10 * time.Second}
		res, err := c.Get(strings.TrimRight(url, "/") + "/_cluster/health")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return url
			}
			err = fmt.Errorf("%s", res.Status)
		}
		msg = fmt.Sprintf("no Elasticsearch at %s (%v)", url, err)
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but %s", msg)
	}
	t.Skipf("%s: skipping (make test starts a node with scripts/elasticsearch)", msg)
	return ""
}

func TestIndexPushesCatchesUpAndSearches(t *testing.T) {
	url := esURLForTest(t)
	ctx := t.Context()
	prefix := fmt.Sprintf("scs-cmdtest-%d", os.Getpid())
	t.Cleanup(func() {
		for _, p := range []string{"/" + prefix + "-*", "/_index_template/" + prefix + "-*"} {
			req, _ := http.NewRequest(http.MethodDelete, strings.TrimRight(url, "/")+p, nil)
			if res, err := http.DefaultClient.Do(req); err == nil {
				res.Body.Close()
			}
		}
	})
	in := inbox(t)
	data := filepath.Join(t.TempDir(), "data")
	envs := map[string]string{"SCS_DATA": data, "ELASTICSEARCH_INDEX_PREFIX": prefix,
		"ELASTICSEARCH_URL": "http://127.0.0.1:1", "ELASTICSEARCH_PASSWORD": "s3cret-pw", "ELASTICSEARCH_USERNAME": "analyst"}

	// The cluster is down: the run fails and says why, without the password.
	code, out, errb := scs(t, ctx, envs, "run", "--inbox", in)
	if code != exitFailure || !strings.Contains(out+errb, "connection refused") {
		t.Fatalf("run with the cluster down: exit %d, want %d and 'connection refused'\n%s%s", code, exitFailure, out, errb)
	}
	if strings.Contains(out+errb, "s3cret-pw") {
		t.Errorf("the password appears in the output:\n%s%s", out, errb)
	}

	// It is back: the next push catches up.
	delete(envs, "ELASTICSEARCH_PASSWORD")
	delete(envs, "ELASTICSEARCH_USERNAME")
	envs["ELASTICSEARCH_URL"] = url
	code, out, errb = scs(t, ctx, envs, "index", "--json")
	if code != exitOK {
		t.Fatalf("index: exit %d\n%s%s", code, out, errb)
	}
	var got struct {
		Elasticsearch struct{ Indexed, Deleted, Failed int } `json:"elasticsearch"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("index --json: %v\n%s", err, out)
	}
	if got.Elasticsearch.Indexed != 3 || got.Elasticsearch.Failed != 0 {
		t.Errorf("index pushed %+v, want 3 indexed, 0 failed", got.Elasticsearch)
	}

	// Nothing new: run and index push nothing.
	code, out, errb = scs(t, ctx, envs, "run", "--inbox", in, "--json")
	if code != exitPartial && code != exitOK {
		t.Fatalf("second run: exit %d\n%s%s", code, out, errb)
	}
	var run struct {
		Elasticsearch *struct{ Indexed int } `json:"elasticsearch"`
	}
	if err := json.Unmarshal([]byte(out), &run); err != nil || run.Elasticsearch == nil || run.Elasticsearch.Indexed != 0 {
		t.Errorf("second run pushed %+v (%v), want 0", run.Elasticsearch, err)
	}

	// Search through Elasticsearch, with facets; the same hits as the
	// embedded index.
	code, esOut, errb := scs(t, ctx, envs, "search", "--es", url, "--tag", "sanction", "--json", "失信主体")
	if code != exitOK {
		t.Fatalf("search --es: exit %d\n%s%s", code, esOut, errb)
	}
	_, sqOut, _ := scs(t, ctx, envs, "search", "--tag", "sanction", "--json", "失信主体")
	var es, sq struct {
		Total  int
		Facets map[string][]struct{ Value string }
	}
	json.Unmarshal([]byte(esOut), &es)
	json.Unmarshal([]byte(sqOut), &sq)
	if es.Total == 0 || es.Total != sq.Total {
		t.Errorf("search --es total %d, embedded %d; want equal and > 0", es.Total, sq.Total)
	}
	if len(es.Facets["tag"]) == 0 || es.Facets["tag"][0].Value != "sanction" {
		t.Errorf("facets = %v, want the tag facet led by sanction", es.Facets)
	}

	// A rebuild swaps to version 2 and keeps the hits.
	code, out, errb = scs(t, ctx, envs, "index", "--rebuild")
	if code != exitOK || !strings.Contains(out, "rebuilt version 2") {
		t.Fatalf("index --rebuild: exit %d\n%s%s", code, out, errb)
	}
	_, esOut, _ = scs(t, ctx, envs, "search", "--es", url, "--tag", "sanction", "--json", "失信主体")
	json.Unmarshal([]byte(esOut), &es)
	if es.Total != sq.Total {
		t.Errorf("after rebuild: total %d, want %d", es.Total, sq.Total)
	}
}

func TestIndexWithoutElasticsearchIsAUsageError(t *testing.T) {
	code, _, errb := scs(t, t.Context(), map[string]string{"SCS_DATA": t.TempDir()}, "index")
	if code != exitUsage || !strings.Contains(errb, "ELASTICSEARCH_URL") {
		t.Errorf("index without a cluster: exit %d, %q; want %d and a hint", code, errb, exitUsage)
	}
}
