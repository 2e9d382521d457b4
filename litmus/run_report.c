/*
 * run_report.c — what `strex litmus run` leaves in OUT/.
 *
 *   litmus.json     everything, for machines:
 *                   { "format": "strex-litmus-1", "run": {...,"totals"},
 *                     "tests": [ {name, model, hardware, quantifier, status,
 *                                 reason, positive, negative, states, ...} ] }
 *   litmus.md       for people: totals, parameters, every failure, what was
 *                   not generated, the Allowed tests whose outcome showed up
 *   junit.xml       one testcase per test; not generated = <skipped>
 *   litmus-all.log  every readable per-test log, in name order, line ends
 *                   made "\n": one campaign log, as mcompare7 reads it
 *
 * Reports only read struct litmus_run_report. Absent values are JSON null,
 * never left out. Guest text is sanitized (UTF-8, control characters)
 * before it goes into XML.
 */
#include "litmus/run.h"

#include "litmus/gen.h"
#include "reports/report.h"
#include "reports/text.h"
#include "util/fatal.h"
#include "util/json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define JUNIT_LOG_BYTES (16 * 1024) /* of a failing test's log, in junit.xml */

const char *litmus_status_word(enum litmus_status s)
{
    return s == LITMUS_PASS ? "ok" : s == LITMUS_FAIL ? "FAIL" : "skip";
}

const char *litmus_status_name(enum litmus_status s)
{
    return s == LITMUS_PASS ? "pass" : s == LITMUS_FAIL ? "fail" : "not-generated";
}

static bool generated(const struct litmus_result *t)
{
    return t->path != NULL;
}

struct litmus_run_totals litmus_run_totals(const struct litmus_run_report *r)
{
    struct litmus_run_totals c = { .tests = r->n };

    for (size_t i = 0; i < r->n; i++) {
        const struct litmus_result *t = &r->results[i];

        c.passed += t->status == LITMUS_PASS;
        c.failed += t->status == LITMUS_FAIL;
        c.not_generated += t->status == LITMUS_NOT_GENERATED;
        if (!t->log_ok)
            continue;
        if (t->quantifier == LITMUS_NOT_EXISTS)
            c.forbidden_seen += t->p_count > 0;
        else if (t->quantifier == LITMUS_FORALL)
            c.required_broken += t->p_count != t->total;
        else {
            c.allowed_run++;
            c.allowed_seen += t->p_count > 0;
        }
    }
    return c;
}

/* The model's verdict in words, when the table had one for this test. */
static const char *model_word(const struct litmus_result *t)
{
    if (!t->in_table || t->model == LITMUS_MODEL_UNKNOWN || !generated(t) ||
        t->quantifier == LITMUS_FORALL)
        return NULL;
    return litmus_gen_verdict_word(t->quantifier);
}

/* The hardware column in the same words. Ok/No refer to the condition
 * as written; the model's column tells whether that was exists. */
static const char *hardware_word(const struct litmus_result *t)
{
    bool file_exists;

    if (!model_word(t) || t->hardware == LITMUS_MODEL_UNKNOWN)
        return NULL;
    file_exists = (t->quantifier == LITMUS_EXISTS) == (t->model == LITMUS_MODEL_OK);
    return file_exists == (t->hardware == LITMUS_MODEL_OK) ? "Allowed" : "Forbidden";
}

static const char *quantifier_word(const struct litmus_result *t)
{
    if (!generated(t))
        return NULL;
    return t->quantifier == LITMUS_EXISTS ? "exists"
         : t->quantifier == LITMUS_NOT_EXISTS ? "~exists" : "forall";
}

/* ---- litmus.json ----------------------------------------------------------------- */

static void json_names(struct json_writer *w, const struct litmus_run_report *r, const char *key,
                       bool (*pick)(const struct litmus_result *))
{
    json_key(w, key);
    json_array_begin(w);
    for (size_t i = 0; i < r->n; i++)
        if (pick(&r->results[i]))
            json_string(w, r->results[i].name);
    json_array_end(w);
}

