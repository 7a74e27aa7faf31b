package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/indexer"
	"github.com/scs-project/scs/parser/segment"
)

// TestRunSurvivesSIGKILL proves the nightly job's kill-safety: `scs run`
// (the real binary) is SIGKILLed at many points of a run over a real
// corpus, restarted, and must end with exactly the store and index an
// uninterrupted run produced: the same documents, parse results, clause
// ids and tags, index rows and search hit counts; nothing lost, nothing
// duplicated.
func TestRunSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the scs binary and runs it about 30 times; skipped with -short")
	}
	bin := buildSCS(t)
	in := killCorpus(t)

	// The reference run, timed in two parts: loading (dictionaries, rules)
	// up to the first document the run works on, then the work. The kill
	// points are placed from the moment a run logs its first document, not
	// from its start: under the race detector on a busy machine loading can
	// take longer than a whole run did a moment before, and kills timed from
	// the start then all fall into loading.
	ref := filepath.Join(t.TempDir(), "ref")
	load, work, code := timeRun(t, bin, ref, in)
	if code != exitOK && code != exitPartial {
		t.Fatalf("uninterrupted run: exit %d", code)
	}
	seg, err := segment.Default()
	if err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, seg, ref)
	if len(want.docs) == 0 {
		t.Fatal("uninterrupted run stored no documents")
	}
	t.Logf("uninterrupted run: %d documents, %d index rows; %v loading, then %v of work", len(want.docs), len(want.index), load, work)

	// Kill points spread over the whole run: two while loading, the others
	// over the work after it (reading, parsing, indexing, the end), some
	// killed a second time while resuming.
	const points = 12
	recorded := 0
	for i := 1; i <= points; i++ {
		at := killPoint{delay: load * time.Duration(i) / 3}
		if i > 2 {
			at = killPoint{afterWork: true, delay: work * time.Duration(i-3) / (points - 2)}
		}
		t.Run(fmt.Sprintf("kill_at_%02d_of_%d", i, points+1), func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			killed := killRun(t, bin, data, in, at)
			if i%4 == 0 { // killed again while resuming
				again := at
				again.delay /= 2
				killed = killRun(t, bin, data, in, again) || killed
			}
			if code := runBin(t, bin, data, in); code != exitOK && code != exitPartial {
				t.Fatalf("run after kill: exit %d", code)
			}
			got := snapshot(t, seg, data)
			compareSnapshots(t, got, want)
			if killed && slices.Contains(got.runStatuses, corpus.RunKilled) {
				recorded++ // killed after its run record began
			}
			if slices.Contains(got.runStatuses, corpus.RunRunning) {
				t.Errorf("run statuses %v: no run is running any more", got.runStatuses)
			}
			tmps, _ := filepath.Glob(filepath.Join(data, "blobs", "*", "*~"))
			if len(tmps) > 0 {
				t.Errorf("temporary blob files left after the run: %v", tmps)
			}
		})
	}
	// Most kill points must have hit a run at work, or this test proves
	// little (a run killed while loading has nothing to lose).
	if recorded < points/3 {
		t.Errorf("only %d of %d kills hit a run after it began working; want at least %d", recorded, points, points/3)
	}
	t.Logf("%d of %d kills hit a run at work", recorded, points)
}

