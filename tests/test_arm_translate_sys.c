/*
 * test_arm_translate_sys.c — the A32 memory and system groups
 * (arm/translate_mem.c, arm/translate_sys.c, arm/helper_sys.c), run for
 * real: each test puts a few instruction words into a flat fake memory,
 * translates them with arm_translate_tb(), optimizes, compiles and runs
 * them with the reference backend, and checks registers, memory and the
 * calls the generated code made.
 *
 * The words are hand-assembled; each carries its assembly, and every one
 * was checked with arm-none-eabi-as -march=armv7-a+sec+virt
 * -mcpu=cortex-a15 and objdump.
 *
 * The runtime (emu/cpu_services.h) is faked here in full, so the test
 * never needs emu/: one flat RAM at MEM_BASE; an access outside it, or a
 * misaligned one whose memop asks for alignment, raises a data abort
 * through arm_cpu_raise_data_abort(), whose siglongjmp lands in
 * run_until(). Every access and every exclusive/event call is logged.
 */
#include "arm/cpu.h"
#include "arm/translate.h"
#include "emu/cpu_services.h"
#include "tcg/interp.h"
#include "tcg/ir.h"

#include <check.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#define MEM_BASE 0x40000000u
#define MEM_SIZE 0x20000u
#define CODE     0x40000000u
#define DATA     0x40010000u
#define NOP      0xe320f000u   /* nop */
#define UDF      0xe7f000f0u   /* udf #0 */

static uint8_t mem[MEM_SIZE];
static struct arm_cpu cpu;
static struct tcg_ctx *ctx;
static struct arm_translate_opts opts;
static unsigned n_tbs;
static _Alignas(16) uint8_t code_buf[1u << 18];

/* ---- the fake runtime ------------------------------------------------------ */

struct access {
    char kind;          /* L load, S store, X load-exclusive, Y store-exclusive */
    uint32_t va;
    uint64_t value;
    unsigned memop;
};
static struct access acc[256];
static unsigned n_acc, n_clrex, n_sev;
static uint64_t counter_now = 0x123456789aull;

static void log_access(char kind, uint32_t va, uint64_t value, unsigned memop)
{
    if (n_acc < sizeof(acc) / sizeof(acc[0]))
        acc[n_acc++] = (struct access){ kind, va, value, memop };
}

static uint64_t bswap_n(uint64_t v, unsigned size)
{
    uint64_t r = 0;

    for (unsigned i = 0; i < size; i++)
        r |= ((v >> (8 * i)) & 0xff) << (8 * (size - 1 - i));
    return r;
}

static unsigned check_access(uint32_t va, unsigned memop)
{
    unsigned size = 1u << TCG_MEMOP_SIZE(memop);

    if ((memop & TCG_MO_ALIGN) && (va & (size - 1)))
        arm_cpu_raise_data_abort(&cpu, 0x1, va);
    if (va < MEM_BASE || va - MEM_BASE > MEM_SIZE - size)
        arm_cpu_raise_data_abort(&cpu, 0x8, va);
    return size;
}

static uint64_t mem_read(uint32_t va, unsigned memop)
{
    unsigned size = check_access(va, memop);
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)mem[va - MEM_BASE + i] << (8 * i);
    return memop & TCG_MO_BSWAP ? bswap_n(v, size) : v;
}

static void mem_write(uint32_t va, uint64_t v, unsigned memop)
{
    unsigned size = check_access(va, memop);

    if (memop & TCG_MO_BSWAP)
        v = bswap_n(v, size);
    for (unsigned i = 0; i < size; i++)
        mem[va - MEM_BASE + i] = (uint8_t)(v >> (8 * i));
}

uint64_t emu_mem_load(struct arm_cpu *c, uint32_t va, unsigned memop)
{
    (void)c;
    uint64_t v = mem_read(va, memop);
    log_access('L', va, v, memop);
    return v;
}

void emu_mem_store(struct arm_cpu *c, uint32_t va, uint64_t value, unsigned memop)
{
    (void)c;
    mem_write(va, value, memop);
    log_access('S', va, value, memop);
}

static uint64_t fake_tcg_load(void *env, uint64_t addr, unsigned memop)
{
    return emu_mem_load(env, (uint32_t)addr, memop);
}

static void fake_tcg_store(void *env, uint64_t addr, uint64_t value, unsigned memop)
{
    emu_mem_store(env, (uint32_t)addr, value, memop);
}

const struct tcg_mem_ops emu_tcg_mem_ops = { fake_tcg_load, fake_tcg_store };

bool emu_phys_read32(struct arm_cpu *c, uint64_t pa, uint32_t *value)
{
    (void)c;
    if (pa < MEM_BASE || pa - MEM_BASE > MEM_SIZE - 4)
        return false;
    *value = (uint32_t)mem_read((uint32_t)pa, TCG_MO_32);
    return true;
}

uint64_t emu_load_exclusive(struct arm_cpu *c, uint32_t va, unsigned memop)
{
    uint64_t v = mem_read(va, memop);

    log_access('X', va, v, memop);
    c->excl_valid = true;
    c->excl_addr = va;
    c->excl_size = 1u << TCG_MEMOP_SIZE(memop);
    c->excl_val = v;
    return v;
}

uint32_t emu_store_exclusive(struct arm_cpu *c, uint32_t va, uint64_t value, unsigned memop)
{
    bool ok = c->excl_valid && c->excl_addr == va;

    log_access('Y', va, value, memop);
    c->excl_valid = false;
    if (!ok)
        return 1;
    mem_write(va, value, memop);
    return 0;
}

void emu_clear_exclusive(struct arm_cpu *c) { c->excl_valid = false; n_clrex++; }
void emu_send_event(struct arm_cpu *c) { (void)c; n_sev++; }
void emu_tlb_flush_all(struct arm_cpu *c, bool all) { (void)c; (void)all; }
void emu_tlb_flush_va(struct arm_cpu *c, uint32_t va, bool all) { (void)c; (void)va; (void)all; }
void emu_tlb_flush_asid(struct arm_cpu *c, uint32_t asid, bool all)
{
    (void)c; (void)asid; (void)all;
}
void emu_tlb_flush_va_asid(struct arm_cpu *c, uint32_t va, uint32_t asid, bool all)
{
    (void)c; (void)va; (void)asid; (void)all;
}
uint64_t emu_counter_now(struct arm_cpu *c) { (void)c; return counter_now; }
void emu_timer_changed(struct arm_cpu *c) { (void)c; }

/* ---- running code ------------------------------------------------------------ */

static void put32(uint32_t va, uint32_t v) { mem_write(va, v, TCG_MO_32); }
static uint32_t get32(uint32_t va) { return (uint32_t)mem_read(va, TCG_MO_32); }

/* Translates the TB at r15, stopping at stop when it lies ahead. */
static void translate_at_pc(uint32_t stop)
{
    uint32_t pc = cpu.r[15];
    struct arm_tb_desc d = {
        .pc = pc, .flags = arm_cpu_tb_flags(&cpu), .code = &mem[pc - MEM_BASE],
        .code_len = 4096 - (pc & 4095),
    };
    struct arm_tb_result r;

    opts.max_insns = stop > pc ? (stop - pc) / 4 : 0;
    arm_translate_tb(ctx, &d, &opts, &r);
    tcg_optimize(ctx);
}

