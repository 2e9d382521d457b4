/*
 * test_difftest.c — the difftest generator, its rules and its comparator
 * (harness/difftest_*.c).
 *
 * The generator is checked on its output, for a handful of seeds: every
 * word decodes to the line it claims, no tested word breaks a rule, every
 * memory access lands in the scratch buffer. The addresses are worked out
 * here from the MOVW/MOVT set-up words that precede each memory
 * instruction, with this file's own address arithmetic, not the
 * generator's plan. The rules are checked on known-bad encodings taken
 * from the ARM ARM's UNPREDICTABLE cases, and the comparator on lines
 * that differ in one field.
 */
#include "harness/difftest.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define SEEDS 6
#define SEQS_PER_SEED 150

static void gen(uint64_t seed, uint32_t index, const bool *picked, struct difftest_seq *s)
{
    struct difftest_gen_config cfg = { seed, 20, 50, picked };

    difftest_gen_seq(&cfg, index, s);
}

/* Calls fn on every generated sequence of the standard seeds. */
static void for_each_seq(void (*fn)(const struct difftest_seq *s))
{
    for (uint64_t seed = 1; seed <= SEEDS; seed++)
        for (uint32_t i = 0; i < SEQS_PER_SEED; i++) {
            struct difftest_seq s;

            gen(seed * 7919, i, NULL, &s);
            fn(&s);
            difftest_seq_free(&s);
        }
}

/* ---- words and lines -------------------------------------------------------- */

static void check_lines(const struct difftest_seq *s)
{
    ck_assert_uint_ge(s->n_tested, 20);
    for (size_t i = 0; i < s->n_slots; i++) {
        struct arm_insn in;

        ck_assert_msg(arm_decode(s->slots[i].word, &in), "%08x undefined", s->slots[i].word);
        ck_assert_msg(in.line == s->slots[i].line, "%08x decodes to %s, not %s", s->slots[i].word,
                      arm_insn_name(in.line), arm_insn_name(s->slots[i].line));
        if (s->slots[i].setup)
            ck_assert(in.line == A32_MOVW || in.line == A32_MOVT);
        else
            ck_assert_msg(!difftest_line_excluded(in.line), "excluded line %s drawn",
                          arm_insn_name(in.line));
    }
}

START_TEST(generated_words_decode_to_their_line)
{
    for_each_seq(check_lines);
}
END_TEST

/* The rules, restated here for the fields every line shares: no
 * destination is PC or SP, a writeback base is not the loaded register,
 * and difftest_insn_rejected() agrees. */
static void check_rules(const struct difftest_seq *s)
{
    for (size_t i = 0; i < s->n_slots; i++) {
        struct arm_insn in;

        if (s->slots[i].setup)
            continue;
        arm_decode(s->slots[i].word, &in);
        ck_assert_msg(!difftest_insn_rejected(&in), "%08x (%s): %s", in.raw,
                      arm_insn_name(in.line), difftest_insn_rejected(&in));
        for (const char *l = "dthla"; *l; l++)
            if (arm_has_field(&in, *l) && in.line != A32_MCR && in.line != A32_MRC)
                ck_assert_msg(arm_field(&in, *l) != 13 && arm_field(&in, *l) != 15,
                              "%08x (%s): R%c = %u", in.raw, arm_insn_name(in.line), *l,
                              arm_field(&in, *l));
        if (difftest_line_kind(in.line) == DIFFTEST_MEM && arm_has_field(&in, 'P') &&
            (arm_field(&in, 'P') == 0 || arm_field(&in, 'W') == 1))
            ck_assert_uint_ne(arm_field(&in, 'n'), arm_field(&in, 't'));
    }
}

START_TEST(generated_words_break_no_rule)
{
    for_each_seq(check_rules);
}
END_TEST

/* ---- memory -------------------------------------------------------------------- */

static uint32_t ref_shift(uint32_t v, uint32_t type, uint32_t n)
{
    switch (type) {
    case 0: return v << n;
    case 1: return n ? v >> n : 0;
    case 2: return n ? (uint32_t)((int32_t)v >> n) : (v & 0x80000000u ? ~0u : 0);
    default: return (v >> n) | (v << ((32 - n) & 31));
    }
}

