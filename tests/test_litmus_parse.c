/*
 * test_litmus_parse.c — litmus/: reading .litmus files and conditions.
 *
 * Fixtures in tests/fixtures/litmus/ cover the modern and the old dialect,
 * every init form, the tail (locations, filter, each quantifier); each
 * error is an inline text checked for its exact "FILE:LINE: message".
 * The condition tests pin down precedence by the shape of the tree and
 * by evaluating against a small table of final values. The last test runs
 * the whole Herding Cats campaign (9,790 tests, about 2 s) from the shared
 * data next to the repository, through to the descriptor (litmus/gen.h).
 */
#include "litmus/litmus.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURES "tests/fixtures/litmus/"
/* The campaign lives beside the repository (shared/ next to the clone);
 * STREX_LITMUS_CAMPAIGN names another copy. Missing data is a failure, not
 * a skip: a test that did not run must not count as a pass. */
#define CAMPAIGN_DEFAULT "../shared/litmus/herding-cats/arm-tests.tgz"

static char err[512];

static void parse_fixture(const char *name, struct litmus_test *t)
{
    char path[256];

    snprintf(path, sizeof(path), FIXTURES "%s", name);
    if (litmus_parse_file(path, t, err, sizeof(err)))
        ck_abort_msg("%s", err);
}

static char *cond_text(const struct litmus_cond *c)
{
    return litmus_cond_to_string(c);
}

static void assert_cond(const struct litmus_cond *c, const char *want)
{
    char *got = cond_text(c);

    ck_assert_str_eq(got, want);
    free(got);
}

static void assert_insn(const struct litmus_instr *insn, const char *want)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    litmus_insn_print(f, insn, false);
    fclose(f);
    ck_assert_str_eq(buf, want);
    free(buf);
}

/* ---- whole files ----------------------------------------------------------- */

START_TEST(modern_file_gives_header_keys_symbols_and_columns)
{
    struct litmus_test t;

    parse_fixture("modern.litmus", &t);
    ck_assert_str_eq(t.arch, "ARM");
    ck_assert_str_eq(t.name, "MP+dmb+addr");
    ck_assert_str_eq(t.doc, "DMBdWW Rfe DpAddrdR Fre");
    ck_assert_uint_eq(t.n_keys, 2);
    ck_assert_str_eq(t.keys[0].key, "Cycle");
    ck_assert_str_eq(t.keys[0].value, "Rfe DpAddrdR Fre DMBdWW");
    ck_assert_str_eq(t.keys[1].value, "0:x=F,0:y=W,1:y=F,1:x=T");
    ck_assert_uint_eq(t.n_init, 4);
    ck_assert_int_eq(t.init[0].kind, LITMUS_INIT_SYMREG);
    ck_assert_str_eq(t.init[0].name, "x0");
    ck_assert_int_eq(t.init[0].value.kind, LITMUS_VALUE_ADDR);
    ck_assert_str_eq(t.init[0].value.loc, "x");
    ck_assert_uint_eq(t.n_threads, 2);
    ck_assert_uint_eq(t.threads[0].n_code, 5);
    ck_assert_uint_eq(t.threads[1].n_code, 3);
    assert_insn(&t.threads[0].code[1], "STR R0, [%x0]");
    assert_insn(&t.threads[1].code[2], "LDR R2, [R1,%x1]");
    ck_assert_int_eq(t.threads[1].code[2].line, 12);
    ck_assert_int_eq(t.quantifier, LITMUS_QUANT_EXISTS);
    assert_cond(t.cond, "1:R0=1 /\\ 1:R2=0");
    ck_assert_int_eq(t.cond_line, 15);
    ck_assert_uint_eq(t.n_locs, 2);
    ck_assert_str_eq(t.locs[0].name, "x");
    ck_assert_str_eq(t.locs[1].name, "y");
    litmus_test_free(&t);
}
END_TEST

