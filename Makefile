# The two commands of the README: `make run` and `make test`.

LISTEN ?= tcp://127.0.0.1:8787

.PHONY: run test build

build:
	go build -o bin/sockw ./cmd/sockw

run: build
	./bin/sockw run scripts/echo.js --listen $(LISTEN)

test:
	./tools/install-test-deps
	gofmt -l . | (! grep .) || (echo "gofmt: the files above are not formatted" >&2; exit 1)
	go vet ./...
	# -count=1: the e2e tests build the binary in a subprocess, whose inputs
	# go test cannot track, so a cached result could be stale.
	go test -race -count=1 -timeout 15m ./...
