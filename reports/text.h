/*
 * text.h — making guest text safe for the formats the reports use.
 *
 * A guest's output is arbitrary bytes: a broken test can print binary
 * junk, and XML and JSON both demand valid UTF-8 (XML also forbids most
 * control characters). The harness sanitizes what it keeps from a guest
 * once, with text_sanitize_utf8(); each writer then escapes for its own
 * syntax with the functions below.
 */
#ifndef REPORTS_TEXT_H
#define REPORTS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Length (1..4) of the valid UTF-8 sequence at p, or 0 if the bytes at p
 * are not one (bad lead byte, missing or bad continuation, overlong form,
 * surrogate, beyond U+10FFFF). p points into a NUL-terminated string. */
size_t text_utf8_len(const char *p);

/* Replaces every byte that does not start a valid UTF-8 sequence with '?',
 * in place. */
void text_sanitize_utf8(char *s);

/* s as XML character data (attribute: true for an attribute value in
 * double quotes). Escapes & < > " ', writes tab/newline/CR as character
 * references in attributes, and drops the control characters XML 1.0
 * does not allow. Expects sanitized UTF-8. */
/* The first max bytes of the file at path as text a report can hold: "\r\n"
 * becomes "\n", NUL bytes '?', invalid UTF-8 sanitized. *truncated (may be
 * NULL) tells whether the file went on. NULL when path is NULL or the
 * file cannot be read. */
char *text_read_head(const char *path, size_t max, bool *truncated);

void text_write_xml(FILE *f, const char *s, bool attribute);

/* s inside a Markdown table cell: '|' escaped, '<' and '&' as entities,
 * line breaks and other control characters as spaces. */
void text_write_md_cell(FILE *f, const char *s);

/* s inside a Markdown code span: backticks become quotes, control
 * characters spaces (a code span cannot hold its own delimiter). */
void text_write_md_code(FILE *f, const char *s);

#endif
