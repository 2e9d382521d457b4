/*
 * gtimer.c — the generic timer's counter and condition (see gtimer.h).
 *
 * 62.5 MHz is exactly 16 ns per tick, so converting between host
 * nanoseconds and ticks is exact, with no rounding drift over a long run.
 * A virtual clock is just its count; the exec loop moves it.
 */
#include "emu/gtimer.h"

#include "util/fatal.h"

#include <time.h>

static uint64_t host_now_ns(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        fatal("clock_gettime(CLOCK_MONOTONIC) failed");
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void gtimer_clock_init(struct gtimer_clock *clock)
{
    *clock = (struct gtimer_clock){ .epoch_ns = host_now_ns() };
}

void gtimer_clock_init_virtual(struct gtimer_clock *clock)
{
    *clock = (struct gtimer_clock){ .is_virtual = true };
}

uint64_t gtimer_counter_at(const struct gtimer_clock *clock, uint64_t host_ns)
{
    return host_ns > clock->epoch_ns ? (host_ns - clock->epoch_ns) / GTIMER_NS_PER_TICK : 0;
}

uint64_t gtimer_counter_now(const struct gtimer_clock *clock)
{
    return clock->is_virtual ? clock->ticks : gtimer_counter_at(clock, host_now_ns());
}

uint64_t gtimer_clock_ns(const struct gtimer_clock *clock)
{
    if (clock->is_virtual)
        return clock->ticks * GTIMER_NS_PER_TICK;
    uint64_t now = host_now_ns();
    return now > clock->epoch_ns ? now - clock->epoch_ns : 0;
}

static bool condition_met(uint32_t ctl, uint64_t cval, uint64_t count)
{
    return (ctl & GTIMER_CTL_ENABLE) && count >= cval;
}

bool gtimer_output(uint32_t ctl, uint64_t cval, uint64_t count)
{
    return condition_met(ctl, cval, count) && !(ctl & GTIMER_CTL_IMASK);
}

uint32_t gtimer_ctl_read(uint32_t ctl, uint64_t cval, uint64_t count)
{
    uint32_t v = ctl & (GTIMER_CTL_ENABLE | GTIMER_CTL_IMASK);

    return condition_met(ctl, cval, count) ? v | GTIMER_CTL_ISTATUS : v;
}

uint32_t gtimer_ctl_write(uint32_t value)
{
    return value & (GTIMER_CTL_ENABLE | GTIMER_CTL_IMASK);
}

uint64_t gtimer_ns_until(uint64_t cval, uint64_t count)
{
    uint64_t ticks;

    if (count >= cval)
        return 0;
    ticks = cval - count;
    if (ticks > UINT64_MAX / GTIMER_NS_PER_TICK)
        return UINT64_MAX;
    return ticks * GTIMER_NS_PER_TICK;
}