static void exec_one_tb(uint32_t stop)
{
    struct tcg_interp_run run = { .env = &cpu, .mem = &emu_tcg_mem_ops, .exit_request = NULL };

    translate_at_pc(stop);
    ck_assert_uint_le(tcg_interp_code_size(ctx), sizeof(code_buf));
    ck_assert_uint_gt(tcg_interp_compile(ctx, code_buf, sizeof(code_buf)), 0);
    n_tbs++;
    tcg_interp_exec(code_buf, &run, NULL);
}

/* Runs TBs until r15 == stop (ARM_EXCP_NONE) or generated code leaves by
 * an exception or event (returned; r15 is then the TB's start). */
static enum arm_excp run_until(uint32_t stop)
{
    volatile unsigned budget = 16;

    cpu.exception = ARM_EXCP_NONE;
    if (sigsetjmp(cpu.jmp_env, 0) != 0)
        return cpu.exception;
    while (cpu.r[15] != stop && budget-- > 0)
        exec_one_tb(stop);
    ck_assert_msg(cpu.r[15] == stop, "pc 0x%08x, expected 0x%08x", cpu.r[15], stop);
    return ARM_EXCP_NONE;
}

static void load_code(const uint32_t *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put32(CODE + 4 * (uint32_t)i, words[i]);
    cpu.r[15] = CODE;
}

/* Runs the words at CODE to their end. */
#define RUN(...) run_words((const uint32_t[]){ __VA_ARGS__ }, \
                           sizeof((const uint32_t[]){ __VA_ARGS__ }) / 4)
static enum arm_excp run_words(const uint32_t *words, size_t n)
{
    load_code(words, n);
    return run_until(CODE + 4 * (uint32_t)n);
}

/* Runs the words at CODE until the PC reaches stop. */
#define RUN_TO(stop, ...) (load_code((const uint32_t[]){ __VA_ARGS__ }, \
                           sizeof((const uint32_t[]){ __VA_ARGS__ }) / 4), run_until(stop))

static const struct access *find_access(char kind, uint32_t va)
{
    for (unsigned i = 0; i < n_acc; i++)
        if (acc[i].kind == kind && acc[i].va == va)
            return &acc[i];
    ck_abort_msg("no %c access at 0x%08x", kind, va);
    return NULL;
}

static void set_mode(enum arm_mode m)
{
    arm_cpu_switch_mode(&cpu, m);
}

/* -d unimp lines of the current test. */
static char *unimp_text;
static size_t unimp_len;

static size_t unimp_bytes(void)
{
    fflush(arm_unimp_log);
    return unimp_len;
}

static void setup(void)
{
    arm_unimp_log = open_memstream(&unimp_text, &unimp_len);
    if (!ctx)
        ctx = tcg_ctx_new();
    memset(mem, 0, sizeof(mem));
    /* Code that runs past where a test expects it to stop hits UDF. */
    for (uint32_t a = CODE; a < DATA - 0x1000; a += 4)
        put32(a, UDF);
    arm_cpu_reset(&cpu, 0);
    memset(&opts, 0, sizeof(opts));
    n_acc = n_clrex = n_sev = n_tbs = 0;
}

static void teardown(void)
{
    fclose(arm_unimp_log);
    arm_unimp_log = NULL;
    free(unimp_text);
    unimp_text = NULL;
}


/* ---- single loads and stores ----------------------------------------------- */

START_TEST(ldr_immediate_offset_leaves_the_base)
{
    put32(DATA + 4, 0x11111111);
    put32(DATA - 4, 0x22222222);
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xe5910004,     /* ldr r0, [r1, #4] */
                         0xe5112004),    /* ldr r2, [r1, #-4] */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(cpu.r[0], 0x11111111);
    ck_assert_uint_eq(cpu.r[2], 0x22222222);
    ck_assert_uint_eq(cpu.r[1], DATA);
}
END_TEST

START_TEST(ldr_pre_index_writes_the_address_back)
{
    put32(DATA + 4, 0x33333333);
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xe5b10004), ARM_EXCP_NONE);   /* ldr r0, [r1, #4]! */
    ck_assert_uint_eq(cpu.r[0], 0x33333333);
    ck_assert_uint_eq(cpu.r[1], DATA + 4);
}
END_TEST

START_TEST(ldr_post_index_loads_at_the_base_then_adds)
{
    put32(DATA, 0x44444444);
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xe4910008), ARM_EXCP_NONE);   /* ldr r0, [r1], #8 */
    ck_assert_uint_eq(cpu.r[0], 0x44444444);
    ck_assert_uint_eq(cpu.r[1], DATA + 8);
}
END_TEST

