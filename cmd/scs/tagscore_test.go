package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser/tag/score"
)

var (
	tagDump      = flag.Bool("tagdump", false, "log every labelled clause that `scs analyze` gets wrong (not batch 6: see -tagdumpfinal)")
	tagDumpFinal = flag.Bool("tagdumpfinal", false, "also log the errors on held-out batch 6, the final check; do not tune rules on them")
)

// sharedDir returns ../shared beside the module root, or skips the test.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs("../../../shared")
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "gold")); err != nil || !fi.IsDir() {
		t.Skipf("%s/gold not found: skipping the scores against ../shared (CI always has it)", dir)
	}
	return dir
}

// analyzeLabelled runs `scs analyze --json` on the labelled documents and
// pairs every label with the clause of the output that it names.
func analyzeLabelled(t *testing.T, labels map[string][]score.Label, dirs ...string) []score.Pair {
	t.Helper()
	docs := slices.Sorted(func(yield func(string) bool) {
		for d := range labels {
			if !yield(d) {
				return
			}
		}
	})
	var files []string
	for _, d := range docs {
		found := ""
		for _, dir := range dirs {
			if _, err := os.Stat(filepath.Join(dir, d)); err == nil {
				found = filepath.Join(dir, d)
				break
			}
		}
		if found == "" {
			t.Fatalf("labelled document %s is in none of %v", d, dirs)
		}
		files = append(files, found)
	}
	code, out, stderr := scs(t, t.Context(), nil, append([]string{"analyze", "--json"}, files...)...)
	if code != exitOK {
		t.Fatalf("scs analyze --json: exit %d\n%s", code, stderr)
	}
	byDoc := map[string]*corpus.Document{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var d corpus.Document
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("scs analyze --json: line is not a document: %v", err)
		}
		byDoc[filepath.Base(d.Source)] = &d
	}
	var pairs []score.Pair
	for _, name := range docs {
		d := byDoc[name]
		if d == nil {
			t.Fatalf("scs analyze --json printed no document for %s", name)
		}
		pairs = append(pairs, score.Match(labels[name], d.Clauses)...)
	}
	return pairs
}

type floor struct {
	name      string
	got, want float64
}

func checkScores(t *testing.T, pairs []score.Pair, floors func(score.Scores) []floor) {
	t.Helper()
	checkScoresDump(t, pairs, *tagDump, floors)
}

// checkScoresDump is checkScores with the -tagdump decision made by the
// caller (the final batch dumps only under -tagdumpfinal).
func checkScoresDump(t *testing.T, pairs []score.Pair, dump bool, floors func(score.Scores) []floor) {
	t.Helper()
	s := score.Score(pairs)
	var sb strings.Builder
	s.Report(&sb)
	t.Logf("scores of scs analyze --json:\n%s", sb.String())
	if dump {
		for _, p := range pairs {
			if d := score.Diff(p); d != "" {
				t.Log(d)
			}
		}
	}
	if s.Unmatched > 0 {
		t.Errorf("%d labelled clauses matched no output clause", s.Unmatched)
	}
	for _, f := range floors(s) {
		if f.got < f.want {
			t.Errorf("%s = %.3f, want >= %.3f", f.name, f.got, f.want)
		}
	}
}

// TestGoldScores scores `scs analyze --json` against the hand-labelled
// clauses of ../shared/gold (issue 4). The floors are the scores reached:
// they catch regressions.
func TestGoldScores(t *testing.T) {
	shared := sharedDir(t)
	labels, err := score.ReadDir(filepath.Join(shared, "gold"))
	if err != nil {
		t.Fatal(err)
	}
	pairs := analyzeLabelled(t, labels, filepath.Join(shared, "corpus", "real"), filepath.Join(shared, "gold"))
	checkScores(t, pairs, func(s score.Scores) []floor {
		_, minTag := s.MinTagF1()
		return []floor{
			{"tags micro-F1", s.Micro.F1(), 0.98},
			{"lowest per-tag F1", minTag, 0.93},
			{"categories F1", s.Categories.F1(), 0.95},
			{"agencies P", s.Agencies.P(), 0.95},
			{"agencies R", s.Agencies.R(), 0.90},
			{"legal_basis P", s.LegalBasis.P(), 0.97},
			{"legal_basis R", s.LegalBasis.R(), 0.97},
			{"duration accuracy", score.Ratio(s.DurOK, s.DurN), 0.85},
		}
	})
}

// heldOutFloors are the score floors of one held-out batch; a zero floor
// is not checked.
type heldOutFloors struct {
	micro, minTag, categories, agencies, legalBasis float64
}

