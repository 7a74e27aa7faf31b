// Command scs turns the published rules of China's Social Credit System into
// searchable, tagged clauses. See `scs help`.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/scs-project/scs/corpus"
	"github.com/scs-project/scs/parser"
	"github.com/scs-project/scs/parser/extract"
)

// version is set by the linker (-X main.version=…) in release builds.
var version = "dev"

// Exit codes, documented in `scs help` and the README.
const (
	exitOK        = 0
	exitFailure   = 1 // the run failed, or (extract, analyze) an input failed
	exitUsage     = 2 // bad command line
	exitPartial   = 3 // a batch finished, but some documents failed
	exitLocked    = 4 // another batch holds the data directory's lock
	exitCancelled = 130
)

// errUsage marks a command-line error: the command prints its usage.
var errUsage = errors.New("usage")

// errInputs reports that some inputs failed while the command itself ran.
type errInputs struct{ n int }

func (e errInputs) Error() string { return fmt.Sprintf("%d input(s) failed", e.n) }

// errPartial reports that a batch finished but some documents failed.
type errPartial struct{ n int }

func (e errPartial) Error() string {
	return fmt.Sprintf("%d document(s) failed (listed in the summary and in 'scs runs')", e.n)
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// commands lists the subcommands (a function, not a variable: help refers
// back to it).
func commands() []command {
	return []command{
		{"run", "the scheduled batch job: the inbox through every stage, with a run summary", runRun},
		{"ingest", "add files and folders to the corpus, then parse and index what is new", runIngest},
		{"crawl", "fetch the registry's web sources into the corpus, then parse and index what is new", runCrawl},
		{"sources", "list the crawl sources with their state (ok, failed, blocked), documents, new, gone", runSources},
		{"runs", "list past batch runs: status, counts per stage, failures", runRuns},
		{"reindex", "rebuild the search index from the corpus store", runReindex},
		{"search", "search the indexed clauses", runSearch},
		{"index", "push the corpus to Elasticsearch (--rebuild: new version, atomic alias swap)", runIndex},
		{"export", "write tidy tables (JSONL, CSV, Parquet) with datapackage.json and a codebook", runExport},
		{"stats", "counts by kind, issuer, region, year, tag, sanction category; measures", runStats},
		{"analyze", "extract, structure, segment and tag files without a corpus", runAnalyze},
		{"explain", "show why a clause of a file got its tags and fields", runExplain},
		{"rules", "list the tagging rules, with how often each fires on the corpus", runRules},
		{"extract", "print the clean text of files", runExtract},
		{"version", "print the version", runVersion},
		{"help", "show help", runHelp},
	}
}

// env is what every command gets from main: output streams and the logger.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
	getenv         func(string) string
}

// pdfChildCommand is the hidden subcommand that parses one PDF from stdin
// in a child process (see extract.ChildConfig).
const pdfChildCommand = "__pdf-child"

