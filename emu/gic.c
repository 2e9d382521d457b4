/*
 * gic.c — the GICv2 model (see gic.h; behaviour measured on QEMU 7.2 is
 * listed in docs/design/devices.md).
 *
 * State: one struct gic_irq per interrupt, banked per CPU for IDs 0..31,
 * plus per CPU the pending SGI sources and the CPU interface registers.
 * Nothing is cached: after every change, update_outputs() recomputes for
 * each CPU the highest-priority pending interrupt and whether it may be
 * signalled, and calls out() for the CPUs whose lines changed. With 288
 * interrupts and at most 8 CPUs that is a few thousand byte tests per
 * MMIO write, cheap next to the exit from generated code that led here.
 *
 * Pending, as in the architecture (IHI 0048B §3.2.4): an edge-triggered
 * interrupt is pending while its latch is set (rising edge or ISPENDR;
 * acknowledge or ICPENDR clears it); a level-sensitive one is pending
 * while its line is high or its latch is set. An SGI is pending while any
 * (SGI, source CPU) pair is; acknowledging takes the lowest-numbered
 * source first.
 *
 * Priorities: 8 bits. The group priority of an interrupt is its priority
 * masked by the binary point (BPR for Group 0, and for Group 1 when
 * GICC_CTLR.CBPR is set, ABPR otherwise). An acknowledge sets the bit for
 * that group priority in the active priorities registers (APR for Group
 * 0, NSAPR for Group 1, bit = group priority / 2, as QEMU numbers them);
 * the running priority is the highest one set there. An EOI clears the
 * highest bit of its interrupt's group (priority drop) and, unless
 * GICC_CTLR.EOImode is set, deactivates the interrupt (else GICC_DIR does).
 *
 * Callers hold the device lock.
 */
#include "emu/gic.h"

#include "util/fatal.h"

#include <stdlib.h>

#define GICD_CTLR_MASK  0x3u        /* EnableGrp0, EnableGrp1 */
#define GICC_CTLR_MASK  0x21fu      /* what QEMU keeps of a write of all ones */
#define GICD_IIDR_VALUE 0x0000043bu /* measured on QEMU 7.2 */
#define GICC_IIDR_VALUE 0x0002043bu
#define IDLE_PRIORITY   0x100u      /* running priority with nothing active */
#define ABPR_MIN        1u
#define SPURIOUS_GRP1   1022u       /* IAR/HPPIR: a Group 1 interrupt and AckCtl clear */

/* PIDR4..7, PIDR0..3, CIDR0..3 at 0xfd0..0xffc, low byte of each word. */
static const uint8_t gicd_ids[12] = { 0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0x00,
                                      0x0d, 0xf0, 0x05, 0xb1 };

struct gic_irq {
    uint8_t prio;
    uint8_t target;     /* SPIs: GICD_ITARGETSR byte */
    bool enabled;
    bool group;         /* false: Group 0 */
    bool edge;          /* GICD_ICFGR: true = edge-triggered */
    bool level;         /* the input line */
    bool latch;         /* pending latched by an edge or by ISPENDR */
    bool active;
};

struct gic_cpu {
    uint32_t ctlr, pmr, bpr, abpr;
    uint32_t apr[4], nsapr[4];
    bool irq_out, fiq_out;              /* what out() was last told */
    struct gic_irq internal[GIC_NR_INTERNAL];
    uint8_t sgi_src[GIC_NR_SGIS];       /* CPUs with that SGI pending here */
};

struct gic {
    unsigned n_cpus, n_irqs;
    gic_irq_out_fn *out;
    void *opaque;
    FILE *guest_errors;
    uint32_t ctlr;
    struct gic_cpu cpu[GIC_MAX_CPUS];
    struct gic_irq *spi;                /* IDs 32..n_irqs-1 */
};

/* The best candidate for one CPU; id == GIC_SPURIOUS when there is none. */
struct gic_best {
    unsigned id;
    unsigned prio;
    bool group;
};

struct gic *gic_new(unsigned n_cpus, unsigned n_irqs, gic_irq_out_fn *out, void *opaque)
{
    struct gic *gic;

