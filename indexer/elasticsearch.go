package indexer

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/elastic/go-elasticsearch/v8"

	"github.com/scs-project/scs/corpus"
)

var _ Index = (*Elasticsearch)(nil)

// esMappingVersion names the mappings below. An index written with other
// mappings is refused (Open) until `scs index --rebuild` builds a new
// version behind the aliases.
const esMappingVersion = "1"

// Substring recall (see the package documentation): the folded clause text
// is indexed as keyword chunks of at most esChunkRunes runes (a Lucene term
// holds at most 32766 bytes; 4000 runes are at most 16000 bytes), each
// overlapping the next by esChunkOverlap runes, so any term of up to
// esChunkOverlap runes that occurs in the clause lies whole inside a chunk.
const (
	esChunkRunes   = 4000
	esChunkOverlap = 256
)

// ClientConfig says how to reach an Elasticsearch cluster. The command line
// fills it from flags and the environment; this package reads neither.
type ClientConfig struct {
	URL      string // e.g. http://127.0.0.1:9200; several separated by commas
	APIKey   string // base64 API key (the "encoded" value), or
	Username string // basic authentication
	Password string
	CACert   []byte // PEM; trusted in addition to the system roots
	// MaxRetries for a request answered 429, 502, 503 or 504 or that could
	// not connect; default 4. Backoff is exponential from 200ms with jitter.
	MaxRetries int
}

// Redacted describes the configuration for logs: the URL without user
// information and which kind of credentials, never their values.
func (c ClientConfig) Redacted() string {
	auth := "none"
	switch {
	case c.APIKey != "":
		auth = "api-key"
	case c.Username != "":
		auth = "basic (user " + c.Username + ")"
	}
	u := c.URL
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.LastIndexByte(u[i+3:], '@'); j >= 0 {
			u = u[:i+3] + "***@" + u[i+3+j+1:]
		}
	}
	return fmt.Sprintf("%s (auth: %s, ca: %v)", u, auth, len(c.CACert) > 0)
}

// NewElasticsearchClient builds a client for cfg that retries 429 and 5xx
// answers with backoff (the client's default retries neither 429 nor with
// any delay; see research/libraries.md §4).
func NewElasticsearchClient(cfg ClientConfig) (*elasticsearch.Client, error) {
	if cfg.URL == "" {
		return nil, errors.New("elasticsearch: no URL")
	}
	retries := cfg.MaxRetries
	if retries <= 0 {
		retries = 4
	}
	ec := elasticsearch.Config{
		Addresses:     strings.Split(cfg.URL, ","),
		APIKey:        cfg.APIKey,
		Username:      cfg.Username,
		Password:      cfg.Password,
		RetryOnStatus: []int{429, 502, 503, 504},
		MaxRetries:    retries,
		RetryBackoff:  backoff,
	}
	if len(cfg.CACert) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(cfg.CACert) {
			return nil, errors.New("elasticsearch: CA certificate: no PEM certificate found")
		}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		ec.Transport = tr
	}
	c, err := elasticsearch.NewClient(ec)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch %s: %w", ClientConfig{URL: cfg.URL}.Redacted(), err)
	}
	return c, nil
}

// backoff is the wait before retry n (1-based): 200ms doubling, capped at
// 10s, with ±25% jitter so that parallel workers do not retry in step.
func backoff(n int) time.Duration {
	d := 200 * time.Millisecond << min(n-1, 6)
	d = min(d, 10*time.Second)
	return d*3/4 + time.Duration(rand.Int64N(int64(d)/2+1))
}

// ElasticsearchConfig configures OpenElasticsearch.
type ElasticsearchConfig struct {
	// Prefix names everything this index creates: aliases <prefix>-documents
	// and <prefix>-clauses, physical indices <alias>-v<N>, index templates
	// <alias>. Default "scs".
	Prefix string
	// Shards and Replicas of new physical indices (defaults 1 and 0: a
	// single node; set Replicas on a cluster).
	Shards, Replicas int
	// NoRefresh leaves changes to the cluster's refresh interval instead of
	// refreshing after every Put and Delete (faster bulk loads; searches
	// see the changes within a second).
	NoRefresh bool
	// Workers and FlushBytes of the bulk indexer (defaults 2 and 4 MB).
	Workers, FlushBytes int
	// ItemRetries is how often one bulk item rejected with 429 (or 5xx) is
	// re-sent, with backoff (default 5).
	ItemRetries int
	// Logger receives info and debug lines; nil discards them.
	Logger *slog.Logger
	// SnippetRunes is the length of a snippet window in runes (default 60).
	SnippetRunes int
	// ReadOnly opens an existing index for searching: no templates are
	// installed and nothing is created (an absent index is an error).
	ReadOnly bool
}

