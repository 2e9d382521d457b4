/*
 * test_emu_gic.c — the GICv2 model (emu/gic.c).
 *
 * A fake board records every out() call. Register values and the
 * acknowledge / EOI behaviour expected here were measured on QEMU 7.2 by
 * probe images (docs/design/devices.md, "Devices"); the level-sensitive
 * pending rules are the architecture's.
 */
#include "emu/gic.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define NCPUS 4

struct fake_board {
    unsigned calls;
    unsigned calls_per_cpu[GIC_MAX_CPUS];
    bool irq[GIC_MAX_CPUS], fiq[GIC_MAX_CPUS];
};

static struct fake_board board;
static struct gic *gic;

static void record_out(void *opaque, unsigned cpu, bool irq, bool fiq)
{
    struct fake_board *b = opaque;

    b->calls++;
    b->calls_per_cpu[cpu]++;
    b->irq[cpu] = irq;
    b->fiq[cpu] = fiq;
}

static void dwrite(unsigned cpu, uint32_t off, uint32_t v) { gic_dist_write(gic, cpu, off, 4, v); }
static uint32_t dread(unsigned cpu, uint32_t off) { return gic_dist_read(gic, cpu, off, 4); }
static void cwrite(unsigned cpu, uint32_t off, uint32_t v) { gic_cpu_write(gic, cpu, off, 4, v); }
static uint32_t cread(unsigned cpu, uint32_t off) { return gic_cpu_read(gic, cpu, off, 4); }
static uint32_t ack(unsigned cpu) { return cread(cpu, GICC_IAR); }
static void eoi(unsigned cpu, uint32_t iar) { cwrite(cpu, GICC_EOIR, iar); }

static void sgi(unsigned from, unsigned filter, unsigned list, unsigned id)
{
    dwrite(from, GICD_SGIR, filter << 24 | list << 16 | id);
}

/* What the runtime's gic_dist_init/gic_cpu_init do, for every CPU. */
static void enable_all(struct gic *g, unsigned n)
{
    gic_dist_write(g, 0, GICD_CTLR, 4, 1);
    for (unsigned c = 0; c < n; c++) {
        gic_cpu_write(g, c, GICC_PMR, 4, 0xff);
        gic_cpu_write(g, c, GICC_BPR, 4, 0);
        gic_cpu_write(g, c, GICC_CTLR, 4, 1);
    }
}

static void enable_irq(unsigned cpu, unsigned id, uint8_t prio)
{
    gic_dist_write(gic, cpu, GICD_IPRIORITYR + id, 1, prio);
    dwrite(cpu, GICD_ISENABLER + 4 * (id / 32), 1u << (id % 32));
}

static void setup(void)
{
    memset(&board, 0, sizeof(board));
    gic = gic_new(NCPUS, GIC_VIRT_NR_IRQS, record_out, &board);
    enable_all(gic, NCPUS);
}

static void teardown(void)
{
    gic_free(gic);
}

/* ---- identification ----------------------------------------------------- */

START_TEST(typer_reports_288_irqs_and_the_cpu_count)
{
    struct gic *one = gic_new(1, GIC_VIRT_NR_IRQS, NULL, NULL);

    ck_assert_uint_eq(dread(0, GICD_TYPER), 0x68);     /* ITLines 8, CPUNumber 3 */
    ck_assert_uint_eq(gic_dist_read(one, 0, GICD_TYPER, 4), 0x08);
    gic_free(one);
}
END_TEST

START_TEST(iidr_and_id_registers_match_qemu)
{
    static const uint32_t ids[12] = { 0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0, 0x0d, 0xf0, 0x05, 0xb1 };

    ck_assert_uint_eq(dread(0, GICD_IIDR), 0x43b);
    ck_assert_uint_eq(cread(0, GICC_IIDR), 0x0002043b);
    for (unsigned i = 0; i < 12; i++)
        ck_assert_uint_eq(dread(0, 0xfd0 + 4 * i), ids[i]);
}
END_TEST

