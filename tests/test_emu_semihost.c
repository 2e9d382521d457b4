/*
 * test_emu_semihost.c — the semihosting calls (emu/semihost.c).
 *
 * Guest memory is a flat 64 KiB array at virtual address 0x40000000. Every
 * function of emu/cpu_services.h (and the two of arm/cpu.c the module
 * uses) is stubbed here, so the test links without the runtime. Files are
 * made in a fresh temporary directory the test runs in. Expected results
 * follow the QEMU 7.2 measurements in docs/design/devices.md.
 */
#include "emu/semihost.h"

#include "emu/cpu_services.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MEM_BASE 0x40000000u
#define MEM_SIZE 0x10000u
#define BLOCK (MEM_BASE + 0x100)     /* parameter block */
#define BUF (MEM_BASE + 0x1000)      /* data buffer */
#define STR (MEM_BASE + 0x8000)      /* strings */
#define STR2 (MEM_BASE + 0x9000)

static uint8_t mem[MEM_SIZE];
static unsigned last_memop;
static enum arm_mmu_idx fake_mmu_idx = ARM_MMU_IDX_PL1;
static unsigned unimp_lines;

/* ---- stubs of the runtime ------------------------------------------------ */

static uint8_t *host_addr(uint32_t va, unsigned bytes)
{
    ck_assert_msg(va >= MEM_BASE && va - MEM_BASE + bytes <= MEM_SIZE, "va %#x outside", va);
    return &mem[va - MEM_BASE];
}

uint64_t emu_mem_load(struct arm_cpu *cpu, uint32_t va, unsigned memop)
{
    unsigned bytes = 1u << TCG_MEMOP_SIZE(memop);
    uint64_t v = 0;

    (void)cpu;
    last_memop = memop;
    memcpy(&v, host_addr(va, bytes), bytes);
    return v;
}

void emu_mem_store(struct arm_cpu *cpu, uint32_t va, uint64_t value, unsigned memop)
{
    (void)cpu;
    last_memop = memop;
    memcpy(host_addr(va, 1u << TCG_MEMOP_SIZE(memop)), &value, 1u << TCG_MEMOP_SIZE(memop));
}

const struct tcg_mem_ops emu_tcg_mem_ops;
bool emu_phys_read32(struct arm_cpu *cpu, uint64_t pa, uint32_t *value) { (void)cpu; (void)pa; (void)value; return false; }
uint64_t emu_load_exclusive(struct arm_cpu *cpu, uint32_t va, unsigned memop) { return emu_mem_load(cpu, va, memop); }
uint32_t emu_store_exclusive(struct arm_cpu *cpu, uint32_t va, uint64_t value, unsigned memop) { (void)cpu; (void)va; (void)value; (void)memop; return 1; }
void emu_clear_exclusive(struct arm_cpu *cpu) { (void)cpu; }
void emu_send_event(struct arm_cpu *cpu) { (void)cpu; }
void emu_tlb_flush_all(struct arm_cpu *cpu, bool all_cpus) { (void)cpu; (void)all_cpus; }
void emu_tlb_flush_va(struct arm_cpu *cpu, uint32_t va, bool all_cpus) { (void)cpu; (void)va; (void)all_cpus; }
void emu_tlb_flush_asid(struct arm_cpu *cpu, uint32_t asid, bool all_cpus) { (void)cpu; (void)asid; (void)all_cpus; }
void emu_tlb_flush_va_asid(struct arm_cpu *cpu, uint32_t va, uint32_t asid, bool all_cpus) { (void)cpu; (void)va; (void)asid; (void)all_cpus; }
uint64_t emu_counter_now(struct arm_cpu *cpu) { (void)cpu; return 0; }
void emu_timer_changed(struct arm_cpu *cpu) { (void)cpu; }

enum arm_mmu_idx arm_cpu_mmu_idx(const struct arm_cpu *cpu) { (void)cpu; return fake_mmu_idx; }
void arm_log_unimp(const struct arm_cpu *cpu, const char *fmt, ...) { (void)cpu; (void)fmt; unimp_lines++; }

/* ---- the fake board ------------------------------------------------------ */

