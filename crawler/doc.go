// Package crawler brings documents into the corpus: Local walks files and
// folders (the inbox of the batch job and `scs ingest`); Crawler fetches
// the official publishing sites listed in the source registry
// (corpus/data/sources.yaml) through one adapter per site family (trs,
// govcn, hanweb, html, and flk for the national laws database API) and a polite Fetcher (robots.txt, per-host delay
// and serialisation, retries with backoff, size cap, checked redirects,
// conditional GET). Anti-bot challenges are detected and reported, never
// solved. Crawl state (validators, hashes, gone, source status) is kept
// by the corpus store; the crawler imports only corpus, like every stage.
package crawler
