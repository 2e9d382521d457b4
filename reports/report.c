/*
 * report.c — the result model's helpers: status names, totals, freeing,
 * and writing all three reports into the run's folder.
 *
 * Each report is written to NAME.tmp and renamed into place, so a reader
 * (a CI step, a person with the file open) never sees half a file, and a
 * run that dies while writing leaves the previous complete report.
 */
#include "reports/report.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {
    [REPORT_PASS] = "pass", [REPORT_FAIL] = "fail",
    [REPORT_XFAIL] = "xfail", [REPORT_XPASS] = "xpass",
};

static const char *const status_words[] = {
    [REPORT_PASS] = "PASS", [REPORT_FAIL] = "FAIL",
    [REPORT_XFAIL] = "XFAIL", [REPORT_XPASS] = "XPASS",
};

const char *report_status_name(enum report_status s)
{
    return status_names[s];
}

const char *report_status_word(enum report_status s)
{
    return status_words[s];
}

struct report_totals report_totals(const struct report_run *run)
{
    struct report_totals t = { .jobs = run->n_jobs };

    for (size_t i = 0; i < run->n_jobs; i++) {
        switch (run->jobs[i].status) {
        case REPORT_PASS: t.passed++; break;
        case REPORT_FAIL: t.failed++; break;
        case REPORT_XFAIL: t.xfailed++; break;
        case REPORT_XPASS: t.xpassed++; break;
        }
    }
    return t;
}

bool report_run_ok(const struct report_run *run)
{
    struct report_totals t = report_totals(run);

    return t.failed == 0 && t.xpassed == 0;
}

void report_signal_name(int sig, char *buf, size_t len)
{
    const char *abbrev = sigabbrev_np(sig); /* glibc: "SEGV" */

    if (abbrev)
        snprintf(buf, len, "SIG%s", abbrev);
    else
        snprintf(buf, len, "signal %d", sig);
}

void report_format_utc(time_t t, char *buf, size_t len)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void report_job_free(struct report_job *job)
{
    free(job->test);
    free(job->thread);
    free(job->emulator);
    free(job->llsc);
    free(job->reason);
    free(job->xfail_reason);
    free_strings(job->argv, job->argc);
    for (size_t i = 0; i < job->n_metrics; i++) {
        free(job->metrics[i].key);
        free(job->metrics[i].value);
    }
    free(job->metrics);
    free_strings(job->exceptions, job->n_exceptions);
    free(job->stdout_path);
    free(job->stderr_path);
    free(job->output);
    free(job->errput);
    memset(job, 0, sizeof(*job));
}

void report_run_free(struct report_run *run)
{
    for (size_t i = 0; i < run->n_jobs; i++)
        report_job_free(&run->jobs[i]);
    free(run->jobs);
    free(run->suite);
    free(run->emulator_label);
    free(run->emulator_binary);
    free(run->smp);
    free_strings(run->threads, run->n_threads);
    free(run->seeds);
    free_strings(run->llsc, run->n_llsc);
    free(run->out_dir);
    free_strings(run->command, run->command_argc);
    memset(run, 0, sizeof(*run));
}

typedef void report_writer_fn(const struct report_run *run, FILE *f);

static int write_one(const struct report_run *run, const char *name,
                     report_writer_fn *writer, char *err, size_t errlen)
{
    char path[4096], tmp[4200];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", run->out_dir, name);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        return -1;
    }
    writer(run, f);
    if (ferror(f) | (fclose(f) != 0)) {
        snprintf(err, errlen, "error writing %s", tmp);
        remove(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        return -1;
    }
    return 0;
}

int report_write_all(const struct report_run *run, char *err, size_t errlen)
{
    if (write_one(run, "results.json", report_write_json, err, errlen) != 0 ||
        write_one(run, "junit.xml", report_write_junit, err, errlen) != 0 ||
        write_one(run, "summary.md", report_write_summary, err, errlen) != 0)
        return -1;
    return 0;
}