    if (n_cpus < 1 || n_cpus > GIC_MAX_CPUS)
        fatal("gic_new: %u CPUs (1..%d)", n_cpus, GIC_MAX_CPUS);
    if (n_irqs < 64 || n_irqs > 992 || n_irqs % 32)
        fatal("gic_new: %u interrupts (a multiple of 32 in 64..992)", n_irqs);
    gic = xcalloc(1, sizeof(*gic));
    gic->n_cpus = n_cpus;
    gic->n_irqs = n_irqs;
    gic->out = out;
    gic->opaque = opaque;
    gic->spi = xcalloc(n_irqs - GIC_NR_INTERNAL, sizeof(*gic->spi));
    for (unsigned c = 0; c < n_cpus; c++) {
        gic->cpu[c].abpr = ABPR_MIN;
        for (unsigned id = 0; id < GIC_NR_SGIS; id++) {
            gic->cpu[c].internal[id].enabled = true;    /* SGIs cannot be disabled */
            gic->cpu[c].internal[id].edge = true;
        }
    }
    return gic;
}

void gic_free(struct gic *gic)
{
    if (gic) {
        free(gic->spi);
        free(gic);
    }
}

void gic_set_guest_errors(struct gic *gic, FILE *log)
{
    gic->guest_errors = log;
}

static void bad_offset(const struct gic *gic, const char *what, uint32_t offset)
{
    if (gic->guest_errors)
        fprintf(gic->guest_errors, "%s: Bad offset 0x%x\n", what, offset);
}

static void check_cpu(const struct gic *gic, unsigned cpu)
{
    if (cpu >= gic->n_cpus)
        fatal("gic: access from cpu %u of %u", cpu, gic->n_cpus);
}

static struct gic_irq *irq_state(struct gic *gic, unsigned cpu, unsigned id)
{
    return id < GIC_NR_INTERNAL ? &gic->cpu[cpu].internal[id] : &gic->spi[id - GIC_NR_INTERNAL];
}

static uint8_t all_cpus(const struct gic *gic)
{
    return (uint8_t)((1u << gic->n_cpus) - 1);
}

static bool is_pending(struct gic *gic, unsigned cpu, unsigned id)
{
    const struct gic_irq *s = irq_state(gic, cpu, id);

    if (id < GIC_NR_SGIS)
        return gic->cpu[cpu].sgi_src[id] != 0;
    return s->latch || (!s->edge && s->level);
}

/* Whether SPI id may go to cpu. A uniprocessor GIC sends everything to its
 * one CPU (its ITARGETSR bytes read as zero). */
static bool targets(const struct gic *gic, unsigned cpu, unsigned id)
{
    if (id < GIC_NR_INTERNAL || gic->n_cpus == 1)
        return true;
    return (gic->spi[id - GIC_NR_INTERNAL].target >> cpu) & 1;
}

/* ---- priorities --------------------------------------------------------- */

static unsigned group_mask(const struct gic_cpu *c, bool group)
{
    if (!group || (c->ctlr & GICC_CTLR_CBPR))
        return (0xffu << (c->bpr + 1)) & 0xffu;
    return (0xffu << c->abpr) & 0xffu;
}

/* Index of the highest active priority in an APR set, or -1. */
static int apr_highest(const uint32_t apr[4])
{
    for (int w = 0; w < 4; w++)
        if (apr[w])
            return w * 32 + __builtin_ctz(apr[w]);
    return -1;
}

static unsigned running_priority(const struct gic_cpu *c)
{
    int g0 = apr_highest(c->apr), g1 = apr_highest(c->nsapr);
    int best = g0 < 0 ? g1 : (g1 < 0 || g0 < g1 ? g0 : g1);

    return best < 0 ? IDLE_PRIORITY : (unsigned)best << 1;
}

/* The highest-priority pending, enabled, inactive interrupt that may go to
 * cpu (lowest ID on a tie), whatever the masks. */
static struct gic_best best_pending(struct gic *gic, unsigned cpu)
{
    struct gic_best best = { GIC_SPURIOUS, IDLE_PRIORITY, false };

    if (!(gic->ctlr & GICD_CTLR_MASK) || !(gic->cpu[cpu].ctlr & (GICC_CTLR_EN_GRP0 | GICC_CTLR_EN_GRP1)))
        return best;
    for (unsigned id = 0; id < gic->n_irqs; id++) {
        const struct gic_irq *s = irq_state(gic, cpu, id);

        if (s->enabled && !s->active && s->prio < best.prio && targets(gic, cpu, id) &&
            is_pending(gic, cpu, id)) {
            best.id = id;
            best.prio = s->prio;
            best.group = s->group;
        }
    }
    return best;
}

