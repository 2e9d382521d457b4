/*
 * crc32 — benchmark: table-driven CRC-32 (IEEE 802.3, reflected, the
 * zlib/Ethernet one) over a 256 KiB buffer.
 *
 * Byte loads, table lookups, shifts and XORs: the kind of loop that
 * stresses an emulator's load path. The buffer holds LCG bytes; each
 * repetition computes the CRC afresh and every result must equal the
 * known value (computed on the host, and equal to zlib's crc32() of the
 * same bytes; the table is checked too: CRC-32 of "123456789" is
 * cbf43926).
 *
 * Parameters: reps (default 350; about 2 s on QEMU 7.2 single vCPU),
 * break=1 (one wrong table entry: the check must fail).
 */
#include "rt.h"
#include "tap.h"

#include <stdint.h>

#define BUF_SIZE (256u * 1024u)
#define KNOWN_CRC 0x6d98e48du

static uint32_t table[256];
static uint8_t buf[BUF_SIZE];

static void make_table(int broken)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;

        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    if (broken)
        table[0x5a] ^= 1;
}

static uint32_t crc32(const uint8_t *p, uint32_t n)
{
    uint32_t c = 0xffffffffu;

    while (n--)
        c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

int main(void)
{
    unsigned long reps = rt_param_ulong("reps", 350);
    uint32_t x = 12345, crc = 0, check;
    int same = 1;
    uint64_t t0;

    tap_plan(1);
    make_table((int)rt_param_ulong("break", 0));
    for (uint32_t i = 0; i < BUF_SIZE; i++) {
        x = x * 1664525u + 1013904223u;
        buf[i] = (uint8_t)(x >> 24);
    }
    check = crc32((const uint8_t *)"123456789", 9);
    t0 = rt_ticks();
    for (unsigned long r = 0; r < reps; r++) {
        uint32_t c = crc32(buf, BUF_SIZE);

        if (r > 0 && c != crc)
            same = 0;
        crc = c;
    }
    /* ticks and their rate: the script divides, so the guest makes no
     * 64-bit division (a libgcc call) outside its kernel */
    tap_metric("kernel_ticks", "%llu", (unsigned long long)(rt_ticks() - t0));
    tap_metric("tick_hz", "%lu", (unsigned long)rt_tick_freq());
    tap_metric("reps", "%lu", reps);
    tap_ok(same && crc == KNOWN_CRC && check == 0xcbf43926u,
           "crc32: %08x over %u bytes (expected %08x), check value %08x, %lu reps agree",
           (unsigned)crc, BUF_SIZE, KNOWN_CRC, (unsigned)check, reps);
    return tap_done();
}
