/*
 * devtree.c — writing the virt board's device tree with libfdt.
 *
 * libfdt's sequential-write API builds the blob in one pass, nodes in the
 * order below; fdt_open_into() then pads it to EMU_DTB_SIZE. A libfdt
 * error is sticky in struct dt: the helpers do nothing once one happened
 * and the build reports the first, so the node functions read as a plain
 * list of properties.
 *
 * Phandles are fixed numbers chosen here (QEMU's differ; a guest follows
 * the references, never the values). Interrupt specifiers are the GIC's
 * three cells: type (0 SPI, 1 PPI), number, flags; the PPI flags carry a
 * CPU mask with one bit per vCPU, as QEMU's do (0x304 for two CPUs).
 */
#include "emu/devtree.h"

#include "emu/loader.h"

#include <libfdt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PHANDLE_CLK  0x8000u
#define PHANDLE_GIC  0x8001u
#define PHANDLE_CPU0 0x8002u /* cpu@N is PHANDLE_CPU0 + N */

#define GIC_DIST_BASE 0x08000000u
#define GIC_CPU_BASE  0x08010000u
#define GIC_REG_SIZE  0x00010000u /* each window, as the DT says (contract §3.4) */
#define UART_BASE     0x09000000u
#define UART_SIZE     0x00001000u
#define UART_SPI      1u
#define APB_CLK_HZ    24000000u

#define IRQ_TYPE_SPI         0u
#define IRQ_TYPE_PPI         1u
#define IRQ_FLAG_LEVEL_HIGH  4u

/* The architected timer's PPIs, in the binding's order: secure physical,
 * non-secure physical, virtual, hypervisor. */
static const uint32_t timer_ppis[] = { 13, 14, 11, 10 };

#define PSCI_CPU_SUSPEND 0x84000001u
#define PSCI_CPU_OFF     0x84000002u
#define PSCI_CPU_ON      0x84000003u
#define PSCI_MIGRATE     0x84000005u

struct dt {
    void *fdt;
    int err; /* the first libfdt error, 0 while none */
};

static void dt_check(struct dt *dt, int rc)
{
    if (rc < 0 && dt->err == 0)
        dt->err = rc;
}

static void dt_begin(struct dt *dt, const char *name)
{
    if (!dt->err)
        dt_check(dt, fdt_begin_node(dt->fdt, name));
}

static void dt_end(struct dt *dt)
{
    if (!dt->err)
        dt_check(dt, fdt_end_node(dt->fdt));
}

static void dt_u32(struct dt *dt, const char *name, uint32_t v)
{
    if (!dt->err)
        dt_check(dt, fdt_property_u32(dt->fdt, name, v));
}

static void dt_string(struct dt *dt, const char *name, const char *s)
{
    if (!dt->err)
        dt_check(dt, fdt_property_string(dt->fdt, name, s));
}

static void dt_empty(struct dt *dt, const char *name)
{
    if (!dt->err)
        dt_check(dt, fdt_property(dt->fdt, name, NULL, 0));
}

/* A string list: the strings with their NULs, as one property. */
static void dt_strings(struct dt *dt, const char *name, const char *const *s, size_t n)
{
    char buf[256];
    size_t len = 0;

    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(s[i]) + 1;

        memcpy(buf + len, s[i], l); /* callers pass short constants */
        len += l;
    }
    if (!dt->err)
        dt_check(dt, fdt_property(dt->fdt, name, buf, (int)len));
}

static void dt_cells(struct dt *dt, const char *name, const uint32_t *cells, size_t n)
{
    fdt32_t be[16];

    for (size_t i = 0; i < n; i++)
        be[i] = cpu_to_fdt32(cells[i]);
    if (!dt->err)
        dt_check(dt, fdt_property(dt->fdt, name, be, (int)(n * sizeof(be[0]))));
}