/* Whether best passes the priority mask and preempts what is running. */
static bool may_signal(const struct gic_cpu *c, const struct gic_best *best)
{
    return best->id != GIC_SPURIOUS && best->prio < c->pmr &&
           (best->prio & group_mask(c, best->group)) < running_priority(c);
}

static void update_outputs(struct gic *gic)
{
    for (unsigned cpu = 0; cpu < gic->n_cpus; cpu++) {
        struct gic_cpu *c = &gic->cpu[cpu];
        struct gic_best best = best_pending(gic, cpu);
        bool irq = false, fiq = false;

        if (may_signal(c, &best) && ((gic->ctlr >> best.group) & 1) && ((c->ctlr >> best.group) & 1)) {
            if (!best.group && (c->ctlr & GICC_CTLR_FIQEN))
                fiq = true;
            else
                irq = true;
        }
        if (irq != c->irq_out || fiq != c->fiq_out) {
            c->irq_out = irq;
            c->fiq_out = fiq;
            if (gic->out)
                gic->out(gic->opaque, cpu, irq, fiq);
        }
    }
}

/* ---- input lines -------------------------------------------------------- */

static void set_line(struct gic *gic, struct gic_irq *s, bool level)
{
    if (s->level == level)
        return;
    s->level = level;
    if (level && s->edge)
        s->latch = true;
    update_outputs(gic);
}

void gic_set_spi(struct gic *gic, unsigned irq, bool level)
{
    if (irq < GIC_NR_INTERNAL || irq >= gic->n_irqs)
        fatal("gic_set_spi: interrupt ID %u is not an SPI (32..%u)", irq, gic->n_irqs - 1);
    set_line(gic, &gic->spi[irq - GIC_NR_INTERNAL], level);
}

void gic_set_ppi(struct gic *gic, unsigned cpu, unsigned irq, bool level)
{
    if (cpu >= gic->n_cpus || irq < GIC_NR_SGIS || irq >= GIC_NR_INTERNAL)
        fatal("gic_set_ppi: cpu %u, interrupt ID %u (a PPI is 16..31)", cpu, irq);
    set_line(gic, &gic->cpu[cpu].internal[irq], level);
}

/* ---- acknowledge, end of interrupt -------------------------------------- */

static uint32_t with_source(struct gic *gic, unsigned cpu, unsigned id)
{
    uint8_t src = id < GIC_NR_SGIS ? gic->cpu[cpu].sgi_src[id] : 0;

    return src ? id | (uint32_t)__builtin_ctz(src) << 10 : id;
}

static uint32_t acknowledge(struct gic *gic, unsigned cpu)
{
    struct gic_cpu *c = &gic->cpu[cpu];
    struct gic_best best = best_pending(gic, cpu);
    struct gic_irq *s;
    uint32_t iar, bit;

    if (!may_signal(c, &best))
        return GIC_SPURIOUS;
    if (best.group && !(c->ctlr & GICC_CTLR_ACKCTL))
        return SPURIOUS_GRP1;
    iar = with_source(gic, cpu, best.id);
    s = irq_state(gic, cpu, best.id);
    if (best.id < GIC_NR_SGIS)
        c->sgi_src[best.id] &= (uint8_t)~(1u << (iar >> 10));
    s->latch = false;
    s->active = true;
    bit = (best.prio & group_mask(c, best.group)) >> 1;
    (best.group ? c->nsapr : c->apr)[bit / 32] |= 1u << (bit % 32);
    update_outputs(gic);
    return iar;
}

static void deactivate(struct gic *gic, unsigned cpu, unsigned id)
{
    if (id < gic->n_irqs)
        irq_state(gic, cpu, id)->active = false;
}

static void end_of_interrupt(struct gic *gic, unsigned cpu, uint32_t value)
{
    struct gic_cpu *c = &gic->cpu[cpu];
    unsigned id = value & 0x3ff;
    uint32_t *apr;
    int top;

    if (id >= gic->n_irqs || running_priority(c) == IDLE_PRIORITY)
        return;             /* 1022, 1023, out of range, or nothing active */
    apr = irq_state(gic, cpu, id)->group ? c->nsapr : c->apr;
    top = apr_highest(apr);
    if (top >= 0)
        apr[top / 32] &= ~(1u << (top % 32));
    if (!(c->ctlr & GICC_CTLR_EOIMODE))
        deactivate(gic, cpu, id);
    update_outputs(gic);
}

