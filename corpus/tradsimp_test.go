package corpus

import (
	"strings"
	"testing"
)

func TestSimplifier(t *testing.T) {
	z, err := LoadSimplifier(TradSimp())
	if err != nil {
		t.Fatalf("embedded t2s.txt: %v", err)
	}
	for _, tt := range []struct{ in, want string }{
		{"關於對失信被執行人實施聯合懲戒的合作備忘錄", "关于对失信被执行人实施联合惩戒的合作备忘录"},
		{"著作权", "著作权"}, // one traditional form alone: a simplified text, kept
		{"信用修复", "信用修复"},
		{"", ""},
	} {
		got := z.Simplify(tt.in)
		if got != tt.want {
			t.Errorf("Simplify(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) != len(tt.in) {
			t.Errorf("Simplify(%q): %d bytes, want the input's %d (offsets kept)", tt.in, len(got), len(tt.in))
		}
	}
	var none *Simplifier
	if got := none.Simplify("備忘錄"); got != "備忘錄" {
		t.Errorf("nil Simplifier changed its input: %q", got)
	}
	for _, bad := range []string{"備\t备忘", "備备", "x\t备"} {
		if _, err := LoadSimplifier([]byte("# c\n" + bad + "\n")); err == nil || !strings.Contains(err.Error(), "t2s.txt:2") {
			t.Errorf("LoadSimplifier(%q): error %v, want one naming line 2", bad, err)
		}
	}
}