// buildSCS builds the scs binary into a temporary directory.
func buildSCS(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "scs")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// killCorpus copies the real corpus (texts and original pages) into a
// temporary inbox, or, when ../shared is absent, 250 copies of each example
// document: enough work after loading for the kill points to land in it.
func killCorpus(t *testing.T) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "inbox")
	var files []string
	for _, pat := range []string{"../../../shared/corpus/real/*.txt", "../../../shared/corpus/real/raw/*"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	copies := 1
	if len(files) == 0 {
		t.Log("../shared not found: killing runs over copies of the example inbox")
		files, _ = filepath.Glob("../../examples/inbox/*")
		copies = 250
	}
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for c := range copies {
			name := filepath.Base(f)
			if copies > 1 {
				name = fmt.Sprintf("%03d-%s", c, name)
			}
			if err := os.WriteFile(filepath.Join(in, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return in
}

func runBin(t *testing.T, bin, data, in string) int {
	t.Helper()
	cmd := exec.Command(bin, "run", "--data", data, "--inbox", in)
	cmd.Env = offlineEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ee.ExitCode() != exitPartial {
			t.Logf("scs run: exit %d, stderr:\n%s", ee.ExitCode(), stderr.String())
		}
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("scs run: %v", err)
	}
	return 0
}

// workStarted is the debug log line scs run writes as it takes up its
// first document: the end of loading.
const workStarted = "msg=extract "

// startLogged starts scs run with debug logs and returns a channel closed
// when the run logs its first document, and one receiving its exit.
func startLogged(t *testing.T, bin, data, in string) (*exec.Cmd, <-chan struct{}, <-chan error) {
	t.Helper()
	cmd := exec.Command(bin, "run", "--data", data, "--inbox", in)
	cmd.Env = append(offlineEnv(), "SCS_LOG=debug")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	working := make(chan struct{})
	read := make(chan struct{})
	go func() {
		defer close(read)
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		seen := false
		for sc.Scan() {
			if !seen && strings.Contains(sc.Text(), workStarted) {
				seen = true
				close(working)
			}
		}
		io.Copy(io.Discard, pipe)
	}()
	done := make(chan error, 1)
	go func() {
		<-read // Wait must not close the pipe before it is drained
		done <- cmd.Wait()
	}()
	return cmd, working, done
}

// timeRun runs scs run to the end and reports how long it loaded before
// its first document and how long it worked after that.
func timeRun(t *testing.T, bin, data, in string) (load, work time.Duration, code int) {
	t.Helper()
	start := time.Now()
	_, working, done := startLogged(t, bin, data, in)
	var err error
	select {
	case <-working:
		load = time.Since(start)
		err = <-done
	case err = <-done:
		t.Fatalf("scs run logged no %q line (exit: %v)", workStarted, err)
	}
	work = time.Since(start) - load
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return load, work, ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("scs run: %v", err)
	}
	return load, work, 0
}

// A killPoint is when a run is killed: delay after its start, or with
// afterWork, delay after it logged its first document.
type killPoint struct {
	afterWork bool
	delay     time.Duration
}

// killRun starts scs run and SIGKILLs it at the kill point; it reports
// whether the process was still running when killed.
func killRun(t *testing.T, bin, data, in string, at killPoint) bool {
	t.Helper()
	cmd, working, done := startLogged(t, bin, data, in)
	if at.afterWork {
		select {
		case <-done:
			return false // a resumed run may have nothing left to do
		case <-working:
		}
	}
	select {
	case <-done:
		return false // finished before the kill point
	case <-time.After(at.delay):
	}
	cmd.Process.Signal(syscall.SIGKILL)
	err := <-done
	var ee *exec.ExitError
	return errors.As(err, &ee) && !ee.Exited()
}

type snap struct {
	docs        []string // one line per document: identity, status, metadata, clause ids with tags
	index       []string // one line per indexed clause
	hits        []string // query -> total
	runStatuses []string
}

var killQueries = []indexer.Query{{Text: "失信"}, {Text: "限制", Tags: []string{"sanction"}}, {Text: "信用修复", Tags: []string{"repair"}},
	{Text: "信用", Region: "上海市"}, {Text: "条例", Kinds: []corpus.Kind{corpus.KindLocalRegulation}}}

func snapshot(t *testing.T, seg corpus.Segmenter, data string) snap {
	t.Helper()
	var s snap
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "corpus.sqlite")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT id, source, raw_sha256, status, parsed_sha256, indexed_sha256, title, kind, region, issued,
		n_clauses, error_stage, parsed_json FROM documents ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, src, raw, status, parsed, indexed, title, kind, region, issued, estage string
		var n int
		var js []byte
		if err := rows.Scan(&id, &src, &raw, &status, &parsed, &indexed, &title, &kind, &region, &issued, &n, &estage, &js); err != nil {
			t.Fatal(err)
		}
		var d corpus.Document
		if len(js) > 0 {
			if err := json.Unmarshal(js, &d); err != nil {
				t.Fatalf("document %s: parsed_json: %v", id, err)
			}
		}
		var cl []string
		for _, c := range d.Clauses {
			cl = append(cl, c.ID+"="+strings.Join(c.Tags, "+")+"/"+strings.Join(c.SanctionCategories, "+"))
		}
		s.docs = append(s.docs, strings.Join([]string{id, filepath.Base(src), raw, status, parsed, indexed, title, kind, region, issued,
			fmt.Sprint(n), estage, strings.Join(cl, " ")}, "|"))
	}
	rows.Close()
	rs, err := db.Query(`SELECT status FROM runs`)
	if err == nil {
		for rs.Next() {
			var st string
			rs.Scan(&st)
			s.runStatuses = append(s.runStatuses, st)
		}
		rs.Close()
	}

	ix, err := sql.Open("sqlite", "file:"+filepath.Join(data, "index.sqlite")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rows, err = ix.Query(`SELECT c.doc_id, c.clause_id, c.path, c.text, c.tags, d.title, d.kind, d.region, d.issued,
		(SELECT group_concat(tag) FROM (SELECT tag FROM ix_clause_tags WHERE clause = c.id ORDER BY tag))
		FROM ix_clauses c JOIN ix_docs d USING (doc_id) ORDER BY c.doc_id, c.clause_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var f [9]string
		var tags sql.NullString
		if err := rows.Scan(&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &tags); err != nil {
			t.Fatal(err)
		}
		s.index = append(s.index, strings.Join(f[:], "|")+"|"+tags.String)
	}
	rows.Close()
	var nDocs int
	ix.QueryRow(`SELECT count(*) FROM ix_docs`).Scan(&nDocs)
	s.index = append(s.index, fmt.Sprintf("ix_docs=%d", nDocs))

	idx, err := indexer.OpenSQLite(filepath.Join(data, "index.sqlite"), seg, indexer.SQLiteConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for _, q := range killQueries {
		res, err := idx.Search(t.Context(), q)
		if err != nil {
			t.Fatalf("search %+v: %v", q, err)
		}
		s.hits = append(s.hits, fmt.Sprintf("%+v=%d", q, res.Total))
	}
	return s
}

func compareSnapshots(t *testing.T, got, want snap) {
	t.Helper()
	for _, c := range []struct {
		what      string
		got, want []string
	}{{"store documents", got.docs, want.docs}, {"index rows", got.index, want.index}, {"search hit counts", got.hits, want.hits}} {
		if len(c.got) != len(c.want) {
			t.Errorf("%s: %d, want %d", c.what, len(c.got), len(c.want))
		}
		for i := range min(len(c.got), len(c.want)) {
			if c.got[i] != c.want[i] {
				t.Errorf("%s differ at %d:\n got  %.300s\n want %.300s", c.what, i, c.got[i], c.want[i])
				break
			}
		}
	}
}

// offlineEnv is this process's environment without the variables that make
// scs run reach out (an Elasticsearch push, a crawl): the kill points must
// fall in the local batch, whatever the developer's shell exports.
func offlineEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "ELASTICSEARCH_") || strings.HasPrefix(kv, "SCS_SOURCES=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}
