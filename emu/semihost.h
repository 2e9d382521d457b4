/*
 * semihost.h — ARM semihosting as QEMU 7.2 answers it for an AArch32 guest
 * with -semihosting (machine-contract.md §6, §8; the calls the contract did
 * not measure were measured for docs/design/devices.md).
 *
 * The board traps SVC 0x123456 (A32) and HLT 0xF000 and calls
 * emu_semihost_call(): the operation is in r0, r1 is its argument (for
 * most calls the address of a block of 32-bit words), the result goes to
 * r0. Guest memory is read and written through emu_mem_load/emu_mem_store
 * (emu/cpu_services.h) at virtual addresses, with the MMU index of the
 * CPU's mode, so a bad pointer gives the guest a data abort (QEMU would
 * return an error instead).
 *
 * Where things go:
 *   SYS_WRITEC, SYS_WRITE0, ":tt" opened for append  -> host->console (stderr)
 *   ":tt" opened for writing                          -> host->tt_out (stdout)
 *   ":tt" opened for reading, SYS_READC               <- host->tt_in (NULL: EOF)
 *   other file names                                  -> host files, relative to
 *                                                        the current directory
 * Exits go to host->exit(opaque, status), which does not return on the
 * real board; if it does (a test), the call returns with r0 unchanged.
 *
 * Callers hold the device lock; the module takes no lock itself. All state
 * (open files, the last errno) is in struct emu_semihost.
 */
#ifndef EMU_SEMIHOST_H
#define EMU_SEMIHOST_H

#include "arm/cpu.h"

#include <stdint.h>
#include <stdio.h>

struct emu_semihost_host {
    const char *cmdline;    /* SYS_GET_CMDLINE: "<kernel path>[ <append text>]" */
    uint32_t heap_base, heap_limit, stack_base, stack_limit;    /* SYS_HEAPINFO */
    FILE *console;          /* SYS_WRITEC/WRITE0 output: stderr on the board */
    void (*exit)(void *opaque, int status);
    void *opaque;
    FILE *tt_out;           /* ":tt" for writing; NULL: stdout */
    FILE *tt_in;            /* ":tt" for reading and SYS_READC; NULL: no input */
    /* Nanoseconds since the board started, for SYS_CLOCK, SYS_TIME (as
     * seconds since 1970) and SYS_ELAPSED; NULL: the host's clocks. The
     * board sets it for a replayable run (sched=chaos). */
    uint64_t (*clock_ns)(void *opaque);
};

/* Operation numbers (r0). */
enum {
    SEMIHOST_SYS_OPEN = 0x01, SEMIHOST_SYS_CLOSE = 0x02, SEMIHOST_SYS_WRITEC = 0x03,
    SEMIHOST_SYS_WRITE0 = 0x04, SEMIHOST_SYS_WRITE = 0x05, SEMIHOST_SYS_READ = 0x06,
    SEMIHOST_SYS_READC = 0x07, SEMIHOST_SYS_ISERROR = 0x08, SEMIHOST_SYS_ISTTY = 0x09,
    SEMIHOST_SYS_SEEK = 0x0a, SEMIHOST_SYS_FLEN = 0x0c, SEMIHOST_SYS_TMPNAM = 0x0d,
    SEMIHOST_SYS_REMOVE = 0x0e, SEMIHOST_SYS_RENAME = 0x0f, SEMIHOST_SYS_CLOCK = 0x10,
    SEMIHOST_SYS_TIME = 0x11, SEMIHOST_SYS_SYSTEM = 0x12, SEMIHOST_SYS_ERRNO = 0x13,
    SEMIHOST_SYS_GET_CMDLINE = 0x15, SEMIHOST_SYS_HEAPINFO = 0x16, SEMIHOST_SYS_EXIT = 0x18,
    SEMIHOST_SYS_EXIT_EXTENDED = 0x20, SEMIHOST_SYS_ELAPSED = 0x30, SEMIHOST_SYS_TICKFREQ = 0x31,
};

#define SEMIHOST_ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define SEMIHOST_ADP_STOPPED_RUNTIME_ERROR    0x20023u

struct emu_semihost;

/* Copies *host (and the command line). */
struct emu_semihost *emu_semihost_new(const struct emu_semihost_host *host);
/* Closes the files the guest left open. */
void emu_semihost_free(struct emu_semihost *sh);

void emu_semihost_call(struct emu_semihost *sh, struct arm_cpu *cpu);

#endif
