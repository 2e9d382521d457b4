/*
 * results_json.c — results.json: the whole run, for machines.
 *
 *     { "format": "strex-results-1",
 *       "run":  { suite, emulator {label, binary}, smp [], thread [], seeds [],
 *                 llsc [], jobs, timeout, start, wall_seconds, out, command [],
 *                 totals {} },
 *       "jobs": [ { test, smp, thread, seed, llsc, emulator, status, reason,
 *                   xfail_reason, exit_status, signal, timed_out, seconds,
 *                   command [], tap {}, metrics {}, exceptions [],
 *                   logs {stdout, stderr} }, ... ] }
 *
 * Absent values are null, never left out, so a reader can index every key
 * of every job. Metric values stay strings: the guest printed text, and
 * only the reader knows which ones are numbers. The format tag changes
 * when a key changes meaning or goes away; new keys do not change it.
 */
#include "reports/report.h"

#include "util/json.h"


static void write_strings(struct json_writer *w, const char *key, char **v, size_t n)
{
    json_key(w, key);
    json_array_begin(w);
    for (size_t i = 0; i < n; i++)
        json_string(w, v[i]);
    json_array_end(w);
}

static void write_totals(struct json_writer *w, const struct report_run *run)
{
    struct report_totals t = report_totals(run);

    json_key(w, "totals");
    json_object_begin(w);
    json_kv_uint(w, "jobs", t.jobs);
    json_kv_uint(w, "passed", t.passed);
    json_kv_uint(w, "failed", t.failed);
    json_kv_uint(w, "xfailed", t.xfailed);
    json_kv_uint(w, "xpassed", t.xpassed);
    json_kv_bool(w, "ok", report_run_ok(run));
    json_object_end(w);
}

static void write_run(struct json_writer *w, const struct report_run *run)
{
    char start[32];

    report_format_utc(run->start, start, sizeof(start));
    json_key(w, "run");
    json_object_begin(w);
    json_kv_string(w, "suite", run->suite);
    json_key(w, "emulator");
    json_object_begin(w);
    json_kv_string(w, "label", run->emulator_label);
    json_kv_string(w, "binary", run->emulator_binary);
    json_object_end(w);
    json_key(w, "smp");
    json_array_begin(w);
    for (size_t i = 0; i < run->n_smp; i++)
        json_uint(w, run->smp[i]);
    json_array_end(w);
    write_strings(w, "thread", run->threads, run->n_threads);
    json_key(w, "seeds");
    if (!run->seeds) {
        json_null(w);
    } else {
        json_array_begin(w);
        for (size_t i = 0; i < run->n_seeds; i++)
            json_uint(w, run->seeds[i]);
        json_array_end(w);
    }
    if (run->llsc) {
        write_strings(w, "llsc", run->llsc, run->n_llsc);
    } else {
        json_key(w, "llsc");
        json_null(w);
    }
    json_kv_uint(w, "jobs", run->jobs_parallel);
    json_kv_uint(w, "timeout", run->timeout_s);
    json_kv_string(w, "start", start);
    json_kv_double(w, "wall_seconds", run->wall_seconds);
    json_kv_string(w, "out", run->out_dir);
    write_strings(w, "command", run->command, run->command_argc);
    write_totals(w, run);
    json_object_end(w);
}

static void write_tap(struct json_writer *w, const struct report_tap *tap)
{
    json_key(w, "tap");
    json_object_begin(w);
    json_key(w, "planned");
    if (tap->planned < 0)
        json_null(w);
    else
        json_int(w, tap->planned);
    json_kv_uint(w, "ran", tap->ran);
    json_kv_uint(w, "passed", tap->passed);
    json_kv_uint(w, "failed", tap->failed);
    json_kv_uint(w, "todo", tap->todo);
    json_kv_uint(w, "skipped", tap->skipped);
    json_kv_uint(w, "garbage_lines", tap->garbage);
    json_object_end(w);
}

static void write_metrics(struct json_writer *w, const struct report_job *job)
{
    json_key(w, "metrics");
    json_object_begin(w);
    for (size_t i = 0; i < job->n_metrics; i++)
        json_kv_string(w, job->metrics[i].key, job->metrics[i].value);
    json_object_end(w);
}

static void write_signal(struct json_writer *w, int sig)
{
    char name[32];

    json_key(w, "signal");
    if (!sig) {
        json_null(w);
        return;
    }
    report_signal_name(sig, name, sizeof(name));
    json_string(w, name);
}

static void write_job(struct json_writer *w, const struct report_job *job)
{
    json_object_begin(w);
    json_kv_string(w, "test", job->test);
    json_kv_uint(w, "smp", job->smp);
    json_kv_string(w, "thread", job->thread);
    json_key(w, "seed"); /* replay: -accel tcg,thread=single,sched=chaos,seed=N */
    if (job->seeded)
        json_uint(w, job->seed);
    else
        json_null(w);
    json_kv_string(w, "llsc", job->llsc); /* replay: -accel tcg,...,llsc=X */
    json_kv_string(w, "emulator", job->emulator);
    json_kv_string(w, "status", report_status_name(job->status));
    json_kv_string(w, "reason", job->reason);
    json_kv_string(w, "xfail_reason", job->xfail_reason);
    json_key(w, "exit_status");
    if (job->exit_status < 0)
        json_null(w);
    else
        json_int(w, job->exit_status);
    write_signal(w, job->signal);
    json_kv_bool(w, "timed_out", job->timed_out);
    json_kv_double(w, "seconds", job->seconds);
    write_strings(w, "command", job->argv, job->argc);
    write_tap(w, &job->tap);
    write_metrics(w, job);
    write_strings(w, "exceptions", job->exceptions, job->n_exceptions);
    json_key(w, "logs");
    json_object_begin(w);
    json_kv_string(w, "stdout", job->stdout_path);
    json_kv_string(w, "stderr", job->stderr_path);
    json_object_end(w);
    json_object_end(w);
}

void report_write_json(const struct report_run *run, FILE *f)
{
    struct json_writer w;

    json_init(&w, f);
    json_object_begin(&w);
    json_kv_string(&w, "format", "strex-results-1");
    write_run(&w, run);
    json_key(&w, "jobs");
    json_array_begin(&w);
    for (size_t i = 0; i < run->n_jobs; i++)
        write_job(&w, &run->jobs[i]);
    json_array_end(&w);
    json_object_end(&w);
    json_finish(&w);
}