// Elasticsearch is the Index for analysts at scale (and Kibana on top):
// clauses and documents in two Elasticsearch indices behind aliases. It is
// safe for concurrent use. It needs only core Elasticsearch (it runs on the
// stripped integ-test distribution: no analysis-common, no reindex or
// delete-by-query, no scripts, no GET /).
//
// Layout: the aliases <prefix>-documents and <prefix>-clauses each point
// to one physical index <alias>-v<N>, created from an index template with
// a strict mapping (an unknown field is refused, never guessed). Keyword
// fields: tags, sanction_categories, agencies, kind, region, issuers,
// doc_number, legal_basis; dates (issued, effective) as dates with
// ignore_malformed; evidence kept in _source, not indexed. Each clause
// carries its document's fields, so a search reads one index. Rebuild
// builds version N+1 and swaps both aliases in one _aliases request.
//
// Recall equals a substring scan, as on SQLite: the folded clause text is
// also indexed as keyword chunks (text_exact), and every query term is a
// wildcard query *term* on them (escaped; the fold is done in Go on both
// sides). A wildcard over a keyword field is an automaton run over the
// terms dictionary: exact, and cheap for corpora of this size (hundreds of
// thousands of clauses); an n-gram index would need analysis-common and
// the wildcard field type needs a plugin the stripped distribution lacks.
// Ranking: BM25 of the term's gse words against text_seg (the CutSearch
// tokens, white-space analysed) plus a phrase match on text (standard
// analyser: one token per Han character, offsets kept for highlighting in
// Kibana). Snippets are cut in Go with the SQLite index's function, so
// both indexes mark the same 【matches】.
//
// Writes: esutil.BulkIndexer with ids from document and clause ids (a
// re-put overwrites); the stale clauses of a document are found by a
// doc_id search and deleted by id in the same bulk pass; items refused
// with 429 or 5xx are re-sent in a fresh bulk round after a backoff;
// other refusals come back as a *BulkError naming each document and the
// reason, the rest of the call being written.
type Elasticsearch struct {
	es  *elasticsearch.Client
	seg corpus.Segmenter
	cfg ElasticsearchConfig
	log *slog.Logger

	docsAlias, clausesAlias string
	// Where writes go: the aliases, or during a rebuild the new physical
	// indices.
	docsTarget, clausesTarget string
}

