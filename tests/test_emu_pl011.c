/*
 * test_emu_pl011.c — the PL011 UART model (emu/pl011.c).
 *
 * Output goes to an in-memory stream (open_memstream). The expected
 * register values were read on QEMU 7.2 by a probe image
 * (docs/design/devices.md, "Devices").
 */
#include "emu/pl011.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char *out_buf, *log_buf;
static size_t out_len, log_len;
static FILE *out, *log_f;
static struct pl011 *uart;

static void setup(void)
{
    out = open_memstream(&out_buf, &out_len);
    log_f = open_memstream(&log_buf, &log_len);
    uart = pl011_new(out);
    pl011_set_guest_errors(uart, log_f);
}

static void teardown(void)
{
    pl011_free(uart);
    fclose(out);
    fclose(log_f);
    free(out_buf);
    free(log_buf);
}

START_TEST(dr_write_sends_the_byte_at_once)
{
    pl011_write(uart, PL011_DR, 4, 'h');
    pl011_write(uart, PL011_DR, 1, 0x169);   /* only the low 8 bits go out */
    ck_assert_uint_eq(out_len, 2);           /* flushed: visible without fflush here */
    ck_assert_int_eq(memcmp(out_buf, "hi", 2), 0);
}
END_TEST

START_TEST(fr_reads_tx_and_rx_empty_never_busy)
{
    ck_assert_uint_eq(pl011_read(uart, PL011_FR, 4), 0x90);
    pl011_write(uart, PL011_DR, 4, 'x');
    ck_assert_uint_eq(pl011_read(uart, PL011_FR, 4), 0x90);
    ck_assert_uint_eq(pl011_read(uart, PL011_FR, 4) & (PL011_FR_TXFF | PL011_FR_BUSY), 0);
}
END_TEST

START_TEST(reset_values_are_qemus)
{
    ck_assert_uint_eq(pl011_read(uart, PL011_CR, 4), 0x300);
    ck_assert_uint_eq(pl011_read(uart, PL011_IFLS, 4), 0x12);
    ck_assert_uint_eq(pl011_read(uart, PL011_LCR_H, 4), 0);
    ck_assert_uint_eq(pl011_read(uart, PL011_IMSC, 4), 0);
    ck_assert_uint_eq(pl011_read(uart, PL011_RIS, 4), 0);
    ck_assert_uint_eq(pl011_read(uart, PL011_DR, 4), 0);
}
END_TEST

START_TEST(configuration_registers_read_back_all_32_bits)
{
    static const uint32_t regs[] = { PL011_IBRD, PL011_FBRD, PL011_LCR_H, PL011_CR,
                                     PL011_IFLS, PL011_DMACR, PL011_ILPR };

    for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
        pl011_write(uart, regs[i], 4, 0xffffffff);
        ck_assert_uint_eq(pl011_read(uart, regs[i], 4), 0xffffffff);
        pl011_write(uart, regs[i], 4, 0x301);
        ck_assert_uint_eq(pl011_read(uart, regs[i], 4), 0x301);
    }
}
END_TEST

START_TEST(id_registers_match_the_contract)
{
    static const uint32_t ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

    for (unsigned i = 0; i < 8; i++)
        ck_assert_uint_eq(pl011_read(uart, 0xfe0 + 4 * i, 4), ids[i]);
}
END_TEST

START_TEST(transmit_raises_tx_in_ris_and_icr_clears_it)
{
    pl011_write(uart, PL011_DR, 4, 'a');
    ck_assert_uint_eq(pl011_read(uart, PL011_RIS, 4), PL011_INT_TX);
    pl011_write(uart, PL011_ICR, 4, PL011_INT_ALL);
    ck_assert_uint_eq(pl011_read(uart, PL011_RIS, 4), 0);
}
END_TEST

START_TEST(irq_line_is_ris_masked_by_imsc)
{
    pl011_write(uart, PL011_DR, 4, 'a');
    ck_assert(!pl011_irq_level(uart));
    ck_assert_uint_eq(pl011_read(uart, PL011_MIS, 4), 0);
    pl011_write(uart, PL011_IMSC, 4, PL011_INT_TX);
    ck_assert(pl011_irq_level(uart));
    ck_assert_uint_eq(pl011_read(uart, PL011_MIS, 4), PL011_INT_TX);
    pl011_write(uart, PL011_ICR, 4, PL011_INT_TX);
    ck_assert(!pl011_irq_level(uart));
}
END_TEST

START_TEST(reserved_offsets_read_zero_and_are_logged)
{
    ck_assert_uint_eq(pl011_read(uart, 0x1c, 4), 0);
    ck_assert_uint_eq(pl011_read(uart, PL011_ICR, 4), 0);   /* write-only */
    ck_assert_uint_eq(pl011_read(uart, 0xf00, 4), 0);
    pl011_write(uart, 0x08, 4, 0x1234);
    fflush(log_f);
    fflush(out);
    ck_assert_str_eq(log_buf, "pl011_read: Bad offset 0x1c\npl011_read: Bad offset 0x44\n"
                              "pl011_read: Bad offset 0xf00\npl011_write: Bad offset 0x8\n");
    ck_assert_uint_eq(out_len, 0);
}
END_TEST

START_TEST(ecr_write_and_fr_write_are_silent)
{
    pl011_write(uart, PL011_RSR, 4, 0xff);
    pl011_write(uart, PL011_FR, 4, 0);
    ck_assert_uint_eq(pl011_read(uart, PL011_RSR, 4), 0);
    fflush(log_f);
    ck_assert_uint_eq(log_len, 0);
}
END_TEST

START_TEST(without_a_log_bad_offsets_are_quiet)
{
    struct pl011 *u = pl011_new(NULL);

    ck_assert_uint_eq(pl011_read(u, 0x1c, 4), 0);
    pl011_write(u, PL011_DR, 4, 'x');   /* no output stream: dropped */
    ck_assert_uint_eq(pl011_read(u, PL011_RIS, 4), PL011_INT_TX);
    pl011_free(u);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("emu_pl011");
    TCase *tc = tcase_create("emu_pl011");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, dr_write_sends_the_byte_at_once);
    tcase_add_test(tc, fr_reads_tx_and_rx_empty_never_busy);
    tcase_add_test(tc, reset_values_are_qemus);
    tcase_add_test(tc, configuration_registers_read_back_all_32_bits);
    tcase_add_test(tc, id_registers_match_the_contract);
    tcase_add_test(tc, transmit_raises_tx_in_ris_and_icr_clears_it);
    tcase_add_test(tc, irq_line_is_ris_masked_by_imsc);
    tcase_add_test(tc, reserved_offsets_read_zero_and_are_logged);
    tcase_add_test(tc, ecr_write_and_fr_write_are_silent);
    tcase_add_test(tc, without_a_log_bad_offsets_are_quiet);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
