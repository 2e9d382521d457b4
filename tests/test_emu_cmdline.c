/*
 * test_emu_cmdline.c — the strex-emu command line (emu/emu_cmdline.c):
 * QEMU's forms accepted, and every refusal as the one line the user sees.
 */
#include "emu/emu_cmdline.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static struct emu_config cfg;
static char err[512];

static void setup(void)
{
    emu_config_init(&cfg);
    err[0] = '\0';
}

static void teardown(void)
{
    emu_config_free(&cfg);
}

/* Parses a NULL-terminated list of words after "strex-emu", into a fresh
 * config each time. */
static int parse_words(const char *const *words)
{
    char *argv[40] = { "strex-emu" };
    int argc = 1;

    teardown();
    setup();
    while (*words)
        argv[argc++] = (char *)*words++;
    return emu_cmdline_parse(argc, argv, &cfg, err, sizeof(err));
}

#define PARSE(...) parse_words((const char *const[]){ __VA_ARGS__, NULL })
/* The words of a run that is otherwise complete. */
#define PARSE_K(...) PARSE("-kernel", "x.elf", __VA_ARGS__)

static void expect_error(int rc, const char *message)
{
    ck_assert_int_eq(rc, -1);
    ck_assert_str_eq(err, message);
}

START_TEST(harness_command_line_is_accepted)
{
    ck_assert_int_eq(PARSE("-M", "virt", "-cpu", "cortex-a15", "-nographic", "-semihosting",
                           "-smp", "4", "-accel", "tcg,thread=single", "-kernel", "x.elf",
                           "-append", "a=1 b=2"), 0);
    ck_assert_int_eq(cfg.action, EMU_ACTION_RUN);
    ck_assert_str_eq(cfg.cpu, "cortex-a15");
    ck_assert(cfg.nographic);
    ck_assert(cfg.semihosting);
    ck_assert_uint_eq(cfg.smp, 4);
    ck_assert_int_eq(cfg.thread, EMU_THREAD_SINGLE);
    ck_assert_str_eq(cfg.kernel, "x.elf");
    ck_assert_str_eq(cfg.append, "a=1 b=2");
}
END_TEST

START_TEST(defaults_match_qemu_virt_with_single_thread)
{
    ck_assert_int_eq(PARSE("-kernel", "x.elf"), 0);
    ck_assert_uint_eq(cfg.ram_size, 128 * EMU_MIB);
    ck_assert_uint_eq(cfg.smp, 1);
    ck_assert_uint_eq(cfg.gic_version, 2);
    ck_assert(cfg.highmem);
    ck_assert_int_eq(cfg.thread, EMU_THREAD_SINGLE);
    ck_assert_uint_eq(cfg.tb_size_mb, 0);
    ck_assert_int_eq(cfg.sched, EMU_SCHED_RR);
    ck_assert(!cfg.seed_given);
    ck_assert(!cfg.semihosting);
    ck_assert_ptr_null(cfg.append);
    ck_assert_ptr_null(cfg.log_file);
    ck_assert_ptr_null(cfg.stats_file);
    ck_assert_uint_eq(cfg.debug, 0);
    ck_assert(!cfg.no_reboot && !cfg.no_shutdown && !cfg.serial_stdio);
}
END_TEST

START_TEST(ram_size_takes_qemu_forms)
{
    static const struct { const char *text; uint64_t bytes; } cases[] = {
        { "128", 128 * EMU_MIB },      { "256M", 256 * EMU_MIB }, { "1G", 1024 * EMU_MIB },
        { "size=64M", 64 * EMU_MIB }, { "1.5G", 1536 * EMU_MIB }, { "2048k", 2 * EMU_MIB },
        { "3G", 3072 * EMU_MIB },      { "1025k", 1056768 },      { "1m", EMU_MIB },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_msg(PARSE_K("-m", cases[i].text) == 0, "%s: %s", cases[i].text, err);
        ck_assert_uint_eq(cfg.ram_size, cases[i].bytes);
    }
}
END_TEST

