/*
 * lrt.h — the litmus guest runtime: how its files fit together.
 *
 * One prebuilt image runs any litmus test: the host patches a struct
 * litmus_desc (litmus/desc.h) into the `.litmus_desc` section and the guest
 * reads it at start-up. The pieces, one file each:
 *
 *   main.c      parameters, which descriptor (patched or built-in), the
 *               break= debug switches, the Key=value lines, exit status
 *   check.c     rejects a malformed descriptor before anything runs
 *   selftest.c  MP, MP+dmbs, SB, 2+2W+addr and SB+dmbs built in C (selftest=N)
 *   run.c       the runs: location placement in a RAM arena, thread->CPU
 *               assignment, batches of iterations, per-iteration sync,
 *               collection of the final states
 *   call.S      the trampoline that loads r0-r12, calls the test code and
 *               stores r0-r12 back
 *   hist.c      histogram of final states, the RPN condition and filter,
 *               the litmus7 log
 *
 * Everything here runs on CPU 0 except run_batch() and the sync helpers in
 * run.c, which run on the CPUs a run assigns threads to.
 */
#ifndef LITMUS_GUEST_LRT_H
#define LITMUS_GUEST_LRT_H

#include <stddef.h>
#include <stdint.h>

#include "litmus/desc.h"
#include "rt.h"

/* -append parameters; main.c writes them once before any secondary runs. */
struct lrt_params {
    unsigned long size;     /* iterations per run */
    unsigned long runs;
    unsigned long seed;     /* PRNG seed: the same seed, the same placements */
    unsigned long stride;   /* bytes between locations; 0 = random per run */
    unsigned long affinity; /* 0: thread i on CPU i; 1: random per run */
    unsigned long sync;     /* 0: barrier; 1: timebase */
    unsigned long tbdelta;  /* timebase: ticks from publication to start */
    unsigned long jitter;   /* random 0..jitter-1 spins after the sync */
    unsigned long brk;      /* 1: drop DMB/DSB; 2: negate the condition */
    unsigned long selftest; /* 0: the patched descriptor */
    unsigned long spin;     /* iteration waits: poll this many us, then nap */
    unsigned long nap;      /* ... WFI naps of this many us; 0 = never nap */
};

extern struct lrt_params lrt_params;

enum lrt_sync { LRT_SYNC_BARRIER = 0, LRT_SYNC_TIMEBASE = 1 };

/* check.c: 0 when d is well formed, else -1 and one line in why. */
int lrt_check(const struct litmus_desc *d, char *why, size_t len);

/* selftest.c: the built-in test number which, or NULL. */
const struct litmus_desc *lrt_selftest(unsigned long which);

/* run.c */
/* Copies the code into the per-thread pages; returns the DMB/DSB words
 * replaced by NOP when drop_barriers is set. */
unsigned lrt_install_code(const struct litmus_desc *d, int drop_barriers);
/* All runs; 0, or -1 when the histogram overflowed (already reported). */
int lrt_run_all(const struct litmus_desc *d);

/* hist.c. A final state is nouts words; bit o of addr_mask says that
 * vals[o] is a location index (the value was that location's address). */
#define LRT_MAX_STATES 1024
void lrt_hist_init(const struct litmus_desc *d);
int lrt_hist_add(const uint32_t *vals, uint32_t addr_mask); /* -1: full */
int lrt_eval(const struct litmus_insn *prog, const uint32_t *vals, uint32_t addr_mask);
/* Prints the log from "Test" to "Time"; returns main's exit status. */
int lrt_print_log(const struct litmus_desc *d, uint64_t ticks);
uint64_t lrt_hist_filtered(void); /* iterations the filter removed */

/* call.S: r0-r12 <- regs, call code, regs <- r0-r12. */
void lrt_call(uint32_t regs[LITMUS_NREGS], uint32_t code);

/* xorshift32; the state must not be 0. */
static inline uint32_t lrt_rand(uint32_t *s)
{
    uint32_t x = *s;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* A well-mixed non-zero PRNG state from a seed and a stream number. */
static inline uint32_t lrt_seed_mix(uint32_t seed, uint32_t stream)
{
    uint32_t z = seed * 0x9e3779b9u + stream * 0x85ebca6bu + 0x6a09e667u;

    z = (z ^ (z >> 16)) * 0x7feb352du;
    z = (z ^ (z >> 15)) * 0x846ca68bu;
    z ^= z >> 16;
    return z ? z : 0x2545f491u;
}

#endif
