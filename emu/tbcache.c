/*
 * tbcache.c — the code buffer, the TB hash table and the per-page TB
 * lists (see tbcache.h).
 *
 * The buffer is emu/region.c's: TB headers and their compiled code are
 * bump-allocated from the translating context's region, 16-byte aligned;
 * when no region is left the caller flushes, which resets them all.
 * The hash table is a fixed array of bucket chains keyed on (pc,
 * phys_pc, flags). Each RAM page with code keeps a chain of its TBs so a
 * store there can invalidate exactly them.
 *
 * Why a fixed array of chains and not a resizable table: a flush empties
 * it long before chains grow long (65,536 buckets; a 64 MiB buffer holds
 * about 60,000 TBs), and a table that never moves needs no RCU-style
 * reclamation: a TB leaves its chain on invalidation but its memory (and
 * its hash_next) stays as it was until the stop-the-world flush, so a
 * lock-free reader walking a chain while a writer unlinks from it always
 * follows valid pointers.
 */
#include "emu/tbcache.h"

#include "tcg/interp.h"
#include "util/fatal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TB_HASH_BITS     16
#define TB_HASH_SIZE     (1u << TB_HASH_BITS)
#define DEFAULT_SIZE_MB  64
#define MIN_REGION       (64u << 10)   /* a region must hold a few large TBs */
#define ALIGN16(x)       (((x) + 15) & ~(size_t)15)

struct page_tbs {
    uint64_t ppage;
    struct emu_tb *first;
    struct page_tbs *next;
};

struct flush_record {
    size_t code_size, nb_tbs;
    double utilisation;
};

struct emu_tb_cache {
    struct region_state regions;
    struct region_ctx *ctxs;        /* one per translating context; each owned by its thread */
    struct region_ctx **ctx_ptrs;   /* the same, for region_reset() */
    unsigned n_ctxs;                /* fixed */
    bool shared_ctx;                /* fixed: one context serves every vCPU */
    pthread_mutex_t lock;           /* tb_lock: inserts, invalidations, pages[] */
    _Atomic size_t n_tbs;
    _Atomic uint64_t n_flushes;
    _Atomic uint64_t flush_generation;
    _Atomic uint64_t smc_generation;
    FILE *flush_log;                /* written only inside a flush (stop-the-world) */
    struct flush_record *flushes;   /* every flush, for -stats; stop-the-world only */
    size_t n_flush_records, cap_flush_records;
    struct emu_tb *_Atomic hash[TB_HASH_SIZE];   /* heads: read lock-free, written under tb_lock */
    struct page_tbs *pages[TB_HASH_SIZE];   /* page lists, by page number; tb_lock */
    uint64_t ram_base, ram_size;    /* fixed */
    _Atomic uint64_t *code_bits;    /* CODE_WORDS per RAM page; see emu_tb_mark_code() */
};

#define GRANULE_BITS 5                              /* 32-byte granules */
#define CODE_WORDS   (4096 >> GRANULE_BITS >> 6)    /* 64-bit words per page */

static unsigned tb_hash(uint32_t pc, uint64_t phys_pc, uint32_t flags)
{
    uint64_t h = (uint64_t)pc * 0x9e3779b97f4a7c15ull ^ phys_pc * 0xc2b2ae3d27d4eb4full ^ flags;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 32;
    return (unsigned)(h & (TB_HASH_SIZE - 1));
}

static unsigned page_hash(uint64_t ppage)
{
    return (unsigned)((ppage >> 12) & (TB_HASH_SIZE - 1));
}

