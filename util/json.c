/*
 * json.c — the streaming JSON writer.
 *
 * Layout: one item per line, two spaces of indent per level, "key": value.
 * Strings are escaped per RFC 8259: quote, backslash and control bytes;
 * other bytes pass through, so UTF-8 stays UTF-8.
 */
#include "util/json.h"

#include "util/fatal.h"

#include <inttypes.h>
#include <math.h>

void json_init(struct json_writer *w, FILE *f)
{
    w->f = f;
    w->depth = 0;
    w->after_key = false;
    w->has_items[0] = false;
}

void json_finish(struct json_writer *w)
{
    if (w->depth != 0 || w->after_key)
        fatal("json: document finished with %d open levels", w->depth);
    fputc('\n', w->f);
}

static void indent(struct json_writer *w)
{
    fputc('\n', w->f);
    for (int i = 0; i < w->depth; i++)
        fputs("  ", w->f);
}

/* Everything a value needs before it: a comma, a newline, the indent. */
static void before_value(struct json_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0 && w->in_object[w->depth - 1])
        fatal("json: value inside an object without a key");
    if (w->depth == 0) {
        if (w->has_items[0])
            fatal("json: a second top-level value");
        w->has_items[0] = true;
        return;
    }
    if (w->has_items[w->depth])
        fputc(',', w->f);
    w->has_items[w->depth] = true;
    indent(w);
}

static void open_level(struct json_writer *w, bool object)
{
    before_value(w);
    if (w->depth + 1 >= JSON_MAX_DEPTH)
        fatal("json: nesting deeper than %d", JSON_MAX_DEPTH);
    fputc(object ? '{' : '[', w->f);
    w->in_object[w->depth] = object;
    w->depth++;
    w->has_items[w->depth] = false;
}

static void close_level(struct json_writer *w, bool object)
{
    if (w->depth == 0 || w->in_object[w->depth - 1] != object || w->after_key)
        fatal("json: unbalanced %s end", object ? "object" : "array");
    bool had_items = w->has_items[w->depth];
    w->depth--;
    if (had_items)
        indent(w);
    fputc(object ? '}' : ']', w->f);
}

void json_object_begin(struct json_writer *w) { open_level(w, true); }
void json_object_end(struct json_writer *w) { close_level(w, true); }
void json_array_begin(struct json_writer *w) { open_level(w, false); }
void json_array_end(struct json_writer *w) { close_level(w, false); }

void json_key(struct json_writer *w, const char *key)
{
    if (w->depth == 0 || !w->in_object[w->depth - 1] || w->after_key)
        fatal("json: key '%s' outside an object", key);
    if (w->has_items[w->depth])
        fputc(',', w->f);
    w->has_items[w->depth] = true;
    indent(w);
    json_write_escaped(w->f, key);
    fputs(": ", w->f);
    w->after_key = true;
}

void json_write_escaped(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

void json_string(struct json_writer *w, const char *s)
{
    before_value(w);
    if (s)
        json_write_escaped(w->f, s);
    else
        fputs("null", w->f);
}

void json_int(struct json_writer *w, int64_t v)
{
    before_value(w);
    fprintf(w->f, "%" PRId64, v);
}

void json_uint(struct json_writer *w, uint64_t v)
{
    before_value(w);
    fprintf(w->f, "%" PRIu64, v);
}

void json_double(struct json_writer *w, double v)
{
    before_value(w);
    if (isfinite(v))
        fprintf(w->f, "%.10g", v);
    else
        fputs("null", w->f);
}

void json_bool(struct json_writer *w, bool v)
{
    before_value(w);
    fputs(v ? "true" : "false", w->f);
}

void json_null(struct json_writer *w)
{
    before_value(w);
    fputs("null", w->f);
}

void json_kv_string(struct json_writer *w, const char *key, const char *s)
{
    json_key(w, key);
    json_string(w, s);
}

void json_kv_int(struct json_writer *w, const char *key, int64_t v)
{
    json_key(w, key);
    json_int(w, v);
}

void json_kv_uint(struct json_writer *w, const char *key, uint64_t v)
{
    json_key(w, key);
    json_uint(w, v);
}

void json_kv_double(struct json_writer *w, const char *key, double v)
{
    json_key(w, key);
    json_double(w, v);
}

void json_kv_bool(struct json_writer *w, const char *key, bool v)
{
    json_key(w, key);
    json_bool(w, v);
}