static uint32_t highest_pending_id(struct gic *gic, unsigned cpu)
{
    struct gic_cpu *c = &gic->cpu[cpu];
    struct gic_best best = best_pending(gic, cpu);

    if (best.id == GIC_SPURIOUS || best.prio >= c->pmr)
        return GIC_SPURIOUS;
    if (best.group && !(c->ctlr & GICC_CTLR_ACKCTL))
        return SPURIOUS_GRP1;
    return with_source(gic, cpu, best.id);
}

/* ---- CPU interface ------------------------------------------------------ */

uint32_t gic_cpu_read(struct gic *gic, unsigned cpu, uint32_t offset, unsigned size)
{
    struct gic_cpu *c = &gic->cpu[cpu];

    check_cpu(gic, cpu);
    if (size != 4 || (offset & 3)) {
        bad_offset(gic, "gic_cpu_read", offset);
        return 0;
    }
    if (offset >= GICC_APR0 && offset < GICC_APR0 + 16)
        return c->apr[(offset - GICC_APR0) / 4];
    if (offset >= GICC_NSAPR0 && offset < GICC_NSAPR0 + 16)
        return c->nsapr[(offset - GICC_NSAPR0) / 4];
    switch (offset) {
    case GICC_CTLR:  return c->ctlr;
    case GICC_PMR:   return c->pmr;
    case GICC_BPR:   return c->bpr;
    case GICC_IAR:   return acknowledge(gic, cpu);
    case GICC_RPR:   return running_priority(c) == IDLE_PRIORITY ? 0xff : running_priority(c);
    case GICC_HPPIR: return highest_pending_id(gic, cpu);
    case GICC_ABPR:  return c->abpr;
    case GICC_IIDR:  return GICC_IIDR_VALUE;
    default:         /* EOIR, DIR (write-only), AIAR, AHPPIR (QEMU: bad offset) */
        bad_offset(gic, "gic_cpu_read", offset);
        return 0;
    }
}

static void write_apr(struct gic *gic, uint32_t *apr, uint32_t value)
{
    *apr = value;
    update_outputs(gic);
}

void gic_cpu_write(struct gic *gic, unsigned cpu, uint32_t offset, unsigned size, uint32_t value)
{
    struct gic_cpu *c = &gic->cpu[cpu];

    check_cpu(gic, cpu);
    if (size != 4 || (offset & 3)) {
        bad_offset(gic, "gic_cpu_write", offset);
        return;
    }
    if (offset >= GICC_APR0 && offset < GICC_APR0 + 16)
        return write_apr(gic, &c->apr[(offset - GICC_APR0) / 4], value);
    if (offset >= GICC_NSAPR0 && offset < GICC_NSAPR0 + 16)
        return write_apr(gic, &c->nsapr[(offset - GICC_NSAPR0) / 4], value);
    switch (offset) {
    case GICC_CTLR: c->ctlr = value & GICC_CTLR_MASK; break;
    case GICC_PMR:  c->pmr = value & 0xff; break;
    case GICC_BPR:  c->bpr = value & 7; break;
    case GICC_ABPR: c->abpr = (value & 7) < ABPR_MIN ? ABPR_MIN : value & 7; break;
    case GICC_EOIR: end_of_interrupt(gic, cpu, value); return;
    case GICC_DIR:  deactivate(gic, cpu, value & 0x3ff); break;
    default:        /* IAR, RPR, HPPIR, IIDR (read-only), AEOIR */
        bad_offset(gic, "gic_cpu_write", offset);
        return;
    }
    update_outputs(gic);
}

/* ---- distributor ---------------------------------------------------------
 * Every register but GICD_SGIR is handled a byte at a time, so byte,
 * halfword and word accesses all work, as on QEMU. A byte of a one-bit-
 * per-interrupt register covers 8 IDs, of ICFGR 4, of IPRIORITYR and
 * ITARGETSR 1. */

/* The first ID a byte at offset off of a register based at base covers,
 * with bits bits per ID; -1 if that is beyond the last interrupt. */
static int first_id(const struct gic *gic, uint32_t off, uint32_t base, unsigned bits)
{
    unsigned id = (off - base) * 8 / bits;

    return id < gic->n_irqs ? (int)id : -1;
}

/* A bit per ID: which of enabled/group/pending/active. */
enum gic_bit { BIT_GROUP, BIT_ENABLED, BIT_PENDING, BIT_ACTIVE };