/* First byte and length of the access, from the manual's pseudocode. */
static void ref_access(const struct arm_insn *in, const uint32_t *r, uint32_t *addr, uint32_t *len)
{
    enum difftest_kind k = difftest_line_kind(in->line);
    uint32_t n = arm_has_field(in, 'n') ? r[arm_field(in, 'n')] : r[13], off, cnt;

    cnt = arm_has_field(in, 'g') ? (uint32_t)__builtin_popcount(arm_field(in, 'g')) : 1;
    *len = 4 * cnt;
    if (k == DIFFTEST_STACK) {
        bool push = in->line == A32_PUSH || in->line == A32_PUSH_ONE;

        *addr = push ? r[13] - 4 * cnt : r[13];
    } else if (k == DIFFTEST_MULTI) {
        bool p = arm_field(in, 'P'), u = arm_field(in, 'U');

        *addr = u ? n + (p ? 4 : 0) : n - 4 * cnt + (p ? 0 : 4);
    } else if (k == DIFFTEST_EXCL_LOAD || k == DIFFTEST_EXCL_STORE) {
        *addr = n;
        *len = strstr(arm_insn_name(in->line), "EXB") ? 1 : strstr(arm_insn_name(in->line), "EXH")
               ? 2 : strstr(arm_insn_name(in->line), "EXD") ? 8 : 4;
    } else {
        if (arm_has_field(in, 'm'))
            off = arm_has_field(in, 'y') ? ref_shift(r[arm_field(in, 'm')], arm_field(in, 'y'),
                                                     arm_field(in, 'i'))
                                         : r[arm_field(in, 'm')];
        else
            off = arm_has_field(in, 'j') ? arm_field(in, 'j') << 4 | arm_field(in, 'i')
                                         : arm_field(in, 'i');
        *addr = arm_has_field(in, 'P') && arm_field(in, 'P')
                    ? (arm_field(in, 'U') ? n + off : n - off) : n;
        *len = 0; /* size checked through difftest_mem_access */
    }
}

static void check_access(const struct arm_insn *in, const uint32_t *val, const bool *known)
{
    struct difftest_access acc;
    uint32_t addr, len;

    ck_assert_msg(arm_has_field(in, 'n') ? known[arm_field(in, 'n')] : known[13],
                  "%08x: base register not set up", in->raw);
    if (arm_has_field(in, 'm') && difftest_line_kind(in->line) == DIFFTEST_MEM)
        ck_assert_msg(known[arm_field(in, 'm')], "%08x: index register not set up", in->raw);
    ck_assert(difftest_mem_access(in, val, &acc));
    ref_access(in, val, &addr, &len);
    ck_assert_msg(acc.addr == addr, "%08x (%s): %08x, expected %08x", in->raw,
                  arm_insn_name(in->line), acc.addr, addr);
    if (len)
        ck_assert_uint_eq(acc.size, len);
    ck_assert_msg(addr >= DIFFTEST_SCRATCH &&
                  addr + acc.size <= DIFFTEST_SCRATCH + DIFFTEST_SCRATCH_SIZE,
                  "%08x (%s): %08x+%u outside the buffer", in->raw, arm_insn_name(in->line), addr,
                  acc.size);
    ck_assert_msg(addr % acc.size == 0 || addr % 4 == 0, "%08x: %08x misaligned", in->raw, addr);
}

/* Register values are known from the set-up words since the last tested
 * instruction, which may have changed any register. */
static void check_memory(const struct difftest_seq *s)
{
    uint32_t val[16] = { 0 };
    bool known[16] = { false };

    for (size_t i = 0; i < s->n_slots; i++) {
        struct arm_insn in;

        arm_decode(s->slots[i].word, &in);
        if (s->slots[i].setup) {
            uint32_t d = arm_field(&in, 'd'), imm = arm_field(&in, 'j') << 12 | arm_field(&in, 'i');

            val[d] = in.line == A32_MOVW ? imm : (val[d] & 0xffff) | imm << 16;
            known[d] = true;
            continue;
        }
        if (difftest_line_kind(in.line) != DIFFTEST_PLAIN)
            check_access(&in, val, known);
        memset(known, 0, sizeof(known));
    }
}

