/*
 * test_litmus_log.c — litmus/log.h: reading, writing and comparing litmus7 logs.
 *
 * The writer is held to the guest's own bytes: tests/fixtures/litmus/logs/
 * holds real UART captures from QEMU (\r\n line ends, TAP and Bail out!
 * lines around the blocks), and every block read from them must be written
 * back exactly as the guest printed it (\r removed). mp-qemu.log is
 * mp-dmb.elf's TAP output, then `selftest=1 size=1000 runs=10`, then the
 * Bail out! line of `selftest=9`; guest-campaign.log is selftests 1, 3,
 * 5 with break=1, 2 with break=2 and 6 (IRIW, -smp 4), concatenated.
 * Errors are inline texts, each checked for its exact "FILE:LINE: what".
 * The CLI is driven through litmus_cli_compare with stdout and stderr sent
 * to a temporary file.
 */
#include "litmus/cli_compare.h"
#include "litmus/log.h"

#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGS "tests/fixtures/litmus/logs/"

static char err[1024];

/* A valid small block; lines 1-12. The error cases below replace one part. */
#define L_TEST "Test MP Allowed\n"
#define L_HIST "Histogram (2 states)\n3     :>1:R0=0;\n1     *>1:R0=1;\n"
#define L_OKW "Ok\n\nWitnesses\n"
#define L_POS "Positive: 1, Negative: 3\n"
#define L_COND "Condition exists (1:R0=1) is validated\n"
#define L_OBS "Observation MP Sometimes 1 3\n"
#define L_TIME "Time MP 0.01\n"
#define L_KEYS "vCPUs=2\n"
#define BLOCK L_TEST L_HIST L_OKW L_POS L_COND L_OBS L_TIME L_KEYS

/* The README's example, with its "..." filled by two states that keep the
 * Positive and Negative counts (one of them seven digits wide, so its
 * count runs into the "*>" as %-6lu prints it). */
static const char readme_block[] =
    "Test MP Allowed\n"
    "Histogram (4 states)\n"
    "5414  :>1:R0=0; 1:R2=0;\n"
    "1395  *>1:R0=1; 1:R2=0;\n"
    "1993190:>1:R0=0; 1:R2=1;\n"
    "1     :>1:R0=1; 1:R2=1;\n"
    "Ok\n"
    "\n"
    "Witnesses\n"
    "Positive: 1395, Negative: 1998605\n"
    "Condition exists (1:R0=1 /\\ 1:R2=0) is validated\n"
    "Observation MP Sometimes 1395 1998605\n"
    "Time MP 0.78\n"
    "vCPUs=4\n";

/* ---- helpers --------------------------------------------------------------- */

