/*
 * machine_build.c — putting a virt board together from the command line:
 * RAM and flash, the image and its device tree, the devices, the vCPUs
 * and the PSCI and semihosting back ends that power them and end the run.
 */
#include "emu/machine.h"

#include "emu/devtree.h"
#include "emu/exec.h"
#include "emu/gic.h"
#include "emu/pl011.h"
#include "emu/psci.h"
#include "emu/semihost.h"
#include "emu/tbcache.h"
#include "util/fatal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>


/* ---- PSCI power control --------------------------------------------------- */

static int32_t psci_cpu_on(void *opaque, unsigned target, uint32_t entry, uint32_t context)
{
    struct emu_machine *m = opaque;
    struct emu_vcpu *v = &m->vcpus[target];
    if (v->state != EMU_VCPU_OFF)
        return -4;                                   /* ALREADY_ON */
    arm_cpu_reset(&v->cpu, target);
    v->cpu.runtime = v;
    v->cpu.r[0] = context;
    v->cpu.r[15] = entry & ~1u;
    emu_tlb_flush_local(v);
    atomic_store(&v->resv, 0);
    v->state = EMU_VCPU_RUNNING;
    pthread_cond_signal(&v->wake);
    return 0;
}

static void psci_cpu_off(void *opaque, struct arm_cpu *cpu)
{
    struct emu_machine *m = opaque;
    m->vcpus[cpu->index].state = EMU_VCPU_OFF;
}

static int32_t psci_affinity_info(void *opaque, unsigned target, unsigned level)
{
    struct emu_machine *m = opaque;
    (void)level;
    return m->vcpus[target].state == EMU_VCPU_OFF ? 1 : 0;
}

static void psci_system_off(void *opaque)
{
    struct emu_machine *m = opaque;
    if (m->cfg->no_shutdown) {
        /* QEMU stays up, paused in "shutdown": every vCPU stops for good. */
        for (unsigned i = 0; i < m->n_cpus; i++)
            m->vcpus[i].state = EMU_VCPU_OFF;
        return;
    }
    emu_machine_stop(m, 0);
}

static void system_reset_work(void *opaque);

/* Called with dev_lock held from the calling vCPU's HVC, while other vCPUs
 * may be running: the reset is queued as safe work, which the first vCPU
 * to reach a check (the caller, before its next instruction) runs with the
 * world stopped. */
static void psci_system_reset(void *opaque)
{
    struct emu_machine *m = opaque;
    if (m->cfg->no_reboot)
        emu_machine_stop(m, 0);
    else
        emu_excl_queue(&m->excl, system_reset_work, m);
}

static void semihost_exit(void *opaque, int status)
{
    emu_machine_stop(opaque, status);
}

/* SYS_CLOCK, SYS_TIME and SYS_ELAPSED on the board's virtual clock, so a
 * replayable run reads no host time through semihosting either. */
static uint64_t semihost_virtual_ns(void *opaque)
{
    const struct emu_machine *m = opaque;
    return gtimer_clock_ns(&m->clock);
}

/* ---- building ------------------------------------------------------------------ */

static void *map_zeroed(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static int place_dtb(struct emu_machine *m, char *err, size_t errlen)
{
    uint8_t *blob = xcalloc(1, EMU_DTB_SIZE);
    if (emu_devtree_build(m->cfg, blob, EMU_DTB_SIZE, err, errlen) != 0) {
        free(blob);
        return -1;
    }
    if (m->image.dtb_place == EMU_DTB_FLASH)
        memcpy(m->flash, blob, EMU_DTB_SIZE);
    else if (m->image.dtb_place == EMU_DTB_RAM)
        memcpy(m->ram + (m->image.dtb_addr - EMU_RAM_BASE), blob, EMU_DTB_SIZE);
    free(blob);
    return 0;
}

/* An exclusive section wants vCPU cpu out of generated code. */
static void kick_vcpu(void *opaque, unsigned cpu)
{
    struct emu_machine *m = opaque;
    atomic_store_explicit(&m->vcpus[cpu].exit_request, 1, memory_order_release);
}

static void setup_vcpus(struct emu_machine *m)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    m->vcpus = xcalloc(m->n_cpus, sizeof(*m->vcpus));
    for (unsigned i = 0; i < m->n_cpus; i++) {
        struct emu_vcpu *v = &m->vcpus[i];
        v->m = m;
        pthread_cond_init(&v->wake, &attr);
        arm_cpu_reset(&v->cpu, i);
        v->cpu.runtime = v;
        v->state = EMU_VCPU_OFF;
        v->timer_deadline_ns = UINT64_MAX;
    }
    struct arm_cpu *c0 = &m->vcpus[0].cpu;
    c0->r[15] = m->image.reset_pc;
    m->vcpus[0].state = EMU_VCPU_RUNNING;
    pthread_condattr_destroy(&attr);
}

