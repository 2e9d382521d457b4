/*
 * gic.h — the virt board's GICv2: one distributor, one CPU interface per
 * vCPU (up to 8), without the Security Extensions, as QEMU 7.2 builds it.
 *
 * The board maps the distributor (GICD, 0x08000000, 4 KiB) and the CPU
 * interface (GICC, 0x08010000, 8 KiB) and passes offsets within each
 * window, with the number of the vCPU that made the access: the CPU
 * interface and the registers of IDs 0..31 are banked per CPU.
 *
 * Devices drive interrupt lines with gic_set_spi() and gic_set_ppi(); both
 * take the interrupt ID (GIC_SPI(n) / GIC_PPI(n) turn the device tree's
 * SPI or PPI number into one). Whenever a CPU's IRQ or FIQ output changes,
 * the GIC calls out(opaque, cpu, irq, fiq) for that CPU, and only then:
 * the board sets the vCPU's irq_lines and wakes it. gic_new() calls out
 * for no one (every output starts low).
 *
 * FIQ: interrupt groups exist, as on QEMU (GICD_IGROUPR is writable). A
 * Group 0 interrupt is signalled as FIQ only when the guest sets
 * GICC_CTLR.FIQEn; everything else is IRQ. No test program sets FIQEn,
 * so in practice fiq stays false.
 *
 * Callers hold the device lock; the GIC takes no lock and starts no thread.
 */
#ifndef EMU_GIC_H
#define EMU_GIC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define GIC_MAX_CPUS 8
#define GIC_NR_SGIS 16
#define GIC_NR_INTERNAL 32          /* SGIs and PPIs: banked per CPU */
#define GIC_VIRT_NR_IRQS 288        /* QEMU virt: 256 SPIs + 32 (GICD_TYPER.ITLinesNumber 8) */
#define GIC_SPURIOUS 1023
#define GIC_PPI(n) (16u + (n))      /* PPI number (device tree) -> interrupt ID */
#define GIC_SPI(n) (32u + (n))      /* SPI number (device tree) -> interrupt ID */

typedef void gic_irq_out_fn(void *opaque, unsigned cpu, bool irq, bool fiq);

struct gic;

/* n_cpus: 1..8; n_irqs: a multiple of 32 in 64..1020 (the board passes
 * GIC_VIRT_NR_IRQS). Anything else is an internal error (fatal). */
struct gic *gic_new(unsigned n_cpus, unsigned n_irqs, gic_irq_out_fn *out, void *opaque);
void gic_free(struct gic *gic);

/* -d guest_errors: reads and writes of unknown offsets, one line each, as
 * QEMU words them ("gic_dist_read: Bad offset 0xc"). NULL: nowhere. */
void gic_set_guest_errors(struct gic *gic, FILE *log);

/* Register accesses by CPU cpu; size 1, 2 or 4. The distributor takes any
 * size at any offset (byte-wide registers such as IPRIORITYR and ITARGETSR
 * included); GICD_SGIR acts only on a 32-bit write. The CPU interface's
 * registers are 32-bit: other sizes read 0 and are ignored on write. */
uint32_t gic_dist_read(struct gic *gic, unsigned cpu, uint32_t offset, unsigned size);
void gic_dist_write(struct gic *gic, unsigned cpu, uint32_t offset, unsigned size, uint32_t value);
uint32_t gic_cpu_read(struct gic *gic, unsigned cpu, uint32_t offset, unsigned size);
void gic_cpu_write(struct gic *gic, unsigned cpu, uint32_t offset, unsigned size, uint32_t value);

/* Input lines. irq is the interrupt ID: 32..n_irqs-1 for gic_set_spi,
 * 16..31 for gic_set_ppi (the line of that CPU's PPI). A level-sensitive
 * interrupt is pending while its line is high; an edge-triggered one
 * latches pending on a rising edge. Setting a line to its current level
 * does nothing. */
void gic_set_spi(struct gic *gic, unsigned irq, bool level);
void gic_set_ppi(struct gic *gic, unsigned cpu, unsigned irq, bool level);

/* Distributor offsets. */
#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_IIDR       0x008
#define GICD_IGROUPR    0x080
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ISPENDR    0x200
#define GICD_ICPENDR    0x280
#define GICD_ISACTIVER  0x300
#define GICD_ICACTIVER  0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_ICFGR      0xc00
#define GICD_SGIR       0xf00
#define GICD_CPENDSGIR  0xf10
#define GICD_SPENDSGIR  0xf20

/* CPU interface offsets. */
#define GICC_CTLR   0x000
#define GICC_PMR    0x004
#define GICC_BPR    0x008
#define GICC_IAR    0x00c
#define GICC_EOIR   0x010
#define GICC_RPR    0x014
#define GICC_HPPIR  0x018
#define GICC_ABPR   0x01c
#define GICC_AIAR   0x020
#define GICC_AEOIR  0x024
#define GICC_AHPPIR 0x028
#define GICC_APR0   0x0d0
#define GICC_NSAPR0 0x0e0
#define GICC_IIDR   0x0fc
#define GICC_DIR    0x1000

/* GICC_CTLR bits (the view without Security Extensions). */
#define GICC_CTLR_EN_GRP0 (1u << 0)
#define GICC_CTLR_EN_GRP1 (1u << 1)
#define GICC_CTLR_ACKCTL  (1u << 2)
#define GICC_CTLR_FIQEN   (1u << 3)
#define GICC_CTLR_CBPR    (1u << 4)
#define GICC_CTLR_EOIMODE (1u << 9)

#endif
