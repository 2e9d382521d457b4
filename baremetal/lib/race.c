/*
 * race.c — handshakes and a common start time for racing CPUs (race.h).
 */
#include "race.h"

#include "nap.h"
#include "rt.h"

uint32_t race_rand(uint32_t *state)
{
    uint32_t x = *state;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

void race_jitter(uint32_t *state, uint32_t max_loops)
{
    uint32_t n = max_loops ? race_rand(state) % max_loops : 0;

    for (uint32_t k = 0; k < n; k++)
        __asm__ volatile("" ::: "memory");
}

void race_publish(uint32_t *p, uint32_t value)
{
    rt_dmb();
    *(volatile uint32_t *)p = value;
    rt_sev();
}

void race_wait_for(const uint32_t *p, uint32_t want)
{
    struct nap_wait w = NAP_WAIT_INIT;

    while (*(const volatile uint32_t *)p != want)
        nap_wait(&w);
    rt_dmb();
}

void race_wait_until(uint64_t when)
{
    while (rt_ticks() < when)
        rt_cpu_relax();
}
