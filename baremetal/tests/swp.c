/*
 * swp — SWP/SWPB exist exactly when ID_ISAR0.Swap_instrs says so.
 *
 * ID_ISAR0[3:0] (Swap_instrs) is 0 when the CPU has no SWP/SWPB; they
 * are then UNDEFINED. QEMU's cortex-a15 reads 0x02101110, so:
 *   UNDEF branch (Swap_instrs == 0), 4 checks, CPU 0 only:
 *     SWP and SWPB each raise Undefined Instruction at exactly their own
 *     address, and leave memory and the destination register unchanged.
 *   swap branch (Swap_instrs != 0), 3 checks:
 *     SWP returns the old word and stores the new one; SWPB the same for
 *     one byte (zero-extended, neighbours untouched); then N CPUs pass
 *     tokens through one word with SWP, each putting in fresh tokens and
 *     marking the one it got back: every token is seen exactly once.
 * The encodings are emitted with .word (the assembler only warns, but the
 * registers must be fixed anyway): cond 0001 0B00 Rn Rt 0000 1001 Rt2 with
 * Rn = r2, Rt = r3, Rt2 = r4.
 *
 * With the Multiprocessing Extensions (Cortex-A15 has them) SWP/SWPB also
 * need SCTLR.SW (bit 10, 0 at reset) = 1, and ID_ISAR4.SWP_frac = 1 says
 * they would then be atomic only in a uniprocessor context. At reset both
 * rules say UNDEFINED. The test prints SCTLR.SW and SWP_frac and changes
 * neither.
 *
 * QEMU 7.2 FAILS the UNDEF branch: it executes SWP and SWPB although
 * Swap_instrs = 0 and SCTLR.SW = 0 (measured: SWP returned the old word
 * and stored the new one, no exception; the same with -cpu cortex-a7 and
 * -cpu max). Run with expect_swp=1 to check what QEMU does instead (the
 * swap branch, which it passes: its SWP is atomic across vCPUs).
 *
 * Parameters: expect_swp=0|1 overrides the branch that ID_ISAR0 selects
 * (asserting the opposite makes the test fail on a faithful CPU);
 * iters (default 20000) token swaps per CPU, cpus (default: all);
 * break=1 does the token passing with a plain LDR/STR pair instead of
 * SWP: tokens get lost and duplicated once 2 CPUs run at once;
 * control=1 runs the UNDEF branch with UDF encodings in place of SWP and
 * SWPB, which must pass anywhere: it shows that the UNDEF checks pass
 * when the instruction does trap (QEMU never lets SWP trap).
 */
#include "rt.h"
#include "tap.h"

#define SWP_R3_R4_R2 0xe1023094u  /* swp  r3, r4, [r2] */
#define SWPB_R3_R4_R2 0xe1423094u /* swpb r3, r4, [r2] */
#define UDF_FOR_SWP 0xe7f001f1u   /* udf #0x11: control=1 stand-ins */
#define UDF_FOR_SWPB 0xe7f001f2u  /* udf #0x12 */
#define MAX_TOKENS (1u << 18)

struct undef_seen {
    unsigned count;
    uint32_t pc; /* address of the instruction that was UNDEFINED */
};

static volatile struct undef_seen undefs;
static uint32_t target_word __attribute__((aligned(64)));
static uint32_t token_word __attribute__((aligned(64)));
static uint8_t seen[MAX_TOKENS];
static unsigned long iters;
static int broken;
static struct rt_barrier start;

static int on_undef(struct rt_frame *f, enum rt_exc type)
{
    uint32_t insn = *(uint32_t *)(f->pc - 4);

    (void)type;
    if (insn != SWP_R3_R4_R2 && insn != SWPB_R3_R4_R2 && insn != UDF_FOR_SWP &&
        insn != UDF_FOR_SWPB)
        return 0;
    __atomic_store_n(&undefs.pc, f->pc - 4, __ATOMIC_RELAXED);
    __atomic_add_fetch(&undefs.count, 1, __ATOMIC_RELAXED);
    return 1;
}

/* Runs the swap instruction `insn` (SWP or SWPB, r3 <- [r2], [r2] <- r4)
 * with r3 = rt_before; returns r3 afterwards, *at = its address. */
#define DEFINE_SWAP(name, insn)                                                 \
    static uint32_t name(uint32_t *addr, uint32_t value, uint32_t rt_before,    \
                         uint32_t *at)                                          \
    {                                                                           \
        register uint32_t rn __asm__("r2") = (uint32_t)addr;                    \
        register uint32_t rt __asm__("r3") = rt_before;                         \
        register uint32_t rt2 __asm__("r4") = value;                            \
        uint32_t where;                                                         \
                                                                                \
        __asm__ volatile("adr %[where], 1f\n"                                   \
                         "1: .word %c[op]"                                      \
                         : [where] "=&r"(where), "+r"(rt)                       \
                         : "r"(rn), "r"(rt2), [op] "i"(insn)                    \
                         : "memory");                                           \
        *at = where;                                                            \
        return rt;                                                              \
    }
DEFINE_SWAP(swp, SWP_R3_R4_R2)
DEFINE_SWAP(swpb, SWPB_R3_R4_R2)
DEFINE_SWAP(udf_for_swp, UDF_FOR_SWP)
DEFINE_SWAP(udf_for_swpb, UDF_FOR_SWPB)

/* ---- UNDEF branch ------------------------------------------------------- */

