/*
 * gic.h — the GICv2 of QEMU's virt board, as much as SGI tests need.
 *
 * Two blocks: the distributor (GICD, 0x08000000) routes interrupts and is
 * shared by all CPUs; the CPU interface (GICC, 0x08010000) is banked, so
 * each CPU sees its own at the same address. CPU 0 calls gic_dist_init()
 * (calling it again, from any CPU, is harmless); then every CPU calls
 * gic_cpu_init() for its own interface and
 * gic_enable_irq() for each interrupt it wants (the enable and priority
 * registers of IDs 0..31 are banked per CPU too).
 *
 * An IRQ handler reads GICC_IAR with gic_ack() (interrupt ID in bits
 * [9:0], for an SGI the sending CPU in bits [12:10]), does its work and
 * writes the same value back with gic_eoi(). Reading GIC_SPURIOUS means
 * nothing was pending for this CPU.
 *
 * SGIs go out through GICD_SGIR with a target list of CPU interface
 * bits; gic_cpu_mask() says which bit is the calling CPU's.
 */
#ifndef GIC_H
#define GIC_H

#include <stdint.h>

#define GIC_NR_SGIS 16     /* IDs 0..15 are software-generated */
#define GIC_SPURIOUS 1023  /* IAR value when nothing is pending */

/* GICD_SGIR.TargetListFilter: who receives the SGI. */
enum gic_sgi_filter {
    GIC_SGI_TO_LIST = 0,   /* the CPUs in the target list */
    GIC_SGI_TO_OTHERS = 1, /* every CPU but the sender */
    GIC_SGI_TO_SELF = 2,   /* the sender only */
};

void gic_dist_init(void);
void gic_cpu_init(void);
void gic_cpu_disable(void);
/* Enables interrupt id for this CPU with a priority (0 = highest). */
void gic_enable_irq(unsigned id, uint8_t priority);
/* GICC_PMR: only interrupts with priority < mask are signalled. */
void gic_set_priority_mask(uint8_t mask);
/* GICD_ISENABLER0 as this CPU sees it: bit n set = ID n enabled. */
uint32_t gic_enabled_0_31(void);
/* The target-list bit of the calling CPU's interface. */
uint8_t gic_cpu_mask(void);
/* Raises SGI id; targets is used only with GIC_SGI_TO_LIST. */
void gic_send_sgi(unsigned id, enum gic_sgi_filter filter, uint8_t targets);

uint32_t gic_ack(void);
void gic_eoi(uint32_t iar);

static inline unsigned gic_iar_id(uint32_t iar) { return iar & 0x3ff; }
static inline unsigned gic_iar_source(uint32_t iar) { return (iar >> 10) & 0x7; }

#endif