static bool get_bit(struct gic *gic, unsigned cpu, unsigned id, enum gic_bit which)
{
    const struct gic_irq *s = irq_state(gic, cpu, id);

    switch (which) {
    case BIT_GROUP:   return s->group;
    case BIT_ENABLED: return s->enabled;
    case BIT_PENDING: return is_pending(gic, cpu, id);
    default:          return s->active;
    }
}

/* Writes 1 bits of a set (set = true) or clear register. SGIs stay
 * enabled, and their pending state changes only through GICD_SGIR,
 * SPENDSGIR and CPENDSGIR (QEMU ignores ISPENDR/ICPENDR for them). */
static void put_bits(struct gic *gic, unsigned cpu, unsigned id0, uint8_t bits,
                     enum gic_bit which, bool set)
{
    for (unsigned i = 0; i < 8 && id0 + i < gic->n_irqs; i++) {
        struct gic_irq *s = irq_state(gic, cpu, id0 + i);

        if (!((bits >> i) & 1))
            continue;
        if (which == BIT_ENABLED && id0 + i >= GIC_NR_SGIS)
            s->enabled = set;
        else if (which == BIT_PENDING && id0 + i >= GIC_NR_SGIS)
            s->latch = set;
        else if (which == BIT_ACTIVE)
            s->active = set;
    }
}

static int bit_register(uint32_t off, enum gic_bit *which, bool *set)
{
    static const struct { uint32_t base; enum gic_bit which; bool set; } regs[] = {
        { GICD_IGROUPR, BIT_GROUP, true },     { GICD_ISENABLER, BIT_ENABLED, true },
        { GICD_ICENABLER, BIT_ENABLED, false }, { GICD_ISPENDR, BIT_PENDING, true },
        { GICD_ICPENDR, BIT_PENDING, false },  { GICD_ISACTIVER, BIT_ACTIVE, true },
        { GICD_ICACTIVER, BIT_ACTIVE, false },
    };

    for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
        if (off >= regs[i].base && off < regs[i].base + 0x80) {
            *which = regs[i].which;
            *set = regs[i].set;
            return (int)regs[i].base;
        }
    }
    return -1;
}

static uint8_t id_register(uint32_t off)
{
    return (off & 3) ? 0 : gicd_ids[(off - 0xfd0) / 4];
}

/* One byte of the distributor as cpu reads it; *bad when nothing is there. */
static uint8_t dist_read_byte(struct gic *gic, unsigned cpu, uint32_t off, bool *bad)
{
    uint32_t typer = (gic->n_irqs / 32 - 1) | (gic->n_cpus - 1) << 5;
    enum gic_bit which;
    bool set;
    int base = bit_register(off, &which, &set), id;
    uint8_t v = 0;

    if (off < 0xc) {
        uint32_t word = off < 4 ? gic->ctlr : off < 8 ? typer : GICD_IIDR_VALUE;
        return (uint8_t)(word >> 8 * (off & 3));
    }
    if (base >= 0 && (id = first_id(gic, off, (uint32_t)base, 1)) >= 0) {
        for (unsigned i = 0; i < 8; i++)
            v |= (uint8_t)(get_bit(gic, cpu, (unsigned)id + i, which) << i);
        return v;
    }
    if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR && (id = first_id(gic, off, GICD_IPRIORITYR, 8)) >= 0)
        return irq_state(gic, cpu, (unsigned)id)->prio;
    if (off >= GICD_ITARGETSR && off < GICD_ICFGR && gic->n_cpus == 1)
        return 0;           /* uniprocessor: RAZ/WI */
    if (off >= GICD_ITARGETSR && off < GICD_ICFGR && (id = first_id(gic, off, GICD_ITARGETSR, 8)) >= 0)
        return id < GIC_NR_INTERNAL ? (uint8_t)(1u << cpu) : gic->spi[id - GIC_NR_INTERNAL].target;
    if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100 && (id = first_id(gic, off, GICD_ICFGR, 2)) >= 0) {
        for (unsigned i = 0; i < 4; i++)
            v |= (uint8_t)(irq_state(gic, cpu, (unsigned)id + i)->edge << (2 * i + 1));
        return v;
    }
    if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10)
        return gic->cpu[cpu].sgi_src[off & 0xf];
    if (off >= 0xfd0 && off < 0x1000)
        return id_register(off);
    *bad = true;
    return 0;
}