START_TEST(ram_size_errors_are_one_line)
{
    expect_error(PARSE_K("-m", "4G"), "-m 4G: RAM of 4096 MiB does not fit between "
                 "0x40000000 and 4 GiB (at most 3072 MiB)");
    expect_error(PARSE_K("-m", "3073M"), "-m 3073M: RAM of 3073 MiB does not fit between "
                 "0x40000000 and 4 GiB (at most 3072 MiB)");
    expect_error(PARSE_K("-m", "0"), "-m 0: RAM must be at least 1 MiB");
    expect_error(PARSE_K("-m", "512k"), "-m 512k: RAM must be at least 1 MiB");
    expect_error(PARSE_K("-m", "lots"), "-m: 'lots' is not a size (e.g. 128, 128M, 1G)");
    expect_error(PARSE_K("-m", "12X"), "-m: '12X' is not a size (e.g. 128, 128M, 1G)");
    expect_error(PARSE_K("-m", "99999999999999T"), "-m: '99999999999999T' is too large");
    expect_error(PARSE_K("-m", "size=1G,maxmem=2G"),
                 "-m: 'maxmem' is not supported (only the size: no memory hotplug)");
}
END_TEST

START_TEST(smp_takes_a_count_or_cpus)
{
    ck_assert_int_eq(PARSE_K("-smp", "8"), 0);
    ck_assert_uint_eq(cfg.smp, 8);
    ck_assert_int_eq(PARSE_K("-smp", "cpus=2"), 0);
    ck_assert_uint_eq(cfg.smp, 2);
}
END_TEST

START_TEST(smp_errors_are_one_line)
{
    expect_error(PARSE_K("-smp", "9"), "Number of SMP CPUs requested (9) exceeds max CPUs "
                 "supported by machine 'mach-virt' (8)");
    expect_error(PARSE_K("-smp", "0"), "-smp 0: the CPU count must be at least 1");
    expect_error(PARSE_K("-smp", "four"), "-smp: 'four' is not a number");
    expect_error(PARSE_K("-smp", "4,sockets=2"), "-smp 4,sockets=2: topology option "
                 "'sockets' is not supported (give only the CPU count: -smp N)");
    expect_error(PARSE_K("-smp", "cpus=4,cores=4"), "-smp cpus=4,cores=4: topology option "
                 "'cores' is not supported (give only the CPU count: -smp N)");
    expect_error(PARSE_K("-smp", "4,foo=1"), "-smp: unsupported property 'foo'");
    expect_error(PARSE_K("-smp", "4,"), "-smp: trailing ',' in '4,'");
}
END_TEST

START_TEST(machine_accepts_virt_and_harmless_properties)
{
    ck_assert_int_eq(PARSE_K("-M", "virt,highmem=off,gic-version=2,its=off,secure=off,"
                             "virtualization=off,dtb-randomness=off"), 0);
    ck_assert(!cfg.highmem);
    ck_assert_uint_eq(cfg.gic_version, 2);
    ck_assert_int_eq(PARSE_K("-machine", "type=virt,highmem=on"), 0);
    ck_assert(cfg.highmem);
}
END_TEST

START_TEST(machine_dumpdtb_needs_no_kernel)
{
    ck_assert_int_eq(PARSE("-M", "virt,dumpdtb=out.dtb", "-smp", "2"), 0);
    ck_assert_str_eq(cfg.dumpdtb, "out.dtb");
}
END_TEST