START_TEST(ldr_register_offsets_are_shifted_added_or_subtracted)
{
    put32(DATA + 12, 0x55555555);
    put32(DATA - 12, 0x66666666);
    cpu.r[1] = DATA;
    cpu.r[2] = 3;
    ck_assert_int_eq(RUN(0xe7910102),   /* ldr r0, [r1, r2, lsl #2] */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(cpu.r[0], 0x55555555);
    ck_assert_int_eq(RUN(0xe7310102),   /* ldr r0, [r1, -r2, lsl #2]! */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(cpu.r[0], 0x66666666);
    ck_assert_uint_eq(cpu.r[1], DATA - 12);
    ck_assert_int_eq(RUN(0xe6910002),   /* ldr r0, [r1], r2 */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(cpu.r[0], 0x66666666);
    ck_assert_uint_eq(cpu.r[1], DATA - 9);
}
END_TEST

START_TEST(stores_write_words_bytes_and_halfwords)
{
    cpu.r[0] = 0xaabbccdd;
    cpu.r[1] = DATA + 8;
    ck_assert_int_eq(RUN(0xe5210008,    /* str r0, [r1, #-8]! */
                         0xe5c10005,    /* strb r0, [r1, #5] */
                         0xe1e100b8,    /* strh r0, [r1, #8]! */
                         0xe0c100b4),   /* strh r0, [r1], #4 */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(get32(DATA), 0xaabbccdd);
    ck_assert_uint_eq(get32(DATA + 4), 0x0000dd00);
    ck_assert_uint_eq(get32(DATA + 8), 0x0000ccdd);
    ck_assert_uint_eq(cpu.r[1], DATA + 12);
}
END_TEST

START_TEST(byte_and_halfword_loads_extend_by_sign_or_zero)
{
    put32(DATA, 0x8081f2f3);
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xe5d10003,    /* ldrb r0, [r1, #3] */
                         0xe1d120d3,    /* ldrsb r2, [r1, #3] */
                         0xe1d130b2,    /* ldrh r3, [r1, #2] */
                         0xe1d140f2,    /* ldrsh r4, [r1, #2] */
                         0xe05150f2),   /* ldrsh r5, [r1], #-2 */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(cpu.r[0], 0x80);
    ck_assert_uint_eq(cpu.r[2], 0xffffff80);
    ck_assert_uint_eq(cpu.r[3], 0x8081);
    ck_assert_uint_eq(cpu.r[4], 0xffff8081);
    ck_assert_uint_eq(cpu.r[5], 0xfffff2f3);
    ck_assert_uint_eq(cpu.r[1], DATA - 2);
}
END_TEST

START_TEST(ldrd_and_strd_move_two_words)
{
    put32(DATA + 16, 0x01020304);
    put32(DATA + 20, 0x05060708);
    cpu.r[1] = DATA;
    cpu.r[4] = 0xa0a0a0a0;
    cpu.r[5] = 0xb0b0b0b0;
    ck_assert_int_eq(RUN(0xe1c121d0,    /* ldrd r2, r3, [r1, #16] */
                         0xe16140f8),   /* strd r4, r5, [r1, #-8]! */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(cpu.r[2], 0x01020304);
    ck_assert_uint_eq(cpu.r[3], 0x05060708);
    ck_assert_uint_eq(get32(DATA - 8), 0xa0a0a0a0);
    ck_assert_uint_eq(get32(DATA - 4), 0xb0b0b0b0);
    ck_assert_uint_eq(cpu.r[1], DATA - 8);
    ck_assert(find_access('S', DATA - 4)->memop & TCG_MO_ALIGN);
}
END_TEST

START_TEST(ldrd_with_an_odd_rt_is_undefined)
{
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xe1c130d8), ARM_EXCP_UDEF);   /* ldrd r3, r4, [r1, #8] */
    ck_assert_uint_eq(n_acc, 0);
}
END_TEST

START_TEST(unprivileged_forms_access_memory_as_pl0)
{
    put32(DATA, 0x12345678);
    cpu.r[1] = DATA;
    cpu.r[2] = 0x99;
    ck_assert_int_eq(RUN(0xe4b10004,    /* ldrt r0, [r1], #4 */
                         0xe4e12001),   /* strbt r2, [r1], #1 */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(cpu.r[0], 0x12345678);
    ck_assert_uint_eq(cpu.r[1], DATA + 5);
    ck_assert_uint_eq(TCG_MEMOP_MMU_IDX(find_access('L', DATA)->memop), ARM_MMU_IDX_PL0);
    ck_assert_uint_eq(TCG_MEMOP_MMU_IDX(find_access('S', DATA + 4)->memop), ARM_MMU_IDX_PL0);
    ck_assert_uint_eq(mem[DATA + 4 - MEM_BASE], 0x99);
}
END_TEST

START_TEST(normal_accesses_in_svc_use_the_pl1_index)
{
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xe5910004), ARM_EXCP_NONE);   /* ldr r0, [r1, #4] */
    ck_assert_uint_eq(TCG_MEMOP_MMU_IDX(find_access('L', DATA + 4)->memop), ARM_MMU_IDX_PL1);
}
END_TEST

START_TEST(ldr_alignment_follows_sctlr_a)
{
    cpu.r[1] = DATA + 2;
    ck_assert_int_eq(RUN(0xe5910004), ARM_EXCP_NONE);   /* ldr r0, [r1, #4] */
    ck_assert(!(find_access('L', DATA + 6)->memop & TCG_MO_ALIGN));
    cpu.cp15.sctlr |= SCTLR_A;
    ck_assert_int_eq(RUN(0xe5910004), ARM_EXCP_DATA_ABORT);
    ck_assert_uint_eq(cpu.cp15.dfsr, 0x1);
}
END_TEST

START_TEST(pld_is_a_nop_even_outside_memory)
{
    cpu.r[1] = 0x1000;
    ck_assert_int_eq(RUN(0xf5d1f004), ARM_EXCP_NONE);   /* pld [r1, #4] */
    ck_assert_uint_eq(n_acc, 0);
}
END_TEST

START_TEST(ldr_literal_reads_relative_to_pc_plus_8)
{
    put32(CODE + 12, 0xfeedf00d);
    ck_assert_int_eq(RUN(0xe59f0004), ARM_EXCP_NONE);   /* ldr r0, [pc, #4] */
    ck_assert_uint_eq(cpu.r[0], 0xfeedf00d);
}
END_TEST

/* ---- block transfers ----------------------------------------------------------- */

/* Memory around DATA holds its own address, so a loaded value says where
 * it came from. */
static void fill_with_addresses(void)
{
    for (uint32_t a = DATA - 32; a < DATA + 32; a += 4)
        put32(a, a);
}

struct block_case {
    uint32_t insn;
    const char *text;
    uint32_t first;      /* address of the lowest register's word */
    uint32_t wb;         /* r1 afterwards */
};

static const struct block_case ldm_cases[] = {
    { 0xe8b1001c, "ldmia r1!, {r2, r3, r4}", DATA,      DATA + 12 },
    { 0xe9b1001c, "ldmib r1!, {r2, r3, r4}", DATA + 4,  DATA + 12 },
    { 0xe831001c, "ldmda r1!, {r2, r3, r4}", DATA - 8,  DATA - 12 },
    { 0xe931001c, "ldmdb r1!, {r2, r3, r4}", DATA - 12, DATA - 12 },
};

START_TEST(ldm_addressing_modes_load_and_write_back)
{
    const struct block_case *c = &ldm_cases[_i];

    fill_with_addresses();
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(c->insn), ARM_EXCP_NONE);
    ck_assert_msg(cpu.r[2] == c->first && cpu.r[3] == c->first + 4 &&
                  cpu.r[4] == c->first + 8, "%s: r2-r4 = %08x %08x %08x", c->text,
                  cpu.r[2], cpu.r[3], cpu.r[4]);
    ck_assert_msg(cpu.r[1] == c->wb, "%s: r1 = %08x", c->text, cpu.r[1]);
}
END_TEST

static const struct block_case stm_cases[] = {
    { 0xe8a1001c, "stmia r1!, {r2, r3, r4}", DATA,      DATA + 12 },
    { 0xe9a1001c, "stmib r1!, {r2, r3, r4}", DATA + 4,  DATA + 12 },
    { 0xe821001c, "stmda r1!, {r2, r3, r4}", DATA - 8,  DATA - 12 },
    { 0xe921001c, "stmdb r1!, {r2, r3, r4}", DATA - 12, DATA - 12 },
};

START_TEST(stm_addressing_modes_store_and_write_back)
{
    const struct block_case *c = &stm_cases[_i];

    cpu.r[1] = DATA;
    cpu.r[2] = 0x22;
    cpu.r[3] = 0x33;
    cpu.r[4] = 0x44;
    ck_assert_int_eq(RUN(c->insn), ARM_EXCP_NONE);
    ck_assert_msg(get32(c->first) == 0x22 && get32(c->first + 4) == 0x33 &&
                  get32(c->first + 8) == 0x44, "%s", c->text);
    ck_assert_msg(cpu.r[1] == c->wb, "%s: r1 = %08x", c->text, cpu.r[1]);
    ck_assert(find_access('S', c->first)->memop & TCG_MO_ALIGN);
}
END_TEST

