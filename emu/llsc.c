/*
 * llsc.c — LDREX/STREX emulated three ways, chosen by -accel tcg,llsc=
 * (docs/design/llsc.md has the why; this is the how).
 *
 * A reservation is one _Atomic word per vCPU (struct emu_vcpu.resv):
 * physical address << 4 | size, 0 for none. Reservations exist only on
 * RAM pages marked in excl_pages; marking is the exclusive-page scheme:
 *
 *   excl  LDREX marks its page (once per page and run, inside an
 *         exclusive step, so no store to it is in flight while the
 *         mark appears; afterwards every store to the page sees the mark
 *         and comes here). A store to a marked page, LDREX and STREX all
 *         hold the page's stripe lock (llsc_locks[], by page number), so
 *         "break every reservation the store overlaps, then write" and
 *         "check my reservation, write, break the others" are atomic with
 *         respect to each other.
 *   stw   as excl, but STREX runs inside an exclusive section: every
 *         other vCPU is stopped while it checks and stores. Slow; the
 *         reference the other two are compared with.
 *   cas   QEMU's scheme: LDREX remembers the value it read; nothing else
 *         touches the reservation; STREX is a host compare-and-swap
 *         against that value, so a location changed A->B->A in between
 *         is taken as untouched (the llsc-aba test shows it).
 *
 * Stores by the reserving vCPU itself do not clear its reservation, as on
 * QEMU; exception entry and return leave it alone (llsc-monitor checks 6
 * and 7). LDREX/STREX to a device or flash address reserve and check only
 * the local word: nothing shares those.
 *
 * Threads: every function runs on the calling vCPU's thread; other
 * vCPUs' reservations are only cleared, with a compare-and-swap, so a
 * reservation they set meanwhile on another page survives.
 */
#include "emu/llsc.h"

#include "arm/cpu.h"
#include "emu/cpu_services.h"
#include "emu/exec.h"
#include "emu/machine.h"
#include "emu/tbcache.h"

static uint64_t resv_pack(uint64_t pa, unsigned size)
{
    return pa << 4 | size;
}

static bool resv_overlaps(uint64_t r, uint64_t pa, unsigned size)
{
    if (r == 0)
        return false;
    uint64_t a = r >> 4, n = r & 15;
    return pa < a + n && a < pa + size;
}

static pthread_mutex_t *page_lock(struct emu_machine *m, uint64_t pa)
{
    return &m->llsc_locks[(pa >> EMU_PAGE_BITS) % EMU_LLSC_STRIPES];
}

static uint64_t ram_page(uint64_t pa)
{
    return (pa - EMU_RAM_BASE) >> EMU_PAGE_BITS;
}

/* Breaks the reservations of every vCPU but except that overlap
 * [pa, pa+size); the page's lock is held. */
static void break_reservations(struct emu_machine *m, const struct emu_vcpu *except,
                               uint64_t pa, unsigned size)
{
    for (unsigned i = 0; i < m->n_cpus; i++) {
        struct emu_vcpu *o = &m->vcpus[i];
        uint64_t r = atomic_load_explicit(&o->resv, memory_order_relaxed);
        if (o == except || !resv_overlaps(r, pa, size))
            continue;
        if (atomic_compare_exchange_strong(&o->resv, &r, 0))
            EMU_STAT_INC(&m->stats, monitor_clears);
    }
}

void emu_llsc_store(struct emu_vcpu *v, uint64_t pa, uint8_t *host, unsigned size,
                    uint64_t value)
{
    struct emu_machine *m = v->m;
    pthread_mutex_lock(page_lock(m, pa));
    break_reservations(m, v, pa, size);
    emu_ram_write(host, size, value);
    pthread_mutex_unlock(page_lock(m, pa));
}

/* Makes every later store to the page come through emu_llsc_store(). */
static void mark_page(struct emu_vcpu *v, uint64_t pa)
{
    struct emu_machine *m = v->m;
    _Atomic uint8_t *mark = &m->excl_pages[ram_page(pa)];
    if (atomic_load_explicit(mark, memory_order_acquire))
        return;
    emu_exec_need_exclusive(v);
    if (!atomic_load_explicit(mark, memory_order_relaxed)) {
        atomic_store_explicit(mark, 1, memory_order_release);
        EMU_STAT_INC(&m->stats, llsc_pages_marked);
    }
}

/* Where an exclusive access to va lands: returns its physical address and
 * sets *host to its host address for RAM, else NULL. A fault leaves by
 * arm_cpu_raise_*(). */
static uint64_t exclusive_target(struct emu_vcpu *v, uint32_t va, enum arm_access type,
                                 unsigned memop, uint8_t **host)
{
    struct emu_tlb_entry *e = emu_tlb_lookup(v, va, type, TCG_MEMOP_MMU_IDX(memop));
    uint32_t offset = va & (EMU_PAGE_SIZE - 1);
    *host = e->host ? e->host + offset : NULL;
    return e->ppage | offset;
}