START_TEST(old_file_lowercase_bare_operands_and_brackets)
{
    struct litmus_test t;

    parse_fixture("old.litmus", &t);
    ck_assert_str_eq(t.name, "LB+rs");
    ck_assert_str_eq(t.doc, "LB+rs Register shadowing illustration");
    ck_assert_int_eq(t.init[0].kind, LITMUS_INIT_REG);
    ck_assert_int_eq(t.init[1].thread, 1);
    ck_assert_int_eq(t.init[1].reg, 4);
    ck_assert_int_eq(t.init[4].kind, LITMUS_INIT_MEM);
    ck_assert_str_eq(t.init[4].name, "x");
    assert_insn(&t.threads[0].code[0], "LDR R1, [R4]");   /* ldr R1, R4 */
    assert_insn(&t.threads[0].code[2], "MOV R1, #1");     /* mov R1, 1 */
    assert_insn(&t.threads[0].code[3], "DMB ST");         /* dmb.st */
    assert_insn(&t.threads[1].code[1], "ADD R3, R3, #1"); /* add R3, R3, 1 */
    assert_insn(&t.threads[1].code[2], "STR R3, [R4,R1]"); /* str R3, R4,R1 */
    assert_insn(&t.threads[1].code[3], "DSB ST");
    ck_assert_str_eq(t.threads[0].code[3].ops[0].name, "ST");
    assert_cond(t.cond, "0:R1=1 /\\ 0:R2=2 /\\ 1:R3=2 /\\ y=1 /\\ x=2");
    litmus_test_free(&t);
}
END_TEST

START_TEST(every_init_form)
{
    struct litmus_test t;
    const struct litmus_init *it;
    const struct litmus_location *w;

    parse_fixture("init-forms.litmus", &t);
    ck_assert_uint_eq(t.n_init, 8);
    it = t.init;
    ck_assert_int_eq(it[0].kind, LITMUS_INIT_SYMREG);
    ck_assert_int_eq(it[1].kind, LITMUS_INIT_REG);
    ck_assert_int_eq(it[1].thread, 0);
    ck_assert_int_eq(it[1].reg, 2);
    ck_assert_str_eq(it[1].value.loc, "y");
    ck_assert_int_eq(it[2].thread, 1); /* P1:R5 */
    ck_assert_int_eq(it[2].reg, 5);
    ck_assert_int_eq(it[3].value.kind, LITMUS_VALUE_INT);
    ck_assert_uint_eq(it[3].value.num, 0xffffffffu); /* -1 */
    ck_assert_int_eq(it[4].kind, LITMUS_INIT_MEM);
    ck_assert_uint_eq(it[4].value.num, 1);
    ck_assert_str_eq(it[5].type, "int");
    ck_assert_str_eq(it[5].name, "y");
    ck_assert_str_eq(it[6].name, "z"); /* [z]=3 */
    ck_assert_uint_eq(it[6].value.num, 3);
    ck_assert_int_eq(it[7].value.kind, LITMUS_VALUE_ADDR);
    ck_assert_int_eq(it[7].line, 11);
    /* Locations in order of first mention, with their initial values. */
    ck_assert_uint_eq(t.n_locs, 4);
    ck_assert_str_eq(t.locs[0].name, "x");
    ck_assert_uint_eq(t.locs[0].init.num, 1);
    ck_assert_str_eq(t.locs[1].name, "y");
    ck_assert_uint_eq(t.locs[1].init.num, 2);
    w = litmus_find_location(&t, "w");
    ck_assert_ptr_nonnull(w);
    ck_assert_str_eq(w->init.loc, "z");
    litmus_test_free(&t);
}
END_TEST

