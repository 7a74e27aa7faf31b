// Package testshared finds the shared corpus beside the project for tests,
// and gives them the one minimal Markdown strip they use to read the real
// texts without depending on parser/extract. Only tests import it.
package testshared

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Dir returns ../shared beside the module root (the folder holding go.mod,
// found from the test's working directory), or skips the test with a
// message when it is absent: a plain clone must still pass.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("go.mod not found: skipping corpus test")
		}
		dir = parent
	}
	shared := filepath.Join(dir, "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "corpus", "real")); err != nil {
		tb.Skip("../shared not found: skipping corpus test")
	}
	return shared
}

var (
	reMDComment = regexp.MustCompile(`(?s)<!--.*?-->`)
	reMDImage   = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	reMDLink    = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	reMDHash    = regexp.MustCompile(`^#+\s*`)
)

// StripMarkdown is a minimal Markdown-to-text conversion: it drops YAML
// front matter, '#' prefixes, '**', comments, '> ', images, links (keeping
// their text) and blank lines, one paragraph per line.
func StripMarkdown(md string) string {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	if strings.HasPrefix(md, "---\n") {
		if end := strings.Index(md[4:], "\n---\n"); end >= 0 {
			md = md[4+end+5:]
		}
	}
	md = reMDComment.ReplaceAllString(md, "")
	md = reMDImage.ReplaceAllString(md, "")
	md = reMDLink.ReplaceAllString(md, "$1")
	var out []string
	for _, l := range strings.Split(md, "\n") {
		l = strings.TrimSpace(l)
		l = strings.TrimPrefix(l, "> ")
		l = reMDHash.ReplaceAllString(l, "")
		l = strings.ReplaceAll(l, "**", "")
		l = strings.TrimSpace(l)
		if l == "" || l == "*" {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