static char *semihost_cmdline(const struct emu_config *cfg)
{
    size_t n = strlen(cfg->kernel) + (cfg->append ? strlen(cfg->append) + 1 : 0) + 1;
    char *s = xmalloc(n);
    snprintf(s, n, "%s%s%s", cfg->kernel, cfg->append ? " " : "", cfg->append ? cfg->append : "");
    return s;
}

static void setup_devices(struct emu_machine *m)
{
    pthread_mutex_init(&m->dev_lock, NULL);
    m->uart = pl011_new(stdout);
    m->gic = gic_new(m->n_cpus, GIC_VIRT_NR_IRQS, emu_machine_gic_output, m);
    if (m->cfg->sched == EMU_SCHED_CHAOS)
        gtimer_clock_init_virtual(&m->clock);
    else
        gtimer_clock_init(&m->clock);
    m->psci = (struct emu_psci_ops){
        .cpu_on = psci_cpu_on, .cpu_off = psci_cpu_off, .affinity_info = psci_affinity_info,
        .system_off = psci_system_off, .system_reset = psci_system_reset,
        .n_cpus = m->n_cpus, .opaque = m,
    };
    if (m->cfg->semihosting) {
        uint32_t ram_end = (uint32_t)(EMU_RAM_BASE + m->ram_size);
        uint32_t heap = (uint32_t)m->image.image_high;
        m->semihost_cmdline = semihost_cmdline(m->cfg);
        struct emu_semihost_host host = {
            .cmdline = m->semihost_cmdline, .heap_base = heap, .heap_limit = ram_end,
            .stack_base = ram_end, .stack_limit = heap, .console = stderr,
            .exit = semihost_exit, .opaque = m,
            .clock_ns = m->clock.is_virtual ? semihost_virtual_ns : NULL,
        };
        m->semihost = emu_semihost_new(&host);
    }
}

int emu_machine_new(const struct emu_config *cfg, struct emu_machine **out,
                    char *err, size_t errlen)
{
    struct emu_machine *m = xcalloc(1, sizeof(*m));
    m->cfg = cfg;
    m->n_cpus = cfg->smp;
    m->ram_size = cfg->ram_size;
    m->debug = cfg->debug;
    m->llsc = cfg->llsc == EMU_LLSC_POLICY_CAS ? EMU_LLSC_CAS
            : cfg->llsc == EMU_LLSC_POLICY_STW ? EMU_LLSC_STW : EMU_LLSC_EXCL;
    m->log = stderr;
    m->ram = map_zeroed(m->ram_size);
    m->flash = map_zeroed(EMU_FLASH_SIZE);
    m->one_thread = cfg->thread == EMU_THREAD_SINGLE;
    m->excl_pages = xcalloc(m->ram_size >> EMU_PAGE_BITS, 1);
    for (unsigned i = 0; i < EMU_LLSC_STRIPES; i++)
        pthread_mutex_init(&m->llsc_locks[i], NULL);
    if (emu_excl_init(&m->excl, cfg->smp, m->one_thread, kick_vcpu, m) != 0) {
        snprintf(err, errlen, "cannot create the exclusive-section lock");
        emu_machine_free(m);
        return -1;
    }
    m->excl_ready = true;
    if (m->ram == NULL || m->flash == NULL) {
        snprintf(err, errlen, "cannot map %llu MiB of guest RAM",
                 (unsigned long long)(m->ram_size >> 20));
        emu_machine_free(m);
        return -1;
    }
    if (cfg->log_file != NULL && (m->log = fopen(cfg->log_file, "w")) == NULL) {
        snprintf(err, errlen, "-D %s: cannot open for writing", cfg->log_file);
        m->log = stderr;
        emu_machine_free(m);
        return -1;
    }
    struct emu_ram ram = { .host = m->ram, .size = m->ram_size };
    if (emu_load_kernel(cfg->kernel, &ram, EMU_DTB_SIZE, &m->image, err, errlen) != 0
        || place_dtb(m, err, errlen) != 0) {
        emu_machine_free(m);
        return -1;
    }
    struct emu_tb_cache_config tc = {
        .size_mb = cfg->tb_size_mb, .n_vcpus = cfg->smp,
        .regions = cfg->regions == EMU_REGIONS_STATIC ? REGION_STATIC
                 : cfg->regions == EMU_REGIONS_COUNT ? REGION_COUNT : REGION_AUTO,
        .n_regions = cfg->n_regions,
        .one_thread = cfg->thread == EMU_THREAD_SINGLE,
        .flush_log = (m->debug & EMU_DEBUG_FLUSH) ? m->log : NULL,
        .ram_base = EMU_RAM_BASE, .ram_size = m->ram_size,
    };
    m->tbs = emu_tb_cache_new(&tc, err, errlen);
    if (m->tbs == NULL) {
        emu_machine_free(m);
        return -1;
    }
    setup_devices(m);
    setup_vcpus(m);
    *out = m;
    return 0;
}

