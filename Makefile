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
# fuzz target. Corpus tests read ../shared when it exists.
test:
	$(GO) vet ./...
	$(GO) test -race -shuffle=on -timeout 20m ./...
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
