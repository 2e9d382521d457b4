/*
 * json.h — a streaming JSON writer.
 *
 * Values are written in order as the caller walks its data; the writer
 * tracks nesting and commas, escapes strings, and indents two spaces per
 * level. A misuse (a key outside an object, unbalanced ends, nesting deeper
 * than JSON_MAX_DEPTH) is an internal error and goes through fatal().
 * Reading JSON is not this module's job: use json-c for that.
 *
 *     json_object_begin(&w);
 *     json_key(&w, "tests"); json_uint(&w, 12);
 *     json_object_end(&w);
 */
#ifndef UTIL_JSON_H
#define UTIL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json_writer {
    FILE *f;
    int depth;
    bool in_object[JSON_MAX_DEPTH]; /* per level: object (true) or array */
    bool has_items[JSON_MAX_DEPTH]; /* per level: a comma is due */
    bool after_key;                 /* a key was written, its value is due */
};

void json_init(struct json_writer *w, FILE *f);
/* Ends the document with a newline; fatal() if something is still open. */
void json_finish(struct json_writer *w);

void json_object_begin(struct json_writer *w);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w);
void json_array_end(struct json_writer *w);
void json_key(struct json_writer *w, const char *key);

void json_string(struct json_writer *w, const char *s); /* NULL writes null */
void json_int(struct json_writer *w, int64_t v);
void json_uint(struct json_writer *w, uint64_t v);
void json_double(struct json_writer *w, double v); /* NaN/inf write null */
void json_bool(struct json_writer *w, bool v);
void json_null(struct json_writer *w);

/* key + value in one call, for the common case inside an object. */
void json_kv_string(struct json_writer *w, const char *key, const char *s);
void json_kv_int(struct json_writer *w, const char *key, int64_t v);
void json_kv_uint(struct json_writer *w, const char *key, uint64_t v);
void json_kv_double(struct json_writer *w, const char *key, double v);
void json_kv_bool(struct json_writer *w, const char *key, bool v);

/* Writes s as a JSON string literal (quotes included) to f. */
void json_write_escaped(FILE *f, const char *s);

#endif
