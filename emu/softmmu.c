/*
 * softmmu.c — guest memory for the CPU: the soft TLB, loads and stores by
 * virtual address, the exclusive monitors' global side, TLB maintenance.
 *
 * A load or store looks its page up in the vCPU's TLB for its MMU index;
 * a miss walks the tables (arm_mmu_translate) and fills the entry. RAM is
 * touched directly through the host pointer; everything else (flash,
 * devices, holes) takes emu_phys_*(). Faults become guest data aborts
 * with the fault status in the format of the current translation regime.
 *
 * LDREX/STREX live in emu/llsc.c; a RAM store here hands over to it when
 * its page holds a reservation (emu_llsc_store()).
 *
 * Threads: everything here runs on the vCPU's own thread. Guest RAM is
 * shared by every vCPU thread, so it is read and written with relaxed
 * atomics of the access's size (a naturally aligned access is one host
 * access, as ARM's single-copy atomicity asks). Other vCPUs' TLBs are
 * flushed (the ...IS operations) inside an exclusive section. A store to a
 * page that holds translated code invalidates that code on every vCPU;
 * the ordering argument is in emu_tb_notify_store().
 */
#include "emu/cpu_services.h"

#include "arm/mmu.h"
#include "emu/exec.h"
#include "emu/llsc.h"
#include "emu/machine.h"
#include "emu/tbcache.h"
#include "util/fatal.h"
#include "util/fence.h"

#include <string.h>

/* ---- fault status words --------------------------------------------------- */

static bool lpae_format(const struct arm_cpu *cpu)
{
    return (cpu->cp15.ttbcr & TTBCR_EAE) != 0;
}

static uint32_t fsr_alignment(const struct arm_cpu *cpu, bool write)
{
    uint32_t fsr = lpae_format(cpu) ? (0x21u | 1u << 9) : 0x1u;
    return fsr | (write ? 1u << 11 : 0);
}

uint32_t emu_fsr_external_abort(const struct arm_cpu *cpu, bool write)
{
    uint32_t fsr = lpae_format(cpu) ? (0x10u | 1u << 9) : 0x8u;
    return fsr | (write ? 1u << 11 : 0);
}

/* ---- the TLB -------------------------------------------------------------- */

static bool walk_read(void *opaque, uint64_t pa, uint32_t *value)
{
    return emu_phys_read32(opaque, pa, value);
}

static unsigned tlb_index(uint32_t va)
{
    return (va >> EMU_PAGE_BITS) & (EMU_TLB_SIZE - 1);
}

static uint32_t prot_needed(enum arm_access type)
{
    return type == ARM_ACCESS_WRITE ? ARM_PROT_WRITE
         : type == ARM_ACCESS_EXEC ? ARM_PROT_EXEC : ARM_PROT_READ;
}

/* Walks for va and fills the TLB entry, or raises the fault. */
static struct emu_tlb_entry *tlb_fill(struct emu_vcpu *v, uint32_t va, enum arm_access type,
                                      unsigned idx)
{
    struct arm_mmu_result res;
    uint32_t fsr;
    EMU_STAT_INC(&v->m->stats, tlb_misses);
    if (!arm_mmu_translate(&v->cpu, va, type, (enum arm_mmu_idx)idx, walk_read, &v->cpu,
                           &res, &fsr)) {
        if (type == ARM_ACCESS_EXEC)
            arm_cpu_raise_prefetch_abort(&v->cpu, fsr, va);
        arm_cpu_raise_data_abort(&v->cpu, fsr, va);
    }
    struct emu_tlb_entry *e = &v->tlb.e[idx][tlb_index(va)];
    e->vpage = (va & EMU_PAGE_MASK) | EMU_TLB_VALID;
    e->ppage = (res.pa & ~(uint64_t)(EMU_PAGE_SIZE - 1));
    e->prot = res.prot;
    e->asid = res.asid;
    e->global = res.global;
    e->host = emu_phys_classify(v->m, e->ppage) == EMU_PHYS_RAM ? emu_phys_host(v->m, e->ppage)
                                                                : NULL;
    return e;
}

/* The physical address of va for an access of type, through the TLB. */
struct emu_tlb_entry *emu_tlb_lookup(struct emu_vcpu *v, uint32_t va, enum arm_access type,
                                     unsigned idx)
{
    if (idx >= EMU_TLB_MMU_IDX)
        fatal("MMU index %u out of range", idx);
    struct emu_tlb_entry *e = &v->tlb.e[idx][tlb_index(va)];
    if (e->vpage == ((va & EMU_PAGE_MASK) | EMU_TLB_VALID) && (e->prot & prot_needed(type)))
        return e;
    /* A miss, or a hit without the permission: the walk gives the fault. */
    return tlb_fill(v, va, type, idx);
}

