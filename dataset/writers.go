package dataset

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
)

// Format is an export file format.
type Format string

// The formats.
const (
	JSONL   Format = "jsonl"
	CSV     Format = "csv"
	Parquet Format = "parquet"
)

// Formats lists the formats.
var Formats = []Format{JSONL, CSV, Parquet}

// ext returns the file extension of f.
func (f Format) ext() string { return "." + string(f) }

// tableWriter writes the rows of one table to one file.
type tableWriter interface {
	Write(r Row) error
	Close() error // flushes; the caller closes the file
}

func newTableWriter(f Format, t Table, w io.Writer, bom bool) (tableWriter, error) {
	switch f {
	case JSONL:
		return &jsonlWriter{t: t, w: bufio.NewWriterSize(w, 64<<10)}, nil
	case CSV:
		return newCSVWriter(t, w, bom)
	case Parquet:
		return newParquetWriter(t, w), nil
	}
	return nil, fmt.Errorf("unknown format %q (one of jsonl, csv, parquet)", f)
}

// jsonlWriter writes one JSON object per line, keys in column order.
type jsonlWriter struct {
	t   Table
	w   *bufio.Writer
	buf []byte
}

func (j *jsonlWriter) Write(r Row) error {
	b := append(j.buf[:0], '{')
	for i, c := range j.t.Columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, c.Name) // column names are ASCII
		b = append(b, ':')
		v := r[i]
		switch {
		case v == nil, c.Type == Date && v == "":
			b = append(b, "null"...)
		case c.Type == Timestamp:
			b = strconv.AppendQuote(b, v.(time.Time).UTC().Format(time.RFC3339))
		default:
			vb, err := marshal(v)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", j.t.Name, c.Name, err)
			}
			b = append(b, vb...)
		}
	}
	b = append(b, '}', '\n')
	j.buf = b
	_, err := j.w.Write(b)
	return err
}

func (j *jsonlWriter) Close() error { return j.w.Flush() }

// marshal encodes v as JSON without HTML escaping (Chinese text and <>
// stay readable).
func marshal(v any) ([]byte, error) {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(sb.String(), "\n")), nil
}

// csvWriter writes RFC 4180 CSV with a header row.
type csvWriter struct {
	t   Table
	w   *csv.Writer
	bw  *bufio.Writer
	rec []string
}

func newCSVWriter(t Table, w io.Writer, bom bool) (*csvWriter, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if bom {
		bw.WriteString("\uFEFF") // lets Excel recognise UTF-8
	}
	c := &csvWriter{t: t, w: csv.NewWriter(bw), bw: bw, rec: make([]string, len(t.Columns))}
	c.w.UseCRLF = true // RFC 4180
	for i, col := range t.Columns {
		c.rec[i] = col.Name
	}
	return c, c.w.Write(c.rec)
}

func (c *csvWriter) Write(r Row) error {
	for i, col := range c.t.Columns {
		c.rec[i] = csvCell(col.Type, r[i])
	}
	return c.w.Write(c.rec)
}

func csvCell(t Type, v any) string {
	if v == nil {
		return ""
	}
	switch t {
	case Int:
		return strconv.FormatInt(v.(int64), 10)
	case Float:
		return strconv.FormatFloat(v.(float64), 'f', -1, 64)
	case Bool:
		return strconv.FormatBool(v.(bool))
	case Timestamp:
		return v.(time.Time).UTC().Format(time.RFC3339)
	case List:
		return strings.Join(v.([]string), ListSeparator)
	}
	return v.(string)
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.bw.Flush()
}

// parquetWriter writes a Parquet file whose schema is built from the
// table definition: a struct type made at run time with parquet tags.
type parquetWriter struct {
	t   Table
	typ reflect.Type
	w   *parquet.Writer
	v   reflect.Value
}

// rowGroupRows bounds the rows buffered in memory before a row group is
// flushed, so memory does not grow with the table.
const rowGroupRows = 16384

func parquetType(t Table) reflect.Type {
	fields := make([]reflect.StructField, len(t.Columns))
	for i, c := range t.Columns {
		var typ reflect.Type
		tag := c.Name
		switch c.Type {
		case String:
			typ = reflect.TypeFor[string]()
		case Int:
			typ, tag = reflect.TypeFor[*int64](), tag+",optional"
		case Float:
			typ, tag = reflect.TypeFor[*float64](), tag+",optional"
		case Bool:
			typ = reflect.TypeFor[bool]()
		case Date:
			typ, tag = reflect.TypeFor[*int32](), tag+",date,optional"
		case Timestamp:
			typ, tag = reflect.TypeFor[time.Time](), tag+",timestamp(millisecond)"
		case List:
			typ, tag = reflect.TypeFor[[]string](), tag+",list"
		}
		fields[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: typ, Tag: reflect.StructTag(`parquet:"` + tag + `"`)}
	}
	return reflect.StructOf(fields)
}

func newParquetWriter(t Table, w io.Writer) *parquetWriter {
	typ := parquetType(t)
	schema := parquet.SchemaOf(reflect.New(typ).Interface())
	pw := parquet.NewWriter(w, schema, parquet.MaxRowsPerRowGroup(rowGroupRows), parquet.Compression(&parquet.Zstd))
	return &parquetWriter{t: t, typ: typ, w: pw, v: reflect.New(typ)}
}

func (p *parquetWriter) Write(r Row) error {
	s := p.v.Elem()
	s.SetZero()
	for i, c := range p.t.Columns {
		v := r[i]
		if v == nil {
			continue
		}
		f := s.Field(i)
		switch c.Type {
		case String:
			f.SetString(v.(string))
		case Int:
			n := v.(int64)
			f.Set(reflect.ValueOf(&n))
		case Float:
			x := v.(float64)
			f.Set(reflect.ValueOf(&x))
		case Bool:
			f.SetBool(v.(bool))
		case Date:
			if d, err := time.Parse(time.DateOnly, v.(string)); err == nil {
				days := int32(d.Unix() / 86400)
				f.Set(reflect.ValueOf(&days))
			}
		case Timestamp:
			f.Set(reflect.ValueOf(v.(time.Time).UTC()))
		case List:
			f.Set(reflect.ValueOf(v.([]string)))
		}
	}
	if err := p.w.Write(p.v.Interface()); err != nil {
		return fmt.Errorf("%s: %w", p.t.Name, err)
	}
	return nil
}

func (p *parquetWriter) Close() error { return p.w.Close() }

// createFile is os.Create, kept here to name the file in its error.
func createFile(path string) (*os.File, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return f, nil
}
