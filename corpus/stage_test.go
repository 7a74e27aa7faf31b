package corpus

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

func TestRunStageRecoversPanicsAndRecordsErrors(t *testing.T) {
	tests := []struct {
		name      string
		fn        func(context.Context, *Document) error
		wantStage string
		wantMsg   string
	}{
		{"ok", func(context.Context, *Document) error { return nil }, "", ""},
		{"error", func(context.Context, *Document) error { return errors.New("bad table") }, "s", "bad table"},
		{"panic", func(context.Context, *Document) error { panic("index out of range") }, "s", "(recovered panic): index out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Document{Source: "/in/x.pdf"}
			err := RunStage(t.Context(), StageFunc{"s", tt.fn}, d)
			if err != nil {
				t.Fatalf("RunStage = %v, want nil (failures are data)", err)
			}
			if tt.wantStage == "" {
				if d.Err != nil {
					t.Errorf("Err = %v, want none", d.Err)
				}
				return
			}
			if d.Err == nil || d.Err.Stage != tt.wantStage || !strings.Contains(d.Err.Error(), tt.wantMsg) || !strings.Contains(d.Err.Error(), "/in/x.pdf") {
				t.Errorf("Err = %v, want stage %q naming the file and %q", d.Err, tt.wantStage, tt.wantMsg)
			}
		})
	}
}

func TestChainStopsAtFirstFailure(t *testing.T) {
	var ran []string
	step := func(name string, err error) Stage {
		return StageFunc{name, func(context.Context, *Document) error { ran = append(ran, name); return err }}
	}
	d := &Document{Source: "f"}
	c := Chain{step("a", nil), step("b", errors.New("boom")), step("c", nil)}
	if err := c.Process(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ran, ",") != "a,b" || d.Err == nil || d.Err.Stage != "b" {
		t.Errorf("ran %v, err %v; want a,b and failure in b", ran, d.Err)
	}
}

func TestRunnerProcessesAllAndSurvivesBadDocuments(t *testing.T) {
	in := make(chan *Document)
	var ok, failed atomic.Int32
	r := &Runner{
		Workers: 3,
		Stage: StageFunc{"s", func(_ context.Context, d *Document) error {
			if strings.HasPrefix(d.Source, "bad") {
				panic("malformed")
			}
			return nil
		}},
		Sink: func(_ context.Context, d *Document) error {
			if d.Failed() {
				failed.Add(1)
			} else {
				ok.Add(1)
			}
			return nil
		},
	}
	go func() {
		defer close(in)
		for i := range 50 {
			src := "good"
			if i%5 == 0 {
				src = "bad"
			}
			in <- &Document{Source: src}
		}
	}()
	if err := r.Run(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	if ok.Load() != 40 || failed.Load() != 10 {
		t.Errorf("ok %d failed %d, want 40 and 10", ok.Load(), failed.Load())
	}
}

func TestRunnerStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	in := make(chan *Document) // never closed: only cancellation ends the run
	r := &Runner{Stage: StageFunc{"s", func(context.Context, *Document) error { return nil }}}
	cancel()
	if err := r.Run(ctx, in); !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}