static void write_config(struct gic *gic, unsigned cpu, unsigned id0, uint8_t value)
{
    for (unsigned i = 0; i < 4; i++)
        if (id0 + i >= GIC_NR_SGIS)     /* SGIs are always edge-triggered */
            irq_state(gic, cpu, id0 + i)->edge = (value >> (2 * i + 1)) & 1;
}

static void write_sgi_pending(struct gic *gic, unsigned cpu, uint32_t off, uint8_t value)
{
    uint8_t *src = &gic->cpu[cpu].sgi_src[off & 0xf];

    if (off < GICD_SPENDSGIR)
        *src &= (uint8_t)~value;
    else
        *src |= value & all_cpus(gic);
}

/* One byte of a distributor write; false when nothing is there. */
static bool dist_write_byte(struct gic *gic, unsigned cpu, uint32_t off, uint8_t value)
{
    enum gic_bit which;
    bool set;
    int base = bit_register(off, &which, &set), id;

    if (off < 0xc) {
        if (off == GICD_CTLR)
            gic->ctlr = value & GICD_CTLR_MASK;
        return true;        /* TYPER, IIDR: read-only */
    }
    if (base >= 0 && (id = first_id(gic, off, (uint32_t)base, 1)) >= 0) {
        if (which == BIT_GROUP) {
            for (unsigned i = 0; i < 8 && (unsigned)id + i < gic->n_irqs; i++)
                irq_state(gic, cpu, (unsigned)id + i)->group = (value >> i) & 1;
        } else {
            put_bits(gic, cpu, (unsigned)id, value, which, set);
        }
        return true;
    }
    if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR && (id = first_id(gic, off, GICD_IPRIORITYR, 8)) >= 0) {
        irq_state(gic, cpu, (unsigned)id)->prio = value;
        return true;
    }
    if (off >= GICD_ITARGETSR && off < GICD_ICFGR && gic->n_cpus == 1)
        return true;
    if (off >= GICD_ITARGETSR && off < GICD_ICFGR && (id = first_id(gic, off, GICD_ITARGETSR, 8)) >= 0) {
        if (id >= GIC_NR_INTERNAL)      /* SGI and PPI bytes are read-only */
            gic->spi[id - GIC_NR_INTERNAL].target = value;
        return true;
    }
    if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100 && (id = first_id(gic, off, GICD_ICFGR, 2)) >= 0) {
        write_config(gic, cpu, (unsigned)id, value);
        return true;
    }
    if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
        write_sgi_pending(gic, cpu, off, value);
        return true;
    }
    return off >= 0xfd0 && off < 0x1000;    /* ID registers: read-only */
}

/* GICD_SGIR: TargetListFilter [25:24], CPUTargetList [23:16], ID [3:0]. */
static void send_sgi(struct gic *gic, unsigned cpu, uint32_t value)
{
    unsigned id = value & 0xf;
    uint8_t list;

    switch ((value >> 24) & 3) {
    case 0:  list = (uint8_t)(value >> 16); break;
    case 1:  list = (uint8_t)~(1u << cpu); break;
    case 2:  list = (uint8_t)(1u << cpu); break;
    default: return;        /* reserved filter: nothing is sent */
    }
    list &= all_cpus(gic);
    for (unsigned t = 0; t < gic->n_cpus; t++)
        if ((list >> t) & 1)
            gic->cpu[t].sgi_src[id] |= (uint8_t)(1u << cpu);
}

uint32_t gic_dist_read(struct gic *gic, unsigned cpu, uint32_t offset, unsigned size)
{
    uint32_t value = 0;
    bool bad = false;

    check_cpu(gic, cpu);
    for (unsigned i = 0; i < size; i++)
        value |= (uint32_t)dist_read_byte(gic, cpu, offset + i, &bad) << (8 * i);
    if (bad)
        bad_offset(gic, "gic_dist_read", offset);
    return value;
}

void gic_dist_write(struct gic *gic, unsigned cpu, uint32_t offset, unsigned size, uint32_t value)
{
    bool ok = true;

    check_cpu(gic, cpu);
    if (offset >= GICD_SGIR && offset < GICD_SGIR + 4) {
        if (size == 4 && offset == GICD_SGIR)
            send_sgi(gic, cpu, value);
        else
            ok = false;
    } else {
        for (unsigned i = 0; i < size; i++)
            ok &= dist_write_byte(gic, cpu, offset + i, (uint8_t)(value >> (8 * i)));
    }
    if (!ok)
        bad_offset(gic, "gic_dist_write", offset);
    update_outputs(gic);
}
