/*
 * machine.h — the virt board: guest RAM and flash, the devices, the vCPUs,
 * and the physical address space that ties them together.
 *
 * emu_machine_new() builds everything a run needs from the command line
 * (RAM, the device tree in flash or RAM, the kernel image, the PL011, the
 * GICv2, the generic timers, PSCI, semihosting) and leaves CPU 0 at the
 * image's entry with the other vCPUs off, as machine-contract.md §2 says.
 * emu_exec_run() (emu/exec.h) then runs it.
 *
 * Physical accesses go to RAM (host memory), flash (read-only: writes are
 * dropped, as QEMU drops them), a device window (under dev_lock), a QEMU
 * device strex does not model (reads 0, writes ignored, one -d
 * guest_errors line) or a hole (a synchronous external abort).
 *
 * Threads: dev_lock guards every device; vCPU power states are written
 * under it and read anywhere (they are _Atomic). Generated code never
 * holds dev_lock. The stop fields are atomic because a device on one vCPU
 * ends the run that other vCPUs are in. Lock order: dev_lock is never
 * held while starting an exclusive section (emu/excl.h) or taking an
 * LL/SC page lock.
 */
#ifndef EMU_MACHINE_H
#define EMU_MACHINE_H

#include "arm/cpu.h"
#include "emu/emu_cmdline.h"
#include "emu/excl.h"
#include "emu/gtimer.h"
#include "emu/loader.h"
#include "emu/psci.h"
#include "emu/softmmu.h"
#include "emu/stats.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct pl011;
struct gic;
struct emu_semihost;
struct emu_tb_cache;

enum emu_vcpu_state {
    EMU_VCPU_OFF,       /* not started, or CPU_OFF */
    EMU_VCPU_RUNNING,
    EMU_VCPU_WFI,       /* parked until an interrupt is pending */
    EMU_VCPU_WFE,       /* parked until an event or an interrupt */
};

/* -accel tcg,llsc=...: how LDREX/STREX are emulated (docs/design/llsc.md). */
enum emu_llsc {
    EMU_LLSC_EXCL,   /* the architecture's monitors (default) */
    EMU_LLSC_CAS,    /* QEMU's: STREX compares values, accepts ABA */
    EMU_LLSC_STW,    /* STREX in a stop-the-world section */
};

struct emu_machine;

struct emu_vcpu {
    struct arm_cpu cpu;             /* its own thread's; others touch it only while
                                     * it is parked (dev_lock) or stopped (excl) */
    struct emu_machine *m;
    _Atomic enum emu_vcpu_state state;  /* written under m->dev_lock, read anywhere */
    pthread_cond_t wake;            /* with dev_lock: a parked vCPU's thread waits here */
    _Atomic int exit_request;       /* asks the thread to leave generated code */
    _Atomic uint64_t resv;          /* the LL/SC reservation (emu/llsc.c); 0 none */
    bool in_excl_step;              /* its own thread's: running one instruction
                                     * with the world stopped (emu/exec.c) */
    struct emu_tlb tlb;             /* its own thread's (others: in an excl section) */
    uint64_t timer_deadline_ns;     /* ns until the next timer fires; UINT64_MAX none;
                                     * dev_lock */
    bool timer_virt_level, timer_phys_level;   /* the PPI levels last sent; dev_lock */
};

/* The LL/SC page locks (emu/llsc.c): a store to a page marked exclusive,
 * and every LDREX/STREX, holds the lock of its page's stripe. */
#define EMU_LLSC_STRIPES 64

struct emu_machine {
    const struct emu_config *cfg;

    uint8_t *ram;                   /* guest RAM at EMU_RAM_BASE */
    uint64_t ram_size;
    uint8_t *flash;                 /* flash0 at 0 (EMU_FLASH_SIZE bytes, read-only to the guest) */
    _Atomic uint8_t *excl_pages;    /* one byte per RAM page: LDREX marked it (llsc.c) */
    pthread_mutex_t llsc_locks[EMU_LLSC_STRIPES];

    struct emu_image image;

    unsigned n_cpus;
    struct emu_vcpu *vcpus;

    pthread_mutex_t dev_lock;       /* guards the devices below and vcpu->state */
    struct pl011 *uart;
    struct gic *gic;
    struct emu_semihost *semihost;  /* NULL without -semihosting */
    char *semihost_cmdline;         /* "<kernel> <append>" */
    struct emu_psci_ops psci;       /* the board's power control, for emu_psci_call() */
    struct gtimer_clock clock;      /* host time: read-only after start; virtual
                                     * (sched=chaos): moved by the exec thread */

    struct emu_tb_cache *tbs;
    enum emu_llsc llsc;             /* fixed at start */
    bool one_thread;                /* fixed at start: thread=single */
    struct emu_excl excl;           /* stop-the-world sections (emu/excl.h) */
    bool excl_ready;                /* excl was initialised */

    FILE *log;                      /* -D file or stderr; written under dev_lock */
    uint32_t debug;                 /* -d flags */

    _Atomic bool stop;              /* set once: the run is over */
    _Atomic int exit_status;        /* the status strex-emu exits with */

    struct emu_stats stats;
};

/* Builds the board for cfg. 0, or -1 with one line in err (bad image,
 * RAM too small for it...). */
int emu_machine_new(const struct emu_config *cfg, struct emu_machine **out,
                    char *err, size_t errlen);
void emu_machine_free(struct emu_machine *m);

/* Ends the run with status (the first call wins). */
void emu_machine_stop(struct emu_machine *m, int status);

static inline struct emu_vcpu *emu_vcpu_of(struct arm_cpu *cpu)
{
    return (struct emu_vcpu *)cpu->runtime;
}

/* The kinds of physical address (emu_phys_classify()). */
enum emu_phys_kind { EMU_PHYS_RAM, EMU_PHYS_FLASH, EMU_PHYS_DEVICE, EMU_PHYS_HOLE };

enum emu_phys_kind emu_phys_classify(const struct emu_machine *m, uint64_t pa);
/* A host pointer for RAM or flash at pa (NULL for devices and holes). */
uint8_t *emu_phys_host(const struct emu_machine *m, uint64_t pa);
/* A device access (size 1, 2, 4); takes dev_lock. False for a hole. */
bool emu_phys_device_read(struct emu_vcpu *v, uint64_t pa, unsigned size, uint32_t *value);
bool emu_phys_device_write(struct emu_vcpu *v, uint64_t pa, unsigned size, uint32_t value);

/* The GIC's output lines to the vCPUs (a gic_irq_out_fn). */
void emu_machine_gic_output(void *opaque, unsigned cpu, bool irq, bool fiq);

/* Re-evaluates a vCPU's timers against the clock and updates its PPIs;
 * caller holds dev_lock. */
void emu_machine_update_timers(struct emu_vcpu *v);

#endif