func main() {
	if len(os.Args) > 1 && os.Args[1] == pdfChildCommand {
		servePDFChild()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// Main runs the command line args and returns the exit code.
func Main(ctx context.Context, args []string, e *env) int {
	level := slog.LevelWarn
	if e.getenv("SCS_LOG") == "debug" {
		level = slog.LevelDebug
	} else if e.getenv("SCS_LOG") == "info" {
		level = slog.LevelInfo
	}
	if e.log == nil {
		e.log = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	}
	if len(args) == 0 {
		runHelp(ctx, e, nil)
		return exitUsage
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "-help" {
		name = "help"
	}
	if name == "--version" || name == "-version" {
		name = "version"
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		err := c.run(ctx, e, args[1:])
		var inputs errInputs
		var partial errPartial
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.Is(err, errUsage):
			return exitUsage
		case errors.Is(err, context.Canceled):
			fmt.Fprintln(e.stderr, "scs: interrupted")
			return exitCancelled
		case errors.As(err, &partial):
			fmt.Fprintf(e.stderr, "scs %s: %v\n", name, err)
			return exitPartial
		case errors.Is(err, corpus.ErrLocked):
			fmt.Fprintf(e.stderr, "scs %s: %v; not started\n", name, err)
			return exitLocked
		case errors.As(err, &inputs):
			fmt.Fprintf(e.stderr, "scs %s: %v\n", name, err)
			return exitFailure
		default:
			fmt.Fprintf(e.stderr, "scs %s: %v\n", name, err)
			return exitFailure
		}
	}
	fmt.Fprintf(e.stderr, "scs: unknown command %q (see 'scs help')\n", name)
	return exitUsage
}

// newFlags returns a flag set for a subcommand whose usage prints help.
func newFlags(e *env, name, usage, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: scs %s %s\n\n%s\n", name, usage, help)
		if hasFlags(fs) {
			fmt.Fprintln(e.stderr, "\nflags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parseFlags parses args, turning a flag error into errUsage (the flag
// package has already printed the problem and the usage). Flags may come
// after the positional arguments (scs search 失信 --limit 3), as people type
// them; an argument that starts with '-' but names no flag of the command
// stays positional (a negated search term such as -失信被执行人), and "--"
// ends the flags.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		// fs.Parse stopped at a positional argument or after "--".
		i := 0
		for i < len(args) && !isFlagArg(fs, args[i]) {
			if args[i] == "--" {
				pos = append(pos, args[i+1:]...)
				i = len(args)
				break
			}
			pos = append(pos, args[i])
			i++
		}
		args = args[i:]
		if len(args) == 0 {
			break
		}
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

// isFlagArg reports whether arg is a flag that fs defines (-x, --x, -x=v).
func isFlagArg(fs *flag.FlagSet, arg string) bool {
	if len(arg) < 2 || arg[0] != '-' {
		return false
	}
	name := strings.TrimLeft(arg, "-")
	if i := strings.IndexByte(name, '='); i >= 0 {
		name = name[:i]
	}
	return name == "h" || name == "help" || fs.Lookup(name) != nil
}

// dataDir resolves the data directory: --data, then SCS_DATA, then ./scs-data.
func dataDir(e *env, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := e.getenv("SCS_DATA"); v != "" {
		return v
	}
	return "scs-data"
}

func runVersion(_ context.Context, e *env, _ []string) error {
	fmt.Fprintln(e.stdout, "scs", version)
	return nil
}

const helpText = `scs turns the published rules of China's Social Credit System into
searchable, tagged clauses (spec: structure, tags, fields per clause).

usage: scs <command> [flags] [args]

commands:
%s
Run 'scs <command> -h' for a command's flags.

The corpus and the index live in the data directory: --data DIR, else
$SCS_DATA, else ./scs-data. Logs go to stderr; set SCS_LOG=info or debug
for more.

exit status:
  0    success
  1    the command failed (bad data directory, broken store or index), or
       for extract and analyze, at least one input file failed
  2    bad command line
  3    partial failure (run, ingest): the batch finished, but some
       documents failed; they are listed in the summary and in 'scs runs'
  4    not started (run, ingest, reindex): another batch holds the data
       directory's lock (DATA/scs.lock); the message names its pid
  130  interrupted
`

func runHelp(_ context.Context, e *env, args []string) error {
	if len(args) > 0 {
		for _, c := range commands() {
			if c.name == args[0] && c.name != "help" {
				return c.run(context.Background(), e, []string{"-h"})
			}
		}
	}
	list := ""
	for _, c := range commands() {
		list += fmt.Sprintf("  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(e.stdout, helpText, list)
	return nil
}

// servePDFChild is the child side of PDF isolation; it never returns.
func servePDFChild() {
	if err := extract.ServePDFChild(os.Stdin, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "scs __pdf-child:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// parserConfig is the parser configuration every command uses: PDFs are
// parsed in a child process of this same binary.
func parserConfig(e *env) parser.Config {
	cfg := parser.Config{Logger: e.log}
	if exe, err := os.Executable(); err == nil {
		cfg.PDFChild = []string{exe, pdfChildCommand}
	}
	return cfg
}

// writeJSON prints v as indented JSON for scripts and people alike, with
// Chinese and <> left as they are rather than escaped.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