START_TEST(machine_errors_are_one_line)
{
    expect_error(PARSE_K("-M", "virt,gic-version=3"), "-M virt,gic-version=3: GICv3 is not "
                 "supported yet (strex-emu models a GICv2, at most 8 CPUs)");
    expect_error(PARSE_K("-M", "virt,gic-version=max"),
                 "-M virt,gic-version=max: not supported (use 2)");
    expect_error(PARSE_K("-M", "vexpress-a15"), "unsupported machine 'vexpress-a15' (only virt)");
    expect_error(PARSE_K("-M", "virt,secure=on"),
                 "-M virt,secure=on: the Security Extensions are not modelled");
    expect_error(PARSE_K("-M", "virt,virtualization=on"),
                 "-M virt,virtualization=on: the Virtualization Extensions are not modelled");
    expect_error(PARSE_K("-M", "virt,dtb-randomness=on"), "-M virt,dtb-randomness=on: the "
                 "device tree carries no random seeds, so it is reproducible");
    expect_error(PARSE_K("-M", "virt,highmem=maybe"),
                 "-M virt: highmem must be on or off, not 'maybe'");
    expect_error(PARSE_K("-M", "virt,acpi=on"), "-M virt: unsupported machine property 'acpi'");
    expect_error(PARSE_K("-M", "gic-version=2"),
                 "-M: no machine type in 'gic-version=2' (use -M virt)");
    expect_error(PARSE_K("-M", "virt,,x"), "-M: empty item in 'virt,,x'");
    expect_error(PARSE_K("-M", "virt,=on"), "-M: missing key before '=' in 'virt,=on'");
}
END_TEST

START_TEST(cpu_must_be_cortex_a15)
{
    expect_error(PARSE_K("-cpu", "cortex-a9"), "unsupported CPU 'cortex-a9' (only cortex-a15)");
    expect_error(PARSE_K("-cpu", "max"), "unsupported CPU 'max' (only cortex-a15)");
}
END_TEST

START_TEST(accel_takes_tcg_thread_single_and_tb_size)
{
    ck_assert_int_eq(PARSE_K("-accel", "tcg"), 0);
    ck_assert_int_eq(PARSE_K("-accel", "tcg,thread=single,tb-size=64"), 0);
    ck_assert_int_eq(cfg.thread, EMU_THREAD_SINGLE);
    ck_assert_uint_eq(cfg.tb_size_mb, 64);
    ck_assert_int_eq(PARSE_K("-accel", "accel=tcg,tb-size=0"), 0);
    ck_assert_uint_eq(cfg.tb_size_mb, 0);
}
END_TEST

START_TEST(accel_takes_sched_and_seed)
{
    ck_assert_int_eq(PARSE_K("-accel", "tcg,thread=single,sched=chaos,seed=7"), 0);
    ck_assert_int_eq(cfg.sched, EMU_SCHED_CHAOS);
    ck_assert_uint_eq(cfg.seed, 7);
    ck_assert(cfg.seed_given);
    ck_assert_int_eq(PARSE_K("-accel", "tcg,sched=chaos"), 0);     /* seed 0 */
    ck_assert_int_eq(cfg.sched, EMU_SCHED_CHAOS);
    ck_assert_uint_eq(cfg.seed, 0);
    ck_assert_int_eq(PARSE_K("-accel", "tcg,seed=18446744073709551615,sched=chaos"), 0);
    ck_assert_uint_eq(cfg.seed, UINT64_MAX);
    ck_assert_int_eq(PARSE_K("-accel", "tcg,sched=rr"), 0);
    ck_assert_int_eq(cfg.sched, EMU_SCHED_RR);
}
END_TEST

START_TEST(sched_and_seed_errors_are_one_line)
{
    expect_error(PARSE_K("-accel", "tcg,sched=random"),
                 "-accel: sched must be rr or chaos, not 'random'");
    expect_error(PARSE_K("-accel", "tcg,sched=chaos,seed=x7"),
                 "-accel tcg,seed=x7: 'x7' is not a number");
    expect_error(PARSE_K("-accel", "tcg,sched=chaos,seed=-1"),
                 "-accel tcg,seed=-1: '-1' is not a number");
    expect_error(PARSE_K("-accel", "tcg,sched=chaos,seed=18446744073709551616"),
                 "-accel tcg,seed=18446744073709551616: '18446744073709551616' is not a number");
    expect_error(PARSE_K("-accel", "tcg,seed=7"),
                 "-accel tcg,seed=7: only sched=chaos takes a seed");
    expect_error(PARSE_K("-accel", "tcg,sched=rr,seed=7"),
                 "-accel tcg,seed=7: only sched=chaos takes a seed");
}
END_TEST

