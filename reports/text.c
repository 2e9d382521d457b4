/*
 * text.c — UTF-8 validation and per-format escaping of guest text.
 *
 * The UTF-8 check follows the table of well-formed byte sequences in the
 * Unicode standard (chapter 3): the second byte's range depends on the
 * lead byte, which rules out overlong forms, surrogates and code points
 * above U+10FFFF without decoding.
 */
#include "reports/text.h"

#include "util/fatal.h"

#include <stdio.h>

static bool in_range(unsigned char c, unsigned char lo, unsigned char hi)
{
    return c >= lo && c <= hi;
}

size_t text_utf8_len(const char *p)
{
    const unsigned char *s = (const unsigned char *)p;
    unsigned char lo = 0x80, hi = 0xbf;
    size_t n;

    if (s[0] < 0x80)
        return 1;
    if (in_range(s[0], 0xc2, 0xdf))
        n = 2;
    else if (in_range(s[0], 0xe0, 0xef))
        n = 3;
    else if (in_range(s[0], 0xf0, 0xf4))
        n = 4;
    else
        return 0;
    if (s[0] == 0xe0)
        lo = 0xa0; /* no overlong 3-byte forms */
    else if (s[0] == 0xed)
        hi = 0x9f; /* no surrogates */
    else if (s[0] == 0xf0)
        lo = 0x90; /* no overlong 4-byte forms */
    else if (s[0] == 0xf4)
        hi = 0x8f; /* nothing above U+10FFFF */
    if (!in_range(s[1], lo, hi))
        return 0;
    for (size_t i = 2; i < n; i++)
        if (!in_range(s[i], 0x80, 0xbf))
            return 0;
    return n;
}

void text_sanitize_utf8(char *s)
{
    while (*s) {
        size_t n = text_utf8_len(s);

        if (n == 0) {
            *s++ = '?';
            continue;
        }
        s += n;
    }
}

/* XML 1.0 allows tab, newline and CR among the C0 controls, and nothing
 * else below 0x20; DEL is allowed but useless, so it goes too. */
static bool xml_allowed(unsigned char c)
{
    return c >= 0x20 ? c != 0x7f : (c == '\t' || c == '\n' || c == '\r');
}

void text_write_xml(FILE *f, const char *s, bool attribute)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); continue;
        case '<': fputs("&lt;", f); continue;
        case '>': fputs("&gt;", f); continue; /* keeps "]]>" harmless too */
        case '"': fputs("&quot;", f); continue;
        case '\'': fputs("&apos;", f); continue;
        }
        if (!xml_allowed(*p))
            continue;
        if (attribute && *p < 0x20)
            fprintf(f, "&#%u;", *p); /* parsers turn raw ones into spaces */
        else
            fputc(*p, f);
    }
}

void text_write_md_cell(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '|')
            fputs("\\|", f);
        else if (*p == '<')
            fputs("&lt;", f);
        else if (*p == '&')
            fputs("&amp;", f);
        else if (*p < 0x20 || *p == 0x7f)
            fputc(' ', f);
        else
            fputc(*p, f);
    }
}

void text_write_md_code(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '`')
            fputc('\'', f);
        else if (*p < 0x20 || *p == 0x7f)
            fputc(' ', f);
        else
            fputc(*p, f);
    }
}

/* "\r\n" -> "\n" (the guest UART's line ends), NUL -> '?' (the result is a
 * C string); returns the new length. */
static size_t clean_bytes(char *buf, size_t n)
{
    size_t d = 0;

    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\r' && i + 1 < n && buf[i + 1] == '\n')
            continue;
        buf[d++] = buf[i] ? buf[i] : '?';
    }
    return d;
}

char *text_read_head(const char *path, size_t max, bool *truncated)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    char *buf;
    size_t n;

    if (truncated)
        *truncated = false;
    if (!f)
        return NULL;
    buf = xmalloc(max + 1);
    n = fread(buf, 1, max, f);
    if (truncated)
        *truncated = fgetc(f) != EOF;
    fclose(f);
    n = clean_bytes(buf, n);
    buf[n] = '\0';
    text_sanitize_utf8(buf);
    return buf;
}
