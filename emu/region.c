/*
 * region.c — cutting the code buffer into regions (see region.h).
 */
#include "emu/region.h"

#include "util/fatal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ALIGN16(x)     (((x) + 15) & ~(size_t)15)
#define AUTO_REGION    (2u << 20)   /* the automatic rule's target region size */

size_t region_count_for(size_t buf_size, enum region_mode mode, size_t requested,
                        unsigned n_vcpus, bool one_thread)
{
    if (n_vcpus == 0)
        n_vcpus = 1;
    switch (mode) {
    case REGION_COUNT:
        return requested;
    case REGION_STATIC:
        return n_vcpus;
    case REGION_AUTO:
        break;
    }
    if (one_thread)
        return 1;
    size_t n = buf_size / AUTO_REGION;
    if (n < n_vcpus)
        n = n_vcpus;
    if (n > (size_t)n_vcpus * 8)
        n = (size_t)n_vcpus * 8;
    return n;
}

int region_init(struct region_state *rs, size_t size_mb, size_t n, enum region_mode mode,
                size_t min_region, char *err, size_t errlen)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t total = size_mb << 20;
    memset(rs, 0, sizeof(*rs));
    if (n == 0) {
        snprintf(err, errlen, "regions=0: the code buffer needs at least one region");
        return -1;
    }
    size_t stride = (total / n) & ~(page - 1);
    if (stride < page + min_region || stride - page < min_region) {
        snprintf(err, errlen, "tb-size=%zu: too small for %zu regions of at least %zu bytes "
                 "(each with a %zu-byte guard page)", size_mb, n, min_region, page);
        return -1;
    }
    rs->map_size = stride * n;
    rs->buf = mmap(NULL, rs->map_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (rs->buf == MAP_FAILED) {
        snprintf(err, errlen, "cannot map a %zu MiB code buffer", size_mb);
        rs->buf = NULL;
        return -1;
    }
    rs->stride = stride;
    rs->region_size = stride - page;
    rs->n_regions = n;
    rs->mode = mode;
    for (size_t i = 0; i < n; i++)
        if (mprotect(rs->buf + i * stride + rs->region_size, page, PROT_NONE) != 0)
            fatal("mprotect of a region guard page failed");
    rs->stats = xcalloc(n, sizeof(*rs->stats));
    pthread_mutex_init(&rs->lock, NULL);
    return 0;
}

void region_destroy(struct region_state *rs)
{
    if (rs->buf != NULL)
        munmap(rs->buf, rs->map_size);
    free(rs->stats);
    if (rs->n_regions)
        pthread_mutex_destroy(&rs->lock);
    memset(rs, 0, sizeof(*rs));
}

void region_ctx_init(struct region_ctx *ctx, unsigned owner)
{
    ctx->owner = owner;
    ctx->region = -1;
    ctx->ptr = ctx->end = NULL;
}

/* The region ctx fills next, or -1 when none is left for it. */
static long take_region(struct region_state *rs, struct region_ctx *ctx)
{
    if (rs->mode == REGION_STATIC) {
        long own = (long)(ctx->owner % rs->n_regions);
        return ctx->region == own ? -1 : own;    /* its one slice is full */
    }
    pthread_mutex_lock(&rs->lock);
    long r = rs->next_free < rs->n_regions ? (long)rs->next_free++ : -1;
    pthread_mutex_unlock(&rs->lock);
    return r;
}

void *region_alloc(struct region_state *rs, struct region_ctx *ctx, size_t size)
{
    size = ALIGN16(size);
    if (ctx->region < 0 || (size_t)(ctx->end - ctx->ptr) < size) {
        if (size > rs->region_size)
            return NULL;
        long r = take_region(rs, ctx);
        if (r < 0)
            return NULL;
        ctx->region = r;
        ctx->ptr = rs->buf + (size_t)r * rs->stride;
        ctx->end = ctx->ptr + rs->region_size;
        atomic_fetch_add_explicit(&rs->stats[r].taken, 1, memory_order_relaxed);
    }
    void *p = ctx->ptr;
    ctx->ptr += size;
    atomic_fetch_add_explicit(&rs->stats[ctx->region].bytes, size, memory_order_relaxed);
    return p;
}

void region_trim(struct region_state *rs, struct region_ctx *ctx, void *p, size_t size,
                 size_t keep)
{
    size = ALIGN16(size);
    keep = ALIGN16(keep);
    if (ctx->region < 0 || (uint8_t *)p + size != ctx->ptr || keep > size)
        return;
    ctx->ptr = (uint8_t *)p + keep;
    atomic_fetch_sub_explicit(&rs->stats[ctx->region].bytes, size - keep, memory_order_relaxed);
}

void region_count_tb(struct region_state *rs, const void *p)
{
    size_t r = (size_t)((const uint8_t *)p - rs->buf) / rs->stride;
    if (r < rs->n_regions)
        atomic_fetch_add_explicit(&rs->stats[r].tbs, 1, memory_order_relaxed);
}

size_t region_bytes_used(const struct region_state *rs)
{
    size_t sum = 0;
    for (size_t i = 0; i < rs->n_regions; i++)
        sum += atomic_load_explicit(&rs->stats[i].bytes, memory_order_relaxed);
    return sum;
}

void region_reset(struct region_state *rs, struct region_ctx *const *contexts, size_t n_ctx)
{
    pthread_mutex_lock(&rs->lock);
    rs->next_free = 0;
    pthread_mutex_unlock(&rs->lock);
    for (size_t i = 0; i < rs->n_regions; i++) {
        atomic_store_explicit(&rs->stats[i].bytes, 0, memory_order_relaxed);
        atomic_store_explicit(&rs->stats[i].tbs, 0, memory_order_relaxed);
    }
    for (size_t i = 0; i < n_ctx; i++)
        region_ctx_init(contexts[i], contexts[i]->owner);
}