START_TEST(thread_defaults_to_multi_with_several_vcpus)
{
    ck_assert_int_eq(PARSE("-smp", "4", "-kernel", "x.elf"), 0);
    ck_assert_int_eq(cfg.thread, EMU_THREAD_MULTI);
    ck_assert_int_eq(PARSE("-smp", "4", "-accel", "tcg,sched=chaos", "-kernel", "x.elf"), 0);
    ck_assert_int_eq(cfg.thread, EMU_THREAD_SINGLE);
    ck_assert_int_eq(PARSE("-smp", "4", "-accel", "tcg,thread=single", "-kernel", "x.elf"), 0);
    ck_assert_int_eq(cfg.thread, EMU_THREAD_SINGLE);
    ck_assert_int_eq(PARSE("-smp", "1", "-accel", "tcg,thread=multi", "-kernel", "x.elf"), 0);
    ck_assert_int_eq(cfg.thread, EMU_THREAD_MULTI);
}
END_TEST

START_TEST(accel_errors_are_one_line)
{
    expect_error(PARSE_K("-accel", "tcg,thread=many"),
                 "-accel: thread must be single or multi, not 'many'");
    expect_error(PARSE_K("-accel", "kvm"), "-accel kvm: only tcg is supported");
    expect_error(PARSE_K("-accel", "thread=single"),
                 "-accel: no accelerator named in 'thread=single' (use -accel tcg,...)");
    expect_error(PARSE_K("-accel", "tcg,tb-size=5000"),
                 "-accel tcg,tb-size=5000: 5000 is out of range [0, 2048] (MiB)");
    expect_error(PARSE_K("-accel", "tcg,tb-size=big"),
                 "-accel tcg,tb-size=big: 'big' is not a number (MiB)");
    expect_error(PARSE_K("-accel", "tcg,llsc=ll"), "-accel: llsc must be cas, excl or stw, not 'll'");
    expect_error(PARSE_K("-accel", "tcg,regions=0"),
                 "-accel tcg,regions=0: 0 is out of range [1, 4096] (a count 1..4096, auto or static)");
    expect_error(PARSE_K("-accel", "tcg,split-wx=on"), "-accel: unsupported property 'split-wx'");
    expect_error(PARSE_K("-accel", ""), "-accel: no accelerator named in '' (use -accel tcg,...)");
}
END_TEST

START_TEST(semihosting_config_enables_with_target)
{
    ck_assert_int_eq(PARSE_K("-semihosting-config", "enable=on,target=native"), 0);
    ck_assert(cfg.semihosting);
    ck_assert_int_eq(cfg.semihosting_target, EMU_SEMI_TARGET_NATIVE);
    ck_assert_int_eq(PARSE_K("-semihosting-config", "enable=off"), 0);
    ck_assert(!cfg.semihosting);
    /* QEMU 7.2 turns it on when enable= is left out */
    ck_assert_int_eq(PARSE_K("-semihosting-config", "target=auto"), 0);
    ck_assert(cfg.semihosting);
    ck_assert_int_eq(cfg.semihosting_target, EMU_SEMI_TARGET_AUTO);
}
END_TEST

START_TEST(semihosting_config_errors_are_one_line)
{
    expect_error(PARSE_K("-semihosting-config", "enable=on,target=gdb"),
                 "-semihosting-config: target=gdb is not supported (strex-emu has no gdbstub)");
    expect_error(PARSE_K("-semihosting-config", "target=serial"),
                 "-semihosting-config: target must be native or auto, not 'serial'");
    expect_error(PARSE_K("-semihosting-config", "enable=on,arg=foo"),
                 "-semihosting-config: 'arg' is not supported");
    expect_error(PARSE_K("-semihosting-config", "enable=perhaps"),
                 "-semihosting-config: enable must be on or off, not 'perhaps'");
}
END_TEST

