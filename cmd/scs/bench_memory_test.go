package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// BenchmarkRunMemory measures the peak resident memory (ru_maxrss of the
// child process) of `scs run` over 1,000 and 10,000 documents made by
// varying the real texts (title and numbers changed per copy, so every
// copy is a distinct document), against the baseline of a run over an
// empty inbox (loading the dictionaries and rules) measured in the same
// benchmark. Flat memory means peak-MB stays near the baseline as the
// corpus grows tenfold. Slow (the 10,000 case parses 10,000 documents):
//
//	go test -run='^$' -bench=RunMemory -benchtime=1x -timeout 60m ./cmd/scs/
func BenchmarkRunMemory(b *testing.B) {
	texts, _ := filepath.Glob("../../../shared/corpus/real/*.txt")
	if len(texts) == 0 {
		texts, _ = filepath.Glob("../../examples/inbox/*.md")
	}
	if len(texts) == 0 {
		b.Skip("no texts to vary")
	}
	var srcs [][]byte
	for _, f := range texts {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, raw)
	}
	bin := filepath.Join(b.TempDir(), "scs")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	base := peakRun(b, bin, b.TempDir(), b.TempDir())
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			in := b.TempDir()
			for i := range n {
				src := srcs[i%len(srcs)]
				title, rest, _ := bytes.Cut(src, []byte("\n"))
				v := fmt.Sprintf("%s（第%d号）\n示例〔%d〕%d号\n", strings.TrimSpace(string(title)), i, 2000+i%25, i)
				if err := os.WriteFile(filepath.Join(in, fmt.Sprintf("doc-%05d.txt", i)), append([]byte(v), rest...), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			var peak int64
			for b.Loop() {
				peak = peakRun(b, bin, filepath.Join(b.TempDir(), "data"), in)
			}
			b.ReportMetric(float64(peak)/1024, "peak-MB")
			b.ReportMetric(float64(base)/1024, "baseline-MB")
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// peakRun runs scs run and returns the child's peak RSS in KiB.
func peakRun(b *testing.B, bin, data, in string) int64 {
	cmd := exec.Command(bin, "run", "--data", data, "--inbox", in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil && cmd.ProcessState.ExitCode() != exitPartial {
		b.Fatalf("scs run: %v\n%s", err, stderr.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		b.Skip("no rusage on this system")
	}
	return ru.Maxrss
}