void emu_tlb_flush_local(struct emu_vcpu *v)
{
    memset(&v->tlb, 0, sizeof(v->tlb));
    EMU_STAT_INC(&v->m->stats, tlb_flushes);
}

static void tlb_flush_where(struct emu_vcpu *v, bool by_va, uint32_t va, bool by_asid,
                            uint32_t asid)
{
    for (unsigned idx = 0; idx < EMU_TLB_MMU_IDX; idx++) {
        for (unsigned i = 0; i < EMU_TLB_SIZE; i++) {
            struct emu_tlb_entry *e = &v->tlb.e[idx][i];
            if (!(e->vpage & EMU_TLB_VALID))
                continue;
            if (by_va && (e->vpage & EMU_PAGE_MASK) != (va & EMU_PAGE_MASK))
                continue;
            if (by_asid && (e->global || e->asid != asid))
                continue;
            e->vpage = 0;
        }
    }
    EMU_STAT_INC(&v->m->stats, tlb_flushes);
}

/* Applies a flush to this vCPU or to all of them. Entries can cache a
 * large page's 4 KiB pieces only, so a by-address flush drops exactly the
 * piece that holds va; a guest flushing a section flushes every page it
 * used, or all (TLBIALL), as the architecture asks. */
static void flush_on(struct arm_cpu *cpu, bool all_cpus, bool by_va, uint32_t va,
                     bool by_asid, uint32_t asid)
{
    struct emu_vcpu *self = emu_vcpu_of(cpu);
    struct emu_machine *m = self->m;
    /* Other vCPUs' TLBs are theirs: touch them only while they stop. */
    if (all_cpus && m->n_cpus > 1)
        emu_exec_need_exclusive(self);
    for (unsigned i = 0; i < m->n_cpus; i++) {
        struct emu_vcpu *v = &m->vcpus[i];
        if (v != self && !all_cpus)
            continue;
        if (!by_va && !by_asid)
            emu_tlb_flush_local(v);
        else
            tlb_flush_where(v, by_va, va, by_asid, asid);
    }
}

void emu_tlb_flush_all(struct arm_cpu *cpu, bool all_cpus)
{
    flush_on(cpu, all_cpus, false, 0, false, 0);
}

void emu_tlb_flush_va(struct arm_cpu *cpu, uint32_t va, bool all_cpus)
{
    flush_on(cpu, all_cpus, true, va, false, 0);
}

void emu_tlb_flush_asid(struct arm_cpu *cpu, uint32_t asid, bool all_cpus)
{
    flush_on(cpu, all_cpus, false, 0, true, asid);
}

void emu_tlb_flush_va_asid(struct arm_cpu *cpu, uint32_t va, uint32_t asid, bool all_cpus)
{
    /* A global entry matches any ASID: drop the page whatever its tag. */
    (void)asid;
    flush_on(cpu, all_cpus, true, va, false, 0);
}

uint64_t emu_mmu_translate_fetch(struct emu_vcpu *v, uint32_t va)
{
    unsigned idx = arm_cpu_mmu_idx(&v->cpu);
    struct emu_tlb_entry *e = emu_tlb_lookup(v, va, ARM_ACCESS_EXEC, idx);
    return e->ppage | (va & (EMU_PAGE_SIZE - 1));
}

/* ---- physical accesses ------------------------------------------------------ */

bool emu_phys_read32(struct arm_cpu *cpu, uint64_t pa, uint32_t *value)
{
    struct emu_machine *m = emu_vcpu_of(cpu)->m;
    uint8_t *host = emu_phys_host(m, pa);
    if (host == NULL || (pa & 3))
        return false;
    *value = (uint32_t)emu_ram_read(host, 4);
    return true;
}

/* Guest RAM as other threads see it: one relaxed atomic access when the
 * address is aligned to the size, else byte by byte (an unaligned access
 * is not single-copy atomic on ARM either). */
uint64_t emu_ram_read(const uint8_t *host, unsigned size)
{
    if (((uintptr_t)host & (size - 1)) != 0) {
        uint64_t x = 0;
        for (unsigned i = 0; i < size; i++)
            x |= (uint64_t)__atomic_load_n(host + i, __ATOMIC_RELAXED) << (8 * i);
        return x;
    }
    switch (size) {
    case 1: return __atomic_load_n(host, __ATOMIC_RELAXED);
    case 2: return __atomic_load_n((const uint16_t *)(const void *)host, __ATOMIC_RELAXED);
    case 4: return __atomic_load_n((const uint32_t *)(const void *)host, __ATOMIC_RELAXED);
    default: return __atomic_load_n((const uint64_t *)(const void *)host, __ATOMIC_RELAXED);
    }
}