START_TEST(ctlr_registers_keep_only_their_bits)
{
    dwrite(0, GICD_CTLR, 0xffffffff);
    cwrite(0, GICC_CTLR, 0xffffffff);
    ck_assert_uint_eq(dread(0, GICD_CTLR), 3);
    ck_assert_uint_eq(cread(0, GICC_CTLR), 0x21f);
}
END_TEST

START_TEST(binary_points_clamp_like_qemu)
{
    cwrite(0, GICC_BPR, 0xff);
    ck_assert_uint_eq(cread(0, GICC_BPR), 7);
    ck_assert_uint_eq(cread(0, GICC_ABPR), 1);         /* reset */
    cwrite(0, GICC_ABPR, 0);
    ck_assert_uint_eq(cread(0, GICC_ABPR), 1);
    cwrite(0, GICC_PMR, 0x1ff);
    ck_assert_uint_eq(cread(0, GICC_PMR), 0xff);
}
END_TEST

/* ---- distributor registers ---------------------------------------------- */

START_TEST(sgis_are_always_enabled_and_edge_triggered)
{
    ck_assert_uint_eq(dread(0, GICD_ISENABLER), 0x0000ffff);
    dwrite(0, GICD_ICENABLER, 0xffffffff);
    ck_assert_uint_eq(dread(0, GICD_ISENABLER), 0x0000ffff);
    dwrite(0, GICD_ICFGR, 0);
    ck_assert_uint_eq(dread(0, GICD_ICFGR), 0xaaaaaaaa);
}
END_TEST

START_TEST(enable_bits_of_ppis_are_banked_and_of_spis_shared)
{
    dwrite(1, GICD_ISENABLER, 1u << 27);
    dwrite(1, GICD_ISENABLER + 4, 1u << 1);
    ck_assert_uint_eq(dread(1, GICD_ISENABLER), 0x0800ffff);
    ck_assert_uint_eq(dread(0, GICD_ISENABLER), 0x0000ffff);
    ck_assert_uint_eq(dread(0, GICD_ISENABLER + 4), 2);
    dwrite(2, GICD_ICENABLER + 4, 2);
    ck_assert_uint_eq(dread(1, GICD_ISENABLER + 4), 0);
}
END_TEST

START_TEST(priority_bytes_read_back_and_sgi_ones_are_banked)
{
    gic_dist_write(gic, 0, GICD_IPRIORITYR + 3, 1, 0xff);
    gic_dist_write(gic, 1, GICD_IPRIORITYR + 3, 1, 0x40);
    dwrite(0, GICD_IPRIORITYR + 36, 0x12345678);
    ck_assert_uint_eq(dread(0, GICD_IPRIORITYR), 0xff000000);
    ck_assert_uint_eq(dread(1, GICD_IPRIORITYR), 0x40000000);
    ck_assert_uint_eq(gic_dist_read(gic, 2, GICD_IPRIORITYR + 37, 1), 0x56);
    ck_assert_uint_eq(gic_dist_read(gic, 2, GICD_IPRIORITYR + 38, 2), 0x1234);
}
END_TEST

START_TEST(itargetsr_sgi_bytes_read_the_reading_cpus_own_bit)
{
    ck_assert_uint_eq(dread(0, GICD_ITARGETSR), 0x01010101);
    ck_assert_uint_eq(dread(2, GICD_ITARGETSR + 28), 0x04040404);
    dwrite(2, GICD_ITARGETSR, 0xffffffff);      /* read-only */
    ck_assert_uint_eq(dread(2, GICD_ITARGETSR), 0x04040404);
}
END_TEST

START_TEST(itargetsr_spi_bytes_read_back_as_written)
{
    ck_assert_uint_eq(dread(0, GICD_ITARGETSR + 32), 0);
    gic_dist_write(gic, 0, GICD_ITARGETSR + 34, 1, 0xff);
    ck_assert_uint_eq(dread(1, GICD_ITARGETSR + 32), 0x00ff0000);
}
END_TEST