START_TEST(memory_accesses_stay_in_the_buffer)
{
    for_each_seq(check_memory);
}
END_TEST

START_TEST(stack_accesses_stay_in_the_stack_area)
{
    struct difftest_seq s;
    bool picked[A32_N_LINES] = { false };
    uint32_t regs[16] = { 0 }, addr, len;

    picked[A32_PUSH] = picked[A32_POP] = picked[A32_PUSH_ONE] = picked[A32_POP_ONE] = true;
    gen(5, 0, picked, &s);
    for (size_t i = 0; i < s.n_slots; i++) {
        struct arm_insn in;
        uint32_t imm;

        arm_decode(s.slots[i].word, &in);
        imm = arm_field(&in, 'j') << 12 | arm_field(&in, 'i');
        if (in.line == A32_MOVW || in.line == A32_MOVT) {
            ck_assert_uint_eq(arm_field(&in, 'd'), 13);
            regs[13] = in.line == A32_MOVW ? imm : (regs[13] & 0xffff) | imm << 16;
            continue;
        }
        ref_access(&in, regs, &addr, &len);
        ck_assert_msg(addr >= DIFFTEST_STACK_AREA &&
                      addr + len <= DIFFTEST_SCRATCH + DIFFTEST_SCRATCH_SIZE,
                      "%08x with SP %08x touches %08x+%u", in.raw, regs[13], addr, len);
    }
    difftest_seq_free(&s);
}
END_TEST

/* LDREX* is followed by set-up, STREX* of the same size, CLREX. */
START_TEST(exclusive_loads_are_paired_with_a_store_and_clrex)
{
    bool picked[A32_N_LINES] = { false };
    struct difftest_seq s;

    picked[A32_LDREX] = picked[A32_LDREXB] = picked[A32_LDREXH] = picked[A32_LDREXD] = true;
    gen(11, 3, picked, &s);
    for (size_t i = 0; i < s.n_slots; i++) {
        enum a32_line l = s.slots[i].line;

        if (s.slots[i].setup || difftest_line_kind(l) != DIFFTEST_EXCL_LOAD)
            continue;
        ck_assert_uint_ge(s.n_slots, i + 5);
        ck_assert(s.slots[i + 1].setup && s.slots[i + 2].setup);
        ck_assert_str_eq(arm_insn_name(s.slots[i + 3].line) + 2, arm_insn_name(l) + 2);
        ck_assert_int_eq(s.slots[i + 3].line - A32_STREX, l - A32_LDREX);
        ck_assert_int_eq(s.slots[i + 4].line, A32_CLREX);
        ck_assert_uint_eq(s.slots[i + 1].word & 0xfff0fff, s.slots[i - 2].word & 0xfff0fff);
        ck_assert_uint_eq(s.slots[i + 2].word & 0xfff0fff, s.slots[i - 1].word & 0xfff0fff);
    }
    difftest_seq_free(&s);
}
END_TEST

/* ---- the rules ------------------------------------------------------------------ */

static const char *verdict(uint32_t word)
{
    struct arm_insn in;

    ck_assert_msg(arm_decode(word, &in), "%08x undefined", word);
    return difftest_insn_rejected(&in);
}

/* Words from arm-none-eabi-as (or, where it refuses, encoded by hand from
 * the table: marked "by hand"). */