// TestHeldOutScores scores `scs analyze --json` on the held-out batches of
// parser/tag/testdata: documents written in the genre and labelled before
// the rules saw them. Each batch was scored untouched (the estimate for
// unseen documents) and then, once the next batch was labelled, tuned on;
// the floors guard those gains. The last batch is the final check: its
// clause-level errors are dumped only with -tagdumpfinal.
func TestHeldOutScores(t *testing.T) {
	tests := []struct {
		batch  string
		floors heldOutFloors
		real   bool // the labelled documents are in ../shared/corpus/real
		final  bool
	}{
		// Batch 1: micro-F1 0.783 untouched (P 0.900 R 0.692, safeguard
		// 0.417), then tuned on.
		{batch: "heldout", floors: heldOutFloors{0.98, 0.95, 0.95, 0.95, 0.95}},
		// Batch 2: 0.672 untouched (P 0.955 R 0.519, list_criteria 0.000).
		{batch: "heldout2", floors: heldOutFloors{0.98, 0.95, 0.95, 0.90, 0.95}},
		// Batch 3: 0.645 untouched, 0.724 after tuning on the other sets
		// (categories F1 0.375); then tuned on (1.000).
		{batch: "heldout3", floors: heldOutFloors{0.98, 0.95, 0.95, 0.90, 0}},
		// Batch 4: 0.852 untouched, 0.854 after tuning on gold and batches
		// 1-3; 0.867 once its two officials'-liability labels followed the
		// gold; then tuned on (0.962; agencies F1 0.537 -> 0.989).
		{batch: "heldout4", floors: heldOutFloors{0.95, 0.85, 0.95, 0.95, 0.95}},
		// Batch 5: 0.874 untouched, 0.882 with one label set to the gold
		// convention, 0.899 after tuning on gold and batches 1-4 (scope
		// 0.750, repair 0.857, data 0.857, agencies P 0.818); then tuned
		// on (0.993; five agency labels set to the gold convention,
		// agencies F1 0.871 -> 1.000).
		{batch: "heldout5", floors: heldOutFloors{0.98, 0.90, 0.95, 0.95, 0.95}},
		// Batch 6: 0.906 untouched (P 0.866 R 0.951; data 0.667,
		// categories 0.833), the same after the tuning on gold and
		// batches 1-5; then tuned on (0.985, three labels set to the gold
		// convention).
		{batch: "heldout6", floors: heldOutFloors{0.95, 0.90, 0.95, 0.95, 0.95}},
		// The real documents below (../shared/corpus/real and its excerpts)
		// were labelled blind by path (no quotes: the texts are not copied
		// into the project), each batch before the rules saw it; the
		// untouched score of each is in its README.
		// real (002, 003, 006, 009, 011, 012; 503 clauses): 0.738
		// untouched; tuned on.
		{batch: "real", floors: heldOutFloors{0.90, 0.85, 0.85, 0.80, 0.85}, real: true},
		// real3 (001, 008, 020, 025; 634 clauses): 0.635 untouched; tuned on.
		{batch: "real3", floors: heldOutFloors{0.80, 0.70, 0.65, 0.80, 0.90}, real: true},
		// real4 (014, 019, 022, 023, 029; 543 clauses, 76 labelled tags):
		// 0.649 untouched; tuned on.
		{batch: "real4", floors: heldOutFloors{0.75, 0.50, 0.70, 0.83, 0.95}, real: true},
		// real5 (013, 017, 018 and twelve MOU and policy excerpts, four in
		// traditional characters; 525 clauses): 0.641 untouched; tuned on.
		{batch: "real5", floors: heldOutFloors{0.70, 0.20, 0.65, 0.72, 0.85}, real: true},
		// real6 (015, 016, 021, 024, 026, 027, 028; 1724 clauses): 0.626
		// when labelled (their sanction output had been looked at once);
		// tuned on.
		{batch: "real6", floors: heldOutFloors{0.69, 0, 0.70, 0.78, 0.95}, real: true},
		// real2 (004, 007, 010; 284 clauses), the final check: labelled
		// with the first real batch and never tuned on (0.822 before the
		// real-corpus work).
		{batch: "real2", floors: heldOutFloors{micro: 0.87, agencies: 0.82}, real: true, final: true},
		// real7 (17 excerpts of ../shared/corpus/real/excerpts: covering
		// notices, preambles, guiding principles; 133 clauses, 21 labelled
		// tags): tags never tuned on (0.389); its agencies and legal bases
		// were (signatory lists cut before 等部门, the issued document).
		{batch: "real7", floors: heldOutFloors{micro: 0.35, agencies: 0.60, legalBasis: 0.90}, real: true, final: true},
		// Batch 7 (an NDRC-style MOU with measures under headings, a
		// provincial 社会信用条例, a court rule on 限制消费; 164 clauses),
		// written and labelled blind by a helper after all the tuning
		// above; a final check, never tuned on: 0.938 untouched (P 0.930
		// R 0.946; lowest tag data 0.875; categories 0.876, agencies
		// 0.899, legal basis 1.000).
		{batch: "heldout7", floors: heldOutFloors{0.92, 0.85, 0.85, 0.88, 0.95}, final: true},
	}
	for _, tt := range tests {
		t.Run(tt.batch, func(t *testing.T) {
			dump := *tagDump
			if tt.final {
				dump = *tagDumpFinal
			}
			var docDirs []string
			if tt.real {
				real := filepath.Join(sharedDir(t), "corpus", "real")
				docDirs = append(docDirs, real, filepath.Join(real, "excerpts"))
			}
			checkScoresDump(t, heldOutPairs(t, tt.batch, docDirs...), dump, func(s score.Scores) []floor {
				_, minTag := s.MinTagF1()
				var fs []floor
				for _, f := range []floor{
					{"tags micro-F1", s.Micro.F1(), tt.floors.micro},
					{"lowest per-tag F1", minTag, tt.floors.minTag},
					{"categories F1", s.Categories.F1(), tt.floors.categories},
					{"agencies F1", s.Agencies.F1(), tt.floors.agencies},
					{"legal_basis F1", s.LegalBasis.F1(), tt.floors.legalBasis},
				} {
					if f.want > 0 {
						fs = append(fs, f)
					}
				}
				return fs
			})
		})
	}
}

// heldOutPairs scores `scs analyze --json` on one labelled batch of
// parser/tag/testdata, whose documents are in the batch directory itself
// or, for the real batches, in docDirs.
func heldOutPairs(t *testing.T, batch string, docDirs ...string) []score.Pair {
	t.Helper()
	dir := filepath.Join("..", "..", "parser", "tag", "testdata", batch)
	labels, err := score.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) == 0 {
		t.Fatalf("no labels in %s", dir)
	}
	if len(docDirs) == 0 {
		docDirs = []string{dir}
	}
	return analyzeLabelled(t, labels, docDirs...)
}