static bool is_forbidden_seen(const struct litmus_result *t)
{
    return t->log_ok && t->quantifier == LITMUS_NOT_EXISTS && t->p_count > 0;
}

static bool is_allowed_seen(const struct litmus_result *t)
{
    return t->log_ok && t->quantifier == LITMUS_EXISTS && t->p_count > 0;
}

static bool is_failed(const struct litmus_result *t)
{
    return t->status == LITMUS_FAIL;
}

static void json_totals(struct json_writer *w, const struct litmus_run_report *r)
{
    struct litmus_run_totals c = litmus_run_totals(r);

    json_key(w, "totals");
    json_object_begin(w);
    json_kv_uint(w, "tests", c.tests);
    json_kv_uint(w, "passed", c.passed);
    json_kv_uint(w, "failed", c.failed);
    json_kv_bool(w, "ok", c.failed == 0 && !r->interrupted);
    json_names(w, r, "failed_names", is_failed);
    json_kv_uint(w, "forbidden_seen", c.forbidden_seen);
    json_names(w, r, "forbidden_seen_names", is_forbidden_seen);
    json_kv_uint(w, "required_violated", c.required_broken);
    json_kv_uint(w, "allowed_run", c.allowed_run);
    json_kv_uint(w, "allowed_seen", c.allowed_seen);
    json_kv_uint(w, "not_generated", c.not_generated);
    json_key(w, "not_generated_list");
    json_array_begin(w);
    for (size_t i = 0; i < r->n; i++) {
        const struct litmus_result *t = &r->results[i];

        if (t->status != LITMUS_NOT_GENERATED)
            continue;
        json_object_begin(w);
        json_kv_string(w, "name", t->name);
        json_kv_string(w, "reason", t->reason);
        json_object_end(w);
    }
    json_array_end(w);
    json_object_end(w);
}

static void json_strings(struct json_writer *w, const char *key, char **v, size_t n)
{
    json_key(w, key);
    if (!v) {
        json_null(w);
        return;
    }
    json_array_begin(w);
    for (size_t i = 0; i < n; i++)
        json_string(w, v[i]);
    json_array_end(w);
}

static void json_run(struct json_writer *w, const struct litmus_run_report *r)
{
    char start[32];

    report_format_utc(r->start, start, sizeof(start));
    json_key(w, "run");
    json_object_begin(w);
    json_kv_string(w, "source", r->source);
    json_kv_string(w, "allowed", r->allowed);
    json_key(w, "emulator");
    json_object_begin(w);
    json_kv_string(w, "label", r->emulator_label);
    json_kv_string(w, "binary", r->emulator_binary);
    json_object_end(w);
    json_kv_string(w, "runtime", r->runtime);
    json_kv_string(w, "thread", r->thread);
    json_kv_uint(w, "smp_min", r->smp_min);
    json_kv_string(w, "append", r->append);
    json_kv_uint(w, "jobs", r->jobs);
    json_kv_uint(w, "timeout", r->timeout_s);
    json_kv_string(w, "start", start);
    json_kv_double(w, "wall_seconds", r->wall_seconds);
    json_kv_string(w, "out", r->out_dir);
    json_strings(w, "command", r->command, r->command_argc);
    json_kv_bool(w, "interrupted", r->interrupted);
    json_totals(w, r);
    json_object_end(w);
}

static void json_count(struct json_writer *w, const char *key, bool known, unsigned long v)
{
    json_key(w, key);
    if (known)
        json_uint(w, v);
    else
        json_null(w);
}