START_TEST(locations_filter_and_not_exists)
{
    struct litmus_test t;
    struct litmus_lhs *places;
    size_t n;

    parse_fixture("tail.litmus", &t);
    ck_assert_uint_eq(t.n_threads, 3);
    ck_assert_uint_eq(t.n_observed, 3);
    ck_assert_int_eq(t.observed[0].kind, LITMUS_LHS_MEM);
    ck_assert_int_eq(t.observed[2].kind, LITMUS_LHS_REG);
    ck_assert_int_eq(t.observed[2].thread, 2); /* P2:R0 */
    assert_cond(t.filter, "1:R0=1 \\/ not x=0");
    ck_assert_int_eq(t.quantifier, LITMUS_QUANT_NOT_EXISTS);
    ck_assert_str_eq(litmus_quantifier_name(t.quantifier), "~exists");
    /* What an outcome line shows: registers by thread, then memory. */
    litmus_test_outcome_places(&t, &places, &n);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(places[0].thread, 1);
    ck_assert_int_eq(places[0].reg, 0);
    ck_assert_int_eq(places[1].reg, 1);
    ck_assert_int_eq(places[2].thread, 2);
    ck_assert_str_eq(places[3].loc, "x");
    free(places);
    litmus_test_free(&t);
}
END_TEST

START_TEST(forall_with_implication)
{
    struct litmus_test t;

    parse_fixture("forall.litmus", &t);
    ck_assert_uint_eq(t.n_threads, 1);
    ck_assert_int_eq(t.quantifier, LITMUS_QUANT_FORALL);
    ck_assert_int_eq(t.cond->kind, LITMUS_COND_IMPLIES);
    litmus_test_free(&t);
}
END_TEST

START_TEST(labels_branch_conditions_and_barrier_options)
{
    struct litmus_test t;
    const struct litmus_thread *p1;

    parse_fixture("branches.litmus", &t);
    p1 = &t.threads[1];
    ck_assert_str_eq(p1->code[2].mnemonic, "B");
    ck_assert_int_eq(p1->code[2].cc, LITMUS_CC_NE);
    ck_assert_int_eq(p1->code[2].ops[0].kind, LITMUS_OPND_LABEL);
    ck_assert_str_eq(p1->code[5].label, "LC00");
    ck_assert_int_eq(p1->code[6].ops[1].imm, 4);          /* [R0,#4] */
    ck_assert_int_eq(p1->code[7].cc, LITMUS_CC_EQ);       /* beq */
    ck_assert_str_eq(t.threads[0].code[2].mnemonic, "DMB"); /* DMB.ST */
    ck_assert_int_eq(t.threads[0].code[2].ops[0].kind, LITMUS_OPND_OPTION);
    ck_assert_str_eq(t.threads[0].code[6].label, "L0");  /* "L0: b L1" */
    assert_insn(&t.threads[0].code[7], "B L1");
    litmus_test_free(&t);
}
END_TEST

START_TEST(printed_test_parses_back_the_same)
{
    static const char *const names[] = { "modern.litmus", "old.litmus", "init-forms.litmus",
                                          "tail.litmus", "forall.litmus", "branches.litmus" };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        struct litmus_test t, u;
        char *a = NULL, *b = NULL;
        size_t la = 0, lb = 0;
        FILE *f;

        parse_fixture(names[i], &t);
        f = open_memstream(&a, &la);
        litmus_test_print(f, &t);
        fclose(f);
        if (litmus_parse_string("printed", a, &u, err, sizeof(err)))
            ck_abort_msg("%s printed does not parse: %s", names[i], err);
        f = open_memstream(&b, &lb);
        litmus_test_print(f, &u);
        fclose(f);
        ck_assert_str_eq(a, b);
        ck_assert_uint_eq(u.n_init, t.n_init);
        ck_assert_uint_eq(u.n_locs, t.n_locs);
        free(a);
        free(b);
        litmus_test_free(&t);
        litmus_test_free(&u);
    }
}
END_TEST

/* ---- errors: one line, FILE:LINE ------------------------------------------ */