struct exits {
    unsigned n;
    int status;
};

static struct exits exits;
static struct arm_cpu cpu;
static struct emu_semihost *sh;
static char *con_buf, *out_buf;
static size_t con_len, out_len;
static FILE *con, *out, *in;
static char tmpdir[64], oldcwd[4096];

static void record_exit(void *opaque, int status)
{
    struct exits *e = opaque;

    e->n++;
    e->status = status;
}

static void setup(void)
{
    struct emu_semihost_host host = {
        .cmdline = "build/t.elf k1=v1 code=0",
        .heap_base = 0x4008d000, .heap_limit = 0x48000000,
        .stack_base = 0x48000000, .stack_limit = 0x4008d000,
        .exit = record_exit, .opaque = &exits,
    };

    memset(mem, 0, sizeof(mem));
    memset(&cpu, 0, sizeof(cpu));
    memset(&exits, 0, sizeof(exits));
    unimp_lines = 0;
    con = open_memstream(&con_buf, &con_len);
    out = open_memstream(&out_buf, &out_len);
    in = tmpfile();
    fputs("ab", in);
    rewind(in);
    host.console = con;
    host.tt_out = out;
    host.tt_in = in;
    sh = emu_semihost_new(&host);
    ck_assert_ptr_nonnull(getcwd(oldcwd, sizeof(oldcwd)));
    strcpy(tmpdir, "/tmp/strex-semihost-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    ck_assert_int_eq(chdir(tmpdir), 0);
}

/* Empties and removes tmpdir: the test makes only plain files there. */
static void remove_scratch_dir(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    char path[sizeof(tmpdir) + 256];

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
            unlink(path);
        }
    }
    closedir(d);
    rmdir(tmpdir);
}

static void teardown(void)
{
    emu_semihost_free(sh);
    fclose(con);
    fclose(out);
    fclose(in);
    free(con_buf);
    free(out_buf);
    ck_assert_int_eq(chdir(oldcwd), 0);
    remove_scratch_dir();
}

/* ---- helpers ------------------------------------------------------------- */

static void put32(uint32_t va, uint32_t v) { memcpy(host_addr(va, 4), &v, 4); }
static uint32_t get32(uint32_t va) { uint32_t v; memcpy(&v, host_addr(va, 4), 4); return v; }
static void put_str(uint32_t va, const char *s) { memcpy(host_addr(va, (unsigned)strlen(s) + 1), s, strlen(s) + 1); }

static int32_t call(uint32_t op, uint32_t r1)
{
    cpu.r[0] = op;
    cpu.r[1] = r1;
    emu_semihost_call(sh, &cpu);
    return (int32_t)cpu.r[0];
}

/* A call whose parameter block holds the n words given. */
static int32_t call_block(uint32_t op, unsigned n, ...)
{
    va_list ap;

    va_start(ap, n);
    for (unsigned i = 0; i < n; i++)
        put32(BLOCK + 4 * i, va_arg(ap, uint32_t));
    va_end(ap);
    return call(op, BLOCK);
}

static int32_t sys_open(const char *name, uint32_t mode)
{
    put_str(STR, name);
    return call_block(SEMIHOST_SYS_OPEN, 3, STR, mode, (uint32_t)strlen(name));
}

static int32_t sys_write(int32_t fd, const char *data)
{
    memcpy(host_addr(BUF, (unsigned)strlen(data)), data, strlen(data));
    return call_block(SEMIHOST_SYS_WRITE, 3, (uint32_t)fd, BUF, (uint32_t)strlen(data));
}

static int32_t sys_read(int32_t fd, uint32_t len)
{
    return call_block(SEMIHOST_SYS_READ, 3, (uint32_t)fd, BUF, len);
}

static int32_t sys_1(uint32_t op, int32_t fd) { return call_block(op, 1, (uint32_t)fd); }
static int32_t sys_errno(void) { return call(SEMIHOST_SYS_ERRNO, 0); }

static void write_file(const char *name, const char *data)
{
    FILE *f = fopen(name, "w");

    ck_assert_ptr_nonnull(f);
    fputs(data, f);
    fclose(f);
}