// OpenElasticsearch connects to the cluster behind client, installs the
// index templates, and creates the first version of both indices with
// their aliases when they do not exist yet. seg must be the segmenter the
// corpus uses; it segments clause text and queries.
func OpenElasticsearch(ctx context.Context, client *elasticsearch.Client, seg corpus.Segmenter, cfg ElasticsearchConfig) (*Elasticsearch, error) {
	if client == nil || seg == nil {
		return nil, errors.New("open elasticsearch index: no client or no segmenter")
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "scs"
	}
	if !validPrefix.MatchString(cfg.Prefix) {
		return nil, fmt.Errorf("open elasticsearch index: prefix %q: want lower-case letters, digits, - and _", cfg.Prefix)
	}
	if cfg.Shards <= 0 {
		cfg.Shards = 1
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.FlushBytes <= 0 {
		cfg.FlushBytes = 4 << 20
	}
	if cfg.ItemRetries <= 0 {
		cfg.ItemRetries = 5
	}
	if cfg.SnippetRunes <= 0 {
		cfg.SnippetRunes = 60
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e := &Elasticsearch{es: client, seg: seg, cfg: cfg, log: log,
		docsAlias: cfg.Prefix + "-documents", clausesAlias: cfg.Prefix + "-clauses"}
	e.docsTarget, e.clausesTarget = e.docsAlias, e.clausesAlias
	if err := e.init(ctx); err != nil {
		return nil, fmt.Errorf("open elasticsearch index %s: %w", cfg.Prefix, err)
	}
	return e, nil
}

var validPrefix = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Aliases returns the names searches go to: the documents alias and the
// clauses alias (for Kibana data views).
func (e *Elasticsearch) Aliases() (documents, clauses string) { return e.docsAlias, e.clausesAlias }

// Close releases nothing: the client's connections are pooled by net/http.
func (e *Elasticsearch) Close() error { return nil }

// init installs the templates and, when the aliases do not exist, creates
// version 1 of both indices behind them. An existing index whose mapping
// version differs is refused.
func (e *Elasticsearch) init(ctx context.Context) error {
	if e.cfg.ReadOnly {
		cur, err := e.aliasTargets(ctx)
		if err != nil {
			return err
		}
		if cur[e.clausesAlias] == "" {
			return fmt.Errorf("no index %s: run scs index first", e.clausesAlias)
		}
		return e.checkMapping(ctx)
	}
	for _, t := range []struct{ alias, mapping string }{{e.docsAlias, docsMapping}, {e.clausesAlias, clausesMapping}} {
		body := fmt.Sprintf(`{"index_patterns":[%q],"priority":200,"version":%s,"_meta":{"scs_mapping":%q},
			"template":{"settings":{"number_of_shards":%d,"number_of_replicas":%d},"mappings":%s}}`,
			t.alias+"-v*", esMappingVersion, esMappingVersion, e.cfg.Shards, e.cfg.Replicas, t.mapping)
		if err := e.do(ctx, http.MethodPut, "/_index_template/"+t.alias, body, nil); err != nil {
			return fmt.Errorf("index template %s: %w", t.alias, err)
		}
	}
	cur, err := e.aliasTargets(ctx)
	if err != nil {
		return err
	}
	if cur[e.docsAlias] == "" || cur[e.clausesAlias] == "" {
		if cur[e.docsAlias] != "" || cur[e.clausesAlias] != "" {
			return fmt.Errorf("only one of the aliases %s and %s exists: run scs index --rebuild", e.docsAlias, e.clausesAlias)
		}
		v, err := e.nextVersion(ctx)
		if err != nil {
			return err
		}
		if err := e.createVersion(ctx, v); err != nil {
			return err
		}
		if err := e.swapAliases(ctx, v); err != nil {
			if cur, err2 := e.aliasTargets(ctx); err2 == nil && cur[e.clausesAlias] != "" && cur[e.docsAlias] != "" {
				// Another process created them first: use theirs.
				e.deleteIndices(ctx, e.versionName(e.docsAlias, v), e.versionName(e.clausesAlias, v))
				return e.checkMapping(ctx)
			}
			return err
		}
		e.log.Info("elasticsearch: created indices", "version", v, "documents", e.docsAlias, "clauses", e.clausesAlias)
		return nil
	}
	return e.checkMapping(ctx)
}

// checkMapping refuses an index whose mapping version is not ours.
func (e *Elasticsearch) checkMapping(ctx context.Context) error {
	var m map[string]struct {
		Mappings struct {
			Meta map[string]string `json:"_meta"`
		} `json:"mappings"`
	}
	if err := e.do(ctx, http.MethodGet, "/"+e.clausesAlias+","+e.docsAlias+"/_mapping", "", &m); err != nil {
		return fmt.Errorf("mapping: %w", err)
	}
	for name, im := range m {
		if v := im.Mappings.Meta["scs_mapping"]; v != esMappingVersion {
			return fmt.Errorf("index %s has mapping version %q, this program writes %q: run scs index --rebuild", name, v, esMappingVersion)
		}
	}
	return nil
}

func (e *Elasticsearch) versionName(alias string, v int) string {
	return alias + "-v" + strconv.Itoa(v)
}

// aliasTargets returns the physical index behind each of our aliases ("" when
// the alias does not exist).
func (e *Elasticsearch) aliasTargets(ctx context.Context) (map[string]string, error) {
	var m map[string]struct {
		Aliases map[string]json.RawMessage `json:"aliases"`
	}
	err := e.do(ctx, http.MethodGet, "/_alias/"+e.docsAlias+","+e.clausesAlias, "", &m)
	var se *StatusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		// 404 when one or both are missing; the body still lists what exists.
		if jerr := json.Unmarshal(se.body, &m); jerr != nil {
			m = nil
		}
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("aliases: %w", err)
	}
	out := map[string]string{}
	for index, a := range m {
		for alias := range a.Aliases {
			if alias == e.docsAlias || alias == e.clausesAlias {
				out[alias] = index
			}
		}
	}
	return out, nil
}

// versions lists the versions of the physical clauses indices, ascending.
func (e *Elasticsearch) versions(ctx context.Context) ([]int, error) {
	var rows []struct {
		Index string `json:"index"`
	}
	err := e.do(ctx, http.MethodGet, "/_cat/indices/"+e.clausesAlias+"-v*,"+e.docsAlias+"-v*?format=json&h=index&expand_wildcards=all", "", &rows)
	if err != nil {
		return nil, fmt.Errorf("list indices: %w", err)
	}
	seen := map[int]bool{}
	var vs []int
	for _, r := range rows {
		for _, a := range []string{e.clausesAlias, e.docsAlias} {
			if s, ok := strings.CutPrefix(r.Index, a+"-v"); ok {
				if v, err := strconv.Atoi(s); err == nil && !seen[v] {
					seen[v] = true
					vs = append(vs, v)
				}
			}
		}
	}
	sort.Ints(vs)
	return vs, nil
}

func (e *Elasticsearch) nextVersion(ctx context.Context) (int, error) {
	vs, err := e.versions(ctx)
	if err != nil || len(vs) == 0 {
		return 1, err
	}
	return vs[len(vs)-1] + 1, nil
}

func (e *Elasticsearch) createVersion(ctx context.Context, v int) error {
	for _, a := range []string{e.docsAlias, e.clausesAlias} {
		name := e.versionName(a, v)
		if err := e.do(ctx, http.MethodPut, "/"+name+"?wait_for_active_shards=1", "", nil); err != nil {
			return fmt.Errorf("create index %s: %w", name, err)
		}
	}
	return nil
}

// swapAliases points both aliases at version v in one atomic _aliases
// request: a search sees the old version or the new one, never neither.
func (e *Elasticsearch) swapAliases(ctx context.Context, v int) error {
	var actions []string
	cur, err := e.aliasTargets(ctx)
	if err != nil {
		return err
	}
	for _, a := range []string{e.docsAlias, e.clausesAlias} {
		if old := cur[a]; old != "" {
			actions = append(actions, fmt.Sprintf(`{"remove":{"index":%q,"alias":%q}}`, old, a))
		}
		actions = append(actions, fmt.Sprintf(`{"add":{"index":%q,"alias":%q}}`, e.versionName(a, v), a))
	}
	return e.do(ctx, http.MethodPost, "/_aliases", `{"actions":[`+strings.Join(actions, ",")+`]}`, nil)
}

func (e *Elasticsearch) deleteIndices(ctx context.Context, names ...string) error {
	if len(names) == 0 {
		return nil
	}
	return e.do(ctx, http.MethodDelete, "/"+strings.Join(names, ",")+"?ignore_unavailable=true", "", nil)
}

// Rebuild builds a new version of both indices, lets fill put every
// document into it (fill receives an Index writing to the new version;
// searches keep going to the current one), then swaps both aliases to the
// new version atomically. The version before the current one is deleted;
// the current one is kept until the next rebuild, so a search that
// resolved the alias just before the swap still finishes. On error the new
// version is deleted and the aliases are unchanged.
func (e *Elasticsearch) Rebuild(ctx context.Context, fill func(ctx context.Context, w Index) error) (version int, err error) {
	v, err := e.nextVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("rebuild: %w", err)
	}
	newDocs, newClauses := e.versionName(e.docsAlias, v), e.versionName(e.clausesAlias, v)
	if err := e.createVersion(ctx, v); err != nil {
		return 0, fmt.Errorf("rebuild: %w", err)
	}
	w := *e
	w.docsTarget, w.clausesTarget = newDocs, newClauses
	w.cfg.NoRefresh = true
	cleanup := func(cause error) error {
		if derr := e.deleteIndices(context.WithoutCancel(ctx), newDocs, newClauses); derr != nil {
			return errors.Join(cause, fmt.Errorf("rebuild: delete unfinished version %d: %w", v, derr))
		}
		return cause
	}
	if err := fill(ctx, &w); err != nil {
		return 0, cleanup(fmt.Errorf("rebuild version %d: %w", v, err))
	}
	if err := e.refresh(ctx, newDocs, newClauses); err != nil {
		return 0, cleanup(fmt.Errorf("rebuild version %d: %w", v, err))
	}
	if err := e.swapAliases(ctx, v); err != nil {
		return 0, cleanup(fmt.Errorf("rebuild version %d: swap aliases: %w", v, err))
	}
	e.log.Info("elasticsearch: aliases swapped", "version", v)
	vs, err := e.versions(ctx)
	if err != nil {
		return v, nil // the rebuild succeeded; pruning can wait for the next one
	}
	var old []string
	for i, x := range vs {
		if x < v && i < len(vs)-2 { // keep v and the one it replaced
			old = append(old, e.versionName(e.docsAlias, x), e.versionName(e.clausesAlias, x))
		}
	}
	if err := e.deleteIndices(ctx, old...); err != nil {
		e.log.Warn("elasticsearch: could not delete old versions", "indices", old, "err", err)
	}
	return v, nil
}

