/*
 * llsc-monitor — the local exclusive monitor of one CPU, one rule per check.
 *
 * Each scenario is one inline-asm block, so nothing the compiler or the
 * runtime emits (rt_printf takes a lock with LDREX/STREX) can land between
 * the instructions under test. It runs on CPU 0 only; at -smp > 1 the
 * secondaries are never started.
 *
 *   1  STREX with no LDREX since the last STREX fails (status 1), no store
 *   2  LDREX, CLREX, STREX fails, no store
 *   3  LDREX, STREX succeeds (status 0) and stores
 *   4  LDREX A, LDREX B, STREX B succeeds: the last LDREX re-arms the monitor
 *   5  LDREX A, LDREX B, STREX A fails.  The architecture leaves a STREX to
 *      an address other than the tagged one IMPLEMENTATION DEFINED (a local
 *      monitor need not compare addresses); QEMU tags exactly one address
 *      (the last LDREX's), so it fails there, and this checks QEMU's answer.
 *   6  LDREX, SVC to our own handler and back, STREX.  Whether exception
 *      entry or return clears the local monitor is IMPLEMENTATION DEFINED
 *      (ARM recommends CLREX in exception return paths). QEMU 7.2 clears it
 *      on neither, so the STREX succeeds; this checks exactly that.
 *   7  the same with an UNDEF (UDF) round trip: QEMU 7.2 succeeds too
 *   8  LDREXB/STREXB: status 0, only that byte stored; a 2nd STREXB fails
 *   9  LDREXH/STREXH: the same for a halfword
 *  10  LDREXD/STREXD: the same for a doubleword, guard words untouched
 * Every status is compared with exactly 0 or 1: other values are wrong.
 * Two diagnostics (no checks) show what a plain STR by the same CPU
 * between LDREX and STREX does; that is IMPLEMENTATION DEFINED.
 * Mismatched sizes (LDREXB then STREX) are UNPREDICTABLE and not tested.
 *
 * Parameters: break=N (1..10) sabotages check N so that it must fail:
 * 1 adds an LDREX before the lone STREX, 2 leaves out the CLREX, 3, 4 and
 * 8-10 put a CLREX before the STREX that must succeed, 5 re-reads A with
 * LDREX after B, 6 and 7 make the exception handler execute CLREX.
 */
#include "rt.h"
#include "tap.h"

#define SVC_IMM 0x5a
#define UDF_INSN 0xe7f005fbu /* udf #0x5b */

/* Runs insn only when brk is non-zero (the sabotage of a check). */
#define IF_BROKEN(insn) "cmp %[brk], #0\n\tbeq 1f\n\t" insn "\n1:\n\t"
/* Runs insn only when brk is zero (a sabotage that removes insn). */
#define UNLESS_BROKEN(insn) "cmp %[brk], #0\n\tbne 1f\n\t" insn "\n1:\n\t"

/* A and B sit in different 64-byte granules (the CTR's ERG), so even a
 * monitor that tags whole granules tells them apart. */
static uint32_t cell_a __attribute__((aligned(64)));
static uint32_t cell_b __attribute__((aligned(64)));
static uint64_t dwords[3] __attribute__((aligned(64)));

static unsigned broken;        /* the check number to sabotage, 0 = none */
static volatile unsigned svc_taken, undef_taken;
static volatile int clrex_in_handler;

static int brk(unsigned check)
{
    return broken == check;
}

static int check_lone_strex(void)
{
    uint32_t t, pair, lone;

    cell_a = 0x1000;
    __asm__ volatile("ldrex %[t], [%[p]]\n\t"
                     "strex %[pair], %[t], [%[p]]\n\t"
                     IF_BROKEN("ldrex %[t], [%[p]]")
                     "strex %[lone], %[v], [%[p]]"
                     : [t] "=&r"(t), [pair] "=&r"(pair), [lone] "=&r"(lone)
                     : [p] "r"(&cell_a), [v] "r"(0x1001), [brk] "r"(brk(1))
                     : "cc", "memory");
    return tap_ok(pair == 0 && lone == 1 && cell_a == 0x1000,
                  "STREX with no LDREX since the last STREX fails and stores nothing "
                  "(pair %lu, lone %lu, memory 0x%lx)",
                  (unsigned long)pair, (unsigned long)lone, (unsigned long)cell_a);
}