struct emu_tb_cache *emu_tb_cache_new(const struct emu_tb_cache_config *cfg,
                                      char *err, size_t errlen)
{
    struct emu_tb_cache *c = xcalloc(1, sizeof(*c));
    size_t size_mb = cfg->size_mb ? cfg->size_mb : DEFAULT_SIZE_MB;
    size_t n = region_count_for(size_mb << 20, cfg->regions, cfg->n_regions, cfg->n_vcpus,
                                cfg->one_thread);
    if (region_init(&c->regions, size_mb, n, cfg->regions, MIN_REGION, err, errlen) != 0) {
        free(c);
        return NULL;
    }
    /* With one thread every vCPU shares context 0, except that static
     * regions keep a slice per vCPU whichever thread fills it. */
    c->shared_ctx = cfg->one_thread && cfg->regions != REGION_STATIC;
    c->n_ctxs = c->shared_ctx || cfg->n_vcpus == 0 ? 1 : cfg->n_vcpus;
    c->ctxs = xcalloc(c->n_ctxs, sizeof(*c->ctxs));
    c->ctx_ptrs = xcalloc(c->n_ctxs, sizeof(*c->ctx_ptrs));
    for (unsigned i = 0; i < c->n_ctxs; i++) {
        region_ctx_init(&c->ctxs[i], i);
        c->ctx_ptrs[i] = &c->ctxs[i];
    }
    pthread_mutex_init(&c->lock, NULL);
    c->flush_log = cfg->flush_log;
    c->ram_base = cfg->ram_base;
    c->ram_size = cfg->ram_size;
    c->code_bits = xcalloc((c->ram_size >> 12) * CODE_WORDS + 1, sizeof(*c->code_bits));
    return c;
}

static void free_pages(struct emu_tb_cache *c)
{
    for (unsigned i = 0; i < TB_HASH_SIZE; i++) {
        struct page_tbs *p = c->pages[i];
        while (p != NULL) {
            struct page_tbs *next = p->next;
            free(p);
            p = next;
        }
        c->pages[i] = NULL;
    }
}

void emu_tb_cache_free(struct emu_tb_cache *c)
{
    if (c == NULL)
        return;
    free_pages(c);
    region_destroy(&c->regions);
    pthread_mutex_destroy(&c->lock);
    free((void *)c->code_bits);
    free(c->ctxs);
    free(c->ctx_ptrs);
    free(c->flushes);
    free(c);
}

struct emu_tb *emu_tb_lookup(struct emu_tb_cache *c, uint32_t pc, uint64_t phys_pc,
                             uint32_t flags)
{
    struct emu_tb *tb = atomic_load_explicit(&c->hash[tb_hash(pc, phys_pc, flags)],
                                             memory_order_acquire);
    for (; tb; tb = atomic_load_explicit(&tb->hash_next, memory_order_acquire))
        if (tb->pc == pc && tb->phys_pc == phys_pc && tb->flags == flags &&
            !atomic_load_explicit(&tb->invalid, memory_order_relaxed))
            return tb;
    return NULL;
}

static struct region_ctx *ctx_of(struct emu_tb_cache *c, unsigned ctx)
{
    if (c->shared_ctx)
        return &c->ctxs[0];
    if (ctx >= c->n_ctxs)
        fatal("translating context %u of %u", ctx, c->n_ctxs);
    return &c->ctxs[ctx];
}

struct emu_tb *emu_tb_alloc(struct emu_tb_cache *c, unsigned ctx, size_t code_size)
{
    size_t need = ALIGN16(sizeof(struct emu_tb)) + ALIGN16(code_size);
    struct emu_tb *tb = region_alloc(&c->regions, ctx_of(c, ctx), need);
    if (tb == NULL)
        return NULL;
    memset(tb, 0, sizeof(*tb));
    tb->code = (uint8_t *)tb + ALIGN16(sizeof(struct emu_tb));
    tb->alloc_size = need;
    return tb;
}

size_t emu_tb_max_code_size(const struct emu_tb_cache *c)
{
    size_t header = ALIGN16(sizeof(struct emu_tb));
    return c->regions.region_size > header ? (c->regions.region_size - header) & ~(size_t)15 : 0;
}

void emu_tb_commit(struct emu_tb_cache *c, unsigned ctx, struct emu_tb *tb, size_t used)
{
    size_t keep = ALIGN16(sizeof(struct emu_tb)) + ALIGN16(used);
    region_trim(&c->regions, ctx_of(c, ctx), tb, tb->alloc_size, keep);
    tb->alloc_size = keep;
    region_count_tb(&c->regions, tb);
}