// Stats returns the number of documents and clauses behind the aliases.
func (e *Elasticsearch) Stats(ctx context.Context) (docs, clauses int, err error) {
	for _, p := range []struct {
		name string
		n    *int
	}{{e.docsTarget, &docs}, {e.clausesTarget, &clauses}} {
		var r struct {
			Count int `json:"count"`
		}
		if err := e.do(ctx, http.MethodGet, "/"+p.name+"/_count", "", &r); err != nil {
			return 0, 0, fmt.Errorf("elasticsearch stats: %w", err)
		}
		*p.n = r.Count
	}
	return docs, clauses, nil
}

// StatusError is an error answer of Elasticsearch.
type StatusError struct {
	Method, Path string
	Status       int
	Reason       string
	body         []byte
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, e.Reason)
}

// do sends one request and decodes a 2xx JSON answer into out (if not nil).
func (e *Elasticsearch) do(ctx context.Context, method, path, body string, out any) error {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, path, rd)
	if err != nil {
		return err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := e.es.Perform(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if res.StatusCode >= 300 {
		return &StatusError{Method: method, Path: path, Status: res.StatusCode, Reason: errorReason(b), body: b}
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
		}
	}
	return nil
}

// errorReason extracts type and reason from an Elasticsearch error body.
func errorReason(b []byte) string {
	var r struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(b, &r) == nil && len(r.Error) > 0 {
		var ce esCause
		if json.Unmarshal(r.Error, &ce) == nil && ce.Type != "" {
			return ce.String()
		}
		return string(r.Error)
	}
	return truncateBytes(b, 300)
}

