# The two commands of the README: `make run` and `make test`. Both install what is missing first.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
# The shared design folder (seed article, third-party corpus) sits beside the clone.
SHARED ?= $(abspath ../shared)
export SG_SHARED := $(SHARED)
BIN := target/release/secrets-guard

.PHONY: run test bootstrap build lint wasm-check unit bench docs

bootstrap:
	@bash scripts/bootstrap.sh

build: bootstrap
	$(CARGO) build --release -p secrets-guard-cli

## make run: build the CLI and scan the seed article's three examples.
run: build
	@echo "== secrets-guard scan examples/seed (the seed article's examples)"
	@$(BIN) scan examples/seed || [ $$? -eq 1 ]
	@echo
	@echo "Rules: $(BIN) rules    Explain one: $(BIN) explain ENC-008"

## make test: formatting, lints, wasm builds of the core, every test suite.
test: bootstrap lint wasm-check unit

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

wasm-check:
	$(CARGO) check -p secrets-guard-core --target wasm32-unknown-unknown
	$(CARGO) check -p secrets-guard-core --target wasm32-wasip1

unit:
	$(CARGO) test --workspace

## make bench: synthetic 20,000-object corpus; full scan vs parse-only, objects/s, MB/s, peak RSS.
bench: bootstrap
	$(CARGO) run --release -p secrets-guard-tests --bin bench -- $(BENCH_ARGS)

## make docs: regenerate the README rules table and docs/rules.md from the registry.
docs:
	SG_UPDATE_DOCS=1 $(CARGO) test -p secrets-guard-tests --test docs
