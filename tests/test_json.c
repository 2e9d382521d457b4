/*
 * test_json.c — util/json: layout, escaping, and misuse caught by fatal().
 */
#include "util/json.h"

#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* Runs fn on a writer over a memory stream and returns what it wrote. */
static char *capture(void (*fn)(struct json_writer *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct json_writer w;

    json_init(&w, f);
    fn(&w);
    fclose(f);
    return buf;
}

static void write_nested(struct json_writer *w)
{
    json_object_begin(w);
    json_kv_string(w, "name", "llsc-counter");
    json_kv_uint(w, "smp", 4);
    json_key(w, "list");
    json_array_begin(w);
    json_int(w, -1);
    json_bool(w, true);
    json_null(w);
    json_array_end(w);
    json_key(w, "empty");
    json_object_begin(w);
    json_object_end(w);
    json_object_end(w);
    json_finish(w);
}

START_TEST(nested_document_is_laid_out_one_item_per_line)
{
    char *out = capture(write_nested);

    ck_assert_str_eq(out, "{\n"
                          "  \"name\": \"llsc-counter\",\n"
                          "  \"smp\": 4,\n"
                          "  \"list\": [\n"
                          "    -1,\n"
                          "    true,\n"
                          "    null\n"
                          "  ],\n"
                          "  \"empty\": {}\n"
                          "}\n");
    free(out);
}
END_TEST

static void write_escapes(struct json_writer *w)
{
    json_string(w, "q\" b\\ n\n t\t c\x01 \xc3\xa9");
}

START_TEST(strings_escape_quotes_backslashes_and_controls)
{
    char *out = capture(write_escapes);

    ck_assert_str_eq(out, "\"q\\\" b\\\\ n\\n t\\t c\\u0001 \xc3\xa9\"");
    free(out);
}
END_TEST

static void write_doubles(struct json_writer *w)
{
    json_array_begin(w);
    json_double(w, 1.5);
    json_double(w, 0.0 / 0.0);
    json_array_end(w);
}

START_TEST(non_finite_doubles_become_null)
{
    char *out = capture(write_doubles);

    ck_assert_str_eq(out, "[\n  1.5,\n  null\n]");
    free(out);
}
END_TEST

static void write_value_without_key(struct json_writer *w)
{
    json_object_begin(w);
    json_int(w, 1);
}

START_TEST(value_in_object_without_key_is_fatal)
{
    free(capture(write_value_without_key));
}
END_TEST

static void write_unbalanced(struct json_writer *w)
{
    json_array_begin(w);
    json_object_end(w);
}

START_TEST(unbalanced_end_is_fatal)
{
    free(capture(write_unbalanced));
}
END_TEST

static void write_unfinished(struct json_writer *w)
{
    json_array_begin(w);
    json_finish(w);
}

START_TEST(finishing_with_open_levels_is_fatal)
{
    free(capture(write_unfinished));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("json");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, nested_document_is_laid_out_one_item_per_line);
    tcase_add_test(tc, strings_escape_quotes_backslashes_and_controls);
    tcase_add_test(tc, non_finite_doubles_become_null);
    tcase_add_test_raise_signal(tc, value_in_object_without_key_is_fatal, SIGABRT);
    tcase_add_test_raise_signal(tc, unbalanced_end_is_fatal, SIGABRT);
    tcase_add_test_raise_signal(tc, finishing_with_open_levels_is_fatal, SIGABRT);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
