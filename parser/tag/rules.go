package tag

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/scs-project/scs/corpus"
)

// Field names of Evidence.Field.
const (
	FieldTag        = "tag"
	FieldCategory   = "sanction_category"
	FieldAgency     = "agency"
	FieldLegalBasis = "legal_basis"
	FieldDuration   = "duration"
)

// Where a rule's match and all_of patterns look.
const (
	SourceText     = "text"     // the clause's own text (the default)
	SourceParent   = "parent"   // the text of the lead-in the clause belongs to
	SourceHeadings = "headings" // the enclosing headings, joined by newlines
)

// ruleFile is the YAML schema of rules.yaml.
type ruleFile struct {
	// Patterns are named lists of regular expressions; a list entry
	// "@name" in a rule expands to the whole named list.
	Patterns map[string][]string `yaml:"patterns"`
	Rules    []ruleSpec          `yaml:"rules"`
}

// ruleSpec is one rule as written. Exactly one of Tag, Category and Field
// says what the rule produces.
type ruleSpec struct {
	ID       string   `yaml:"id"`
	Comment  string   `yaml:"comment"`
	Tag      string   `yaml:"tag"`
	Category string   `yaml:"category"`
	Field    string   `yaml:"field"`
	Source   string   `yaml:"source"`
	Match    []string `yaml:"match"`
	AllOf    []string `yaml:"all_of"`
	NoneOf   []string `yaml:"none_of"`
	// Split is a regex separating one captured field value into several,
	// as for the 实施单位 line of an MOU item (农业农村部、商务部).
	Split string `yaml:"split"`
	// Trim is a regex whose matches are removed from each field value
	// (a leading 其 or a trailing 等).
	Trim string `yaml:"trim"`
	// Keep and Drop filter field values: a value is kept only if it
	// matches one of Keep (when given) and none of Drop.
	Keep []string `yaml:"keep"`
	Drop []string `yaml:"drop"`
	// Within narrows a field rule to the first match of this regex (the
	// 法律依据： line of an MOU item), so match finds every value inside it.
	Within string `yaml:"within"`
	// Negated lists regexes tested against the text just before each match
	// (up to negationWindow bytes, within the same sentence): a match they
	// end at (不得限制, 不得对…采取) is negated and skipped, and the next
	// match is tried.
	Negated []string `yaml:"negated"`
	// Context lists regexes one of which must match the clause's own
	// text, its lead-in or its headings: a weak cue (不得从事, 暂停,
	// 加强监督检查) is a measure only where the dishonest conduct or the
	// listing it answers is named somewhere around it.
	Context []string `yaml:"context"`
	// ParentNoneOf lists regexes none of which may match the lead-in's
	// text (the items of an officials'-liability lead-in are misconduct
	// of officials, not measures).
	ParentNoneOf []string `yaml:"parent_none_of"`
	If           cond     `yaml:"if"`
}

// cond are conditions on the clause; a nil pointer or empty list means
// "don't care".
type cond struct {
	LeadIn        *bool    `yaml:"leadin"`          // clause introduces items
	Item          *bool    `yaml:"item"`            // clause belongs to a lead-in
	Tags          []string `yaml:"tags"`            // clause already has all of these
	NotTags       []string `yaml:"not_tags"`        // clause has none of these
	ParentTags    []string `yaml:"parent_tags"`     // the lead-in has all of these
	NotParentTags []string `yaml:"not_parent_tags"` // the lead-in has none of these
	NoCategories  *bool    `yaml:"no_categories"`   // clause has no category yet
	NoValue       *bool    `yaml:"no_value"`        // the rule's field is still empty
}

// rule is a compiled ruleSpec.
type rule struct {
	ruleSpec
	line    int
	field   string // Evidence.Field
	value   string // the tag or category produced; empty for field rules
	match   []*regexp.Regexp
	allOf   []*regexp.Regexp
	noneOf  []*regexp.Regexp
	split   *regexp.Regexp
	trim    *regexp.Regexp
	keep    []*regexp.Regexp
	drop    []*regexp.Regexp
	within  *regexp.Regexp
	negated []*regexp.Regexp
	context []*regexp.Regexp
	// parentNoneOf holds the compiled ParentNoneOf.
	parentNoneOf []*regexp.Regexp
	// lits holds, for each match regex, strings one of which every match
	// contains (nil when unknown): a cheap strings.Contains test before
	// the regex runs.
	lits [][]string
}

// RuleError is a rules.yaml validation error: which rule, on which line.
type RuleError struct {
	ID   string
	Line int
	Msg  string
}