START_TEST(uniprocessor_itargetsr_reads_zero_yet_spis_reach_cpu0)
{
    struct gic *one = gic_new(1, GIC_VIRT_NR_IRQS, record_out, &board);

    enable_all(one, 1);
    gic_dist_write(one, 0, GICD_ITARGETSR + 33, 1, 0x02);
    ck_assert_uint_eq(gic_dist_read(one, 0, GICD_ITARGETSR, 4), 0);
    ck_assert_uint_eq(gic_dist_read(one, 0, GICD_ITARGETSR + 32, 4), 0);
    gic_dist_write(one, 0, GICD_ISENABLER + 4, 4, 2);
    gic_set_spi(one, 33, true);
    ck_assert_uint_eq(gic_cpu_read(one, 0, GICC_IAR, 4), 33);
    gic_free(one);
}
END_TEST

START_TEST(icfgr_spi_and_ppi_fields_take_the_edge_bit_only)
{
    ck_assert_uint_eq(dread(0, GICD_ICFGR + 4), 0);
    dwrite(0, GICD_ICFGR + 4, 0xffffffff);
    dwrite(0, GICD_ICFGR + 8, 0xffffffff);
    ck_assert_uint_eq(dread(0, GICD_ICFGR + 4), 0xaaaaaaaa);
    ck_assert_uint_eq(dread(1, GICD_ICFGR + 4), 0);      /* PPI config is banked */
    ck_assert_uint_eq(dread(1, GICD_ICFGR + 8), 0xaaaaaaaa);
}
END_TEST

START_TEST(igroupr_is_writable)
{
    dwrite(0, GICD_IGROUPR, 0xffffffff);
    ck_assert_uint_eq(dread(0, GICD_IGROUPR), 0xffffffff);
    ck_assert_uint_eq(dread(1, GICD_IGROUPR), 0);
}
END_TEST

START_TEST(registers_beyond_the_last_interrupt_and_holes_are_logged)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *log = open_memstream(&buf, &len);

    gic_set_guest_errors(gic, log);
    ck_assert_uint_eq(dread(0, GICD_ISENABLER + 36), 0);    /* IDs 288..319 */
    ck_assert_uint_eq(dread(0, 0xc), 0);
    ck_assert_uint_eq(dread(0, GICD_SGIR), 0);              /* write-only */
    ck_assert_uint_eq(cread(0, GICC_AIAR), 0);
    cwrite(0, GICC_IAR, 5);
    fclose(log);
    ck_assert_str_eq(buf, "gic_dist_read: Bad offset 0x124\ngic_dist_read: Bad offset 0xc\n"
                          "gic_dist_read: Bad offset 0xf00\ngic_cpu_read: Bad offset 0x20\n"
                          "gic_cpu_write: Bad offset 0xc\n");
    free(buf);
}
END_TEST

/* ---- SGIs --------------------------------------------------------------- */

START_TEST(sgi_to_a_target_list_pends_on_exactly_those_cpus)
{
    sgi(0, 0, 0x0a, 5);             /* CPUs 1 and 3 */
    for (unsigned c = 0; c < NCPUS; c++)
        ck_assert_uint_eq(dread(c, GICD_ISPENDR), (c == 1 || c == 3) ? 1u << 5 : 0);
}
END_TEST

START_TEST(sgi_to_others_skips_the_sender)
{
    sgi(2, 1, 0, 7);
    for (unsigned c = 0; c < NCPUS; c++)
        ck_assert_uint_eq(dread(c, GICD_ISPENDR), c == 2 ? 0 : 1u << 7);
}
END_TEST

START_TEST(sgi_to_self_ignores_the_list)
{
    sgi(3, 2, 0x01, 4);
    for (unsigned c = 0; c < NCPUS; c++)
        ck_assert_uint_eq(dread(c, GICD_ISPENDR), c == 3 ? 1u << 4 : 0);
}
END_TEST

START_TEST(sgi_reserved_filter_and_absent_cpus_send_nothing)
{
    sgi(0, 3, 0xff, 4);
    sgi(0, 0, 0xf0, 4);             /* CPUs 4..7 do not exist */
    for (unsigned c = 0; c < NCPUS; c++)
        ck_assert_uint_eq(dread(c, GICD_ISPENDR), 0);
    ck_assert_uint_eq(board.calls, 0);
}
END_TEST