START_TEST(debug_items_become_bits)
{
    ck_assert_int_eq(PARSE_K("-d", "in_asm,op,exec,int,unimp,guest_errors,flush,nochain", "-D", "log.txt"),
                     0);
    ck_assert_uint_eq(cfg.debug, EMU_DEBUG_IN_ASM | EMU_DEBUG_OP | EMU_DEBUG_EXEC |
                                 EMU_DEBUG_INT | EMU_DEBUG_UNIMP | EMU_DEBUG_GUEST_ERRORS |
                                 EMU_DEBUG_FLUSH | EMU_DEBUG_NOCHAIN);
    ck_assert_str_eq(cfg.log_file, "log.txt");
    ck_assert_int_eq(PARSE_K("-d", "int"), 0); /* a later -d replaces, as in QEMU */
    ck_assert_uint_eq(cfg.debug, EMU_DEBUG_INT);
}
END_TEST

START_TEST(debug_errors_and_help)
{
    expect_error(PARSE_K("-d", "in_asm,bogus"), "-d: unknown log item 'bogus' (-d help lists them)");
    expect_error(PARSE_K("-d", "int,"), "-d: empty item in list 'int,'");
    ck_assert_int_eq(PARSE("-d", "help", "-bogus"), 0);
    ck_assert_int_eq(cfg.action, EMU_ACTION_DEBUG_HELP);
}
END_TEST

START_TEST(serial_is_stdio_once)
{
    ck_assert_int_eq(PARSE_K("-serial", "stdio"), 0);
    ck_assert(cfg.serial_stdio);
    expect_error(PARSE_K("-serial", "stdio", "-serial", "stdio"),
                 "-serial given twice: the virt board has one UART");
    expect_error(PARSE_K("-serial", "pty"), "-serial pty: not supported (only stdio)");
}
END_TEST

START_TEST(flags_files_and_last_kernel_wins)
{
    ck_assert_int_eq(PARSE("-kernel", "a.elf", "--kernel", "b.elf", "-no-reboot", "-no-shutdown",
                           "-stats", "s.json", "-nographic"), 0);
    ck_assert_str_eq(cfg.kernel, "b.elf");
    ck_assert(cfg.no_reboot && cfg.no_shutdown && cfg.nographic);
    ck_assert_str_eq(cfg.stats_file, "s.json");
}
END_TEST

START_TEST(version_and_help_stop_the_walk)
{
    static const char *const help[] = { "-help", "-h", "--help" };

    ck_assert_int_eq(PARSE("-version", "-bogus"), 0);
    ck_assert_int_eq(cfg.action, EMU_ACTION_VERSION);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(PARSE(help[i], "-bogus"), 0);
        ck_assert_int_eq(cfg.action, EMU_ACTION_HELP);
    }
}
END_TEST

/* The text printed by fn, in a buffer the caller frees. */
static char *printed(void (*fn)(FILE *))
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    fn(f);
    fclose(f);
    return text;
}

START_TEST(version_usage_and_debug_texts)
{
    char *version = printed(emu_cmdline_version);
    char *usage = printed(emu_cmdline_usage);
    char *items = printed(emu_cmdline_debug_items);
    static const char *const names[] = { "in_asm", "op", "exec", "int", "unimp",
                                         "guest_errors", "flush", "nochain" };

    ck_assert_str_eq(version, "strex-emu version 0.1 (qemu-system-arm compatible subset)\n");
    ck_assert_ptr_nonnull(strstr(usage, "-kernel FILE"));
    ck_assert_ptr_nonnull(strstr(usage, "-semihosting-config"));
    ck_assert_ptr_null(strstr(usage, "-inject"));
    for (size_t i = 0; i < 7; i++)
        ck_assert_ptr_nonnull(strstr(items, names[i]));
    free(version);
    free(usage);
    free(items);
}
END_TEST

START_TEST(unknown_options_and_missing_arguments)
{
    expect_error(PARSE_K("-x"), "unsupported option '-x'");
    expect_error(PARSE_K("-hda", "disk.img"), "unsupported option '-hda'");
    expect_error(PARSE_K("--frobnicate"), "unsupported option '--frobnicate'");
    expect_error(PARSE_K("disk.img"), "unexpected argument 'disk.img' (disk images are not supported)");
    expect_error(PARSE_K("-"), "unexpected argument '-' (disk images are not supported)");
    expect_error(PARSE("-kernel"), "-kernel: requires an argument");
    expect_error(PARSE_K("-smp"), "-smp: requires an argument");
}
END_TEST

