/*
 * cmdline.h — the strex command line.
 *
 *     strex run [SUITE] [--emulator qemu|strex|PATH] [--smp LIST]
 *               [--thread multi,single] [--jobs N] [--timeout SECONDS]
 *               [--out DIR] [--filter NAME[,NAME...]] [--seeds A..B|LIST]
 *               [--llsc cas,excl,stw]
 *     strex --help | strex help | strex --version
 *
 * Option values come as "--opt VALUE" or "--opt=VALUE". Parsing only
 * checks syntax and ranges; whether the suite, the emulator and the
 * filtered names exist is the run's business (cmd_run.c).
 */
#ifndef HARNESS_CMDLINE_H
#define HARNESS_CMDLINE_H

#include "harness/suite.h"

#include <stddef.h>
#include <stdio.h>

#define STREX_VERSION "0.1.0"
#define CMDLINE_MAX_SEEDS 10000 /* the longest --seeds list */

enum cmdline_command { CMDLINE_RUN, CMDLINE_HELP, CMDLINE_VERSION };

struct run_options {
    const char *suite;    /* from argv, or the default */
    const char *emulator; /* from argv, or "qemu" */
    unsigned long smp[SUITE_MAX_SMP];
    size_t n_smp;
    enum thread_mode threads[THREAD_MODES];
    size_t n_threads;
    unsigned jobs;
    unsigned timeout_s;
    char *out_dir;  /* owned */
    char **filter;  /* owned; NULL: every test */
    size_t n_filter;
    unsigned long *seeds; /* owned; NULL: no seed axis (the emulator's own schedule) */
    size_t n_seeds;
    enum llsc_mode llsc[LLSC_MODES]; /* the --llsc list, in its order */
    size_t n_llsc;                   /* 0: no LL/SC axis (strex-emu's default) */
};

struct cmdline {
    enum cmdline_command command;
    struct run_options run; /* for CMDLINE_RUN */
};

/* Returns 0, or -1 with a one-line message (no program prefix, no hint)
 * in err. */
int cmdline_parse(int argc, char **argv, struct cmdline *cli, char *err, size_t errlen);
void cmdline_free(struct cmdline *cli);
void cmdline_usage(FILE *f);

#endif