/* Loads the image and device tree again, replaces the GIC and the UART,
 * resets every vCPU (CPU 0 at the entry, the others off). dev_lock held,
 * world stopped. A reload that fails stops the run (1). */
static void reset_board(struct emu_machine *m)
{
    char err[256];
    struct emu_ram ram = { .host = m->ram, .size = m->ram_size };
    if (emu_load_kernel(m->cfg->kernel, &ram, EMU_DTB_SIZE, &m->image, err, sizeof(err)) != 0
        || place_dtb(m, err, sizeof(err)) != 0) {
        fprintf(stderr, "strex-emu: system reset: %s\n", err);
        emu_machine_stop(m, 1);
        return;
    }
    gic_free(m->gic);
    m->gic = gic_new(m->n_cpus, GIC_VIRT_NR_IRQS, emu_machine_gic_output, m);
    pl011_free(m->uart);
    m->uart = pl011_new(stdout);
    for (unsigned i = 0; i < m->n_cpus; i++) {
        struct emu_vcpu *v = &m->vcpus[i];
        v->state = EMU_VCPU_OFF;
        arm_cpu_reset(&v->cpu, i);
        v->cpu.runtime = v;
        atomic_store(&v->cpu.irq_lines, 0);
        atomic_store(&v->resv, 0);
        emu_tlb_flush_local(v);
    }
    struct arm_cpu *c0 = &m->vcpus[0].cpu;
    for (unsigned r = 0; r < 3; r++)
        c0->r[r] = m->image.kind == EMU_IMAGE_RAW ? 0 : m->image.regs[r];
    c0->r[15] = m->image.reset_pc;
    m->vcpus[0].state = EMU_VCPU_RUNNING;
    pthread_cond_signal(&m->vcpus[0].wake);
}

/* PSCI SYSTEM_RESET, run inside an exclusive section (emu_excl_queue()):
 * then the code buffer flushes, since the reload wrote RAM behind the TB
 * cache's back. vCPUs held at a check see emu_excl_check() return true
 * and look at their state again before running anything. */
static void system_reset_work(void *opaque)
{
    struct emu_machine *m = opaque;
    pthread_mutex_lock(&m->dev_lock);
    reset_board(m);
    pthread_mutex_unlock(&m->dev_lock);
    emu_tb_flush(m->tbs, emu_tb_generation(m->tbs));
    EMU_STAT_INC(&m->stats, tb_flushes);
}

void emu_machine_free(struct emu_machine *m)
{
    if (m == NULL)
        return;
    if (m->semihost)
        emu_semihost_free(m->semihost);
    if (m->gic)
        gic_free(m->gic);
    if (m->uart)
        pl011_free(m->uart);
    emu_tb_cache_free(m->tbs);
    if (m->ram)
        munmap(m->ram, m->ram_size);
    if (m->flash)
        munmap(m->flash, EMU_FLASH_SIZE);
    if (m->log != stderr && m->log != NULL)
        fclose(m->log);
    free((void *)m->excl_pages);
    if (m->excl_ready)
        emu_excl_destroy(&m->excl);
    for (unsigned i = 0; m->vcpus != NULL && i < m->n_cpus; i++)
        pthread_cond_destroy(&m->vcpus[i].wake);
    free(m->vcpus);
    free(m->semihost_cmdline);
    free(m);
}
