/*
 * emulator.h — which emulator binary a run uses, and its command line.
 *
 * --emulator takes a word or a path:
 *   qemu    qemu-system-arm from PATH; the STREX_QEMU variable overrides it
 *           (a path, or a name looked up in PATH)
 *   strex   strex-emu in the same folder as the running strex binary
 *   PATH    that file; its basename is the label xfail.LABEL refers to
 *
 * Every emulator gets the qemu-system-arm command line (emulator_argv), so
 * any compatible binary can be named. strex-emu's own options (the seeded
 * schedule and the LL/SC strategy, emulator_argv_strex) go only to an
 * emulator that is strex-emu: --emulator strex, or a PATH whose basename
 * starts with "strex-emu".
 */
#ifndef HARNESS_EMULATOR_H
#define HARNESS_EMULATOR_H

#include "harness/suite.h"

#include <stdbool.h>
#include <stddef.h>

struct emulator {
    char *label;  /* qemu, strex, or the basename of the path */
    char *binary; /* the file that will be run */
    bool is_strex; /* strex-emu: takes strex's own -accel keys */
};

/* Returns 0, or -1 with "emulator 'WORD' not found (...)" in err. */
int emulator_resolve(const char *word, struct emulator *emu, char *err, size_t errlen);
void emulator_free(struct emulator *emu);

/*     BIN -M virt[,gic-version=3] -cpu cortex-a15 -nographic -semihosting
 *         -smp N -accel tcg,thread=M -kernel IMAGE [-append ARGS]
 * gic-version=3 above 8 vCPUs: GICv2 cannot address more. args NULL or ""
 * leaves out -append. The vector is NULL-terminated, each string
 * allocated; *argc does not count the NULL. */
char **emulator_argv(const char *binary, unsigned smp, enum thread_mode thread,
                     const char *image, const char *args, size_t *argc);

/* strex-emu's own -accel keys for one job; all false: none. */
struct emulator_strex_keys {
    bool seeded;         /* sched=chaos,seed=seed (a thread=single job) */
    unsigned long seed;
    bool has_llsc;       /* llsc=llsc; without it strex-emu runs LLSC_DEFAULT */
    enum llsc_mode llsc;
};

/* emulator_argv() with strex-emu's keys after thread=, in this order:
 *     -accel tcg,thread=M[,sched=chaos,seed=N][,llsc=X]
 * Only for an emulator with is_strex (QEMU refuses these keys). */
char **emulator_argv_strex(const char *binary, unsigned smp, enum thread_mode thread,
                           const struct emulator_strex_keys *keys, const char *image,
                           const char *args, size_t *argc);

/* emulator_argv() for thread=single with strex-emu's replayable schedule:
 *     -accel tcg,thread=single,sched=chaos,seed=SEED
 * Only for an emulator with is_strex (QEMU refuses these keys). */
char **emulator_argv_chaos(const char *binary, unsigned smp, const char *image,
                           const char *args, unsigned long seed, size_t *argc);

#endif
