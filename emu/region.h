/*
 * region.h — the code buffer, cut into regions.
 *
 * One mmap'd buffer (-accel tcg,tb-size=MB) holds every TB: its header and
 * its compiled code. The buffer is cut into regions, each followed by a
 * guard page. A translating context (one per translating thread) owns at
 * most one region at a time and bump-allocates from it; when it fills, the
 * context takes the next free region. Taking a region is the only step
 * contexts share (region_lock), and it is rare. When none is left the
 * caller flushes: every TB is forgotten and region_reset() makes every
 * region free again.
 *
 * How many regions (DESIGN.md §3, issue [C]):
 *   automatic  1 for one translating thread; otherwise about 2 MiB each,
 *              at least one and at most eight per vCPU (QEMU's rule)
 *   N          exactly N (regions=N)
 *   static     one fixed slice per vCPU, never shared (regions=static), to
 *              reproduce the comparison in the commit that introduced
 *              regions
 *
 * Threads: region_alloc() on a context is called only by the context's
 * owner; taking a fresh region locks region_lock. Statistics are _Atomic
 * (relaxed). region_reset() runs with every translating thread stopped
 * (a flush is stop-the-world work), so it takes the lock only for form.
 */
#ifndef EMU_REGION_H
#define EMU_REGION_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum region_mode { REGION_AUTO, REGION_COUNT, REGION_STATIC };

struct region_stats {
    _Atomic uint64_t bytes;      /* bytes allocated in it since the last flush */
    _Atomic uint64_t tbs;        /* TBs allocated in it since the last flush */
    _Atomic uint64_t taken;      /* times a context took it, over the whole run */
};

struct region_state {
    uint8_t *buf;                /* fixed after region_init() */
    size_t map_size;             /* the whole mapping, guards included */
    size_t region_size;          /* usable bytes per region (guard page excluded) */
    size_t stride;               /* region_size + guard page */
    size_t n_regions;            /* fixed after region_init() */
    enum region_mode mode;       /* fixed after region_init() */
    pthread_mutex_t lock;        /* region_lock: guards next_free */
    size_t next_free;            /* guarded by lock */
    struct region_stats *stats;  /* n_regions entries */
};

/* A translating thread's allocation state; owned by that thread. */
struct region_ctx {
    unsigned owner;              /* the vCPU (static mode's slice) */
    long region;                 /* the region it fills, -1 for none */
    uint8_t *ptr, *end;
};

/* The region count for a buffer, a mode and a thread count (pure: the
 * rule above). */
size_t region_count_for(size_t buf_size, enum region_mode mode, size_t requested,
                        unsigned n_vcpus, bool one_thread);

/* Maps size_mb MiB cut into n regions. 0, or -1 with one line in err when
 * the buffer cannot hold n regions of at least min_region bytes each. */
int region_init(struct region_state *rs, size_t size_mb, size_t n, enum region_mode mode,
                size_t min_region, char *err, size_t errlen);
void region_destroy(struct region_state *rs);

void region_ctx_init(struct region_ctx *ctx, unsigned owner);

/* size bytes (16-byte aligned) for a TB from ctx's region, taking a new
 * region if it is full. NULL when no region is left: flush and retry. */
void *region_alloc(struct region_state *rs, struct region_ctx *ctx, size_t size);
/* Gives back the unused tail of the last allocation (keep bytes of it). */
void region_trim(struct region_state *rs, struct region_ctx *ctx, void *p, size_t size,
                 size_t keep);
/* Counts a TB in the region that holds p. */
void region_count_tb(struct region_state *rs, const void *p);

/* Bytes allocated in all regions since the last flush. */
size_t region_bytes_used(const struct region_state *rs);

/* After a flush: every region free, every context without one. contexts
 * may be NULL when n_ctx is 0. */
void region_reset(struct region_state *rs, struct region_ctx *const *contexts, size_t n_ctx);

#endif
