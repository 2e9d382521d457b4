# Makefile — strex: host tools in build/, guest images in build/baremetal/,
# run output in out/. Plain GNU make; `make help` lists the targets.

CC      ?= cc
BUILD   := build
OUT     := out

# ---- host side ------------------------------------------------------------
HOST_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE -I. \
               -MMD -MP $(EXTRA_CFLAGS)
HOST_LDLIBS := -lfdt -lunwind -lcapstone -lm $(EXTRA_LDLIBS)
CHECK_LIBS  := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

UTIL_SRCS    := $(wildcard util/*.c)
REPORTS_SRCS := $(wildcard reports/*.c)
LITMUS_SRCS  := $(wildcard litmus/*.c)
# The emulator's layers (DESIGN.md §1): util <- tcg <- arm <- emu.
EMU_SRCS     := $(wildcard tcg/*.c) $(wildcard arm/*.c) \
                $(filter-out emu/main.c,$(wildcard emu/*.c))
HARNESS_SRCS := $(filter-out harness/main.c,$(wildcard harness/*.c))
LIB_SRCS     := $(UTIL_SRCS) $(REPORTS_SRCS) $(LITMUS_SRCS) $(HARNESS_SRCS) $(EMU_SRCS)
LIB_OBJS     := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
# ar keeps members by file name only: two sources with one name would
# silently replace each other in the archive.
DUP_NAMES := $(shell echo $(notdir $(LIB_SRCS)) | tr ' ' '\n' | sort | uniq -d)
ifneq ($(DUP_NAMES),)
$(error sources share a file name, which libstrex.a cannot hold: $(DUP_NAMES))
endif
HOST_LIB     := $(BUILD)/libstrex.a

UNIT_SRCS  := $(wildcard tests/test_*.c)
UNIT_TESTS := $(UNIT_SRCS:tests/%.c=$(BUILD)/tests/%)

# ---- guest side -----------------------------------------------------------
BM_CC     := arm-none-eabi-gcc
BM_CFLAGS := -std=gnu11 -march=armv7-a -marm -mfloat-abi=soft -O2 -g \
             -ffreestanding -fno-common -Wall -Wextra -Werror \
             -Ibaremetal/lib -MMD -MP
# The default multilib's libgcc is ARM state; the one -march=armv7-a picks is
# Thumb-2, which strex-emu does not execute yet. Guest images stay all-A32.
BM_LIBGCC := $(shell $(BM_CC) -print-file-name=libgcc.a 2>/dev/null)
BM_LDFLAGS := -nostdlib -nostartfiles -T baremetal/lib/link.ld -Wl,--no-warn-rwx-segments
BM_LIB_SRCS := $(wildcard baremetal/lib/*.c baremetal/lib/*.S)
BM_LIB_OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(BM_LIB_SRCS)))
BM_LIB      := $(BUILD)/baremetal/librt.a
BM_TEST_SRCS := $(wildcard baremetal/tests/*.c baremetal/tests/*.S)
BM_IMAGES    := $(patsubst baremetal/tests/%,$(BUILD)/baremetal/%.elf,$(basename $(BM_TEST_SRCS)))
# Benchmarks: baremetal/bench/NAME.c -> build/bench/NAME.elf (docs/bench.md).
BENCH_SRCS   := $(wildcard baremetal/bench/*.c)
BENCH_IMAGES := $(patsubst baremetal/bench/%.c,$(BUILD)/bench/%.elf,$(BENCH_SRCS))

# The litmus guest runtime: one prebuilt image whose descriptor section the
# host generator fills in per test (litmus/desc.h).
LITMUS_RT_SRCS := $(wildcard litmus/guest/*.c litmus/guest/*.S)
LITMUS_RT_OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(LITMUS_RT_SRCS)))
LITMUS_RT      := $(if $(LITMUS_RT_SRCS),$(BUILD)/litmus/litmus-rt.elf)

STREX := $(BUILD)/strex
STREX_EMU := $(BUILD)/strex-emu

.PHONY: all host guest deps check unit quick run litmus difftest bench chaos tsan regions soak clean help
all: host guest

host: $(STREX) $(STREX_EMU) $(UNIT_TESTS)
guest: $(BM_IMAGES) $(LITMUS_RT) $(BENCH_IMAGES)

help:
	@echo "make            build the host tools and the guest images"
	@echo "make check      unit tests + the quick suite on QEMU (the CI gate)"
	@echo "make run        the default suite on QEMU and strex-emu, reports in out/"
	@echo "make litmus     the whole Herding Cats campaign on QEMU (~30 min on 2 cores)"
	@echo "make difftest   random A32 sequences, QEMU vs strex-emu (DIFFTEST_B=qemu: self-check)"
	@echo "make bench      the benchmarks on strex-emu and QEMU: MIPS; SMP wall-time ratios, peak RSS"
	@echo "make tsan       strex-emu under ThreadSanitizer: the quick suite at -smp 4, thread=multi"
	@echo "make soak       llsc-counter 100 times at -smp 8, thread=multi, per LL/SC strategy"
	@echo "make regions    the region experiment on strex-emu: flushes and utilisation per region policy"
	@echo "make chaos      seeded schedules on strex-emu: replay check + 100 seeds over the LL/SC tests"
	@echo "make clean      remove build/ and out/"

deps:
	@bash scripts/deps.sh

# ---- host rules -----------------------------------------------------------
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(STREX): $(BUILD)/obj/harness/main.o $(HOST_LIB)
	$(CC) -o $@ $^ $(HOST_LDLIBS)

$(STREX_EMU): $(BUILD)/obj/emu/main.o $(HOST_LIB)
	$(CC) -o $@ $^ $(HOST_LDLIBS) -lpthread

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(HOST_LIB)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(CHECK_LIBS) $(HOST_LDLIBS)

# ---- guest rules ----------------------------------------------------------
$(BUILD)/obj/baremetal/%.o: baremetal/%.c
	@mkdir -p $(dir $@)
	$(BM_CC) $(BM_CFLAGS) -c $< -o $@

$(BUILD)/obj/baremetal/%.o: baremetal/%.S
	@mkdir -p $(dir $@)
	$(BM_CC) $(BM_CFLAGS) -c $< -o $@

$(BM_LIB): $(BM_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	arm-none-eabi-ar rcs $@ $^

# start.o is linked by name so the vector table is first and always present.
$(BUILD)/baremetal/%.elf: $(BUILD)/obj/baremetal/tests/%.o $(BM_LIB) baremetal/lib/link.ld
	$(BM_CC) $(BM_CFLAGS) $(BM_LDFLAGS) -o $@ $(BUILD)/obj/baremetal/lib/start.o \
	    $< $(BM_LIB) $(BM_LIBGCC)

$(BUILD)/bench/%.elf: $(BUILD)/obj/baremetal/bench/%.o $(BM_LIB) baremetal/lib/link.ld
	@mkdir -p $(dir $@)
	$(BM_CC) $(BM_CFLAGS) $(BM_LDFLAGS) -o $@ $(BUILD)/obj/baremetal/lib/start.o \
	    $< $(BM_LIB) $(BM_LIBGCC)

$(BUILD)/obj/litmus/guest/%.o: litmus/guest/%.c
	@mkdir -p $(dir $@)
	$(BM_CC) $(BM_CFLAGS) -I. -c $< -o $@

$(BUILD)/obj/litmus/guest/%.o: litmus/guest/%.S
	@mkdir -p $(dir $@)
	$(BM_CC) $(BM_CFLAGS) -I. -c $< -o $@

$(LITMUS_RT): $(LITMUS_RT_OBJS) $(BM_LIB) baremetal/lib/link.ld
	@mkdir -p $(dir $@)
	$(BM_CC) $(BM_CFLAGS) $(BM_LDFLAGS) -o $@ $(BUILD)/obj/baremetal/lib/start.o \
	    $(LITMUS_RT_OBJS) $(BM_LIB) $(BM_LIBGCC)

# ---- suites ---------------------------------------------------------------
unit: $(UNIT_TESTS)
	@fail=0; for t in $(UNIT_TESTS); do \
	    echo "== $$t"; $$t || fail=1; \
	done; test $$fail = 0

# The quick suite: every guest test at small sizes on QEMU and on strex-emu,
# plus the harness's own self-test (a guest that hangs must be killed and
# reported) and the litmus quick list on both.
quick: all
	$(STREX) run stress/quick.suite --emulator qemu --smp 1,2,4,8 \
	    --thread multi,single --jobs 2 --out $(OUT)/check
	bash tests/harness_selftest.sh $(STREX) $(OUT)/selftest
	$(STREX) litmus run --list litmus/quick.list --emulator qemu --jobs 2 \
	    --out $(OUT)/check-litmus
	@# A Forbidden outcome QEMU always produces: the run must fail.
	$(STREX) litmus run tests/fixtures/litmus/forbidden-always.litmus \
	    --emulator qemu --out $(OUT)/check-litmus-fail; test $$? = 1
	@# The same on strex-emu: one host thread, then one thread per vCPU under
	@# each LL/SC strategy (llsc-aba must fail under cas only).
	$(STREX) run stress/quick.suite --emulator strex --smp 1,2,4,8 \
	    --thread single --jobs 2 --out $(OUT)/check-strex
	$(STREX) run stress/quick.suite --emulator strex --smp 1,2,4,8 \
	    --thread multi --llsc cas,excl,stw --jobs 2 --out $(OUT)/check-strex-multi
	$(STREX) litmus run --list litmus/quick.list --emulator strex --thread single \
	    --jobs 2 --out $(OUT)/check-strex-litmus
	$(STREX) litmus run --list litmus/quick.list --emulator strex --thread multi \
	    --jobs 2 --out $(OUT)/check-strex-litmus-multi
	@# Constant flushes with 8 vCPU threads and a 1 MiB code buffer.
	bash tests/flush_stress.sh $(STREX_EMU) $(OUT)/check-flush-stress
	@# A block bigger than a 64 KiB region is cut into smaller TBs.
	bash tests/tb_split.sh $(STREX_EMU) $(OUT)/check-tb-split
	$(STREX) litmus run tests/fixtures/litmus/forbidden-always.litmus \
	    --emulator strex --thread single --out $(OUT)/check-strex-litmus-fail; test $$? = 1
	@# A seeded schedule replays byte for byte (sched=chaos).
	bash tests/chaos_replay.sh $(STREX_EMU) $(OUT)/check-chaos-replay
	@# TB chaining changes speed, not behaviour (against -d nochain).
	bash tests/chaining.sh $(STREX_EMU) $(OUT)/check-chaining
	@# 500 random A32 sequences, QEMU against strex-emu: no difference allowed.
	$(STREX) difftest --emulator-a qemu --emulator-b strex --count 500 --seed 1 \
	    --jobs 2 --out $(OUT)/check-difftest

check: deps
	$(MAKE) all
	$(MAKE) unit quick

run: deps
	$(MAKE) all
	$(STREX) run stress/default.suite --emulator qemu --smp 1,2,4,8 \
	    --thread multi,single --jobs 2 --out $(OUT)/run
	$(STREX) run stress/default.suite --emulator strex --smp 1,2,4,8 \
	    --thread single --jobs 2 --out $(OUT)/run-strex
	$(STREX) run stress/default.suite --emulator strex --smp 1,2,4,8 \
	    --thread multi --llsc cas,excl,stw --jobs 2 --out $(OUT)/run-strex-multi

# The whole campaign; sizes chosen so it finishes in about half an hour on
# 2 cores (docs/litmus.md has the measurements behind them).
litmus: deps
	$(MAKE) all
	$(STREX) litmus run --campaign herding-cats --size 200 --runs 5 --param nap=50 \
	    --emulator qemu --thread multi --jobs 2 --out $(OUT)/litmus

# Random A32 sequences on QEMU and strex-emu, compared (docs/difftest.md).
# DIFFTEST_B=qemu is the self-check: QEMU against itself must find nothing.
DIFFTEST_B     ?= strex
DIFFTEST_COUNT ?= 5000
DIFFTEST_SEED  ?= 1
difftest: deps
	$(MAKE) all
	$(STREX) difftest --emulator-a qemu --emulator-b $(DIFFTEST_B) \
	    --count $(DIFFTEST_COUNT) --seed $(DIFFTEST_SEED) --out $(OUT)/difftest

# The benchmarks on strex-emu and on QEMU: single-vCPU MIPS, then the SMP
# LL/SC guests at 1-8 vCPUs per strategy, wall-time ratios and peak RSS
# (docs/bench.md).
# BENCH_REPEAT=N runs each N times (default 3).
bench: deps
	$(MAKE) all
	bash scripts/bench.sh --strex $(STREX_EMU) --images $(BUILD)/bench --out $(OUT)/bench; st=$$?; \
	bash scripts/bench_smp.sh --strex $(STREX_EMU) --images $(BUILD)/baremetal \
	    --out $(OUT)/bench-smp || st=1; \
	exit $$st

CHAOS_TESTS := llsc-counter,llsc-sizes,llsc-monitor,llsc-aba,spinlock,lockfree-stack,swp
# Seeded schedules on strex-emu: a seed replays byte for byte, and 100 seeds
# over the LL/SC tests all pass (docs/design/sched.md; ~10 min on 2 cores).
chaos: deps
	$(MAKE) all
	bash tests/chaos_replay.sh $(STREX_EMU) $(OUT)/chaos-replay
	$(STREX) run stress/default.suite --emulator strex --smp 4 --thread single \
	    --filter $(CHAOS_TESTS) --seeds 1..100 --jobs 2 --out $(OUT)/chaos

# No lost update: llsc-counter 100 times at -smp 8 per LL/SC strategy
# (docs/design/llsc.md; about 7 minutes on 2 cores).
soak: deps
	$(MAKE) all
	bash tests/llsc_soak.sh $(STREX_EMU) $(OUT)/soak 100 8

# The region experiment (docs/design/regions.md).
regions: deps
	$(MAKE) all
	bash scripts/region_experiment.sh --strex $(STREX_EMU) --image $(BUILD)/bench/codefill.elf \
	    --out $(OUT)/regions

# strex-emu and the threaded unit tests under ThreadSanitizer: the quick
# suite at -smp 4, thread=multi, each LL/SC strategy. Any report fails the
# job (TSan exits 66), so the run fails (docs/design/mttcg.md).
TSAN_BUILD := $(BUILD)/tsan
TSAN_TESTS := test_emu_excl test_emu_tbcache
tsan: deps
	$(MAKE) all
	$(MAKE) BUILD=$(TSAN_BUILD) EXTRA_CFLAGS=-fsanitize=thread EXTRA_LDLIBS=-fsanitize=thread \
	    $(TSAN_BUILD)/strex-emu $(TSAN_TESTS:%=$(TSAN_BUILD)/tests/%)
	@for t in $(TSAN_TESTS); do \
	    echo "== $$t (tsan)"; CK_FORK=no TSAN_OPTIONS=halt_on_error=1 $(TSAN_BUILD)/tests/$$t || exit 1; \
	done
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" $(STREX) run stress/quick.suite \
	    --emulator $(TSAN_BUILD)/strex-emu --smp 4 --thread multi --llsc cas,excl,stw \
	    --jobs 2 --timeout 600 --out $(OUT)/tsan

clean:
	rm -rf $(BUILD) $(OUT)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