START_TEST(unpredictable_and_unsafe_encodings_are_rejected)
{
    static const uint32_t bad[] = {
        0xe5b11004, /* ldr r1, [r1, #4]!         writeback with Rn == Rt */
        0xe0d110b2, /* ldrh r1, [r1], #2         the same, post-indexed */
        0xe1e000f8, /* strd r0, r1, [r0, #8]!    writeback with Rn == Rt */
        0xe1c010d0, /* ldrd r1, r2, [r0]         odd Rt (by hand) */
        0xe0811392, /* umull r1, r1, r2, r3      RdHi == RdLo (by hand) */
        0xe0e00291, /* smlal r0, r0, r1, r2      RdHi == RdLo (by hand) */
        0xe080f001, /* add pc, r0, r1            writes PC */
        0xe1a0d000, /* mov sp, r0                writes SP */
        0xe8b00003, /* ldm r0!, {r0, r1}         writeback with Rn in the list */
        0xe8a00003, /* stmia r0!, {r0, r1}       the same for STM */
        0xe8908010, /* ldm r0, {r4, pc}          loads PC */
        0xe92d2001, /* push {r0, sp}             SP in the list */
        0xe8900000, /* ldm r0, {}                empty list (by hand) */
        0xe1810f90, /* strex r0, r0, [r1]        Rd == Rt (by hand) */
        0xe1a43f92, /* strexd r3, r2, r3, [r4]   Rd == Rt2 (by hand) */
        0xe1b01f9f, /* ldrexd r1, r2, [r0]       odd Rt (by hand) */
        0xe121f000, /* msr CPSR_c, r0            the mode bits */
        0xe16ff000, /* msr SPSR_fsxc, r0 */
        0xe14f0000, /* mrs r0, SPSR */
        0xee100f10, /* mrc p15, 0, r0, c0, c0, 0 MIDR */
        0xe7910061, /* ldr r0, [r1, r1, rrx]     Rm == Rn */
        0xe7910062, /* ldr r0, [r1, r2, rrx]     an RRX offset */
        0xe7c40411, /* bfi r0, r1: msb 4 < lsb 8 (by hand) */
        0xe7e0f051, /* ubfx pc, r1, #0, #1       (by hand) */
    };

    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(verdict(bad[i]) != NULL, "%08x accepted", bad[i]);
}
END_TEST

START_TEST(well_defined_encodings_are_accepted)
{
    static const uint32_t good[] = {
        0xe0810002, /* add r0, r1, r2 */
        0xe5b10004, /* ldr r0, [r1, #4]! */
        0xe28f0004, /* add r0, pc, #4 */
        0xe15f0001, /* cmp pc, r1 */
        0xee1d0f50, /* mrc p15, 0, r0, c13, c0, 2 (TPIDRURW) */
        0xe128f000, /* msr APSR_nzcvq, r0 */
        0xe8900003, /* ldm r0, {r0, r1}          no writeback: fine */
        0xe9200006, /* stmdb r0!, {r1, r2} */
        0xe92d4001, /* push {r0, lr} */
        0xe1a32f90, /* strexd r2, r0, r1, [r3] */
        0xe6bf0f31, /* rev r0, r1 */
        0xe0120394, /* muls r2, r4, r3 */
        0xe0010291, /* mul r1, r1, r2            Rd == Rn is fine since ARMv6 */
        0xe7910002, /* ldr r0, [r1, r2] */
        0xe1c200d8, /* ldrd r0, r1, [r2, #8] */
        0xe6810fb2, /* sel r0, r1, r2 */
        0xf1010200, /* setend be */
    };

    for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        ck_assert_msg(!verdict(good[i]), "%08x rejected: %s", good[i], verdict(good[i]));
}
END_TEST

START_TEST(excluded_lines_say_why_and_are_never_drawn)
{
    bool picked[A32_N_LINES];

    ck_assert_ptr_nonnull(difftest_line_excluded(A32_B));
    ck_assert_ptr_nonnull(difftest_line_excluded(A32_SVC));
    ck_assert_ptr_nonnull(difftest_line_excluded(A32_WFI));
    ck_assert_ptr_nonnull(difftest_line_excluded(A32_SWP));
    ck_assert_ptr_null(difftest_line_excluded(A32_ADD_REG));
    /* picked[] may not override an exclusion */
    for (int l = 0; l < A32_N_LINES; l++)
        picked[l] = true;
    for (uint32_t i = 0; i < 50; i++) {
        struct difftest_seq s;

        gen(3, i, picked, &s);
        for (size_t k = 0; k < s.n_slots; k++)
            ck_assert(!difftest_line_excluded(s.slots[k].line));
        difftest_seq_free(&s);
    }
}
END_TEST