func (e *RuleError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("rules.yaml:%d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("rules.yaml:%d: rule %q: %s", e.Line, e.ID, e.Msg)
}

var fields = []string{FieldAgency, FieldLegalBasis, FieldDuration}

// compile parses and validates the YAML rule set.
func compile(data []byte) ([]*rule, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &RuleError{Line: 1, Msg: "empty rule set"}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("rules.yaml: %w", err)
	}
	var rf ruleFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&rf); err != nil {
		return nil, fmt.Errorf("rules.yaml: %w", err)
	}
	lines := ruleLines(&doc)
	var errs []error
	seen := map[string]int{}
	var out []*rule
	for i, rs := range rf.Rules {
		line := 0
		if i < len(lines) {
			line = lines[i]
		}
		fail := func(format string, a ...any) {
			errs = append(errs, &RuleError{ID: rs.ID, Line: line, Msg: fmt.Sprintf(format, a...)})
		}
		if rs.ID == "" {
			fail("missing id")
			continue
		}
		if prev, ok := seen[rs.ID]; ok {
			fail("duplicate id (first on line %d)", prev)
			continue
		}
		seen[rs.ID] = line
		r := &rule{ruleSpec: rs, line: line}
		switch {
		case rs.Tag != "" && rs.Category == "" && rs.Field == "":
			if !slices.Contains(corpus.Tags, rs.Tag) {
				fail("unknown tag %q (spec §4: %s)", rs.Tag, strings.Join(corpus.Tags, ", "))
			}
			r.field, r.value = FieldTag, rs.Tag
		case rs.Category != "" && rs.Tag == "" && rs.Field == "":
			if !slices.Contains(corpus.SanctionCategories, rs.Category) {
				fail("unknown sanction category %q (spec §5: %s)", rs.Category, strings.Join(corpus.SanctionCategories, ", "))
			}
			r.field, r.value = FieldCategory, rs.Category
		case rs.Field != "" && rs.Tag == "" && rs.Category == "":
			if !slices.Contains(fields, rs.Field) {
				fail("unknown field %q (want one of %s)", rs.Field, strings.Join(fields, ", "))
			}
			r.field = rs.Field
		default:
			fail("want exactly one of tag, category, field")
		}
		switch rs.Source {
		case "":
			r.Source = SourceText
		case SourceText, SourceParent, SourceHeadings:
		default:
			fail("unknown source %q (want text, parent or headings)", rs.Source)
		}
		for _, lst := range [][]string{rs.If.Tags, rs.If.NotTags, rs.If.ParentTags, rs.If.NotParentTags} {
			for _, t := range lst {
				if !slices.Contains(corpus.Tags, t) {
					fail("unknown tag %q in if", t)
				}
			}
		}
		if len(rs.Match) == 0 {
			fail("missing match")
		}
		var err error
		if r.match, err = compileList(rs.Match, rf.Patterns); err != nil {
			fail("match: %v", err)
		}
		if r.allOf, err = compileList(rs.AllOf, rf.Patterns); err != nil {
			fail("all_of: %v", err)
		}
		if r.noneOf, err = compileList(rs.NoneOf, rf.Patterns); err != nil {
			fail("none_of: %v", err)
		}
		for _, x := range []struct {
			name, src string
			dst       **regexp.Regexp
		}{{"split", rs.Split, &r.split}, {"trim", rs.Trim, &r.trim}, {"within", rs.Within, &r.within}} {
			if x.src == "" {
				continue
			}
			if r.field == FieldTag || r.field == FieldCategory {
				fail("%s is only for field rules", x.name)
			}
			re, err := regexp.Compile(x.src)
			if err != nil {
				fail("%s: bad regex %q: %v", x.name, x.src, err)
				continue
			}
			*x.dst = re
		}
		if r.keep, err = compileList(rs.Keep, rf.Patterns); err != nil {
			fail("keep: %v", err)
		}
		if r.drop, err = compileList(rs.Drop, rf.Patterns); err != nil {
			fail("drop: %v", err)
		}
		if r.negated, err = compileList(rs.Negated, rf.Patterns); err != nil {
			fail("negated: %v", err)
		}
		if r.context, err = compileList(rs.Context, rf.Patterns); err != nil {
			fail("context: %v", err)
		}
		if r.parentNoneOf, err = compileList(rs.ParentNoneOf, rf.Patterns); err != nil {
			fail("parent_none_of: %v", err)
		}
		for _, re := range r.match {
			r.lits = append(r.lits, requiredLits(re))
		}
		out = append(out, r)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// compileList compiles regular expressions, expanding "@name" entries
// from the named pattern lists.
func compileList(src []string, named map[string][]string) ([]*regexp.Regexp, error) {
	var out []*regexp.Regexp
	for _, s := range src {
		list := []string{s}
		if name, ok := strings.CutPrefix(s, "@"); ok {
			l, found := named[name]
			if !found {
				return nil, fmt.Errorf("unknown pattern list %q", s)
			}
			list = l
		}
		for _, p := range list {
			re, err := regexp.Compile(p)
			if err != nil {
				return nil, fmt.Errorf("bad regex %q: %w", p, err)
			}
			out = append(out, re)
		}
	}
	return out, nil
}

// ruleLines returns the line of each entry of the top-level rules list, so
// errors can point an analyst at the right place.
func ruleLines(doc *yaml.Node) []int {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "rules" && m.Content[i+1].Kind == yaml.SequenceNode {
			var lines []int
			for _, n := range m.Content[i+1].Content {
				lines = append(lines, n.Line)
			}
			return lines
		}
	}
	return nil
}
