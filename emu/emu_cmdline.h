/*
 * emu_cmdline.h — the strex-emu command line: QEMU's words, strex's config.
 *
 * strex-emu accepts the subset of qemu-system-arm options the suite uses,
 * with QEMU's meanings, so a script swaps emulators by changing one word
 * (DESIGN.md §2b). emu_cmdline_parse() turns argv into a struct emu_config
 * and never exits or prints: on bad input it returns -1 with one line in
 * err (without the "strex-emu: " prefix, which log_error() adds), and the
 * caller exits 1. -help, -version and -d help are not errors: they set
 * cfg->action and the caller prints the matching text and exits 0.
 *
 * What is accepted, what is refused and why: docs/design/board.md.
 */
#ifndef EMU_EMU_CMDLINE_H
#define EMU_EMU_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EMU_VERSION_LINE "strex-emu version 0.1 (qemu-system-arm compatible subset)"

#define EMU_MIB                 (1024ull * 1024ull)
#define EMU_DEFAULT_RAM_SIZE    (128 * EMU_MIB)
/* RAM starts at 1 GiB and must end at or below 4 GiB: strex keeps guest
 * RAM in the 32-bit physical space, as QEMU does with highmem=off. */
#define EMU_MAX_RAM_SIZE        (3072 * EMU_MIB)
#define EMU_MIN_RAM_SIZE        (1 * EMU_MIB)
#define EMU_MAX_SMP_GICV2       8
#define EMU_MAX_TB_SIZE_MB      2048

enum emu_action {
    EMU_ACTION_RUN,
    EMU_ACTION_HELP,       /* -help: print emu_cmdline_usage() */
    EMU_ACTION_VERSION,    /* -version: print emu_cmdline_version() */
    EMU_ACTION_DEBUG_HELP, /* -d help: print emu_cmdline_debug_items() */
};

enum emu_thread_mode { EMU_THREAD_SINGLE, EMU_THREAD_MULTI };

/* -accel tcg,sched=...: how the one exec thread shares itself among the
 * vCPUs (emu/sched.h). chaos needs thread=single. */
enum emu_sched_policy { EMU_SCHED_RR, EMU_SCHED_CHAOS };

/* -accel tcg,llsc=...: how LDREX/STREX are emulated (docs/design/llsc.md). */
enum emu_llsc_policy { EMU_LLSC_POLICY_EXCL, EMU_LLSC_POLICY_CAS, EMU_LLSC_POLICY_STW };

/* -accel tcg,regions=...: how the code buffer is cut (emu/region.h). */
enum emu_regions_policy { EMU_REGIONS_AUTO, EMU_REGIONS_COUNT, EMU_REGIONS_STATIC };

enum emu_semihosting_target { EMU_SEMI_TARGET_AUTO, EMU_SEMI_TARGET_NATIVE };

/* -d items, one bit each; emu_cmdline.c keeps the names and help lines. */
enum emu_debug_flag {
    EMU_DEBUG_IN_ASM       = 1u << 0,
    EMU_DEBUG_OP           = 1u << 1,
    EMU_DEBUG_EXEC         = 1u << 2,
    EMU_DEBUG_INT          = 1u << 3,
    EMU_DEBUG_UNIMP        = 1u << 4,
    EMU_DEBUG_GUEST_ERRORS = 1u << 5,
    EMU_DEBUG_FLUSH        = 1u << 6,
    EMU_DEBUG_NOCHAIN      = 1u << 7,
};

struct emu_config {
    enum emu_action action;

    /* -M virt[,prop=value...] */
    bool highmem;          /* accepted for QEMU's sake; no effect below 4 GiB */
    unsigned gic_version;  /* always 2 for now */
    char *dumpdtb;         /* -M virt,dumpdtb=FILE: write the DTB and exit */

    char *cpu;             /* "cortex-a15" */
    uint64_t ram_size;     /* bytes, a multiple of 8 KiB */
    unsigned smp;          /* 1..EMU_MAX_SMP_GICV2 */

    char *kernel;          /* -kernel, as typed (semihosting GET_CMDLINE) */
    char *append;          /* -append, NULL when not given */

    bool semihosting;
    enum emu_semihosting_target semihosting_target;

    bool nographic;
    bool serial_stdio;     /* -serial stdio given (the UART is on stdout anyway) */

    enum emu_thread_mode thread;
    unsigned tb_size_mb;   /* 0: the translator's default */
    enum emu_sched_policy sched;    /* rr unless sched=chaos */
    uint64_t seed;         /* seed=N for sched=chaos (default 0) */
    bool seed_given;       /* seed= was on the command line */
    bool thread_given;     /* thread= was on the command line */
    enum emu_llsc_policy llsc;        /* excl unless llsc= */
    enum emu_regions_policy regions;  /* automatic unless regions= */
    unsigned n_regions;               /* regions=N */

    uint32_t debug;        /* enum emu_debug_flag bits */
    char *log_file;        /* -D: NULL means stderr */

    bool no_reboot;
    bool no_shutdown;

    char *stats_file;      /* -stats: JSON counters at exit */
};

/* The defaults: virt, cortex-a15, 128 MiB, 1 CPU, thread=single. */
void emu_config_init(struct emu_config *cfg);
void emu_config_free(struct emu_config *cfg);

/* argv[0] is the program name. 0 on success, -1 with one line in err. */
int emu_cmdline_parse(int argc, char **argv, struct emu_config *cfg,
                      char *err, size_t errlen);

/* QEMU's -m forms: "128" (MiB), "128M", "1G", "1.5G", "512k", "size=128M".
 * Rounded up to 8 KiB; bounds are checked by the caller. */
int emu_parse_ram_size(const char *text, uint64_t *bytes, char *err, size_t errlen);

/* "in_asm,exec" into EMU_DEBUG_* bits. */
int emu_parse_debug_list(const char *text, uint32_t *flags, char *err, size_t errlen);

void emu_cmdline_usage(FILE *f);
void emu_cmdline_version(FILE *f);
void emu_cmdline_debug_items(FILE *f);

#endif