static int check_clrex(void)
{
    uint32_t t, status;

    cell_a = 0x2000;
    __asm__ volatile("ldrex %[t], [%[p]]\n\t"
                     UNLESS_BROKEN("clrex")
                     "strex %[s], %[v], [%[p]]"
                     : [t] "=&r"(t), [s] "=&r"(status)
                     : [p] "r"(&cell_a), [v] "r"(0x2001), [brk] "r"(brk(2))
                     : "cc", "memory");
    return tap_ok(status == 1 && cell_a == 0x2000,
                  "LDREX, CLREX, STREX fails and stores nothing (status %lu, memory 0x%lx)",
                  (unsigned long)status, (unsigned long)cell_a);
}

static int check_pair_succeeds(void)
{
    uint32_t t, status;

    cell_a = 0x3000;
    __asm__ volatile("ldrex %[t], [%[p]]\n\t"
                     IF_BROKEN("clrex")
                     "strex %[s], %[v], [%[p]]"
                     : [t] "=&r"(t), [s] "=&r"(status)
                     : [p] "r"(&cell_a), [v] "r"(0x3001), [brk] "r"(brk(3))
                     : "cc", "memory");
    return tap_ok(t == 0x3000 && status == 0 && cell_a == 0x3001,
                  "LDREX, STREX succeeds and stores (loaded 0x%lx, status %lu, memory 0x%lx)",
                  (unsigned long)t, (unsigned long)status, (unsigned long)cell_a);
}

static int check_second_ldrex_rearms(void)
{
    uint32_t ta, tb, status;

    cell_a = 0x4000;
    cell_b = 0x4100;
    __asm__ volatile("ldrex %[ta], [%[a]]\n\t"
                     "ldrex %[tb], [%[b]]\n\t"
                     IF_BROKEN("clrex")
                     "strex %[s], %[v], [%[b]]"
                     : [ta] "=&r"(ta), [tb] "=&r"(tb), [s] "=&r"(status)
                     : [a] "r"(&cell_a), [b] "r"(&cell_b), [v] "r"(0x4101), [brk] "r"(brk(4))
                     : "cc", "memory");
    return tap_ok(status == 0 && cell_b == 0x4101 && cell_a == 0x4000,
                  "LDREX A, LDREX B, STREX B succeeds (status %lu, B 0x%lx, A 0x%lx)",
                  (unsigned long)status, (unsigned long)cell_b, (unsigned long)cell_a);
}

static int check_first_address_forgotten(void)
{
    uint32_t ta, tb, status;

    cell_a = 0x5000;
    cell_b = 0x5100;
    __asm__ volatile("ldrex %[ta], [%[a]]\n\t"
                     "ldrex %[tb], [%[b]]\n\t"
                     IF_BROKEN("ldrex %[ta], [%[a]]")
                     "strex %[s], %[v], [%[a]]"
                     : [ta] "=&r"(ta), [tb] "=&r"(tb), [s] "=&r"(status)
                     : [a] "r"(&cell_a), [b] "r"(&cell_b), [v] "r"(0x5001), [brk] "r"(brk(5))
                     : "cc", "memory");
    return tap_ok(status == 1 && cell_a == 0x5000 && cell_b == 0x5100,
                  "QEMU: LDREX A, LDREX B, STREX A fails, the monitor holds B only "
                  "(status %lu, A 0x%lx)",
                  (unsigned long)status, (unsigned long)cell_a);
}

/* Our own SVC and UDF come back here; anything else is the runtime's. */
static int on_svc(struct rt_frame *f, enum rt_exc type)
{
    (void)type;
    if ((*(uint32_t *)(f->pc - 4) & 0xffffff) != SVC_IMM)
        return 0;
    if (clrex_in_handler)
        __asm__ volatile("clrex" ::: "memory");
    svc_taken = svc_taken + 1;
    return 1;
}