START_TEST(ldm_without_writeback_keeps_the_base)
{
    fill_with_addresses();
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xe891001c), ARM_EXCP_NONE);   /* ldm r1, {r2, r3, r4} */
    ck_assert_uint_eq(cpu.r[4], DATA + 8);
    ck_assert_uint_eq(cpu.r[1], DATA);
}
END_TEST

START_TEST(stm_with_the_base_in_the_list_stores_its_old_value)
{
    cpu.r[0] = 0x10;
    cpu.r[1] = DATA;
    cpu.r[2] = 0x12;
    ck_assert_int_eq(RUN(0xe9210007), ARM_EXCP_NONE);   /* stmdb r1!, {r0, r1, r2} */
    ck_assert_uint_eq(get32(DATA - 12), 0x10);
    ck_assert_uint_eq(get32(DATA - 8), DATA);
    ck_assert_uint_eq(get32(DATA - 4), 0x12);
    ck_assert_uint_eq(cpu.r[1], DATA - 12);
}
END_TEST

START_TEST(ldm_writeback_with_the_base_in_the_list_is_undefined)
{
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xe8b1000e), ARM_EXCP_UDEF);   /* ldm r1!, {r1, r2, r3} */
    ck_assert_int_eq(RUN(0xe8bd2001), ARM_EXCP_UDEF);   /* pop {r0, sp} */
    ck_assert_uint_eq(n_acc, 0);
}
END_TEST

START_TEST(push_then_pop_round_trips_through_the_stack)
{
    cpu.r[0] = 0xa;
    cpu.r[1] = 0xb;
    cpu.r[14] = 0xc;
    cpu.r[13] = DATA;
    ck_assert_int_eq(RUN(0xe92d4003,    /* push {r0, r1, lr} */
                         0xe8bd001c),   /* pop {r2, r3, r4} */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(get32(DATA - 12), 0xa);
    ck_assert_uint_eq(get32(DATA - 4), 0xc);
    ck_assert_uint_eq(cpu.r[2], 0xa);
    ck_assert_uint_eq(cpu.r[3], 0xb);
    ck_assert_uint_eq(cpu.r[4], 0xc);
    ck_assert_uint_eq(cpu.r[13], DATA);
}
END_TEST

START_TEST(push_one_and_pop_one_use_the_stack)
{
    cpu.r[5] = 0x55;
    cpu.r[13] = DATA;
    ck_assert_int_eq(RUN(0xe52d5004,    /* push {r5} (str r5, [sp, #-4]!) */
                         0xe49d6004),   /* pop {r6} (ldr r6, [sp], #4) */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(get32(DATA - 4), 0x55);
    ck_assert_uint_eq(cpu.r[6], 0x55);
    ck_assert_uint_eq(cpu.r[13], DATA);
}
END_TEST

START_TEST(pop_into_pc_branches_to_the_loaded_value)
{
    put32(DATA, 5);
    put32(DATA + 4, CODE + 0x40);
    cpu.r[13] = DATA;
    ck_assert_int_eq(RUN_TO(CODE + 0x40, 0xe8bd8001), ARM_EXCP_NONE);  /* pop {r0, pc} */
    ck_assert_uint_eq(cpu.r[0], 5);
    ck_assert_uint_eq(cpu.r[13], DATA + 8);
    ck_assert_uint_eq(n_tbs, 1);
    put32(DATA + 12, CODE + 0x41);  /* bit 0: Thumb, not implemented */
    ck_assert_int_eq(RUN(0xe8bd8001), ARM_EXCP_UDEF);
    ck_assert_uint_eq(cpu.insn_pc, CODE);   /* raised by the pop, not at 0x40 */
}
END_TEST

START_TEST(ldr_into_pc_interworks)
{
    put32(DATA, CODE + 0x80);
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN_TO(CODE + 0x80, 0xe591f000), ARM_EXCP_NONE);  /* ldr pc, [r1] */
    put32(DATA, CODE + 0x81);    /* bit 0: Thumb, not implemented */
    ck_assert_int_eq(RUN(0xe591f000), ARM_EXCP_UDEF);
    ck_assert_uint_eq(cpu.insn_pc, CODE);   /* raised by the ldr, not at 0x80 */
}
END_TEST

START_TEST(a_faulting_ldm_leaves_every_register_unchanged)
{
    uint32_t base = MEM_BASE + MEM_SIZE - 8;

    cpu.r[1] = base;
    cpu.r[2] = 2;
    cpu.r[3] = 3;
    cpu.r[4] = 4;
    ck_assert_int_eq(RUN(0xe8b1001c), ARM_EXCP_DATA_ABORT);   /* ldmia r1!, {r2, r3, r4} */
    ck_assert_uint_eq(cpu.r[1], base);
    ck_assert_uint_eq(cpu.r[2], 2);
    ck_assert_uint_eq(cpu.r[3], 3);
    ck_assert_uint_eq(cpu.r[4], 4);
    ck_assert_uint_eq(cpu.insn_pc, CODE);
}
END_TEST

START_TEST(a_faulting_load_with_writeback_leaves_the_base)
{
    cpu.r[0] = 0x77;
    cpu.r[1] = 0x1000;
    ck_assert_int_eq(RUN(0xe5b10004), ARM_EXCP_DATA_ABORT);   /* ldr r0, [r1, #4]! */
    ck_assert_uint_eq(cpu.r[0], 0x77);
    ck_assert_uint_eq(cpu.r[1], 0x1000);
    ck_assert_uint_eq(cpu.cp15.dfar, 0x1004);
}
END_TEST

START_TEST(ldm_needs_word_alignment_even_with_sctlr_a_clear)
{
    cpu.r[1] = DATA + 2;
    ck_assert_int_eq(RUN(0xe891001c), ARM_EXCP_DATA_ABORT);   /* ldm r1, {r2, r3, r4} */
}
END_TEST

START_TEST(ldm_user_writes_the_user_bank)
{
    put32(DATA, 0x5a5a5a5a);
    cpu.r[1] = DATA;
    cpu.r[13] = 0x1313;
    ck_assert_int_eq(RUN(0xe8d12000), ARM_EXCP_NONE);   /* ldm r1, {sp}^ */
    ck_assert_uint_eq(cpu.r[13], 0x1313);
    ck_assert_uint_eq(cpu.bank_r13[ARM_BANK_USR], 0x5a5a5a5a);
    set_mode(ARM_MODE_USR);
    ck_assert_uint_eq(cpu.r[13], 0x5a5a5a5a);
}
END_TEST

START_TEST(stm_user_reads_the_user_bank)
{
    cpu.bank_r13[ARM_BANK_USR] = 0xaaaa0013;
    cpu.bank_r14[ARM_BANK_USR] = 0xaaaa0014;
    cpu.r[13] = 0x1313;
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xe8c16000), ARM_EXCP_NONE);   /* stmia r1, {sp, lr}^ */
    ck_assert_uint_eq(get32(DATA), 0xaaaa0013);
    ck_assert_uint_eq(get32(DATA + 4), 0xaaaa0014);
}
END_TEST

