/*
 * test_litmus_allowed.c — litmus/allowed.c: mcompare7 verdict tables.
 *
 * A fixture in the shape of herding-cats/arm.allowed (title, header,
 * rules, a blank line, a name glued to its '|', a "---" hardware column, a
 * one-column row), each malformed line as inline text checked for its
 * exact "FILE:LINE: message", and the real campaign table beside the
 * repository (missing data is a failure, not a skip).
 */
#include "litmus/allowed.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURE "tests/fixtures/litmus/allowed.txt"
#define CAMPAIGN_DEFAULT "../shared/litmus/herding-cats/arm-tests.tgz"

static char err[512];

static int parse(const char *text, struct litmus_allowed *a)
{
    return litmus_allowed_parse(text, strlen(text), "t.allowed", a, err, sizeof(err));
}

START_TEST(fixture_rows_by_name)
{
    struct litmus_allowed a;
    const struct litmus_allowed_row *r;

    ck_assert_int_eq(litmus_allowed_read_file(FIXTURE, &a, err, sizeof(err)), 0);
    ck_assert_uint_eq(a.n, 6);
    r = litmus_allowed_find(&a, "MP");
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->model, LITMUS_MODEL_OK);
    ck_assert_int_eq(r->hardware, LITMUS_MODEL_OK);
    ck_assert_int_eq(r->line, 5);
    r = litmus_allowed_find(&a, "MP+dmbs");
    ck_assert_int_eq(r->model, LITMUS_MODEL_NO);
    ck_assert_int_eq(r->hardware, LITMUS_MODEL_NO);
    r = litmus_allowed_find(&a, "CoRR");
    ck_assert_int_eq(r->model, LITMUS_MODEL_NO);
    ck_assert_int_eq(r->hardware, LITMUS_MODEL_OK);
    r = litmus_allowed_find(&a, "LB+data+pos-addr-fri");
    ck_assert_int_eq(r->hardware, LITMUS_MODEL_UNKNOWN);
    r = litmus_allowed_find(&a, "LB+data+data-wsi-rfi-pos-addr-po001");
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->model, LITMUS_MODEL_OK);
    r = litmus_allowed_find(&a, "SB");
    ck_assert_int_eq(r->model, LITMUS_MODEL_OK);
    ck_assert_int_eq(r->hardware, LITMUS_MODEL_UNKNOWN);
    ck_assert_ptr_null(litmus_allowed_find(&a, "MP+dmb"));
    ck_assert_ptr_null(litmus_allowed_find(&a, ""));
    litmus_allowed_free(&a);
    ck_assert_ptr_null(litmus_allowed_find(&a, "MP"));
}
END_TEST

START_TEST(words_for_verdicts)
{
    ck_assert_str_eq(litmus_model_word(LITMUS_MODEL_OK), "Ok");
    ck_assert_str_eq(litmus_model_word(LITMUS_MODEL_NO), "No");
    ck_assert_str_eq(litmus_model_word(LITMUS_MODEL_UNKNOWN), "---");
}
END_TEST

START_TEST(crlf_and_no_final_newline_are_fine)
{
    struct litmus_allowed a;

    ck_assert_int_eq(parse("T\r\n | A B\r\n----\r\nMP | Ok No\r\nSB | No Ok", &a), 0);
    ck_assert_uint_eq(a.n, 2);
    ck_assert_int_eq(litmus_allowed_find(&a, "MP")->hardware, LITMUS_MODEL_NO);
    ck_assert_int_eq(litmus_allowed_find(&a, "SB")->model, LITMUS_MODEL_NO);
    litmus_allowed_free(&a);
}
END_TEST

static void assert_error(const char *text, const char *want)
{
    struct litmus_allowed a;

    ck_assert_int_eq(parse(text, &a), -1);
    ck_assert_str_eq(err, want);
    ck_assert_uint_eq(a.n, 0);
    ck_assert_ptr_null(a.rows);
}