static void json_test(struct json_writer *w, const struct litmus_result *t)
{
    json_object_begin(w);
    json_kv_string(w, "name", t->name);
    json_kv_string(w, "file", t->file);
    json_kv_string(w, "model", model_word(t));
    json_kv_string(w, "hardware", hardware_word(t));
    json_kv_string(w, "quantifier", quantifier_word(t));
    json_kv_string(w, "verdict", generated(t) ? litmus_gen_verdict_word(t->quantifier) : NULL);
    json_kv_string(w, "status", litmus_status_name(t->status));
    json_kv_string(w, "reason", t->reason);
    json_count(w, "threads", generated(t), t->threads);
    json_count(w, "smp", generated(t), t->smp);
    json_count(w, "positive", t->log_ok, t->positive);
    json_count(w, "negative", t->log_ok, t->negative);
    json_count(w, "states", t->log_ok, t->states);
    json_count(w, "p_count", t->log_ok, t->p_count);
    json_count(w, "iterations", t->log_ok, t->total);
    json_key(w, "exit_status");
    if (t->ran && t->exit_status >= 0)
        json_int(w, t->exit_status);
    else
        json_null(w);
    json_kv_int(w, "signal", t->signal);
    json_kv_bool(w, "timed_out", t->timed_out);
    json_key(w, "seconds");
    if (t->ran)
        json_double(w, t->seconds);
    else
        json_null(w);
    json_kv_string(w, "log", t->log_path);
    json_kv_string(w, "stderr", t->err_path);
    json_kv_string(w, "image", t->image_path);
    json_strings(w, "command", t->argv, t->argc);
    json_object_end(w);
}

static void write_json(const struct litmus_run_report *r, FILE *f)
{
    struct json_writer w;

    json_init(&w, f);
    json_object_begin(&w);
    json_kv_string(&w, "format", "strex-litmus-1");
    json_run(&w, r);
    json_key(&w, "tests");
    json_array_begin(&w);
    for (size_t i = 0; i < r->n; i++)
        json_test(&w, &r->results[i]);
    json_array_end(&w);
    json_object_end(&w);
    json_finish(&w);
}

/* ---- litmus.md ------------------------------------------------------------------ */

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void md_timing(FILE *f, const struct litmus_run_report *r)
{
    double *s = xcalloc(r->n ? r->n : 1, sizeof(*s)), sum = 0;
    size_t n = 0;

    for (size_t i = 0; i < r->n; i++)
        if (r->results[i].ran)
            sum += s[n++] = r->results[i].seconds;
    if (n) {
        qsort(s, n, sizeof(*s), by_double);
        fprintf(f, "- per test: median %.2f s, 90th percentile %.2f s, max %.2f s; "
                   "%.1f s in all over %u jobs\n",
                s[n / 2], s[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1], s[n - 1], sum, r->jobs);
    }
    free(s);
}

static void md_header(FILE *f, const struct litmus_run_report *r)
{
    struct litmus_run_totals c = litmus_run_totals(r);
    char start[32];

    report_format_utc(r->start, start, sizeof(start));
    fprintf(f, "# strex litmus run: %s\n\n", c.failed || r->interrupted ? "FAIL" : "PASS");
    fprintf(f, "%zu tests: %zu passed, %zu failed, %zu not generated, in %.1f s%s.\n\n",
            c.tests, c.passed, c.failed, c.not_generated, r->wall_seconds,
            r->interrupted ? " (interrupted)" : "");
    fprintf(f, "- Forbidden tests whose outcome was seen: **%zu** (must be 0)\n",
            c.forbidden_seen);
    if (c.required_broken)
        fprintf(f, "- Required tests seen violated: **%zu**\n", c.required_broken);
    fprintf(f, "- Allowed tests whose relaxed outcome was seen: %zu of %zu run (coverage, "
               "not conformance)\n\n", c.allowed_seen, c.allowed_run);
    fputs("- command: `", f);
    for (size_t i = 0; i < r->command_argc; i++)
        fprintf(f, "%s", i ? " " : ""), text_write_md_code(f, r->command[i]);
    fputs("`\n- tests: `", f);
    text_write_md_code(f, r->source);
    fputs("`; model verdicts: `", f);
    text_write_md_code(f, r->allowed ? r->allowed : "none (each file's own quantifier)");
    fputs("`\n- emulator: ", f);
    text_write_md_cell(f, r->emulator_label);
    fputs(" (`", f);
    text_write_md_code(f, r->emulator_binary);
    fprintf(f, "`), thread=%s, -smp = max(threads, %u)\n- runtime `", r->thread, r->smp_min);
    text_write_md_code(f, r->runtime);
    fputs("`, -append `", f);
    text_write_md_code(f, r->append);
    fprintf(f, "`\n- started %s, %u parallel jobs, timeout %u s per test\n", start, r->jobs,
            r->timeout_s);
    md_timing(f, r);
    fputs("- logs: `litmus/NAME.log`, all of them in `litmus-all.log`; failing tests keep "
          "their image in `litmus/images/`\n\n", f);
}