START_TEST(sgir_needs_a_word_write)
{
    gic_dist_write(gic, 0, GICD_SGIR, 1, 0x02000003);
    gic_dist_write(gic, 0, GICD_SGIR, 2, 3);
    ck_assert_uint_eq(dread(0, GICD_ISPENDR), 0);
}
END_TEST

START_TEST(iar_reports_the_sgi_source_cpu)
{
    sgi(3, 0, 0x02, 9);
    ck_assert_uint_eq(ack(1), 9 | 3u << 10);
}
END_TEST

START_TEST(sgi_from_two_sources_is_taken_once_per_source)
{
    uint32_t a, b;

    sgi(2, 0, 0x01, 6);
    sgi(1, 0, 0x01, 6);
    a = ack(0);
    ck_assert_uint_eq(a, 6 | 1u << 10);            /* lowest source first */
    ck_assert_uint_eq(ack(0), GIC_SPURIOUS);       /* the SGI is active */
    ck_assert_uint_eq(dread(0, GICD_ISPENDR), 1u << 6);
    eoi(0, a);
    b = ack(0);
    ck_assert_uint_eq(b, 6 | 2u << 10);
    eoi(0, b);
    ck_assert_uint_eq(ack(0), GIC_SPURIOUS);
}
END_TEST

START_TEST(a_repeated_sgi_from_the_same_source_merges)
{
    sgi(1, 0, 0x01, 2);
    sgi(1, 0, 0x01, 2);
    eoi(0, ack(0));
    ck_assert_uint_eq(ack(0), GIC_SPURIOUS);
}
END_TEST

START_TEST(spendsgir_and_cpendsgir_show_and_change_the_sources)
{
    sgi(0, 2, 0, 5);
    ck_assert_uint_eq(dread(0, GICD_SPENDSGIR + 4), 0x00000100);   /* SGI 5 byte, source 0 */
    ck_assert_uint_eq(dread(0, GICD_CPENDSGIR + 4), 0x00000100);
    gic_dist_write(gic, 0, GICD_SPENDSGIR + 5, 1, 0x06);
    ck_assert_uint_eq(dread(0, GICD_SPENDSGIR + 4), 0x00000700);
    gic_dist_write(gic, 0, GICD_CPENDSGIR + 5, 1, 0x03);
    ck_assert_uint_eq(dread(0, GICD_SPENDSGIR + 4), 0x00000400);
    ck_assert_uint_eq(ack(0), 5 | 2u << 10);
}
END_TEST

START_TEST(ispendr_and_icpendr_ignore_sgis)
{
    dwrite(0, GICD_ISPENDR, 1u << 7);
    ck_assert_uint_eq(dread(0, GICD_ISPENDR), 0);
    sgi(0, 2, 0, 7);
    dwrite(0, GICD_ICPENDR, 1u << 7);
    ck_assert_uint_eq(dread(0, GICD_ISPENDR), 1u << 7);
}
END_TEST

/* ---- SPIs and PPIs ------------------------------------------------------ */

START_TEST(level_spi_is_pending_while_its_line_is_high)
{
    gic_set_spi(gic, 33, true);
    ck_assert_uint_eq(dread(0, GICD_ISPENDR + 4), 2);
    gic_set_spi(gic, 33, false);
    ck_assert_uint_eq(dread(0, GICD_ISPENDR + 4), 0);
}
END_TEST

START_TEST(spi_goes_only_to_its_target_cpus)
{
    enable_irq(0, 33, 0);
    gic_set_spi(gic, 33, true);
    for (unsigned c = 0; c < NCPUS; c++)
        ck_assert(!board.irq[c]);
    gic_dist_write(gic, 0, GICD_ITARGETSR + 33, 1, 0x04);
    ck_assert(board.irq[2]);
    ck_assert(!board.irq[0]);
    ck_assert_uint_eq(ack(0), GIC_SPURIOUS);
    ck_assert_uint_eq(ack(2), 33);
}
END_TEST

