# scs: the two commands that matter are `make run` and `make test`.
GO      ?= go
BIN     := bin/scs
DATA    ?= scs-data
INBOX   ?= examples/inbox
FUZZTIME ?= 10s
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)

.PHONY: build run test fuzz lint bench clean

build:
	$(GO) build -trimpath -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/scs

# The main job on the embedded default (SQLite, no server): the inbox through
# every stage into $(DATA), then a sample search.
run: build
	$(BIN) run --data $(DATA) --inbox $(INBOX)
	$(BIN) search --data $(DATA) --limit 3 --tag sanction 失信主体

# All tests, race detector on, in random order; then a short fuzz of every
# fuzz target. Corpus tests read ../shared when it exists. The Elasticsearch
# tests need a node: with ELASTICSEARCH_URL unset and java and mvn present,
# scripts/elasticsearch starts one for the tests (reusing one already
# running) and stops what it started afterwards, also on failure. The tests
# find it in SCS_TEST_ELASTICSEARCH_URL, which, unlike ELASTICSEARCH_URL,
# does not make the scs processes that other tests start push to it.
test:
	$(GO) vet ./...
	@if [ -z "$$ELASTICSEARCH_URL$$SCS_TEST_ELASTICSEARCH_URL" ] && command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then \
	  started=; \
	  if ! scripts/elasticsearch status >/dev/null 2>&1; then scripts/elasticsearch start >/dev/null || exit 1; started=1; fi; \
	  trap 'if [ -n "$$started" ]; then scripts/elasticsearch stop; fi' EXIT; \
	  export SCS_TEST_ELASTICSEARCH_URL=http://127.0.0.1:$${ES_PORT:-9200}; \
	  echo "make test: Elasticsearch at $$SCS_TEST_ELASTICSEARCH_URL"; \
	  echo "$(GO) test -race -shuffle=on -timeout 20m ./..."; \
	  $(GO) test -race -shuffle=on -timeout 20m ./...; \
	else \
	  echo "$(GO) test -race -shuffle=on -timeout 20m ./..."; \
	  $(GO) test -race -shuffle=on -timeout 20m ./...; \
	fi
	$(MAKE) fuzz

# Each fuzz target for $(FUZZTIME) (go test -fuzz takes one target at a time).
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for t in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "fuzz $$pkg $$t"; \
	    $(GO) test -run='^$$' -fuzz="^$$t$$" -fuzztime=$(FUZZTIME) $$pkg; \
	  done; \
	done

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

# Benchmarks of every stage and end to end (on ../shared/corpus when present).
bench:
	$(GO) test -run='^$$' -bench=. -benchmem -count=1 ./...

clean:
	rm -rf bin $(DATA)
