package corpus

import (
	"os/exec"
	"strings"
	"testing"
)

// TestStagesDoNotImportEachOther keeps the architecture honest (the job
// depguard does in larger projects): stage packages import corpus, never
// each other, so each stage can be rerun, tested and replaced alone. Only
// the top-level parser package (the composition of its stages) and the
// command wire them together.
func TestStagesDoNotImportEachOther(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "github.com/scs-project/scs/...").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	const mod = "github.com/scs-project/scs/"
	stage := func(p string) string { // the stage a package belongs to
		p = strings.TrimPrefix(p, mod)
		switch {
		case strings.HasPrefix(p, "parser/"):
			return p // each parser subpackage is a stage of its own
		case p == "parser", strings.HasPrefix(p, "cmd/"):
			return "" // composition roots
		}
		return strings.Split(p, "/")[0]
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg, from := f[0], stage(f[0])
		if from == "" {
			continue
		}
		for _, imp := range f[1:] {
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			to := stage(imp)
			if to != "" && to != from && to != "corpus" {
				t.Errorf("%s imports %s: stages meet only through corpus", pkg, imp)
			}
			if from == "corpus" && to != "corpus" {
				t.Errorf("corpus imports %s: corpus must stay the leaf", imp)
			}
		}
	}
}