START_TEST(acked_level_spi_stays_pending_while_high_and_returns_after_eoi)
{
    enable_irq(0, 33, 0x10);
    gic_dist_write(gic, 0, GICD_ITARGETSR + 33, 1, 0x01);
    gic_set_spi(gic, 33, true);
    ck_assert_uint_eq(ack(0), 33);
    ck_assert_uint_eq(dread(0, GICD_ISPENDR + 4), 2);
    ck_assert_uint_eq(dread(0, GICD_ISACTIVER + 4), 2);
    ck_assert(!board.irq[0]);
    eoi(0, 33);
    ck_assert(board.irq[0]);
    ck_assert_uint_eq(ack(0), 33);
    gic_set_spi(gic, 33, false);
    eoi(0, 33);
    ck_assert_uint_eq(ack(0), GIC_SPURIOUS);
}
END_TEST

START_TEST(edge_spi_latches_on_a_rising_edge_until_acknowledged)
{
    enable_irq(0, 40, 0);
    gic_dist_write(gic, 0, GICD_ITARGETSR + 40, 1, 0x01);
    dwrite(0, GICD_ICFGR + 8, 2u << 16);          /* ID 40: edge */
    gic_set_spi(gic, 40, true);
    gic_set_spi(gic, 40, false);
    ck_assert_uint_eq(dread(0, GICD_ISPENDR + 4), 1u << 8);
    gic_set_spi(gic, 40, true);                    /* no new edge while latched */
    ck_assert_uint_eq(ack(0), 40);
    ck_assert_uint_eq(dread(0, GICD_ISPENDR + 4), 0);   /* the line is still high */
}
END_TEST

START_TEST(ispendr_latches_an_spi_and_icpendr_clears_it)
{
    dwrite(0, GICD_ISPENDR + 4, 2);
    ck_assert_uint_eq(dread(0, GICD_ISPENDR + 4), 2);
    dwrite(0, GICD_ICPENDR + 4, 2);
    ck_assert_uint_eq(dread(0, GICD_ISPENDR + 4), 0);
}
END_TEST

START_TEST(a_disabled_spi_pends_but_is_not_signalled)
{
    gic_dist_write(gic, 0, GICD_ITARGETSR + 33, 1, 0x01);
    gic_set_spi(gic, 33, true);
    ck_assert_uint_eq(dread(0, GICD_ISPENDR + 4), 2);
    ck_assert(!board.irq[0]);
    ck_assert_uint_eq(ack(0), GIC_SPURIOUS);
    dwrite(0, GICD_ISENABLER + 4, 2);
    ck_assert(board.irq[0]);
}
END_TEST

START_TEST(ppi_lines_are_per_cpu)
{
    enable_irq(1, 27, 0);
    enable_irq(2, 27, 0);
    gic_set_ppi(gic, 1, 27, true);
    ck_assert(board.irq[1]);
    ck_assert(!board.irq[2]);
    ck_assert_uint_eq(dread(2, GICD_ISPENDR), 0);
    ck_assert_uint_eq(ack(2), GIC_SPURIOUS);
    ck_assert_uint_eq(ack(1), 27);
}
END_TEST

START_TEST(set_line_to_its_current_level_changes_nothing)
{
    enable_irq(0, 30, 0);
    gic_set_ppi(gic, 0, 30, true);
    ck_assert_uint_eq(board.calls, 1);
    gic_set_ppi(gic, 0, 30, true);
    ck_assert_uint_eq(board.calls, 1);
}
END_TEST

/* ---- acknowledge, priorities, EOI --------------------------------------- */

START_TEST(spurious_1023_when_nothing_is_pending)
{
    ck_assert_uint_eq(ack(0), GIC_SPURIOUS);
    ck_assert_uint_eq(cread(0, GICC_HPPIR), GIC_SPURIOUS);
    ck_assert_uint_eq(cread(0, GICC_RPR), 0xff);
}
END_TEST

START_TEST(spurious_1023_when_the_distributor_or_cpu_interface_is_off)
{
    sgi(0, 2, 0, 3);
    dwrite(0, GICD_CTLR, 0);
    ck_assert_uint_eq(ack(0), GIC_SPURIOUS);
    dwrite(0, GICD_CTLR, 1);
    cwrite(0, GICC_CTLR, 0);
    ck_assert_uint_eq(ack(0), GIC_SPURIOUS);
    cwrite(0, GICC_CTLR, 1);
    ck_assert_uint_eq(ack(0), 3);
}
END_TEST

