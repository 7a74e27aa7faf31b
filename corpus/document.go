package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Kind is a document kind as defined in spec/clauses.md §1.
type Kind string

// The document kinds of the spec. The empty Kind means "not determined";
// the metadata stage never guesses.
const (
	KindLaw                      Kind = "law"
	KindAdministrativeRegulation Kind = "administrative-regulation"
	KindDepartmentalRule         Kind = "departmental-rule"
	KindLocalRegulation          Kind = "local-regulation"
	KindLocalGovernmentRule      Kind = "local-government-rule"
	KindNormativeDocument        Kind = "normative-document"
	KindMOU                      Kind = "mou"
	KindJudicialInterpretation   Kind = "judicial-interpretation"
	KindDraft                    Kind = "draft"
	KindList                     Kind = "list"
	KindOther                    Kind = "other"
)

// Kinds lists every valid Kind in spec order.
var Kinds = []Kind{KindLaw, KindAdministrativeRegulation, KindDepartmentalRule,
	KindLocalRegulation, KindLocalGovernmentRule, KindNormativeDocument, KindMOU,
	KindJudicialInterpretation, KindDraft, KindList, KindOther}

// Tag names of spec §4.
const (
	TagSanction     = "sanction"
	TagReward       = "reward"
	TagScope        = "scope"
	TagListCriteria = "list_criteria"
	TagRepair       = "repair"
	TagSafeguard    = "safeguard"
	TagData         = "data"
)

// Tags lists the clause tags in spec order.
var Tags = []string{TagSanction, TagReward, TagScope, TagListCriteria, TagRepair, TagSafeguard, TagData}

// SanctionCategories lists the sanction categories of spec §5 in spec order.
var SanctionCategories = []string{"market_access", "procurement", "finance", "consumption",
	"travel", "position", "honors", "subsidies", "supervision", "disclosure", "other"}

// Metadata is the document metadata of spec §2. Every field is left empty
// when the source does not state it: an empty field means "not found",
// never "guessed".
type Metadata struct {
	Title     string   `json:"title"`
	Issuers   []string `json:"issuers"`
	DocNumber string   `json:"doc_number"` // 发文字号, normalised to 〔〕
	Issued    string   `json:"issued"`     // ISO date, 成文/发布日期
	Effective string   `json:"effective"`  // ISO date, 施行日期
	Kind      Kind     `json:"kind"`
	Region    string   `json:"region"` // "national" or a province/city name
}

// Quality flags set by the extract stage.
const (
	FlagScanned      = "scanned"       // no text layer
	FlagUnmappedFont = "unmapped-font" // glyphs without a usable Unicode map
	FlagLowQuality   = "low-quality"   // implausible text; do not trust it
)

// Link is a hyperlink found in a page, typically an attachment (附件).
type Link struct {
	URL   string `json:"url"`
	Title string `json:"title"`
}

// Document is the unit that flows through the stages. A stage reads the
// fields filled by the stages before it and fills its own; its doc comment
// says which. Documents are not safe for concurrent mutation: the runner
// hands each document to one goroutine at a time.
type Document struct {
	// ID is stable across runs: derived from the canonical source (URL or
	// absolute path), so re-ingesting a changed file replaces its document.
	ID          string    `json:"id"`
	Source      string    `json:"source"`       // URL, or file path for local ingests
	RawHash     string    `json:"raw_sha256"`   // hex sha256 of Raw; names the blob file
	ContentType string    `json:"content_type"` // media type, e.g. "application/pdf"
	FetchedAt   time.Time `json:"fetched_at"`   // fetch or ingest time (UTC)
	Raw         []byte    `json:"-"`            // the source bytes; kept out of JSON

	Metadata

	// Filled by extract.
	Text        string   `json:"text,omitempty"`      // clean UTF-8, one paragraph per line
	Extractor   string   `json:"extractor,omitempty"` // which extractor produced Text
	Quality     float64  `json:"quality,omitempty"`   // 0..1 text-quality score; 0 when not scored
	Flags       []string `json:"flags,omitempty"`     // Flag* constants
	Attachments []Link   `json:"attachments,omitempty"`
	// PageMeta holds label/value pairs the page states explicitly (发文机关,
	// 发文字号, 成文日期 …) for the metadata stage to normalise.
	PageMeta map[string]string `json:"page_meta,omitempty"`

	// Filled by structure, then by segment and tag.
	Clauses []Clause `json:"clauses,omitempty"`

	// Measures are the measure items of an MOU or measure list, one per
	// item, built by tag from the clauses: the table of which measures rest
	// on law and which only on policy.
	Measures []Measure `json:"measures,omitempty"`

	// Err is the per-document failure, if any stage failed on it. A failed
	// document is recorded and counted; the batch goes on.
	Err *StageError `json:"error,omitempty"`
}