/* reg = <addr size> with #address-cells = #size-cells = 2. */
static void dt_reg64(struct dt *dt, const uint64_t *pairs, size_t n_pairs)
{
    uint32_t cells[8];

    for (size_t i = 0; i < 2 * n_pairs; i++) {
        cells[2 * i] = (uint32_t)(pairs[i] >> 32);
        cells[2 * i + 1] = (uint32_t)pairs[i];
    }
    dt_cells(dt, "reg", cells, 4 * n_pairs);
}

/* ---- nodes ---------------------------------------------------------------- */

static void node_psci(struct dt *dt)
{
    static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };

    dt_begin(dt, "psci");
    dt_strings(dt, "compatible", compat, 3);
    dt_string(dt, "method", "hvc"); /* SMC is UNDEFINED on this board */
    dt_u32(dt, "cpu_suspend", PSCI_CPU_SUSPEND);
    dt_u32(dt, "cpu_off", PSCI_CPU_OFF);
    dt_u32(dt, "cpu_on", PSCI_CPU_ON);
    dt_u32(dt, "migrate", PSCI_MIGRATE);
    dt_end(dt);
}

static void node_memory(struct dt *dt, uint64_t ram_size)
{
    const uint64_t reg[] = { EMU_RAM_BASE, ram_size };
    char name[32];

    snprintf(name, sizeof(name), "memory@%x", EMU_RAM_BASE);
    dt_begin(dt, name);
    dt_string(dt, "device_type", "memory");
    dt_reg64(dt, reg, 1);
    dt_end(dt);
}

/* cpu-map: one socket, one cluster, a core per vCPU (QEMU's layout). */
static void node_cpu_map(struct dt *dt, unsigned smp)
{
    char name[16];

    dt_begin(dt, "cpu-map");
    dt_begin(dt, "socket0");
    dt_begin(dt, "cluster0");
    for (unsigned i = 0; i < smp; i++) {
        snprintf(name, sizeof(name), "core%u", i);
        dt_begin(dt, name);
        dt_u32(dt, "cpu", PHANDLE_CPU0 + i);
        dt_end(dt);
    }
    dt_end(dt);
    dt_end(dt);
    dt_end(dt);
}

/* reg is the affinity value PSCI CPU_ON takes, without MPIDR's bit 31. */
static void node_cpus(struct dt *dt, unsigned smp)
{
    char name[16];

    dt_begin(dt, "cpus");
    dt_u32(dt, "#address-cells", 1);
    dt_u32(dt, "#size-cells", 0);
    for (unsigned i = 0; i < smp; i++) {
        snprintf(name, sizeof(name), "cpu@%u", i);
        dt_begin(dt, name);
        dt_string(dt, "device_type", "cpu");
        dt_string(dt, "compatible", "arm,cortex-a15");
        dt_string(dt, "enable-method", "psci");
        dt_u32(dt, "reg", i);
        dt_u32(dt, "phandle", PHANDLE_CPU0 + i);
        dt_end(dt);
    }
    node_cpu_map(dt, smp);
    dt_end(dt);
}

static void node_timer(struct dt *dt, unsigned smp)
{
    unsigned mask_cpus = smp < 8 ? smp : 8;
    uint32_t flags = (((1u << mask_cpus) - 1) << 8) | IRQ_FLAG_LEVEL_HIGH;
    uint32_t cells[3 * 4];

    for (size_t i = 0; i < 4; i++) {
        cells[3 * i] = IRQ_TYPE_PPI;
        cells[3 * i + 1] = timer_ppis[i];
        cells[3 * i + 2] = flags;
    }
    dt_begin(dt, "timer");
    dt_string(dt, "compatible", "arm,armv7-timer");
    dt_cells(dt, "interrupts", cells, 12);
    dt_empty(dt, "always-on");
    dt_end(dt);
}

static void node_apb_clock(struct dt *dt)
{
    dt_begin(dt, "apb-pclk");
    dt_string(dt, "compatible", "fixed-clock");
    dt_u32(dt, "#clock-cells", 0);
    dt_u32(dt, "clock-frequency", APB_CLK_HZ);
    dt_string(dt, "clock-output-names", "clk24mhz");
    dt_u32(dt, "phandle", PHANDLE_CLK);
    dt_end(dt);
}