type esCause struct {
	Type     string   `json:"type"`
	Reason   string   `json:"reason"`
	CausedBy *esCause `json:"caused_by"`
}

func (c esCause) String() string {
	s := c.Type + ": " + c.Reason
	if c.CausedBy != nil && c.CausedBy.Reason != "" {
		s += " (caused by " + c.CausedBy.String() + ")"
	}
	return s
}

func truncateBytes(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return string(b[:n]) + "…"
}

func (e *Elasticsearch) refresh(ctx context.Context, names ...string) error {
	return e.do(ctx, http.MethodPost, "/"+strings.Join(names, ",")+"/_refresh", "", nil)
}

// esDoc is a document record in the documents index.
type esDoc struct {
	DocID              string   `json:"doc_id"`
	Title              string   `json:"title"`
	Source             string   `json:"source"`
	ContentType        string   `json:"content_type,omitempty"`
	RawSHA256          string   `json:"raw_sha256,omitempty"`
	Kind               string   `json:"kind,omitempty"`
	Region             string   `json:"region,omitempty"`
	Issuers            []string `json:"issuers,omitempty"`
	DocNumber          string   `json:"doc_number,omitempty"`
	Issued             string   `json:"issued,omitempty"`
	Effective          string   `json:"effective,omitempty"`
	Clauses            int      `json:"clauses"`
	Tags               []string `json:"tags,omitempty"`
	SanctionCategories []string `json:"sanction_categories,omitempty"`
	Agencies           []string `json:"agencies,omitempty"`
	IndexedAt          string   `json:"indexed_at"`
}