static struct page_tbs *page_get(struct emu_tb_cache *c, uint64_t ppage, bool create)
{
    unsigned h = page_hash(ppage);
    for (struct page_tbs *p = c->pages[h]; p; p = p->next)
        if (p->ppage == ppage)
            return p;
    if (!create)
        return NULL;
    struct page_tbs *p = xcalloc(1, sizeof(*p));
    p->ppage = ppage;
    p->next = c->pages[h];
    c->pages[h] = p;
    return p;
}

/* ---- which bytes hold code -------------------------------------------------- */

static bool in_ram(const struct emu_tb_cache *c, uint64_t pa)
{
    return pa >= c->ram_base && pa - c->ram_base < c->ram_size;
}

/* Visits the bit (word, mask) of each granule [pa, pa+size) covers. */
#define FOR_GRANULES(c, pa, size, word, mask)                                            \
    for (uint64_t g_ = ((pa) - (c)->ram_base) >> GRANULE_BITS,                           \
                  g_end_ = ((pa) + (size) - 1 - (c)->ram_base) >> GRANULE_BITS;          \
         g_ <= g_end_; g_++)                                                             \
        for (_Atomic uint64_t *word = &(c)->code_bits[g_ >> 6]; word; word = NULL)       \
            for (uint64_t mask = 1ull << (g_ & 63); mask; mask = 0)

void emu_tb_mark_code(struct emu_tb_cache *c, uint64_t pa, size_t size)
{
    if (size == 0 || !in_ram(c, pa))
        return;
    FOR_GRANULES(c, pa, size, word, mask)
        atomic_fetch_or_explicit(word, mask, memory_order_relaxed);
}

bool emu_tb_code_at(const struct emu_tb_cache *c, uint64_t pa, size_t size)
{
    if (size == 0 || !in_ram(c, pa))
        return false;
    FOR_GRANULES(c, pa, size, word, mask)
        if (atomic_load_explicit(word, memory_order_relaxed) & mask)
            return true;
    return false;
}

/* The page's bits from the TBs still on it (tb_lock held). */
static void recompute_code_bits(struct emu_tb_cache *c, uint64_t ppage, struct page_tbs *p)
{
    if (!in_ram(c, ppage))
        return;
    _Atomic uint64_t *bits = &c->code_bits[((ppage - c->ram_base) >> 12) * CODE_WORDS];
    for (unsigned i = 0; i < CODE_WORDS; i++)
        atomic_store_explicit(&bits[i], 0, memory_order_relaxed);
    for (struct emu_tb *tb = p ? p->first : NULL; tb; tb = tb->page_next) {
        uint64_t end = tb->phys_pc + (tb->size ? tb->size : 1);
        if (end > ppage + 4096)
            end = ppage + 4096;
        emu_tb_mark_code(c, tb->phys_pc, end - tb->phys_pc);
    }
}

uint64_t emu_tb_smc_generation(const struct emu_tb_cache *c)
{
    return atomic_load_explicit(&((struct emu_tb_cache *)c)->smc_generation,
                                memory_order_acquire);
}

struct emu_tb *emu_tb_insert(struct emu_tb_cache *c, struct emu_tb *tb, uint64_t smc_seen)
{
    unsigned h = tb_hash(tb->pc, tb->phys_pc, tb->flags);
    pthread_mutex_lock(&c->lock);
    if (atomic_load_explicit(&c->smc_generation, memory_order_relaxed) != smc_seen) {
        pthread_mutex_unlock(&c->lock);
        return NULL;
    }
    struct emu_tb *old = emu_tb_lookup(c, tb->pc, tb->phys_pc, tb->flags);
    if (old != NULL) {
        pthread_mutex_unlock(&c->lock);
        return old;
    }
    atomic_store_explicit(&tb->hash_next,
                          atomic_load_explicit(&c->hash[h], memory_order_relaxed),
                          memory_order_relaxed);
    atomic_store_explicit(&c->hash[h], tb, memory_order_release);
    struct page_tbs *p = page_get(c, tb->phys_pc & ~(uint64_t)0xfff, true);
    tb->page_next = p->first;
    p->first = tb;
    atomic_fetch_add_explicit(&c->n_tbs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&c->lock);
    return tb;
}