void emu_ram_write(uint8_t *host, unsigned size, uint64_t value)
{
    if (((uintptr_t)host & (size - 1)) != 0) {
        for (unsigned i = 0; i < size; i++)
            __atomic_store_n(host + i, (uint8_t)(value >> (8 * i)), __ATOMIC_RELAXED);
        return;
    }
    switch (size) {
    case 1: __atomic_store_n(host, (uint8_t)value, __ATOMIC_RELAXED); break;
    case 2: __atomic_store_n((uint16_t *)(void *)host, (uint16_t)value, __ATOMIC_RELAXED); break;
    case 4: __atomic_store_n((uint32_t *)(void *)host, (uint32_t)value, __ATOMIC_RELAXED); break;
    default: __atomic_store_n((uint64_t *)(void *)host, value, __ATOMIC_RELAXED); break;
    }
}

/* A physical read of size bytes (naturally aligned or within a page). */
static uint64_t phys_load(struct emu_vcpu *v, uint32_t va, uint64_t pa, unsigned size)
{
    uint8_t *host = emu_phys_host(v->m, pa);
    if (host != NULL)
        return emu_ram_read(host, size);
    if (size == 8) {
        uint64_t lo = phys_load(v, va, pa, 4);
        return lo | phys_load(v, va + 4, pa + 4, 4) << 32;
    }
    uint32_t value;
    EMU_STAT_INC(&v->m->stats, mmio_accesses);
    if (!emu_phys_device_read(v, pa, size, &value))
        arm_cpu_raise_data_abort(&v->cpu, emu_fsr_external_abort(&v->cpu, false), va);
    return value;
}

/* A store to RAM at pa (within one page), host its host address: on a
 * page LDREX marked, other vCPUs' reservations on it are lost (llsc.c);
 * translated code on its page is invalidated. */
static void ram_store(struct emu_vcpu *v, uint64_t pa, uint8_t *host, unsigned size,
                      uint64_t value)
{
    struct emu_machine *m = v->m;
    uint64_t page = (pa - EMU_RAM_BASE) >> EMU_PAGE_BITS;
    if (atomic_load_explicit(&m->excl_pages[page], memory_order_relaxed))
        emu_llsc_store(v, pa, host, size, value);
    else
        emu_ram_write(host, size, value);
    emu_tb_notify_store(m, pa, size);
}

static void phys_store(struct emu_vcpu *v, uint32_t va, uint64_t pa, unsigned size,
                       uint64_t value)
{
    struct emu_machine *m = v->m;
    switch (emu_phys_classify(m, pa)) {
    case EMU_PHYS_RAM:
        ram_store(v, pa, emu_phys_host(m, pa), size, value);
        return;
    case EMU_PHYS_FLASH:
        return;             /* dropped, as QEMU drops it (contract §3.2) */
    case EMU_PHYS_DEVICE:
    case EMU_PHYS_HOLE:
        break;
    }
    if (size == 8) {
        phys_store(v, va, pa, 4, (uint32_t)value);
        phys_store(v, va + 4, pa + 4, 4, value >> 32);
        return;
    }
    EMU_STAT_INC(&m->stats, mmio_accesses);
    if (!emu_phys_device_write(v, pa, size, (uint32_t)value))
        arm_cpu_raise_data_abort(&v->cpu, emu_fsr_external_abort(&v->cpu, true), va);
}

/* Why a store never leaves a stale TB behind, with one thread per vCPU:
 * a translator marks its TB's bytes as code (emu_tb_mark_code), then
 * (full fence) reads them again and starts over if they changed since it
 * translated them; a store writes, then (full fence) reads the marks. Of
 * two such pairs at least one sees the other: either the translator sees
 * the new bytes, or the store sees the mark and invalidates the TBs there,
 * which bumps the cache's smc generation under tb_lock, so a translation
 * not yet published is refused at insert (emu_tb_insert) and done again.
 * Only the granules a TB covers are marked: data sharing a page with code
 * costs one lock-free look at the marks per store, not a retranslation. */
void emu_tb_notify_store(struct emu_machine *m, uint64_t pa, unsigned size)
{
    if (!m->one_thread)
        host_full_fence();
    if (emu_tb_code_at(m->tbs, pa, size)) {
        unsigned n = emu_tb_invalidate_range(m->tbs, pa, size);
        EMU_STAT_ADD(&m->stats, tb_invalidations, n);
    }
}

