/*
 * gic.c — GICv2 register access for the virt board (see gic.h).
 *
 * Register offsets and bits are from the GICv2 architecture specification
 * (IHI 0048B). QEMU's virt board builds its GIC without the Security
 * Extensions (ID_PFR1.Security = 0), so there is one interrupt group and
 * bit 0 of each CTLR is the plain enable bit.
 *
 * Configuration writes are followed by a DSB, so they have reached the
 * GIC before the caller goes on. A DSB comes before GICD_SGIR, so the
 * sender's earlier stores are visible before the target can take the
 * SGI, and before GICC_EOIR, so a handler's stores are visible before
 * the same interrupt can be taken again.
 */
#include "gic.h"

#include "rt.h"

#define GICD_BASE 0x08000000u
#define GICC_BASE 0x08010000u

/* Distributor registers (offsets from GICD_BASE). */
#define GICD_CTLR 0x000        /* bit 0: forward pending interrupts */
#define GICD_ISENABLER 0x100   /* set-enable, 1 bit per ID, 32 per word */
#define GICD_IPRIORITYR 0x400  /* 1 byte per ID */
#define GICD_ITARGETSR 0x800   /* 1 byte per ID: CPU interface bits */
#define GICD_SGIR 0xf00        /* write-only: send an SGI */

/* GICD_SGIR fields. */
#define SGIR_FILTER_SHIFT 24   /* [25:24] TargetListFilter */
#define SGIR_TARGETS_SHIFT 16  /* [23:16] CPUTargetList */
#define SGIR_ID_MASK 0xfu      /* [3:0] SGIINTID */

/* CPU interface registers (offsets from GICC_BASE). */
#define GICC_CTLR 0x00  /* bit 0: signal interrupts to the processor */
#define GICC_PMR 0x04   /* priority mask */
#define GICC_BPR 0x08   /* binary point: 0 = preemption on all priority bits */
#define GICC_IAR 0x0c   /* read: acknowledge the highest pending interrupt */
#define GICC_EOIR 0x10  /* write: end of interrupt (the IAR value) */

#define CTLR_ENABLE 1u

static inline volatile uint32_t *gicd32(uint32_t off)
{
    return (volatile uint32_t *)(GICD_BASE + off);
}

static inline volatile uint8_t *gicd8(uint32_t off)
{
    return (volatile uint8_t *)(GICD_BASE + off);
}

static inline volatile uint32_t *gicc32(uint32_t off)
{
    return (volatile uint32_t *)(GICC_BASE + off);
}

void gic_dist_init(void)
{
    *gicd32(GICD_CTLR) = CTLR_ENABLE;
    rt_dsb();
}

void gic_cpu_init(void)
{
    *gicc32(GICC_PMR) = 0xff; /* let every priority through; RAZ bits drop */
    *gicc32(GICC_BPR) = 0;
    *gicc32(GICC_CTLR) = CTLR_ENABLE;
    rt_dsb();
}

void gic_cpu_disable(void)
{
    *gicc32(GICC_CTLR) = 0;
    rt_dsb();
}

void gic_enable_irq(unsigned id, uint8_t priority)
{
    *gicd8(GICD_IPRIORITYR + id) = priority;
    *gicd32(GICD_ISENABLER + 4 * (id / 32)) = 1u << (id % 32);
    rt_dsb();
}

void gic_set_priority_mask(uint8_t mask)
{
    *gicc32(GICC_PMR) = mask;
    rt_dsb();
}

uint32_t gic_enabled_0_31(void)
{
    return *gicd32(GICD_ISENABLER);
}

/* ITARGETSR0..7 (the SGI bytes) read as the reading CPU's own interface
 * bit. The specification lets a uniprocessor GIC make them read as zero;
 * its only interface is then number 0. */
uint8_t gic_cpu_mask(void)
{
    uint8_t mask = *gicd8(GICD_ITARGETSR);

    return mask ? mask : 1;
}

void gic_send_sgi(unsigned id, enum gic_sgi_filter filter, uint8_t targets)
{
    rt_dsb();
    *gicd32(GICD_SGIR) = ((uint32_t)filter << SGIR_FILTER_SHIFT) |
                         ((uint32_t)targets << SGIR_TARGETS_SHIFT) | (id & SGIR_ID_MASK);
}

uint32_t gic_ack(void)
{
    return *gicc32(GICC_IAR);
}

void gic_eoi(uint32_t iar)
{
    rt_dsb();
    *gicc32(GICC_EOIR) = iar;
}