static const struct {
    const char *text, *message;
} bad_files[] = {
    { "", "bad.litmus:1: empty file: expected 'ARM NAME'" },
    { "X86 SB\n{}\n P0 ;\n exists (x=1)\n",
      "bad.litmus:1: only ARM tests are supported, this one is X86" },
    { "ARM\n", "bad.litmus:1: expected the test's name after 'ARM'" },
    { "ARM t\nCycle Rfe\n{}\n", "bad.litmus:2: expected Key=Value, a \"doc string\" or '{', "
                                "found 'Cycle Rfe'" },
    { "ARM t\n\"doc\"\n", "bad.litmus:3: no init section: expected '{'" },
    { "ARM t\n{ x=1;\n P0 ;\n", "bad.litmus:2: init section '{' is never closed with '}'" },
    { "ARM t\n{\n0:R16=x;\n}\n", "bad.litmus:3: expected a register R0..R15, found 'R16'" },
    { "ARM t\n{\nx=1; y=2\nz=3;\n}\n",
      "bad.litmus:4: expected ';' after the init item, found 'z'" },
    { "ARM t\n{\nx=1;\nx=2;\n}\n", "bad.litmus:4: x is initialised twice (first on line 3)" },
    { "ARM t\n{\nlong x=1;\n}\n", "bad.litmus:3: unsupported type 'long'" },
    { "ARM t\n{\nx=-4294967295;\n}\n", "bad.litmus:3: -4294967295 does not fit in 32 bits" },
    { "ARM t\n{}\n P0 | P2 ;\n", "bad.litmus:3: bad thread name 'P2' in column 1, expected 'P1'" },
    { "ARM t\n{}\n P0 | P1 ;\n MOV R0,#1 ;\nexists (x=1)\n",
      "bad.litmus:4: row has 1 cells, expected 2" },
    { "ARM t\n{}\n P0 ;\n MOV R0,#1\nexists (x=1)\n",
      "bad.litmus:4: row does not end with ';'" },
    { "ARM t\n{}\nexists (x=1)\n",
      "bad.litmus:3: no thread columns: expected a row 'P0 | P1 ... ;'" },
    { "ARM t\n{}\n P0 ;\n MOV R0, @1 ;\nexists (x=1)\n", "bad.litmus:4: unexpected character '@'" },
    { "ARM t\n{}\n P0 ;\n LDR R0, [R1 ;\nexists (x=1)\n",
      "bad.litmus:4: expected ']' to close the memory operand, found end of input" },
    { "ARM t\n{}\n P0 ;\n MOV R0 R1 ;\nexists (x=1)\n",
      "bad.litmus:4: expected ',' between operands, found 'R1'" },
    { "ARM t\n{}\n P0 ;\n STR R0,[R1] ;\n", "bad.litmus:4: missing final condition "
                                           "(exists, ~exists or forall)" },
    { "ARM t\n{}\n P0 ;\n STR R0,[R1] ;\nexists (x=1 /\\ )\n",
      "bad.litmus:5: expected a register (N:Rk) or a location, found ')'" },
    { "ARM t\n{}\n P0 ;\n STR R0,[R1] ;\nexists (x=1) junk\n",
      "bad.litmus:5: unexpected 'junk' after the final condition" },
    { "ARM t\n{}\n P0 | P1 ;\n STR R0,[R1] | ;\nexists\n(2:R0=1)\n",
      "bad.litmus:5: the condition names thread 2, the test has 2" },
    { "ARM t\n{ 3:R0=1; }\n P0 ;\n STR R0,[R1] ;\nexists (x=1)\n",
      "bad.litmus:2: init names thread 3, the test has 1" },
    { "ARM t\n{}\n P0 ;\n NOP ;\nfilter (0:R0=1)\nexists (x=1)\nlocations [y;]\n",
      "bad.litmus:7: unexpected 'locations' after the final condition" },
    { "ARM t\n(* a comment\nthat never ends\n{}\n", "bad.litmus:2: comment '(*' is never closed" },
    { "ARM t\n{}\n P0 ;\n NOP ;\nexists x =\n",
      "bad.litmus:5: expected a value (a number or a location), found end of input" },
};

START_TEST(each_error_names_file_and_line)
{
    struct litmus_test t;

    for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
        err[0] = '\0';
        if (litmus_parse_string("bad.litmus", bad_files[i].text, &t, err, sizeof(err)) == 0) {
            litmus_test_free(&t);
            ck_abort_msg("case %zu parsed, expected: %s", i, bad_files[i].message);
        }
        ck_assert_msg(!strcmp(err, bad_files[i].message), "case %zu:\n  got  %s\n  want %s", i,
                      err, bad_files[i].message);
        ck_assert_ptr_null(t.threads); /* freed and emptied */
    }
}
END_TEST

