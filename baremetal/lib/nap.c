/*
 * nap.c — WFI until the virtual timer fires (see nap.h).
 *
 * The virtual timer's interrupt is PPI 11, interrupt ID 27. Its enable and
 * priority are banked per CPU in the GIC distributor, and each CPU has its
 * own CPU interface, so every CPU does the set-up once for itself.
 */
#include "nap.h"

#include "gic.h"
#include "rt.h"

#define VTIMER_IRQ 27
#define CNTV_CTL_ENABLE 1u

static uint32_t spin_us = 20, sleep_us = 50; /* set before any CPU waits */
static uint8_t gic_ready[RT_MAX_CPUS];       /* each CPU writes its own */

void nap_config(uint32_t spin, uint32_t sleep)
{
    spin_us = spin;
    sleep_us = sleep;
    rt_dmb();
}

static void set_vtimer(uint32_t ctl, uint32_t tval)
{
    __asm__ volatile("mcr p15, 0, %0, c14, c3, 0\n\t" /* CNTV_TVAL */
                     "mcr p15, 0, %1, c14, c3, 1\n\t" /* CNTV_CTL */
                     "isb"
                     :: "r"(tval), "r"(ctl) : "memory");
}

static void wake_on_vtimer(int cpu)
{
    gic_dist_init();
    gic_cpu_init();
    gic_enable_irq(VTIMER_IRQ, 0);
    gic_ready[cpu] = 1;
}

void nap_us(uint32_t us)
{
    int cpu = rt_cpu_id();
    uint64_t ticks = (uint64_t)rt_tick_freq() * us / 1000000u;

    if (!gic_ready[cpu])
        wake_on_vtimer(cpu);
    set_vtimer(CNTV_CTL_ENABLE, ticks ? (uint32_t)ticks : 1);
    __asm__ volatile("dsb ish\n\twfi" ::: "memory");
    set_vtimer(0, 0);
}

void nap_wait(struct nap_wait *w)
{
    uint64_t now;

    if (!sleep_us) {
        rt_wfe();
        return;
    }
    now = rt_ticks();
    if (!w->spin_until)
        w->spin_until = now + (uint64_t)rt_tick_freq() * spin_us / 1000000u;
    if (now < w->spin_until)
        rt_wfe();
    else
        nap_us(sleep_us);
}
