# barrage: build, test, demo, install.  `make demo` and `make test` install what is missing first.
SHELL := /bin/bash
PREFIX ?= /usr/local
SWIFT ?= swift
# Debian packages the build and the test suite need (checked with dpkg, installed with apt-get when root).
DEB_BUILD := pkg-config libcurl4-openssl-dev zlib1g-dev libssl-dev libnghttp2-dev
DEB_DEMO := python3
DEB_TEST := python3 python3-h2 openssl bsdutils nginx-light nghttp2-client wrk hey chromium procps curl prometheus \
	iproute2 openssh-server pdsh
BIN := .build/release/barrage

.PHONY: all build release test lint format fuzz fuzz-smoke demo deps deps-build deps-test install install-links bench bench-attack clean

all: build

deps-build:
	@scripts/ensure-debs $(DEB_BUILD)

deps-test: deps-build
	@scripts/ensure-debs $(DEB_TEST)
	@scripts/ensure-chaostoolkit

deps: deps-test

build: deps-build
	$(SWIFT) build

release: deps-build
	$(SWIFT) build -c release

# The house style (.swift-format): `make format` rewrites, `make lint` (part of `make test`) checks.
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Fuzz/Sources

format:
	$(SWIFT) format format --in-place --recursive Sources Tests Fuzz/Sources

test: deps-test lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}
	$(MAKE) fuzz-smoke

# libFuzzer targets (Fuzz/, scripts/fuzz): each for FUZZ_SECONDS; fuzz-smoke is the few seconds each `make test` runs.
FUZZ_SECONDS ?= 60
fuzz: deps-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz run

fuzz-smoke: deps-build
	FUZZ_SECONDS=$${FUZZ_SMOKE_SECONDS:-3} scripts/fuzz smoke

demo: deps-build release
	@scripts/ensure-debs $(DEB_DEMO)
	@scripts/demo

bench: release
	scripts/bench-encode

# barrage attack vs wrk, hey, h2load against one nginx worker: BENCH_SECONDS per row; BENCH_SECTIONS of http https h2.
BENCH_SECONDS ?= 10
BENCH_SECTIONS ?= http https h2
DEB_BENCH := nginx-light wrk hey nghttp2-client curl openssl time
bench-attack: release
	@scripts/ensure-debs $(DEB_BENCH)
	scripts/bench-attack $(BENCH_SECONDS) $(BENCH_SECTIONS)

install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/barrage

# The drop-in names: `vegeta ...` and `chaos ...` run barrage.
install-links: install
	ln -sf barrage $(DESTDIR)$(PREFIX)/bin/vegeta
	ln -sf barrage $(DESTDIR)$(PREFIX)/bin/chaos

clean:
	rm -rf .build bench-out
