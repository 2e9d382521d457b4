/*
 * timer.c — the generic timer's virtual counter as a clock.
 */
#include "rt.h"

uint64_t rt_ticks_to_ns(uint64_t ticks)
{
    uint32_t f = rt_tick_freq();

    if (!f)
        return 0;
    return ticks / f * 1000000000ull + ticks % f * 1000000000ull / f;
}

void rt_udelay(uint32_t us)
{
    uint64_t end = rt_ticks() + (uint64_t)rt_tick_freq() * us / 1000000u;

    while (rt_ticks() < end)
        rt_cpu_relax();
}