static void parse_ok(const char *text, struct litmus_log *log)
{
    if (litmus_log_parse(text, strlen(text), "t.log", log, err, sizeof(err)))
        ck_abort_msg("%s", err);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    ck_assert_msg(f != NULL, "%s missing", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

/* The lines of text from the one starting with first up to the line before
 * the one starting with stop (or the end), \r removed. */
static char *slice_lines(const char *text, const char *first, const char *stop)
{
    const char *p = strstr(text, first), *end = stop ? strstr(p, stop) : NULL;
    char *out = malloc(strlen(text) + 1), *o = out;

    ck_assert_ptr_nonnull(p);
    for (end = end ? end : p + strlen(p); p < end; p++)
        if (*p != '\r')
            *o++ = *p;
    *o = '\0';
    return out;
}

/* Equal texts, or a failure quoting the first line that differs (whole
 * logs are too long for Check's own message). */
static void assert_same_text(const char *got, const char *want)
{
    int line = 1;
    const char *g = got, *w = want;

    while (*g && *g == *w) {
        line += *g == '\n';
        g++, w++;
    }
    while (g > got && g[-1] != '\n')
        g--, w--;
    ck_assert_msg(!*g && !*w, "line %d differs:\n got: %.*s\nwant: %.*s", line,
                  (int)strcspn(g, "\n"), g, (int)strcspn(w, "\n"), w);
}

static char *written(const struct litmus_log *log)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    for (size_t i = 0; i < log->ntests; i++)
        litmus_log_write_test(f, &log->tests[i]);
    fclose(f);
    return buf;
}

static char *compared(const struct litmus_log *a, const struct litmus_log *b, int *n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    *n = litmus_log_compare(f, "a.log", a, "b.log", b);
    fclose(f);
    return buf;
}

static void assert_same_test(const struct litmus_log_test *x, const struct litmus_log_test *y)
{
    ck_assert_str_eq(x->name, y->name);
    ck_assert_str_eq(x->verdict, y->verdict);
    ck_assert_uint_eq(x->nstates, y->nstates);
    for (size_t i = 0; i < x->nstates; i++) {
        ck_assert_uint_eq(x->states[i].count, y->states[i].count);
        ck_assert_int_eq(x->states[i].marked, y->states[i].marked);
        ck_assert_str_eq(x->states[i].text, y->states[i].text);
    }
    ck_assert_int_eq(x->ok, y->ok);
    ck_assert_uint_eq(x->positive, y->positive);
    ck_assert_uint_eq(x->negative, y->negative);
    ck_assert_str_eq(x->condition, y->condition);
    ck_assert_int_eq(x->validated, y->validated);
    ck_assert_str_eq(x->observation, y->observation);
    ck_assert_double_eq(x->time_s, y->time_s);
    ck_assert_uint_eq(x->nextras, y->nextras);
    for (size_t i = 0; i < x->nextras; i++) {
        ck_assert_str_eq(x->extras[i].key, y->extras[i].key);
        ck_assert_str_eq(x->extras[i].value, y->extras[i].value);
    }
}

/* ---- reading and writing ----------------------------------------------------- */

START_TEST(readme_example_reads_writes_and_reads_back_the_same)
{
    struct litmus_log a, b;
    const struct litmus_log_test *t;
    char *text;

    parse_ok(readme_block, &a);
    ck_assert_uint_eq(a.ntests, 1);
    t = &a.tests[0];
    ck_assert_str_eq(t->name, "MP");
    ck_assert_str_eq(t->verdict, "Allowed");
    ck_assert_uint_eq(t->nstates, 4);
    ck_assert_uint_eq(t->states[1].count, 1395);
    ck_assert(t->states[1].marked && !t->states[0].marked);
    ck_assert_str_eq(t->states[1].text, "1:R0=1; 1:R2=0;");
    ck_assert_uint_eq(t->states[2].count, 1993190);
    ck_assert_str_eq(t->states[2].text, "1:R0=0; 1:R2=1;");
    ck_assert(t->ok && t->validated);
    ck_assert_uint_eq(t->positive, 1395);
    ck_assert_uint_eq(t->negative, 1998605);
    ck_assert_str_eq(t->condition, "exists (1:R0=1 /\\ 1:R2=0)");
    ck_assert_str_eq(t->observation, "Sometimes");
    ck_assert_double_eq(t->time_s, 0.78);
    ck_assert_str_eq(litmus_log_extra(t, "vCPUs"), "4");
    text = written(&a);
    assert_same_text(text, readme_block);
    parse_ok(text, &b);
    ck_assert_uint_eq(b.ntests, 1);
    assert_same_test(&a.tests[0], &b.tests[0]);
    free(text);
    litmus_log_free(&a);
    litmus_log_free(&b);
}
END_TEST

START_TEST(guest_capture_reads_through_uart_noise_and_crlf)
{
    struct litmus_log log;
    const struct litmus_log_test *t;

    if (litmus_log_read_file(LOGS "mp-qemu.log", &log, err, sizeof(err)))
        ck_abort_msg("%s", err);
    ck_assert_uint_eq(log.ntests, 1);
    t = &log.tests[0];
    ck_assert_str_eq(t->name, "MP");
    ck_assert_str_eq(t->verdict, "Allowed");
    ck_assert_uint_eq(t->nstates, 3);
    ck_assert_uint_eq(t->states[0].count, 5694);
    ck_assert_str_eq(t->states[0].text, "1:R0=0; 1:R2=0;");
    ck_assert_uint_eq(t->states[2].count, 3639);
    ck_assert_str_eq(t->states[2].text, "1:R0=1; 1:R2=1;");
    ck_assert(!t->ok && !t->validated);
    ck_assert_uint_eq(t->positive, 0);
    ck_assert_uint_eq(t->negative, 10000);
    ck_assert_str_eq(t->condition, "exists (1:R0=1 /\\ 1:R2=0)");
    ck_assert_str_eq(t->observation, "Never");
    ck_assert_double_eq(t->time_s, 0.06);
    /* vCPUs .. filtered: 13 lines; the Bail out! line after them is noise */
    ck_assert_uint_eq(t->nextras, 13);
    ck_assert_str_eq(t->extras[0].key, "vCPUs");
    ck_assert_str_eq(t->extras[12].key, "filtered");
    ck_assert_str_eq(t->extras[12].value, "0");
    litmus_log_free(&log);
}
END_TEST

START_TEST(writer_prints_the_guests_bytes)
{
    struct litmus_log log;
    char *raw = read_all(LOGS "mp-qemu.log", NULL), *want, *got;

    if (litmus_log_read_file(LOGS "mp-qemu.log", &log, err, sizeof(err)))
        ck_abort_msg("%s", err);
    want = slice_lines(raw, "Test MP", "Bail out!");
    got = written(&log);
    assert_same_text(got, want);
    free(raw);
    free(want);
    free(got);
    litmus_log_free(&log);
}
END_TEST

START_TEST(campaign_log_gives_every_block_and_writes_back_whole)
{
    struct litmus_log log;
    char *raw = read_all(LOGS "guest-campaign.log", NULL), *want, *got;
    const struct litmus_log_test *t;

    if (litmus_log_read_file(LOGS "guest-campaign.log", &log, err, sizeof(err)))
        ck_abort_msg("%s", err);
    ck_assert_uint_eq(log.ntests, 5);
    t = litmus_log_find(&log, "SB+dmbs"); /* ~exists: Positive counts not P */
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->verdict, "Forbidden");
    ck_assert_uint_eq(t->positive, 5375);
    ck_assert_uint_eq(t->negative, 4625);
    ck_assert_str_eq(t->observation, "Sometimes");
    ck_assert_str_eq(litmus_log_extra(t, "barriers_dropped"), "2");
    t = litmus_log_find(&log, "IRIW");
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(t->nstates, 14);
    want = slice_lines(raw, "Test MP", NULL);
    got = written(&log);
    assert_same_text(got, want);
    free(raw);
    free(want);
    free(got);
    litmus_log_free(&log);
}
END_TEST