/* ---- virtual accesses -------------------------------------------------------- */

uint64_t emu_bswap_size(uint64_t x, unsigned size)
{
    switch (size) {
    case 2: return __builtin_bswap16((uint16_t)x);
    case 4: return __builtin_bswap32((uint32_t)x);
    case 8: return __builtin_bswap64(x);
    default: return x;
    }
}

static uint64_t sign_extend(uint64_t x, unsigned size)
{
    switch (size) {
    case 1: return (uint64_t)(int64_t)(int8_t)x;
    case 2: return (uint64_t)(int64_t)(int16_t)x;
    case 4: return (uint64_t)(int64_t)(int32_t)x;
    default: return x;
    }
}

void emu_check_alignment(struct arm_cpu *cpu, uint32_t va, unsigned size, unsigned memop,
                         bool write)
{
    if ((va & (size - 1)) && (memop & TCG_MO_ALIGN))
        arm_cpu_raise_data_abort(cpu, fsr_alignment(cpu, write), va);
}

/* Little-endian value of size bytes at va, in guest memory order. */
static uint64_t load_raw(struct emu_vcpu *v, uint32_t va, unsigned size, unsigned idx)
{
    if (((va & (EMU_PAGE_SIZE - 1)) + size) > EMU_PAGE_SIZE) {
        uint64_t x = 0;             /* crosses a page: byte by byte */
        for (unsigned i = 0; i < size; i++)
            x |= load_raw(v, va + i, 1, idx) << (8 * i);
        return x;
    }
    struct emu_tlb_entry *e = emu_tlb_lookup(v, va, ARM_ACCESS_READ, idx);
    uint32_t off = va & (EMU_PAGE_SIZE - 1);
    if (e->host != NULL)
        return emu_ram_read(e->host + off, size);
    return phys_load(v, va, e->ppage | off, size);
}

static void store_raw(struct emu_vcpu *v, uint32_t va, unsigned size, unsigned idx,
                      uint64_t value)
{
    if (((va & (EMU_PAGE_SIZE - 1)) + size) > EMU_PAGE_SIZE) {
        /* Check both pages before writing either, so a fault on the
         * second leaves memory untouched. */
        emu_tlb_lookup(v, va, ARM_ACCESS_WRITE, idx);
        emu_tlb_lookup(v, va + size - 1, ARM_ACCESS_WRITE, idx);
        for (unsigned i = 0; i < size; i++)
            store_raw(v, va + i, 1, idx, value >> (8 * i));
        return;
    }
    struct emu_tlb_entry *e = emu_tlb_lookup(v, va, ARM_ACCESS_WRITE, idx);
    uint32_t off = va & (EMU_PAGE_SIZE - 1);
    if (e->host != NULL)
        ram_store(v, e->ppage | off, e->host + off, size, value);
    else
        phys_store(v, va, e->ppage | off, size, value);
}

uint64_t emu_mem_load(struct arm_cpu *cpu, uint32_t va, unsigned memop)
{
    struct emu_vcpu *v = emu_vcpu_of(cpu);
    unsigned size = 1u << TCG_MEMOP_SIZE(memop);
    emu_check_alignment(cpu, va, size, memop, false);
    uint64_t x = load_raw(v, va, size, TCG_MEMOP_MMU_IDX(memop));
    if (memop & TCG_MO_BSWAP)
        x = emu_bswap_size(x, size);
    if (memop & TCG_MO_SIGN)
        x = sign_extend(x, size);
    return x;
}

void emu_mem_store(struct arm_cpu *cpu, uint32_t va, uint64_t value, unsigned memop)
{
    struct emu_vcpu *v = emu_vcpu_of(cpu);
    unsigned size = 1u << TCG_MEMOP_SIZE(memop);
    emu_check_alignment(cpu, va, size, memop, true);
    if (memop & TCG_MO_BSWAP)
        value = emu_bswap_size(value, size);
    store_raw(v, va, size, TCG_MEMOP_MMU_IDX(memop), value);
}

static uint64_t tcg_load(void *env, uint64_t addr, unsigned memop)
{
    return emu_mem_load(env, (uint32_t)addr, memop);
}

static void tcg_store(void *env, uint64_t addr, uint64_t value, unsigned memop)
{
    emu_mem_store(env, (uint32_t)addr, value, memop);
}

const struct tcg_mem_ops emu_tcg_mem_ops = { .load = tcg_load, .store = tcg_store };