static int on_undef(struct rt_frame *f, enum rt_exc type)
{
    (void)type;
    if (*(uint32_t *)(f->pc - 4) != UDF_INSN)
        return 0;
    if (clrex_in_handler)
        __asm__ volatile("clrex" ::: "memory");
    undef_taken = undef_taken + 1;
    return 1;
}

/* The SVC overwrites LR_svc (we run in SVC mode), hence the "lr" clobber. */
static int check_svc_round_trip(void)
{
    uint32_t t, status;

    cell_a = 0x6000;
    svc_taken = 0;
    clrex_in_handler = brk(6);
    __asm__ volatile("ldrex %[t], [%[p]]\n\t"
                     "svc %[imm]\n\t"
                     "strex %[s], %[v], [%[p]]"
                     : [t] "=&r"(t), [s] "=&r"(status)
                     : [p] "r"(&cell_a), [v] "r"(0x6001), [imm] "i"(SVC_IMM)
                     : "lr", "memory");
    return tap_ok(svc_taken == 1 && status == 0 && cell_a == 0x6001,
                  "QEMU: STREX after an SVC round trip succeeds, exceptions keep the monitor "
                  "(svc taken %u, status %lu, memory 0x%lx)",
                  svc_taken, (unsigned long)status, (unsigned long)cell_a);
}

static int check_undef_round_trip(void)
{
    uint32_t t, status;

    cell_a = 0x7000;
    undef_taken = 0;
    clrex_in_handler = brk(7);
    __asm__ volatile("ldrex %[t], [%[p]]\n\t"
                     ".word %c[udf]\n\t"
                     "strex %[s], %[v], [%[p]]"
                     : [t] "=&r"(t), [s] "=&r"(status)
                     : [p] "r"(&cell_a), [v] "r"(0x7001), [udf] "i"(UDF_INSN)
                     : "memory");
    return tap_ok(undef_taken == 1 && status == 0 && cell_a == 0x7001,
                  "QEMU: STREX after an UNDEF round trip succeeds "
                  "(undef taken %u, status %lu, memory 0x%lx)",
                  undef_taken, (unsigned long)status, (unsigned long)cell_a);
}

/* Byte 1 of A (0x33 in 0x11223344) becomes 0xab; a second STREXB fails. */
static int check_byte(void)
{
    uint8_t *p = (uint8_t *)&cell_a + 1;
    uint32_t t, first, second;

    cell_a = 0x11223344;
    __asm__ volatile("ldrexb %[t], [%[p]]\n\t"
                     IF_BROKEN("clrex")
                     "strexb %[s1], %[v1], [%[p]]\n\t"
                     "strexb %[s2], %[v2], [%[p]]"
                     : [t] "=&r"(t), [s1] "=&r"(first), [s2] "=&r"(second)
                     : [p] "r"(p), [v1] "r"(0xab), [v2] "r"(0xcd), [brk] "r"(brk(8))
                     : "cc", "memory");
    return tap_ok(t == 0x33 && first == 0 && second == 1 && cell_a == 0x1122ab44,
                  "LDREXB/STREXB: loads 0x%lx, status %lu then %lu, word 0x%lx "
                  "(want 0x33, 0 then 1, 0x1122ab44)",
                  (unsigned long)t, (unsigned long)first, (unsigned long)second,
                  (unsigned long)cell_a);
}

