package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/scs-project/scs/corpus"
)

// Extensions are the file types Local picks up when walking a folder. A
// file named explicitly is always taken, whatever its extension: the
// extractor sniffs its bytes.
var Extensions = map[string]string{
	".html":  "text/html",
	".htm":   "text/html",
	".shtml": "text/html",
	".jsp":   "text/html",
	".pdf":   "application/pdf",
	".docx":  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".txt":   "text/plain",
	".md":    "text/markdown",
}

// LocalConfig configures Local. The zero value is usable.
type LocalConfig struct {
	// MaxBytes caps the size of one file; larger files are reported as
	// failures, not read. Default 256 MiB.
	MaxBytes int64
	// Now returns the ingest time; default time.Now.
	Now func() time.Time
}

// Local reads files and folders (recursively) into documents.
type Local struct {
	cfg LocalConfig
}

// NewLocal returns a Local source.
func NewLocal(cfg LocalConfig) *Local {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 256 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Local{cfg: cfg}
}

// FileError is a file that could not be read; the walk goes on.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return "read " + e.Path + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// Files expands paths into the sorted list of files to read: a file is taken
// as is; a folder contributes every file below it with a known extension,
// skipping hidden files and folders. A path that does not exist is an error
// naming it.
func (l *Local) Files(paths []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, root := range paths {
		fi, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", root, errors.Unwrap(err))
		}
		if !fi.IsDir() {
			add(root)
			continue
		}
		var found []string
		err = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil // unreadable subfolder: skip it, keep walking
			}
			name := e.Name()
			if p != root && strings.HasPrefix(name, ".") {
				if e.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if e.Type().IsRegular() {
				if _, ok := Extensions[strings.ToLower(filepath.Ext(name))]; ok {
					found = append(found, p)
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walk %s: %w", root, err)
		}
		sort.Strings(found)
		for _, p := range found {
			add(p)
		}
	}
	return out, nil
}

// Read reads one file into a new document: Source is the absolute path,
// ContentType comes from the extension (the extractor sniffs anyway).
func (l *Local) Read(path string) (*corpus.Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &FileError{Path: path, Err: errors.Unwrap(err)}
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, l.cfg.MaxBytes+1))
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	if int64(len(raw)) > l.cfg.MaxBytes {
		return nil, &FileError{Path: path, Err: fmt.Errorf("file larger than the %d-byte limit", l.cfg.MaxBytes)}
	}
	ext := strings.ToLower(filepath.Ext(path))
	ct := Extensions[ext]
	if ct == "" {
		ct = mime.TypeByExtension(ext)
	}
	return &corpus.Document{
		Source:      path,
		ContentType: ct,
		FetchedAt:   l.cfg.Now().UTC(),
		Raw:         raw,
	}, nil
}

// Walk reads every file under paths and sends its document to out, in
// order. A file that cannot be read goes to onError and the walk goes on.
// Walk does not close out.
func (l *Local) Walk(ctx context.Context, paths []string, out chan<- *corpus.Document, onError func(error)) error {
	files, err := l.Files(paths)
	if err != nil {
		return err
	}
	for _, p := range files {
		d, err := l.Read(p)
		if err != nil {
			onError(err)
			continue
		}
		select {
		case out <- d:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