/* ---- files ---------------------------------------------------------------- */

START_TEST(open_tt_picks_stdin_stdout_or_stderr_by_mode)
{
    int32_t r = sys_open(":tt", 0), w = sys_open(":tt", 4), a = sys_open(":tt", 8);

    ck_assert_int_eq(r, 1);
    ck_assert_int_eq(w, 2);
    ck_assert_int_eq(a, 3);
    ck_assert_int_eq(sys_write(w, "TT-OUT\n"), 0);
    ck_assert_int_eq(sys_write(a, "TT-ERR\n"), 0);
    ck_assert_str_eq(out_buf, "TT-OUT\n");
    ck_assert_str_eq(con_buf, "TT-ERR\n");
    ck_assert_int_eq(sys_read(r, 8), 6);            /* 2 of 8 bytes read */
    ck_assert_int_eq(memcmp(host_addr(BUF, 2), "ab", 2), 0);
}
END_TEST

START_TEST(handles_count_from_1_and_are_reused_after_close)
{
    write_file("data.txt", "x");
    ck_assert_int_eq(sys_open("data.txt", 0), 1);
    ck_assert_int_eq(sys_open("data.txt", 0), 2);
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_CLOSE, 1), 0);
    ck_assert_int_eq(sys_open("data.txt", 0), 1);
    for (int i = 3; i <= 20; i++)
        ck_assert_int_eq(sys_open("data.txt", 0), i);
}
END_TEST

START_TEST(open_of_a_missing_file_fails_with_enoent)
{
    ck_assert_int_eq(sys_open("missing.txt", 0), -1);
    ck_assert_int_eq(sys_errno(), ENOENT);
}
END_TEST

START_TEST(open_mode_above_11_is_einval)
{
    write_file("data.txt", "x");
    ck_assert_int_eq(sys_open("data.txt", 12), -1);
    ck_assert_int_eq(sys_errno(), EINVAL);
}
END_TEST

START_TEST(write_mode_creates_and_read_mode_reads_back)
{
    int32_t fd = sys_open("new.txt", 4);

    ck_assert_int_eq(sys_write(fd, "hello"), 0);
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_CLOSE, fd), 0);
    fd = sys_open("new.txt", 1);
    ck_assert_int_eq(sys_read(fd, 5), 0);
    ck_assert_int_eq(memcmp(host_addr(BUF, 5), "hello", 5), 0);
}
END_TEST

START_TEST(read_returns_the_bytes_not_read)
{
    int32_t fd;

    write_file("data.txt", "hello world\n");
    fd = sys_open("data.txt", 0);
    ck_assert_int_eq(sys_read(fd, 5), 0);
    ck_assert_int_eq(sys_read(fd, 100), 93);        /* 7 bytes were left */
    ck_assert_int_eq(memcmp(host_addr(BUF, 7), " world\n", 7), 0);
    ck_assert_int_eq(sys_read(fd, 100), 100);       /* end of file */
}
END_TEST

START_TEST(reads_and_writes_larger_than_a_chunk_work)
{
    int32_t fd = sys_open("big.bin", 6);

    for (uint32_t i = 0; i < 10000; i++)
        mem[BUF - MEM_BASE + i] = (uint8_t)(i * 7);
    ck_assert_int_eq(call_block(SEMIHOST_SYS_WRITE, 3, (uint32_t)fd, BUF, 10000u), 0);
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_FLEN, fd), 10000);
    memset(&mem[BUF - MEM_BASE], 0, 10000);
    ck_assert_int_eq(call_block(SEMIHOST_SYS_SEEK, 2, (uint32_t)fd, 0u), 0);
    ck_assert_int_eq(sys_read(fd, 10000), 0);
    ck_assert_uint_eq(mem[BUF - MEM_BASE + 9999], (uint8_t)(9999 * 7));
}
END_TEST