START_TEST(every_covered_line_can_be_drawn_alone)
{
    for (int l = 0; l < A32_N_LINES; l++) {
        bool picked[A32_N_LINES] = { false };
        struct difftest_seq s;

        if (difftest_line_excluded((enum a32_line)l))
            continue;
        picked[l] = true;
        gen(17, (uint32_t)l, picked, &s);
        for (size_t k = 0; k < s.n_slots; k++)
            ck_assert(s.slots[k].setup || s.slots[k].line == l ||
                      difftest_line_kind((enum a32_line)l) == DIFFTEST_EXCL_LOAD);
        difftest_seq_free(&s);
    }
}
END_TEST

START_TEST(a_sequence_depends_only_on_seed_and_index)
{
    struct difftest_seq a, b, c;

    gen(42, 9, NULL, &a);
    gen(42, 9, NULL, &b);
    gen(43, 9, NULL, &c);
    ck_assert_uint_eq(a.n_slots, b.n_slots);
    for (size_t i = 0; i < a.n_slots; i++) {
        ck_assert_uint_eq(a.slots[i].word, b.slots[i].word);
        ck_assert_uint_eq(a.slots[i].setup, b.slots[i].setup);
    }
    ck_assert_mem_eq(a.regs, b.regs, sizeof(a.regs));
    ck_assert_uint_eq(a.psr, b.psr);
    ck_assert_uint_eq(a.mem_seed, b.mem_seed);
    ck_assert(a.n_slots != c.n_slots || a.slots[0].word != c.slots[0].word ||
              memcmp(a.regs, c.regs, sizeof(a.regs)));
    difftest_seq_free(&a);
    difftest_seq_free(&b);
    difftest_seq_free(&c);
}
END_TEST

/* ---- the comparator --------------------------------------------------------------- */

static const char line_a[] =
    "DT 0000002a D 00000000 00000001 00000002 00000003 00000004 00000005 00000006 00000007 "
    "00000008 00000009 0000000a 0000000b 0000000c 40400c00 0000000e 600001d2 "
    "11111111 22222222 33333333 44444444 55555555 66666666 77777777 88888888 "
    "99999999 aaaaaaaa bbbbbbbb cccccccc dddddddd eeeeeeee ffffffff 00000000\n";

static void parse_ok(const char *text, struct difftest_state *st)
{
    ck_assert_int_eq(difftest_parse_line(text, st), 0);
}

START_TEST(comparator_names_the_differing_register)
{
    struct difftest_state a, b;
    char what[512], *changed = strdup(line_a);

    memcpy(strstr(changed, "00000003"), "00000099", 8);
    parse_ok(line_a, &a);
    parse_ok(changed, &b);
    ck_assert_uint_eq(a.seq, 0x2a);
    ck_assert_uint_eq(difftest_compare(&a, &a, what, sizeof(what)), 0);
    ck_assert_uint_eq(difftest_compare(&a, &b, what, sizeof(what)), 1);
    ck_assert_str_eq(what, "r3 a=00000003 b=00000099");
    free(changed);
}
END_TEST

START_TEST(comparator_masks_the_mode_bits_but_not_the_flags)
{
    struct difftest_state a, b;
    char what[512];

    parse_ok(line_a, &a);
    b = a;
    b.v[15] ^= 0x1f;      /* mode: the dump code's, not compared */
    ck_assert_uint_eq(difftest_compare(&a, &b, what, sizeof(what)), 0);
    b.v[15] ^= 0x08000000; /* Q */
    ck_assert_uint_eq(difftest_compare(&a, &b, what, sizeof(what)), 1);
    ck_assert_ptr_nonnull(strstr(what, "psr"));
    b = a;
    b.v[16 + 3] = 0; /* buffer chunk 3 */
    ck_assert_uint_eq(difftest_compare(&a, &b, what, sizeof(what)), 1);
    ck_assert_ptr_nonnull(strstr(what, "m3 "));
}
END_TEST

