# Fuzzing with clang's libFuzzer, ASan and UBSan. `make fuzz` builds the
# targets fuzz/fuzz_*.c into build-fuzz/ and runs each for FUZZ_SECONDS
# (default 600) from a working corpus, build-fuzz/corpus/NAME, that keeps
# what earlier runs found and gets the seeds of fuzz/seeds/NAME copied in.
# `make fuzz-smoke` replays each target's seeds alone, then fuzzes it for
# FUZZ_SMOKE_SECONDS (3): half a minute for all six. FUZZ_TARGETS="query
# cursor" picks some. Crashes are kept in build-fuzz/crashes/NAME/, logs in
# build-fuzz/logs/. Included last by the Makefile, whose rules build the
# objects under BUILD=build-fuzz.

FUZZ_TOP           := $(firstword $(MAKEFILE_LIST))
FUZZ_BUILD         ?= build-fuzz
FUZZ_SECONDS       ?= 600
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_TARGETS       ?= $(patsubst fuzz/fuzz_%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))
# lib/ and server/ are instrumented for coverage without libFuzzer's main();
# the targets link it with -fsanitize=fuzzer
FUZZ_SAN           := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
                      -fno-omit-frame-pointer
FUZZ_MAKE           = $(MAKE) --no-print-directory -f $(FUZZ_TOP) BUILD=$(FUZZ_BUILD) CC=clang \
                      OPT=-O1 SAN="$(FUZZ_SAN)" FUZZ_TARGETS="$(FUZZ_TARGETS)" fuzz-bin

.PHONY: fuzz fuzz-smoke fuzz-bin
fuzz: PKGS += clang libclang-rt-14-dev
fuzz: deps
	@$(FUZZ_MAKE)
	@sh fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke: PKGS += clang libclang-rt-14-dev
fuzz-smoke: deps
	@$(FUZZ_MAKE)
	@sh fuzz/run.sh -s $(FUZZ_BUILD) $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz-bin: $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_TARGETS))

$(BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(SRV_OBJ) $(LIB_OBJ) | $(BUILD)/fuzz
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(SRV_OBJ) $(LIB_OBJ) $(LDLIBS)

$(BUILD)/fuzz:
	mkdir -p $@