START_TEST(cross_option_errors)
{
    expect_error(PARSE("-append", "a=1"), "-append only allowed with -kernel option");
    expect_error(PARSE("-smp", "2"), "no -kernel given (strex-emu boots an ELF or raw image)");
}
END_TEST

START_TEST(planned_strex_options_are_refused)
{
    expect_error(PARSE_K("-check", "llsc"), "-check is not supported yet");
    expect_error(PARSE_K("-inject", "aba"), "-inject is not supported yet");
}
END_TEST

START_TEST(accel_llsc_and_regions_are_strex_settings)
{
    struct emu_config cfg;
    char err[256];
    char *argv[] = { "strex-emu", "-accel", "tcg,llsc=cas,regions=static", "-kernel", "k", NULL };
    emu_config_init(&cfg);
    ck_assert_int_eq(cfg.llsc, EMU_LLSC_POLICY_EXCL);
    ck_assert_int_eq(cfg.regions, EMU_REGIONS_AUTO);
    ck_assert_int_eq(emu_cmdline_parse(5, argv, &cfg, err, sizeof(err)), 0);
    ck_assert_int_eq(cfg.llsc, EMU_LLSC_POLICY_CAS);
    ck_assert_int_eq(cfg.regions, EMU_REGIONS_STATIC);
    emu_config_free(&cfg);

    char *argv2[] = { "strex-emu", "-accel", "tcg,llsc=stw,regions=12", "-kernel", "k", NULL };
    emu_config_init(&cfg);
    ck_assert_int_eq(emu_cmdline_parse(5, argv2, &cfg, err, sizeof(err)), 0);
    ck_assert_int_eq(cfg.llsc, EMU_LLSC_POLICY_STW);
    ck_assert_int_eq(cfg.regions, EMU_REGIONS_COUNT);
    ck_assert_uint_eq(cfg.n_regions, 12);
    emu_config_free(&cfg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("emu_cmdline");
    TCase *tc = tcase_create("emu_cmdline");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, harness_command_line_is_accepted);
    tcase_add_test(tc, defaults_match_qemu_virt_with_single_thread);
    tcase_add_test(tc, ram_size_takes_qemu_forms);
    tcase_add_test(tc, ram_size_errors_are_one_line);
    tcase_add_test(tc, smp_takes_a_count_or_cpus);
    tcase_add_test(tc, smp_errors_are_one_line);
    tcase_add_test(tc, machine_accepts_virt_and_harmless_properties);
    tcase_add_test(tc, machine_dumpdtb_needs_no_kernel);
    tcase_add_test(tc, machine_errors_are_one_line);
    tcase_add_test(tc, cpu_must_be_cortex_a15);
    tcase_add_test(tc, accel_takes_tcg_thread_single_and_tb_size);
    tcase_add_test(tc, accel_errors_are_one_line);
    tcase_add_test(tc, thread_defaults_to_multi_with_several_vcpus);
    tcase_add_test(tc, accel_llsc_and_regions_are_strex_settings);
    tcase_add_test(tc, accel_takes_sched_and_seed);
    tcase_add_test(tc, sched_and_seed_errors_are_one_line);
    tcase_add_test(tc, semihosting_config_enables_with_target);
    tcase_add_test(tc, semihosting_config_errors_are_one_line);
    tcase_add_test(tc, debug_items_become_bits);
    tcase_add_test(tc, debug_errors_and_help);
    tcase_add_test(tc, serial_is_stdio_once);
    tcase_add_test(tc, flags_files_and_last_kernel_wins);
    tcase_add_test(tc, version_and_help_stop_the_walk);
    tcase_add_test(tc, version_usage_and_debug_texts);
    tcase_add_test(tc, unknown_options_and_missing_arguments);
    tcase_add_test(tc, cross_option_errors);
    tcase_add_test(tc, planned_strex_options_are_refused);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