// esClause is a clause in the clauses index, with the document fields that
// searches filter on copied in (a search reads one index).
type esClause struct {
	ClauseID           string            `json:"clause_id"`
	DocID              string            `json:"doc_id"`
	Seq                int               `json:"seq"`
	Path               string            `json:"path"`
	Label              string            `json:"label,omitempty"`
	Parent             string            `json:"parent,omitempty"`
	Headings           []string          `json:"headings,omitempty"`
	Text               string            `json:"text"`
	TextExact          []string          `json:"text_exact"`
	TextSeg            string            `json:"text_seg"`
	Tags               []string          `json:"tags"`
	SanctionCategories []string          `json:"sanction_categories,omitempty"`
	Agencies           []string          `json:"agencies,omitempty"`
	LegalBasis         []string          `json:"legal_basis,omitempty"`
	Duration           string            `json:"duration,omitempty"`
	Evidence           []corpus.Evidence `json:"evidence,omitempty"`
	Title              string            `json:"title"`
	Source             string            `json:"source"`
	Kind               string            `json:"kind,omitempty"`
	Region             string            `json:"region,omitempty"`
	Issuers            []string          `json:"issuers,omitempty"`
	DocNumber          string            `json:"doc_number,omitempty"`
	Issued             string            `json:"issued,omitempty"`
}

// Field types shared by both mappings. Keyword fields that hold free text
// (titles, sources) ignore values too long for a term instead of failing
// the document; the labels of the tag rules are short by construction.
const (
	esKeyword  = `{"type":"keyword"}`
	esLongKW   = `{"type":"keyword","ignore_above":2048}`
	esDate     = `{"type":"date","format":"strict_date||strict_year_month||strict_year","ignore_malformed":true}`
	esTitle    = `{"type":"text","analyzer":"standard","fields":{"keyword":{"type":"keyword","ignore_above":1024}}}`
	esEvidence = `{"type":"object","enabled":false}`
)

var docsMapping = `{"dynamic":"strict","_meta":{"scs_mapping":"` + esMappingVersion + `"},"properties":{
	"doc_id":` + esKeyword + `,"title":` + esTitle + `,"source":` + esLongKW + `,
	"content_type":` + esKeyword + `,"raw_sha256":` + esKeyword + `,
	"kind":` + esKeyword + `,"region":` + esKeyword + `,"issuers":` + esKeyword + `,"doc_number":` + esKeyword + `,
	"issued":` + esDate + `,"effective":` + esDate + `,"clauses":{"type":"integer"},
	"tags":` + esKeyword + `,"sanction_categories":` + esKeyword + `,"agencies":` + esKeyword + `,
	"indexed_at":{"type":"date"}}}`

// The clause text is indexed three ways: text (standard analyser: one token
// per Han character, with offsets for highlighting in Kibana and phrase
// scoring), text_seg (the gse search-mode tokens, white-space analysed, for
// ranking) and text_exact (folded keyword chunks, not analysed, for exact
// substring recall with wildcard queries).
var clausesMapping = `{"dynamic":"strict","_meta":{"scs_mapping":"` + esMappingVersion + `"},"properties":{
	"clause_id":` + esKeyword + `,"doc_id":` + esKeyword + `,"seq":{"type":"integer"},
	"path":` + esLongKW + `,"label":` + esKeyword + `,"parent":` + esLongKW + `,
	"headings":{"type":"text","analyzer":"standard"},
	"text":{"type":"text","analyzer":"standard","index_options":"offsets"},
	"text_exact":{"type":"keyword","doc_values":false,"index_options":"docs","norms":false},
	"text_seg":{"type":"text","analyzer":"whitespace"},
	"tags":` + esKeyword + `,"sanction_categories":` + esKeyword + `,"agencies":` + esKeyword + `,
	"legal_basis":` + esLongKW + `,"duration":` + esKeyword + `,"evidence":` + esEvidence + `,
	"title":` + esTitle + `,"source":` + esLongKW + `,"kind":` + esKeyword + `,"region":` + esKeyword + `,
	"issuers":` + esKeyword + `,"doc_number":` + esKeyword + `,"issued":` + esDate + `}}`