START_TEST(seek_then_read_and_flen)
{
    int32_t fd;

    write_file("data.txt", "hello world\n");
    fd = sys_open("data.txt", 0);
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_FLEN, fd), 12);
    ck_assert_int_eq(call_block(SEMIHOST_SYS_SEEK, 2, (uint32_t)fd, 6u), 0);
    ck_assert_int_eq(sys_read(fd, 5), 0);
    ck_assert_int_eq(memcmp(host_addr(BUF, 5), "world", 5), 0);
}
END_TEST

START_TEST(append_mode_adds_to_the_end)
{
    int32_t fd;

    write_file("log.txt", "abc");
    fd = sys_open("log.txt", 8);
    ck_assert_int_eq(sys_write(fd, "def"), 0);
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_FLEN, fd), 6);
}
END_TEST

START_TEST(close_twice_fails_with_ebadf)
{
    int32_t fd;

    write_file("data.txt", "x");
    fd = sys_open("data.txt", 0);
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_CLOSE, fd), 0);
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_CLOSE, fd), -1);
    ck_assert_int_eq(sys_errno(), EBADF);
}
END_TEST

START_TEST(bad_handles_give_the_whole_length_or_minus_1)
{
    ck_assert_int_eq(sys_read(77, 4), 4);
    ck_assert_int_eq(sys_errno(), EBADF);
    ck_assert_int_eq(sys_write(0, "xyz"), 3);
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_FLEN, 5), -1);
    ck_assert_int_eq(call_block(SEMIHOST_SYS_SEEK, 2, 5u, 0u), -1);
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_ISTTY, 77), -1);
    ck_assert_int_eq(sys_errno(), EBADF);
}
END_TEST

START_TEST(istty_is_0_for_a_file_and_sets_enotty)
{
    write_file("data.txt", "x");
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_ISTTY, sys_open("data.txt", 0)), 0);
    ck_assert_int_eq(sys_errno(), ENOTTY);
}
END_TEST

START_TEST(remove_and_rename_set_errno_when_they_fail)
{
    write_file("a.txt", "x");
    put_str(STR, "a.txt");
    put_str(STR2, "b.txt");
    ck_assert_int_eq(call_block(SEMIHOST_SYS_RENAME, 4, STR, 5u, STR2, 5u), 0);
    ck_assert_int_eq(access("b.txt", F_OK), 0);
    ck_assert_int_eq(call_block(SEMIHOST_SYS_RENAME, 4, STR, 5u, STR2, 5u), -1);
    ck_assert_int_eq(sys_errno(), ENOENT);
    ck_assert_int_eq(call_block(SEMIHOST_SYS_REMOVE, 2, STR2, 5u), 0);
    ck_assert_int_eq(access("b.txt", F_OK), -1);
    ck_assert_int_eq(call_block(SEMIHOST_SYS_REMOVE, 2, STR2, 5u), -1);
    ck_assert_int_eq(sys_errno(), ENOENT);
}
END_TEST

START_TEST(tmpnam_names_differ_by_id_and_need_room)
{
    char first[64];

    ck_assert_int_eq(call_block(SEMIHOST_SYS_TMPNAM, 3, BUF, 5u, 64u), 0);
    strcpy(first, (char *)host_addr(BUF, 1));
    ck_assert_int_eq(call_block(SEMIHOST_SYS_TMPNAM, 3, BUF, 6u, 64u), 0);
    ck_assert_str_ne(first, (char *)host_addr(BUF, 1));
    ck_assert_int_eq(call_block(SEMIHOST_SYS_TMPNAM, 3, BUF, 5u, 8u), -1);
}
END_TEST

/* ---- console --------------------------------------------------------------- */

START_TEST(writec_and_write0_go_to_the_console_and_leave_deadbeef)
{
    put_str(STR, "Z");
    ck_assert_uint_eq((uint32_t)call(SEMIHOST_SYS_WRITEC, STR), 0xdeadbeef);
    put_str(STR, "W0\n");
    ck_assert_uint_eq((uint32_t)call(SEMIHOST_SYS_WRITE0, STR), 0xdeadbeef);
    fflush(out);
    ck_assert_str_eq(con_buf, "ZW0\n");
    ck_assert_uint_eq(out_len, 0);
}
END_TEST