static void expect_undefined(const char *name, uint32_t (*op)(uint32_t *, uint32_t, uint32_t,
                                                               uint32_t *))
{
    const uint32_t before = 0x11223344, sentinel = 0xdeadbeef;
    uint32_t at, rt;

    target_word = before;
    undefs.count = 0;
    undefs.pc = 0;
    rt = op(&target_word, 0xa5a5a5a5, sentinel, &at);
    tap_ok(undefs.count == 1 && undefs.pc == at,
           "%s raises UNDEF at its own address 0x%08lx (taken %u, at 0x%08lx)", name,
           (unsigned long)at, undefs.count, (unsigned long)undefs.pc);
    tap_ok(target_word == before && rt == sentinel,
           "UNDEFINED %s leaves memory and Rt unchanged (memory 0x%08lx, Rt 0x%08lx)", name,
           (unsigned long)target_word, (unsigned long)rt);
}

/* ---- swap branch -------------------------------------------------------- */

static void expect_swap_word(void)
{
    uint32_t at, rt;

    target_word = 0x11223344;
    undefs.count = 0;
    rt = swp(&target_word, 0xa5a5a5a5, 0xdeadbeef, &at);
    tap_ok(undefs.count == 0 && rt == 0x11223344 && target_word == 0xa5a5a5a5,
           "SWP returns the old word and stores the new one (undef %u, Rt 0x%08lx, "
           "memory 0x%08lx)",
           undefs.count, (unsigned long)rt, (unsigned long)target_word);
}

/* SWPB on byte 1 of 0x11223344: Rt gets 0x33, memory becomes 0x1122a544. */
static void expect_swap_byte(void)
{
    uint32_t at, rt;

    target_word = 0x11223344;
    undefs.count = 0;
    rt = swpb((uint32_t *)((uint8_t *)&target_word + 1), 0xdeadbea5, 0xdeadbeef, &at);
    tap_ok(undefs.count == 0 && rt == 0x33 && target_word == 0x1122a544,
           "SWPB returns the old byte zero-extended and stores one byte (undef %u, Rt 0x%08lx, "
           "memory 0x%08lx)",
           undefs.count, (unsigned long)rt, (unsigned long)target_word);
}

/* break=1: the swap done as a plain load and store, which is not atomic. */
static uint32_t swap_broken(uint32_t *addr, uint32_t value)
{
    uint32_t old = *(volatile uint32_t *)addr;

    *(volatile uint32_t *)addr = value;
    return old;
}

static void pass_tokens(int cpu, void *arg)
{
    uint32_t at, first = 1 + (uint32_t)cpu * (uint32_t)iters;

    (void)arg;
    rt_barrier_wait(&start);
    for (uint32_t i = 0; i < iters; i++) {
        uint32_t got = broken ? swap_broken(&token_word, first + i)
                              : swp(&token_word, first + i, 0, &at);

        if (got < MAX_TOKENS)
            __atomic_add_fetch(&seen[got], 1, __ATOMIC_RELAXED);
    }
}

static void expect_tokens_once(int cpus)
{
    uint32_t tokens = (uint32_t)cpus * (uint32_t)iters + 1, wrong = 0, first_wrong = 0;

    if (undefs.count) {
        tap_ok(0, "SWP token passing not run: SWP was UNDEFINED");
        return;
    }
    token_word = 0;
    rt_barrier_init(&start, (unsigned)cpus);
    rt_smp_run(cpus, pass_tokens, 0);
    rt_dmb();
    seen[token_word]++;
    for (uint32_t t = 0; t < tokens; t++) {
        if (seen[t] != 1 && wrong++ == 0)
            first_wrong = t;
    }
    tap_ok(wrong == 0 && undefs.count == 0,
           "%d CPUs x %lu SWPs: each of %lu tokens seen exactly once (%lu wrong, first %lu)",
           cpus, iters, (unsigned long)tokens, (unsigned long)wrong, (unsigned long)first_wrong);
}

int main(void)
{
    uint32_t isar0, isar4, sctlr;
    int cpus = (int)rt_param_ulong("cpus", (unsigned long)rt_ncpus());
    int have_swp, control = (int)rt_param_ulong("control", 0);

    __asm__ volatile("mrc p15, 0, %0, c0, c2, 0" : "=r"(isar0));
    __asm__ volatile("mrc p15, 0, %0, c0, c2, 4" : "=r"(isar4));
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    have_swp = (int)rt_param_ulong("expect_swp", (isar0 & 0xf) != 0);
    iters = rt_param_ulong("iters", 20000);
    broken = (int)rt_param_ulong("break", 0);
    if (cpus < 1 || cpus > rt_ncpus())
        tap_bail("cpus=%d but the machine has %d", cpus, rt_ncpus());
    if ((uint64_t)cpus * iters + 1 > MAX_TOKENS)
        tap_bail("cpus x iters + 1 must be at most %u", MAX_TOKENS);

    rt_set_handler(RT_EXC_UNDEF, on_undef);
    tap_plan(have_swp ? 3 : 4);
    tap_diag("ID_ISAR0=0x%08lx (Swap_instrs=%lu) ID_ISAR4.SWP_frac=%lu SCTLR.SW=%lu",
             (unsigned long)isar0, (unsigned long)(isar0 & 0xf), (unsigned long)(isar4 >> 28),
             (unsigned long)((sctlr >> 10) & 1));
    tap_diag("branch: %s%s", have_swp ? "swap (SWP/SWPB must work)" : "UNDEF (SWP/SWPB must trap)",
             have_swp != ((isar0 & 0xf) != 0) ? ", forced by expect_swp" : "");
    if (have_swp) {
        expect_swap_word();
        expect_swap_byte();
        expect_tokens_once(cpus);
    } else if (control) {
        expect_undefined("UDF standing in for SWP", udf_for_swp);
        expect_undefined("UDF standing in for SWPB", udf_for_swpb);
    } else {
        expect_undefined("SWP", swp);
        expect_undefined("SWPB", swpb);
    }
    return tap_done();
}