START_TEST(blocks_between_noise_blank_lines_and_hash)
{
    static const char text[] =
        "booting...\n" "# Test of nothing\n" "Test run 4 of 9\n"
        "Test SB Allowed\n" "Histogram (1 states)\n" "7     :>0:R2=1; 1:R2=1;\n" "No\n"
        "\n\n" "Witnesses\n" "\n" "Positive: 0, Negative: 7\n"
        "Condition exists (0:R2=0 /\\ 1:R2=0) is NOT validated\n" "Hash=abc123\n"
        "Observation SB Never 0 7\n" "\n" "ok 1 - between blocks\n"
        "Test MP Allowed\n" "Histogram (0 states)\n" "No\n" "\n" "Witnesses\n"
        "Positive: 0, Negative: 0\n" "Condition exists (1:R0=1) is NOT validated\n"
        "Observation MP Never 0 0\n" "k=v\n" "Test LB Allowed\n" "Histogram (1 state)\n"
        "2     *>0:R0=1;\n" "Ok\n" "\n" "Witnesses\n" "Positive: 2, Negative: 0\n"
        "Condition exists (0:R0=1) is validated\n" "Observation LB Always 2 0\n";
    struct litmus_log log;
    char *got;

    parse_ok(text, &log);
    ck_assert_uint_eq(log.ntests, 3);
    ck_assert_str_eq(log.tests[0].name, "SB");
    ck_assert_str_eq(litmus_log_extra(&log.tests[0], "Hash"), "abc123");
    ck_assert(log.tests[0].time_s < 0);
    ck_assert_uint_eq(log.tests[1].nstates, 0);
    ck_assert_str_eq(litmus_log_extra(&log.tests[1], "k"), "v");
    ck_assert_str_eq(log.tests[2].observation, "Always");
    got = written(&log);
    ck_assert_ptr_nonnull(strstr(got, "is NOT validated\nHash=abc123\nObservation SB Never 0 7\n"));
    free(got);
    litmus_log_free(&log);
}
END_TEST

