# warta's everyday commands. `make test` is the README's test command.
GO ?= go

.PHONY: test lint bench build demo tools

# test: the whole suite, then again under the race detector with -short
# (which skips the crawls of thousands of pages, such as the kill-and-resume
# tests in a child process: under -race they take minutes each), and the
# eval command once more built with go-trafilatura (-tags peers).
test:
	$(GO) test ./...
	$(GO) test -race -short ./...
	$(GO) test -tags peers -run '^TestEval' ./cmd/warta

build:
	$(GO) build -o warta ./cmd/warta

demo:
	$(GO) run ./cmd/warta demo

# lint: formatting, vet and staticcheck (installed on first use).
lint: tools
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags peers ./cmd/warta
	$$($(GO) env GOPATH)/bin/staticcheck ./...

tools:
	@test -x $$($(GO) env GOPATH)/bin/staticcheck || $(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2

# bench: the benchmarks, each printing its figures beside a baseline
# measured in the same run (see README, "Benchmarks").
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...