START_TEST(an_exception_is_always_a_difference)
{
    struct difftest_state a, x;
    char what[512];

    parse_ok(line_a, &a);
    parse_ok("DT 0000002a X 00000001 40001234 e7f000f0\n", &x);
    ck_assert(x.exception);
    ck_assert_uint_eq(difftest_compare(&a, &x, what, sizeof(what)), 1);
    ck_assert_ptr_nonnull(strstr(what, "b took undef at pc=40001234"));
    ck_assert_uint_eq(difftest_compare(&x, &x, what, sizeof(what)), 1);
}
END_TEST

START_TEST(malformed_lines_are_not_parsed)
{
    struct difftest_state st;

    ck_assert_int_eq(difftest_parse_line("DT 0000002a D 00000000\n", &st), -1);
    ck_assert_int_eq(difftest_parse_line("qemu-system-arm: warning\n", &st), -1);
    ck_assert_int_eq(difftest_parse_line("DT 0000002a Q 00000001 00000002 00000003", &st), -1);
    ck_assert_int_eq(difftest_parse_line("DT 0000002a X 00000001 0000000g 00000003", &st), -1);
}
END_TEST

START_TEST(output_is_indexed_by_sequence_and_noise_is_skipped)
{
    struct difftest_output out;
    char text[2048];

    snprintf(text, sizeof(text), "booting\nDT 00000001 X 00000004 40000010 e5910000\n%s"
                                 "DT 00000007 X 00000001 00000000 00000000\n",
             line_a);
    difftest_output_parse(text, 3, &out);
    ck_assert(!out.have[0]);
    ck_assert(out.have[1] && out.states[1].exception);
    ck_assert(!out.have[2]);
    difftest_output_free(&out);
    difftest_output_parse(text, 64, &out);
    ck_assert(out.have[42] && !out.states[42].exception && out.have[7]);
    difftest_output_free(&out);
}
END_TEST

/* ---- the guest source -------------------------------------------------------------- */

START_TEST(guest_source_holds_every_word)
{
    struct difftest_seq s[2];
    char *buf = NULL, inst[64];
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    gen(1, 0, NULL, &s[0]);
    gen(1, 1, NULL, &s[1]);
    difftest_write_asm(f, s, 2);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "dt_seq_1:"));
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < s[k].n_slots; i++) {
            snprintf(inst, sizeof(inst), ".inst 0x%08x", s[k].slots[i].word);
            ck_assert_ptr_nonnull(strstr(buf, inst));
        }
    difftest_seq_free(&s[0]);
    difftest_seq_free(&s[1]);
    free(buf);
}
END_TEST

static Suite *difftest_suite(void)
{
    Suite *s = suite_create("difftest");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, generated_words_decode_to_their_line);
    tcase_add_test(tc, generated_words_break_no_rule);
    tcase_add_test(tc, memory_accesses_stay_in_the_buffer);
    tcase_add_test(tc, stack_accesses_stay_in_the_stack_area);
    tcase_add_test(tc, exclusive_loads_are_paired_with_a_store_and_clrex);
    tcase_add_test(tc, unpredictable_and_unsafe_encodings_are_rejected);
    tcase_add_test(tc, well_defined_encodings_are_accepted);
    tcase_add_test(tc, excluded_lines_say_why_and_are_never_drawn);
    tcase_add_test(tc, every_covered_line_can_be_drawn_alone);
    tcase_add_test(tc, a_sequence_depends_only_on_seed_and_index);
    tcase_add_test(tc, comparator_names_the_differing_register);
    tcase_add_test(tc, comparator_masks_the_mode_bits_but_not_the_flags);
    tcase_add_test(tc, an_exception_is_always_a_difference);
    tcase_add_test(tc, malformed_lines_are_not_parsed);
    tcase_add_test(tc, output_is_indexed_by_sequence_and_noise_is_skipped);
    tcase_add_test(tc, guest_source_holds_every_word);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(difftest_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