START_TEST(forall_marks_states_violating_p)
{
    /* "*>" under forall: P fails; Observation still counts P itself. */
    static const char text[] =
        "Test W Required\n" "Histogram (2 states)\n" "1     *>x=1;\n" "9     :>x=2;\n" "No\n"
        "\n" "Witnesses\n" "Positive: 9, Negative: 1\n"
        "Condition forall (x=2) is NOT validated\n" "Observation W Sometimes 9 1\n";
    struct litmus_log log;
    char *got;

    parse_ok(text, &log);
    got = written(&log);
    assert_same_text(got, text);
    free(got);
    litmus_log_free(&log);
}
END_TEST

START_TEST(find_and_extra_look_up_by_name)
{
    struct litmus_log log;
    const struct litmus_log_test *t;

    if (litmus_log_read_file(LOGS "guest-campaign.log", &log, err, sizeof(err)))
        ck_abort_msg("%s", err);
    t = litmus_log_find(&log, "MP+dmbs");
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->name, "MP+dmbs");
    ck_assert_str_eq(litmus_log_extra(t, "break"), "2");
    ck_assert_str_eq(litmus_log_extra(t, "size"), "200");
    ck_assert_ptr_null(litmus_log_extra(t, "barriers_dropped"));
    ck_assert_ptr_null(litmus_log_extra(t, "Time"));
    ck_assert_ptr_null(litmus_log_find(&log, "MP+dmb"));
    ck_assert_ptr_null(litmus_log_find(&log, "mp"));
    litmus_log_free(&log);
}
END_TEST

/* ---- errors ------------------------------------------------------------------ */