// Clause is the smallest provision unit of spec §3.
type Clause struct {
	ID   string `json:"id"`   // derived from the document ID and Path
	Path string `json:"path"` // e.g. 第三章/第二十一条/第2款/（三） or 二/（一）/1
	// Label is the marker that opened the clause (第二十一条, （三）, 1.),
	// empty for unnumbered paragraphs. Text does not repeat it.
	Label string `json:"label,omitempty"`
	Text  string `json:"text"`
	// Headings are the titles of the enclosing 编/章/节 and bare headings
	// (第三章 失信惩戒, 三、惩戒措施及实施单位): context, not proof.
	Headings []string `json:"headings,omitempty"`
	// Parent is the Path of the lead-in clause this item belongs to (the
	// paragraph ending in 下列措施：), empty for top-level clauses.
	Parent string `json:"parent,omitempty"`
	// Offset is the byte offset of Text's first line in Document.Text, or -1.
	Offset int `json:"offset"`

	// Tokens are the gse segments of Text (precise mode), filled by segment.
	Tokens []string `json:"tokens,omitempty"`

	// Filled by tag (spec §4-6).
	Tags               []string   `json:"tags"`
	SanctionCategories []string   `json:"sanction_categories"`
	Agencies           []string   `json:"agencies"`
	LegalBasis         []string   `json:"legal_basis"`
	Duration           string     `json:"duration"`
	Evidence           []Evidence `json:"evidence"`

	// Normalised forms of the fields above, filled by tag. The spec fields
	// keep the text as written; these are for counting and joining.
	//
	// AgenciesCanonical holds each agency's canonical name through the
	// alias table (人民银行 → 中国人民银行); a body since renamed or merged
	// (银监会) keeps its historical name in Agencies and gains its current
	// one here (国家金融监督管理总局).
	AgenciesCanonical []string `json:"agencies_canonical,omitempty"`
	// Citations are the LegalBasis values parsed: one per cited article.
	Citations []Citation `json:"citations,omitempty"`
	// DurationMonths is Duration in months (一至三年 → 12–36), nil when
	// there is no duration.
	DurationMonths *MonthRange `json:"duration_months,omitempty"`
}

// Citation is one cited instrument, with article, paragraph and item when
// given (0 when not).
type Citation struct {
	Title     string `json:"title"` // without 《》
	Article   int    `json:"article,omitempty"`
	Paragraph int    `json:"paragraph,omitempty"`
	Item      int    `json:"item,omitempty"`
	Text      string `json:"text"` // the legal_basis value it came from
}

// MonthRange is a period in months; Min == Max for a single value.
type MonthRange struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// MeasureLineLabels are the labels of the lines an MOU writes under a
// measure (实施单位：…, 法律依据：…), as a regexp alternation: the structure
// keeps such lines with their measure, the tagger reads the measure's text
// without them.
const MeasureLineLabels = `实施单位|实施部门|责任单位|责任部门|牵头单位|牵头部门|配合单位|配合部门|执行单位|执行部门|法律依据|政策依据|法律及政策依据|依据`

// Measure is one measure item of an MOU or measure list (issue 4).
type Measure struct {
	ClauseID string `json:"clause_id"`
	Path     string `json:"path"`
	Ordinal  string `json:"ordinal"` // the item marker as written: （一）, 1.
	// Text is the measure without its 实施单位 and 法律依据 lines.
	Text string `json:"text"`
	// Kind is the clause tag that makes it a measure: sanction or reward.
	Kind              string     `json:"kind"`
	Categories        []string   `json:"categories"`
	Agencies          []string   `json:"agencies"`
	AgenciesCanonical []string   `json:"agencies_canonical"`
	LegalBasis        []string   `json:"legal_basis"`
	Citations         []Citation `json:"citations"`
	HasLegalBasis     bool       `json:"has_legal_basis"`
}

// Evidence says why a clause carries a tag or field value: the rule that
// produced it and the span of clause text it matched.
type Evidence struct {
	Field string `json:"field"` // "tag", "sanction_category", "agency", "legal_basis", "duration"
	Value string `json:"value"`
	Rule  string `json:"rule"`
	Span  string `json:"span"`
	// Start and End are byte offsets into the clause Text, or -1 when the
	// span came from context (a lead-in or heading) rather than the clause.
	Start int `json:"start"`
	End   int `json:"end"`
}

// DocumentID derives the stable document ID from its canonical source.
func DocumentID(source string) string {
	sum := sha256.Sum256([]byte(source))
	return hex.EncodeToString(sum[:8])
}

// ClauseID derives the stable clause ID from the document ID and the path.
func ClauseID(docID, path string) string {
	sum := sha256.Sum256([]byte(docID + "\x00" + path))
	return docID + "-" + hex.EncodeToString(sum[:6])
}

// HashRaw returns the hex sha256 of raw bytes, the blob name in the store.
func HashRaw(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// StageError is a per-document failure: which stage, which source, why.
type StageError struct {
	Stage  string `json:"stage"`
	Source string `json:"source"`
	Msg    string `json:"message"`
	err    error
}

func (e *StageError) Error() string { return e.Stage + " " + e.Source + ": " + e.Msg }

// Unwrap returns the underlying error (nil after a JSON round trip).
func (e *StageError) Unwrap() error { return e.err }

// SetError marks d as failed in stage with err. It keeps the first failure:
// later stages do not run on a failed document, so the first is the cause.
func (d *Document) SetError(stage string, err error) {
	if d.Err != nil || err == nil {
		return
	}
	d.Err = &StageError{Stage: stage, Source: d.Source, Msg: err.Error(), err: err}
}

// Failed reports whether a stage failed on d.
func (d *Document) Failed() bool { return d.Err != nil }

// ErrUnsupported is returned by an extractor for a format it cannot read.
var ErrUnsupported = errors.New("unsupported format")

// PanicError turns a recovered panic into an error naming the stage, so no
// panic escapes a stage (a malformed file must not stop the batch).
func PanicError(stage string, v any) error {
	return fmt.Errorf("internal error in %s (recovered panic): %v", stage, v)
}
