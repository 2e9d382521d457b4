/*
 * run.c — `strex litmus run`: options, set-up, the end.
 *
 * Steps, each of which can stop the run with exit status 2 before any
 * emulator starts: parse the options; find the emulator and the runtime
 * ELF; select the tests (run_select.c: files, folders, the campaign,
 * --list/--filter/--limit); read the verdict table; create the out
 * folder. Then every selected test is parsed, allocated and turned
 * into a descriptor once, to learn its thread count and quantifier, or to
 * fail it ("FILE:LINE: ...") or mark it not generated; those get their
 * progress line at once. run_jobs.c runs the rest, run_report.c writes the
 * reports.
 *
 * Test files are parsed up to three times (name, descriptor, image), each
 * time freed: a parse costs tens of microseconds, while keeping 9,790
 * parsed tests or descriptors (34 KB each) around would cost memory for
 * nothing.
 */
#include "litmus/run.h"

#include "harness/cmd_run.h"
#include "harness/emulator.h"
#include "litmus/gen.h"
#include "reports/report.h"
#include "util/fatal.h"
#include "util/file.h"
#include "util/log.h"
#include "util/opt.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CAMPAIGN_NAME "herding-cats"
#define RUNTIME_DEFAULT "build/litmus/litmus-rt.elf"
#define MAX_SMP 16 /* RT_MAX_CPUS of the guest runtime (baremetal/lib/rt.h) */

struct options {
    char **paths; /* files and folders given */
    size_t n_paths;
    bool campaign;
    const char *emulator, *allowed, *list, *runtime;
    unsigned long size, runs, limit;
    unsigned jobs, timeout_s, smp;
    enum thread_mode thread;
    char *out_dir;
    char **filter;
    size_t n_filter;
    char *params; /* --param k=v ..., space-separated */
};

static void usage(FILE *f)
{
    fputs("usage: strex litmus run [TEST.litmus|DIR]... [--campaign herding-cats] [options]\n"
          "\n"
          "Turns each litmus test into an image of the litmus runtime, runs it on an\n"
          "emulator and checks its outcomes against the model: a Forbidden outcome\n"
          "seen is a failure; Allowed outcomes seen are reported (coverage).\n"
          "\n"
          "  --campaign herding-cats  all 9,790 tests of the Herding Cats campaign\n"
          "                      ($STREX_LITMUS_CAMPAIGN overrides the .tgz path)\n"
          "  --list FILE         test names, one per line (# comments), from the campaign\n"
          "  --filter NAMES      only these tests, comma-separated\n"
          "  --limit N           only the first N tests (in name order)\n"
          "  --allowed FILE      model verdicts (mcompare7 table); default: the\n"
          "                      campaign's arm.allowed; none for files\n"
          "  --emulator qemu|strex|PATH   default qemu\n"
          "  --size S            iterations per run (default 1000)\n"
          "  --runs R            runs (default 10)\n"
          "  --param KEY=VALUE   another runtime parameter (seed, stride, affinity,\n"
          "                      sync, ...: docs/litmus-runtime.md); repeatable\n"
          "  --thread multi|single  TCG thread mode (default multi)\n"
          "  --smp N             at least N vCPUs (default 0: one per thread)\n"
          "  --jobs N            emulators at once (default: online CPUs)\n"
          "  --timeout SECONDS   per test (default 120)\n"
          "  --runtime ELF       the litmus runtime (default " RUNTIME_DEFAULT ")\n"
          "  --out DIR           report folder (default out/litmus-YYYYmmdd-HHMMSS)\n"
          "\n"
          "exit status: 0 no test failed, 1 a test failed, 2 a usage error.\n",
          f);
}

/* ---- options --------------------------------------------------------------- */

static int parse_count(const char *name, const char *v, unsigned long min, unsigned long max,
                       unsigned long *out, char *err, size_t errlen)
{
    char msg[256];

    if (opt_parse_ulong(v, min, max, out, msg, sizeof(msg))) {
        snprintf(err, errlen, "%s: %s", name, msg);
        return -1;
    }
    return 0;
}

