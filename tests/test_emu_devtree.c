/*
 * test_emu_devtree.c — the device tree strex-emu builds (emu/devtree.c),
 * walked back with libfdt and compared with what QEMU 7.2's virt board
 * says (shared/machine-contract.md §3.4). When dtc is installed, the blob
 * must also decompile cleanly.
 */
#include "emu/devtree.h"

#include "util/fatal.h"

#include <check.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct emu_config cfg;
static void *fdt;
static char err[512];

static void setup(void)
{
    emu_config_init(&cfg);
    fdt = xmalloc(EMU_DTB_SIZE);
    err[0] = '\0';
}

static void teardown(void)
{
    emu_config_free(&cfg);
    free(fdt);
}

static void build(unsigned smp, const char *append)
{
    cfg.smp = smp;
    free(cfg.append);
    cfg.append = append ? xstrdup(append) : NULL;
    ck_assert_msg(emu_devtree_build(&cfg, fdt, EMU_DTB_SIZE, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(fdt_check_header(fdt), 0);
}

static int node(const char *path)
{
    int off = fdt_path_offset(fdt, path);

    ck_assert_msg(off >= 0, "no node %s", path);
    return off;
}

/* The property's cells, checking how many there are. */
static const fdt32_t *cells(const char *path, const char *name, int n)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node(path), name, &len);

    ck_assert_msg(p != NULL, "%s has no %s", path, name);
    ck_assert_int_eq(len, n * 4);
    return p;
}

static uint32_t u32(const char *path, const char *name)
{
    return fdt32_to_cpu(cells(path, name, 1)[0]);
}

static void expect_cells(const char *path, const char *name, const uint32_t *want, int n)
{
    const fdt32_t *got = cells(path, name, n);

    for (int i = 0; i < n; i++)
        ck_assert_msg(fdt32_to_cpu(got[i]) == want[i], "%s %s[%d] = 0x%x, want 0x%x", path, name,
                      i, fdt32_to_cpu(got[i]), want[i]);
}

static const char *string(const char *path, const char *name)
{
    const char *s = fdt_getprop(fdt, node(path), name, NULL);

    ck_assert_msg(s != NULL, "%s has no %s", path, name);
    return s;
}

static void expect_strings(const char *path, const char *name, const char *const *want, int n)
{
    ck_assert_int_eq(fdt_stringlist_count(fdt, node(path), name), n);
    for (int i = 0; i < n; i++)
        ck_assert_str_eq(fdt_stringlist_get(fdt, node(path), name, i, NULL), want[i]);
}

static bool has_prop(const char *path, const char *name)
{
    return fdt_getprop(fdt, node(path), name, NULL) != NULL;
}

START_TEST(header_is_qemu_sized_version_17)
{
    build(2, NULL);
    ck_assert_uint_eq(fdt_totalsize(fdt), 1u << 20);
    ck_assert_uint_eq(fdt_version(fdt), 17);
    ck_assert_uint_eq(fdt_boot_cpuid_phys(fdt), 0);
    ck_assert_uint_eq(fdt_num_mem_rsv(fdt), 0);
}
END_TEST

START_TEST(root_is_linux_dummy_virt_with_two_cells)
{
    build(1, NULL);
    ck_assert_str_eq(string("/", "compatible"), "linux,dummy-virt");
    ck_assert_str_eq(string("/", "model"), "linux,dummy-virt");
    ck_assert_uint_eq(u32("/", "#address-cells"), 2);
    ck_assert_uint_eq(u32("/", "#size-cells"), 2);
    ck_assert_int_eq(fdt_node_offset_by_phandle(fdt, u32("/", "interrupt-parent")),
                     node("/intc@8000000"));
}
END_TEST

START_TEST(memory_node_follows_ram_size)
{
    static const uint32_t reg128[] = { 0, 0x40000000, 0, 0x08000000 };
    static const uint32_t reg3g[] = { 0, 0x40000000, 0, 0xc0000000 };

    build(1, NULL);
    ck_assert_str_eq(string("/memory@40000000", "device_type"), "memory");
    expect_cells("/memory@40000000", "reg", reg128, 4);
    cfg.ram_size = 3072ull << 20;
    build(1, NULL);
    expect_cells("/memory@40000000", "reg", reg3g, 4);
}
END_TEST

