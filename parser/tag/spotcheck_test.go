package tag

import (
	"cmp"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser/structure"
)

var spotcheck = flag.Bool("spotcheck", false, "write testdata/spotcheck.txt: per tag, the ten least certain clauses of the real corpus")

// TestSpotCheck tags every document of ../shared/corpus/real and, per tag,
// ranks the tagged clauses by Confidence. With -spotcheck it writes the ten
// least certain per tag to testdata/spotcheck.txt (document, path, rules:
// the list the rules were last reviewed against is committed) and logs
// them with their text and matched spans for review (-v). Always: confidences are
// in (0, 1] on tagged clauses and 0 otherwise, and every tag has evidence.
func TestSpotCheck(t *testing.T) {
	shared := sharedDir(t)
	files, _ := filepath.Glob(filepath.Join(shared, "corpus", "real", "*.txt"))
	if len(files) == 0 {
		t.Skip("no real corpus texts")
	}
	tg := mustDefault(t)
	type item struct {
		conf      float64
		doc, path string
		text, why string
		rules     string // the ids of the rules behind the tag
	}
	byTag := map[string][]item{}
	total := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text, title := stripMarkdown(string(raw))
		d := &corpus.Document{ID: "spot", Text: text}
		d.Clauses = structure.Parse(d.ID, text, title)
		tg.TagDocument(d)
		for _, c := range d.Clauses {
			total++
			for _, tag := range corpus.Tags {
				conf := Confidence(&c, tag)
				has := slices.Contains(c.Tags, tag)
				if has != (conf > 0) || conf > 1 {
					t.Errorf("%s %s: tag %s present=%v but confidence %.2f", filepath.Base(f), c.Path, tag, has, conf)
				}
				if !has {
					continue
				}
				var why, rules []string
				for _, e := range c.Evidence {
					if e.Field == FieldTag && e.Value == tag {
						where := ""
						if e.Start < 0 {
							where = "(context)"
						}
						why = append(why, fmt.Sprintf("%s[%s]%s", e.Rule, e.Span, where))
						rules = append(rules, e.Rule+where)
					}
				}
				byTag[tag] = append(byTag[tag], item{conf, filepath.Base(f), c.Path, c.Text, strings.Join(why, " "), strings.Join(rules, " ")})
			}
		}
	}
	if !*spotcheck {
		return
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "# Spot check: per tag, the ten least certain of the clauses tagged with it\n# in ../shared/corpus/real (%d documents, %d clauses). Regenerate with\n#   go test ./parser/tag -run TestSpotCheck -spotcheck\n", len(files), total)
	for _, tag := range corpus.Tags {
		items := byTag[tag]
		slices.SortStableFunc(items, func(a, b item) int { return cmp.Compare(a.conf, b.conf) })
		fmt.Fprintf(&sb, "\n## %s (%d clauses)\n", tag, len(items))
		for _, it := range items[:min(10, len(items))] {
			// The committed list names clauses by document and path and
			// the rules behind the tag; the text and the matched spans
			// (the shared corpus's words, not ours) only go to the log.
			fmt.Fprintf(&sb, "%.2f %s %s  %s\n", it.conf, it.doc, it.path, it.rules)
			t.Logf("%.2f %s %s %s\n     %s\n     %s", it.conf, tag, it.doc, it.path, truncateRunes(strings.ReplaceAll(it.text, "\n", " "), 90), it.why)
		}
	}
	if err := os.WriteFile(filepath.Join("testdata", "spotcheck.txt"), []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
