# The two commands of the README: `make run` and `make test`. Both install what is missing first.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
# The shared design folder (seed article, third-party corpus) sits beside the clone.
SHARED ?= $(abspath ../shared)
export SG_SHARED := $(SHARED)
BIN := target/release/secrets-guard

.PHONY: run test bootstrap build lint wasm-check unit bench docs policy accept-all bench-policy

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

## make test: formatting, lints, wasm builds of the core, the policy and its baseline (the
## end-to-end suite tests/tests/policy_e2e.rs runs them in the waPC host), every test suite.
test: bootstrap lint wasm-check policy accept-all unit

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

wasm-check:
	$(CARGO) check -p secrets-guard-core --target wasm32-unknown-unknown
	$(CARGO) check -p secrets-guard-core --target wasm32-wasip1

unit:
	$(CARGO) test --workspace
	@# The core as the Wasm builds compile it: regex-lite instead of regex (policy/core/src/re.rs).
	$(CARGO) test -p secrets-guard-core --no-default-features --features rule-docs --lib

## make bench: synthetic 20,000-object corpus; full scan vs parse-only, objects/s, MB/s, peak RSS.
bench: bootstrap
	$(CARGO) run --release -p secrets-guard-tests --bin bench -- $(BENCH_ARGS)

## make docs: regenerate the README rules table and docs/rules.md from the registry.
docs:
	SG_UPDATE_DOCS=1 $(CARGO) test -p secrets-guard-tests --test docs

## make policy: the Kubewarden policy (waPC, wasm32-wasip1), size-optimised into ./policy.wasm.
POLICY_BUILD := $(or $(CARGO_TARGET_DIR),target)/wasm32-wasip1/policy/secrets_guard_policy.wasm
# The Wasm features rustc (>= 1.87) enables by default for wasm32; binaryen 108 needs them named.
WASM_OPT_FEATURES := --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
	--enable-mutable-globals --enable-multivalue --enable-reference-types
policy: bootstrap
	$(CARGO) build --target wasm32-wasip1 --profile policy -p secrets-guard-policy
	wasm-opt -Oz $(WASM_OPT_FEATURES) $(POLICY_BUILD) -o policy.wasm
	@echo "policy.wasm: $$(wc -c < $(POLICY_BUILD)) bytes built, $$(wc -c < policy.wasm) after wasm-opt, $$(gzip -9c policy.wasm | wc -c) gzipped"

## make accept-all: the test-only baseline policy (decodes the request, accepts), built exactly
## like policy.wasm, into ./accept-all.wasm.
ACCEPT_ALL_BUILD := $(or $(CARGO_TARGET_DIR),target)/wasm32-wasip1/policy/secrets_guard_accept_all.wasm
accept-all: bootstrap
	$(CARGO) build --target wasm32-wasip1 --profile policy -p secrets-guard-accept-all
	wasm-opt -Oz $(WASM_OPT_FEATURES) $(ACCEPT_ALL_BUILD) -o accept-all.wasm

## make bench-policy: p50/p99 `validate` latency of policy.wasm vs accept-all.wasm in the waPC
## host (5 representative requests), and the .wasm sizes. Not part of `make test`.
BENCH_POLICY_PROFILE ?= release
bench-policy: policy accept-all
	$(CARGO) run --profile $(BENCH_POLICY_PROFILE) -p secrets-guard-tests --bin bench-policy -- $(BENCH_ARGS)