static void node_gic(struct dt *dt)
{
    const uint64_t reg[] = { GIC_DIST_BASE, GIC_REG_SIZE, GIC_CPU_BASE, GIC_REG_SIZE };
    char name[32];

    snprintf(name, sizeof(name), "intc@%x", GIC_DIST_BASE);
    dt_begin(dt, name);
    dt_string(dt, "compatible", "arm,cortex-a15-gic");
    dt_u32(dt, "#interrupt-cells", 3);
    dt_u32(dt, "#address-cells", 0); /* no children: QEMU's v2m frame is left out */
    dt_empty(dt, "interrupt-controller");
    dt_reg64(dt, reg, 2);
    dt_u32(dt, "phandle", PHANDLE_GIC);
    dt_end(dt);
}

static void node_uart(struct dt *dt, const char *name)
{
    static const char *const compat[] = { "arm,pl011", "arm,primecell" };
    static const char *const clock_names[] = { "uartclk", "apb_pclk" };
    const uint64_t reg[] = { UART_BASE, UART_SIZE };
    const uint32_t irq[] = { IRQ_TYPE_SPI, UART_SPI, IRQ_FLAG_LEVEL_HIGH };
    const uint32_t clocks[] = { PHANDLE_CLK, PHANDLE_CLK };

    dt_begin(dt, name);
    dt_strings(dt, "compatible", compat, 2);
    dt_reg64(dt, reg, 1);
    dt_cells(dt, "interrupts", irq, 3);
    dt_cells(dt, "clocks", clocks, 2);
    dt_strings(dt, "clock-names", clock_names, 2);
    dt_end(dt);
}

/* No rng-seed or kaslr-seed: the tree is the same on every run. */
static void node_chosen(struct dt *dt, const char *uart_path, const char *bootargs)
{
    dt_begin(dt, "chosen");
    dt_string(dt, "stdout-path", uart_path);
    if (bootargs)
        dt_string(dt, "bootargs", bootargs);
    dt_end(dt);
}

static void build_root(struct dt *dt, const struct emu_config *cfg)
{
    char uart[32];

    snprintf(uart, sizeof(uart), "pl011@%x", UART_BASE);
    dt_begin(dt, "");
    dt_string(dt, "compatible", "linux,dummy-virt");
    dt_string(dt, "model", "linux,dummy-virt");
    dt_u32(dt, "#address-cells", 2);
    dt_u32(dt, "#size-cells", 2);
    dt_u32(dt, "interrupt-parent", PHANDLE_GIC);
    node_psci(dt);
    node_memory(dt, cfg->ram_size);
    node_cpus(dt, cfg->smp);
    node_timer(dt, cfg->smp);
    node_apb_clock(dt);
    node_gic(dt);
    node_uart(dt, uart);
    snprintf(uart, sizeof(uart), "/pl011@%x", UART_BASE);
    node_chosen(dt, uart, cfg->append);
    dt_end(dt);
}

int emu_devtree_build(const struct emu_config *cfg, void *buf, size_t bufsize,
                      char *err, size_t errlen)
{
    struct dt dt = { buf, 0 };

    if (bufsize < EMU_DTB_SIZE) {
        snprintf(err, errlen, "device tree: buffer of %zu bytes, need %u", bufsize, EMU_DTB_SIZE);
        return -1;
    }
    dt_check(&dt, fdt_create(buf, EMU_DTB_SIZE));
    if (!dt.err)
        dt_check(&dt, fdt_finish_reservemap(buf));
    build_root(&dt, cfg);
    if (!dt.err)
        dt_check(&dt, fdt_finish(buf));
    if (!dt.err)
        dt_check(&dt, fdt_open_into(buf, buf, EMU_DTB_SIZE)); /* totalsize = 1 MiB */
    if (dt.err) {
        snprintf(err, errlen, "device tree: %s%s", fdt_strerror(dt.err),
                 dt.err == -FDT_ERR_NOSPACE ? " (is the -append text too long?)" : "");
        return -1;
    }
    return 0;
}
