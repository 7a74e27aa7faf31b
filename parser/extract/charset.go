package extract

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// lateMeta finds a charset declaration anywhere in the page: x/net's
// prescan only looks at the first 1024 bytes, and gov pages often put long
// scripts and comments before their <meta>.
var lateMeta = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)`)

// decodeHTML converts an HTML page to UTF-8. It follows the recipe of
// research/libraries.md §3: the HTTP header, BOM and early <meta> decide
// when they are certain and consistent with the bytes; otherwise a late
// <meta>, valid UTF-8, and finally GB18030 (a superset of GBK and GB2312,
// the encodings of legacy Chinese government sites). It returns the text
// and the name of the encoding used, for the log.
func decodeHTML(b []byte, contentType string) (string, string) {
	enc, name, certain := charset.DetermineEncoding(b, contentType)
	valid := utf8.Valid(b)
	switch {
	case name == "utf-8":
		if valid {
			return stripBOM(string(b)), "utf-8"
		}
		return decodeWith(simplifiedchinese.GB18030, b), "gb18030 (declared utf-8, bytes invalid)"
	case name == "windows-1252" && !certain:
		if m := lateMeta.FindSubmatch(b); m != nil {
			if e, n := charset.Lookup(string(m[1])); e != nil && n != "windows-1252" {
				if n == "utf-8" && !valid {
					return decodeWith(simplifiedchinese.GB18030, b), "gb18030 (late meta utf-8, bytes invalid)"
				}
				return decodeWith(e, b), n + " (late meta)"
			}
		}
		if valid {
			return stripBOM(string(b)), "utf-8 (sniffed)"
		}
		return decodeWith(simplifiedchinese.GB18030, b), "gb18030 (undeclared)"
	case isLatin(name) && !valid:
		// A Chinese site labelled Latin-1 is mislabelled far more often
		// than it is Latin-1; trust GB18030 if it decodes cleanly.
		if s := decodeWith(simplifiedchinese.GB18030, b); !strings.ContainsRune(s, utf8.RuneError) {
			return s, "gb18030 (declared " + name + ")"
		}
	case isGB(name) && valid && nonASCIIRunes(b) >= 8:
		// Re-saved pages keep a stale gb2312 meta over UTF-8 bytes. Real
		// GBK text of this length is practically never valid UTF-8.
		return stripBOM(string(b)), "utf-8 (declared " + name + ", bytes utf-8)"
	}
	return decodeWith(enc, b), name
}

// decodeText converts plain text: BOMs first, then UTF-16 without a BOM
// (NUL-interleaved), then UTF-8, and GB18030 when the bytes are not UTF-8.
func decodeText(b []byte) (string, string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(b[3:]), "\uFFFD"), "utf-8 (bom)"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), b), "utf-16le"
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), b), "utf-16be"
	}
	if e, name := sniffUTF16(b); e != nil {
		return decodeWith(e, b), name
	}
	if utf8.Valid(b) {
		return string(b), "utf-8"
	}
	return decodeWith(simplifiedchinese.GB18030, b), "gb18030"
}

// sniffUTF16 recognises BOM-less UTF-16 by NUL bytes at even or odd
// offsets, which ASCII-heavy UTF-16 text has and other text never has.
func sniffUTF16(b []byte) (encoding.Encoding, string) {
	n := min(len(b), 512) &^ 1
	if n < 8 {
		return nil, ""
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	switch {
	case odd*3 > half && even*10 < half:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le (sniffed)"
	case even*3 > half && odd*10 < half:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be (sniffed)"
	}
	return nil, ""
}

func decodeWith(e encoding.Encoding, b []byte) string {
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		// Decoders replace invalid input; an error here means the
		// transformer gave up, so salvage what can be read.
		out = bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return stripBOM(strings.ToValidUTF8(string(out), "\uFFFD"))
}

func stripBOM(s string) string { return strings.TrimPrefix(s, "\uFEFF") }

func isLatin(name string) bool {
	return name == "windows-1252" || name == "iso-8859-1" || name == "iso-8859-15"
}

func isGB(name string) bool {
	return name == "gbk" || name == "gb18030" || name == "gb2312"
}

func nonASCIIRunes(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r >= 0x80 {
			n++
		}
		b = b[size:]
	}
	return n
}