static void record_flush(struct emu_tb_cache *c, size_t used)
{
    if (c->n_flush_records == c->cap_flush_records) {
        c->cap_flush_records = c->cap_flush_records ? 2 * c->cap_flush_records : 16;
        c->flushes = xrealloc(c->flushes, c->cap_flush_records * sizeof(*c->flushes));
    }
    size_t capacity = c->regions.n_regions * c->regions.region_size;
    c->flushes[c->n_flush_records++] = (struct flush_record){
        .code_size = used, .nb_tbs = atomic_load_explicit(&c->n_tbs, memory_order_relaxed),
        .utilisation = capacity ? (double)used / (double)capacity : 0,
    };
}

void emu_tb_flush(struct emu_tb_cache *c, uint64_t seen)
{
    if (atomic_load_explicit(&c->flush_generation, memory_order_relaxed) != seen)
        return;
    size_t used = region_bytes_used(&c->regions);
    size_t n_tbs = atomic_load_explicit(&c->n_tbs, memory_order_relaxed);
    if (c->flush_log != NULL) {
        fprintf(c->flush_log, "flush code_size=%zu nb_tbs=%zu avg_tb_size=%zu\n", used,
                n_tbs, n_tbs ? used / n_tbs : 0);
        fflush(c->flush_log);
    }
    record_flush(c, used);
    pthread_mutex_lock(&c->lock);
    for (unsigned i = 0; i < TB_HASH_SIZE; i++)
        atomic_store_explicit(&c->hash[i], NULL, memory_order_relaxed);
    free_pages(c);
    for (uint64_t i = 0; i < (c->ram_size >> 12) * CODE_WORDS; i++)
        atomic_store_explicit(&c->code_bits[i], 0, memory_order_relaxed);
    pthread_mutex_unlock(&c->lock);
    region_reset(&c->regions, c->ctx_ptrs, c->n_ctxs);
    atomic_store_explicit(&c->n_tbs, 0, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->n_flushes, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->flush_generation, 1, memory_order_release);
}

void emu_tb_cache_write_stats(const struct emu_tb_cache *c, struct json_writer *w)
{
    const struct region_state *rs = &c->regions;
    json_kv_uint(w, "region_size", rs->region_size);
    json_key(w, "regions");
    json_array_begin(w);
    for (size_t i = 0; i < rs->n_regions; i++) {
        json_object_begin(w);
        json_kv_uint(w, "bytes", atomic_load_explicit(&rs->stats[i].bytes, memory_order_relaxed));
        json_kv_uint(w, "tbs", atomic_load_explicit(&rs->stats[i].tbs, memory_order_relaxed));
        json_kv_uint(w, "taken", atomic_load_explicit(&rs->stats[i].taken, memory_order_relaxed));
        json_object_end(w);
    }
    json_array_end(w);
    json_key(w, "flushes");
    json_array_begin(w);
    for (size_t i = 0; i < c->n_flush_records; i++) {
        json_object_begin(w);
        json_kv_uint(w, "code_size", c->flushes[i].code_size);
        json_kv_uint(w, "nb_tbs", c->flushes[i].nb_tbs);
        json_key(w, "utilisation");
        json_double(w, c->flushes[i].utilisation);
        json_object_end(w);
    }
    json_array_end(w);
}

uint64_t emu_tb_flush_count(const struct emu_tb_cache *c)
{
    return atomic_load_explicit(&((struct emu_tb_cache *)c)->n_flushes, memory_order_relaxed);
}

uint64_t emu_tb_generation(const struct emu_tb_cache *c)
{
    return atomic_load_explicit(&((struct emu_tb_cache *)c)->flush_generation,
                                memory_order_acquire);
}

/* Unlinks tb from its chain (tb_lock held). tb keeps its own hash_next so
 * a reader standing on it still reaches the rest of the chain. */
