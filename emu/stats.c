/*
 * stats.c — writes the counters of emu/stats.def as one JSON object.
 */
#include "emu/stats.h"

#include "util/json.h"

int emu_stats_write(const struct emu_stats *st, const char *path,
                    void (*extra)(void *opaque, struct json_writer *w), void *opaque)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    struct json_writer w;
    json_init(&w, f);
    json_object_begin(&w);
#define STAT(name, what) \
    json_kv_uint(&w, #name, atomic_load_explicit(&st->name, memory_order_relaxed));
#include "emu/stats.def"
    if (extra != NULL)
        extra(opaque, &w);
    json_object_end(&w);
    json_finish(&w);
    return fclose(f) == 0 ? 0 : -1;
}