START_TEST(acknowledge_moves_pending_to_active_and_sets_running_priority)
{
    gic_dist_write(gic, 0, GICD_IPRIORITYR + 3, 1, 0x20);
    sgi(0, 2, 0, 3);
    ck_assert_uint_eq(cread(0, GICC_HPPIR), 3);
    ck_assert_uint_eq(ack(0), 3);
    ck_assert_uint_eq(dread(0, GICD_ISPENDR), 0);
    ck_assert_uint_eq(dread(0, GICD_ISACTIVER), 1u << 3);
    ck_assert_uint_eq(cread(0, GICC_RPR), 0x20);
    ck_assert_uint_eq(cread(0, GICC_APR0), 1u << 16);
    eoi(0, 3);
    ck_assert_uint_eq(dread(0, GICD_ISACTIVER), 0);
    ck_assert_uint_eq(cread(0, GICC_RPR), 0xff);
    ck_assert_uint_eq(cread(0, GICC_APR0), 0);
}
END_TEST

START_TEST(highest_priority_first_then_lowest_id)
{
    gic_dist_write(gic, 0, GICD_IPRIORITYR + 5, 1, 0x40);
    gic_dist_write(gic, 0, GICD_IPRIORITYR + 6, 1, 0x20);
    gic_dist_write(gic, 0, GICD_IPRIORITYR + 7, 1, 0x20);
    sgi(0, 2, 0, 7);
    sgi(0, 2, 0, 5);
    sgi(0, 2, 0, 6);
    ck_assert_uint_eq(ack(0), 6);
    eoi(0, 6);
    ck_assert_uint_eq(ack(0), 7);
    eoi(0, 7);
    ck_assert_uint_eq(ack(0), 5);
}
END_TEST

START_TEST(pmr_masks_equal_and_lower_priorities)
{
    gic_dist_write(gic, 0, GICD_IPRIORITYR + 6, 1, 0x20);
    sgi(0, 2, 0, 6);
    cwrite(0, GICC_PMR, 0x20);
    ck_assert(!board.irq[0]);
    ck_assert_uint_eq(ack(0), GIC_SPURIOUS);
    ck_assert_uint_eq(cread(0, GICC_HPPIR), GIC_SPURIOUS);
    cwrite(0, GICC_PMR, 0x21);
    ck_assert(board.irq[0]);
    ck_assert_uint_eq(ack(0), 6);
}
END_TEST

START_TEST(only_a_higher_group_priority_preempts)
{
    gic_dist_write(gic, 0, GICD_IPRIORITYR + 5, 1, 0x50);
    gic_dist_write(gic, 0, GICD_IPRIORITYR + 6, 1, 0x40);
    cwrite(0, GICC_BPR, 4);                        /* group priority = bits [7:5] */
    sgi(0, 2, 0, 5);
    ck_assert_uint_eq(ack(0), 5);
    ck_assert_uint_eq(cread(0, GICC_RPR), 0x40);
    sgi(0, 2, 0, 6);
    ck_assert(!board.irq[0]);                      /* 0x40 and 0x50 share group 0x40 */
    ck_assert_uint_eq(ack(0), GIC_SPURIOUS);
    eoi(0, 5);
    eoi(0, ack(0));
    cwrite(0, GICC_BPR, 3);                        /* bits [7:4]: 0x40 < 0x50 */
    sgi(0, 2, 0, 5);
    ck_assert_uint_eq(ack(0), 5);
    ck_assert_uint_eq(cread(0, GICC_RPR), 0x50);
    sgi(0, 2, 0, 6);
    ck_assert(board.irq[0]);
    ck_assert_uint_eq(ack(0), 6);
    ck_assert_uint_eq(cread(0, GICC_RPR), 0x40);
}
END_TEST

