/*
 * junit.c — junit.xml, the shape CI systems (Jenkins, GitLab, GitHub
 * test-report actions) read.
 *
 *     <testsuites name="strex" tests= failures= skipped= errors="0" time=>
 *       <testsuite name="TEST" ...>             one per test name, in run order
 *         <testcase name="TEST smp=N thread=M[ seed=S][ llsc=X]"
 *                   classname="strex.TEST" time=>     (the name is unique per job)
 *           <failure message="reason">...</failure>     FAIL and XPASS
 *           <skipped message="expected failure: ..."/>  XFAIL
 *           <system-out>head of the guest's stdout</system-out>
 *           <system-err>head of the emulator's stderr</system-err>
 *
 * XFAIL maps to <skipped>: the consumers have no "expected failure", and
 * counting it as a failure would turn a known-bad test red forever. Text
 * is escaped rather than put in CDATA, so "]]>" in guest output needs no
 * special case.
 */
#include "reports/report.h"

#include "reports/text.h"

#include <string.h>

struct suite_counts {
    size_t tests, failures, skipped;
    double seconds;
};

static struct suite_counts count_test(const struct report_run *run, const char *test)
{
    struct suite_counts c = { 0 };

    for (size_t i = 0; i < run->n_jobs; i++) {
        const struct report_job *job = &run->jobs[i];

        if (strcmp(job->test, test) != 0)
            continue;
        c.tests++;
        c.seconds += job->seconds;
        if (job->status == REPORT_FAIL || job->status == REPORT_XPASS)
            c.failures++;
        else if (job->status == REPORT_XFAIL)
            c.skipped++;
    }
    return c;
}

/* True when an earlier job has the same test name: its suite is written. */
static bool seen_before(const struct report_run *run, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(run->jobs[j].test, run->jobs[i].test) == 0)
            return true;
    return false;
}

static void write_text_element(FILE *f, const char *tag, const char *text, bool truncated)
{
    if (!text || !*text)
        return;
    fprintf(f, "      <%s>", tag);
    text_write_xml(f, text, false);
    if (truncated)
        fputs("\n[... truncated: see the log file ...]\n", f);
    fprintf(f, "</%s>\n", tag);
}

static void write_verdict(FILE *f, const struct report_job *job)
{
    if (job->status == REPORT_FAIL) {
        fputs("      <failure message=\"", f);
        text_write_xml(f, job->reason ? job->reason : "failed", true);
        fputs("\" type=\"fail\">", f);
        text_write_xml(f, job->reason ? job->reason : "failed", false);
        fprintf(f, "\nlog: ");
        text_write_xml(f, job->stdout_path, false);
        fputs("</failure>\n", f);
    } else if (job->status == REPORT_XPASS) {
        fputs("      <failure message=\"unexpected pass (declared xfail: ", f);
        text_write_xml(f, job->xfail_reason, true);
        fputs(")\" type=\"xpass\"/>\n", f);
    } else if (job->status == REPORT_XFAIL) {
        fputs("      <skipped message=\"expected failure: ", f);
        text_write_xml(f, job->reason, true);
        fputs(" (declared: ", f);
        text_write_xml(f, job->xfail_reason, true);
        fputs(")\"/>\n", f);
    }
}

static void write_testcase(FILE *f, const struct report_job *job)
{
    fputs("    <testcase name=\"", f);
    text_write_xml(f, job->test, true);
    fprintf(f, " smp=%u thread=", job->smp);
    text_write_xml(f, job->thread, true);
    if (job->seeded)
        fprintf(f, " seed=%lu", job->seed);
    if (job->llsc) {
        fputs(" llsc=", f);
        text_write_xml(f, job->llsc, true);
    }
    fputs("\" classname=\"strex.", f);
    text_write_xml(f, job->test, true);
    fprintf(f, "\" time=\"%.3f\">\n", job->seconds);
    write_verdict(f, job);
    write_text_element(f, "system-out", job->output, job->output_truncated);
    write_text_element(f, "system-err", job->errput, job->errput_truncated);
    fputs("    </testcase>\n", f);
}

static void write_testsuite(FILE *f, const struct report_run *run, const char *test)
{
    struct suite_counts c = count_test(run, test);

    fputs("  <testsuite name=\"", f);
    text_write_xml(f, test, true);
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" errors=\"0\" time=\"%.3f\">\n",
            c.tests, c.failures, c.skipped, c.seconds);
    for (size_t i = 0; i < run->n_jobs; i++)
        if (strcmp(run->jobs[i].test, test) == 0)
            write_testcase(f, &run->jobs[i]);
    fputs("  </testsuite>\n", f);
}

void report_write_junit(const struct report_run *run, FILE *f)
{
    struct report_totals t = report_totals(run);

    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f, "<testsuites name=\"strex\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" "
               "errors=\"0\" time=\"%.3f\">\n",
            t.jobs, t.failed + t.xpassed, t.xfailed, run->wall_seconds);
    for (size_t i = 0; i < run->n_jobs; i++)
        if (!seen_before(run, i))
            write_testsuite(f, run, run->jobs[i].test);
    fputs("</testsuites>\n", f);
}