START_TEST(write0_of_a_long_string_is_complete)
{
    char s[1000];

    memset(s, 'q', sizeof(s) - 1);
    s[sizeof(s) - 1] = '\0';
    put_str(STR, s);
    call(SEMIHOST_SYS_WRITE0, STR);
    ck_assert_str_eq(con_buf, s);
}
END_TEST

START_TEST(readc_reads_the_console_and_minus_1_at_its_end)
{
    ck_assert_int_eq(call(SEMIHOST_SYS_READC, 0), 'a');
    ck_assert_int_eq(call(SEMIHOST_SYS_READC, 0), 'b');
    ck_assert_int_eq(call(SEMIHOST_SYS_READC, 0), -1);
}
END_TEST

/* ---- host services --------------------------------------------------------- */

START_TEST(iserror_is_1_for_negative_values)
{
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_ISERROR, -1), 1);
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_ISERROR, -2), 1);
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_ISERROR, 0), 0);
    ck_assert_int_eq(sys_1(SEMIHOST_SYS_ISERROR, 5), 0);
}
END_TEST

START_TEST(system_returns_the_shell_status)
{
    put_str(STR, "exit 3");
    ck_assert_int_eq(call_block(SEMIHOST_SYS_SYSTEM, 2, STR, 6u), 3 << 8);
}
END_TEST

START_TEST(get_cmdline_fills_the_buffer_and_the_length)
{
    ck_assert_int_eq(call_block(SEMIHOST_SYS_GET_CMDLINE, 2, BUF, 1024u), 0);
    ck_assert_str_eq((char *)host_addr(BUF, 1), "build/t.elf k1=v1 code=0");
    ck_assert_uint_eq(get32(BLOCK + 4), 24);
}
END_TEST

START_TEST(get_cmdline_into_a_short_buffer_fails)
{
    ck_assert_int_eq(call_block(SEMIHOST_SYS_GET_CMDLINE, 2, BUF, 24u), -1);   /* no room for the NUL */
    ck_assert_uint_eq(get32(BLOCK + 4), 24);
    ck_assert_uint_eq(mem[BUF - MEM_BASE], 0);
}
END_TEST

START_TEST(heapinfo_writes_the_block_r1_points_to)
{
    put32(BLOCK, BUF);
    ck_assert_int_eq(call(SEMIHOST_SYS_HEAPINFO, BLOCK), 0);
    ck_assert_uint_eq(get32(BUF), 0x4008d000);
    ck_assert_uint_eq(get32(BUF + 4), 0x48000000);
    ck_assert_uint_eq(get32(BUF + 8), 0x48000000);
    ck_assert_uint_eq(get32(BUF + 12), 0x4008d000);
}
END_TEST

START_TEST(elapsed_counts_nanoseconds_at_tickfreq)
{
    uint64_t t;

    ck_assert_int_eq(call(SEMIHOST_SYS_TICKFREQ, 0), 1000000000);
    usleep(2000);
    ck_assert_int_eq(call(SEMIHOST_SYS_ELAPSED, BUF), 0);
    t = get32(BUF) | (uint64_t)get32(BUF + 4) << 32;
    ck_assert_uint_ge(t, 2000000);
    ck_assert_uint_lt(t, 10000000000ull);
}
END_TEST

START_TEST(time_is_unix_seconds_and_clock_is_centiseconds)
{
    int64_t now = (int64_t)time(NULL);
    int32_t clk;

    ck_assert_int_le(llabs(call(SEMIHOST_SYS_TIME, 0) - now), 1);
    clk = call(SEMIHOST_SYS_CLOCK, 0);
    ck_assert_int_ge(clk, 0);
    ck_assert_int_le(clk, (int32_t)(clock() / (CLOCKS_PER_SEC / 100)));
}
END_TEST

/* ---- exits ----------------------------------------------------------------- */

START_TEST(exit_takes_the_reason_by_value)
{
    call(SEMIHOST_SYS_EXIT, 0x20026);
    ck_assert_int_eq(exits.status, 0);
    call(SEMIHOST_SYS_EXIT, 0x20023);
    ck_assert_int_eq(exits.status, 1);
    call(SEMIHOST_SYS_EXIT, 42);
    ck_assert_int_eq(exits.status, 1);
    ck_assert_uint_eq(exits.n, 3);
}
END_TEST

