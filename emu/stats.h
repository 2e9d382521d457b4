/*
 * stats.h — the run's counters (emu/stats.def) and their JSON export.
 *
 * Counters are _Atomic and updated with relaxed increments: they are
 * statistics, read once at exit, and several vCPU threads may bump them.
 */
#ifndef EMU_STATS_H
#define EMU_STATS_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

struct emu_stats {
#define STAT(name, what) _Atomic uint64_t name;
#include "emu/stats.def"
};

#define EMU_STAT_ADD(st, name, n) \
    atomic_fetch_add_explicit(&(st)->name, (n), memory_order_relaxed)
#define EMU_STAT_INC(st, name) EMU_STAT_ADD(st, name, 1)

struct json_writer;

/* Writes {"insns": N, ...} to path; extra, when not NULL, adds more keys
 * to the object. 0, or -1 if the file cannot be written. */
int emu_stats_write(const struct emu_stats *st, const char *path,
                    void (*extra)(void *opaque, struct json_writer *w), void *opaque);

#endif