START_TEST(user_bank_transfers_are_undefined_in_user_mode)
{
    set_mode(ARM_MODE_USR);
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xe8d12000), ARM_EXCP_UDEF);   /* ldm r1, {sp}^ */
    ck_assert_int_eq(RUN(0xe8c16000), ARM_EXCP_UDEF);   /* stmia r1, {sp, lr}^ */
}
END_TEST

START_TEST(ldm_with_pc_and_caret_returns_from_the_exception)
{
    put32(DATA, 0x1234);
    put32(DATA + 4, CODE + 0x100);
    cpu.r[1] = DATA;
    cpu.spsr = 0x80000010;          /* USR, N set */
    ck_assert_int_eq(RUN_TO(CODE + 0x100, 0xe8d18001), ARM_EXCP_NONE);  /* ldm r1, {r0, pc}^ */
    ck_assert_uint_eq(cpu.r[0], 0x1234);
    ck_assert_uint_eq(arm_cpu_mode(&cpu), ARM_MODE_USR);
    ck_assert_uint_eq(arm_cpsr_read(&cpu), 0x80000010);
}
END_TEST

/* ---- exclusives --------------------------------------------------------------------- */

START_TEST(ldrex_strex_go_through_the_exclusive_services)
{
    put32(DATA, 0x1111);
    cpu.r[1] = DATA;
    cpu.r[3] = 0x2222;
    ck_assert_int_eq(RUN(0xe1910f9f,    /* ldrex r0, [r1] */
                         0xe1812f93),   /* strex r2, r3, [r1] */
                     ARM_EXCP_NONE);
    const struct access *x = find_access('X', DATA), *y = find_access('Y', DATA);
    unsigned want = TCG_MEMOP(TCG_MO_32 | TCG_MO_ALIGN | TCG_MO_EXCL, ARM_MMU_IDX_PL1);
    ck_assert_uint_eq(x->memop, want);
    ck_assert_uint_eq(y->memop, want);
    ck_assert_uint_eq(y->value, 0x2222);
    ck_assert_uint_eq(cpu.r[0], 0x1111);
    ck_assert_uint_eq(cpu.r[2], 0);
    ck_assert_uint_eq(get32(DATA), 0x2222);
}
END_TEST

START_TEST(strex_after_clrex_fails_and_stores_nothing)
{
    put32(DATA, 0x1111);
    cpu.r[1] = DATA;
    cpu.r[3] = 0x2222;
    ck_assert_int_eq(RUN(0xe1910f9f,    /* ldrex r0, [r1] */
                         0xf57ff01f,    /* clrex */
                         0xe1812f93),   /* strex r2, r3, [r1] */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(n_clrex, 1);
    ck_assert_uint_eq(cpu.r[2], 1);
    ck_assert_uint_eq(get32(DATA), 0x1111);
}
END_TEST

START_TEST(byte_and_halfword_exclusives_have_their_sizes)
{
    put32(DATA, 0xc3c2c1c0);
    cpu.r[1] = DATA;
    cpu.r[3] = 0xee;
    ck_assert_int_eq(RUN(0xe1d10f9f,    /* ldrexb r0, [r1] */
                         0xe1c12f93,    /* strexb r2, r3, [r1] */
                         0xe1f10f9f,    /* ldrexh r0, [r1] */
                         0xe1e12f93),   /* strexh r2, r3, [r1] */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(TCG_MEMOP_SIZE(acc[0].memop), TCG_MO_8);
    ck_assert_uint_eq(TCG_MEMOP_SIZE(acc[1].memop), TCG_MO_8);
    ck_assert_uint_eq(TCG_MEMOP_SIZE(acc[2].memop), TCG_MO_16);
    ck_assert_uint_eq(TCG_MEMOP_SIZE(acc[3].memop), TCG_MO_16);
    ck_assert_uint_eq(cpu.r[0], 0xc1ee);
    ck_assert_uint_eq(cpu.r[2], 0);
    ck_assert_uint_eq(get32(DATA), 0xc3c200ee);
}
END_TEST

START_TEST(doubleword_exclusives_pair_rt_with_rt_plus_1)
{
    put32(DATA, 0x10101010);
    put32(DATA + 4, 0x20202020);
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xe1b14f9f), ARM_EXCP_NONE);   /* ldrexd r4, r5, [r1] */
    ck_assert_uint_eq(cpu.r[4], 0x10101010);
    ck_assert_uint_eq(cpu.r[5], 0x20202020);
    ck_assert_uint_eq(TCG_MEMOP_SIZE(acc[0].memop), TCG_MO_64);
    cpu.r[4] = 0x30303030;
    cpu.r[5] = 0x40404040;
    ck_assert_int_eq(RUN(0xe1a12f94), ARM_EXCP_NONE);   /* strexd r2, r4, r5, [r1] */
    ck_assert_uint_eq(acc[1].value, 0x4040404030303030ull);
    ck_assert_uint_eq(cpu.r[2], 0);
    ck_assert_uint_eq(get32(DATA + 4), 0x40404040);
}
END_TEST

START_TEST(strex_with_rd_equal_to_rt_is_undefined)
{
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xe1812f92), ARM_EXCP_UDEF);   /* strex r2, r2, [r1] */
    ck_assert_uint_eq(n_acc, 0);
}
END_TEST

/* UNDEFINED on cortex-a15 (ID_ISAR0.Swap_instrs = 0), not merely
 * unimplemented: no -d unimp line. */
START_TEST(swp_is_undefined)
{
    cpu.r[2] = DATA;
    ck_assert_int_eq(RUN(0xe1020091), ARM_EXCP_UDEF);   /* swp r0, r1, [r2] */
    ck_assert_uint_eq(n_acc, 0);
    ck_assert_msg(unimp_bytes() == 0, "unimp log: %s", unimp_text);
}
END_TEST

START_TEST(big_endian_data_after_setend_be)
{
    put32(DATA, 0x11223344);
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xf1010200,    /* setend be */
                         0xe5910000),   /* ldr r0, [r1] */
                     ARM_EXCP_NONE);
    ck_assert(cpu.cpsr_rest & CPSR_E);
    ck_assert_uint_eq(cpu.r[0], 0x44332211);
    ck_assert_uint_eq(n_tbs, 2);
}
END_TEST

/* ---- branches ------------------------------------------------------------------------ */

START_TEST(b_targets_are_relative_to_pc_plus_8)
{
    ck_assert_int_eq(RUN_TO(CODE + 16, 0xea000002), ARM_EXCP_NONE);     /* b .+16 */
    ck_assert_int_eq(RUN_TO(CODE - 4, NOP, 0xeafffffc), ARM_EXCP_NONE); /* nop; b .-8 */
}
END_TEST

START_TEST(bl_sets_lr_to_the_next_instruction)
{
    ck_assert_int_eq(RUN_TO(CODE + 0x100, 0xeb00003e), ARM_EXCP_NONE);  /* bl .+0x100 */
    ck_assert_uint_eq(cpu.r[14], CODE + 4);
}
END_TEST