START_TEST(psci_is_1_0_over_hvc_with_legacy_ids)
{
    static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };

    build(2, NULL);
    expect_strings("/psci", "compatible", compat, 3);
    ck_assert_str_eq(string("/psci", "method"), "hvc");
    ck_assert_uint_eq(u32("/psci", "cpu_suspend"), 0x84000001);
    ck_assert_uint_eq(u32("/psci", "cpu_off"), 0x84000002);
    ck_assert_uint_eq(u32("/psci", "cpu_on"), 0x84000003);
    ck_assert_uint_eq(u32("/psci", "migrate"), 0x84000005);
}
END_TEST

static int count_cpus(void)
{
    int n = 0, off;

    fdt_for_each_subnode(off, fdt, node("/cpus")) {
        const char *type = fdt_getprop(fdt, off, "device_type", NULL);

        n += type && strcmp(type, "cpu") == 0;
    }
    return n;
}

START_TEST(one_cpu_node_per_vcpu_with_affinity_reg)
{
    static const unsigned counts[] = { 1, 2, 4, 8 };
    char path[64], core[64];

    for (size_t k = 0; k < 4; k++) {
        unsigned smp = counts[k];

        build(smp, NULL);
        ck_assert_int_eq(count_cpus(), (int)smp);
        ck_assert_uint_eq(u32("/cpus", "#address-cells"), 1);
        ck_assert_uint_eq(u32("/cpus", "#size-cells"), 0);
        for (unsigned i = 0; i < smp; i++) {
            snprintf(path, sizeof(path), "/cpus/cpu@%u", i);
            ck_assert_uint_eq(u32(path, "reg"), i); /* affinity, no bit 31 */
            ck_assert_str_eq(string(path, "compatible"), "arm,cortex-a15");
            ck_assert_str_eq(string(path, "enable-method"), "psci");
            ck_assert_str_eq(string(path, "device_type"), "cpu");
            snprintf(core, sizeof(core), "/cpus/cpu-map/socket0/cluster0/core%u", i);
            ck_assert_int_eq(fdt_node_offset_by_phandle(fdt, u32(core, "cpu")), node(path));
        }
    }
}
END_TEST

START_TEST(timer_ppis_carry_a_cpu_mask)
{
    static const struct { unsigned smp; uint32_t flags; } cases[] = {
        { 1, 0x104 }, { 2, 0x304 }, { 4, 0xf04 }, { 8, 0xff04 },
    };

    for (size_t k = 0; k < 4; k++) {
        uint32_t f = cases[k].flags;
        const uint32_t want[] = { 1, 13, f, 1, 14, f, 1, 11, f, 1, 10, f };

        build(cases[k].smp, NULL);
        ck_assert_str_eq(string("/timer", "compatible"), "arm,armv7-timer");
        expect_cells("/timer", "interrupts", want, 12);
        ck_assert(has_prop("/timer", "always-on"));
    }
}
END_TEST

START_TEST(gic_is_a_cortex_a15_gicv2)
{
    static const uint32_t reg[] = { 0, 0x08000000, 0, 0x10000, 0, 0x08010000, 0, 0x10000 };

    build(2, NULL);
    ck_assert_str_eq(string("/intc@8000000", "compatible"), "arm,cortex-a15-gic");
    expect_cells("/intc@8000000", "reg", reg, 8);
    ck_assert_uint_eq(u32("/intc@8000000", "#interrupt-cells"), 3);
    ck_assert_uint_eq(u32("/intc@8000000", "#address-cells"), 0);
    ck_assert(has_prop("/intc@8000000", "interrupt-controller"));
}
END_TEST