START_TEST(eoi_drops_the_highest_priority_and_deactivates_the_named_id)
{
    gic_dist_write(gic, 0, GICD_IPRIORITYR + 5, 1, 0x40);
    gic_dist_write(gic, 0, GICD_IPRIORITYR + 6, 1, 0x20);
    sgi(0, 2, 0, 5);
    ck_assert_uint_eq(ack(0), 5);
    sgi(0, 2, 0, 6);
    ck_assert_uint_eq(ack(0), 6);
    eoi(0, 5);                                     /* out of order, as QEMU allows */
    ck_assert_uint_eq(cread(0, GICC_RPR), 0x40);
    ck_assert_uint_eq(dread(0, GICD_ISACTIVER), 1u << 6);
    eoi(0, 6);
    ck_assert_uint_eq(cread(0, GICC_RPR), 0xff);
    ck_assert_uint_eq(dread(0, GICD_ISACTIVER), 0);
}
END_TEST

START_TEST(eoi_with_nothing_active_is_ignored)
{
    dwrite(0, GICD_ISACTIVER, 1u << 9);
    eoi(0, 9);
    ck_assert_uint_eq(dread(0, GICD_ISACTIVER), 1u << 9);
    eoi(0, GIC_SPURIOUS);
    ck_assert_uint_eq(cread(0, GICC_RPR), 0xff);
}
END_TEST

START_TEST(eoimode_splits_priority_drop_from_deactivation)
{
    cwrite(0, GICC_CTLR, GICC_CTLR_EN_GRP0 | GICC_CTLR_EOIMODE);
    sgi(0, 2, 0, 3);
    ck_assert_uint_eq(ack(0), 3);
    eoi(0, 3);
    ck_assert_uint_eq(cread(0, GICC_RPR), 0xff);
    ck_assert_uint_eq(dread(0, GICD_ISACTIVER), 1u << 3);
    sgi(0, 2, 0, 3);
    ck_assert_uint_eq(ack(0), GIC_SPURIOUS);       /* still active */
    cwrite(0, GICC_DIR, 3);
    ck_assert_uint_eq(dread(0, GICD_ISACTIVER), 0);
    ck_assert_uint_eq(ack(0), 3);
}
END_TEST

START_TEST(group1_reads_1022_unless_ackctl_is_set)
{
    dwrite(0, GICD_IGROUPR, 1u << 3);
    sgi(0, 2, 0, 3);
    ck_assert_uint_eq(cread(0, GICC_HPPIR), 1022);
    ck_assert_uint_eq(ack(0), 1022);
    cwrite(0, GICC_CTLR, GICC_CTLR_EN_GRP0 | GICC_CTLR_EN_GRP1 | GICC_CTLR_ACKCTL);
    ck_assert_uint_eq(ack(0), 3);
    ck_assert_uint_eq(cread(0, GICC_NSAPR0), 1);
    ck_assert_uint_eq(cread(0, GICC_APR0), 0);
}
END_TEST

START_TEST(group1_is_signalled_only_when_both_enable_it)
{
    dwrite(0, GICD_IGROUPR, 1u << 3);
    sgi(0, 2, 0, 3);
    ck_assert(!board.irq[0]);
    cwrite(0, GICC_CTLR, GICC_CTLR_EN_GRP1);
    ck_assert(!board.irq[0]);                      /* the distributor's Grp1 is off */
    dwrite(0, GICD_CTLR, 2);
    ck_assert(board.irq[0]);
}
END_TEST

START_TEST(group0_is_fiq_only_with_fiqen)
{
    sgi(0, 2, 0, 3);
    ck_assert(board.irq[0] && !board.fiq[0]);
    cwrite(0, GICC_CTLR, GICC_CTLR_EN_GRP0 | GICC_CTLR_FIQEN);
    ck_assert(!board.irq[0] && board.fiq[0]);
}
END_TEST

/* ---- outputs ------------------------------------------------------------ */