START_TEST(missing_file_and_nul_bytes_are_errors)
{
    struct litmus_test t;
    char path[] = "/tmp/strex-litmus-nul-XXXXXX";
    int fd, rc;

    ck_assert_int_eq(litmus_parse_file(FIXTURES "no-such.litmus", &t, err, sizeof(err)), -1);
    ck_assert_str_eq(err, FIXTURES "no-such.litmus: cannot open: No such file or directory");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "ARM t\0{}", 8), 8);
    close(fd);
    rc = litmus_parse_file(path, &t, err, sizeof(err));
    unlink(path);
    ck_assert_int_eq(rc, -1);
    ck_assert_ptr_nonnull(strstr(err, "contains a NUL byte"));
}
END_TEST

/* ---- conditions ------------------------------------------------------------ */

static struct litmus_cond *cond(const char *text)
{
    struct litmus_cond *c;

    if (litmus_cond_parse("cond", text, &c, err, sizeof(err)))
        ck_abort_msg("%s", err);
    return c;
}

/* A final state as a table: registers of thread 0 and 1, x, y, z. */
struct table {
    uint32_t regs[2][16];
    uint32_t x, y, z;
};

static uint32_t *table_mem(struct table *t, const char *loc)
{
    return !strcmp(loc, "x") ? &t->x : !strcmp(loc, "y") ? &t->y : !strcmp(loc, "z") ? &t->z
                                                                                     : NULL;
}

static int table_reg(void *ctx, int thread, int reg, uint32_t *v)
{
    if (thread > 1)
        return -1;
    *v = ((struct table *)ctx)->regs[thread][reg];
    return 0;
}

static int table_mem_value(void *ctx, const char *loc, uint32_t *v)
{
    uint32_t *p = table_mem(ctx, loc);

    if (!p)
        return -1;
    *v = *p;
    return 0;
}

static int table_addr(void *ctx, const char *loc, uint32_t *v)
{
    (void)ctx;
    *v = !strcmp(loc, "x") ? 0x1000 : !strcmp(loc, "y") ? 0x1004 : 0x1008;
    return 0;
}

static bool holds(const char *text, struct table *tab)
{
    struct litmus_state s = { table_reg, table_mem_value, table_addr, tab };
    struct litmus_cond *c = cond(text);
    bool result = false;

    if (litmus_cond_eval(c, &s, &result, err, sizeof(err)))
        ck_abort_msg("%s", err);
    litmus_cond_free(c);
    return result;
}

START_TEST(and_binds_tighter_than_or)
{
    struct litmus_cond *c = cond("x=1 /\\ y=1 \\/ z=1");
    struct table tab = { .z = 1 };

    ck_assert_int_eq(c->kind, LITMUS_COND_OR);
    ck_assert_uint_eq(c->n_kids, 2);
    ck_assert_int_eq(c->kids[0]->kind, LITMUS_COND_AND);
    litmus_cond_free(c);
    ck_assert(holds("x=1 /\\ y=1 \\/ z=1", &tab));      /* (x /\ y) \/ z */
    ck_assert(!holds("x=1 /\\ (y=1 \\/ z=1)", &tab));   /* parentheses win */
    c = cond("z=1 \\/ x=1 /\\ y=1");
    ck_assert_int_eq(c->kind, LITMUS_COND_OR);
    ck_assert_int_eq(c->kids[1]->kind, LITMUS_COND_AND);
    litmus_cond_free(c);
}
END_TEST