START_TEST(bx_and_blx_branch_to_a_register)
{
    cpu.r[3] = CODE + 0x200;
    ck_assert_int_eq(RUN_TO(CODE + 0x200, 0xe12fff13), ARM_EXCP_NONE);  /* bx r3 */
    ck_assert_int_eq(RUN_TO(CODE + 0x200, 0xe12fff23), ARM_EXCP_NONE);  /* bxj r3 */
    cpu.r[14] = 0;
    ck_assert_int_eq(RUN_TO(CODE + 0x200, 0xe12fff33), ARM_EXCP_NONE);  /* blx r3 */
    ck_assert_uint_eq(cpu.r[14], CODE + 4);
}
END_TEST

START_TEST(blx_lr_reads_lr_before_writing_it)
{
    cpu.r[14] = CODE + 0x300;
    ck_assert_int_eq(RUN_TO(CODE + 0x300, 0xe12fff3e), ARM_EXCP_NONE);  /* blx lr */
    ck_assert_uint_eq(cpu.r[14], CODE + 4);
}
END_TEST

START_TEST(branches_to_thumb_state_are_undefined)
{
    cpu.r[3] = CODE + 0x201;
    ck_assert_int_eq(RUN(0xe12fff13), ARM_EXCP_UDEF);      /* bx r3 */
    ck_assert_uint_eq(cpu.insn_pc, CODE);
    ck_assert_int_eq(RUN(0xfa000006), ARM_EXCP_UDEF);      /* blx .+0x20 */
    ck_assert_uint_eq(cpu.insn_pc, CODE);
}
END_TEST

/* ---- PSR access ------------------------------------------------------------------------- */

START_TEST(mrs_reads_the_cpsr)
{
    ck_assert_int_eq(RUN(0xe10f0000), ARM_EXCP_NONE);      /* mrs r0, apsr */
    ck_assert_uint_eq(cpu.r[0], 0x400001d3);
}
END_TEST

START_TEST(msr_flags_field_sets_nzcv)
{
    ck_assert_int_eq(RUN(0xe328f20f, NOP), ARM_EXCP_NONE); /* msr cpsr_f, #0xf0000000 */
    ck_assert_uint_eq(arm_cpsr_read(&cpu), 0xf00001d3);
    ck_assert_uint_eq(n_tbs, 1);            /* the APSR alone does not end the TB */
}
END_TEST

START_TEST(msr_in_user_mode_writes_only_the_apsr)
{
    set_mode(ARM_MODE_USR);
    cpu.r[2] = 0x800000df;          /* N, and SYS with A I F masked */
    ck_assert_int_eq(RUN(0xe12ff002), ARM_EXCP_NONE);      /* msr cpsr_fsxc, r2 */
    ck_assert_uint_eq(arm_cpsr_read(&cpu), 0x800001d0);    /* A I F as they were */
}
END_TEST