static const struct {
    const char *text, *want;
} bad[] = {
    { L_TEST, "t.log:1: test MP ends before its Histogram line" },
    { L_TEST L_OKW, "t.log:2: expected \"Histogram (N states)\", found \"Ok\"" },
    { L_TEST "Histogram (two states)\n", "t.log:2: expected \"Histogram (N states)\", "
                                         "found \"Histogram (two states)\"" },
    { L_TEST "Histogram (3 states)\n3 :>a=1;\n1 *>a=2;\n" L_OKW,
      "t.log:5: expected state 3 of 3 (\"COUNT *>items\" or \"COUNT :>items\"), found \"Ok\"" },
    { L_TEST "Histogram (1 states)\n3 :>a=1;\n1 *>a=2;\n" L_OKW,
      "t.log:4: more states than the 1 the Histogram line announces" },
    { L_TEST "Histogram (3 states)\n3 :>a=1;\n", "t.log:1: test MP ends after 1 of its 3 states" },
    { L_TEST "Histogram (1 states)\n3x :>a=1;\n",
      "t.log:3: expected state 1 of 1 (\"COUNT *>items\" or \"COUNT :>items\"), found \"3x :>a=1;\"" },
    { L_TEST "Histogram (1 states)\n99999999999999999999999 :>a=1;\n",
      "t.log:3: expected state 1 of 1 (\"COUNT *>items\" or \"COUNT :>items\"), "
      "found \"99999999999999999999999 :>a=1;\"" },
    { L_TEST "Histogram (1 states)\n3 >a=1;\n",
      "t.log:3: expected state 1 of 1 (\"COUNT *>items\" or \"COUNT :>items\"), found \"3 >a=1;\"" },
    { L_TEST L_HIST "\nWitnesses\n", "t.log:6: expected Ok or No, found \"Witnesses\"" },
    { L_TEST L_HIST "Ok\n" L_POS, "t.log:6: expected Witnesses, found \"Positive: 1, Negative: 3\"" },
    { L_TEST L_HIST L_OKW, "t.log:1: test MP ends before its Positive line" },
    { L_TEST L_HIST L_OKW "Positive: 1, Negative: -3\n",
      "t.log:8: bad number in \"Positive: 1, Negative: -3\"" },
    { L_TEST L_HIST L_OKW "Positive: 1 Negative: 3\n",
      "t.log:8: bad number in \"Positive: 1 Negative: 3\"" },
    { L_TEST L_HIST L_OKW L_COND, "t.log:8: expected \"Positive: P, Negative: N\", "
                                  "found \"Condition exists (1:R0=1) is validated\"" },
    { L_TEST L_HIST L_OKW L_POS "Condition exists (1:R0=1) is valid\n",
      "t.log:9: the Condition line ends in neither \"is validated\" nor \"is NOT validated\"" },
    { L_TEST L_HIST L_OKW L_POS L_COND, "t.log:1: test MP ends before its Observation line" },
    { L_TEST L_HIST L_OKW L_POS L_COND "Observation SB Sometimes 1 3\n",
      "t.log:10: the Observation line names test SB, the block is test MP" },
    { L_TEST L_HIST L_OKW L_POS L_COND "Observation MP Often 1 3\n",
      "t.log:10: observation \"Often\" is none of Never, Sometimes, Always" },
    { L_TEST L_HIST L_OKW L_POS L_COND "Observation MP Sometimes 1\n",
      "t.log:10: the Observation line has 4 words, not 5" },
    { L_TEST L_HIST L_OKW L_POS L_COND "Observation MP Sometimes 1 x3\n",
      "t.log:10: bad number in the Observation line" },
    { L_TEST L_HIST L_OKW L_POS L_COND "Observation MP Sometimes 2 3\n",
      "t.log:10: Observation Sometimes 2 3 disagrees with the histogram (Sometimes 1 3)" },
    { L_TEST L_HIST L_OKW L_POS L_COND "Observation MP Never 1 3\n",
      "t.log:10: Observation Never 1 3 disagrees with the histogram (Sometimes 1 3)" },
    { L_TEST L_HIST L_OKW L_POS L_COND L_OBS "Time SB 0.01\n",
      "t.log:11: the Time line names test SB, the block is test MP" },
    { L_TEST L_HIST L_OKW L_POS L_COND L_OBS "Time MP 1,5\n",
      "t.log:11: bad number of seconds \"1,5\"" },
    { L_TEST L_HIST L_OKW L_POS L_COND L_OBS "Time MP\n", "t.log:11: the Time line has 2 words, not 3" },
    { L_TEST L_HIST "Test SB Allowed\n", "t.log:5: expected Ok or No, found \"Test SB Allowed\"" },
    { BLOCK "\n" BLOCK, "t.log:14: test MP appears a second time in the log" },
};

START_TEST(each_error_names_file_and_line)
{
    struct litmus_log log = { (void *)1, 1 }; /* garbage the reader must reset */

    strcpy(err, "untouched");
    ck_assert_int_eq(litmus_log_parse(bad[_i].text, strlen(bad[_i].text), "t.log", &log, err,
                                      sizeof(err)), -1);
    ck_assert_str_eq(err, bad[_i].want);
    ck_assert_ptr_null(log.tests); /* emptied: nothing to free, nothing leaked */
    ck_assert_uint_eq(log.ntests, 0);
}
END_TEST

START_TEST(missing_file_and_folder_are_errors)
{
    struct litmus_log log;

    ck_assert_int_eq(litmus_log_read_file(LOGS "no-such.log", &log, err, sizeof(err)), -1);
    ck_assert_str_eq(err, LOGS "no-such.log: No such file or directory");
    ck_assert_int_eq(litmus_log_read_file(LOGS, &log, err, sizeof(err)), -1);
    ck_assert_str_eq(err, LOGS ": Is a directory");
}
END_TEST

