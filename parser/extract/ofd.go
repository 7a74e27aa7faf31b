package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/scs-project/scs/corpus"
)

// extractOFD reads OFD (GB/T 33190, the Chinese fixed-layout format that
// flk.npc.gov.cn and e-government systems publish): a zip whose OFD.xml
// names the document root (Doc_0/Document.xml), which lists the pages
// (Pages/Page_N/Content.xml), whose TextObjects carry the text in TextCode
// elements with positions. Text is ordered by position into lines (the
// writer's order is not reliable), and the lines go through the same
// clean-up as PDF pages: page numbers, running lines and hard wraps.
// Page templates (letterheads, running headers) are not read.
func (e *Extractor) extractOFD(raw []byte, source string) (result, error) {
	res := result{extractor: "ofd", meta: map[string]string{}}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return res, fmt.Errorf("ofd %s: open zip: %w", source, err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.TrimPrefix(path.Clean("/"+f.Name), "/")] = f
	}
	var root struct {
		Bodies []struct {
			Title string `xml:"DocInfo>Title"`
			Root  string `xml:"DocRoot"`
		} `xml:"DocBody"`
	}
	if err := e.readZipXML(files, "OFD.xml", &root); err != nil {
		return res, fmt.Errorf("ofd %s: OFD.xml: %w", source, err)
	}
	if len(root.Bodies) == 0 || root.Bodies[0].Root == "" {
		return res, fmt.Errorf("ofd %s: OFD.xml names no DocRoot: %w", source, corpus.ErrUnsupported)
	}
	if t := normalizeLine(root.Bodies[0].Title); t != "" {
		res.meta["title"] = t
	}
	docPath := ofdPath("", root.Bodies[0].Root)
	var doc struct {
		Pages []struct {
			BaseLoc string `xml:"BaseLoc,attr"`
		} `xml:"Pages>Page"`
	}
	if err := e.readZipXML(files, docPath, &doc); err != nil {
		return res, fmt.Errorf("ofd %s: %s: %w", source, docPath, err)
	}
	if len(doc.Pages) == 0 {
		return res, fmt.Errorf("ofd %s: no pages in %s", source, docPath)
	}
	var pages []string
	for i, p := range doc.Pages {
		if i >= e.cfg.MaxPages {
			break
		}
		name := ofdPath(path.Dir(docPath), p.BaseLoc)
		text, err := e.readOFDPage(files, name)
		if err != nil {
			return res, fmt.Errorf("ofd %s: page %d (%s): %w", source, i+1, name, err)
		}
		pages = append(pages, text)
	}
	res.text = cleanPages(pages)
	if res.text == "" {
		res.flags = []string{corpus.FlagScanned, corpus.FlagLowQuality}
		return res, fmt.Errorf("ofd %s: no text on %d pages: scanned", source, len(pages))
	}
	res.quality = quality(res.text)
	if res.quality < e.cfg.MinQuality {
		res.flags = []string{corpus.FlagLowQuality}
		return res, fmt.Errorf("ofd %s: text implausible (quality %.2f)", source, res.quality)
	}
	return res, nil
}

// ofdPath resolves a location inside the package: absolute ("/Doc_0/…")
// from the root, relative from dir.
func ofdPath(dir, loc string) string {
	loc = strings.ReplaceAll(strings.TrimSpace(loc), "\\", "/")
	if strings.HasPrefix(loc, "/") {
		return strings.TrimPrefix(path.Clean(loc), "/")
	}
	return strings.TrimPrefix(path.Clean("/"+path.Join(dir, loc)), "/")
}

func (e *Extractor) readZipXML(files map[string]*zip.File, name string, v any) error {
	f := files[name]
	if f == nil {
		return fmt.Errorf("missing from the package")
	}
	rc, r, err := e.openCapped(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(r).Decode(v)
}

// ofdGlyphRun is one TextCode at its absolute position.
type ofdGlyphRun struct {
	x, y, size float64
	text       string
}

// readOFDPage collects the page's TextCodes and orders them into lines:
// runs whose baselines lie within half a font size share a line, lines go
// top to bottom and runs left to right.
func (e *Extractor) readOFDPage(files map[string]*zip.File, name string) (string, error) {
	f := files[name]
	if f == nil {
		return "", fmt.Errorf("missing from the package")
	}
	rc, r, err := e.openCapped(f)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	dec := xml.NewDecoder(r)
	var runs []ofdGlyphRun
	var objX, objY, size float64
	var cur *ofdGlyphRun
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
			switch t.Name.Local {
			case "TextObject":
				objX, objY, size = 0, 0, 0
				if b := strings.Fields(attrVal(t, "Boundary")); len(b) >= 2 {
					objX, _ = strconv.ParseFloat(b[0], 64)
					objY, _ = strconv.ParseFloat(b[1], 64)
				}
				size, _ = strconv.ParseFloat(attrVal(t, "Size"), 64)
			case "TextCode":
				x, _ := strconv.ParseFloat(attrVal(t, "X"), 64)
				y, _ := strconv.ParseFloat(attrVal(t, "Y"), 64)
				runs = append(runs, ofdGlyphRun{x: objX + x, y: objY + y, size: size})
				cur = &runs[len(runs)-1]
			}
		case xml.EndElement:
			if t.Name.Local == "TextCode" {
				cur = nil
			}
		case xml.CharData:
			if cur != nil {
				cur.text += string(t)
			}
		}
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].y < runs[j].y })
	var lines []string
	for i := 0; i < len(runs); {
		tol := max(runs[i].size/2, 1)
		j := i + 1
		for j < len(runs) && runs[j].y-runs[i].y <= tol {
			j++
		}
		line := runs[i:j]
		sort.SliceStable(line, func(a, b int) bool { return line[a].x < line[b].x })
		var b strings.Builder
		for k, run := range line {
			if k > 0 {
				prev := line[k-1]
				// A gap wider than two characters separates words or cells.
				if run.x-prev.x > float64(len([]rune(prev.text))+2)*max(prev.size, 1) {
					b.WriteByte(' ')
				}
			}
			b.WriteString(run.text)
		}
		lines = append(lines, b.String())
		i = j
	}
	return strings.Join(lines, "\n"), nil
}