START_TEST(each_malformed_row_names_its_line)
{
    const char *head = "T\n | A B\n";
    char text[256];

    snprintf(text, sizeof(text), "%sMP | Ok Ok\nSB Ok Ok\n", head);
    assert_error(text, "t.allowed:4: expected 'NAME | MODEL [HARDWARE]', found no '|'");
    snprintf(text, sizeof(text), "%sMP | Ok Maybe\n", head);
    assert_error(text, "t.allowed:3: verdict 'Maybe' is not Ok, No or ---");
    snprintf(text, sizeof(text), "%sMP | ok Ok\n", head);
    assert_error(text, "t.allowed:3: verdict 'ok' is not Ok, No or ---");
    snprintf(text, sizeof(text), "%sMP | Ok Ok No\n", head);
    assert_error(text, "t.allowed:3: expected 'NAME | MODEL [HARDWARE]' (Ok, No or ---), "
                       "found more than two verdicts");
    snprintf(text, sizeof(text), "%sMP |\n", head);
    assert_error(text, "t.allowed:3: expected 'NAME | MODEL [HARDWARE]' (Ok, No or ---), "
                       "found no verdict");
    snprintf(text, sizeof(text), "%s | Ok Ok\n", head);
    assert_error(text, "t.allowed:3: a row without a test name");
    snprintf(text, sizeof(text), "%sM P | Ok Ok\n", head);
    assert_error(text, "t.allowed:3: a test name has no blanks: 'M P'");
    snprintf(text, sizeof(text), "%sMP | Ok |\n", head);
    assert_error(text, "t.allowed:3: verdict '|' is not Ok, No or ---");
}
END_TEST

START_TEST(duplicates_and_missing_header_are_errors)
{
    struct litmus_allowed a;
    const char nul[] = "T\n | A\nMP | O\0k\n";

    assert_error("T\n | A B\nMP | Ok Ok\nSB | No No\nMP | No No\n",
                 "t.allowed:5: MP is listed twice (also line 3)");
    assert_error("MP | Ok Ok\n", "t.allowed: no header row ('| LOG1 LOG2'): not an mcompare7 "
                                 "table");
    assert_error("", "t.allowed: no header row ('| LOG1 LOG2'): not an mcompare7 table");
    ck_assert_int_eq(litmus_allowed_parse(nul, sizeof(nul) - 1, "t.allowed", &a, err,
                                          sizeof(err)), -1);
    ck_assert_str_eq(err, "t.allowed:3: a NUL byte in the table");
}
END_TEST

START_TEST(missing_file_is_an_error)
{
    struct litmus_allowed a;

    ck_assert_int_eq(litmus_allowed_read_file("/nonexistent/arm.allowed", &a, err,
                                              sizeof(err)), -1);
    ck_assert_str_eq(err, "/nonexistent/arm.allowed: cannot open: No such file or directory");
}
END_TEST

START_TEST(campaign_table_has_every_test)
{
    const char *campaign = getenv("STREX_LITMUS_CAMPAIGN");
    struct litmus_allowed a;
    char path[4096];
    const char *slash;
    size_t ok = 0;

    if (!campaign)
        campaign = CAMPAIGN_DEFAULT;
    slash = strrchr(campaign, '/');
    snprintf(path, sizeof(path), "%.*sarm.allowed", slash ? (int)(slash - campaign + 1) : 0,
             campaign);
    ck_assert_msg(access(path, R_OK) == 0, "%s not found (set STREX_LITMUS_CAMPAIGN)", path);
    ck_assert_int_eq(litmus_allowed_read_file(path, &a, err, sizeof(err)), 0);
    ck_assert_uint_eq(a.n, 9790);
    for (size_t i = 0; i < a.n; i++)
        ok += a.rows[i].model == LITMUS_MODEL_OK;
    ck_assert_uint_eq(ok, 6724); /* Allowed by the model; 3,066 Forbidden */
    ck_assert_int_eq(litmus_allowed_find(&a, "MP")->model, LITMUS_MODEL_OK);
    ck_assert_int_eq(litmus_allowed_find(&a, "MP+dmbs")->model, LITMUS_MODEL_NO);
    ck_assert_int_eq(litmus_allowed_find(&a, "CoRR")->hardware, LITMUS_MODEL_OK);
    ck_assert_int_eq(litmus_allowed_find(&a, "LB+data+pos-addr-wsi")->hardware,
                     LITMUS_MODEL_UNKNOWN);
    litmus_allowed_free(&a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("litmus_allowed");
    TCase *tc = tcase_create("table");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, fixture_rows_by_name);
    tcase_add_test(tc, words_for_verdicts);
    tcase_add_test(tc, crlf_and_no_final_newline_are_fine);
    tcase_add_test(tc, each_malformed_row_names_its_line);
    tcase_add_test(tc, duplicates_and_missing_header_are_errors);
    tcase_add_test(tc, missing_file_is_an_error);
    tcase_add_test(tc, campaign_table_has_every_test);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
