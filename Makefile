# hadath: `make run` installs what is missing, builds and serves corpus/;
# `make test` runs every test, plainly and under ASan/UBSan.

PKGS    := gcc libc6-dev make pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libicu-dev \
           curl jq ca-certificates nginx-light iproute2 gzip
LIBS    := libmicrohttpd jansson sqlite3 icu-uc icu-i18n

BUILD   ?= build
CC      ?= cc
SAN     ?=
OPT     ?= -O2
CFLAGS  ?=
CFLAGS  += -std=c11 $(OPT) -g -Wall -Wextra -Werror -D_GNU_SOURCE -Ilib -Iserver $(SAN) \
           $(shell pkg-config --cflags $(LIBS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(LIBS) 2>/dev/null) -lpthread
LDFLAGS += $(SAN)

LIB_SRC  := $(wildcard lib/*.c)
SRV_SRC  := $(filter-out server/main.c,$(wildcard server/*.c))
DATA     := schema/schema.sql schema/openapi.json $(sort $(wildcard lib/data/*))
# the web page's files, embedded as web/NAME (server/web.c serves them)
WEB      := $(sort $(wildcard web/*.html web/*.js web/*.css web/*.svg web/vendor/*.js web/vendor/*.txt))
TESTS    := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))

LIB_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC)) $(BUILD)/gen/blobs.o
SRV_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(SRV_SRC))

.PHONY: all deps run test check asan bench load clean format test-fresh
all: $(BUILD)/hadath

# Installs the Debian packages that are missing, as root or through sudo;
# does nothing when all are there.
deps:
	@command -v dpkg-query >/dev/null || { echo "deps: not a Debian system; install: $(PKGS)"; exit 0; }; \
	missing=$$(for p in $(PKGS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
	    echo "deps: installing" $$missing; \
	    sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	    $$sudo apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

run: deps
	@$(MAKE) --no-print-directory all
	./$(BUILD)/hadath serve --corpus corpus --db hadath.db

# The plain suite, then the same suite built with AddressSanitizer and
# UndefinedBehaviorSanitizer; the last line sums both.
# tests/test_reload.sh runs wrk across reloads; tests/test_web.sh drives the
# page in Debian's chromium with tests/e2e's playwright-core (a nodejs that
# bundles its own npm conflicts with Debian's npm package: asked only if missing)
test: PKGS += wrk chromium nodejs $(if $(shell command -v npm),,npm)
test: deps tests/e2e/node_modules/playwright-core
	@$(MAKE) --no-print-directory all tests-bin
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    all tests-bin
	@sh tests/run.sh build build-asan

# npm ci only when the lock file is newer than what it installed
tests/e2e/node_modules/playwright-core: tests/e2e/package-lock.json | deps
	cd tests/e2e && npm ci --no-audit --no-fund
	@touch $@

check: all tests-bin
	@sh tests/run.sh $(BUILD)

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    all tests-bin
	@sh tests/run.sh build-asan

# The two-command set-up and the Dockerfile's runtime package list, proved
# on minimal Debian roots made by debootstrap (needs root and a few minutes;
# not part of `make test`).
test-fresh:
	@sh tests/fresh.sh

# Benchmarks print numbers and judge nothing: HTTP against nginx serving
# the same bytes, the web page in Chromium, the text layer, ingest of
# SaudiNewsNet (read from ../shared/corpora) and a 100 k set made from it,
# footprints.
bench: PKGS += wrk chromium nodejs $(if $(shell command -v npm),,npm)
bench: deps all $(BUILD)/bench/bench_text tests/e2e/node_modules/playwright-core
	@sh bench/http.sh $(BUILD)
	@sh bench/page.sh $(BUILD)
	@echo
	@echo "text layer, one core, seed corpus repeated to 20 MB:"
	@./$(BUILD)/bench/bench_text corpus
	@echo
	@sh bench/ingest.sh $(BUILD)

# A million requests of the API mix after a warm-up: fails on an error, on
# resident memory growing more than 10 %, or on a descriptor more.
load: PKGS += wrk
load: deps all
	@sh bench/load.sh $(BUILD)

$(BUILD)/bench/%: bench/%.c $(LIB_OBJ) | $(BUILD)/bench
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.PHONY: tests-bin
.SECONDARY:
tests-bin: $(TESTS)

$(BUILD)/hadath: $(BUILD)/server/main.o $(SRV_OBJ) $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/check.o $(SRV_OBJ) $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(wildcard lib/*.h server/*.h tests/*.h) | $(BUILD)/lib $(BUILD)/server $(BUILD)/tests
	$(CC) $(CFLAGS) -Itests -c -o $@ $<

# Data files and the web page are compiled in, so the binary runs from anywhere.
$(BUILD)/gen/blobs.c: $(DATA) $(WEB) tools/embed.c | $(BUILD)/gen
	$(CC) -std=c11 -O1 -Wall -Wextra -Werror -o $(BUILD)/gen/embed tools/embed.c
	$(BUILD)/gen/embed $@ $(foreach f,$(DATA),$(notdir $(f))=$(f)) $(foreach f,$(WEB),$(f)=$(f))

$(BUILD)/gen/blobs.o: $(BUILD)/gen/blobs.c lib/blob.h
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/lib $(BUILD)/server $(BUILD)/tests $(BUILD)/gen $(BUILD)/bench:
	mkdir -p $@

format:
	clang-format -i lib/*.c lib/*.h server/*.c server/*.h tests/*.c tests/*.h tools/*.c bench/*.c

clean:
	rm -rf build build-asan

# make fuzz, make fuzz-smoke: libFuzzer targets (fuzz/)
include fuzz/fuzz.mk