// chunks returns the folded text as overlapping keyword chunks (see
// esChunkRunes).
func chunks(folded string) []string {
	if utf8.RuneCountInString(folded) <= esChunkRunes {
		return []string{folded}
	}
	rs := []rune(folded)
	var out []string
	for start := 0; ; start += esChunkRunes - esChunkOverlap {
		end := min(start+esChunkRunes, len(rs))
		out = append(out, string(rs[start:end]))
		if end == len(rs) {
			return out
		}
	}
}

// prepared is one document ready for bulk: its record and clause bodies.
type prepared struct {
	id, source string
	deleted    bool // failed document: only its old entries go
	doc        []byte
	clauses    map[string][]byte // clause id -> body
	order      []string          // clause ids in document order
}

func (e *Elasticsearch) prepare(d *corpus.Document, now string) (prepared, error) {
	id, err := docID(d)
	if err != nil {
		return prepared{}, err
	}
	p := prepared{id: id, source: d.Source, deleted: d.Err != nil}
	if p.deleted {
		return p, nil
	}
	rec := esDoc{DocID: id, Title: d.Title, Source: d.Source, ContentType: d.ContentType, RawSHA256: d.RawHash,
		Kind: string(d.Kind), Region: d.Region, Issuers: d.Issuers, DocNumber: d.DocNumber,
		Issued: d.Issued, Effective: d.Effective, Clauses: len(d.Clauses), IndexedAt: now}
	p.clauses = make(map[string][]byte, len(d.Clauses))
	for i, c := range d.Clauses {
		cid := c.ID
		if cid == "" {
			cid = corpus.ClauseID(id, c.Path)
		}
		tags := c.Tags
		if tags == nil {
			tags = []string{}
		}
		rec.Tags = appendUnique(rec.Tags, tags...)
		rec.SanctionCategories = appendUnique(rec.SanctionCategories, c.SanctionCategories...)
		rec.Agencies = appendUnique(rec.Agencies, c.Agencies...)
		seg := e.seg.CutSearch(c.Text)
		for j, t := range seg {
			seg[j] = fold(t)
		}
		b, err := json.Marshal(esClause{ClauseID: cid, DocID: id, Seq: i, Path: c.Path, Label: c.Label, Parent: c.Parent,
			Headings: c.Headings, Text: c.Text, TextExact: chunks(fold(c.Text)), TextSeg: strings.Join(seg, " "),
			Tags: tags, SanctionCategories: c.SanctionCategories, Agencies: c.Agencies, LegalBasis: c.LegalBasis,
			Duration: c.Duration, Evidence: c.Evidence, Title: d.Title, Source: d.Source, Kind: string(d.Kind),
			Region: d.Region, Issuers: d.Issuers, DocNumber: d.DocNumber, Issued: d.Issued})
		if err != nil {
			return prepared{}, err
		}
		if _, dup := p.clauses[cid]; !dup {
			p.order = append(p.order, cid)
		}
		p.clauses[cid] = b
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return prepared{}, err
	}
	p.doc = b
	return p, nil
}