START_TEST(out_is_called_exactly_when_a_cpus_line_changes)
{
    sgi(0, 0, 0x06, 1);                            /* CPUs 1 and 2 go high */
    ck_assert_uint_eq(board.calls, 2);
    ck_assert(board.irq[1] && board.irq[2]);
    sgi(0, 0, 0x06, 2);                            /* already high: no call */
    ck_assert_uint_eq(board.calls, 2);
    ck_assert_uint_eq(ack(1), 1);                  /* SGI 2 cannot preempt SGI 1 (same priority) */
    ck_assert_uint_eq(board.calls, 3);
    ck_assert(!board.irq[1]);
    eoi(1, 1);                                     /* SGI 2 is next */
    ck_assert_uint_eq(board.calls, 4);
    ck_assert(board.irq[1]);
    ck_assert_uint_eq(board.calls_per_cpu[0] + board.calls_per_cpu[3], 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("emu_gic");
    TCase *tc = tcase_create("emu_gic");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, typer_reports_288_irqs_and_the_cpu_count);
    tcase_add_test(tc, iidr_and_id_registers_match_qemu);
    tcase_add_test(tc, ctlr_registers_keep_only_their_bits);
    tcase_add_test(tc, binary_points_clamp_like_qemu);
    tcase_add_test(tc, sgis_are_always_enabled_and_edge_triggered);
    tcase_add_test(tc, enable_bits_of_ppis_are_banked_and_of_spis_shared);
    tcase_add_test(tc, priority_bytes_read_back_and_sgi_ones_are_banked);
    tcase_add_test(tc, itargetsr_sgi_bytes_read_the_reading_cpus_own_bit);
    tcase_add_test(tc, itargetsr_spi_bytes_read_back_as_written);
    tcase_add_test(tc, uniprocessor_itargetsr_reads_zero_yet_spis_reach_cpu0);
    tcase_add_test(tc, icfgr_spi_and_ppi_fields_take_the_edge_bit_only);
    tcase_add_test(tc, igroupr_is_writable);
    tcase_add_test(tc, registers_beyond_the_last_interrupt_and_holes_are_logged);
    tcase_add_test(tc, sgi_to_a_target_list_pends_on_exactly_those_cpus);
    tcase_add_test(tc, sgi_to_others_skips_the_sender);
    tcase_add_test(tc, sgi_to_self_ignores_the_list);
    tcase_add_test(tc, sgi_reserved_filter_and_absent_cpus_send_nothing);
    tcase_add_test(tc, sgir_needs_a_word_write);
    tcase_add_test(tc, iar_reports_the_sgi_source_cpu);
    tcase_add_test(tc, sgi_from_two_sources_is_taken_once_per_source);
    tcase_add_test(tc, a_repeated_sgi_from_the_same_source_merges);
    tcase_add_test(tc, spendsgir_and_cpendsgir_show_and_change_the_sources);
    tcase_add_test(tc, ispendr_and_icpendr_ignore_sgis);
    tcase_add_test(tc, level_spi_is_pending_while_its_line_is_high);
    tcase_add_test(tc, spi_goes_only_to_its_target_cpus);
    tcase_add_test(tc, acked_level_spi_stays_pending_while_high_and_returns_after_eoi);
    tcase_add_test(tc, edge_spi_latches_on_a_rising_edge_until_acknowledged);
    tcase_add_test(tc, ispendr_latches_an_spi_and_icpendr_clears_it);
    tcase_add_test(tc, a_disabled_spi_pends_but_is_not_signalled);
    tcase_add_test(tc, ppi_lines_are_per_cpu);
    tcase_add_test(tc, set_line_to_its_current_level_changes_nothing);
    tcase_add_test(tc, spurious_1023_when_nothing_is_pending);
    tcase_add_test(tc, spurious_1023_when_the_distributor_or_cpu_interface_is_off);
    tcase_add_test(tc, acknowledge_moves_pending_to_active_and_sets_running_priority);
    tcase_add_test(tc, highest_priority_first_then_lowest_id);
    tcase_add_test(tc, pmr_masks_equal_and_lower_priorities);
    tcase_add_test(tc, only_a_higher_group_priority_preempts);
    tcase_add_test(tc, eoi_drops_the_highest_priority_and_deactivates_the_named_id);
    tcase_add_test(tc, eoi_with_nothing_active_is_ignored);
    tcase_add_test(tc, eoimode_splits_priority_drop_from_deactivation);
    tcase_add_test(tc, group1_reads_1022_unless_ackctl_is_set);
    tcase_add_test(tc, group1_is_signalled_only_when_both_enable_it);
    tcase_add_test(tc, group0_is_fiq_only_with_fiqen);
    tcase_add_test(tc, out_is_called_exactly_when_a_cpus_line_changes);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
