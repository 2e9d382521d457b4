/*
 * sieve — benchmark: the sieve of Eratosthenes below 2,000,000.
 *
 * A byte-array sieve: stores with strides, a compare-and-branch inner
 * loop, then a counting pass. Each repetition clears the array and sieves
 * again; every one must find the same count and sum of primes, which must
 * equal the values below (148,933 primes; their sum, 142,913,828,922, is
 * the well-known one, here mod 2^32). Prints one TAP check and the
 * kernel's own time as generic-timer ticks (# kernel_ticks, # tick_hz),
 * which scripts/bench.sh reports next to the wall time.
 *
 * Parameters: reps (default 26; about 2 s on QEMU 7.2 single vCPU),
 * break=1 (flags 1 as prime: the check must fail).
 */
#include "rt.h"
#include "tap.h"

#include <stdint.h>

#define LIMIT 2000000u
#define KNOWN_COUNT 148933u
#define KNOWN_SUM 0x4653f83au /* sum of the primes below LIMIT, mod 2^32 */

static uint8_t composite[LIMIT];

static void sieve(uint32_t *count, uint32_t *sum, int broken)
{
    uint32_t n = 0, s = 0;

    memset(composite, 0, sizeof(composite));
    for (uint32_t i = 2; i * i < LIMIT; i++)
        if (!composite[i])
            for (uint32_t j = i * i; j < LIMIT; j += i)
                composite[j] = 1;
    for (uint32_t i = broken ? 1 : 2; i < LIMIT; i++)
        if (!composite[i]) {
            n++;
            s += i;
        }
    *count = n;
    *sum = s;
}

int main(void)
{
    unsigned long reps = rt_param_ulong("reps", 26);
    int broken = (int)rt_param_ulong("break", 0), same = 1;
    uint32_t count = 0, sum = 0;
    uint64_t t0 = rt_ticks();

    tap_plan(1);
    for (unsigned long r = 0; r < reps; r++) {
        uint32_t c, s;

        sieve(&c, &s, broken);
        if (r > 0 && (c != count || s != sum))
            same = 0;
        count = c, sum = s;
    }
    /* ticks and their rate: the script divides, so the guest makes no
     * 64-bit division (a libgcc call) outside its kernel */
    tap_metric("kernel_ticks", "%llu", (unsigned long long)(rt_ticks() - t0));
    tap_metric("tick_hz", "%lu", (unsigned long)rt_tick_freq());
    tap_metric("reps", "%lu", reps);
    tap_ok(same && count == KNOWN_COUNT && sum == KNOWN_SUM,
           "sieve: %u primes below %u, sum %08x (expected %u, %08x), %lu reps agree",
           (unsigned)count, LIMIT, (unsigned)sum, KNOWN_COUNT, KNOWN_SUM, reps);
    return tap_done();
}
