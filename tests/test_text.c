/*
 * test_text.c — UTF-8 checking and per-format escaping (reports/text.c).
 */
#include "reports/text.h"

#include <check.h>
#include <stdbool.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What writer(s) prints, as a string the caller frees. */
static char *capture(void (*writer)(FILE *, const char *), const char *s)
{
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);

    writer(f, s);
    fclose(f);
    return buf;
}

static void xml_text(FILE *f, const char *s) { text_write_xml(f, s, false); }
static void xml_attr(FILE *f, const char *s) { text_write_xml(f, s, true); }

static void assert_writes(void (*writer)(FILE *, const char *), const char *in, const char *out)
{
    char *got = capture(writer, in);

    ck_assert_str_eq(got, out);
    free(got);
}

static void assert_sanitized(const char *in, const char *out)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "%s", in);
    text_sanitize_utf8(buf);
    ck_assert_str_eq(buf, out);
}

START_TEST(valid_utf8_passes_through)
{
    assert_sanitized("plain", "plain");
    assert_sanitized("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
                     "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    ck_assert_uint_eq(text_utf8_len("\xf4\x8f\xbf\xbf"), 4); /* U+10FFFF */
}
END_TEST

START_TEST(invalid_utf8_becomes_question_marks)
{
    assert_sanitized("a\xff" "b", "a?b");
    assert_sanitized("\xc3", "?");                /* cut short */
    assert_sanitized("\xc0\xaf", "??");           /* overlong '/' */
    assert_sanitized("\xe0\x80\xaf", "???");      /* overlong, 3 bytes */
    assert_sanitized("\xed\xa0\x80", "???");      /* a surrogate */
    assert_sanitized("\xf4\x90\x80\x80", "????"); /* above U+10FFFF */
    assert_sanitized("\x80x", "?x");              /* a lone continuation */
}
END_TEST

START_TEST(xml_escapes_markup)
{
    assert_writes(xml_text, "<a href=\"x\">&'</a> ]]>",
                  "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt; ]]&gt;");
}
END_TEST

START_TEST(xml_drops_forbidden_controls)
{
    assert_writes(xml_text, "a\x01\x08\x1b\x7f" "b\tc\nd\re", "ab\tc\nd\re");
}
END_TEST

START_TEST(xml_attribute_keeps_line_breaks_as_references)
{
    assert_writes(xml_attr, "a\nb\tc\rd", "a&#10;b&#9;c&#13;d");
}
END_TEST

START_TEST(markdown_cell_escapes_pipes_and_html)
{
    assert_writes(text_write_md_cell, "a|b <i> & c\nd", "a\\|b &lt;i> &amp; c d");
}
END_TEST

START_TEST(markdown_code_cannot_close_early)
{
    assert_writes(text_write_md_code, "echo `x`\n", "echo 'x' ");
}
END_TEST

START_TEST(read_head_cleans_line_ends_and_nuls_and_says_when_cut)
{
    char path[] = "/tmp/strex-text-XXXXXX";
    int fd = mkstemp(path);
    bool cut = true;
    char *head;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "ok 1\r\nx\0y\r\nlonger tail", 22), 22);
    close(fd);
    head = text_read_head(path, 100, &cut);
    ck_assert_str_eq(head, "ok 1\nx?y\nlonger tail");
    ck_assert(!cut);
    free(head);
    head = text_read_head(path, 7, &cut);
    ck_assert_str_eq(head, "ok 1\nx");
    ck_assert(cut);
    free(head);
    unlink(path);
    ck_assert_ptr_null(text_read_head(path, 10, &cut));
    ck_assert_ptr_null(text_read_head(NULL, 10, NULL));
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("escaping");

    tcase_add_test(tc, valid_utf8_passes_through);
    tcase_add_test(tc, invalid_utf8_becomes_question_marks);
    tcase_add_test(tc, xml_escapes_markup);
    tcase_add_test(tc, xml_drops_forbidden_controls);
    tcase_add_test(tc, xml_attribute_keeps_line_breaks_as_references);
    tcase_add_test(tc, markdown_cell_escapes_pipes_and_html);
    tcase_add_test(tc, markdown_code_cannot_close_early);
    tcase_add_test(tc, read_head_cleans_line_ends_and_nuls_and_says_when_cut);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(text_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
