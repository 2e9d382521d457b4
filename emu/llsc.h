/*
 * llsc.h — LDREX/STREX with one host thread per vCPU, three ways
 * (-accel tcg,llsc=cas|excl|stw; docs/design/llsc.md).
 *
 * The entry points the CPU calls (emu_load_exclusive() and friends) are
 * declared in emu/cpu_services.h. What the rest of the runtime needs:
 * a RAM store to a page that LDREX marked goes through emu_llsc_store(),
 * which breaks the reservations it overlaps atomically with the write.
 */
#ifndef EMU_LLSC_H
#define EMU_LLSC_H

#include <stdint.h>

struct emu_vcpu;

/* A plain store of size bytes to RAM at pa (host: its host address) on a
 * page marked exclusive. */
void emu_llsc_store(struct emu_vcpu *v, uint64_t pa, uint8_t *host, unsigned size,
                    uint64_t value);

#endif