START_TEST(implies_is_lowest_and_right_associative)
{
    struct litmus_cond *c = cond("x=1 => y=1 => z=1");
    struct table tab = { 0 };

    ck_assert_int_eq(c->kind, LITMUS_COND_IMPLIES);
    ck_assert_int_eq(c->kids[1]->kind, LITMUS_COND_IMPLIES);
    litmus_cond_free(c);
    c = cond("x=1 \\/ y=1 => z=1");
    ck_assert_int_eq(c->kind, LITMUS_COND_IMPLIES);
    ck_assert_int_eq(c->kids[0]->kind, LITMUS_COND_OR);
    litmus_cond_free(c);
    /* All zero: x => (y => z) holds as x is false; (x => y) => z does not. */
    ck_assert(holds("x=1 => y=1 => z=1", &tab));
    ck_assert(!holds("(x=1 => y=1) => z=1", &tab));
    ck_assert(holds("x=1 => false", &tab));
    ck_assert(!holds("x=0 => false", &tab));
}
END_TEST

START_TEST(not_binds_tightest)
{
    struct litmus_cond *c = cond("not x=1 /\\ y=0");
    struct table tab = { .x = 1 };

    ck_assert_int_eq(c->kind, LITMUS_COND_AND);
    ck_assert_int_eq(c->kids[0]->kind, LITMUS_COND_NOT);
    litmus_cond_free(c);
    ck_assert(!holds("not x=1 /\\ y=0", &tab));       /* (not x=1) /\ y=0 */
    ck_assert(holds("not (x=1 /\\ y=1)", &tab));
    ck_assert(holds("~(x=1 /\\ y=1)", &tab));
    ck_assert(holds("~ ~ x=1", &tab));
    ck_assert(holds("not not (x=1)", &tab));
}
END_TEST

START_TEST(atoms_registers_memory_addresses_and_not_equal)
{
    struct table tab = { .x = 2, .y = 0xffffffffu };

    tab.regs[1][0] = 1;
    tab.regs[0][4] = 0x1008; /* z's address */
    ck_assert(holds("1:R0=1 /\\ P1:R0=1 /\\ [x]=2 /\\ x=2", &tab));
    ck_assert(holds("y=-1 /\\ y=0xffffffff", &tab));
    ck_assert(holds("0:R4=z /\\ 0:R4<>x", &tab));
    ck_assert(holds("x<>1 /\\ true", &tab));
    ck_assert(!holds("x<>2 \\/ false", &tab));
}
END_TEST

