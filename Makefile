# ConsultantPro developer commands. `make test` is the README's test command.
GO ?= go
PKGS := ./...

.PHONY: run test lint bench openapi build

run: ## serve on the embedded SQLite database (local mode)
	$(GO) run ./cmd/consultantpro serve

build:
	$(GO) build -o bin/consultantpro ./cmd/consultantpro

test: ## the whole suite, with the race detector; TEST_DATABASE_URL switches it to PostgreSQL
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

lint: ## gofmt, go vet, staticcheck, and SQL only in *_store.go files (scripts/storecheck)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)
	$(GO) run ./scripts/storecheck ./internal/...

bench: ## Go micro-benchmarks, then a short load run on a generated small firm (docs/PERFORMANCE.md)
	$(GO) test -run='^$$' -bench=. -benchmem ./internal/...
	rm -f /tmp/consultantpro-bench.db*
	$(GO) run ./bench/cmd/load --database-url sqlite:/tmp/consultantpro-bench.db --generate small --duration 3s --warmup 500ms --runs 1 --no-logs

openapi: ## regenerate the golden OpenAPI document
	$(GO) test ./internal/app/ -run TestOpenAPI -count=1 -update