START_TEST(nul_bytes_and_no_final_newline_do_not_confuse_the_reader)
{
    static const char text[] = BLOCK "Test SB Allowed\0garbage\nHistogram (0 states)\nNo\n"
                               "Witnesses\nPositive: 0, Negative: 0\n"
                               "Condition exists (0:R2=0) is NOT validated\n"
                               "Observation SB Never 0 0";
    struct litmus_log log;

    if (litmus_log_parse(text, sizeof(text) - 1, "t.log", &log, err, sizeof(err)))
        ck_abort_msg("%s", err);
    ck_assert_uint_eq(log.ntests, 2);
    ck_assert_str_eq(log.tests[1].observation, "Never");
    litmus_log_free(&log);
    ck_assert_int_eq(litmus_log_parse(NULL, 0, NULL, &log, err, sizeof(err)), 0);
    ck_assert_uint_eq(log.ntests, 0);
}
END_TEST

/* Mutated guest logs (bytes flipped, lines dropped or doubled, cut short):
 * the reader must answer without crashing (valgrind watches), and whatever
 * it accepts must write back to text that reads and writes the same. */
START_TEST(mutated_logs_never_crash_and_accepted_ones_round_trip)
{
    size_t len;
    char *base = read_all(LOGS "guest-campaign.log", &len);
    char *buf = malloc(2 * len + 1);
    unsigned seed = 12345;
    int accepted = 0;

    for (int round = 0; round < 3000; round++) {
        size_t n = len;
        struct litmus_log log, again;

        memcpy(buf, base, len);
        for (int k = 0; k < 1 + round % 4; k++) {
            size_t at = (size_t)rand_r(&seed) % n;

            switch (rand_r(&seed) % 4) {
            case 0: buf[at] = (char)rand_r(&seed); break;
            case 1: buf[at] = "0123456789 \n:*>=\r"[rand_r(&seed) % 17]; break;
            case 2: n = at; break; /* cut short */
            default: /* duplicate a stretch */
                if (n + 40 < 2 * len) {
                    memmove(buf + at + 40, buf + at, n - at);
                    n += 40;
                }
            }
            if (n == 0)
                break;
        }
        if (litmus_log_parse(buf, n, "m.log", &log, err, sizeof(err)) == 0) {
            char *once = written(&log), *twice;

            accepted++;
            if (litmus_log_parse(once, strlen(once), "w.log", &again, err, sizeof(err)))
                ck_abort_msg("round %d: written text does not read back: %s", round, err);
            twice = written(&again);
            assert_same_text(twice, once);
            free(once);
            free(twice);
            litmus_log_free(&again);
            litmus_log_free(&log);
        } else {
            ck_assert_msg(!strncmp(err, "m.log:", 6), "round %d: %s", round, err);
        }
    }
    ck_assert_int_gt(accepted, 10); /* the round trip was exercised */
    free(base);
    free(buf);
}
END_TEST

/* ---- comparing -------------------------------------------------------------- */

START_TEST(logs_that_agree_compare_to_zero)
{
    struct litmus_log a, b;
    char *out;
    int n;

    parse_ok(readme_block, &a);
    out = compared(&a, &a, &n);
    ck_assert_int_eq(n, 0);
    ck_assert_str_eq(out, "Test | a.log          | b.log          |\n"
                          "MP   | Sometimes 1395 | Sometimes 1395 |\n"
                          "1 tests, 0 disagree\n");
    free(out);
    litmus_log_free(&a);
    if (litmus_log_read_file(LOGS "guest-campaign.log", &a, err, sizeof(err)))
        ck_abort_msg("%s", err);
    free(compared(&a, &a, &n));
    ck_assert_int_eq(n, 0);
    litmus_log_free(&a);
    /* SB seen always on one side, sometimes on the other: coverage, agreement. */
    parse_ok("Test SB Allowed\nHistogram (1 states)\n5     *>0:R2=0; 1:R2=0;\nOk\n\n"
             "Witnesses\nPositive: 5, Negative: 0\n"
             "Condition exists (0:R2=0 /\\ 1:R2=0) is validated\nObservation SB Always 5 0\n",
             &a);
    parse_ok("Test SB Allowed\nHistogram (2 states)\n5     *>0:R2=0; 1:R2=0;\n"
             "1     :>0:R2=1; 1:R2=1;\nOk\n\nWitnesses\nPositive: 5, Negative: 1\n"
             "Condition exists (0:R2=0 /\\ 1:R2=0) is validated\n"
             "Observation SB Sometimes 5 1\n", &b);
    free(compared(&a, &b, &n));
    ck_assert_int_eq(n, 0);
    litmus_log_free(&a);
    litmus_log_free(&b);
}
END_TEST

