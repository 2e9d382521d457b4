/*
 * emu_cmdline.c — parsing the qemu-system-arm subset into struct emu_config.
 *
 * One table lists every option with its handler; options are handled in
 * the order given, as QEMU does, so the first bad one is the one reported
 * and -help/-version stop the walk where they stand. Checks that involve
 * two options (the CPU count against the GIC, -append without -kernel)
 * run once at the end. Comma lists (-M, -m, -smp, -accel,
 * -semihosting-config) go through util/opt's key=value parser: a bare
 * first item is QEMU's "implied" key (the machine type, the size, the CPU
 * count, the accelerator).
 *
 * Every refusal names the option and says why in one line; an option that
 * is not in the table is never ignored (DESIGN.md §2b).
 */
#include "emu/emu_cmdline.h"

#include "util/fatal.h"
#include "util/opt.h"

#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Returns 0 to go on, 1 to stop walking argv (help, version), -1 on error. */
typedef int (*opt_handler)(struct emu_config *cfg, const char *arg,
                           char *err, size_t errlen);

enum option_kind {
    OPT_CALL,    /* handler does the work */
    OPT_FLAG,    /* sets the bool at offset */
    OPT_STRING,  /* keeps a copy of the argument in the char * at offset */
    OPT_PLANNED, /* strex's own, not built yet (DESIGN.md §4): refused */
};

struct emu_option {
    const char *name;   /* without the leading dash */
    enum option_kind kind;
    opt_handler handler;
    size_t offset;      /* OPT_FLAG, OPT_STRING: the field in emu_config */
    bool takes_arg;
    const char *usage;  /* for -help; NULL hides the option */
    const char *help;
};

struct debug_item {
    const char *name;
    uint32_t flag;
    const char *help;
};

static const struct debug_item debug_items[] = {
    { "in_asm", EMU_DEBUG_IN_ASM, "the guest instructions of each translated block" },
    { "op", EMU_DEBUG_OP, "the IR of each translated block" },
    { "exec", EMU_DEBUG_EXEC, "a line before each block is executed" },
    { "int", EMU_DEBUG_INT, "exceptions and interrupts taken, one line each" },
    { "unimp", EMU_DEBUG_UNIMP, "guest use of features strex-emu does not model" },
    { "guest_errors", EMU_DEBUG_GUEST_ERRORS, "invalid guest actions (bad device accesses...)" },
    { "flush", EMU_DEBUG_FLUSH, "each code-buffer flush: code_size, nb_tbs, avg_tb_size" },
    { "nochain", EMU_DEBUG_NOCHAIN, "do not chain TBs, so \"exec\" shows every TB run" },
};

#define N_DEBUG_ITEMS (sizeof(debug_items) / sizeof(debug_items[0]))

static void replace_string(char **slot, const char *value)
{
    free(*slot);
    *slot = xstrdup(value);
}

