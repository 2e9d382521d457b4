/*
 * difftest.c — `strex difftest`: generate sequences, build one guest image
 * per batch, run every image on emulator A and emulator B, compare.
 *
 *     strex difftest [--emulator-a qemu] [--emulator-b strex|PATH]
 *                    [--count N] [--seed S] [--length L|MIN-MAX] [--batch B]
 *                    [--jobs J] [--timeout S] [--out DIR]
 *                    [--lines NAME,...] [--only K,...] [--list-lines]
 *
 * The steps, each a batch of child processes through harness/runner.c
 * (so --jobs and --timeout mean what they mean for `strex run`):
 * write OUT/batches/NNNN.S, assemble (arm-none-eabi-as), link
 * (arm-none-eabi-ld -Ttext=0x40000000), run A and B with the
 * qemu-system-arm command line, then compare the "DT" lines of their
 * stderr (semihosting output) sequence by sequence. The report
 * (difftest_report.c) goes to stdout, OUT/report.md and OUT/report.json.
 *
 * Sequence K of seed S depends on nothing else but --length and --lines,
 * so `--only K` with the same seed rebuilds exactly that sequence.
 */
#include "harness/difftest.h"

#include "util/fatal.h"
#include "util/log.h"
#include "util/opt.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_ONLY 4096

static void usage(FILE *f)
{
    fputs("usage: strex difftest [options]\n"
          "\n"
          "Runs random straight-line A32 sequences on two emulators and compares\n"
          "their final registers, flags and memory (docs/difftest.md).\n"
          "\n"
          "  --emulator-a qemu|strex|PATH   reference (default qemu)\n"
          "  --emulator-b qemu|strex|PATH   under test (default strex)\n"
          "  --count N           sequences (default 1000)\n"
          "  --seed S            seed (default 1); sequence K of seed S is always the same\n"
          "  --length L|MIN-MAX  tested instructions per sequence (default 20-50)\n"
          "  --batch B           sequences per guest image (default 200)\n"
          "  --jobs J            processes at once (default: online CPUs)\n"
          "  --timeout SECONDS   per emulator run (default 60)\n"
          "  --out DIR           work and report folder (default out/difftest)\n"
          "  --lines NAMES       draw only these a32.def lines (LDREX,ADD_REG,...)\n"
          "  --only K,...        only sequences K (ranges allowed: 3,10-12)\n"
          "  --list-lines        print which lines are covered or excluded, and why\n"
          "\n"
          "exit status: 0 no difference, 1 a difference or a failed run (crash,\n"
          "timeout), 2 a usage error or a missing tool.\n",
          f);
}

/* ---- options ------------------------------------------------------------- */

static int number(const char *name, const char *v, unsigned long min, unsigned long max,
                  unsigned long *out, char *err, size_t errlen)
{
    char msg[256];

    if (opt_parse_ulong(v, min, max, out, msg, sizeof(msg)) == 0)
        return 0;
    snprintf(err, errlen, "%s: %s", name, msg);
    return -1;
}

static int parse_length(struct difftest_options *o, const char *v, char *err, size_t errlen)
{
    const char *dash = strchr(v, '-');
    char lo[32];

    if (!dash)
        return number("--length", v, 1, 10000, &o->min_len, err, errlen) ||
               number("--length", v, 1, 10000, &o->max_len, err, errlen);
    snprintf(lo, sizeof(lo), "%.*s", (int)(dash - v), v);
    if (number("--length", lo, 1, 10000, &o->min_len, err, errlen) ||
        number("--length", dash + 1, 1, 10000, &o->max_len, err, errlen))
        return -1;
    if (o->min_len > o->max_len) {
        snprintf(err, errlen, "--length: %lu-%lu is an empty range", o->min_len, o->max_len);
        return -1;
    }
    return 0;
}

static int line_by_name(const char *name, enum a32_line *out)
{
    if (!strncasecmp(name, "A32_", 4))
        name += 4;
    for (int l = 0; l < A32_N_LINES; l++)
        if (!strcasecmp(name, arm_insn_name((enum a32_line)l))) {
            *out = (enum a32_line)l;
            return 0;
        }
    return -1;
}

static int parse_lines(struct difftest_options *o, const char *v, char *err, size_t errlen)
{
    char **words, msg[256];
    size_t n;
    int rc = 0;

    if (opt_parse_words(v, &words, &n, msg, sizeof(msg))) {
        snprintf(err, errlen, "--lines: %s", msg);
        return -1;
    }
    memset(o->picked, 0, sizeof(o->picked));
    o->have_lines = true;
    for (size_t i = 0; i < n && rc == 0; i++) {
        enum a32_line l;

        if (line_by_name(words[i], &l)) {
            snprintf(err, errlen, "--lines: no a32.def line '%s' (see --list-lines)", words[i]);
            rc = -1;
        } else if (difftest_line_excluded(l)) {
            snprintf(err, errlen, "--lines: %s is excluded: %s", words[i], difftest_line_excluded(l));
            rc = -1;
        } else {
            o->picked[l] = true;
        }
    }
    opt_free_words(words, n);
    return rc;
}