func appendUnique(list []string, vs ...string) []string {
	for _, v := range vs {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// ItemFailure is one bulk item Elasticsearch refused.
type ItemFailure struct {
	DocID    string `json:"doc_id"`
	Source   string `json:"source,omitempty"`
	ItemID   string `json:"item_id"` // the document or clause id
	Index    string `json:"index"`
	Action   string `json:"action"`
	Status   int    `json:"status"`
	Reason   string `json:"reason"`
	Attempts int    `json:"attempts"`
}

// BulkError lists the documents of a Put or Delete that were not (fully)
// written. Every other document of the call was. A document listed here
// may be partly written: put it again.
type BulkError struct {
	Failures []ItemFailure // every failed item
}

func (e *BulkError) Error() string {
	docs := e.DocIDs()
	f := e.Failures[0]
	return fmt.Sprintf("elasticsearch: %d item(s) of %d document(s) failed; first: document %s (%s) %s %s: %d %s",
		len(e.Failures), len(docs), f.DocID, f.Source, f.Action, f.ItemID, f.Status, f.Reason)
}

// DocIDs returns the ids of the failed documents, sorted.
func (e *BulkError) DocIDs() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range e.Failures {
		if !seen[f.DocID] {
			seen[f.DocID] = true
			out = append(out, f.DocID)
		}
	}
	sort.Strings(out)
	return out
}

// Put writes each document's record and clauses (ids derived from the
// document and clause ids, so a re-put overwrites) and deletes the clauses
// it had before that it no longer has, in one bulk pass, then refreshes.
// A failed document (d.Err set) only loses its entries.
//
// Unlike SQLite, Elasticsearch has no transactions: between the bulk
// writes and the refresh a search may see some new clauses of a document
// next to old ones. Items that Elasticsearch refuses are returned as a
// *BulkError naming each document; all other documents are written. A
// cluster that cannot be reached (after retries) fails the whole call.
func (e *Elasticsearch) Put(ctx context.Context, docs ...*corpus.Document) error {
	now := time.Now().UTC().Format(time.RFC3339)
	var ps []prepared
	for _, d := range lastCopies(docs) {
		p, err := e.prepare(d, now)
		if err != nil {
			return fmt.Errorf("elasticsearch index %s: %w", d.Source, err)
		}
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		return nil
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.id
	}
	existing, err := e.clauseIDs(ctx, ids)
	if err != nil {
		return fmt.Errorf("elasticsearch index: %w", err)
	}
	b := e.newBulk()
	for _, p := range ps {
		if p.deleted {
			b.add(bulkOp{action: "delete", index: e.docsTarget, id: p.id, docID: p.id, source: p.source})
		} else {
			b.add(bulkOp{action: "index", index: e.docsTarget, id: p.id, docID: p.id, source: p.source, body: p.doc})
			for _, cid := range p.order {
				b.add(bulkOp{action: "index", index: e.clausesTarget, id: cid, docID: p.id, source: p.source, body: p.clauses[cid]})
			}
		}
		for _, cid := range existing[p.id] {
			if _, keep := p.clauses[cid]; !keep {
				b.add(bulkOp{action: "delete", index: e.clausesTarget, id: cid, docID: p.id, source: p.source})
			}
		}
	}
	return e.finish(ctx, b, "index")
}

// Delete removes the documents with these ids and all their clauses.
// Unknown ids are not an error.
func (e *Elasticsearch) Delete(ctx context.Context, docIDs ...string) error {
	if len(docIDs) == 0 {
		return nil
	}
	existing, err := e.clauseIDs(ctx, docIDs)
	if err != nil {
		return fmt.Errorf("elasticsearch delete: %w", err)
	}
	b := e.newBulk()
	for _, id := range docIDs {
		b.add(bulkOp{action: "delete", index: e.docsTarget, id: id, docID: id})
		for _, cid := range existing[id] {
			b.add(bulkOp{action: "delete", index: e.clausesTarget, id: cid, docID: id})
		}
	}
	return e.finish(ctx, b, "delete")
}

// clauseIDs returns the ids of the clauses indexed for each document, read
// in pages sorted by clause_id (search_after): delete-by-query is not part
// of every distribution, and this also tells Put which clauses are stale.
func (e *Elasticsearch) clauseIDs(ctx context.Context, docIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	const page = 5000
	for start := 0; start < len(docIDs); start += 1000 {
		ids, _ := json.Marshal(docIDs[start:min(start+1000, len(docIDs))])
		var after []byte
		for {
			body := `{"size":` + strconv.Itoa(page) + `,"_source":false,"track_total_hits":false,
				"query":{"terms":{"doc_id":` + string(ids) + `}},
				"docvalue_fields":["doc_id"],"sort":[{"clause_id":"asc"}]`
			if after != nil {
				body += `,"search_after":` + string(after)
			}
			body += "}"
			var r struct {
				Hits struct {
					Hits []struct {
						ID     string              `json:"_id"`
						Fields map[string][]string `json:"fields"`
						Sort   json.RawMessage     `json:"sort"`
					} `json:"hits"`
				} `json:"hits"`
			}
			if err := e.do(ctx, http.MethodPost, "/"+e.clausesTarget+"/_search", body, &r); err != nil {
				return nil, fmt.Errorf("clauses of %d document(s): %w", len(docIDs), err)
			}
			for _, h := range r.Hits.Hits {
				if d := h.Fields["doc_id"]; len(d) > 0 {
					out[d[0]] = append(out[d[0]], h.ID)
				}
			}
			if len(r.Hits.Hits) < page {
				break
			}
			after = r.Hits.Hits[len(r.Hits.Hits)-1].Sort
		}
	}
	return out, nil
}