static void md_failures(FILE *f, const struct litmus_run_report *r)
{
    bool any = false;

    fputs("## Failures\n\n", f);
    for (size_t i = 0; i < r->n; i++) {
        const struct litmus_result *t = &r->results[i];

        if (t->status != LITMUS_FAIL)
            continue;
        if (!any)
            fputs("| test | verdict | reason | log |\n|---|---|---|---|\n", f);
        any = true;
        fputs("| ", f);
        text_write_md_cell(f, t->name);
        fprintf(f, " | %s | ", generated(t) ? litmus_gen_verdict_word(t->quantifier) : "-");
        text_write_md_cell(f, t->reason ? t->reason : "failed");
        fputs(" | ", f);
        if (t->log_path) {
            fputc('`', f);
            text_write_md_code(f, t->log_path);
            fputc('`', f);
        }
        fputs(" |\n", f);
    }
    fputs(any ? "\n" : "None.\n\n", f);
}

static void md_not_generated(FILE *f, const struct litmus_run_report *r)
{
    bool any = false;

    for (size_t i = 0; i < r->n; i++) {
        const struct litmus_result *t = &r->results[i];

        if (t->status != LITMUS_NOT_GENERATED)
            continue;
        if (!any)
            fputs("## Not generated\n\nValid tests that the litmus descriptor (desc.h) cannot "
                  "hold (they neither pass nor fail):\n\n| test | reason |\n|---|---|\n", f);
        any = true;
        fputs("| ", f);
        text_write_md_cell(f, t->name);
        fputs(" | ", f);
        text_write_md_cell(f, t->reason);
        fputs(" |\n", f);
    }
    if (any)
        fputc('\n', f);
}

static void md_allowed_seen(FILE *f, const struct litmus_run_report *r)
{
    struct litmus_run_totals c = litmus_run_totals(r);

    fprintf(f, "## Allowed outcomes seen (%zu of %zu)\n\n", c.allowed_seen, c.allowed_run);
    if (!c.allowed_seen) {
        fputs("None.\n", f);
        return;
    }
    fputs("| test | seen | of | hardware |\n|---|---|---|---|\n", f);
    for (size_t i = 0; i < r->n; i++) {
        const struct litmus_result *t = &r->results[i];
        const char *hw = hardware_word(t);

        if (!is_allowed_seen(t))
            continue;
        fputs("| ", f);
        text_write_md_cell(f, t->name);
        fprintf(f, " | %lu | %lu | %s |\n", t->p_count, t->total, hw ? hw : "-");
    }
}

static void write_md(const struct litmus_run_report *r, FILE *f)
{
    md_header(f, r);
    md_failures(f, r);
    md_not_generated(f, r);
    md_allowed_seen(f, r);
}

/* ---- junit.xml ------------------------------------------------------------------ */

