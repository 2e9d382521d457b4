/*
 * machine.c — building the virt board and its physical address space.
 *
 * The memory map is machine-contract.md §3.1. Devices strex models (GICv2
 * distributor and CPU interface, PL011) are dispatched under dev_lock.
 * The QEMU devices strex does not model (GICv2m, PL031, fw_cfg, PL061,
 * virtio-mmio, the platform bus, the PCIe windows) read as zero and
 * ignore writes, with a -d guest_errors line, so a guest probing them
 * does not die; everything else is a hole and aborts.
 */
#include "emu/machine.h"

#include "emu/devtree.h"
#include "emu/exec.h"
#include "emu/gic.h"
#include "emu/pl011.h"
#include "emu/semihost.h"
#include "emu/tbcache.h"
#include "util/fatal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define GIC_DIST_BASE  0x08000000u
#define GIC_DIST_SIZE  0x1000u
#define GIC_CPU_BASE   0x08010000u
#define GIC_CPU_SIZE   0x2000u
#define UART_BASE      0x09000000u
#define UART_SIZE      0x1000u

struct unmodelled { uint32_t base, size; const char *name; };

static const struct unmodelled unmodelled_devices[] = {
    { 0x08020000u, 0x1000u,     "gicv2m" },
    { 0x09010000u, 0x1000u,     "pl031" },
    { 0x09020000u, 0x18u,       "fw_cfg" },
    { 0x09030000u, 0x1000u,     "pl061" },
    { 0x0a000000u, 0x4000u,     "virtio-mmio" },
    { 0x0c000000u, 0x2000000u,  "platform bus" },
    { 0x10000000u, 0x2eff0000u, "PCIe MMIO window" },
    { 0x3eff0000u, 0x10000u,    "PCIe I/O window" },
};

/* ---- the address space ------------------------------------------------------ */

static bool in_range(uint64_t pa, uint64_t base, uint64_t size)
{
    return pa >= base && pa - base < size;
}

static const struct unmodelled *find_unmodelled(uint64_t pa)
{
    for (size_t i = 0; i < sizeof(unmodelled_devices) / sizeof(unmodelled_devices[0]); i++)
        if (in_range(pa, unmodelled_devices[i].base, unmodelled_devices[i].size))
            return &unmodelled_devices[i];
    return NULL;
}

enum emu_phys_kind emu_phys_classify(const struct emu_machine *m, uint64_t pa)
{
    if (in_range(pa, EMU_RAM_BASE, m->ram_size))
        return EMU_PHYS_RAM;
    if (pa < EMU_FLASH_SIZE)
        return EMU_PHYS_FLASH;
    if (in_range(pa, GIC_DIST_BASE, GIC_DIST_SIZE) || in_range(pa, GIC_CPU_BASE, GIC_CPU_SIZE)
        || in_range(pa, UART_BASE, UART_SIZE) || find_unmodelled(pa) != NULL)
        return EMU_PHYS_DEVICE;
    return EMU_PHYS_HOLE;
}

uint8_t *emu_phys_host(const struct emu_machine *m, uint64_t pa)
{
    if (in_range(pa, EMU_RAM_BASE, m->ram_size))
        return m->ram + (pa - EMU_RAM_BASE);
    if (pa < EMU_FLASH_SIZE)
        return m->flash + pa;
    return NULL;
}

static void guest_error(struct emu_vcpu *v, const char *what, uint64_t pa, unsigned size)
{
    struct emu_machine *m = v->m;
    if (m->debug & EMU_DEBUG_GUEST_ERRORS)
        fprintf(m->log, "guest_errors: cpu %u pc 0x%08x: %s of %u bytes at 0x%08llx\n",
                v->cpu.index, v->cpu.insn_pc, what, size, (unsigned long long)pa);
}

bool emu_phys_device_read(struct emu_vcpu *v, uint64_t pa, unsigned size, uint32_t *value)
{
    struct emu_machine *m = v->m;
    bool ok = true;
    pthread_mutex_lock(&m->dev_lock);
    if (in_range(pa, GIC_DIST_BASE, GIC_DIST_SIZE))
        *value = gic_dist_read(m->gic, v->cpu.index, (uint32_t)(pa - GIC_DIST_BASE), size);
    else if (in_range(pa, GIC_CPU_BASE, GIC_CPU_SIZE))
        *value = gic_cpu_read(m->gic, v->cpu.index, (uint32_t)(pa - GIC_CPU_BASE), size);
    else if (in_range(pa, UART_BASE, UART_SIZE))
        *value = pl011_read(m->uart, (uint32_t)(pa - UART_BASE), size);
    else if (find_unmodelled(pa) != NULL) {
        *value = 0;
        guest_error(v, "read of an unmodelled device", pa, size);
    } else {
        ok = false;
        guest_error(v, "read of a hole", pa, size);
    }
    pthread_mutex_unlock(&m->dev_lock);
    return ok;
}