static int add_param(struct options *o, const char *v, char *err, size_t errlen)
{
    const char *eq = strchr(v, '=');
    size_t old = o->params ? strlen(o->params) : 0;

    if (!eq || eq == v || strpbrk(v, " \t\n")) {
        snprintf(err, errlen, "--param: expected KEY=VALUE without blanks, not '%s'", v);
        return -1;
    }
    o->params = xrealloc(o->params, old + strlen(v) + 2);
    snprintf(o->params + old, strlen(v) + 2, "%s%s", old ? " " : "", v);
    return 0;
}

typedef int option_fn(struct options *o, const char *v, char *err, size_t errlen);

static int opt_campaign(struct options *o, const char *v, char *err, size_t errlen)
{
    if (strcmp(v, CAMPAIGN_NAME)) {
        snprintf(err, errlen, "--campaign: only '" CAMPAIGN_NAME "' is known, not '%s'", v);
        return -1;
    }
    o->campaign = true;
    return 0;
}

static int nonempty(const char *name, const char *v, char *err, size_t errlen)
{
    if (*v)
        return 0;
    snprintf(err, errlen, "%s: empty value", name);
    return -1;
}

static int opt_emulator(struct options *o, const char *v, char *err, size_t errlen)
{
    o->emulator = v;
    return nonempty("--emulator", v, err, errlen);
}

static int opt_allowed(struct options *o, const char *v, char *err, size_t errlen)
{
    o->allowed = v;
    return nonempty("--allowed", v, err, errlen);
}

static int opt_list(struct options *o, const char *v, char *err, size_t errlen)
{
    o->list = v;
    return nonempty("--list", v, err, errlen);
}

static int opt_runtime(struct options *o, const char *v, char *err, size_t errlen)
{
    o->runtime = v;
    return nonempty("--runtime", v, err, errlen);
}

static int opt_out(struct options *o, const char *v, char *err, size_t errlen)
{
    free(o->out_dir);
    o->out_dir = xstrdup(v);
    return nonempty("--out", v, err, errlen);
}

static int opt_size(struct options *o, const char *v, char *err, size_t errlen)
{
    return parse_count("--size", v, 1, 0x40000000ul, &o->size, err, errlen);
}

static int opt_runs(struct options *o, const char *v, char *err, size_t errlen)
{
    return parse_count("--runs", v, 1, 1000000ul, &o->runs, err, errlen);
}

static int opt_limit(struct options *o, const char *v, char *err, size_t errlen)
{
    return parse_count("--limit", v, 1, 1000000ul, &o->limit, err, errlen);
}

static int parse_uint(const char *name, const char *v, unsigned long min, unsigned long max,
                      unsigned *out, char *err, size_t errlen)
{
    unsigned long n;

    if (parse_count(name, v, min, max, &n, err, errlen))
        return -1;
    *out = (unsigned)n;
    return 0;
}

static int opt_jobs(struct options *o, const char *v, char *err, size_t errlen)
{
    return parse_uint("--jobs", v, 1, 1024, &o->jobs, err, errlen);
}

static int opt_timeout(struct options *o, const char *v, char *err, size_t errlen)
{
    return parse_uint("--timeout", v, 1, 86400, &o->timeout_s, err, errlen);
}

static int opt_smp(struct options *o, const char *v, char *err, size_t errlen)
{
    return parse_uint("--smp", v, 0, MAX_SMP, &o->smp, err, errlen);
}

static int opt_thread(struct options *o, const char *v, char *err, size_t errlen)
{
    if (!strcmp(v, "multi"))
        o->thread = THREAD_MULTI;
    else if (!strcmp(v, "single"))
        o->thread = THREAD_SINGLE;
    else {
        snprintf(err, errlen, "--thread: multi or single, not '%s'", v);
        return -1;
    }
    return 0;
}

static int opt_filter(struct options *o, const char *v, char *err, size_t errlen)
{
    char msg[256];

    opt_free_words(o->filter, o->n_filter);
    o->filter = NULL, o->n_filter = 0;
    if (opt_parse_words(v, &o->filter, &o->n_filter, msg, sizeof(msg))) {
        snprintf(err, errlen, "--filter: %s", msg);
        return -1;
    }
    return 0;
}