static void junit_case(FILE *f, const struct litmus_result *t)
{
    char *log;

    fputs("    <testcase name=\"", f);
    text_write_xml(f, t->name, true);
    fprintf(f, "\" classname=\"litmus.%s\" time=\"%.3f\">\n",
            generated(t) ? litmus_gen_verdict_word(t->quantifier) : "invalid", t->seconds);
    if (t->status == LITMUS_NOT_GENERATED) {
        fputs("      <skipped message=\"not generated: ", f);
        text_write_xml(f, t->reason, true);
        fputs("\"/>\n", f);
    } else if (t->status == LITMUS_FAIL) {
        fputs("      <failure message=\"", f);
        text_write_xml(f, t->reason ? t->reason : "failed", true);
        fputs("\" type=\"fail\">", f);
        text_write_xml(f, t->reason ? t->reason : "failed", false);
        if (t->log_path) {
            fputs("\nlog: ", f);
            text_write_xml(f, t->log_path, false);
        }
        fputs("</failure>\n", f);
        log = text_read_head(t->log_path, JUNIT_LOG_BYTES, NULL);
        if (log && *log) {
            fputs("      <system-out>", f);
            text_write_xml(f, log, false);
            fputs("</system-out>\n", f);
        }
        free(log);
    }
    fputs("    </testcase>\n", f);
}

static void write_junit(const struct litmus_run_report *r, FILE *f)
{
    struct litmus_run_totals c = litmus_run_totals(r);
    char start[32];

    report_format_utc(r->start, start, sizeof(start));
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f, "<testsuites name=\"strex-litmus\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" "
               "errors=\"0\" time=\"%.3f\">\n", c.tests, c.failed, c.not_generated,
            r->wall_seconds);
    fprintf(f, "  <testsuite name=\"litmus\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" "
               "errors=\"0\" time=\"%.3f\" timestamp=\"%s\">\n", c.tests, c.failed,
            c.not_generated, r->wall_seconds, start);
    for (size_t i = 0; i < r->n; i++)
        junit_case(f, &r->results[i]);
    fputs("  </testsuite>\n</testsuites>\n", f);
}

/* ---- all.log ---------------------------------------------------------------------- */

static void write_all_log(const struct litmus_run_report *r, FILE *f)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct litmus_result *t = &r->results[i];
        FILE *in = t->log_ok ? fopen(t->log_path, "rb") : NULL;
        int c, last = '\n';

        if (!in)
            continue;
        while ((c = getc(in)) != EOF)
            if (c != '\r')
                putc(last = c, f);
        if (last != '\n')
            putc('\n', f);
        fclose(in);
    }
}

/* ---- all of them ------------------------------------------------------------------ */

static int write_one(const struct litmus_run_report *r, const char *name,
                     void (*fn)(const struct litmus_run_report *, FILE *), char *err,
                     size_t errlen)
{
    char *path;
    FILE *f;
    bool ok;

    if (asprintf(&path, "%s/%s", r->out_dir, name) < 0)
        fatal("out of memory");
    f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    fn(r, f);
    ok = !ferror(f);
    ok = fclose(f) == 0 && ok;
    if (!ok)
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
    free(path);
    return ok ? 0 : -1;
}

int litmus_report_write_all(const struct litmus_run_report *r, char *err, size_t errlen)
{
    if (write_one(r, "litmus.json", write_json, err, errlen) ||
        write_one(r, "litmus.md", write_md, err, errlen) ||
        write_one(r, "junit.xml", write_junit, err, errlen) ||
        write_one(r, "litmus-all.log", write_all_log, err, errlen))
        return -1;
    return 0;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void litmus_run_report_free(struct litmus_run_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct litmus_result *t = &r->results[i];

        free(t->name);
        free(t->file);
        free(t->path);
        free(t->slug);
        free(t->reason);
        free(t->log_path);
        free(t->err_path);
        free(t->image_path);
        free_strings(t->argv, t->argc);
    }
    free(r->results);
    free(r->source);
    free(r->allowed);
    free(r->emulator_label);
    free(r->emulator_binary);
    free(r->runtime);
    free(r->thread);
    free(r->append);
    free(r->out_dir);
    free_strings(r->command, r->command_argc);
    *r = (struct litmus_run_report){ 0 };
}
