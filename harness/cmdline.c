/*
 * cmdline.c — parsing `strex ...` into struct cmdline.
 *
 * The run options are a table: name, and a function that parses the
 * value into struct run_options. Everything a value can get wrong is
 * caught here, so a run never starts with half-understood settings.
 */
#include "harness/cmdline.h"

#include "util/fatal.h"
#include "util/opt.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void cmdline_usage(FILE *f)
{
    fputs("usage: strex run [SUITE] [options]\n"
          "       strex litmus run [FILE.litmus...|--campaign herding-cats|--list FILE] [options]\n"
          "       strex litmus show FILE.litmus...\n"
          "       strex litmus parse-all DIR|FILE.tgz\n"
          "       strex litmus compare LOG|DIR LOG|DIR\n"
          "       strex --help | strex help | strex --version\n"
          "\n"
          "Runs every test of SUITE (default stress/default.suite) at each vCPU\n"
          "count and thread mode, on an emulator, and writes results.json,\n"
          "junit.xml and summary.md.\n"
          "\n"
          "options (--opt VALUE or --opt=VALUE):\n"
          "  --emulator qemu|strex|PATH  qemu: qemu-system-arm from PATH (or $STREX_QEMU);\n"
          "                              strex: strex-emu next to strex; default qemu\n"
          "  --smp LIST        vCPU counts, e.g. 1,2,4,8 or 1-8 (default 1,2,4,8)\n"
          "  --thread LIST     thread modes: multi,single (default both)\n"
          "  --jobs N          emulators run at once (default: online CPUs)\n"
          "  --timeout SECONDS per job, unless the suite sets one (default 120)\n"
          "  --out DIR         report folder (default out/run-YYYYmmdd-HHMMSS)\n"
          "  --filter NAMES    only these tests, comma-separated\n"
          "  --seeds LIST      strex-emu only: run each job once per seed with the\n"
          "                    replayable schedule -accel tcg,thread=single,sched=chaos,\n"
          "                    seed=N; e.g. 1..100 or 3,17,42 (thread=single jobs only)\n"
          "  --llsc LIST       strex-emu only: run each job once per LL/SC strategy with\n"
          "                    -accel tcg,...,llsc=X; LIST of cas, excl, stw (default:\n"
          "                    none given, strex-emu's own default, excl). Suite lines\n"
          "                    declare per-strategy failures with xfail.llsc.X=\"why\"\n"
          "\n"
          "exit status: 0 all passed (expected failures allowed), 1 a failure or\n"
          "an unexpected pass, 2 a usage or suite-file error.\n",
          f);
}

typedef int option_fn(struct run_options *o, const char *value, char *err, size_t errlen);

static int opt_emulator(struct run_options *o, const char *value, char *err, size_t errlen)
{
    if (!*value) {
        snprintf(err, errlen, "--emulator: empty value");
        return -1;
    }
    o->emulator = value;
    return 0;
}

static int opt_smp(struct run_options *o, const char *value, char *err, size_t errlen)
{
    char msg[256];

    if (opt_parse_ulong_list(value, 1, SUITE_MAX_SMP, o->smp, SUITE_MAX_SMP, &o->n_smp, msg,
                             sizeof(msg)) != 0) {
        snprintf(err, errlen, "--smp: %s", msg);
        return -1;
    }
    return 0;
}

static int opt_thread(struct run_options *o, const char *value, char *err, size_t errlen)
{
    char msg[256];

    if (thread_list_parse(value, o->threads, &o->n_threads, msg, sizeof(msg)) != 0) {
        snprintf(err, errlen, "--thread: %s", msg);
        return -1;
    }
    return 0;
}

