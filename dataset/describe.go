package dataset

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DataPackage returns the Frictionless Data Package descriptor
// (datapackage.json) of an export: every table, column, type and
// description, the export time, the scs version and the sources.
func DataPackage(cfg Config, m *Manifest) map[string]any {
	var resources []any
	for _, t := range Tables {
		var fields []any
		for _, c := range t.Columns {
			typ := c.Type.Frictionless()
			f := map[string]any{"name": c.Name, "type": typ, "description": c.Description}
			switch {
			case c.Type == List && cfg.Format == CSV:
				// Frictionless arrays are JSON in a CSV cell; ours are joined.
				f["type"] = "string"
				f["description"] = c.Description + " In CSV: the values joined with \"" + ListSeparator + "\"."
				f["scs:listSeparator"] = ListSeparator
			case c.Type == List:
				f["itemType"] = "string"
			case c.Type == Date:
				f["format"] = "%Y-%m-%d"
			}
			fields = append(fields, f)
		}
		schema := map[string]any{"fields": fields, "primaryKey": t.Key, "missingValues": []string{""}}
		if len(t.Refs) > 0 {
			var fks []any
			for _, col := range sortedKeys(t.Refs) {
				tbl, ref, _ := strings.Cut(t.Refs[col], ".")
				fks = append(fks, map[string]any{"fields": col, "reference": map[string]any{"resource": tbl, "fields": ref}})
			}
			schema["foreignKeys"] = fks
		}
		r := map[string]any{
			"name": t.Name, "path": t.Name + cfg.Format.ext(), "profile": "tabular-data-resource",
			"format": string(cfg.Format), "description": t.Description, "schema": schema,
		}
		if m != nil {
			r["scs:rows"] = m.Rows[t.Name]
		}
		switch cfg.Format {
		case CSV:
			r["mediatype"], r["encoding"] = "text/csv", "utf-8"
			if cfg.BOM {
				r["encoding"] = "utf-8-sig"
			}
			r["dialect"] = map[string]any{"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": true, "header": true}
		case JSONL:
			r["mediatype"], r["encoding"] = "application/x-ndjson", "utf-8"
		case Parquet:
			r["mediatype"] = "application/vnd.apache.parquet"
		}
		resources = append(resources, r)
	}
	dp := map[string]any{
		"profile":     "tabular-data-package",
		"name":        "scs-corpus",
		"title":       "Social Credit System rules: documents, clauses, tags and measures (scs export)",
		"description": "Tidy tables exported by scs from its corpus of China's Social Credit System rules. See CODEBOOK.md.",
		"created":     cfg.Now.UTC().Format("2006-01-02T15:04:05Z"),
		"scs:version": cfg.Version,
		"scs:format":  string(cfg.Format),
		"scs:filter":  cfg.Filter,
		"sources": []any{
			map[string]any{"title": "scs corpus store", "path": cfg.Source},
			map[string]any{"title": "The documents' own sources (URLs or files): documents.source, with the archived bytes named by documents.raw_sha256"},
		},
		"resources": resources,
	}
	if m != nil {
		dp["scs:documents"] = m.Documents
	}
	return dp
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Codebook returns CODEBOOK.md for an export, generated from Tables.
func Codebook(cfg Config, m *Manifest) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Codebook: scs export\n\n")
	fmt.Fprintf(&b, "Exported %s by scs %s from `%s`, as %s.", cfg.Now.UTC().Format("2006-01-02 15:04 UTC"), cfg.Version, cfg.Source, cfg.Format)
	if m != nil {
		fmt.Fprintf(&b, " %d documents.", m.Documents)
	}
	b.WriteString("\n\nOne file per table, one row per entity; ids are stable across exports and runs (derived from the\n" +
		"document source and the clause path), so tables join on them and exports of different days can be compared.\n" +
		"Every coded value comes from the scs rules (`coding_method` = rule) and names its rule in `tags`.\n\n")
	b.WriteString("## Formats\n\n")
	b.WriteString("- **CSV**: UTF-8 (with a byte-order mark when exported with `--bom`, for Excel), comma-separated,\n" +
		"  RFC 4180 quoting, CRLF line ends, a header row. Lists are joined with `" + ListSeparator + "`. Dates are YYYY-MM-DD,\n" +
		"  timestamps RFC 3339 in UTC, booleans true/false; an empty cell is a missing value.\n")
	b.WriteString("- **JSON Lines**: one object per line, keys in column order; lists are arrays, missing values null.\n")
	b.WriteString("- **Parquet**: one file per table, zstd-compressed; column types below (dates as DATE, lists as LIST).\n\n")
	if f := cfg.Filter; len(f.Tags)+len(f.Kinds) > 0 || f.Issuer != "" || f.Region != "" || f.Since != "" || f.Until != "" {
		js, _ := json.Marshal(f)
		fmt.Fprintf(&b, "Filter applied: `%s`.\n\n", js)
	}
	b.WriteString("## Tables\n\n| table | rows | key | description |\n|---|---|---|---|\n")
	for _, t := range Tables {
		rows := ""
		if m != nil {
			rows = fmt.Sprint(m.Rows[t.Name])
		}
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s |\n", t.Name, t.Name, rows, strings.Join(t.Key, ", "), t.Description)
	}
	for _, t := range Tables {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\nFile `%s%s`. Primary key: %s.", t.Name, t.Description, t.Name, cfg.Format.ext(), strings.Join(t.Key, ", "))
		for _, col := range sortedKeys(t.Refs) {
			fmt.Fprintf(&b, " `%s` refers to %s.", col, t.Refs[col])
		}
		b.WriteString("\n\n| column | type | Parquet | description |\n|---|---|---|---|\n")
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", c.Name, c.Type.Frictionless(), c.Type.Parquet(), strings.ReplaceAll(c.Description, "|", "\\|"))
		}
	}
	return b.String()
}

func writeDescriptors(cfg Config, dir string, m *Manifest) error {
	js, err := json.MarshalIndent(DataPackage(cfg, m), "", "  ")
	if err != nil {
		return err
	}
	for name, b := range map[string][]byte{"datapackage.json": append(js, '\n'), "CODEBOOK.md": []byte(Codebook(cfg, m))} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	return nil
}