START_TEST(disagreeing_logs_mark_the_row_and_list_the_odd_states)
{
    struct litmus_log a, b;
    char *out;
    int n;

    if (litmus_log_read_file(LOGS "guest-campaign.log", &a, err, sizeof(err)))
        ck_abort_msg("%s", err);
    parse_ok(readme_block, &b); /* MP seen Sometimes against the guest's Never */
    out = compared(&a, &b, &n);
    ck_assert_int_eq(n, 5); /* MP, and the four tests b lacks */
    ck_assert_str_eq(out,
        "Test    | a.log          | b.log          |\n"
        "IRIW    | Never 0        | -              | ** missing in b.log\n"
        "MP      | Never 0        | Sometimes 1395 | ** P seen\n"
        "    only in b.log: 1395  *>1:R0=1; 1:R2=0;\n"
        "MP+dmbs | Always 0       | -              | ** missing in b.log\n"
        "SB      | Sometimes 3532 | -              | ** missing in b.log\n"
        "SB+dmbs | Sometimes 5375 | -              | ** missing in b.log\n"
        "5 tests, 5 disagree\n");
    free(out);
    litmus_log_free(&b);
    /* The same outcomes under another verdict word. */
    parse_ok("Test SB Forbidden\nHistogram (4 states)\n3532  *>0:R2=0; 1:R2=0;\n"
             "2812  :>0:R2=1; 1:R2=0;\n2784  :>0:R2=0; 1:R2=1;\n872   :>0:R2=1; 1:R2=1;\nNo\n\n"
             "Witnesses\nPositive: 6468, Negative: 3532\n"
             "Condition ~exists (0:R2=0 /\\ 1:R2=0) is NOT validated\n"
             "Observation SB Sometimes 3532 6468\n", &b);
    out = compared(&b, &a, &n);
    ck_assert_int_eq(n, 5);
    ck_assert_ptr_nonnull(strstr(out, "SB      | Sometimes 6468 | Sometimes 3532 |"
                                      " ** verdict Forbidden vs Allowed\n"));
    ck_assert_ptr_nonnull(strstr(out, "IRIW    | -              | Never 0        |"
                                      " ** missing in a.log\n"));
    free(out);
    litmus_log_free(&a);
    litmus_log_free(&b);
}
END_TEST

/* ---- the command ------------------------------------------------------------ */

/* Runs `compare ARGS` with stdout and stderr in a temporary file, whose
 * text comes back in *out. */
