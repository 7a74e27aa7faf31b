// Package indexer makes parsed clauses searchable. Index is the interface
// the CLI uses; SQLite (FTS5, embedded, the default) implements it here, and
// Elasticsearch is the second implementation for analysts at scale.
package indexer