bool emu_phys_device_write(struct emu_vcpu *v, uint64_t pa, unsigned size, uint32_t value)
{
    struct emu_machine *m = v->m;
    bool ok = true;
    pthread_mutex_lock(&m->dev_lock);
    if (in_range(pa, GIC_DIST_BASE, GIC_DIST_SIZE))
        gic_dist_write(m->gic, v->cpu.index, (uint32_t)(pa - GIC_DIST_BASE), size, value);
    else if (in_range(pa, GIC_CPU_BASE, GIC_CPU_SIZE))
        gic_cpu_write(m->gic, v->cpu.index, (uint32_t)(pa - GIC_CPU_BASE), size, value);
    else if (in_range(pa, UART_BASE, UART_SIZE))
        pl011_write(m->uart, (uint32_t)(pa - UART_BASE), size, value);
    else if (find_unmodelled(pa) != NULL)
        guest_error(v, "write to an unmodelled device", pa, size);
    else {
        ok = false;
        guest_error(v, "write to a hole", pa, size);
    }
    pthread_mutex_unlock(&m->dev_lock);
    return ok;
}

/* ---- interrupts, timers, events ---------------------------------------------- */

void emu_machine_gic_output(void *opaque, unsigned cpu, bool irq, bool fiq)
{
    struct emu_machine *m = opaque;
    struct emu_vcpu *v = &m->vcpus[cpu];
    uint32_t lines = (irq ? ARM_IRQ_LINE : 0) | (fiq ? ARM_FIQ_LINE : 0);
    atomic_store_explicit(&v->cpu.irq_lines, lines, memory_order_release);
    /* After the line: the vCPU clears the request, then reads the lines
     * (emu/exec.c), so a chained run stops and the interrupt is taken. */
    if (lines != 0)
        atomic_store_explicit(&v->exit_request, 1, memory_order_release);
    emu_exec_kick(v);
}

void emu_machine_update_timers(struct emu_vcpu *v)
{
    struct emu_machine *m = v->m;
    const struct arm_cp15 *cp = &v->cpu.cp15;
    uint64_t now = gtimer_counter_now(&m->clock);
    uint64_t virt = now - cp->cntvoff;
    bool vlevel = gtimer_output(cp->cntv_ctl, cp->cntv_cval, virt);
    bool plevel = gtimer_output(cp->cntp_ctl, cp->cntp_cval, now);
    if (vlevel != v->timer_virt_level) {
        v->timer_virt_level = vlevel;
        gic_set_ppi(m->gic, v->cpu.index, GTIMER_PPI_VIRT, vlevel);
    }
    if (plevel != v->timer_phys_level) {
        v->timer_phys_level = plevel;
        gic_set_ppi(m->gic, v->cpu.index, GTIMER_PPI_PHYS_NS, plevel);
    }
    uint64_t next = UINT64_MAX;
    if ((cp->cntv_ctl & 3) == 1 && !vlevel)
        next = gtimer_ns_until(cp->cntv_cval, virt);
    if ((cp->cntp_ctl & 3) == 1 && !plevel) {
        uint64_t p = gtimer_ns_until(cp->cntp_cval, now);
        next = p < next ? p : next;
    }
    v->timer_deadline_ns = next;
}

uint64_t emu_counter_now(struct arm_cpu *cpu)
{
    return gtimer_counter_now(&emu_vcpu_of(cpu)->m->clock);
}

void emu_timer_changed(struct arm_cpu *cpu)
{
    struct emu_vcpu *v = emu_vcpu_of(cpu);
    pthread_mutex_lock(&v->m->dev_lock);
    emu_machine_update_timers(v);
    pthread_mutex_unlock(&v->m->dev_lock);
}

void emu_send_event(struct arm_cpu *cpu)
{
    struct emu_machine *m = emu_vcpu_of(cpu)->m;
    pthread_mutex_lock(&m->dev_lock);
    for (unsigned i = 0; i < m->n_cpus; i++) {
        atomic_store(&m->vcpus[i].cpu.event, true);
        emu_exec_kick(&m->vcpus[i]);
    }
    pthread_mutex_unlock(&m->dev_lock);
}

void emu_machine_stop(struct emu_machine *m, int status)
{
    bool expected = false;
    if (atomic_compare_exchange_strong(&m->stop, &expected, true))
        atomic_store(&m->exit_status, status);
    /* Parked threads wait with a timeout, so a wake-up lost because the
     * caller may not hold dev_lock here only delays their exit. */
    for (unsigned i = 0; i < m->n_cpus; i++) {
        atomic_store(&m->vcpus[i].exit_request, 1);
        pthread_cond_signal(&m->vcpus[i].wake);
    }
}
