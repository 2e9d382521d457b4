/*
 * matmul — benchmark: 128x128 integer matrix multiply, C = A * B.
 *
 * MUL/MLA in an inner loop with one sequential and one strided load
 * stream. A and B hold small LCG numbers; every repetition recomputes C
 * and its checksum (sum of C[i][j] * (i + 2j + 1), mod 2^32), which must
 * equal the known value.
 *
 * Parameters: reps (default 100; about 2 s on QEMU 7.2 single vCPU),
 * break=1 (one wrong element in B: the check must fail).
 */
#include "rt.h"
#include "tap.h"

#include <stdint.h>

#define N 128
#define KNOWN_SUM 0x0677fec5u

static int32_t a[N][N], b[N][N], c[N][N];

static void fill(int broken)
{
    uint32_t x = 2463534242u;

    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            x = x * 1664525u + 1013904223u;
            a[i][j] = (int32_t)(x >> 24) - 128;
            x = x * 1664525u + 1013904223u;
            b[i][j] = (int32_t)(x >> 24) - 128;
        }
    if (broken)
        b[7][9]++;
}

static uint32_t multiply(void)
{
    uint32_t sum = 0;

    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int32_t acc = 0;

            for (int k = 0; k < N; k++)
                acc += a[i][k] * b[k][j];
            c[i][j] = acc;
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            sum += (uint32_t)c[i][j] * (uint32_t)(i + 2 * j + 1);
    return sum;
}

int main(void)
{
    unsigned long reps = rt_param_ulong("reps", 100);
    uint32_t sum = 0;
    int same = 1;
    uint64_t t0;

    tap_plan(1);
    fill((int)rt_param_ulong("break", 0));
    t0 = rt_ticks();
    for (unsigned long r = 0; r < reps; r++) {
        uint32_t s = multiply();

        if (r > 0 && s != sum)
            same = 0;
        sum = s;
    }
    /* ticks and their rate: the script divides, so the guest makes no
     * 64-bit division (a libgcc call) outside its kernel */
    tap_metric("kernel_ticks", "%llu", (unsigned long long)(rt_ticks() - t0));
    tap_metric("tick_hz", "%lu", (unsigned long)rt_tick_freq());
    tap_metric("reps", "%lu", reps);
    tap_ok(same && sum == KNOWN_SUM, "matmul: %dx%d checksum %08x (expected %08x), %lu reps agree",
           N, N, (unsigned)sum, KNOWN_SUM, reps);
    return tap_done();
}