static const struct {
    const char *name;
    option_fn *parse;
} options_table[] = {
    { "--campaign", opt_campaign }, { "--emulator", opt_emulator }, { "--allowed", opt_allowed },
    { "--list", opt_list },         { "--runtime", opt_runtime },   { "--out", opt_out },
    { "--size", opt_size },         { "--runs", opt_runs },         { "--limit", opt_limit },
    { "--jobs", opt_jobs },         { "--timeout", opt_timeout },   { "--smp", opt_smp },
    { "--thread", opt_thread },     { "--filter", opt_filter },     { "--param", add_param },
};

static option_fn *find_option(const char *name)
{
    for (size_t k = 0; k < sizeof(options_table) / sizeof(options_table[0]); k++)
        if (!strcmp(name, options_table[k].name))
            return options_table[k].parse;
    return NULL;
}

static void set_defaults(struct options *o)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    memset(o, 0, sizeof(*o));
    o->emulator = "qemu";
    o->runtime = RUNTIME_DEFAULT;
    o->size = 1000;
    o->runs = 10;
    o->jobs = cpus > 0 ? (unsigned)cpus : 1;
    o->timeout_s = 120;
    o->thread = THREAD_MULTI;
}

static void free_options(struct options *o)
{
    free(o->paths);
    free(o->out_dir);
    free(o->params);
    opt_free_words(o->filter, o->n_filter);
}

/* Returns 0, 1 for --help (printed), or -1 with err. */
static int parse_options(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
    bool done = false;

    set_defaults(o);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *eq, *value;
        option_fn *parse;
        char name[64];

        if (!done && (!strcmp(arg, "-h") || !strcmp(arg, "--help"))) {
            usage(stdout);
            return 1;
        }
        if (!done && !strcmp(arg, "--")) {
            done = true;
            continue;
        }
        if (done || arg[0] != '-' || !arg[1]) {
            o->paths = xrealloc(o->paths, (o->n_paths + 1) * sizeof(*o->paths));
            o->paths[o->n_paths++] = argv[i];
            continue;
        }
        eq = strchr(arg, '=');
        snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - arg) : (int)strlen(arg), arg);
        parse = find_option(name);
        if (!parse) {
            snprintf(err, errlen, "unknown option '%s'", name);
            return -1;
        }
        if (eq)
            value = eq + 1;
        else if (i + 1 < argc)
            value = argv[++i];
        else {
            snprintf(err, errlen, "%s needs a value", name);
            return -1;
        }
        if (parse(o, value, err, errlen))
            return -1;
    }
    if (o->list)
        o->campaign = true; /* names from the list come from the campaign */
    if (!o->campaign && !o->n_paths) {
        snprintf(err, errlen, "no tests: name .litmus files or --campaign " CAMPAIGN_NAME);
        return -1;
    }
    return 0;
}

struct setup {
    struct options opt;
    struct emulator emu;
    struct litmus_allowed table;
    struct litmus_selection sel;
    struct litmus_run_report rep;
};

/* ---- the results, before anything runs ------------------------------------------- */

