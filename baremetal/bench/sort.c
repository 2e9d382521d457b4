/*
 * sort — benchmark: sort 100,000 32-bit keys (quicksort, median of three,
 * insertion sort below 16 elements, an explicit stack instead of recursion).
 *
 * Data-dependent branches, swaps and a short call chain. Each repetition
 * refills the array from the same LCG, sorts it, checks it is ordered and
 * hashes it (FNV-1a over the words); the hash must equal the known value.
 *
 * Parameters: reps (default 35; about 2 s on QEMU 7.2 single vCPU),
 * break=1 (skips the final insertion pass: the order check must fail).
 */
#include "rt.h"
#include "tap.h"

#include <stdint.h>

#define COUNT 100000
#define SMALL 16
#define KNOWN_HASH 0xa45826f1u

static uint32_t keys[COUNT];

static void fill(void)
{
    uint32_t x = 987654321u;

    for (int i = 0; i < COUNT; i++) {
        x = x * 1664525u + 1013904223u;
        keys[i] = x ^ (x >> 13);
    }
}

static void swap(uint32_t *p, uint32_t *q)
{
    uint32_t t = *p;

    *p = *q;
    *q = t;
}

/* Partitions keys[lo..hi] around a median of three; returns the split. */
static int partition(int lo, int hi)
{
    int mid = lo + (hi - lo) / 2, i = lo, j = hi;
    uint32_t pivot;

    if (keys[mid] < keys[lo])
        swap(&keys[mid], &keys[lo]);
    if (keys[hi] < keys[lo])
        swap(&keys[hi], &keys[lo]);
    if (keys[hi] < keys[mid])
        swap(&keys[hi], &keys[mid]);
    pivot = keys[mid];
    for (;;) {
        while (keys[i] < pivot)
            i++;
        while (keys[j] > pivot)
            j--;
        if (i >= j)
            return j;
        swap(&keys[i++], &keys[j--]);
    }
}

/* Quicksort leaves runs shorter than SMALL unsorted; one insertion pass
 * finishes them. */
static void sort(int broken)
{
    int stack[2 * 64], top = 0;

    stack[top++] = 0;
    stack[top++] = COUNT - 1;
    while (top) {
        int hi = stack[--top], lo = stack[--top], p;

        if (hi - lo < SMALL)
            continue;
        p = partition(lo, hi);
        if (p - lo > hi - p - 1) { /* the larger half first keeps the stack short */
            stack[top++] = lo, stack[top++] = p;
            stack[top++] = p + 1, stack[top++] = hi;
        } else {
            stack[top++] = p + 1, stack[top++] = hi;
            stack[top++] = lo, stack[top++] = p;
        }
    }
    for (int i = 1; i < COUNT && !broken; i++)
        for (int k = i; k > 0 && keys[k - 1] > keys[k]; k--)
            swap(&keys[k - 1], &keys[k]);
}

static uint32_t check(int *ordered)
{
    uint32_t h = 2166136261u;

    *ordered = 1;
    for (int i = 0; i < COUNT; i++) {
        if (i && keys[i - 1] > keys[i])
            *ordered = 0;
        h = (h ^ keys[i]) * 16777619u;
    }
    return h;
}

int main(void)
{
    unsigned long reps = rt_param_ulong("reps", 35);
    int broken = (int)rt_param_ulong("break", 0), ordered = 1, same = 1;
    uint32_t hash = 0;
    uint64_t t0 = rt_ticks();

    tap_plan(1);
    for (unsigned long r = 0; r < reps; r++) {
        int ok;
        uint32_t h;

        fill();
        sort(broken);
        h = check(&ok);
        ordered &= ok;
        if (r > 0 && h != hash)
            same = 0;
        hash = h;
    }
    /* ticks and their rate: the script divides, so the guest makes no
     * 64-bit division (a libgcc call) outside its kernel */
    tap_metric("kernel_ticks", "%llu", (unsigned long long)(rt_ticks() - t0));
    tap_metric("tick_hz", "%lu", (unsigned long)rt_tick_freq());
    tap_metric("reps", "%lu", reps);
    tap_ok(same && ordered && hash == KNOWN_HASH,
           "sort: %d keys %s, hash %08x (expected %08x), %lu reps agree", COUNT,
           ordered ? "in order" : "NOT in order", (unsigned)hash, KNOWN_HASH, reps);
    return tap_done();
}