static int run_compare(int argc, char **argv, char **out)
{
    char path[] = "/tmp/test_litmus_log-XXXXXX";
    int fd = mkstemp(path), saved_out, saved_err, rc;

    ck_assert_int_ge(fd, 0);
    fflush(stdout);
    fflush(stderr);
    saved_out = dup(1);
    saved_err = dup(2);
    dup2(fd, 1);
    dup2(fd, 2);
    rc = litmus_cli_compare(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    close(fd);
    *out = read_all(path, NULL);
    unlink(path);
    return rc;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(command_exit_status_says_agree_disagree_or_error)
{
    char *same[] = { "compare", LOGS "mp-qemu.log", LOGS "mp-qemu.log" };
    char *differ[] = { "compare", LOGS "mp-qemu.log", LOGS "guest-campaign.log" };
    char *one[] = { "compare", LOGS "mp-qemu.log" };
    char *missing[] = { "compare", LOGS "mp-qemu.log", LOGS "nope.log" };
    char *out;

    ck_assert_int_eq(run_compare(3, same, &out), 0);
    ck_assert_ptr_nonnull(strstr(out, "1 tests, 0 disagree\n"));
    free(out);
    ck_assert_int_eq(run_compare(3, differ, &out), 1);
    ck_assert_ptr_nonnull(strstr(out, "5 tests, 4 disagree\n"));
    free(out);
    ck_assert_int_eq(run_compare(2, one, &out), 2);
    ck_assert_ptr_nonnull(strstr(out, "compare: expected two logs, A and B"));
    free(out);
    ck_assert_int_eq(run_compare(3, missing, &out), 2);
    ck_assert_ptr_nonnull(strstr(out, LOGS "nope.log: No such file or directory\n"));
    free(out);
}
END_TEST

START_TEST(command_reads_folders_of_logs_and_rejects_bad_ones)
{
    char dir[] = "/tmp/test_litmus_log-dir-XXXXXX", p1[128], p2[128], p3[128], row[256], *out;
    char *args[] = { "compare", dir, LOGS "guest-campaign.log" };

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(p1, sizeof(p1), "%s/a.log", dir);
    snprintf(p2, sizeof(p2), "%s/b.log", dir);
    snprintf(p3, sizeof(p3), "%s/notes.txt", dir);
    write_file(p1, "Bail out! only noise here\n");
    ck_assert_int_eq(run_compare(3, args, &out), 2);
    ck_assert_ptr_nonnull(strstr(out, "no litmus7 log in it"));
    free(out);
    write_file(p2, BLOCK);
    write_file(p3, "Test NotALog Allowed\n"); /* read, it would be an error */
    ck_assert_int_eq(run_compare(3, args, &out), 1);
    snprintf(row, sizeof(row), "MP      | %-*s | %-*s | ** P seen\n", (int)strlen(dir),
             "Sometimes 1", (int)strlen(args[2]), "Never 0");
    ck_assert_ptr_nonnull(strstr(out, row));
    free(out);
    write_file(p1, BLOCK);
    ck_assert_int_eq(run_compare(3, args, &out), 2);
    ck_assert_ptr_nonnull(strstr(out, "/b.log: test MP is also in "));
    free(out);
    write_file(p1, L_TEST L_HIST);
    ck_assert_int_eq(run_compare(3, args, &out), 2);
    ck_assert_ptr_nonnull(strstr(out, "/a.log:1: test MP ends before its Ok/No line\n"));
    free(out);
    unlink(p1);
    unlink(p2);
    unlink(p3);
    ck_assert_int_eq(run_compare(3, args, &out), 2);
    ck_assert_ptr_nonnull(strstr(out, ": no *.log files in this folder\n"));
    free(out);
    rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("litmus_log");
    TCase *rw = tcase_create("read_write"), *errors = tcase_create("errors");
    TCase *cmp = tcase_create("compare");
    SRunner *sr;
    int failed;

    tcase_add_test(rw, readme_example_reads_writes_and_reads_back_the_same);
    tcase_add_test(rw, guest_capture_reads_through_uart_noise_and_crlf);
    tcase_add_test(rw, writer_prints_the_guests_bytes);
    tcase_add_test(rw, campaign_log_gives_every_block_and_writes_back_whole);
    tcase_add_test(rw, blocks_between_noise_blank_lines_and_hash);
    tcase_add_test(rw, forall_marks_states_violating_p);
    tcase_add_test(rw, find_and_extra_look_up_by_name);
    tcase_add_loop_test(errors, each_error_names_file_and_line, 0,
                        (int)(sizeof(bad) / sizeof(bad[0])));
    tcase_add_test(errors, missing_file_and_folder_are_errors);
    tcase_add_test(errors, nul_bytes_and_no_final_newline_do_not_confuse_the_reader);
    tcase_add_test(errors, mutated_logs_never_crash_and_accepted_ones_round_trip);
    tcase_set_timeout(errors, 120); /* the mutation rounds, under valgrind */
    tcase_add_test(cmp, logs_that_agree_compare_to_zero);
    tcase_add_test(cmp, disagreeing_logs_mark_the_row_and_list_the_odd_states);
    tcase_add_test(cmp, command_exit_status_says_agree_disagree_or_error);
    tcase_add_test(cmp, command_reads_folders_of_logs_and_rejects_bad_ones);
    suite_add_tcase(s, rw);
    suite_add_tcase(s, errors);
    suite_add_tcase(s, cmp);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