uint64_t emu_load_exclusive(struct arm_cpu *cpu, uint32_t va, unsigned memop)
{
    struct emu_vcpu *v = emu_vcpu_of(cpu);
    struct emu_machine *m = v->m;
    unsigned size = 1u << TCG_MEMOP_SIZE(memop);
    emu_check_alignment(cpu, va, size, memop | TCG_MO_ALIGN, false);
    uint8_t *host;
    uint64_t pa = exclusive_target(v, va, ARM_ACCESS_READ, memop, &host);
    uint64_t value;
    if (host == NULL || m->llsc == EMU_LLSC_CAS) {
        value = emu_mem_load(cpu, va, memop);
        atomic_store_explicit(&v->resv, resv_pack(pa, size), memory_order_relaxed);
    } else {
        mark_page(v, pa);
        pthread_mutex_lock(page_lock(m, pa));
        value = emu_ram_read(host, size);
        atomic_store_explicit(&v->resv, resv_pack(pa, size), memory_order_relaxed);
        pthread_mutex_unlock(page_lock(m, pa));
        if (memop & TCG_MO_BSWAP)
            value = emu_bswap_size(value, size);
    }
    cpu->excl_val = value;
    EMU_STAT_INC(&m->stats, ldrex);
    return value;
}

/* llsc=cas on RAM: one host compare-and-swap of size bytes. */
static bool cas_ram(uint8_t *host, unsigned size, uint64_t expected, uint64_t desired)
{
    switch (size) {
    case 1: { uint8_t e = (uint8_t)expected;
        return __atomic_compare_exchange_n(host, &e, (uint8_t)desired, false,
                                           __ATOMIC_SEQ_CST, __ATOMIC_RELAXED); }
    case 2: { uint16_t e = (uint16_t)expected;
        return __atomic_compare_exchange_n((uint16_t *)(void *)host, &e, (uint16_t)desired,
                                           false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED); }
    case 4: { uint32_t e = (uint32_t)expected;
        return __atomic_compare_exchange_n((uint32_t *)(void *)host, &e, (uint32_t)desired,
                                           false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED); }
    default: { uint64_t e = expected;
        return __atomic_compare_exchange_n((uint64_t *)(void *)host, &e, desired, false,
                                           __ATOMIC_SEQ_CST, __ATOMIC_RELAXED); }
    }
}

/* excl and stw on RAM: the check and the store, under the page lock. */
static bool checked_store(struct emu_vcpu *v, uint64_t pa, uint8_t *host, unsigned size,
                          uint64_t raw)
{
    struct emu_machine *m = v->m;
    pthread_mutex_lock(page_lock(m, pa));
    bool ok = atomic_load_explicit(&v->resv, memory_order_relaxed) == resv_pack(pa, size);
    if (ok) {
        emu_ram_write(host, size, raw);
        break_reservations(m, v, pa, size);
    }
    atomic_store_explicit(&v->resv, 0, memory_order_relaxed);
    pthread_mutex_unlock(page_lock(m, pa));
    return ok;
}

static bool store_exclusive_ram(struct emu_vcpu *v, uint64_t pa, uint8_t *host,
                                unsigned size, uint64_t raw, unsigned memop)
{
    struct emu_machine *m = v->m;
    switch (m->llsc) {
    case EMU_LLSC_CAS: {
        uint64_t expected = v->cpu.excl_val;
        if (memop & TCG_MO_BSWAP)
            expected = emu_bswap_size(expected, size);
        bool ok = atomic_load_explicit(&v->resv, memory_order_relaxed) == resv_pack(pa, size)
                  && cas_ram(host, size, expected, raw);
        atomic_store_explicit(&v->resv, 0, memory_order_relaxed);
        return ok;
    }
    case EMU_LLSC_STW:
        emu_exec_need_exclusive(v);
        return checked_store(v, pa, host, size, raw);
    case EMU_LLSC_EXCL:
        break;
    }
    return checked_store(v, pa, host, size, raw);
}

uint32_t emu_store_exclusive(struct arm_cpu *cpu, uint32_t va, uint64_t value, unsigned memop)
{
    struct emu_vcpu *v = emu_vcpu_of(cpu);
    struct emu_machine *m = v->m;
    unsigned size = 1u << TCG_MEMOP_SIZE(memop);
    emu_check_alignment(cpu, va, size, memop | TCG_MO_ALIGN, true);
    /* The permission check comes first: a STREX that would fault faults
     * even when it would have failed (the architecture allows either). */
    uint8_t *host;
    uint64_t pa = exclusive_target(v, va, ARM_ACCESS_WRITE, memop, &host);
    bool ok;
    if (host != NULL) {
        uint64_t raw = memop & TCG_MO_BSWAP ? emu_bswap_size(value, size) : value;
        ok = store_exclusive_ram(v, pa, host, size, raw, memop);
        if (ok)
            emu_tb_notify_store(m, pa, size);
    } else {
        ok = atomic_exchange(&v->resv, 0) == resv_pack(pa, size);
        if (ok && m->llsc == EMU_LLSC_CAS)
            ok = emu_mem_load(cpu, va, memop) == cpu->excl_val;
        if (ok)
            emu_mem_store(cpu, va, value, memop);
    }
    if (!ok) {
        EMU_STAT_INC(&m->stats, strex_fail);
        return 1;
    }
    EMU_STAT_INC(&m->stats, strex_ok);
    return 0;
}

void emu_clear_exclusive(struct arm_cpu *cpu)
{
    atomic_store_explicit(&emu_vcpu_of(cpu)->resv, 0, memory_order_relaxed);
}
