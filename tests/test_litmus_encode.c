/*
 * test_litmus_encode.c — litmus/: register allocation and A32 encoding.
 *
 * The reference is the GNU assembler: each test writes the same
 * instructions in gas syntax to a temporary .s, runs arm-none-eabi-as and
 * arm-none-eabi-objcopy -O binary -j .text, and compares word by word with
 * what litmus_encode_thread() produced from the litmus spelling.
 */
#include "litmus/litmus.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_WORDS 128

static char err[512];

/* ---- the reference assembler ----------------------------------------------- */

static size_t assemble(const char *body, uint32_t *words, size_t max)
{
    char dir[] = "/tmp/strex-litmus-as-XXXXXX", path[128], cmd[1024];
    unsigned char bytes[4 * MAX_WORDS];
    size_t n;
    FILE *f;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.s", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, ".syntax unified\n.arm\n%s\n", body);
    fclose(f);
    snprintf(cmd, sizeof(cmd),
             "arm-none-eabi-as -march=armv7-a -o %s/t.o %s/t.s && "
             "arm-none-eabi-objcopy -O binary -j .text %s/t.o %s/t.bin", dir, dir, dir, dir);
    ck_assert_msg(system(cmd) == 0, "the assembler failed on:\n%s", body);
    snprintf(path, sizeof(path), "%s/t.bin", dir);
    f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    n = fread(bytes, 1, sizeof(bytes), f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_uint_le(n / 4, max);
    for (size_t i = 0; i < n / 4; i++) /* A32 words are little-endian */
        words[i] = (uint32_t)bytes[4 * i] | (uint32_t)bytes[4 * i + 1] << 8 |
                   (uint32_t)bytes[4 * i + 2] << 16 | (uint32_t)bytes[4 * i + 3] << 24;
    return n / 4;
}

/* ---- building one-thread tests ------------------------------------------- */

/* "ARM t", the init, " P0 ;", then one row per cell (from line 4). */
static char *one_thread(const char *init, const char *const *cells, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    fprintf(f, "ARM t\n{ %s }\n P0 ;\n", init);
    for (size_t i = 0; i < n; i++)
        fprintf(f, " %s ;\n", cells[i]);
    fprintf(f, "exists (x=0)\n");
    fclose(f);
    return buf;
}

/* Parse, allocate (default pool), encode thread 0; -1 with err on failure. */
static int encode_cells(const char *init, const char *const *cells, size_t n,
                        struct litmus_test *t, struct litmus_code *code)
{
    char *text = one_thread(init, cells, n);
    int rc = litmus_parse_string("t.litmus", text, t, err, sizeof(err));

    free(text);
    if (rc)
        ck_abort_msg("does not parse: %s", err);
    rc = litmus_alloc_registers(t, LITMUS_DEFAULT_POOL, err, sizeof(err));
    if (rc == 0)
        rc = litmus_encode_thread(t, 0, code, err, sizeof(err));
    return rc;
}

static void expect_error(const char *cell, const char *message)
{
    struct litmus_test t;
    struct litmus_code code;

    ck_assert_msg(encode_cells("x=0;", &cell, 1, &t, &code) == -1, "'%s' encoded", cell);
    ck_assert_str_eq(err, message);
    litmus_test_free(&t);
}

struct form {
    const char *litmus, *gas;
};

static void compare_with_gas(const struct form *forms, size_t n, const char *init)
{
    const char **cells = calloc(n, sizeof(char *));
    char *gas = calloc(n, 64);
    uint32_t want[MAX_WORDS];
    struct litmus_test t;
    struct litmus_code code;
    size_t n_want;

    for (size_t i = 0; i < n; i++) {
        cells[i] = forms[i].litmus;
        strcat(gas, forms[i].gas);
        strcat(gas, "\n");
    }
    if (encode_cells(init, cells, n, &t, &code))
        ck_abort_msg("%s", err);
    n_want = assemble(gas, want, MAX_WORDS);
    ck_assert_uint_eq(code.n_words, n_want);
    for (size_t i = 0; i < n_want; i++) {
        const char *src = t.threads[0].code[code.insn_of_word[i]].mnemonic;

        ck_assert_msg(code.words[i] == want[i], "word %zu (%s, line %d): got %08x, as gives %08x",
                      i, src, t.threads[0].code[code.insn_of_word[i]].line, code.words[i],
                      want[i]);
    }
    litmus_code_free(&code);
    litmus_test_free(&t);
    free(cells);
    free(gas);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- encodings ------------------------------------------------------------- */

START_TEST(every_instruction_form_matches_the_assembler)
{
    static const struct form forms[] = {
        { "MOV R0,#1", "mov r0, #1" },
        { "MOV R1,R2", "mov r1, r2" },
        { "mov R3,1", "mov r3, #1" },
        { "MOV R4,#0xff000000", "mov r4, #0xff000000" },
        { "MOV R5,#0x3fc", "mov r5, #0x3fc" },
        { "MOV R6,#-1", "mvn r6, #0" },
        { "MOV R7,#0x1234", "movw r7, #0x1234" },
        { "MOV R12,#0", "mov r12, #0" },
        { "MOV R14,R0", "mov lr, r0" },
        { "ADD R1,R0,#1", "add r1, r0, #1" },
        { "add R3, R3, 1", "add r3, r3, #1" },
        { "ADD R1,R2,R3", "add r1, r2, r3" },
        { "ADD R1,R1,#-1", "sub r1, r1, #1" },
        { "ADD R2,R2,#0xf000000f", "add r2, r2, #0xf000000f" },
        { "EOR R1,R0,R0", "eor r1, r0, r0" },
        { "EOR R1,R0,#255", "eor r1, r0, #255" },
        { "EOR R11,R10,#0x3f0", "eor r11, r10, #0x3f0" },
        { "AND R11,R1,#0", "and r11, r1, #0" },
        { "AND R10,R2,R3", "and r10, r2, r3" },
        { "AND R1,R2,#0xffffff00", "bic r1, r2, #0xff" },
        { "CMP R3,R3", "cmp r3, r3" },
        { "CMP R3,#0", "cmp r3, #0" },
        { "CMP R9, #123", "cmp r9, #123" },
        { "CMP R1,#-1", "cmn r1, #1" },
        { "LDR R0,[R1]", "ldr r0, [r1]" },
        { "LDR R0,[R1,R2]", "ldr r0, [r1, r2]" },
        { "LDR R0,[R1,#4]", "ldr r0, [r1, #4]" },
        { "LDR R0,[R1,#-4]", "ldr r0, [r1, #-4]" },
        { "LDR R0,[R1,#4095]", "ldr r0, [r1, #4095]" },
        { "ldr R2,R5", "ldr r2, [r5]" },
        { "LDR R2,R5,R6", "ldr r2, [r5, r6]" },
        { "STR R0,[R1]", "str r0, [r1]" },
        { "STR R5,[R4,R8]", "str r5, [r4, r8]" },
        { "STR R0,[R1,#8]", "str r0, [r1, #8]" },
        { "str R1,R5", "str r1, [r5]" },
        { "DMB", "dmb sy" },
        { "DMB SY", "dmb sy" },
        { "DMB ST", "dmb st" },
        { "DMB.ST", "dmb st" },
        { "dmb ish", "dmb ish" },
        { "DMB ISHST", "dmb ishst" },
        { "DSB", "dsb sy" },
        { "DSB ST", "dsb st" },
        { "DSB.ST", "dsb st" },
        { "ISB", "isb sy" },
        { "ISB SY", "isb sy" },
    };

    compare_with_gas(forms, N(forms), "x=0;");
}
END_TEST

START_TEST(branches_forward_and_backward_match_the_assembler)
{
    static const struct form forms[] = {
        { "L0:", "L0:" },
        { "MOV R0,#1", "mov r0, #1" },
        { "BNE L1", "bne L1" },
        { "B L0", "b L0" },
        { "BEQ L0", "beq L0" },
        { "beq L1", "beq L1" },
        { "L1: CMP R0,#1", "L1: cmp r0, #1" },
        { "BNE L2", "bne L2" },
        { "B L1", "b L1" },
        { "L2:", "L2:" }, /* the end: a branch out of the code */
    };

    compare_with_gas(forms, N(forms), "x=0;");
}
END_TEST

START_TEST(every_branch_condition_matches_the_assembler)
{
    static const struct form forms[] = {
        { "L0:", "L0:" },
        { "BEQ L0", "beq L0" }, { "BNE L0", "bne L0" }, { "BCS L0", "bcs L0" },
        { "BHS L0", "bhs L0" }, { "BCC L0", "bcc L0" }, { "BLO L0", "blo L0" },
        { "BMI L0", "bmi L0" }, { "BPL L0", "bpl L0" }, { "BVS L0", "bvs L0" },
        { "BVC L0", "bvc L0" }, { "BHI L0", "bhi L0" }, { "BLS L0", "bls L0" },
        { "BGE L0", "bge L0" }, { "BLT L0", "blt L0" }, { "BGT L0", "bgt L0" },
        { "BLE L0", "ble L0" }, { "BAL L0", "bal L0" }, { "B L0", "b L0" },
    };

    compare_with_gas(forms, N(forms), "x=0;");
}
END_TEST

START_TEST(symbolic_registers_take_the_lowest_free_registers)
{
    static const struct form forms[] = {
        /* R0, R1 are named in the code, R2 in the init: %x0 -> R3, %y0 -> R4 */
        { "LDR R0,[%x0]", "ldr r0, [r3]" },
        { "LDR R1,[R0,%y0]", "ldr r1, [r0, r4]" },
        { "STR R1,[%x0]", "str r1, [r3]" },
    };
    struct litmus_test t;
    struct litmus_code code;
    const char *cells[] = { "LDR R0,[%x0]", "LDR R1,[R0,%y0]", "STR R1,[%x0]" };
    struct litmus_value vals[16];
    uint16_t mask;

    compare_with_gas(forms, N(forms), "%x0=x; %y0=y; 0:R2=5;");
    ck_assert_int_eq(encode_cells("%x0=x; %y0=y; 0:R2=5;", cells, 3, &t, &code), 0);
    ck_assert_uint_eq(t.threads[0].n_syms, 2);
    ck_assert_str_eq(t.threads[0].syms[1].name, "y0");
    ck_assert_int_eq(t.threads[0].syms[1].reg, 4);
    ck_assert_str_eq(t.threads[0].syms[1].value.loc, "y");
    litmus_thread_inits(&t, 0, vals, &mask);
    ck_assert_uint_eq(mask, 1u << 2 | 1u << 3 | 1u << 4);
    ck_assert_uint_eq(vals[2].num, 5);
    ck_assert_str_eq(vals[3].loc, "x");
    ck_assert_uint_eq(litmus_thread_regs_used(&t, 0), 0x1f);
    litmus_code_free(&code);
    litmus_test_free(&t);
}
END_TEST

START_TEST(registers_the_condition_reads_are_not_given_away)
{
    const char *text = "ARM t\n{ %x0=x; }\n P0 ;\n LDR R0,[%x0] ;\nexists (0:R1=0)\n";
    struct litmus_test t;

    ck_assert_int_eq(litmus_parse_string("t.litmus", text, &t, err, sizeof(err)), 0);
    ck_assert_int_eq(litmus_alloc_registers(&t, LITMUS_DEFAULT_POOL, err, sizeof(err)), 0);
    ck_assert_int_eq(t.threads[0].syms[0].reg, 2); /* R0 in code, R1 observed */
    /* Allocating again, with another pool, starts over. */
    ck_assert_int_eq(litmus_alloc_registers(&t, 1u << 7, err, sizeof(err)), 0);
    ck_assert_int_eq(t.threads[0].code[0].ops[1].reg.num, 7);
    ck_assert_int_eq(litmus_alloc_registers(&t, 0x3, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "t.litmus:4: P0: no free register left for %x0");
    litmus_test_free(&t);
}
END_TEST

START_TEST(load_const_matches_movw_movt)
{
    uint32_t words[4], want[4];
    size_t n = litmus_encode_load_const(3, 0x12345678, words);

    n += litmus_encode_load_const(9, 0xbeef, words + n);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(assemble("movw r3, #0x5678\nmovt r3, #0x1234\nmovw r9, #0xbeef", want, 4),
                      3);
    for (size_t i = 0; i < 3; i++)
        ck_assert_uint_eq(words[i], want[i]);
}
END_TEST

/* ---- errors ------------------------------------------------------------------ */

START_TEST(immediates_that_do_not_fit_are_errors)
{
    expect_error("EOR R1,R0,#257",
                 "t.litmus:4: P0: EOR: immediate #257 is not an 8-bit value rotated by an even "
                 "amount");
    expect_error("ADD R1,R0,#0x101",
                 "t.litmus:4: P0: ADD: immediate #257 is not an 8-bit value rotated by an even "
                 "amount");
    expect_error("CMP R1,#0x102",
                 "t.litmus:4: P0: CMP: immediate #258 is not an 8-bit value rotated by an even "
                 "amount");
    expect_error("MOV R1,#0x12345",
                 "t.litmus:4: P0: MOV: immediate #74565 fits neither a rotated 8-bit value, its "
                 "complement, nor 16 bits");
    expect_error("LDR R1,[R2,#4096]",
                 "t.litmus:4: P0: LDR: offset #4096 is out of range (-4095..4095)");
}
END_TEST

START_TEST(unknown_instructions_are_named)
{
    expect_error("FOO R1", "t.litmus:4: P0: unknown instruction 'FOO'");
    expect_error("MOVNE R0,#1", "t.litmus:4: P0: unknown instruction 'MOVNE'");
    expect_error("LDREX R0,[R1]", "t.litmus:4: P0: unknown instruction 'LDREX'");
    expect_error("BL L0", "t.litmus:4: P0: unknown instruction 'BL'");
}
END_TEST

START_TEST(bad_operands_and_labels_are_errors)
{
    expect_error("MOV R0,[R1]",
                 "t.litmus:4: P0: MOV: these operands are not supported (register, [Rn,#k])");
    expect_error("DMB #1", "t.litmus:4: P0: DMB: these operands are not supported (immediate)");
    expect_error("ISB ST", "t.litmus:4: P0: ISB: ST is not a barrier option here");
    expect_error("DMB FOO", "t.litmus:4: P0: DMB: FOO is not a barrier option here");
    expect_error("BNE L9", "t.litmus:4: P0: B: undefined label L9");
    expect_error("MOV R15,#1", "t.litmus:4: P0: MOV: R15 (PC) is not supported as an operand");
    expect_error("LDR R0,[%q]", "t.litmus:4: P0: %q has no initial value (no '%q=...' in the "
                                "init section)");
    {
        const char *cells[] = { "L0:", "L0: B L0" };
        struct litmus_test t;
        struct litmus_code code;

        ck_assert_int_eq(encode_cells("x=0;", cells, 2, &t, &code), -1);
        ck_assert_str_eq(err, "t.litmus:5: P0: label L0 defined twice");
        litmus_test_free(&t);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("litmus_encode");
    TCase *enc = tcase_create("encode"), *bad = tcase_create("errors");
    SRunner *sr;
    int failed;

    tcase_add_test(enc, every_instruction_form_matches_the_assembler);
    tcase_add_test(enc, branches_forward_and_backward_match_the_assembler);
    tcase_add_test(enc, every_branch_condition_matches_the_assembler);
    tcase_add_test(enc, symbolic_registers_take_the_lowest_free_registers);
    tcase_add_test(enc, registers_the_condition_reads_are_not_given_away);
    tcase_add_test(enc, load_const_matches_movw_movt);
    tcase_add_test(bad, immediates_that_do_not_fit_are_errors);
    tcase_add_test(bad, unknown_instructions_are_named);
    tcase_add_test(bad, bad_operands_and_labels_are_errors);
    suite_add_tcase(s, enc);
    suite_add_tcase(s, bad);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