static void hash_remove(struct emu_tb_cache *c, struct emu_tb *tb)
{
    struct emu_tb *_Atomic *pp = &c->hash[tb_hash(tb->pc, tb->phys_pc, tb->flags)];
    struct emu_tb *cur;
    while ((cur = atomic_load_explicit(pp, memory_order_relaxed)) != NULL && cur != tb)
        pp = &cur->hash_next;
    if (cur == tb)
        atomic_store_explicit(pp, atomic_load_explicit(&tb->hash_next, memory_order_relaxed),
                              memory_order_release);
}

/* ---- chaining ---------------------------------------------------------------------- */

/* TBs are 16-byte aligned: a list entry is the TB with its slot in bit 0. */
#define JMP_ENTRY(tb, slot)  ((uintptr_t)(tb) | (slot))
#define JMP_TB(e)            ((struct emu_tb *)((e) & ~(uintptr_t)1))
#define JMP_SLOT(e)          ((unsigned)((e) & 1))

struct emu_tb *emu_tb_of_code(const void *code)
{
    return (struct emu_tb *)((uint8_t *)code - ALIGN16(sizeof(struct emu_tb)));
}

bool emu_tb_link(struct emu_tb_cache *c, struct emu_tb *from, unsigned slot, struct emu_tb *to)
{
    bool linked = false;
    if (slot > 1)
        fatal("emu_tb_link: slot %u", slot);
    pthread_mutex_lock(&c->lock);
    if (!atomic_load_explicit(&from->invalid, memory_order_relaxed) &&
        !atomic_load_explicit(&to->invalid, memory_order_relaxed) &&
        from->jmp_target[slot] == NULL) {
        from->jmp_target[slot] = to;
        from->jmp_next[slot] = to->jmp_in;
        to->jmp_in = JMP_ENTRY(from, slot);
        tcg_interp_link(from->code, slot, to->code);
        linked = true;
    }
    pthread_mutex_unlock(&c->lock);
    return linked;
}

/* Cuts every jump into tb (tb_lock held). Its own links out stay: a
 * thread still inside it may follow them, and they lead to valid code. */
static void unlink_incoming(struct emu_tb *tb)
{
    for (uintptr_t e = tb->jmp_in; e != 0;) {
        struct emu_tb *from = JMP_TB(e);
        unsigned slot = JMP_SLOT(e);
        tcg_interp_unlink(from->code, slot);
        from->jmp_target[slot] = NULL;
        e = from->jmp_next[slot];
        from->jmp_next[slot] = 0;
    }
    tb->jmp_in = 0;
}

/* Invalidates the TBs of page ppage that overlap [pa, end) (tb_lock
 * held), unlinking them from the page list too. */
static unsigned invalidate_overlapping(struct emu_tb_cache *c, uint64_t ppage, uint64_t pa,
                                       uint64_t end)
{
    struct page_tbs *p = page_get(c, ppage, false);
    unsigned n = 0;
    for (struct emu_tb **pp = p ? &p->first : NULL; pp && *pp;) {
        struct emu_tb *tb = *pp;
        if (tb->phys_pc < end && pa < tb->phys_pc + (tb->size ? tb->size : 1)) {
            atomic_store_explicit(&tb->invalid, true, memory_order_release);
            unlink_incoming(tb);
            hash_remove(c, tb);
            *pp = tb->page_next;
            n++;
        } else {
            pp = &tb->page_next;
        }
    }
    recompute_code_bits(c, ppage, p);
    return n;
}

unsigned emu_tb_invalidate_range(struct emu_tb_cache *c, uint64_t pa, size_t size)
{
    uint64_t ppage = pa & ~(uint64_t)0xfff;
    pthread_mutex_lock(&c->lock);
    atomic_fetch_add_explicit(&c->smc_generation, 1, memory_order_release);
    unsigned n = invalidate_overlapping(c, ppage, pa, pa + size);
    pthread_mutex_unlock(&c->lock);
    return n;
}

unsigned emu_tb_invalidate_page(struct emu_tb_cache *c, uint64_t ppage)
{
    return emu_tb_invalidate_range(c, ppage, 4096);
}
