package dataset

// Type is a column type. Each maps to a Frictionless field type, a
// Parquet logical type and a CSV/JSON rendering (see the codebook).
type Type int

// Column types.
const (
	String    Type = iota // UTF-8 text; "" when absent
	Int                   // 64-bit integer; null when absent
	Float                 // double; null when absent
	Bool                  // true or false
	Date                  // calendar date YYYY-MM-DD; null when absent
	Timestamp             // instant in UTC, RFC 3339
	List                  // list of strings
)

// Frictionless returns the Frictionless Table Schema type name.
func (t Type) Frictionless() string {
	return [...]string{"string", "integer", "number", "boolean", "date", "datetime", "array"}[t]
}

// Parquet returns the Parquet type written, for the codebook.
func (t Type) Parquet() string {
	return [...]string{"BYTE_ARRAY (STRING)", "INT64, optional", "DOUBLE, optional", "BOOLEAN",
		"INT32 (DATE), optional", "INT64 (TIMESTAMP millis, UTC)", "LIST<STRING>"}[t]
}

// Column is one column of a table.
type Column struct {
	Name        string
	Type        Type
	Description string
}

// Table is one tidy table: one row per entity, a stable primary key.
type Table struct {
	Name        string
	Description string
	Key         []string // primary key columns
	// Refs are foreign keys: column -> "table.column".
	Refs    map[string]string
	Columns []Column
}

// ListSeparator joins list values in a CSV cell. Split on it to get the
// list back; it does not occur in the values scs produces (Chinese text
// uses full-width punctuation).
const ListSeparator = "|"

// CodingMethod says how a value was coded; every value scs exports comes
// from its rules (corpus/data/rules.yaml), each row naming the rule.
const CodingMethod = "rule"

// The table names.
const (
	TDocuments       = "documents"
	TAttachments     = "attachments"
	TClauses         = "clauses"
	TTags            = "tags"
	TMeasures        = "measures"
	TMeasureAgencies = "measure_agencies"
	TLegalBases      = "legal_bases"
	TAgencies        = "agencies"
	TCitations       = "citations"
)

