/*
 * tbcache.h — translated blocks: where their compiled code lives, how the
 * exec loop finds them, and how they are thrown away.
 *
 * A TB is keyed by (guest virtual PC, guest physical PC, CPU flags). Its
 * header and its compiled code sit together in one code buffer (one mmap,
 * -accel tcg,tb-size=MB), bump-allocated. A full buffer is never an
 * error: the cache flushes (forgets every TB, resets the buffer) and the
 * translation is retried. Stores to a RAM page that holds translated code
 * invalidate that page's TBs (self-modifying code).
 *
 * Threads (docs/design/mttcg.md):
 *   - Lookups take no lock: bucket heads and chain links are _Atomic,
 *     published with release stores after the TB is complete. A TB leaves
 *     its chain when its page is invalidated, but its memory stays valid
 *     until the next flush, so a reader that holds it may finish with it.
 *   - Inserts, invalidations and the page lists are serialized by tb_lock.
 *     Two vCPUs that translate the same block race; the second insert
 *     finds the first's TB and returns it, and the loser's copy is dropped.
 *   - Each translating thread allocates from its own context (ctx index:
 *     its vCPU, or 0 with one thread); contexts share only region_lock.
 *   - emu_tb_flush() runs stop-the-world (inside an emu/excl.h section):
 *     no thread is in a lookup, in generated code or in a translation.
 *   - Chaining: emu_tb_link() points a TB's jump slot at another TB's
 *     code (tcg_interp_link(), atomic) and records the link in the
 *     target's incoming list, under tb_lock. Invalidating a TB cuts every
 *     jump into it under the same lock, so once emu_tb_invalidate_range()
 *     returns no chained jump can enter it; a thread already inside it
 *     finishes the TB, as it would its current instruction.
 *   - flush_generation changes only at a flush; smc_generation at every
 *     invalidation. A translation that saw smc_generation change while it
 *     read guest code is refused by emu_tb_insert() and done again.
 */
#ifndef EMU_TBCACHE_H
#define EMU_TBCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "emu/region.h"
#include "util/json.h"

struct emu_machine;

struct emu_tb {
    uint32_t pc;            /* guest virtual address of the first instruction */
    uint32_t flags;         /* arm_cpu_tb_flags() it was translated for */
    uint64_t phys_pc;       /* guest physical address of pc */
    uint32_t size;          /* guest bytes */
    uint32_t n_insns;
    _Atomic bool invalid;   /* its code changed: never run it again */
    struct emu_tb *_Atomic hash_next;   /* bucket chain (read without a lock) */
    struct emu_tb *page_next;   /* TBs starting on the same physical page; tb_lock */
    /* Chaining (emu_tb_link()), all under tb_lock: */
    struct emu_tb *jmp_target[2];   /* the TB each jump slot is linked to, or NULL */
    uintptr_t jmp_next[2];      /* slot n's entry in jmp_target[n]'s incoming list */
    uintptr_t jmp_in;           /* first incoming link: the linked TB | its slot */
    void *code;             /* compiled code (tcg_interp_compile) */
    size_t alloc_size;      /* header + code bytes taken from the region */
};

struct emu_tb_cache;

struct emu_tb_cache_config {
    size_t size_mb;            /* the code buffer (0: the default, 64 MiB) */
    enum region_mode regions;  /* automatic, a count, or static */
    size_t n_regions;          /* for REGION_COUNT */
    unsigned n_vcpus;
    bool one_thread;           /* thread=single: one translating thread */
    FILE *flush_log;           /* -d flush, or NULL */
    uint64_t ram_base, ram_size;    /* guest RAM: where code can change */
};

/* The cache and its code buffer; NULL with one line in err when the
 * buffer cannot be mapped or cut as asked. */
struct emu_tb_cache *emu_tb_cache_new(const struct emu_tb_cache_config *cfg,
                                      char *err, size_t errlen);
void emu_tb_cache_free(struct emu_tb_cache *c);

/* Lock-free: the valid TB with this key, or NULL. */
struct emu_tb *emu_tb_lookup(struct emu_tb_cache *c, uint32_t pc, uint64_t phys_pc,
                             uint32_t flags);

/* Space for a TB header plus code_size bytes of code from translating
 * context ctx (0 .. n_vcpus-1), or NULL when the buffer is full (the
 * caller flushes and retries). Only ctx's thread calls it. */
struct emu_tb *emu_tb_alloc(struct emu_tb_cache *c, unsigned ctx, size_t code_size);
/* The largest code_size emu_tb_alloc() can ever satisfy (an empty region). */
size_t emu_tb_max_code_size(const struct emu_tb_cache *c);
/* Gives back what emu_tb_alloc() reserved beyond used bytes of code. */
void emu_tb_commit(struct emu_tb_cache *c, unsigned ctx, struct emu_tb *tb, size_t used);
/* Publishes tb. Returns tb; or an equal TB another thread inserted first
 * (tb is then dropped); or NULL when smc_generation is no longer
 * smc_seen: a store may have changed the code tb was translated from. */
struct emu_tb *emu_tb_insert(struct emu_tb_cache *c, struct emu_tb *tb, uint64_t smc_seen);
uint64_t emu_tb_smc_generation(const struct emu_tb_cache *c);

/* Links jump slot `slot` of from to to (any thread; takes tb_lock).
 * Refused (false) when either TB is invalid or the slot is linked
 * already. The caller checks that the jump really leads to `to`: same
 * guest page, same flags (docs/design/mttcg.md). */
bool emu_tb_link(struct emu_tb_cache *c, struct emu_tb *from, unsigned slot, struct emu_tb *to);
/* The TB whose compiled code is at code (its header sits just before). */
struct emu_tb *emu_tb_of_code(const void *code);

/* Writes "regions" (per region: bytes, tbs, taken) and "flushes" (per
 * flush: code_size, nb_tbs, utilisation) as keys of the open object. */
void emu_tb_cache_write_stats(const struct emu_tb_cache *c, struct json_writer *w);

/* Forgets every TB; logs the flush line when a log is set. Stop-the-world
 * only. Does nothing when the flush generation is no longer seen: another
 * thread flushed first (racing requests collapse into one flush). */
void emu_tb_flush(struct emu_tb_cache *c, uint64_t seen);
uint64_t emu_tb_flush_count(const struct emu_tb_cache *c);
/* Bumped by every flush: a TB pointer kept across a possible flush (a
 * jump cache entry) is valid only while this is unchanged. */
uint64_t emu_tb_generation(const struct emu_tb_cache *c);

/* Which RAM bytes hold translated code, by 32-byte granule: set (lock-free)
 * by a translator for its TB's bytes before it checks them one last time;
 * read by every store (emu_tb_code_at(), lock-free); recomputed from the
 * TBs left on the page when some are invalidated, cleared by a flush. */
void emu_tb_mark_code(struct emu_tb_cache *c, uint64_t pa, size_t size);
bool emu_tb_code_at(const struct emu_tb_cache *c, uint64_t pa, size_t size);

/* Invalidates every TB whose code overlaps [pa, pa+size), a range within
 * one RAM page (any thread, takes tb_lock); bumps smc_generation. */
unsigned emu_tb_invalidate_range(struct emu_tb_cache *c, uint64_t pa, size_t size);
/* The same for every TB that starts on physical page ppage. */
unsigned emu_tb_invalidate_page(struct emu_tb_cache *c, uint64_t ppage);

/* A store hit RAM at pa: invalidates the TBs of a code page (softmmu.c). */
void emu_tb_notify_store(struct emu_machine *m, uint64_t pa, unsigned size);

#endif
