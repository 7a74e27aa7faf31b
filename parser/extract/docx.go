package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/scs-project/scs/corpus"
)

const wordML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

var errTooLarge = errors.New("uncompressed size exceeds the limit")

// extractDOCX streams word/document.xml: each w:p is a line, w:t its text,
// w:tab a tab and w:br a line break; a table row (w:tr) is one line with
// cells separated by tabs. Automatic numbering (w:numPr, in the paragraph
// or its style) is rendered as Word prints it (docxnum.go): 第一条, （一）,
// 1. Headers, footers and footnotes are not read.
func (e *Extractor) extractDOCX(raw []byte, source string) (result, error) {
	res := result{extractor: "docx", meta: map[string]string{}}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return res, fmt.Errorf("docx %s: open zip: %w", source, err)
	}
	var docFile, coreFile, numFile, stylesFile *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			docFile = f
		case "docProps/core.xml":
			coreFile = f
		case "word/numbering.xml":
			numFile = f
		case "word/styles.xml":
			stylesFile = f
		}
	}
	if docFile == nil {
		return res, fmt.Errorf("docx %s: no word/document.xml: %w", source, corpus.ErrUnsupported)
	}
	text, err := e.readDocumentXML(docFile, e.readNumbering(numFile, stylesFile))
	if err != nil {
		return res, fmt.Errorf("docx %s: word/document.xml: %w", source, err)
	}
	if coreFile != nil {
		if t, err := e.readCoreTitle(coreFile); err == nil && t != "" {
			res.meta["title"] = t
		}
	}
	res.text = cleanText(text)
	if res.text == "" {
		return res, fmt.Errorf("docx %s: no text in document body", source)
	}
	res.quality = quality(res.text)
	if res.quality < e.cfg.MinQuality {
		res.flags = []string{corpus.FlagLowQuality}
		return res, fmt.Errorf("docx %s: text implausible (quality %.2f)", source, res.quality)
	}
	return res, nil
}

// openCapped opens a zip member and fails reading past MaxBytes, whatever
// its header claims: the guard against zip bombs.
func (e *Extractor) openCapped(f *zip.File) (io.ReadCloser, io.Reader, error) {
	if f.UncompressedSize64 > uint64(e.cfg.MaxBytes) {
		return nil, nil, fmt.Errorf("%w (%d bytes declared)", errTooLarge, f.UncompressedSize64)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, err
	}
	return rc, &cappedReader{r: rc, left: e.cfg.MaxBytes}, nil
}

type cappedReader struct {
	r    io.Reader
	left int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

func (e *Extractor) readDocumentXML(f *zip.File, num *docxNumbering) (string, error) {
	rc, r, err := e.openCapped(f)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	dec := xml.NewDecoder(r)
	var (
		out      strings.Builder
		para     strings.Builder
		cells    []string
		inText   bool
		tblDepth int
		inPPr    bool
		pStyle   string
		numID    string
		ilvl     int
	)
	endPara := func() {
		p := para.String()
		para.Reset()
		if numID == "" && pStyle != "" {
			if ref, ok := num.styles[pStyle]; ok {
				numID, ilvl = ref.numID, ref.ilvl
			}
		}
		if l := num.label(numID, ilvl); l != "" && strings.TrimSpace(p) != "" {
			p = l + p
		}
		pStyle, numID, ilvl = "", "", 0
		if tblDepth > 0 {
			// Paragraphs inside a cell share the cell's line.
			if len(cells) == 0 {
				cells = append(cells, "")
			}
			last := &cells[len(cells)-1]
			if *last != "" && p != "" {
				*last += " "
			}
			*last += strings.ReplaceAll(p, "\n", " ")
			return
		}
		out.WriteString(p)
		out.WriteByte('\n')
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != wordML {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = true
			case "pPr":
				inPPr = true
			case "pStyle", "numId", "ilvl":
				if inPPr {
					v := attrVal(t, "val")
					switch t.Name.Local {
					case "pStyle":
						pStyle = v
					case "numId":
						numID = v
					case "ilvl":
						ilvl, _ = strconv.Atoi(v)
					}
				}
			case "tab":
				para.WriteByte('\t')
			case "br", "cr":
				para.WriteByte('\n')
			case "tbl":
				tblDepth++
			case "tr":
				if tblDepth == 1 {
					cells = cells[:0]
				}
			case "tc":
				cells = append(cells, "")
			}
		case xml.EndElement:
			if t.Name.Space != wordML {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "pPr":
				inPPr = false
			case "p":
				endPara()
			case "tr":
				if tblDepth == 1 {
					out.WriteString(strings.Join(cells, "\t"))
					out.WriteByte('\n')
					cells = cells[:0]
				}
			case "tbl":
				tblDepth--
			}
		case xml.CharData:
			if inText {
				para.Write(t)
			}
		}
	}
	return out.String(), nil
}

// attrVal returns the value of the attribute named local (any namespace).
func attrVal(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func (e *Extractor) readCoreTitle(f *zip.File) (string, error) {
	rc, r, err := e.openCapped(f)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	var core struct {
		Title string `xml:"title"`
	}
	if err := xml.NewDecoder(r).Decode(&core); err != nil {
		return "", err
	}
	return normalizeLine(core.Title), nil
}