/* The high halfword of A (0x1122) becomes 0xabcd; a second STREXH fails. */
static int check_halfword(void)
{
    uint16_t *p = (uint16_t *)&cell_a + 1;
    uint32_t t, first, second;

    cell_a = 0x11223344;
    __asm__ volatile("ldrexh %[t], [%[p]]\n\t"
                     IF_BROKEN("clrex")
                     "strexh %[s1], %[v1], [%[p]]\n\t"
                     "strexh %[s2], %[v2], [%[p]]"
                     : [t] "=&r"(t), [s1] "=&r"(first), [s2] "=&r"(second)
                     : [p] "r"(p), [v1] "r"(0xabcd), [v2] "r"(0x5555), [brk] "r"(brk(9))
                     : "cc", "memory");
    return tap_ok(t == 0x1122 && first == 0 && second == 1 && cell_a == 0xabcd3344,
                  "LDREXH/STREXH: loads 0x%lx, status %lu then %lu, word 0x%lx "
                  "(want 0x1122, 0 then 1, 0xabcd3344)",
                  (unsigned long)t, (unsigned long)first, (unsigned long)second,
                  (unsigned long)cell_a);
}

/* dwords[1] is the target, dwords[0] and [2] are guards. A uint64_t operand
 * gets an even/odd register pair, which LDREXD/STREXD need (%H = odd). */
static int check_doubleword(void)
{
    const uint64_t guard = 0x6666777788889999ull, old = 0x0123456789abcdefull;
    const uint64_t v1 = 0xfedcba9876543210ull, v2 = 0x5555aaaa5555aaaaull;
    uint64_t t;
    uint32_t first, second;

    dwords[0] = dwords[2] = guard;
    dwords[1] = old;
    __asm__ volatile("ldrexd %[t], %H[t], [%[p]]\n\t"
                     IF_BROKEN("clrex")
                     "strexd %[s1], %[v1], %H[v1], [%[p]]\n\t"
                     "strexd %[s2], %[v2], %H[v2], [%[p]]"
                     : [t] "=&r"(t), [s1] "=&r"(first), [s2] "=&r"(second)
                     : [p] "r"(&dwords[1]), [v1] "r"(v1), [v2] "r"(v2), [brk] "r"(brk(10))
                     : "cc", "memory");
    return tap_ok(t == old && first == 0 && second == 1 && dwords[1] == v1 &&
                      dwords[0] == guard && dwords[2] == guard,
                  "LDREXD/STREXD: loads 0x%llx, status %lu then %lu, memory 0x%llx, guards %s",
                  (unsigned long long)t, (unsigned long)first, (unsigned long)second,
                  (unsigned long long)dwords[1],
                  dwords[0] == guard && dwords[2] == guard ? "intact" : "CHANGED");
}

/* Not a check: whether the CPU's own plain STR to the tagged address
 * clears its monitor is IMPLEMENTATION DEFINED, and QEMU's answer depends
 * on the value stored (its STREX compares memory with what LDREX read).
 * Printed so that emulator authors see it. */
static uint32_t strex_after_own_store(uint32_t stored)
{
    uint32_t t, status;

    cell_a = 0x8000;
    __asm__ volatile("ldrex %[t], [%[p]]\n\t"
                     "str %[mid], [%[p]]\n\t"
                     "strex %[s], %[v], [%[p]]"
                     : [t] "=&r"(t), [s] "=&r"(status)
                     : [p] "r"(&cell_a), [mid] "r"(stored), [v] "r"(0x8001)
                     : "memory");
    return status;
}

static void report_own_store(void)
{
    uint32_t same = strex_after_own_store(0x8000), other = strex_after_own_store(0x8002);

    tap_diag("measured: LDREX, own STR of the same value, STREX -> status %lu",
             (unsigned long)same);
    tap_diag("measured: LDREX, own STR of another value, STREX -> status %lu",
             (unsigned long)other);
}

int main(void)
{
    broken = (unsigned)rt_param_ulong("break", 0);
    tap_plan(10);
    if (broken)
        tap_diag("break=%u: check %u is sabotaged and must fail", broken, broken);
    rt_set_handler(RT_EXC_SVC, on_svc);
    rt_set_handler(RT_EXC_UNDEF, on_undef);

    check_lone_strex();
    check_clrex();
    check_pair_succeeds();
    check_second_ldrex_rearms();
    check_first_address_forgotten();
    check_svc_round_trip();
    check_undef_round_trip();
    check_byte();
    check_halfword();
    check_doubleword();
    report_own_store();
    return tap_done();
}