START_TEST(missing_final_value_is_an_error)
{
    struct litmus_state s = { table_reg, table_mem_value, table_addr, NULL };
    struct table tab = { 0 };
    struct litmus_cond *c = cond("x=0 \\/ w=1");
    bool result;

    s.ctx = &tab;
    ck_assert_int_eq(litmus_cond_eval(c, &s, &result, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "condition: no final value for w");
    litmus_cond_free(c);
    c = cond("5:R1=0");
    ck_assert_int_eq(litmus_cond_eval(c, &s, &result, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "condition: no final value for 5:R1");
    litmus_cond_free(c);
}
END_TEST

START_TEST(printer_uses_fewest_parentheses_and_keeps_the_tree)
{
    static const char *const same[] = {
        "1:R0=1 /\\ 1:R2=0",
        "x=1 /\\ y=1 \\/ z=1",
        "x=1 /\\ (y=1 \\/ z=1)",
        "(x=1 /\\ y=1) /\\ z=1",
        "not (x=1 \\/ y=2) => z<>-1",
        "(x=1 => y=1) => z=1",
        "x=1 => y=1 => z=1",
        "true \\/ false",
    };

    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        struct litmus_cond *c = cond(same[i]);

        assert_cond(c, same[i]);
        litmus_cond_free(c);
    }
    {
        struct litmus_cond *c = cond("((x=1)) /\\ ~(P1:R2 = 3)");

        assert_cond(c, "x=1 /\\ not 1:R2=3");
        litmus_cond_free(c);
    }
}
END_TEST

START_TEST(condition_errors_are_one_line)
{
    struct litmus_cond *c;
    char deep[1024] = "";

    ck_assert_int_eq(litmus_cond_parse("c", "(x=1", &c, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "c:1: expected ')' to close the parenthesis, found end of input");
    ck_assert_int_eq(litmus_cond_parse("c", "x=1 y=2", &c, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "c:1: unexpected 'y' after the condition");
    ck_assert_int_eq(litmus_cond_parse("c", "x", &c, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "c:1: expected '=' or '<>' in the condition, found end of input");
    for (int i = 0; i < 300; i++)
        strcat(deep, "(");
    ck_assert_int_eq(litmus_cond_parse("c", deep, &c, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "c:1: condition nested more than 200 deep");
}
END_TEST

START_TEST(state_line_in_litmus7_style)
{
    struct litmus_state s = { table_reg, table_mem_value, table_addr, NULL };
    struct table tab = { .x = 2 };
    struct litmus_lhs where[] = {
        { .kind = LITMUS_LHS_REG, .thread = 1, .reg = 0 },
        { .kind = LITMUS_LHS_REG, .thread = 1, .reg = 2 },
        { .kind = LITMUS_LHS_MEM, .loc = "x" },
    };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    s.ctx = &tab;
    tab.regs[1][0] = 1;
    tab.regs[1][2] = 0xffffffffu;
    ck_assert_int_eq(litmus_state_print(f, where, 3, &s, err, sizeof(err)), 0);
    fclose(f);
    ck_assert_str_eq(buf, "1:R0=1; 1:R2=-1; x=2;");
    free(buf);
}
END_TEST

/* ---- the campaign --------------------------------------------------------- */

START_TEST(whole_campaign_parses_encodes_and_generates)
{
    struct litmus_campaign c;
    const char *campaign = getenv("STREX_LITMUS_CAMPAIGN");

    if (!campaign)
        campaign = CAMPAIGN_DEFAULT;
    ck_assert_msg(access(campaign, R_OK) == 0,
                  "campaign %s not found (set STREX_LITMUS_CAMPAIGN)", campaign);
    if (litmus_campaign_check(campaign, &c, stderr, err, sizeof(err)))
        ck_abort_msg("%s", err);
    ck_assert_uint_eq(c.total, 9790);
    ck_assert_uint_eq(c.parsed, 9790);
    ck_assert_uint_eq(c.encoded, 9790);
    ck_assert_uint_eq(c.generated, 9790); /* descriptor v1 took 9,787 */
    ck_assert_uint_eq(c.by_threads[2] + c.by_threads[3] + c.by_threads[4] + c.by_threads[1],
                      9790);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("litmus_parse");
    TCase *files = tcase_create("files"), *conds = tcase_create("conditions");
    TCase *campaign = tcase_create("campaign");
    SRunner *sr;
    int failed;

    tcase_add_test(files, modern_file_gives_header_keys_symbols_and_columns);
    tcase_add_test(files, old_file_lowercase_bare_operands_and_brackets);
    tcase_add_test(files, every_init_form);
    tcase_add_test(files, locations_filter_and_not_exists);
    tcase_add_test(files, forall_with_implication);
    tcase_add_test(files, labels_branch_conditions_and_barrier_options);
    tcase_add_test(files, printed_test_parses_back_the_same);
    tcase_add_test(files, each_error_names_file_and_line);
    tcase_add_test(files, missing_file_and_nul_bytes_are_errors);
    tcase_add_test(conds, and_binds_tighter_than_or);
    tcase_add_test(conds, implies_is_lowest_and_right_associative);
    tcase_add_test(conds, not_binds_tightest);
    tcase_add_test(conds, atoms_registers_memory_addresses_and_not_equal);
    tcase_add_test(conds, missing_final_value_is_an_error);
    tcase_add_test(conds, printer_uses_fewest_parentheses_and_keeps_the_tree);
    tcase_add_test(conds, condition_errors_are_one_line);
    tcase_add_test(conds, state_line_in_litmus7_style);
    tcase_add_test(campaign, whole_campaign_parses_encodes_and_generates);
    tcase_set_timeout(campaign, 60);
    suite_add_tcase(s, files);
    suite_add_tcase(s, conds);
    suite_add_tcase(s, campaign);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