START_TEST(msr_control_field_changes_mode_and_ends_the_tb)
{
    ck_assert_int_eq(RUN(0xe321f01f,    /* msr cpsr_c, #0x1f */
                         0xe10f2000),   /* mrs r2, apsr */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(arm_cpu_mode(&cpu), ARM_MODE_SYS);
    ck_assert_uint_eq(cpu.r[2] & CPSR_M, ARM_MODE_SYS);
    ck_assert_uint_eq(n_tbs, 2);
}
END_TEST

START_TEST(spsr_is_read_and_written_in_modes_that_have_one)
{
    cpu.r[2] = 0xffffffff;
    ck_assert_int_eq(RUN(0xe16ff002,    /* msr spsr_fsxc, r2 */
                         0xe14f1000),   /* mrs r1, spsr */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(cpu.spsr, 0xff0fffff);
    ck_assert_uint_eq(cpu.r[1], 0xff0fffff);
}
END_TEST

START_TEST(spsr_access_without_an_spsr_is_undefined)
{
    set_mode(ARM_MODE_SYS);
    ck_assert_int_eq(RUN(0xe14f1000), ARM_EXCP_UDEF);      /* mrs r1, spsr */
    set_mode(ARM_MODE_USR);
    ck_assert_int_eq(RUN(0xe16ff002), ARM_EXCP_UDEF);      /* msr spsr_fsxc, r2 */
}
END_TEST

START_TEST(cps_changes_masks_and_mode)
{
    ck_assert_int_eq(RUN(0xf10800c0), ARM_EXCP_NONE);      /* cpsie if */
    ck_assert_uint_eq(cpu.cpsr_rest & (CPSR_I | CPSR_F | CPSR_A), CPSR_A);
    ck_assert_int_eq(RUN(0xf10c0080), ARM_EXCP_NONE);      /* cpsid i */
    ck_assert_uint_eq(cpu.cpsr_rest & (CPSR_I | CPSR_F | CPSR_A), CPSR_A | CPSR_I);
    ck_assert_int_eq(RUN(0xf102001f), ARM_EXCP_NONE);      /* cps #0x1f */
    ck_assert_uint_eq(arm_cpu_mode(&cpu), ARM_MODE_SYS);
}
END_TEST

START_TEST(cps_in_user_mode_is_a_nop)
{
    set_mode(ARM_MODE_USR);
    uint32_t before = arm_cpsr_read(&cpu);
    ck_assert_int_eq(RUN(0xf10800c0), ARM_EXCP_NONE);      /* cpsie if */
    ck_assert_uint_eq(arm_cpsr_read(&cpu), before);
}
END_TEST

START_TEST(banked_register_access_is_undefined)
{
    ck_assert_int_eq(RUN(0xe1050200), ARM_EXCP_UDEF);      /* mrs r0, sp_usr */
    ck_assert_int_eq(RUN(0xe125f200), ARM_EXCP_UDEF);      /* msr sp_usr, r0 */
}
END_TEST

START_TEST(hint_space_with_nonzero_sbz_bits_is_a_nop)
{
    uint32_t before = arm_cpsr_read(&cpu);
    ck_assert_int_eq(RUN(0xe320f100), ARM_EXCP_NONE);      /* msr cpsr_, #0, 2 */
    ck_assert_uint_eq(arm_cpsr_read(&cpu), before);
}
END_TEST

/* ---- SRS and RFE -------------------------------------------------------------------------- */

START_TEST(srs_stores_lr_and_spsr_on_a_stack)
{
    cpu.r[13] = DATA;
    cpu.r[14] = 0xe14e;
    cpu.spsr = 0x600000d0;
    ck_assert_int_eq(RUN(0xf96d0513), ARM_EXCP_NONE);      /* srsdb sp!, #0x13 */
    ck_assert_uint_eq(get32(DATA - 8), 0xe14e);
    ck_assert_uint_eq(get32(DATA - 4), 0x600000d0);
    ck_assert_uint_eq(cpu.r[13], DATA - 8);
    cpu.bank_r13[ARM_BANK_IRQ] = DATA + 16;
    ck_assert_int_eq(RUN(0xf8cd0512), ARM_EXCP_NONE);      /* srsia sp, #0x12 */
    ck_assert_uint_eq(get32(DATA + 16), 0xe14e);
    ck_assert_uint_eq(get32(DATA + 20), 0x600000d0);
    ck_assert_uint_eq(cpu.bank_r13[ARM_BANK_IRQ], DATA + 16);
}
END_TEST

START_TEST(srs_from_system_mode_is_undefined)
{
    set_mode(ARM_MODE_SYS);
    ck_assert_int_eq(RUN(0xf96d0513), ARM_EXCP_UDEF);      /* srsdb sp!, #0x13 */
}
END_TEST

START_TEST(rfe_loads_pc_and_cpsr)
{
    put32(DATA, CODE + 0x400);
    put32(DATA + 4, 0x20000010);
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN_TO(CODE + 0x400, 0xf8b10a00), ARM_EXCP_NONE);  /* rfeia r1! */
    ck_assert_uint_eq(arm_cpsr_read(&cpu), 0x20000010);
    ck_assert_uint_eq(cpu.r[1], DATA + 8);
}
END_TEST

START_TEST(rfe_in_user_mode_is_undefined)
{
    set_mode(ARM_MODE_USR);
    cpu.r[1] = DATA;
    ck_assert_int_eq(RUN(0xf9110a00), ARM_EXCP_UDEF);      /* rfedb r1 */
}
END_TEST

/* ---- exception-generating instructions -------------------------------------------------- */

START_TEST(svc_raises_swi_with_its_immediate)
{
    ck_assert_int_eq(RUN(0xef000042), ARM_EXCP_SWI);       /* svc #0x42 */
    ck_assert_uint_eq(cpu.excp_syndrome, 0x42);
    ck_assert_uint_eq(cpu.insn_pc, CODE);
}
END_TEST

START_TEST(svc_0x123456_is_semihosting_only_when_privileged_and_enabled)
{
    ck_assert_int_eq(RUN(0xef123456), ARM_EXCP_SWI);       /* svc #0x123456 */
    opts.semihosting = true;
    ck_assert_int_eq(RUN(0xef123456), ARM_EXCP_SEMIHOST);
    set_mode(ARM_MODE_USR);
    ck_assert_int_eq(RUN(0xef123456), ARM_EXCP_SWI);
    ck_assert_uint_eq(cpu.excp_syndrome, 0x123456);
}
END_TEST

START_TEST(hlt_0xf000_is_semihosting_else_undefined)
{
    ck_assert_int_eq(RUN(0xe10f0070), ARM_EXCP_UDEF);      /* hlt #0xf000 */
    opts.semihosting = true;
    ck_assert_int_eq(RUN(0xe10f0070), ARM_EXCP_SEMIHOST);
    ck_assert_int_eq(RUN(0xe1000071), ARM_EXCP_UDEF);      /* hlt #0x1 */
}
END_TEST

START_TEST(hvc_raises_hvc_with_imm16)
{
    ck_assert_int_eq(RUN(0xe1412374), ARM_EXCP_HVC);       /* hvc #0x1234 */
    ck_assert_uint_eq(cpu.excp_syndrome, 0x1234);
}
END_TEST

START_TEST(hvc_in_user_mode_is_undefined)
{
    set_mode(ARM_MODE_USR);
    ck_assert_int_eq(RUN(0xe1412374), ARM_EXCP_UDEF);      /* hvc #0x1234 */
}
END_TEST

START_TEST(bkpt_raises_bkpt_with_imm16)
{
    ck_assert_int_eq(RUN(0xe12abc7d), ARM_EXCP_BKPT);      /* bkpt #0xabcd */
    ck_assert_uint_eq(cpu.excp_syndrome, 0xabcd);
}
END_TEST

START_TEST(smc_and_udf_are_undefined)
{
    ck_assert_int_eq(RUN(0xe1600070), ARM_EXCP_UDEF);      /* smc #0 */
    ck_assert_int_eq(RUN(0xe7f000f0), ARM_EXCP_UDEF);      /* udf #0 */
}
END_TEST

/* ---- coprocessors and barriers ------------------------------------------------------------ */

START_TEST(mcr_then_mrc_round_trips_a_system_register)
{
    cpu.r[0] = 0xcafef00d;
    ck_assert_int_eq(RUN(0xee0d0f50,    /* mcr p15, 0, r0, c13, c0, 2 (TPIDRURW) */
                         0xee1d1f50),   /* mrc p15, 0, r1, c13, c0, 2 */
                     ARM_EXCP_NONE);
    ck_assert_uint_eq(cpu.r[1], 0xcafef00d);
    ck_assert_uint_eq(n_tbs, 2);            /* MCR ends its TB */
}
END_TEST

START_TEST(mrc_into_pc_sets_the_flags)
{
    ck_assert_int_eq(RUN(0xee10ff10), ARM_EXCP_NONE);      /* mrc p15, 0, APSR_nzcv, c0, c0, 0 */
    ck_assert_uint_eq(arm_cpsr_read(&cpu) >> 28, 0x414fc0f0u >> 28);    /* MIDR */
}
END_TEST

START_TEST(mrrc_reads_a_64_bit_register_into_two)
{
    ck_assert_int_eq(RUN(0xec510f1e), ARM_EXCP_NONE);      /* mrrc p15, 1, r0, r1, c14 (CNTVCT) */
    ck_assert_uint_eq(cpu.r[0], (uint32_t)counter_now);
    ck_assert_uint_eq(cpu.r[1], (uint32_t)(counter_now >> 32));
}
END_TEST

/* Refused when translated: architecturally UNDEFINED, so no "not
 * implemented" line from the system-register code either. */
START_TEST(coprocessors_other_than_14_and_15_are_undefined)
{
    ck_assert_int_eq(RUN(0xee000710), ARM_EXCP_UDEF);      /* mcr p7, 0, r0, c0, c0, 0 */
    ck_assert_msg(unimp_bytes() == 0, "unimp log: %s", unimp_text);
}
END_TEST

START_TEST(a_refused_system_register_access_is_undefined)
{
    cpu.r[0] = 0x77;
    ck_assert_int_eq(RUN(0xee1f0fff), ARM_EXCP_UDEF);      /* mrc p15, 0, r0, c15, c15, 7 */
    ck_assert_uint_eq(cpu.r[0], 0x77);
    set_mode(ARM_MODE_USR);
    ck_assert_int_eq(RUN(0xee010f10), ARM_EXCP_UDEF);      /* mcr p15, 0, r0, c1, c0, 0 (SCTLR) */
}
END_TEST

static bool tb_has_op(uint32_t word, enum tcg_opcode opc)
{
    load_code(&word, 1);
    translate_at_pc(CODE + 4);
    for (size_t i = 0; i < ctx->n_ops; i++)
        if (ctx->ops[i].opc == opc && !ctx->ops[i].dead)
            return true;
    return false;
}

START_TEST(dmb_and_dsb_emit_a_barrier)
{
    ck_assert(tb_has_op(0xf57ff05b, TCG_OP_mb));           /* dmb ish */
    ck_assert(tb_has_op(0xf57ff04f, TCG_OP_mb));           /* dsb sy */
    ck_assert(!tb_has_op(NOP, TCG_OP_mb));
}
END_TEST

START_TEST(isb_ends_the_tb)
{
    ck_assert_int_eq(RUN(0xf57ff06f, NOP, NOP), ARM_EXCP_NONE);   /* isb sy; nop; nop */
    ck_assert_uint_eq(n_tbs, 2);
}
END_TEST

/* ---- hints ----------------------------------------------------------------------------------- */

START_TEST(wfi_and_yield_leave_for_the_runtime)
{
    ck_assert_int_eq(RUN(0xe320f003), ARM_EXCP_WFI);       /* wfi */
    ck_assert_int_eq(RUN(0xe320f001), ARM_EXCP_YIELD);     /* yield */
    ck_assert_uint_eq(cpu.insn_pc, CODE);
}
END_TEST

START_TEST(wfe_consumes_a_pending_event)
{
    atomic_store(&cpu.event, true);
    ck_assert_int_eq(RUN(0xe320f002), ARM_EXCP_NONE);      /* wfe */
    ck_assert(!atomic_load(&cpu.event));
    ck_assert_int_eq(RUN(0xe320f002), ARM_EXCP_WFE);
}
END_TEST

START_TEST(sev_signals_an_event)
{
    ck_assert_int_eq(RUN(0xe320f004), ARM_EXCP_NONE);      /* sev */
    ck_assert_uint_eq(n_sev, 1);
}
END_TEST

/* ---- the suite --------------------------------------------------------------------------------- */

static void add(Suite *s, const char *name, const TTest *t)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, t);
    suite_add_tcase(s, tc);
}