// Tables defines every exported table, in export order.
var Tables = []Table{
	{Name: TDocuments, Key: []string{"doc_id"},
		Description: "One row per document in the corpus: its source, metadata (spec §2) and parse outcome.",
		Columns: []Column{
			{"doc_id", String, "Stable document id: the first 16 hex digits of sha256(source)."},
			{"source", String, "Where the document came from: URL, or file path for local ingests."},
			{"title", String, "Title of the document (标题), without 《》."},
			{"doc_number", String, "发文字号 as stated, normalised to 〔〕 brackets; empty when none."},
			{"kind", String, "Document kind (spec §1): law, administrative-regulation, departmental-rule, local-regulation, local-government-rule, normative-document, mou, judicial-interpretation, draft, list, other; empty when not determined."},
			{"region", String, "\"national\" or the province/city name as written (上海市); empty when not determined."},
			{"issuers", List, "Issuing bodies (发文机关) as written, in the document's order."},
			{"issued", Date, "Issue date (成文/发布日期)."},
			{"effective", Date, "Effective date (施行日期)."},
			{"content_type", String, "Media type of the source bytes (text/html, application/pdf …)."},
			{"raw_sha256", String, "sha256 of the source bytes: the archived raw file (DATA/blobs/xx/<sha256>)."},
			{"fetched_at", Timestamp, "When the source bytes were fetched or ingested (UTC)."},
			{"status", String, "parsed, or failed (a stage failed: see error_stage and error)."},
			{"error_stage", String, "The stage that failed (read, extract, structure, segment, tag …); empty when parsed."},
			{"error", String, "Why it failed; empty when parsed."},
			{"extractor", String, "The extractor that produced the text (html, pdf, docx, text, markdown)."},
			{"quality", Float, "Text-quality score 0..1 of the extracted text; null when not scored."},
			{"flags", List, "Quality flags: scanned, unmapped-font, low-quality."},
			{"n_clauses", Int, "Number of clauses (rows in clauses for this document)."},
			{"n_attachments", Int, "Number of attachment links (rows in attachments)."},
		}},
	{Name: TAttachments, Key: []string{"attachment_id"}, Refs: map[string]string{"doc_id": "documents.doc_id"},
		Description: "One row per attachment link (附件) found in a document's page.",
		Columns: []Column{
			{"attachment_id", String, "Stable id: doc_id-a<ordinal>."},
			{"doc_id", String, "The document linking to it."},
			{"ordinal", Int, "Position among the document's attachments, from 1."},
			{"url", String, "The link target as found (absolute when the page gave a base)."},
			{"title", String, "The link text."},
		}},
	{Name: TClauses, Key: []string{"clause_id"}, Refs: map[string]string{"doc_id": "documents.doc_id"},
		Description: "One row per clause (spec §3): the smallest provision unit, with its tags and fields (spec §4-6).",
		Columns: []Column{
			{"clause_id", String, "Stable clause id: doc_id-<12 hex digits of sha256(doc_id, path)>."},
			{"doc_id", String, "The document."},
			{"ordinal", Int, "Position of the clause in the document, from 1."},
			{"path", String, "Place in the document: 第三章/第二十一条/第2款/（三） or 二/（一）/1."},
			{"label", String, "The marker that opened the clause (第二十一条, （三）, 1.); empty for unnumbered paragraphs."},
			{"parent_path", String, "Path of the lead-in clause this item belongs to (…下列措施：); empty for top-level clauses."},
			{"headings", List, "Titles of the enclosing 编/章/节 and bare headings: context, not proof."},
			{"text", String, "The clause text, without its label."},
			{"byte_offset", Int, "Byte offset of the text's first line in the document's extracted text; null when unknown."},
			{"tags", List, "Clause tags (spec §4): sanction, reward, scope, list_criteria, repair, safeguard, data."},
			{"sanction_categories", List, "Sanction categories (spec §5) on sanction clauses."},
			{"agencies", List, "Implementing agencies named, as written."},
			{"legal_basis", List, "Legal-basis citations, as written (《…》第…条)."},
			{"duration", String, "Duration stated (listing, publication, restriction), as written; empty when none."},
		}},
	{Name: TTags, Key: []string{"tag_id"}, Refs: map[string]string{"clause_id": "clauses.clause_id", "doc_id": "documents.doc_id"},
		Description: "One row per tag or field value of a clause, with its evidence: the rule that produced it and the span it matched.",
		Columns: []Column{
			{"tag_id", String, "Stable id: clause_id-t<ordinal>."},
			{"clause_id", String, "The clause."},
			{"doc_id", String, "The clause's document."},
			{"field", String, "What is coded: tag, sanction_category, agency, legal_basis, duration."},
			{"value", String, "The value (for field=tag, the tag name)."},
			{"rule", String, "Id of the rule that produced it (corpus/data/rules.yaml); empty when the tagger gave no evidence."},
			{"span", String, "The text the rule matched."},
			{"span_start", Int, "Byte offset of the span in the clause text; null when the span came from context (a lead-in or heading)."},
			{"span_end", Int, "Byte offset just past the span; null like span_start."},
			{"from_context", Bool, "True when the evidence is in the lead-in or a heading, not in the clause itself."},
			{"coding_method", String, "How the value was coded: rule (the scs rule engine)."},
		}},
	{Name: TMeasures, Key: []string{"measure_id"}, Refs: map[string]string{"clause_id": "clauses.clause_id", "doc_id": "documents.doc_id"},
		Description: "One row per sanction or reward measure of an MOU or measure list, as the tagger records them (Document.Measures); for documents parsed before the tagger recorded measures, a numbered item tagged sanction or reward in an MOU or list under a heading or lead-in about measures (措施).",
		Columns: []Column{
			{"measure_id", String, "Stable id: clause_id-m."},
			{"doc_id", String, "The MOU or list."},
			{"clause_id", String, "The clause stating the measure."},
			{"ordinal", String, "The item's label as written: （一）, 1., 第五条 …"},
			{"path", String, "The clause path."},
			{"text", String, "The measure text (with its 实施单位/法律依据 lines when the document has them)."},
			{"categories", List, "Sanction categories (spec §5)."},
			{"polarity", String, "punish (sanction tag) or reward (reward tag)."},
			{"agencies", List, "Implementing agencies (实施单位) as written."},
			{"legal_basis", List, "Legal-basis citations as written."},
			{"has_legal_basis", Bool, "True when at least one legal basis is cited for the measure."},
			{"wording_strength", String, "Strength of the wording, from the first cue found: prohibit (禁止/不得/不予), restrict (限制/取消/暂停), strict_review (从严审核/从严), reference (参考/作为…依据), other."},
			{"duration", String, "Duration stated, as written."},
			{"coding_method", String, "rule."},
		}},
	{Name: TMeasureAgencies, Key: []string{"measure_id", "agency"}, Refs: map[string]string{"measure_id": "measures.measure_id", "canonical": "agencies.canonical"},
		Description: "One row per measure and implementing agency: the agency × measure matrix.",
		Columns: []Column{
			{"measure_id", String, "The measure."},
			{"doc_id", String, "The measure's document."},
			{"agency", String, "The agency as written."},
			{"canonical", String, "Its canonical name (agencies table); the name as written when the alias table does not know it."},
			{"role", String, "implementing."},
		}},
	{Name: TLegalBases, Key: []string{"basis_id"}, Refs: map[string]string{"clause_id": "clauses.clause_id", "doc_id": "documents.doc_id"},
		Description: "One row per legal-basis citation of a clause (法律依据), split into the cited title and its article reference.",
		Columns: []Column{
			{"basis_id", String, "Stable id: clause_id-b<ordinal>."},
			{"doc_id", String, "The citing document."},
			{"clause_id", String, "The citing clause."},
			{"measure_id", String, "The measure, when the clause is one (measures table); else empty."},
			{"citation", String, "The citation as written."},
			{"title", String, "The cited instrument's title without 《》; empty when the citation names none."},
			{"article", String, "The article/paragraph/item reference as written (第六十三条第二款); empty when none."},
			{"cited_doc_id", String, "The corpus document with that title, when there is one; else empty."},
		}},
	{Name: TAgencies, Key: []string{"alias"},
		Description: "The agency alias table (corpus/data/agencies.tsv): every name as written that scs maps to a canonical name, and each canonical name to itself.",
		Columns: []Column{
			{"agency_id", String, "Stable id of the canonical agency: 12 hex digits of sha256(canonical)."},
			{"canonical", String, "The canonical name."},
			{"alias", String, "A name as written (the canonical name is its own alias)."},
		}},
	{Name: TCitations, Key: []string{"citation_id"}, Refs: map[string]string{"clause_id": "clauses.clause_id", "doc_id": "documents.doc_id"},
		Description: "Document → cited document edges: every 《title》 named in a clause's text, resolved to a corpus document when one has that title. An edge list for graph tools.",
		Columns: []Column{
			{"citation_id", String, "Stable id: clause_id-c<ordinal>."},
			{"doc_id", String, "The citing document."},
			{"clause_id", String, "The citing clause."},
			{"cited_title", String, "The title inside 《》."},
			{"cited_doc_id", String, "The corpus document with that title; empty when the corpus has none."},
			{"resolved", Bool, "True when cited_doc_id is set."},
		}},
}

// TableByName returns the named table definition.
func TableByName(name string) (Table, bool) {
	for _, t := range Tables {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

// ColumnIndex returns the position of column name in table, or panics:
// callers name columns of Tables, so a miss is a programming error that
// the tests catch.
func ColumnIndex(table, name string) int {
	t, _ := TableByName(table)
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	panic("dataset: no column " + table + "." + name)
}