START_TEST(uart_is_pl011_on_spi1_clocked_at_24mhz)
{
    static const char *const compat[] = { "arm,pl011", "arm,primecell" };
    static const char *const clock_names[] = { "uartclk", "apb_pclk" };
    static const uint32_t reg[] = { 0, 0x09000000, 0, 0x1000 };
    static const uint32_t irq[] = { 0, 1, 4 };
    const fdt32_t *clocks;
    int clk;

    build(1, NULL);
    expect_strings("/pl011@9000000", "compatible", compat, 2);
    expect_cells("/pl011@9000000", "reg", reg, 4);
    expect_cells("/pl011@9000000", "interrupts", irq, 3);
    expect_strings("/pl011@9000000", "clock-names", clock_names, 2);
    clocks = cells("/pl011@9000000", "clocks", 2);
    clk = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(clocks[0]));
    ck_assert_int_eq(clk, node("/apb-pclk"));
    ck_assert_str_eq(string("/apb-pclk", "compatible"), "fixed-clock");
    ck_assert_uint_eq(u32("/apb-pclk", "clock-frequency"), 24000000);
    ck_assert_uint_eq(u32("/apb-pclk", "#clock-cells"), 0);
}
END_TEST

START_TEST(chosen_names_the_uart_and_the_append_text)
{
    build(1, "k1=v1 code=0");
    ck_assert_str_eq(string("/chosen", "stdout-path"), "/pl011@9000000");
    node(string("/chosen", "stdout-path"));
    ck_assert_str_eq(string("/chosen", "bootargs"), "k1=v1 code=0");
    ck_assert(!has_prop("/chosen", "rng-seed"));
    build(1, NULL);
    ck_assert(!has_prop("/chosen", "bootargs"));
}
END_TEST

START_TEST(unmodelled_devices_are_left_out)
{
    static const char *const absent[] = { "virtio,mmio", "pci-host-ecam-generic", "cfi-flash",
                                          "qemu,fw-cfg-mmio", "arm,pl031", "arm,pl061",
                                          "arm,gic-v2m-frame", "gpio-keys" };

    build(2, NULL);
    for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
        ck_assert_msg(fdt_node_offset_by_compatible(fdt, -1, absent[i]) < 0, "%s", absent[i]);
}
END_TEST

START_TEST(append_too_long_for_the_blob_is_an_error)
{
    char *huge = xmalloc(EMU_DTB_SIZE + 1);

    memset(huge, 'a', EMU_DTB_SIZE);
    huge[EMU_DTB_SIZE] = '\0';
    cfg.append = huge;
    ck_assert_int_eq(emu_devtree_build(&cfg, fdt, EMU_DTB_SIZE, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "device tree: FDT_ERR_NOSPACE (is the -append text too long?)");
}
END_TEST

/* The blob must decompile with dtc (scripts/deps.sh installs
 * device-tree-compiler) without a single warning. A missing dtc fails the
 * test: a check that did not run is not a pass. */
START_TEST(dtc_decompiles_the_blob_without_warnings)
{
    char path[] = "/tmp/strex-dtb-XXXXXX";
    char cmd[256], out[2048] = "";
    size_t n;
    FILE *p;
    int fd, rc;

    ck_assert_msg(system("command -v dtc >/dev/null 2>&1") == 0,
                  "dtc not found: run scripts/deps.sh (device-tree-compiler)");
    build(4, "a=1 b=2");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, fdt, EMU_DTB_SIZE), EMU_DTB_SIZE);
    close(fd);
    snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts -o /dev/null %s 2>&1", path);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    rc = pclose(p);
    unlink(path);
    ck_assert_msg(rc == 0 && n == 0, "%s: status %d: %s", cmd, rc, out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("emu_devtree");
    TCase *tc = tcase_create("emu_devtree");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, header_is_qemu_sized_version_17);
    tcase_add_test(tc, root_is_linux_dummy_virt_with_two_cells);
    tcase_add_test(tc, memory_node_follows_ram_size);
    tcase_add_test(tc, psci_is_1_0_over_hvc_with_legacy_ids);
    tcase_add_test(tc, one_cpu_node_per_vcpu_with_affinity_reg);
    tcase_add_test(tc, timer_ppis_carry_a_cpu_mask);
    tcase_add_test(tc, gic_is_a_cortex_a15_gicv2);
    tcase_add_test(tc, uart_is_pl011_on_spi1_clocked_at_24mhz);
    tcase_add_test(tc, chosen_names_the_uart_and_the_append_text);
    tcase_add_test(tc, unmodelled_devices_are_left_out);
    tcase_add_test(tc, append_too_long_for_the_blob_is_an_error);
    tcase_add_test(tc, dtc_decompiles_the_blob_without_warnings);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
