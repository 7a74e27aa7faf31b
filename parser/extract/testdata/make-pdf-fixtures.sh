#!/usr/bin/env bash
# Regenerates the PDF fixtures made from our own .ref.txt texts. Not run by
# tests or CI (the PDFs are committed); needs LibreOffice (Debian:
# libreoffice-writer-nogui), fonts-noto-cjk and poppler-utils.
#
#   gazette-2col.pdf        two columns, running header with the issue,
#                           footer 第N页, Noto Serif CJK (simple Type 1 subsets)
#   memorandum.pdf          one column, 2 pages (too few for repetition to
#                           tell a header), header line, footer N/M, Latin
#                           words; WenQuanYi Zen Hei (fonts-wqy-zenhei), TrueType
#   memorandum-cairo.pdf    the same rewritten by pdftocairo (CID TrueType, Identity-H)
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# fodt NAME COLUMNS FONTSIZE FONT HEADER FOOTER-XML
fodt() {
  local name=$1 cols=$2 size=$3 font=$4 header=$5 footer=$6
  {
    cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:font-face-decls>
  <style:font-face style:name="${font}" svg:font-family="'${font}'"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:margin-bottom="0.15cm" fo:text-indent="0.99cm" fo:text-align="justify"/>
   <style:text-properties style:font-name="${font}" fo:font-size="${size}pt" style:font-name-asian="${font}" style:font-size-asian="${size}pt"/>
  </style:default-style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.4cm" fo:margin-right="2.4cm">
    <style:columns fo:column-count="${cols}" fo:column-gap="0.8cm"/>
   </style:page-layout-properties>
   <style:header-style/>
   <style:footer-style/>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p>${header}</text:p></style:header>
   <style:footer><text:p>${footer}</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body>
  <office:text>
XML
    sed -e 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s|.*|  <text:p>&</text:p>|' "$name.ref.txt"
    echo '  </office:text>'
    echo ' </office:body>'
    echo '</office:document>'
  } >"$tmp/$name.fodt"
  soffice --headless --convert-to pdf --outdir "$tmp" "$tmp/$name.fodt" >/dev/null
  cp "$tmp/$name.pdf" "$name.pdf"
}

fodt gazette-2col 2 17 'Noto Serif CJK SC' '清河市人民政府公报　2024年第3期' '第<text:page-number text:select-page="current">1</text:page-number>页'
fodt memorandum 1 16 'WenQuanYi Zen Hei' '清河市社会信用体系建设领导小组办公室' '<text:page-number text:select-page="current">1</text:page-number>/<text:page-count>2</text:page-count>'
pdftocairo -pdf memorandum.pdf memorandum-cairo.pdf
