// Package crawler brings documents into the corpus. For now it has one
// source, Local, which walks files and folders (the inbox of the batch job
// and `scs ingest`); the web adapters for the official publishing sites
// (gov.cn, TRS and Hanweb CMS sites, flk.npc.gov.cn) come next and will
// produce the same corpus.Document values.
package crawler
