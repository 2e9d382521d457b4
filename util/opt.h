/*
 * opt.h — small parsers for command-line values.
 *
 * key=value lists ("a=1,b=2" for -accel, "k=v k2=v2" for -append), unsigned
 * numbers with bounds, and number lists with ranges ("1,2,4,8", "1-8",
 * "1..100"). Every parser returns 0 on success or -1 and fills a one-line
 * message that the caller prints; none of them exits.
 */
#ifndef UTIL_OPT_H
#define UTIL_OPT_H

#include <stddef.h>

struct opt_kv {
    char *key;
    char *value; /* "" for a bare "key" without '=' */
};

struct opt_kvlist {
    struct opt_kv *items;
    size_t n;
};

/* Splits text at sep (a space means any run of blanks); each item is
 * "key=value" or "key". Empty keys ("=x") are an error. */
int opt_kv_parse(const char *text, char sep, struct opt_kvlist *out,
                 char *err, size_t errlen);
/* The value of the last item named key, or NULL. */
const char *opt_kv_get(const struct opt_kvlist *list, const char *key);
void opt_kv_free(struct opt_kvlist *list);

/* A decimal (or 0x hex) number in [min, max]. */
int opt_parse_ulong(const char *s, unsigned long min, unsigned long max,
                    unsigned long *out, char *err, size_t errlen);

/* "1,2,4,8", "1-8", "1..100" or mixes ("1,4-6"), each in [min, max], at most
 * max_n numbers, kept in the order given, duplicates dropped. */
int opt_parse_ulong_list(const char *s, unsigned long min, unsigned long max,
                         unsigned long *out, size_t max_n, size_t *n,
                         char *err, size_t errlen);

/* "a,b,c" into newly allocated words; empty words are an error. */
int opt_parse_words(const char *s, char ***out, size_t *n, char *err, size_t errlen);
void opt_free_words(char **words, size_t n);

#endif
