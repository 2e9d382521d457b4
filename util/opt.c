/*
 * opt.c — key=value lists, bounded numbers and number ranges.
 */
#include "util/opt.h"

#include "util/fatal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_sep(char c, char sep)
{
    return sep == ' ' ? isspace((unsigned char)c) : c == sep;
}

int opt_kv_parse(const char *text, char sep, struct opt_kvlist *out,
                 char *err, size_t errlen)
{
    const char *p = text;

    out->items = NULL;
    out->n = 0;
    for (;;) {
        const char *start, *end, *eq;

        while (sep == ' ' && *p && is_sep(*p, sep))
            p++;
        if (!*p)
            break;
        start = p;
        while (*p && !is_sep(*p, sep))
            p++;
        end = p;
        if (start == end) {
            snprintf(err, errlen, "empty item in '%s'", text);
            opt_kv_free(out);
            return -1;
        }
        eq = memchr(start, '=', (size_t)(end - start));
        if (eq == start) {
            snprintf(err, errlen, "missing key before '=' in '%s'", text);
            opt_kv_free(out);
            return -1;
        }
        out->items = xrealloc(out->items, (out->n + 1) * sizeof(*out->items));
        if (eq) {
            out->items[out->n].key = strndup(start, (size_t)(eq - start));
            out->items[out->n].value = strndup(eq + 1, (size_t)(end - eq - 1));
        } else {
            out->items[out->n].key = strndup(start, (size_t)(end - start));
            out->items[out->n].value = xstrdup("");
        }
        if (!out->items[out->n].key || !out->items[out->n].value)
            fatal("out of memory in opt_kv_parse");
        out->n++;
        if (!*p)
            break;
        p++; /* the separator */
        if (sep != ' ' && !*p) {
            snprintf(err, errlen, "trailing '%c' in '%s'", sep, text);
            opt_kv_free(out);
            return -1;
        }
    }
    return 0;
}

const char *opt_kv_get(const struct opt_kvlist *list, const char *key)
{
    const char *value = NULL;

    for (size_t i = 0; i < list->n; i++)
        if (strcmp(list->items[i].key, key) == 0)
            value = list->items[i].value;
    return value;
}

void opt_kv_free(struct opt_kvlist *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].key);
        free(list->items[i].value);
    }
    free(list->items);
    list->items = NULL;
    list->n = 0;
}

int opt_parse_ulong(const char *s, unsigned long min, unsigned long max,
                    unsigned long *out, char *err, size_t errlen)
{
    char *end;
    unsigned long v;

    if (!*s || !isdigit((unsigned char)*s)) {
        snprintf(err, errlen, "'%s' is not a number", s);
        return -1;
    }
    errno = 0;
    v = strtoul(s, &end, 0);
    if (errno || *end) {
        snprintf(err, errlen, "'%s' is not a number", s);
        return -1;
    }
    if (v < min || v > max) {
        snprintf(err, errlen, "%lu is out of range [%lu, %lu]", v, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

static int list_add(unsigned long v, unsigned long *out, size_t max_n, size_t *n,
                    char *err, size_t errlen)
{
    for (size_t i = 0; i < *n; i++)
        if (out[i] == v)
            return 0;
    if (*n == max_n) {
        snprintf(err, errlen, "more than %zu values", max_n);
        return -1;
    }
    out[(*n)++] = v;
    return 0;
}

/* One item of a list: "N", "A-B" or "A..B". */
static int parse_range(char *item, unsigned long min, unsigned long max,
                       unsigned long *out, size_t max_n, size_t *n,
                       char *err, size_t errlen)
{
    char *dots = strstr(item, "..");
    char *dash = strchr(item, '-');
    char *hi_text = NULL;
    unsigned long lo, hi;

    if (dots) {
        *dots = '\0';
        hi_text = dots + 2;
    } else if (dash) {
        *dash = '\0';
        hi_text = dash + 1;
    }
    if (opt_parse_ulong(item, min, max, &lo, err, errlen) != 0)
        return -1;
    hi = lo;
    if (hi_text && opt_parse_ulong(hi_text, min, max, &hi, err, errlen) != 0)
        return -1;
    if (hi < lo) {
        snprintf(err, errlen, "range %lu-%lu runs backwards", lo, hi);
        return -1;
    }
    for (unsigned long v = lo; v <= hi; v++)
        if (list_add(v, out, max_n, n, err, errlen) != 0)
            return -1;
    return 0;
}

int opt_parse_ulong_list(const char *s, unsigned long min, unsigned long max,
                         unsigned long *out, size_t max_n, size_t *n,
                         char *err, size_t errlen)
{
    char **words;
    size_t nwords;
    int rc = 0;

    *n = 0;
    if (opt_parse_words(s, &words, &nwords, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < nwords && rc == 0; i++)
        rc = parse_range(words[i], min, max, out, max_n, n, err, errlen);
    opt_free_words(words, nwords);
    return rc;
}

int opt_parse_words(const char *s, char ***out, size_t *n, char *err, size_t errlen)
{
    const char *p = s;

    *out = NULL;
    *n = 0;
    if (!*s) {
        snprintf(err, errlen, "empty list");
        return -1;
    }
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);

        if (len == 0) {
            snprintf(err, errlen, "empty item in list '%s'", s);
            opt_free_words(*out, *n);
            *out = NULL;
            *n = 0;
            return -1;
        }
        *out = xrealloc(*out, (*n + 1) * sizeof(**out));
        (*out)[*n] = strndup(p, len);
        if (!(*out)[*n])
            fatal("out of memory in opt_parse_words");
        (*n)++;
        if (!comma)
            break;
        p = comma + 1;
    }
    return 0;
}

void opt_free_words(char **words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(words[i]);
    free(words);
}
