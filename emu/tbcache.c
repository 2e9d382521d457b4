/*
 * tbcache.c — the code buffer, the TB hash table and the per-page TB
 * lists (see tbcache.h).
 *
 * The buffer is one anonymous mmap; TB headers and their compiled code are
 * bump-allocated from it, 16-byte aligned, so a flush is a pointer reset.
 * The hash table is a fixed array of bucket chains keyed on (pc,
 * phys_pc, flags). Each RAM page with code keeps a chain of its TBs so a
 * store there can invalidate exactly them.
 */
#include "emu/tbcache.h"

#include "util/fatal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define TB_HASH_BITS     16
#define TB_HASH_SIZE     (1u << TB_HASH_BITS)
#define DEFAULT_SIZE_MB  64
#define ALIGN16(x)       (((x) + 15) & ~(size_t)15)

struct page_tbs {
    uint64_t ppage;
    struct emu_tb *first;
    struct page_tbs *next;
};

struct emu_tb_cache {
    uint8_t *buf;
    size_t size, used;
    size_t n_tbs;
    uint64_t n_flushes;
    uint64_t generation;
    FILE *flush_log;
    struct emu_tb *hash[TB_HASH_SIZE];
    struct page_tbs *pages[TB_HASH_SIZE];   /* page lists, by page number; malloc'd */
};

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

struct emu_tb_cache *emu_tb_cache_new(size_t size_mb, FILE *flush_log)
{
    struct emu_tb_cache *c = xcalloc(1, sizeof(*c));
    c->size = (size_mb ? size_mb : DEFAULT_SIZE_MB) << 20;
    c->buf = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (c->buf == MAP_FAILED) {
        free(c);
        return NULL;
    }
    c->flush_log = flush_log;
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
    munmap(c->buf, c->size);
    free(c);
}

struct emu_tb *emu_tb_lookup(struct emu_tb_cache *c, uint32_t pc, uint64_t phys_pc,
                             uint32_t flags)
{
    for (struct emu_tb *tb = c->hash[tb_hash(pc, phys_pc, flags)]; tb; tb = tb->hash_next)
        if (tb->pc == pc && tb->phys_pc == phys_pc && tb->flags == flags)
            return tb;
    return NULL;
}

struct emu_tb *emu_tb_alloc(struct emu_tb_cache *c, size_t code_size)
{
    size_t need = ALIGN16(sizeof(struct emu_tb)) + ALIGN16(code_size);
    if (c->used + need > c->size)
        return NULL;
    struct emu_tb *tb = (struct emu_tb *)(c->buf + c->used);
    memset(tb, 0, sizeof(*tb));
    tb->code = (uint8_t *)tb + ALIGN16(sizeof(struct emu_tb));
    c->used += need;
    return tb;
}

void emu_tb_commit(struct emu_tb_cache *c, struct emu_tb *tb, size_t used)
{
    uint8_t *end = (uint8_t *)tb->code + ALIGN16(used);
    c->used = (size_t)(end - c->buf);
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

void emu_tb_insert(struct emu_tb_cache *c, struct emu_tb *tb)
{
    unsigned h = tb_hash(tb->pc, tb->phys_pc, tb->flags);
    tb->hash_next = c->hash[h];
    c->hash[h] = tb;
    struct page_tbs *p = page_get(c, tb->phys_pc & ~(uint64_t)0xfff, true);
    tb->page_next = p->first;
    p->first = tb;
    c->n_tbs++;
}

void emu_tb_flush(struct emu_tb_cache *c)
{
    if (c->flush_log != NULL) {
        fprintf(c->flush_log, "flush code_size=%zu nb_tbs=%zu avg_tb_size=%zu\n", c->used,
                c->n_tbs, c->n_tbs ? c->used / c->n_tbs : 0);
        fflush(c->flush_log);
    }
    memset(c->hash, 0, sizeof(c->hash));
    free_pages(c);
    c->used = 0;
    c->n_tbs = 0;
    c->n_flushes++;
    c->generation++;
}

uint64_t emu_tb_flush_count(const struct emu_tb_cache *c)
{
    return c->n_flushes;
}

uint64_t emu_tb_generation(const struct emu_tb_cache *c)
{
    return c->generation;
}

static void hash_remove(struct emu_tb_cache *c, struct emu_tb *tb)
{
    struct emu_tb **pp = &c->hash[tb_hash(tb->pc, tb->phys_pc, tb->flags)];
    while (*pp != NULL && *pp != tb)
        pp = &(*pp)->hash_next;
    if (*pp == tb)
        *pp = tb->hash_next;
}

unsigned emu_tb_invalidate_page(struct emu_tb_cache *c, uint64_t ppage)
{
    struct page_tbs *p = page_get(c, ppage, false);
    if (p == NULL)
        return 0;
    unsigned n = 0;
    for (struct emu_tb *tb = p->first; tb; tb = tb->page_next, n++) {
        tb->invalid = true;
        hash_remove(c, tb);
    }
    p->first = NULL;
    c->generation++;
    return n;
}
