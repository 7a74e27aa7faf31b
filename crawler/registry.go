package crawler

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Source is one entry of the source registry (corpus/data/sources.yaml,
// or a file given with --sources): where to start and how to read it.
type Source struct {
	Name    string `yaml:"name" json:"name"`
	Adapter string `yaml:"adapter" json:"adapter"` // trs, govcn, html, hanweb, flk
	URL     string `yaml:"url" json:"url"`         // entry point; point it at a local mirror to crawl offline
	// Keywords keep the list items whose title contains one of them; empty
	// keeps every item.
	Keywords []string `yaml:"keywords" json:"keywords,omitempty"`
	Query    string   `yaml:"query" json:"query,omitempty"` // search terms, for adapters that search an API
	MaxPages int      `yaml:"max_pages" json:"max_pages"`   // list pages per run; 0: the registry default
	// Delay between requests to the source's hosts; 0: the crawl's delay.
	Delay Duration `yaml:"delay" json:"delay,omitzero"`
	// PauseEvery and Pause: after every PauseEvery requests of one run the
	// source rests for Pause (flk answers empty bodies after about 20
	// requests in a row). 0 disables it.
	PauseEvery int      `yaml:"pause_every" json:"pause_every,omitempty"`
	Pause      Duration `yaml:"pause" json:"pause,omitzero"`
	// Budget caps the HTTP requests of one run of the source (retries
	// included); 0: the registry default.
	Budget int `yaml:"budget" json:"budget"`
	// StopAfterKnown stops the listing after this many consecutive list
	// pages holding only known items (default 1); -1 walks every page.
	StopAfterKnown int `yaml:"stop_after_known" json:"stop_after_known"`
	// Options are the adapter's own settings (CSS selectors, API
	// parameters); each adapter documents its keys.
	Options  map[string]string `yaml:"options" json:"options,omitempty"`
	Disabled bool              `yaml:"disabled" json:"disabled,omitempty"`
	Note     string            `yaml:"note" json:"note,omitempty"` // what is known or not about the site
}

// Duration is a time.Duration written as "1s", "500ms" in YAML.
type Duration time.Duration

// UnmarshalYAML reads a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: duration %q: %w", n.Line, n.Value, err)
	}
	*d = Duration(v)
	return nil
}

// Registry is the list of sources with the defaults they inherit.
type Registry struct {
	Defaults struct {
		Keywords []string `yaml:"keywords"`
		MaxPages int      `yaml:"max_pages"`
		Budget   int      `yaml:"budget"`
	} `yaml:"defaults"`
	Sources []Source `yaml:"sources"`
}

// Adapters are the adapter names a registry may use.
var Adapters = []string{"trs", "govcn", "html", "hanweb", "flk"}

// ParseRegistry reads a registry (name is the file, for messages), fills
// each source's defaults and checks every entry.
func ParseRegistry(name string, data []byte) (*Registry, error) {
	var r Registry
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("source registry %s: %w", name, err)
	}
	if r.Defaults.MaxPages <= 0 {
		r.Defaults.MaxPages = 5
	}
	if r.Defaults.Budget <= 0 {
		r.Defaults.Budget = 300
	}
	seen := map[string]bool{}
	for i := range r.Sources {
		s := &r.Sources[i]
		if s.Name == "" {
			return nil, fmt.Errorf("source registry %s: source %d has no name", name, i+1)
		}
		if seen[s.Name] {
			return nil, fmt.Errorf("source registry %s: source %q listed twice", name, s.Name)
		}
		seen[s.Name] = true
		if !known(s.Adapter) {
			return nil, fmt.Errorf("source registry %s: source %q: unknown adapter %q (one of %s)",
				name, s.Name, s.Adapter, strings.Join(Adapters, ", "))
		}
		u, err := url.Parse(s.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("source registry %s: source %q: url %q is not an http(s) URL", name, s.Name, s.URL)
		}
		if s.Keywords == nil {
			s.Keywords = r.Defaults.Keywords
		}
		if s.MaxPages <= 0 {
			s.MaxPages = r.Defaults.MaxPages
		}
		if s.Budget <= 0 {
			s.Budget = r.Defaults.Budget
		}
		if s.PauseEvery < 0 || s.Pause < 0 {
			return nil, fmt.Errorf("source registry %s: source %q: pause_every and pause must not be negative", name, s.Name)
		}
		if s.StopAfterKnown == 0 {
			s.StopAfterKnown = 1
		}
		if s.Options == nil {
			s.Options = map[string]string{}
		}
	}
	return &r, nil
}

// LoadRegistry reads the registry file at path.
func LoadRegistry(path string) (*Registry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("source registry: %w", err)
	}
	return ParseRegistry(path, b)
}

func known(adapter string) bool {
	for _, a := range Adapters {
		if a == adapter {
			return true
		}
	}
	return false
}

// Hosts returns the hosts named by the registry's URLs (redirects to them
// are allowed even when they are local: a mirror).
func (r *Registry) Hosts() []string {
	var out []string
	for _, s := range r.Sources {
		if u, err := url.Parse(s.URL); err == nil {
			out = append(out, u.Host)
		}
		for k, v := range s.Options {
			if strings.HasSuffix(k, "_url") {
				if u, err := url.Parse(v); err == nil && u.Host != "" {
					out = append(out, u.Host)
				}
			}
		}
	}
	return out
}

// Select returns the enabled sources, or those named (an unknown name is
// an error listing the known ones). A disabled source named explicitly is
// selected.
func (r *Registry) Select(names []string) ([]Source, error) {
	if len(names) == 0 {
		var out []Source
		for _, s := range r.Sources {
			if !s.Disabled {
				out = append(out, s)
			}
		}
		return out, nil
	}
	var out []Source
	for _, n := range names {
		found := false
		for _, s := range r.Sources {
			if s.Name == n {
				out = append(out, s)
				found = true
			}
		}
		if !found {
			var all []string
			for _, s := range r.Sources {
				all = append(all, s.Name)
			}
			return nil, fmt.Errorf("no source named %q (the registry has: %s)", n, strings.Join(all, ", "))
		}
	}
	return out, nil
}