static int parse_only(struct difftest_options *o, const char *v, char *err, size_t errlen)
{
    char msg[256];

    free(o->only);
    o->only = xcalloc(MAX_ONLY, sizeof(*o->only));
    if (opt_parse_ulong_list(v, 0, 0xffffffffu, o->only, MAX_ONLY, &o->n_only, msg, sizeof(msg))) {
        snprintf(err, errlen, "--only: %s", msg);
        return -1;
    }
    return 0;
}

/* One option with its value; returns 0, or -1 with a message. */
static int parse_option(struct difftest_options *o, const char *name, const char *v, char *err,
                        size_t errlen)
{
    unsigned long n;

    if (!strcmp(name, "--emulator-a"))
        o->emu_a = v;
    else if (!strcmp(name, "--emulator-b"))
        o->emu_b = v;
    else if (!strcmp(name, "--count"))
        return number(name, v, 1, 500000, &o->count, err, errlen); /* ~1 KiB each in memory */
    else if (!strcmp(name, "--seed"))
        return number(name, v, 0, ~0ul, &o->seed, err, errlen);
    else if (!strcmp(name, "--length"))
        return parse_length(o, v, err, errlen);
    else if (!strcmp(name, "--batch"))
        return number(name, v, 1, 5000, &o->batch, err, errlen);
    else if (!strcmp(name, "--jobs") || !strcmp(name, "--timeout")) {
        if (number(name, v, 1, !strcmp(name, "--jobs") ? 1024 : 86400, &n, err, errlen))
            return -1;
        *(!strcmp(name, "--jobs") ? &o->jobs : &o->timeout_s) = (unsigned)n;
    } else if (!strcmp(name, "--out"))
        o->out_dir = v;
    else if (!strcmp(name, "--lines"))
        return parse_lines(o, v, err, errlen);
    else if (!strcmp(name, "--only"))
        return parse_only(o, v, err, errlen);
    else {
        snprintf(err, errlen, "unknown option '%s'", name);
        return -1;
    }
    if (!*v) {
        snprintf(err, errlen, "%s: empty value", name);
        return -1;
    }
    return 0;
}

static void set_defaults(struct difftest_options *o)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    memset(o, 0, sizeof(*o));
    o->emu_a = "qemu";
    o->emu_b = "strex";
    o->count = 1000;
    o->seed = 1;
    o->min_len = 20;
    o->max_len = 50;
    o->batch = 200;
    o->jobs = cpus > 0 ? (unsigned)cpus : 1;
    o->timeout_s = 60;
    o->out_dir = "out/difftest";
}

/* Options come as "--opt VALUE" or "--opt=VALUE"; argv[0] is "difftest". */
int difftest_parse_options(int argc, char **argv, struct difftest_options *o, char *err,
                           size_t errlen)
{
    set_defaults(o);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *eq = strchr(arg, '='), *v;
        char name[64];

        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            o->help = true;
            continue;
        }
        if (!strcmp(arg, "--list-lines")) {
            o->list_lines = true;
            continue;
        }
        snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - arg) : (int)strlen(arg), arg);
        if (eq)
            v = eq + 1;
        else if (i + 1 < argc && strncmp(arg, "--", 2) == 0)
            v = argv[++i];
        else {
            snprintf(err, errlen, "%s: %s", arg, strncmp(arg, "--", 2) ? "unexpected argument"
                                                                      : "missing value");
            return -1;
        }
        if (parse_option(o, name, v, err, errlen))
            return -1;
    }
    return 0;
}

void difftest_options_free(struct difftest_options *o)
{
    free(o->only);
    o->only = NULL;
}

/* ---- --list-lines --------------------------------------------------------- */

static void list_lines(FILE *f)
{
    int covered = 0, excluded = 0;

    for (int l = 0; l < A32_N_LINES; l++) {
        const char *why = difftest_line_excluded((enum a32_line)l);
        const char *note = difftest_line_note((enum a32_line)l);

        if (why)
            fprintf(f, "excluded  %-12s %s\n", arm_insn_name((enum a32_line)l), why), excluded++;
        else if (note)
            fprintf(f, "covered   %-12s %s\n", arm_insn_name((enum a32_line)l), note), covered++;
        else
            fprintf(f, "covered   %s\n", arm_insn_name((enum a32_line)l)), covered++;
    }
    fprintf(f, "%d lines covered, %d excluded\n", covered, excluded);
}

int difftest_main(int argc, char **argv)
{
    struct difftest_options o;
    char err[512];
    int rc;

    if (difftest_parse_options(argc, argv, &o, err, sizeof(err))) {
        log_error("difftest: %s (see strex difftest --help)", err);
        difftest_options_free(&o);
        return 2;
    }
    if (o.help || o.list_lines) {
        if (o.help)
            usage(stdout);
        else
            list_lines(stdout);
        difftest_options_free(&o);
        return 0;
    }
    rc = difftest_run(&o);
    difftest_options_free(&o);
    return rc;
}