static int parse_unsigned(const char *name, const char *value, unsigned long max,
                          unsigned *out, char *err, size_t errlen)
{
    unsigned long v;
    char msg[256];

    if (opt_parse_ulong(value, 1, max, &v, msg, sizeof(msg)) != 0) {
        snprintf(err, errlen, "%s: %s", name, msg);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

static int opt_jobs(struct run_options *o, const char *value, char *err, size_t errlen)
{
    return parse_unsigned("--jobs", value, 1024, &o->jobs, err, errlen);
}

static int opt_timeout(struct run_options *o, const char *value, char *err, size_t errlen)
{
    return parse_unsigned("--timeout", value, 86400, &o->timeout_s, err, errlen);
}

static int opt_out(struct run_options *o, const char *value, char *err, size_t errlen)
{
    if (!*value) {
        snprintf(err, errlen, "--out: empty value");
        return -1;
    }
    free(o->out_dir);
    o->out_dir = xstrdup(value);
    return 0;
}

static int opt_filter(struct run_options *o, const char *value, char *err, size_t errlen)
{
    char msg[256];

    opt_free_words(o->filter, o->n_filter);
    if (opt_parse_words(value, &o->filter, &o->n_filter, msg, sizeof(msg)) != 0) {
        snprintf(err, errlen, "--filter: %s", msg);
        return -1;
    }
    return 0;
}

static int opt_seeds(struct run_options *o, const char *value, char *err, size_t errlen)
{
    char msg[256];

    free(o->seeds);
    o->seeds = xcalloc(CMDLINE_MAX_SEEDS, sizeof(*o->seeds));
    if (opt_parse_ulong_list(value, 0, ULONG_MAX, o->seeds, CMDLINE_MAX_SEEDS, &o->n_seeds,
                             msg, sizeof(msg)) != 0) {
        snprintf(err, errlen, "--seeds: %s", msg);
        return -1;
    }
    return 0;
}

static int opt_llsc(struct run_options *o, const char *value, char *err, size_t errlen)
{
    char msg[256];

    if (llsc_list_parse(value, o->llsc, &o->n_llsc, msg, sizeof(msg)) != 0) {
        snprintf(err, errlen, "--llsc: %s", msg);
        return -1;
    }
    return 0;
}

static const struct {
    const char *name;
    option_fn *parse;
} run_options[] = {
    { "--emulator", opt_emulator }, { "--smp", opt_smp },       { "--thread", opt_thread },
    { "--jobs", opt_jobs },         { "--timeout", opt_timeout }, { "--out", opt_out },
    { "--filter", opt_filter },     { "--seeds", opt_seeds },     { "--llsc", opt_llsc },
};

static void set_defaults(struct run_options *o)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    memset(o, 0, sizeof(*o));
    o->suite = "stress/default.suite";
    o->emulator = "qemu";
    o->smp[0] = 1, o->smp[1] = 2, o->smp[2] = 4, o->smp[3] = 8;
    o->n_smp = 4;
    o->threads[0] = THREAD_MULTI, o->threads[1] = THREAD_SINGLE;
    o->n_threads = 2;
    o->jobs = cpus > 0 ? (unsigned)cpus : 1;
    o->timeout_s = 120;
}

/* out/run-YYYYmmdd-HHMMSS in local time, when --out was not given. */
static char *default_out_dir(void)
{
    char buf[64];
    time_t now = time(NULL);
    struct tm tm;

    localtime_r(&now, &tm);
    strftime(buf, sizeof(buf), "out/run-%Y%m%d-%H%M%S", &tm);
    return xstrdup(buf);
}

/* One "--name[=value]" at argv[*i]; may consume argv[*i + 1]. */
static int parse_option(struct cmdline *cli, int argc, char **argv, int *i, char *err,
                        size_t errlen)
{
    const char *arg = argv[*i], *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    const char *value;

    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
        cli->command = CMDLINE_HELP;
        return 0;
    }
    for (size_t k = 0; k < sizeof(run_options) / sizeof(run_options[0]); k++) {
        if (strlen(run_options[k].name) != len || strncmp(arg, run_options[k].name, len) != 0)
            continue;
        if (eq) {
            value = eq + 1;
        } else if (*i + 1 < argc) {
            value = argv[++*i];
        } else {
            snprintf(err, errlen, "%s needs a value", run_options[k].name);
            return -1;
        }
        return run_options[k].parse(&cli->run, value, err, errlen);
    }
    snprintf(err, errlen, "unknown option '%.*s'", (int)len, arg);
    return -1;
}

static int parse_run(struct cmdline *cli, int argc, char **argv, char *err, size_t errlen)
{
    bool suite_given = false, options_done = false;

    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];

        if (!options_done && strcmp(arg, "--") == 0) {
            options_done = true;
        } else if (!options_done && arg[0] == '-' && arg[1]) {
            if (parse_option(cli, argc, argv, &i, err, errlen) != 0)
                return -1;
            if (cli->command == CMDLINE_HELP)
                return 0;
        } else if (suite_given) {
            snprintf(err, errlen, "more than one suite given ('%s' and '%s')", cli->run.suite,
                     arg);
            return -1;
        } else {
            cli->run.suite = arg;
            suite_given = true;
        }
    }
    if (!cli->run.out_dir)
        cli->run.out_dir = default_out_dir();
    return 0;
}

int cmdline_parse(int argc, char **argv, struct cmdline *cli, char *err, size_t errlen)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;

    memset(cli, 0, sizeof(*cli));
    set_defaults(&cli->run);
    if (!cmd) {
        snprintf(err, errlen, "no command given");
        return -1;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        cli->command = CMDLINE_HELP;
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        cli->command = CMDLINE_VERSION;
        return 0;
    }
    if (strcmp(cmd, "run") != 0) {
        snprintf(err, errlen, "unknown command '%s'", cmd);
        return -1;
    }
    cli->command = CMDLINE_RUN;
    if (parse_run(cli, argc, argv, err, errlen) != 0) {
        cmdline_free(cli);
        return -1;
    }
    return 0;
}

void cmdline_free(struct cmdline *cli)
{
    free(cli->run.out_dir);
    opt_free_words(cli->run.filter, cli->run.n_filter);
    free(cli->run.seeds);
    cli->run.seeds = NULL;
    cli->run.n_seeds = 0;
    cli->run.out_dir = NULL;
    cli->run.filter = NULL;
    cli->run.n_filter = 0;
}