static Suite *mem_suite(Suite *s)
{
    TCase *tc = tcase_create("block_modes");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, ldm_addressing_modes_load_and_write_back, 0, 4);
    tcase_add_loop_test(tc, stm_addressing_modes_store_and_write_back, 0, 4);
    suite_add_tcase(s, tc);
    add(s, "single", ldr_immediate_offset_leaves_the_base);
    add(s, "single", ldr_pre_index_writes_the_address_back);
    add(s, "single", ldr_post_index_loads_at_the_base_then_adds);
    add(s, "single", ldr_register_offsets_are_shifted_added_or_subtracted);
    add(s, "single", stores_write_words_bytes_and_halfwords);
    add(s, "single", byte_and_halfword_loads_extend_by_sign_or_zero);
    add(s, "single", ldrd_and_strd_move_two_words);
    add(s, "single", ldrd_with_an_odd_rt_is_undefined);
    add(s, "single", unprivileged_forms_access_memory_as_pl0);
    add(s, "single", normal_accesses_in_svc_use_the_pl1_index);
    add(s, "single", ldr_alignment_follows_sctlr_a);
    add(s, "single", pld_is_a_nop_even_outside_memory);
    add(s, "single", ldr_literal_reads_relative_to_pc_plus_8);
    add(s, "block", ldm_without_writeback_keeps_the_base);
    add(s, "block", stm_with_the_base_in_the_list_stores_its_old_value);
    add(s, "block", ldm_writeback_with_the_base_in_the_list_is_undefined);
    add(s, "block", push_then_pop_round_trips_through_the_stack);
    add(s, "block", push_one_and_pop_one_use_the_stack);
    add(s, "block", pop_into_pc_branches_to_the_loaded_value);
    add(s, "block", ldr_into_pc_interworks);
    add(s, "block", a_faulting_ldm_leaves_every_register_unchanged);
    add(s, "block", a_faulting_load_with_writeback_leaves_the_base);
    add(s, "block", ldm_needs_word_alignment_even_with_sctlr_a_clear);
    add(s, "block", ldm_user_writes_the_user_bank);
    add(s, "block", stm_user_reads_the_user_bank);
    add(s, "block", user_bank_transfers_are_undefined_in_user_mode);
    add(s, "block", ldm_with_pc_and_caret_returns_from_the_exception);
    add(s, "excl", ldrex_strex_go_through_the_exclusive_services);
    add(s, "excl", strex_after_clrex_fails_and_stores_nothing);
    add(s, "excl", byte_and_halfword_exclusives_have_their_sizes);
    add(s, "excl", doubleword_exclusives_pair_rt_with_rt_plus_1);
    add(s, "excl", strex_with_rd_equal_to_rt_is_undefined);
    add(s, "excl", swp_is_undefined);
    add(s, "endian", big_endian_data_after_setend_be);
    return s;
}

static Suite *sys_suite(Suite *s)
{
    add(s, "branch", b_targets_are_relative_to_pc_plus_8);
    add(s, "branch", bl_sets_lr_to_the_next_instruction);
    add(s, "branch", bx_and_blx_branch_to_a_register);
    add(s, "branch", blx_lr_reads_lr_before_writing_it);
    add(s, "branch", branches_to_thumb_state_are_undefined);
    add(s, "psr", mrs_reads_the_cpsr);
    add(s, "psr", msr_flags_field_sets_nzcv);
    add(s, "psr", msr_in_user_mode_writes_only_the_apsr);
    add(s, "psr", msr_control_field_changes_mode_and_ends_the_tb);
    add(s, "psr", spsr_is_read_and_written_in_modes_that_have_one);
    add(s, "psr", spsr_access_without_an_spsr_is_undefined);
    add(s, "psr", cps_changes_masks_and_mode);
    add(s, "psr", cps_in_user_mode_is_a_nop);
    add(s, "psr", banked_register_access_is_undefined);
    add(s, "psr", hint_space_with_nonzero_sbz_bits_is_a_nop);
    add(s, "srs_rfe", srs_stores_lr_and_spsr_on_a_stack);
    add(s, "srs_rfe", srs_from_system_mode_is_undefined);
    add(s, "srs_rfe", rfe_loads_pc_and_cpsr);
    add(s, "srs_rfe", rfe_in_user_mode_is_undefined);
    add(s, "excp", svc_raises_swi_with_its_immediate);
    add(s, "excp", svc_0x123456_is_semihosting_only_when_privileged_and_enabled);
    add(s, "excp", hlt_0xf000_is_semihosting_else_undefined);
    add(s, "excp", hvc_raises_hvc_with_imm16);
    add(s, "excp", hvc_in_user_mode_is_undefined);
    add(s, "excp", bkpt_raises_bkpt_with_imm16);
    add(s, "excp", smc_and_udf_are_undefined);
    add(s, "coproc", mcr_then_mrc_round_trips_a_system_register);
    add(s, "coproc", mrc_into_pc_sets_the_flags);
    add(s, "coproc", mrrc_reads_a_64_bit_register_into_two);
    add(s, "coproc", coprocessors_other_than_14_and_15_are_undefined);
    add(s, "coproc", a_refused_system_register_access_is_undefined);
    add(s, "barrier", dmb_and_dsb_emit_a_barrier);
    add(s, "barrier", isb_ends_the_tb);
    add(s, "hint", wfi_and_yield_leave_for_the_runtime);
    add(s, "hint", wfe_consumes_a_pending_event);
    add(s, "hint", sev_signals_an_event);
    return s;
}

int main(void)
{
    Suite *s = suite_create("arm_translate_sys");
    SRunner *sr = srunner_create(sys_suite(mem_suite(s)));
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