START_TEST(exit_extended_keeps_the_low_8_bits_of_application_exit)
{
    static const uint32_t codes[][2] = { { 0, 0 }, { 42, 42 }, { 255, 255 }, { 256, 0 },
                                         { 0x7fffffff, 255 } };

    for (unsigned i = 0; i < 5; i++) {
        call_block(SEMIHOST_SYS_EXIT_EXTENDED, 2, 0x20026u, codes[i][0]);
        ck_assert_int_eq(exits.status, (int)codes[i][1]);
    }
    call_block(SEMIHOST_SYS_EXIT_EXTENDED, 2, 0x20023u, 5u);
    ck_assert_int_eq(exits.status, 1);
}
END_TEST

START_TEST(unknown_call_returns_minus_1_and_is_logged)
{
    ck_assert_int_eq(call(0x99, 0), -1);
    ck_assert_uint_eq(unimp_lines, 1);
}
END_TEST

START_TEST(memory_accesses_use_the_cpus_mmu_index)
{
    fake_mmu_idx = ARM_MMU_IDX_PL0;
    call_block(SEMIHOST_SYS_ISERROR, 1, 0u);
    ck_assert_uint_eq(last_memop, TCG_MEMOP(TCG_MO_32, ARM_MMU_IDX_PL0));
    put_str(STR, "x");
    call(SEMIHOST_SYS_WRITEC, STR);
    ck_assert_uint_eq(last_memop, TCG_MEMOP(TCG_MO_8, ARM_MMU_IDX_PL0));
    fake_mmu_idx = ARM_MMU_IDX_PL1;
}
END_TEST

int main(void)
{
    Suite *s = suite_create("emu_semihost");
    TCase *tc = tcase_create("emu_semihost");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, open_tt_picks_stdin_stdout_or_stderr_by_mode);
    tcase_add_test(tc, handles_count_from_1_and_are_reused_after_close);
    tcase_add_test(tc, open_of_a_missing_file_fails_with_enoent);
    tcase_add_test(tc, open_mode_above_11_is_einval);
    tcase_add_test(tc, write_mode_creates_and_read_mode_reads_back);
    tcase_add_test(tc, read_returns_the_bytes_not_read);
    tcase_add_test(tc, reads_and_writes_larger_than_a_chunk_work);
    tcase_add_test(tc, seek_then_read_and_flen);
    tcase_add_test(tc, append_mode_adds_to_the_end);
    tcase_add_test(tc, close_twice_fails_with_ebadf);
    tcase_add_test(tc, bad_handles_give_the_whole_length_or_minus_1);
    tcase_add_test(tc, istty_is_0_for_a_file_and_sets_enotty);
    tcase_add_test(tc, remove_and_rename_set_errno_when_they_fail);
    tcase_add_test(tc, tmpnam_names_differ_by_id_and_need_room);
    tcase_add_test(tc, writec_and_write0_go_to_the_console_and_leave_deadbeef);
    tcase_add_test(tc, write0_of_a_long_string_is_complete);
    tcase_add_test(tc, readc_reads_the_console_and_minus_1_at_its_end);
    tcase_add_test(tc, iserror_is_1_for_negative_values);
    tcase_add_test(tc, system_returns_the_shell_status);
    tcase_add_test(tc, get_cmdline_fills_the_buffer_and_the_length);
    tcase_add_test(tc, get_cmdline_into_a_short_buffer_fails);
    tcase_add_test(tc, heapinfo_writes_the_block_r1_points_to);
    tcase_add_test(tc, elapsed_counts_nanoseconds_at_tickfreq);
    tcase_add_test(tc, time_is_unix_seconds_and_clock_is_centiseconds);
    tcase_add_test(tc, exit_takes_the_reason_by_value);
    tcase_add_test(tc, exit_extended_keeps_the_low_8_bits_of_application_exit);
    tcase_add_test(tc, unknown_call_returns_minus_1_and_is_logged);
    tcase_add_test(tc, memory_accesses_use_the_cpus_mmu_index);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