/* The name made safe as a file name: anything unusual becomes '_'. */
static char *make_slug(const char *name)
{
    char *s = xstrdup(name);

    for (char *p = s; *p; p++)
        if (!strchr("+-._[]", *p) && !(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
            !(*p >= '0' && *p <= '9'))
            *p = '_';
    if (s[0] == '.' || !s[0]) {
        char *t;

        if (asprintf(&t, "_%s", s) < 0)
            fatal("out of memory");
        free(s);
        s = t;
    }
    return s;
}

static void prepare_result(struct setup *s, const struct litmus_candidate *c, size_t i)
{
    struct litmus_result *r = &s->rep.results[i];
    const char *name = litmus_candidate_name(c);
    const struct litmus_allowed_row *row = litmus_allowed_find(&s->table, name);
    static struct litmus_desc d; /* 34 KB: not on the stack */
    char err[512];
    int rc;

    *r = (struct litmus_result){ .name = xstrdup(name), .file = xstrdup(c->display),
                                 .slug = make_slug(name), .exit_status = -1 };
    if (row) {
        r->in_table = true;
        r->model = row->model;
        r->hardware = row->hardware;
    }
    if (i > 0 && !strcmp(s->rep.results[i - 1].name, r->name)) {
        r->status = LITMUS_FAIL;
        if (asprintf(&r->reason, "%s: test %s is also in %s", r->file, r->name,
                     s->rep.results[i - 1].file) < 0)
            fatal("out of memory");
        return;
    }
    if (c->error) {
        r->status = LITMUS_FAIL;
        r->reason = xstrdup(c->error);
        return;
    }
    rc = litmus_run_load(c->path, c->display, r->model, &d, err, sizeof(err));
    if (rc != LITMUS_GEN_OK) {
        r->status = rc == LITMUS_GEN_LIMIT ? LITMUS_NOT_GENERATED : LITMUS_FAIL;
        r->reason = xstrdup(err);
        return;
    }
    r->quantifier = d.quantifier;
    r->threads = d.nthreads;
    r->smp = r->threads > s->opt.smp ? r->threads : s->opt.smp;
    r->path = xstrdup(c->path);
}

/* Fills s->rep.results; tests that will not run get their line now. */
static void prepare_results(struct setup *s, size_t *finished)
{
    s->rep.results = xcalloc(s->sel.n, sizeof(*s->rep.results));
    s->rep.n = s->sel.n;
    for (size_t i = 0; i < s->sel.n; i++) {
        struct litmus_result *r = &s->rep.results[i];

        prepare_result(s, &s->sel.tests[i], i);
        if (!r->path)
            litmus_print_progress(&s->rep, r, ++*finished);
    }
}

/* ---- set-up ------------------------------------------------------------------- */

static char *default_out_dir(void)
{
    char buf[64];
    time_t now = time(NULL);
    struct tm tm;

    localtime_r(&now, &tm);
    strftime(buf, sizeof(buf), "out/litmus-%Y%m%d-%H%M%S", &tm);
    return xstrdup(buf);
}

static int load_table(struct setup *s, char *err, size_t errlen)
{
    char *path = NULL;
    int rc;

    if (s->opt.allowed) {
        path = xstrdup(s->opt.allowed);
    } else if (s->sel.campaign) {
        const char *slash = strrchr(s->sel.campaign, '/');

        if (asprintf(&path, "%.*sarm.allowed", slash ? (int)(slash - s->sel.campaign + 1) : 0,
                     s->sel.campaign) < 0)
            fatal("out of memory");
    } else {
        return 0; /* files without a table: their own quantifiers */
    }
    rc = litmus_allowed_read_file(path, &s->table, err, errlen);
    if (rc == 0)
        s->rep.allowed = path;
    else
        free(path);
    return rc;
}

static int check_params(const struct options *o, char *err, size_t errlen)
{
    struct opt_kvlist kv;
    char msg[256];
    int rc = 0;

    if (!o->params)
        return 0;
    if (opt_kv_parse(o->params, ' ', &kv, msg, sizeof(msg))) {
        snprintf(err, errlen, "--param: %s", msg);
        return -1;
    }
    for (size_t i = 0; i < kv.n && !rc; i++)
        if (!strcmp(kv.items[i].key, "size") || !strcmp(kv.items[i].key, "runs")) {
            snprintf(err, errlen, "--param %s: use --%s", kv.items[i].key, kv.items[i].key);
            rc = -1;
        }
    opt_kv_free(&kv);
    return rc;
}

static void init_report(struct setup *s, int argc, char **argv)
{
    struct litmus_run_report *r = &s->rep;
    const struct options *o = &s->opt;

    r->source = xstrdup(s->sel.campaign ? s->sel.campaign : "files");
    r->emulator_label = xstrdup(s->emu.label);
    r->emulator_binary = xstrdup(s->emu.binary);
    r->runtime = xstrdup(o->runtime);
    r->thread = xstrdup(thread_mode_name(o->thread));
    r->thread_mode = o->thread;
    r->smp_min = o->smp;
    if (asprintf(&r->append, "size=%lu runs=%lu%s%s", o->size, o->runs, o->params ? " " : "",
                 o->params ? o->params : "") < 0)
        fatal("out of memory");
    r->jobs = o->jobs;
    r->timeout_s = o->timeout_s;
    r->start = time(NULL);
    r->out_dir = xstrdup(o->out_dir ? o->out_dir : "");
    r->command = xcalloc((size_t)argc + 2, sizeof(*r->command));
    r->command[0] = xstrdup("strex");
    r->command[1] = xstrdup("litmus");
    for (int i = 0; i < argc; i++)
        r->command[i + 2] = xstrdup(argv[i]);
    r->command_argc = (size_t)argc + 2;
}

/* Everything that makes a usage error (exit 2). */
static int setup(struct setup *s, int argc, char **argv, char *err, size_t errlen)
{
    const struct options *o = &s->opt;
    struct litmus_select_spec spec = { o->campaign, o->paths, o->n_paths, o->list, o->filter,
                                       o->n_filter, o->limit };
    char dir[PATH_MAX + 32];

    if (check_params(o, err, errlen) || emulator_resolve(o->emulator, &s->emu, err, errlen))
        return -1;
    if (litmus_elf_check_runtime(o->runtime, err, errlen)) {
        snprintf(err + strlen(err), errlen - strlen(err), " (make guest builds it)");
        return -1;
    }
    if (litmus_select(&spec, &s->sel, err, errlen) || load_table(s, err, errlen))
        return -1;
    if (!s->opt.out_dir)
        s->opt.out_dir = default_out_dir();
    snprintf(dir, sizeof(dir), "%s/litmus/images", s->opt.out_dir);
    if (file_make_dirs(dir, err, errlen))
        return -1;
    init_report(s, argc, argv);
    return 0;
}

static void cleanup(struct setup *s)
{
    litmus_selection_free(&s->sel);
    litmus_allowed_free(&s->table);
    emulator_free(&s->emu);
    litmus_run_report_free(&s->rep);
    free_options(&s->opt);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int conclude(struct litmus_run_report *r, int sig, double t0)
{
    struct litmus_run_totals t;
    char err[1024];
    int status;

    r->wall_seconds = now_s() - t0;
    r->interrupted = sig != 0;
    t = litmus_run_totals(r);
    status = t.failed || sig ? RUN_FAILED : RUN_OK;
    if (litmus_report_write_all(r, err, sizeof(err))) {
        log_error("%s", err);
        status = RUN_FAILED;
    }
    printf("%zu tests: %zu passed, %zu failed, %zu not generated; Forbidden seen: %zu; "
           "Allowed seen: %zu/%zu (%.1fs) -> %s/litmus.md\n",
           t.tests, t.passed, t.failed, t.not_generated, t.forbidden_seen, t.allowed_seen,
           t.allowed_run, r->wall_seconds, r->out_dir);
    if (sig) {
        report_signal_name(sig, err, sizeof(err));
        log_error("interrupted by %s", err);
        status = 128 + sig;
    }
    return status;
}

int litmus_cli_run(int argc, char **argv)
{
    struct setup s = { 0 };
    double t0 = now_s();
    size_t finished = 0;
    char err[1024];
    int rc, status;

    rc = parse_options(&s.opt, argc, argv, err, sizeof(err));
    if (rc == 0 && setup(&s, argc, argv, err, sizeof(err)) != 0)
        rc = -1;
    if (rc < 0) {
        log_error("litmus run: %s (see strex litmus run --help)", err);
        status = RUN_USAGE;
    } else if (rc == 1) {
        status = RUN_OK; /* --help */
    } else {
        prepare_results(&s, &finished);
        status = conclude(&s.rep, litmus_run_jobs(&s.rep, &finished), t0);
    }
    cleanup(&s);
    return status;
}