/* QEMU's boolean spellings; a bare key ("highmem") means on. */
static int parse_bool(const char *opt, const char *key, const char *value,
                      bool *out, char *err, size_t errlen)
{
    static const char *const yes[] = { "", "on", "yes", "true" };
    static const char *const no[] = { "off", "no", "false" };

    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcmp(value, yes[i]) == 0) {
            *out = true;
            return 0;
        }
    }
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        if (strcmp(value, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    snprintf(err, errlen, "%s: %s must be on or off, not '%s'", opt, key, value);
    return -1;
}

/* The first item of a QEMU comma list may be its implied key, bare. */
static bool is_implied(const struct opt_kvlist *l, size_t i, const char *implied_key)
{
    return strcmp(l->items[i].key, implied_key) == 0 || (i == 0 && l->items[i].value[0] == '\0');
}

static const char *implied_value(const struct opt_kv *kv, const char *implied_key)
{
    return strcmp(kv->key, implied_key) == 0 ? kv->value : kv->key;
}

/* A comma list; util/opt's message gets the option's name in front. */
static int parse_list(const char *opt, const char *arg, struct opt_kvlist *l,
                      char *err, size_t errlen)
{
    char why[256];

    if (opt_kv_parse(arg, ',', l, why, sizeof(why)) == 0)
        return 0;
    snprintf(err, errlen, "%s: %s", opt, why);
    return -1;
}

/* ---- -M virt[,props] ------------------------------------------------------ */

/* Properties QEMU's virt takes that change nothing for a 32-bit GICv2 guest. */
static bool is_harmless_machine_bool(const char *key)
{
    static const char *const keys[] = { "highmem", "highmem-ecam", "highmem-mmio",
                                        "highmem-redists", "its" };

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

static int machine_gic_version(struct emu_config *cfg, const char *value,
                               char *err, size_t errlen)
{
    if (strcmp(value, "2") == 0) {
        cfg->gic_version = 2;
        return 0;
    }
    if (strcmp(value, "3") == 0)
        snprintf(err, errlen, "-M virt,gic-version=3: GICv3 is not supported yet "
                 "(strex-emu models a GICv2, at most %d CPUs)", EMU_MAX_SMP_GICV2);
    else
        snprintf(err, errlen, "-M virt,gic-version=%s: not supported (use 2)", value);
    return -1;
}

/* Properties that must stay off because strex-emu does not model them. */
static int machine_must_be_off(const char *key, const char *value, const char *why,
                               char *err, size_t errlen)
{
    bool on;

    if (parse_bool("-M virt", key, value, &on, err, errlen) != 0)
        return -1;
    if (on) {
        snprintf(err, errlen, "-M virt,%s=on: %s", key, why);
        return -1;
    }
    return 0;
}

static int machine_prop(struct emu_config *cfg, const struct opt_kv *kv,
                        char *err, size_t errlen)
{
    bool on;

    if (is_harmless_machine_bool(kv->key)) {
        if (parse_bool("-M virt", kv->key, kv->value, &on, err, errlen) != 0)
            return -1;
        if (strcmp(kv->key, "highmem") == 0)
            cfg->highmem = on;
        return 0;
    }
    if (strcmp(kv->key, "gic-version") == 0)
        return machine_gic_version(cfg, kv->value, err, errlen);
    if (strcmp(kv->key, "dumpdtb") == 0 && kv->value[0]) {
        replace_string(&cfg->dumpdtb, kv->value);
        return 0;
    }
    if (strcmp(kv->key, "secure") == 0)
        return machine_must_be_off(kv->key, kv->value,
                                   "the Security Extensions are not modelled", err, errlen);
    if (strcmp(kv->key, "virtualization") == 0)
        return machine_must_be_off(kv->key, kv->value,
                                   "the Virtualization Extensions are not modelled", err, errlen);
    if (strcmp(kv->key, "dtb-randomness") == 0 || strcmp(kv->key, "dtb-kaslr-seed") == 0)
        return machine_must_be_off(kv->key, kv->value,
                                   "the device tree carries no random seeds, so it is reproducible",
                                   err, errlen);
    snprintf(err, errlen, "-M virt: unsupported machine property '%s'", kv->key);
    return -1;
}

static int opt_machine(struct emu_config *cfg, const char *arg, char *err, size_t errlen)
{
    struct opt_kvlist l;
    bool have_type = false;
    int rc = 0;

    if (parse_list("-M", arg, &l, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        if (is_implied(&l, i, "type")) {
            const char *type = implied_value(&l.items[i], "type");

            if (strcmp(type, "virt") != 0) {
                snprintf(err, errlen, "unsupported machine '%s' (only virt)", type);
                rc = -1;
            }
            have_type = true;
        } else {
            rc = machine_prop(cfg, &l.items[i], err, errlen);
        }
    }
    if (rc == 0 && !have_type) {
        snprintf(err, errlen, "-M: no machine type in '%s' (use -M virt)", arg);
        rc = -1;
    }
    opt_kv_free(&l);
    return rc;
}

/* ---- -cpu, -m, -smp ------------------------------------------------------- */

static int opt_cpu(struct emu_config *cfg, const char *arg, char *err, size_t errlen)
{
    if (strcmp(arg, "cortex-a15") != 0) {
        snprintf(err, errlen, "unsupported CPU '%s' (only cortex-a15)", arg);
        return -1;
    }
    replace_string(&cfg->cpu, arg);
    return 0;
}

static uint64_t size_unit(char suffix)
{
    switch (tolower((unsigned char)suffix)) {
    case '\0': return EMU_MIB; /* QEMU: a bare -m number is in MiB */
    case 'b': return 1;
    case 'k': return 1024;
    case 'm': return EMU_MIB;
    case 'g': return 1024 * EMU_MIB;
    case 't': return 1024 * 1024 * EMU_MIB;
    default: return 0;
    }
}

/* "12", "1.5G", "512k": whole and fractional parts kept as integers so
 * that 1.5G is exact. */
static int parse_size_number(const char *s, uint64_t *bytes, char *err, size_t errlen)
{
    uint64_t whole = 0, frac = 0, scale = 1, unit;
    const char *p = s;

    if (!isdigit((unsigned char)*p))
        goto bad;
    for (; isdigit((unsigned char)*p); p++) {
        if (whole > (1ull << 40))
            goto big;
        whole = whole * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.') {
        for (p++; isdigit((unsigned char)*p) && scale < 1000000000ull; p++) {
            frac = frac * 10 + (uint64_t)(*p - '0');
            scale *= 10;
        }
    }
    unit = size_unit(*p);
    if (!unit || (*p && p[1]))
        goto bad;
    if (whole > (1ull << 50) / unit)
        goto big;
    *bytes = whole * unit + frac * unit / scale;
    return 0;
bad:
    snprintf(err, errlen, "-m: '%s' is not a size (e.g. 128, 128M, 1G)", s);
    return -1;
big:
    snprintf(err, errlen, "-m: '%s' is too large", s);
    return -1;
}

int emu_parse_ram_size(const char *text, uint64_t *bytes, char *err, size_t errlen)
{
    struct opt_kvlist l;
    const char *size = NULL;
    int rc = 0;

    if (parse_list("-m", text, &l, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        if (is_implied(&l, i, "size")) {
            size = implied_value(&l.items[i], "size");
        } else {
            snprintf(err, errlen, "-m: '%s' is not supported (only the size: no memory hotplug)",
                     l.items[i].key);
            rc = -1;
        }
    }
    if (rc == 0 && !size) {
        snprintf(err, errlen, "-m: no size in '%s'", text);
        rc = -1;
    }
    if (rc == 0)
        rc = parse_size_number(size, bytes, err, errlen);
    if (rc == 0)
        *bytes = (*bytes + 8191) & ~(uint64_t)8191; /* QEMU rounds to 8 KiB */
    opt_kv_free(&l);
    return rc;
}

static int opt_ram(struct emu_config *cfg, const char *arg, char *err, size_t errlen)
{
    uint64_t bytes;

    if (emu_parse_ram_size(arg, &bytes, err, errlen) != 0)
        return -1;
    if (bytes < EMU_MIN_RAM_SIZE) {
        snprintf(err, errlen, "-m %s: RAM must be at least 1 MiB", arg);
        return -1;
    }
    if (bytes > EMU_MAX_RAM_SIZE) {
        snprintf(err, errlen, "-m %s: RAM of %llu MiB does not fit between 0x40000000 "
                 "and 4 GiB (at most %llu MiB)", arg,
                 (unsigned long long)(bytes / EMU_MIB),
                 (unsigned long long)(EMU_MAX_RAM_SIZE / EMU_MIB));
        return -1;
    }
    cfg->ram_size = bytes;
    return 0;
}

static bool is_topology_key(const char *key)
{
    static const char *const keys[] = { "sockets", "dies", "clusters", "cores", "threads",
                                        "books", "drawers", "maxcpus" };

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

static int smp_count(struct emu_config *cfg, const char *text, char *err, size_t errlen)
{
    unsigned long n;
    char why[128];

    if (opt_parse_ulong(text, 0, 1u << 20, &n, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "-smp: %s", why);
        return -1;
    }
    if (n == 0) {
        snprintf(err, errlen, "-smp 0: the CPU count must be at least 1");
        return -1;
    }
    cfg->smp = (unsigned)n;
    return 0;
}

static int opt_smp(struct emu_config *cfg, const char *arg, char *err, size_t errlen)
{
    struct opt_kvlist l;
    int rc = 0;

    if (parse_list("-smp", arg, &l, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        const char *key = l.items[i].key;

        if (is_implied(&l, i, "cpus")) {
            rc = smp_count(cfg, implied_value(&l.items[i], "cpus"), err, errlen);
        } else if (is_topology_key(key)) {
            snprintf(err, errlen, "-smp %s: topology option '%s' is not supported "
                     "(give only the CPU count: -smp N)", arg, key);
            rc = -1;
        } else {
            snprintf(err, errlen, "-smp: unsupported property '%s'", key);
            rc = -1;
        }
    }
    opt_kv_free(&l);
    return rc;
}

/* ---- -kernel, -append, semihosting, serial -------------------------------- */

static int semihosting_target(struct emu_config *cfg, const char *value,
                              char *err, size_t errlen)
{
    if (strcmp(value, "native") == 0) {
        cfg->semihosting_target = EMU_SEMI_TARGET_NATIVE;
        return 0;
    }
    if (strcmp(value, "auto") == 0) {
        cfg->semihosting_target = EMU_SEMI_TARGET_AUTO;
        return 0;
    }
    if (strcmp(value, "gdb") == 0)
        snprintf(err, errlen, "-semihosting-config: target=gdb is not supported "
                 "(strex-emu has no gdbstub)");
    else
        snprintf(err, errlen, "-semihosting-config: target must be native or auto, "
                 "not '%s'", value);
    return -1;
}

/* QEMU 7.2 turns semihosting on for -semihosting-config without enable=. */
static int opt_semihosting_config(struct emu_config *cfg, const char *arg,
                                  char *err, size_t errlen)
{
    struct opt_kvlist l;
    bool enable = true;
    int rc = 0;

    if (parse_list("-semihosting-config", arg, &l, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        const struct opt_kv *kv = &l.items[i];

        if (is_implied(&l, i, "enable")) {
            rc = parse_bool("-semihosting-config", "enable", implied_value(kv, "enable"),
                            &enable, err, errlen);
        } else if (strcmp(kv->key, "target") == 0) {
            rc = semihosting_target(cfg, kv->value, err, errlen);
        } else {
            snprintf(err, errlen, "-semihosting-config: '%s' is not supported", kv->key);
            rc = -1;
        }
    }
    if (rc == 0)
        cfg->semihosting = enable;
    opt_kv_free(&l);
    return rc;
}

static int opt_serial(struct emu_config *cfg, const char *arg, char *err, size_t errlen)
{
    if (strcmp(arg, "stdio") != 0) {
        snprintf(err, errlen, "-serial %s: not supported (only stdio)", arg);
        return -1;
    }
    if (cfg->serial_stdio) {
        snprintf(err, errlen, "-serial given twice: the virt board has one UART");
        return -1;
    }
    cfg->serial_stdio = true;
    return 0;
}

/* ---- -accel tcg[,thread=...][,tb-size=MB][,sched=rr|chaos][,seed=N] ---------- */

static int accel_thread(struct emu_config *cfg, const char *value, char *err, size_t errlen)
{
    if (strcmp(value, "single") == 0 || strcmp(value, "multi") == 0) {
        cfg->thread = value[0] == 's' ? EMU_THREAD_SINGLE : EMU_THREAD_MULTI;
        cfg->thread_given = true;
        return 0;
    }
    snprintf(err, errlen, "-accel: thread must be single or multi, not '%s'", value);
    return -1;
}

static int accel_tb_size(struct emu_config *cfg, const char *value, char *err, size_t errlen)
{
    unsigned long mb;
    char why[128];

    if (opt_parse_ulong(value, 0, EMU_MAX_TB_SIZE_MB, &mb, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "-accel tcg,tb-size=%s: %s (MiB)", value, why);
        return -1;
    }
    cfg->tb_size_mb = (unsigned)mb;
    return 0;
}

static int accel_sched(struct emu_config *cfg, const char *value, char *err, size_t errlen)
{
    if (strcmp(value, "rr") == 0)
        cfg->sched = EMU_SCHED_RR;
    else if (strcmp(value, "chaos") == 0)
        cfg->sched = EMU_SCHED_CHAOS;
    else {
        snprintf(err, errlen, "-accel: sched must be rr or chaos, not '%s'", value);
        return -1;
    }
    return 0;
}

static int accel_seed(struct emu_config *cfg, const char *value, char *err, size_t errlen)
{
    unsigned long seed;
    char why[128];

    if (opt_parse_ulong(value, 0, ULONG_MAX, &seed, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "-accel tcg,seed=%s: %s", value, why);
        return -1;
    }
    cfg->seed = seed;
    cfg->seed_given = true;
    return 0;
}

static int accel_llsc(struct emu_config *cfg, const char *value, char *err, size_t errlen)
{
    if (strcmp(value, "excl") == 0)
        cfg->llsc = EMU_LLSC_POLICY_EXCL;
    else if (strcmp(value, "cas") == 0)
        cfg->llsc = EMU_LLSC_POLICY_CAS;
    else if (strcmp(value, "stw") == 0)
        cfg->llsc = EMU_LLSC_POLICY_STW;
    else {
        snprintf(err, errlen, "-accel: llsc must be cas, excl or stw, not '%s'", value);
        return -1;
    }
    return 0;
}

/* regions=N (1..4096) or regions=static; whether N regions fit the buffer
 * is checked when the buffer is cut. */
static int accel_regions(struct emu_config *cfg, const char *value, char *err, size_t errlen)
{
    unsigned long n;
    char why[128];

    if (strcmp(value, "static") == 0) {
        cfg->regions = EMU_REGIONS_STATIC;
        return 0;
    }
    if (strcmp(value, "auto") == 0) {
        cfg->regions = EMU_REGIONS_AUTO;
        return 0;
    }
    if (opt_parse_ulong(value, 1, 4096, &n, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "-accel tcg,regions=%s: %s (a count 1..4096, auto or static)",
                 value, why);
        return -1;
    }
    cfg->regions = EMU_REGIONS_COUNT;
    cfg->n_regions = (unsigned)n;
    return 0;
}

static int accel_item(struct emu_config *cfg, const struct opt_kvlist *l, size_t i,
                      bool *named, char *err, size_t errlen)
{
    const struct opt_kv *kv = &l->items[i];

    if (is_implied(l, i, "accel")) {
        const char *name = implied_value(kv, "accel");

        *named = true;
        if (strcmp(name, "tcg") == 0)
            return 0;
        snprintf(err, errlen, "-accel %s: only tcg is supported", name);
        return -1;
    }
    if (strcmp(kv->key, "thread") == 0)
        return accel_thread(cfg, kv->value, err, errlen);
    if (strcmp(kv->key, "tb-size") == 0)
        return accel_tb_size(cfg, kv->value, err, errlen);
    if (strcmp(kv->key, "sched") == 0)
        return accel_sched(cfg, kv->value, err, errlen);
    if (strcmp(kv->key, "seed") == 0)
        return accel_seed(cfg, kv->value, err, errlen);
    if (strcmp(kv->key, "llsc") == 0)
        return accel_llsc(cfg, kv->value, err, errlen);
    if (strcmp(kv->key, "regions") == 0)
        return accel_regions(cfg, kv->value, err, errlen);
    snprintf(err, errlen, "-accel: unsupported property '%s'", kv->key);
    return -1;
}

static int opt_accel(struct emu_config *cfg, const char *arg, char *err, size_t errlen)
{
    struct opt_kvlist l;
    bool named = false;
    int rc = 0;

    if (parse_list("-accel", arg, &l, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < l.n && rc == 0; i++)
        rc = accel_item(cfg, &l, i, &named, err, errlen);
    if (rc == 0 && !named) {
        snprintf(err, errlen, "-accel: no accelerator named in '%s' (use -accel tcg,...)", arg);
        rc = -1;
    }
    opt_kv_free(&l);
    return rc;
}

/* ---- -d, -D, exits, strex's own options ------------------------------------ */

int emu_parse_debug_list(const char *text, uint32_t *flags, char *err, size_t errlen)
{
    char **words;
    size_t n;
    char why[128];
    uint32_t bits = 0;
    int rc = 0;

    if (opt_parse_words(text, &words, &n, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "-d: %s", why);
        return -1;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t j = 0;

        while (j < N_DEBUG_ITEMS && strcmp(words[i], debug_items[j].name) != 0)
            j++;
        if (j == N_DEBUG_ITEMS) {
            snprintf(err, errlen, "-d: unknown log item '%s' (-d help lists them)", words[i]);
            rc = -1;
        } else {
            bits |= debug_items[j].flag;
        }
    }
    opt_free_words(words, n);
    if (rc == 0)
        *flags = bits;
    return rc;
}

static int opt_debug(struct emu_config *cfg, const char *arg, char *err, size_t errlen)
{
    if (strcmp(arg, "help") == 0) {
        cfg->action = EMU_ACTION_DEBUG_HELP;
        return 1;
    }
    return emu_parse_debug_list(arg, &cfg->debug, err, errlen);
}

static int opt_version(struct emu_config *cfg, const char *arg, char *err, size_t errlen)
{
    (void)arg, (void)err, (void)errlen;
    cfg->action = EMU_ACTION_VERSION;
    return 1;
}

static int opt_help(struct emu_config *cfg, const char *arg, char *err, size_t errlen)
{
    (void)arg, (void)err, (void)errlen;
    cfg->action = EMU_ACTION_HELP;
    return 1;
}

#define CALL(fn) OPT_CALL, fn, 0
#define FIELD(kind, field) kind, NULL, offsetof(struct emu_config, field)

static const struct emu_option options[] = {
    { "M", CALL(opt_machine), true, "-M virt[,prop=value...]",
      "the machine (highmem=, gic-version=2, dumpdtb=FILE)" },
    { "machine", CALL(opt_machine), true, NULL, NULL },
    { "cpu", CALL(opt_cpu), true, "-cpu cortex-a15", "the CPU" },
    { "m", CALL(opt_ram), true, "-m SIZE", "RAM: 128, 128M, 1G (default 128M, at most 3G)" },
    { "smp", CALL(opt_smp), true, "-smp N|cpus=N", "number of vCPUs, 1..8" },
    { "kernel", FIELD(OPT_STRING, kernel), true, "-kernel FILE", "ELF or raw image to boot" },
    { "append", FIELD(OPT_STRING, append), true, "-append TEXT",
      "guest command line (semihosting, /chosen/bootargs)" },
    { "semihosting", FIELD(OPT_FLAG, semihosting), false, "-semihosting",
      "ARM semihosting (SVC 0x123456, HLT 0xF000)" },
    { "semihosting-config", CALL(opt_semihosting_config), true,
      "-semihosting-config enable=on[,target=native]", "" },
    { "nographic", FIELD(OPT_FLAG, nographic), false, "-nographic",
      "no display; the UART is on stdout" },
    { "serial", CALL(opt_serial), true, "-serial stdio", "the UART on stdio (the default)" },
    { "accel", CALL(opt_accel), true,
      "-accel tcg[,thread=single|multi][,tb-size=MB][,sched=rr|chaos][,seed=N][,llsc=cas|excl|stw][,regions=N|static]",
      "sched=chaos,seed=N: a seeded, replayable schedule (strex)" },
    { "d", CALL(opt_debug), true, "-d ITEM,...", "log items (-d help lists them)" },
    { "D", FIELD(OPT_STRING, log_file), true, "-D FILE", "write the -d log to FILE" },
    { "no-reboot", FIELD(OPT_FLAG, no_reboot), false, "-no-reboot",
      "exit on guest reset instead of rebooting" },
    { "no-shutdown", FIELD(OPT_FLAG, no_shutdown), false, "-no-shutdown",
      "stay (paused) on guest power-off" },
    { "stats", FIELD(OPT_STRING, stats_file), true, "-stats FILE",
      "write JSON counters at exit (strex)" },
    { "check", OPT_PLANNED, NULL, 0, true, NULL, NULL },
    { "inject", OPT_PLANNED, NULL, 0, true, NULL, NULL },
    { "version", CALL(opt_version), false, "-version", "print the version" },
    { "help", CALL(opt_help), false, "-help, -h", "print this help" },
    { "h", CALL(opt_help), false, NULL, NULL },
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

/* "-x" or "--x" to its table entry, or NULL. */
static const struct emu_option *find_option(const char *word)
{
    const char *name = word + (word[1] == '-' ? 2 : 1);

    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strcmp(name, options[i].name) == 0)
            return &options[i];
    return NULL;
}

/* Defaults that depend on several options: as QEMU, one host thread per
 * vCPU when there are several, unless a replayable schedule wants one. */
static void finish_config(struct emu_config *cfg)
{
    if (!cfg->thread_given)
        cfg->thread = cfg->smp > 1 && cfg->sched != EMU_SCHED_CHAOS ? EMU_THREAD_MULTI
                                                                   : EMU_THREAD_SINGLE;
}

/* Cross-option checks, once every option is known. */
static int check_config(const struct emu_config *cfg, char *err, size_t errlen)
{
    if (cfg->smp > EMU_MAX_SMP_GICV2) {
        snprintf(err, errlen, "Number of SMP CPUs requested (%u) exceeds max CPUs supported "
                 "by machine 'mach-virt' (%d)", cfg->smp, EMU_MAX_SMP_GICV2);
        return -1;
    }
    if (cfg->append && !cfg->kernel) {
        snprintf(err, errlen, "-append only allowed with -kernel option");
        return -1;
    }
    if (cfg->sched == EMU_SCHED_CHAOS && cfg->thread != EMU_THREAD_SINGLE) {
        snprintf(err, errlen, "-accel tcg,sched=chaos needs thread=single "
                 "(a replayable schedule runs every vCPU on one host thread)");
        return -1;
    }
    if (cfg->seed_given && cfg->sched != EMU_SCHED_CHAOS) {
        snprintf(err, errlen, "-accel tcg,seed=%llu: only sched=chaos takes a seed",
                 (unsigned long long)cfg->seed);
        return -1;
    }
    if (!cfg->kernel && !cfg->dumpdtb) {
        snprintf(err, errlen, "no -kernel given (strex-emu boots an ELF or raw image)");
        return -1;
    }
    return 0;
}

static int apply_option(const struct emu_option *opt, const char *word, const char *arg,
                        struct emu_config *cfg, char *err, size_t errlen)
{
    char *field = (char *)cfg + opt->offset;

    switch (opt->kind) {
    case OPT_FLAG:
        *(bool *)field = true;
        return 0;
    case OPT_STRING:
        replace_string((char **)field, arg); /* QEMU: the last one wins */
        return 0;
    case OPT_PLANNED:
        snprintf(err, errlen, "%s is not supported yet", word);
        return -1;
    case OPT_CALL:
        break;
    }
    return opt->handler(cfg, arg, err, errlen);
}

static int parse_one(int argc, char **argv, int *i, struct emu_config *cfg,
                     char *err, size_t errlen)
{
    const char *word = argv[*i];
    const struct emu_option *opt;
    const char *arg = NULL;

    if (word[0] != '-' || word[1] == '\0') {
        snprintf(err, errlen, "unexpected argument '%s' (disk images are not supported)", word);
        return -1;
    }
    opt = find_option(word);
    if (!opt) {
        snprintf(err, errlen, "unsupported option '%s'", word);
        return -1;
    }
    if (opt->takes_arg) {
        if (*i + 1 >= argc) {
            snprintf(err, errlen, "%s: requires an argument", word);
            return -1;
        }
        arg = argv[++*i];
    }
    return apply_option(opt, word, arg, cfg, err, errlen);
}

int emu_cmdline_parse(int argc, char **argv, struct emu_config *cfg,
                      char *err, size_t errlen)
{
    for (int i = 1; i < argc; i++) {
        int rc = parse_one(argc, argv, &i, cfg, err, errlen);

        if (rc < 0)
            return -1;
        if (rc > 0)
            return 0; /* -help, -version, -d help: nothing after them matters */
    }
    finish_config(cfg);
    return check_config(cfg, err, errlen);
}

void emu_config_init(struct emu_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->action = EMU_ACTION_RUN;
    cfg->highmem = true;
    cfg->gic_version = 2;
    cfg->cpu = xstrdup("cortex-a15");
    cfg->ram_size = EMU_DEFAULT_RAM_SIZE;
    cfg->smp = 1;
    cfg->semihosting_target = EMU_SEMI_TARGET_AUTO;
    cfg->thread = EMU_THREAD_SINGLE; /* until -smp says more than one (finish_config) */
}

void emu_config_free(struct emu_config *cfg)
{
    free(cfg->dumpdtb);
    free(cfg->cpu);
    free(cfg->kernel);
    free(cfg->append);
    free(cfg->log_file);
    free(cfg->stats_file);
    memset(cfg, 0, sizeof(*cfg));
}

void emu_cmdline_usage(FILE *f)
{
    fprintf(f, "usage: strex-emu -M virt -cpu cortex-a15 [options] -kernel FILE\n"
               "A qemu-system-arm compatible subset; any other option is an error.\n\n");
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (options[i].usage && options[i].help[0])
            fprintf(f, "  %-26s %s\n", options[i].usage, options[i].help);
        else if (options[i].usage)
            fprintf(f, "  %s\n", options[i].usage);
}

void emu_cmdline_version(FILE *f)
{
    fprintf(f, "%s\n", EMU_VERSION_LINE);
}

void emu_cmdline_debug_items(FILE *f)
{
    fprintf(f, "Log items (comma separated):\n");
    for (size_t i = 0; i < N_DEBUG_ITEMS; i++)
        fprintf(f, "%-13s %s\n", debug_items[i].name, debug_items[i].help);
}
