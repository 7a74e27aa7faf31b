package corpus

import "embed"

// dataFS holds the analyst-editable data compiled into the binary, so a
// plain `go build` yields a self-contained tool that reads no file at run
// time. Each file under data/ documents its own format in its header.
//
//go:embed data/*
var dataFS embed.FS

// readData returns the named file of data/, or nil if it is absent (a file
// may be added by a later change; callers treat nil as "no data").
func readData(name string) []byte {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return nil
	}
	return b
}

// DomainDict returns data/dict.txt: the segmentation dictionary of SCS
// terms and agency names ("word freq pos" lines, # comments), loaded before
// the general dictionary so these words stay whole.
func DomainDict() []byte { return readData("dict.txt") }

// RulesYAML returns data/rules.yaml: the clause-tagging rules of spec §4-6.
func RulesYAML() []byte { return readData("rules.yaml") }

// AgencyAliases returns data/agencies.tsv: "alias<TAB>canonical" lines
// mapping agency names as written to one canonical name.
func AgencyAliases() []byte { return readData("agencies.tsv") }

// SourcesYAML returns data/sources.yaml: the default source registry of
// the crawler (name, adapter, entry URL and options of each site).
func SourcesYAML() []byte { return readData("sources.yaml") }

// TradSimp returns data/t2s.txt: "traditional<TAB>simplified" character
// pairs, through which the tagger reads clauses published in traditional
// characters (the text itself is kept as published).
func TradSimp() []byte { return readData("t2s.txt") }
