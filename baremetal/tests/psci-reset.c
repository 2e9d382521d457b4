/*
 * psci-reset — PSCI SYSTEM_RESET while the other CPUs are busy.
 *
 * First boot: CPU 0 finds no mark at BOOT_MARK (a RAM word far above the
 * image, its stacks and its heap, which a reset leaves alone as RAM),
 * writes the mark, changes an initialised variable, starts every
 * secondary spinning on loads, stores and LDREX/STREX, waits until each
 * has run, and calls SYSTEM_RESET. The reset must stop them wherever they
 * are, load the image again and start CPU 0 at the entry.
 *
 * Second boot (mark found): four checks, then the mark is cleared.
 *   1. SYSTEM_RESET did not return on the first boot (a returning call
 *      leaves a "returned" word next to the mark).
 *   2. The initialised variable has its value from the image again: the
 *      image was reloaded, not resumed.
 *   3. Every secondary is OFF (AFFINITY_INFO), as at power-on.
 *   4. Every secondary starts again with CPU_ON and runs.
 *
 * Run without -no-reboot (with it, SYSTEM_RESET ends the run with status
 * 0 instead, and the second boot never comes: the harness reports the
 * plan unfinished).
 */
#include "rt.h"
#include "psci.h"
#include "tap.h"

#define BOOT_MARK ((volatile uint32_t *)0x42000000u) /* RAM base + 32 MiB */
#define MARK 0x52534554u                             /* "RSET" */
#define IMAGE_VALUE 0x600dda7au

static volatile uint32_t from_image = IMAGE_VALUE; /* .data */
static volatile uint32_t spins[RT_MAX_CPUS];       /* .bss: cleared by the runtime */
static uint32_t lock_word;

/* Keeps a secondary busy in the kinds of code a reset has to interrupt. */
static void spin(int cpu, void *arg)
{
    (void)arg;
    for (;;) {
        uint32_t old, failed;

        __asm__ volatile("1: ldrex %0, [%2]\n\t"
                         "add %0, %0, #1\n\t"
                         "strex %1, %0, [%2]\n\t"
                         "cmp %1, #0\n\t"
                         "bne 1b"
                         : "=&r"(old), "=&r"(failed)
                         : "r"(&lock_word)
                         : "cc", "memory");
        spins[cpu]++;
    }
}

static void ran(int cpu, void *arg)
{
    (void)arg;
    spins[cpu] = 1;
}

static void first_boot(int ncpus)
{
    BOOT_MARK[0] = MARK;
    BOOT_MARK[1] = 0;
    from_image = 0xbad;
    rt_dsb();
    for (int cpu = 1; cpu < ncpus; cpu++) {
        if (rt_cpu_start(cpu, spin, 0) != 0)
            tap_bail("CPU_ON of cpu %d failed on the first boot", cpu);
        while (__atomic_load_n(&spins[cpu], __ATOMIC_RELAXED) < 100)
            rt_cpu_relax();
    }
    psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
    BOOT_MARK[1] = 1; /* it returned: the second boot reports it */
    rt_dsb();
    tap_bail("PSCI SYSTEM_RESET returned");
}

static void second_boot(int ncpus)
{
    int returned = BOOT_MARK[1] != 0;
    int off = 0, restarted = 0;

    BOOT_MARK[0] = 0;
    BOOT_MARK[1] = 0;
    rt_dsb();
    tap_plan(4);
    tap_ok(!returned, "SYSTEM_RESET did not return");
    tap_ok(from_image == IMAGE_VALUE, "the image was loaded again (initialised data %08lx)",
           (unsigned long)from_image);
    for (int cpu = 1; cpu < ncpus; cpu++)
        off += psci_affinity_info(rt_cpu_affinity(cpu), 0) == PSCI_AFF_OFF;
    tap_ok(off == ncpus - 1, "every secondary is off after the reset (%d of %d)", off,
           ncpus - 1);
    for (int cpu = 1; cpu < ncpus; cpu++) {
        uint64_t t0 = rt_ticks();

        if (rt_cpu_start(cpu, ran, 0) != 0)
            continue;
        while (!__atomic_load_n(&spins[cpu], __ATOMIC_RELAXED) &&
               rt_ticks() - t0 < (uint64_t)rt_tick_freq() * 2)
            rt_cpu_relax();
        restarted += spins[cpu] != 0;
    }
    tap_ok(restarted == ncpus - 1, "every secondary starts again (%d of %d)", restarted,
           ncpus - 1);
}

int main(void)
{
    int ncpus = rt_ncpus();

    if (BOOT_MARK[0] != MARK)
        first_boot(ncpus);
    else
        second_boot(ncpus);
    return tap_done();
}
