/*
 * test_litmus_gen.c — litmus/gen.c and gen_elf.c: test -> descriptor ->
 * image.
 *
 * The descriptor is checked against the pipeline that feeds it: the code
 * against litmus_encode_thread() plus BX LR, the registers against
 * litmus_thread_inits(), and the RPN programs against litmus_cond_eval()
 * on every combination of a small table of final values (numbers and
 * location addresses). Each desc.h limit gets a test just inside and just
 * outside it where that is cheap to build. The image tests patch the real
 * build/litmus/litmus-rt.elf (`make all` builds it before `make unit`;
 * $STREX_LITMUS_RUNTIME names another) and
 * feed gen_elf.c broken copies of it: truncated at every length, wrong
 * class, byte order or machine, headers out of range, no or a wrong
 * section.
 */
#include "litmus/gen.h"

#include <check.h>
#include <elf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURES "tests/fixtures/litmus/"
#define RUNTIME runtime_path()

static char err[1024];
static struct litmus_desc d; /* 34 KB: not on the stack */

/* The runtime `make all` built; STREX_LITMUS_RUNTIME for another build
 * folder. */
static const char *runtime_path(void)
{
    const char *env = getenv("STREX_LITMUS_RUNTIME");

    return env && *env ? env : "build/litmus/litmus-rt.elf";
}

static void load_file(const char *name, struct litmus_test *t)
{
    if (litmus_parse_file(name, t, err, sizeof(err)) ||
        litmus_alloc_registers(t, LITMUS_DEFAULT_POOL, err, sizeof(err)))
        ck_abort_msg("%s", err);
}

static void load_text(const char *text, struct litmus_test *t)
{
    if (litmus_parse_string("inline.litmus", text, t, err, sizeof(err)) ||
        litmus_alloc_registers(t, LITMUS_DEFAULT_POOL, err, sizeof(err)))
        ck_abort_msg("%s", err);
}

/* Generates from text and returns the status; err holds the message. */
static int gen_text(const char *text, enum litmus_model model)
{
    struct litmus_test t;
    int rc;

    load_text(text, &t);
    rc = litmus_gen_desc(&t, model, &d, err, sizeof(err));
    litmus_test_free(&t);
    return rc;
}

static void assert_err_has(const char *want)
{
    ck_assert_msg(strstr(err, want), "error '%s' lacks '%s'", err, want);
}

/* ---- the MP fixture ---------------------------------------------------------- */

START_TEST(header_names_the_test_and_the_struct)
{
    struct litmus_test t;

    load_file(FIXTURES "gen-mp.litmus", &t);
    ck_assert_int_eq(litmus_gen_desc(&t, LITMUS_MODEL_UNKNOWN, &d, err, sizeof(err)), 0);
    ck_assert_uint_eq(d.magic, LITMUS_DESC_MAGIC);
    ck_assert_uint_eq(d.version, LITMUS_DESC_VERSION);
    ck_assert_uint_eq(d.size, sizeof(d));
    ck_assert_str_eq(d.name, "MP+gen");
    ck_assert_uint_eq(d.nthreads, 2);
    litmus_test_free(&t);
}
END_TEST

START_TEST(code_is_the_encoders_words_then_bx_lr)
{
    struct litmus_test t;

    load_file(FIXTURES "gen-mp.litmus", &t);
    ck_assert_int_eq(litmus_gen_desc(&t, LITMUS_MODEL_UNKNOWN, &d, err, sizeof(err)), 0);
    for (size_t i = 0; i < t.n_threads; i++) {
        struct litmus_code code;

        ck_assert_int_eq(litmus_encode_thread(&t, i, &code, err, sizeof(err)), 0);
        ck_assert_uint_eq(d.threads[i].ncode, code.n_words + 1);
        for (size_t w = 0; w < code.n_words; w++)
            ck_assert_uint_eq(d.threads[i].code[w], code.words[w]);
        ck_assert_uint_eq(d.threads[i].code[code.n_words], 0xe12fff1e);
        litmus_code_free(&code);
    }
    ck_assert_uint_eq(d.threads[0].ncode, 6); /* MOV STR DMB MOV STR, BX LR */
    ck_assert_uint_eq(d.threads[0].code[2], 0xf57ff05f); /* DMB SY */
    litmus_test_free(&t);
}
END_TEST

START_TEST(registers_start_as_the_thread_inits_say)
{
    struct litmus_test t;

    load_file(FIXTURES "gen-mp.litmus", &t);
    ck_assert_int_eq(litmus_gen_desc(&t, LITMUS_MODEL_UNKNOWN, &d, err, sizeof(err)), 0);
    for (size_t i = 0; i < t.n_threads; i++) {
        struct litmus_value vals[16];
        uint16_t mask;

        litmus_thread_inits(&t, i, vals, &mask);
        for (int r = 0; r < LITMUS_NREGS; r++) {
            const struct litmus_thread_desc *th = &d.threads[i];

            if (!(mask & (1u << r))) {
                ck_assert_uint_eq(th->reg_kind[r], LITMUS_REG_UNSET);
            } else if (vals[r].kind == LITMUS_VALUE_INT) {
                ck_assert_uint_eq(th->reg_kind[r], LITMUS_REG_CONST);
                ck_assert_uint_eq(th->reg_value[r], vals[r].num);
            } else {
                ck_assert_uint_eq(th->reg_kind[r], LITMUS_REG_LOC);
                ck_assert_str_eq(d.loc_name[th->reg_value[r]], vals[r].loc);
            }
        }
    }
    /* 0:R5=7; %x0 and %y0 take R2 and R3 (P0 names R0, R1, R5 itself) */
    ck_assert_uint_eq(d.threads[0].reg_kind[5], LITMUS_REG_CONST);
    ck_assert_uint_eq(d.threads[0].reg_value[5], 7);
    ck_assert_uint_eq(d.threads[0].reg_kind[2], LITMUS_REG_LOC);
    ck_assert_str_eq(d.loc_name[d.threads[0].reg_value[2]], "x");
    ck_assert_uint_eq(d.threads[0].reg_kind[4], LITMUS_REG_UNSET);
    litmus_test_free(&t);
}
END_TEST

START_TEST(locations_and_outs_in_print_order)
{
    struct litmus_test t;

    load_file(FIXTURES "gen-mp.litmus", &t);
    ck_assert_int_eq(litmus_gen_desc(&t, LITMUS_MODEL_UNKNOWN, &d, err, sizeof(err)), 0);
    ck_assert_uint_eq(d.nlocs, 3);
    ck_assert_str_eq(d.loc_name[0], "x");
    ck_assert_str_eq(d.loc_name[1], "y");
    ck_assert_str_eq(d.loc_name[2], "z");
    ck_assert_uint_eq(d.loc_init[0], 0);
    ck_assert_uint_eq(d.loc_init[2], 5);
    ck_assert_uint_eq(d.nouts, 2);
    ck_assert_str_eq(d.outs[0].label, "1:R0");
    ck_assert_str_eq(d.outs[1].label, "1:R2");
    ck_assert_uint_eq(d.outs[1].kind, LITMUS_OUT_REG);
    ck_assert_uint_eq(d.outs[1].thread, 1);
    ck_assert_uint_eq(d.outs[1].reg, 2);
    litmus_test_free(&t);
}
END_TEST

static void assert_loc(size_t k, const char *name, uint32_t kind, uint32_t init)
{
    ck_assert_str_eq(d.loc_name[k], name);
    ck_assert_uint_eq(d.loc_kind[k], kind);
    ck_assert_uint_eq(d.loc_init[k], init);
}

/* MP+nondep+dmb's init: x = z (an address), y = 5, z = 0. */
START_TEST(location_holding_an_address_gets_the_addr_kind)
{
    ck_assert_int_eq(gen_text("ARM ptr\n{ x=z; y=5; 0:R1=x; }\n P0 ;\n LDR R0,[R1] ;\n"
                              "exists (0:R0=z)\n", LITMUS_MODEL_UNKNOWN), LITMUS_GEN_OK);
    ck_assert_uint_eq(d.nlocs, 3);
    assert_loc(0, "x", LITMUS_LOC_ADDR, 1); /* z's index */
    assert_loc(1, "z", LITMUS_LOC_CONST, 0);
    assert_loc(2, "y", LITMUS_LOC_CONST, 5);
    ck_assert_uint_eq(d.cond[0].op, LITMUS_OP_EQ_LOC); /* 0:R0=z */
    ck_assert_uint_eq(d.cond[0].b, 1);
}
END_TEST

START_TEST(condition_and_filter_as_rpn_and_text)
{
    struct litmus_test t;
    static const struct litmus_insn cond[] = {
        { LITMUS_OP_EQ, 0, 1 }, { LITMUS_OP_EQ, 1, 0 }, { LITMUS_OP_AND, 0, 0 },
        { LITMUS_OP_END, 0, 0 },
    };
    static const struct litmus_insn filter[] = {
        { LITMUS_OP_EQ, 0, 0 }, { LITMUS_OP_EQ, 0, 1 }, { LITMUS_OP_OR, 0, 0 },
        { LITMUS_OP_END, 0, 0 },
    };

    load_file(FIXTURES "gen-mp.litmus", &t);
    ck_assert_int_eq(litmus_gen_desc(&t, LITMUS_MODEL_UNKNOWN, &d, err, sizeof(err)), 0);
    ck_assert_mem_eq(d.cond, cond, sizeof(cond));
    ck_assert_mem_eq(d.filter, filter, sizeof(filter));
    ck_assert_str_eq(d.cond_text, "exists (1:R0=1 /\\ 1:R2=0)");
    ck_assert_str_eq(d.verdict, "Allowed");
    ck_assert_uint_eq(d.quantifier, LITMUS_EXISTS);
    litmus_test_free(&t);
}
END_TEST

START_TEST(no_filter_is_true_and_nary_and_takes_n_minus_1_ops)
{
    size_t ands = 0, n = 0;

    ck_assert_int_eq(gen_text("ARM t\n{ 0:R1=x; }\n P0 ;\n MOV R0,#1 ;\n"
                              "exists (0:R0=1 /\\ 0:R1=x /\\ 0:R2=3 /\\ x=1)\n",
                              LITMUS_MODEL_UNKNOWN), 0);
    ck_assert_uint_eq(d.filter[0].op, LITMUS_OP_TRUE);
    ck_assert_uint_eq(d.filter[1].op, LITMUS_OP_END);
    for (; d.cond[n].op != LITMUS_OP_END; n++)
        ands += d.cond[n].op == LITMUS_OP_AND;
    ck_assert_uint_eq(ands, 3);
    ck_assert_uint_eq(n, 7);
    ck_assert_uint_eq(d.cond[1].op, LITMUS_OP_EQ_LOC); /* 0:R1=x: x's address */
    ck_assert_str_eq(d.loc_name[d.cond[1].b], "x");
}
END_TEST

/* ---- the quantifier and the model's verdict -------------------------------- */

static const char *const mp_exists =
    "ARM MP\n{ 0:R1=x; 0:R3=y; 1:R1=y; 1:R3=x; }\n"
    " P0          | P1          ;\n"
    " MOV R0,#1   | LDR R0,[R1] ;\n"
    " STR R0,[R1] | LDR R2,[R3] ;\n"
    " MOV R2,#1   |             ;\n"
    " STR R2,[R3] |             ;\n"
    "exists (1:R0=1 /\\ 1:R2=0)\n";

START_TEST(model_forbidden_turns_exists_into_not_exists)
{
    ck_assert_int_eq(gen_text(mp_exists, LITMUS_MODEL_NO), 0);
    ck_assert_uint_eq(d.quantifier, LITMUS_NOT_EXISTS);
    ck_assert_str_eq(d.verdict, "Forbidden");
    ck_assert_str_eq(d.cond_text, "~exists (1:R0=1 /\\ 1:R2=0)");
    ck_assert_int_eq(gen_text(mp_exists, LITMUS_MODEL_OK), 0);
    ck_assert_uint_eq(d.quantifier, LITMUS_EXISTS);
    ck_assert_str_eq(d.verdict, "Allowed");
    ck_assert_str_eq(d.cond_text, "exists (1:R0=1 /\\ 1:R2=0)");
}
END_TEST

START_TEST(without_a_model_the_files_quantifier_stays)
{
    const char *q = strstr(mp_exists, "exists (");
    char *text;

    ck_assert_int_eq(gen_text(mp_exists, LITMUS_MODEL_UNKNOWN), 0);
    ck_assert_str_eq(d.verdict, "Allowed");
    ck_assert_int_ge(asprintf(&text, "%.*s~%s", (int)(q - mp_exists), mp_exists, q), 0);
    ck_assert_int_eq(gen_text(text, LITMUS_MODEL_UNKNOWN), 0);
    ck_assert_uint_eq(d.quantifier, LITMUS_NOT_EXISTS);
    ck_assert_str_eq(d.verdict, "Forbidden");
    /* ~exists validated by the model (Ok): P unreachable, still Forbidden */
    ck_assert_int_eq(gen_text(text, LITMUS_MODEL_OK), 0);
    ck_assert_uint_eq(d.quantifier, LITMUS_NOT_EXISTS);
    ck_assert_int_eq(gen_text(text, LITMUS_MODEL_NO), 0);
    ck_assert_uint_eq(d.quantifier, LITMUS_EXISTS);
    free(text);
}
END_TEST

START_TEST(forall_is_required_whatever_the_model)
{
    struct litmus_test t;

    load_file(FIXTURES "gen-rpn.litmus", &t);
    ck_assert_int_eq(litmus_gen_desc(&t, LITMUS_MODEL_NO, &d, err, sizeof(err)), 0);
    ck_assert_uint_eq(d.quantifier, LITMUS_FORALL);
    ck_assert_str_eq(d.verdict, "Required");
    ck_assert_msg(!strncmp(d.cond_text, "forall (", 8), "%s", d.cond_text);
    litmus_test_free(&t);
}
END_TEST

/* ---- RPN against the condition tree ------------------------------------------ */

/* A final state for litmus_cond_eval: out o has vals[o]; an address value
 * (bit o of mask) is location vals[o], at host address ADDR0 + 4 * index. */
#define ADDR0 0x10000u

struct table {
    const struct litmus_desc *d;
    const uint32_t *vals;
    uint32_t mask;
};

static uint32_t host_value(const struct table *tab, size_t o)
{
    return (tab->mask >> o) & 1u ? ADDR0 + 4 * tab->vals[o] : tab->vals[o];
}

static int tab_reg(void *ctx, int thread, int reg, uint32_t *v)
{
    const struct table *tab = ctx;

    for (size_t o = 0; o < tab->d->nouts; o++)
        if (tab->d->outs[o].kind == LITMUS_OUT_REG && tab->d->outs[o].thread == (uint32_t)thread &&
            tab->d->outs[o].reg == (uint32_t)reg) {
            *v = host_value(tab, o);
            return 0;
        }
    return -1;
}

static int tab_mem(void *ctx, const char *loc, uint32_t *v)
{
    const struct table *tab = ctx;

    for (size_t o = 0; o < tab->d->nouts; o++)
        if (tab->d->outs[o].kind == LITMUS_OUT_LOC && !strcmp(tab->d->outs[o].label, loc)) {
            *v = host_value(tab, o);
            return 0;
        }
    return -1;
}

static int tab_addr(void *ctx, const char *loc, uint32_t *v)
{
    const struct table *tab = ctx;

    for (uint32_t k = 0; k < tab->d->nlocs; k++)
        if (!strcmp(tab->d->loc_name[k], loc)) {
            *v = ADDR0 + 4 * k;
            return 0;
        }
    return -1;
}

/* Every out takes each of 0, 1, 2, &x, &y: 5^nouts states. */
static size_t compare_all(const struct litmus_test *t, const struct litmus_cond *c,
                          const struct litmus_insn *prog)
{
    static const uint32_t choice_val[] = { 0, 1, 2, 0, 1 };
    static const uint32_t choice_addr[] = { 0, 0, 0, 1, 1 };
    uint32_t vals[LITMUS_MAX_OUTS], idx[LITMUS_MAX_OUTS] = { 0 };
    struct table tab = { .d = &d, .vals = vals };
    struct litmus_state s = { tab_reg, tab_mem, tab_addr, &tab };
    size_t states = 0, holds = 0;

    (void)t;
    for (;;) {
        bool want;
        size_t o;

        tab.mask = 0;
        for (o = 0; o < d.nouts; o++) {
            vals[o] = choice_val[idx[o]];
            tab.mask |= choice_addr[idx[o]] << o;
        }
        ck_assert_int_eq(litmus_cond_eval(c, &s, &want, err, sizeof(err)), 0);
        ck_assert_msg(litmus_desc_eval(prog, vals, tab.mask) == want,
                      "state %zu: RPN says %d, the tree %d", states, !want, want);
        states++;
        holds += want;
        for (o = 0; o < d.nouts && ++idx[o] == 5; o++)
            idx[o] = 0;
        if (o == d.nouts)
            break;
    }
    ck_assert_uint_gt(holds, 0); /* the table covers both answers */
    ck_assert_uint_lt(holds, states);
    return states;
}

START_TEST(rpn_evaluates_like_the_condition_tree)
{
    struct litmus_test t;

    load_file(FIXTURES "gen-rpn.litmus", &t);
    ck_assert_int_eq(litmus_gen_desc(&t, LITMUS_MODEL_UNKNOWN, &d, err, sizeof(err)), 0);
    ck_assert_uint_eq(d.nouts, 6); /* 0:R0 0:R1 1:R0 1:R1 x y */
    ck_assert_uint_eq(compare_all(&t, t.cond, d.cond), 15625);
    compare_all(&t, t.filter, d.filter);
    litmus_test_free(&t);
}
END_TEST

/* CO-IRIW's shape: exists (not (A \/ B \/ ...)), the terms listing every
 * outcome but one, each a conjunction of three registers = 0, 1 or 2. */
static char *all_but_one_outcome(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    fputs("ARM co\n{ }\n P0 | P1 ;\n MOV R0,#1 | MOV R0,#1 ;\nexists (not (", f);
    for (int v = 1; v < 27; v++)
        fprintf(f, "%s0:R0=%d /\\ 1:R0=%d /\\ 1:R1=%d", v > 1 ? " \\/ " : "", v % 3,
                v / 3 % 3, v / 9);
    fputs("))\n", f);
    fclose(f);
    return buf;
}

START_TEST(condition_past_the_v1_limits_generates_and_evaluates)
{
    char *text = all_but_one_outcome();
    struct litmus_test t;
    size_t n = 0;

    load_text(text, &t);
    ck_assert_int_eq(litmus_gen_desc(&t, LITMUS_MODEL_NO, &d, err, sizeof(err)), 0);
    while (d.cond[n].op != LITMUS_OP_END)
        n++;
    ck_assert_uint_eq(n + 1, 26 * 5 + 25 + 1 + 1); /* terms, ORs, NOT, END: v1 took 96 */
    ck_assert_uint_eq(strlen(d.cond_text), 792);   /* v1 took 511 */
    ck_assert_msg(!strncmp(d.cond_text, "~exists (not (0:R0=1 /\\ 1:R0=0", 30), "%s",
                  d.cond_text);
    ck_assert_uint_eq(compare_all(&t, t.cond, d.cond), 125);
    litmus_test_free(&t);
    free(text);
}
END_TEST

/* ---- limits and errors ----------------------------------------------------------- */

/* A test of n threads, each "MOV R0,#1", condition 0:R0=1. */
static char *threads_text(size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    fputs("ARM many\n{ }\n", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s P%zu", i ? " |" : "", i);
    fputs(" ;\n", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s MOV R0,#1", i ? " |" : "");
    fputs(" ;\nexists (0:R0=1)\n", f);
    fclose(f);
    return buf;
}

START_TEST(too_many_threads_is_a_limit)
{
    char *ok = threads_text(LITMUS_MAX_THREADS), *bad = threads_text(LITMUS_MAX_THREADS + 1);

    ck_assert_int_eq(gen_text(ok, LITMUS_MODEL_UNKNOWN), LITMUS_GEN_OK);
    ck_assert_int_eq(gen_text(bad, LITMUS_MODEL_UNKNOWN), LITMUS_GEN_LIMIT);
    ck_assert_str_eq(err, "inline.litmus: test many: 9 threads, the runtime runs at most 8 "
                          "(one per vCPU)");
    free(ok);
    free(bad);
}
END_TEST

/* One thread with n "MOV R0,#1" rows. */
static char *long_thread(size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    fputs("ARM long\n{ }\n P0 ;\n", f);
    for (size_t i = 0; i < n; i++)
        fputs(" MOV R0,#1 ;\n", f);
    fputs("exists (0:R0=1)\n", f);
    fclose(f);
    return buf;
}

START_TEST(too_much_code_is_a_limit)
{
    char *ok = long_thread(LITMUS_MAX_CODE - 1), *bad = long_thread(LITMUS_MAX_CODE);

    ck_assert_int_eq(gen_text(ok, LITMUS_MODEL_UNKNOWN), LITMUS_GEN_OK);
    ck_assert_uint_eq(d.threads[0].ncode, LITMUS_MAX_CODE);
    ck_assert_int_eq(gen_text(bad, LITMUS_MODEL_UNKNOWN), LITMUS_GEN_LIMIT);
    assert_err_has("thread 0 has 129 words of code (with BX LR), the runtime takes at most 128");
    free(ok);
    free(bad);
}
END_TEST

START_TEST(too_many_locations_is_a_limit)
{
    char text[1024];
    size_t n = 0;

    n += (size_t)snprintf(text + n, sizeof(text) - n, "ARM locs\n{");
    for (int i = 0; i <= LITMUS_MAX_LOCS; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, " v%d=1;", i);
    snprintf(text + n, sizeof(text) - n, " }\n P0 ;\n MOV R0,#1 ;\nexists (0:R0=1)\n");
    ck_assert_int_eq(gen_text(text, LITMUS_MODEL_UNKNOWN), LITMUS_GEN_LIMIT);
    assert_err_has("test locs: 17 memory locations, the runtime takes at most 16");
}
END_TEST

START_TEST(too_many_outs_is_a_limit)
{
    char text[2048];
    size_t n = 0;

    n += (size_t)snprintf(text + n, sizeof(text) - n,
                          "ARM outs\n{ }\n P0 | P1 ;\n MOV R0,#1 | MOV R0,#1 ;\nexists (");
    for (int i = 0; i <= LITMUS_MAX_OUTS; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%d:R%d=0", i ? " /\\ " : "",
                              i / 13, i % 13);
    snprintf(text + n, sizeof(text) - n, ")\n");
    ck_assert_int_eq(gen_text(text, LITMUS_MODEL_UNKNOWN), LITMUS_GEN_LIMIT);
    assert_err_has("the outcome shows 25 items, the runtime prints at most 24");
}
END_TEST

/* exists (x=0 \/ x=1 \/ ...) with n atoms of location `name`: 2n
 * instructions with END, 7n + 5 characters for a one-letter name (the
 * shortest text per instruction, so the program limit is reached first). */
static char *disjunction(const char *name, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    fputs("ARM rpn\n{ }\n P0 ;\n MOV R0,#1 ;\nexists (", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s=%zu", i ? " \\/ " : "", name, i % 10);
    fputs(")\n", f);
    fclose(f);
    return buf;
}

START_TEST(too_long_a_program_is_a_limit)
{
    char *ok = disjunction("x", LITMUS_MAX_PROG / 2);
    char *bad = disjunction("x", LITMUS_MAX_PROG / 2 + 1);

    ck_assert_int_eq(gen_text(ok, LITMUS_MODEL_UNKNOWN), LITMUS_GEN_OK);
    ck_assert_uint_eq(d.cond[LITMUS_MAX_PROG - 1].op, LITMUS_OP_END);
    ck_assert_int_eq(gen_text(bad, LITMUS_MODEL_UNKNOWN), LITMUS_GEN_LIMIT);
    ck_assert_str_eq(err, "inline.litmus: test rpn: the condition needs more than 1024 RPN "
                          "instructions");
    free(ok);
    free(bad);
}
END_TEST

START_TEST(too_long_a_condition_text_is_a_limit)
{
    /* "exists (" + n * 17 + (n - 1) * 4 + ")": 4079 and 4100 characters */
    char *ok = disjunction("abcdefghijklmno", 194), *bad = disjunction("abcdefghijklmno", 195);

    ck_assert_int_eq(gen_text(ok, LITMUS_MODEL_UNKNOWN), LITMUS_GEN_OK);
    ck_assert_uint_eq(strlen(d.cond_text), 4079);
    ck_assert_int_eq(gen_text(bad, LITMUS_MODEL_UNKNOWN), LITMUS_GEN_LIMIT);
    ck_assert_str_eq(err, "inline.litmus: test rpn: the condition as printed has 4100 "
                          "characters, the log line holds at most 4095");
    free(ok);
    free(bad);
}
END_TEST

START_TEST(long_names_are_limits)
{
    ck_assert_int_eq(gen_text("ARM a234567890123456789012345678901234567890123456789012345678901234"
                              "\n{ }\n P0 ;\n MOV R0,#1 ;\nexists (0:R0=1)\n",
                              LITMUS_MODEL_UNKNOWN), LITMUS_GEN_LIMIT);
    assert_err_has("the name is longer than 63 characters");
    ck_assert_int_eq(gen_text("ARM t\n{ abcdefghijklmnop=1; }\n P0 ;\n MOV R0,#1 ;\n"
                              "exists (0:R0=1)\n", LITMUS_MODEL_UNKNOWN), LITMUS_GEN_LIMIT);
    assert_err_has("location name 'abcdefghijklmnop' is longer than 15 characters");
}
END_TEST

START_TEST(sp_and_lr_are_the_runtimes)
{
    ck_assert_int_eq(gen_text("ARM sp\n{ 0:R13=1; }\n P0 ;\n MOV R0,#1 ;\nexists (0:R0=1)\n",
                              LITMUS_MODEL_UNKNOWN), LITMUS_GEN_LIMIT);
    assert_err_has("thread 0 uses R13 (SP) or R14 (LR)");
    ck_assert_int_eq(gen_text("ARM lr\n{ }\n P0 ;\n MOV R14,#1 ;\nexists (0:R0=1)\n",
                              LITMUS_MODEL_UNKNOWN), LITMUS_GEN_LIMIT);
    assert_err_has("thread 0 uses R13 (SP) or R14 (LR)");
}
END_TEST

START_TEST(unknown_instruction_is_bad_and_named)
{
    ck_assert_int_eq(gen_text("ARM bad\n{ }\n P0 ;\n MOV R0,#1 ;\n SWP R0,R1,[R2] ;\n"
                              "exists (0:R0=1)\n", LITMUS_MODEL_UNKNOWN), LITMUS_GEN_BAD);
    ck_assert_msg(!strncmp(err, "inline.litmus:5: ", 17), "%s", err);
    assert_err_has("SWP");
}
END_TEST

/* ---- the image ------------------------------------------------------------------- */

static uint8_t *read_bytes(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;

    ck_assert_msg(f != NULL, "%s is missing: run `make guest` first", path);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    buf = malloc(*len ? *len : 1);
    ck_assert_uint_eq(fread(buf, 1, *len, f), *len);
    fclose(f);
    return buf;
}

START_TEST(patched_image_differs_only_in_the_descriptor)
{
    char out[] = "/tmp/strex-gen-XXXXXX";
    size_t len, len2, off;
    uint8_t *orig, *patched;
    int fd = mkstemp(out);

    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(gen_text(mp_exists, LITMUS_MODEL_NO), 0);
    ck_assert_int_eq(litmus_gen_image(&d, RUNTIME, out, err, sizeof(err)), 0);
    orig = read_bytes(RUNTIME, &len);
    patched = read_bytes(out, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert_int_eq(litmus_elf_find_desc(orig, len, RUNTIME, &off, err, sizeof(err)), 0);
    ck_assert_mem_eq(patched + off, &d, sizeof(d));
    ck_assert_mem_eq(patched, orig, off);
    ck_assert_mem_eq(patched + off + sizeof(d), orig + off + sizeof(d), len - off - sizeof(d));
    ck_assert_int_eq(litmus_elf_check_runtime(out, err, sizeof(err)), 0);
    unlink(out);
    free(orig);
    free(patched);
}
END_TEST

static int find(const uint8_t *buf, size_t len)
{
    size_t off;

    return litmus_elf_find_desc(buf, len, "t.elf", &off, err, sizeof(err));
}

START_TEST(truncated_runtime_is_an_error_at_every_length)
{
    size_t len, off;
    uint8_t *buf = read_bytes(RUNTIME, &len), *copy;

    ck_assert_int_eq(litmus_elf_find_desc(buf, len, RUNTIME, &off, err, sizeof(err)), 0);
    for (size_t n = 0; n < len; n += n < 4096 ? 1 : 97) {
        copy = malloc(n ? n : 1); /* exactly n bytes: valgrind sees any overrun */
        memcpy(copy, buf, n);
        ck_assert_msg(find(copy, n) == -1, "%zu bytes were accepted", n);
        free(copy);
    }
    ck_assert_int_eq(find(buf, 10), -1);
    ck_assert_str_eq(err, "t.elf: not an ELF file");
    free(buf);
}
END_TEST

START_TEST(foreign_elf_headers_are_errors)
{
    size_t len;
    uint8_t *buf = read_bytes(RUNTIME, &len);
    Elf32_Ehdr eh;

    memcpy(&eh, buf, sizeof(eh));
    buf[EI_CLASS] = ELFCLASS64;
    ck_assert_int_eq(find(buf, len), -1);
    ck_assert_str_eq(err, "t.elf: not a 32-bit ELF file (the runtime is ELF32 ARM)");
    buf[EI_CLASS] = ELFCLASS32;
    buf[EI_DATA] = ELFDATA2MSB;
    ck_assert_int_eq(find(buf, len), -1);
    assert_err_has("not a little-endian ELF file");
    buf[EI_DATA] = ELFDATA2LSB;
    buf[offsetof(Elf32_Ehdr, e_machine)] = EM_386;
    ck_assert_int_eq(find(buf, len), -1);
    assert_err_has("not an ARM ELF file");
    memcpy(buf, &eh, sizeof(eh));
    ck_assert_int_eq(find(buf, len), 0);
    free(buf);
}
END_TEST

static void put_header(uint8_t *buf, const Elf32_Ehdr *eh)
{
    memcpy(buf, eh, sizeof(*eh));
}

START_TEST(section_headers_out_of_range_are_errors)
{
    size_t len;
    uint8_t *buf = read_bytes(RUNTIME, &len);
    Elf32_Ehdr eh, bad;

    memcpy(&eh, buf, sizeof(eh));
    bad = eh, bad.e_shoff = 0xfffffff0u;
    put_header(buf, &bad);
    ck_assert_int_eq(find(buf, len), -1);
    assert_err_has("section headers lie beyond the end of the file");
    bad = eh, bad.e_shnum = 0xffff;
    put_header(buf, &bad);
    ck_assert_int_eq(find(buf, len), -1);
    assert_err_has("section headers lie beyond the end of the file");
    bad = eh, bad.e_shstrndx = eh.e_shnum;
    put_header(buf, &bad);
    ck_assert_int_eq(find(buf, len), -1);
    assert_err_has("no section name table");
    bad = eh, bad.e_shentsize = 32;
    put_header(buf, &bad);
    ck_assert_int_eq(find(buf, len), -1);
    assert_err_has("section header size");
    bad = eh, bad.e_shnum = 0;
    put_header(buf, &bad);
    ck_assert_int_eq(find(buf, len), -1);
    assert_err_has("has no section headers");
    free(buf);
}
END_TEST

/* The runtime's descriptor section header, found by offset. */
static Elf32_Shdr *desc_header(uint8_t *buf, size_t len)
{
    Elf32_Ehdr eh;
    size_t off;

    ck_assert_int_eq(litmus_elf_find_desc(buf, len, RUNTIME, &off, err, sizeof(err)), 0);
    memcpy(&eh, buf, sizeof(eh));
    for (size_t i = 0; i < eh.e_shnum; i++) {
        Elf32_Shdr *sh = (Elf32_Shdr *)(buf + eh.e_shoff + i * sizeof(*sh));

        if (sh->sh_offset == off && sh->sh_size == sizeof(struct litmus_desc))
            return sh;
    }
    ck_abort_msg("no section at the descriptor's offset");
    return NULL;
}

START_TEST(missing_or_wrong_section_is_an_error)
{
    size_t len;
    uint8_t *buf = read_bytes(RUNTIME, &len);
    Elf32_Shdr *sh = desc_header(buf, len), keep = *sh;

    sh->sh_size = 16;
    ck_assert_int_eq(find(buf, len), -1);
    assert_err_has("section .litmus_desc has 16 bytes, struct litmus_desc has");
    *sh = keep, sh->sh_type = SHT_NOBITS;
    ck_assert_int_eq(find(buf, len), -1);
    assert_err_has("section .litmus_desc is not PROGBITS");
    *sh = keep, sh->sh_offset = (uint32_t)len - 100;
    ck_assert_int_eq(find(buf, len), -1);
    assert_err_has("lies beyond the end of the file");
    *sh = keep, sh->sh_name = 0x7fffffff;
    ck_assert_int_eq(find(buf, len), -1);
    ck_assert_str_eq(err, "t.elf: no .litmus_desc section (not the litmus runtime?)");
    free(buf);
}
END_TEST

START_TEST(unreadable_runtime_and_unwritable_image_are_errors)
{
    ck_assert_int_eq(gen_text(mp_exists, LITMUS_MODEL_OK), 0);
    ck_assert_int_eq(litmus_gen_image(&d, "/nonexistent/rt.elf", "/tmp/x.elf", err,
                                      sizeof(err)), -1);
    assert_err_has("/nonexistent/rt.elf: cannot open");
    ck_assert_int_eq(litmus_gen_image(&d, RUNTIME, "/nonexistent/dir/x.elf", err, sizeof(err)),
                     -1);
    assert_err_has("/nonexistent/dir/x.elf: cannot create");
    ck_assert_int_eq(litmus_gen_image(&d, FIXTURES "gen-mp.litmus", "/tmp/x.elf", err,
                                      sizeof(err)), -1);
    assert_err_has("not an ELF file");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("litmus_gen");
    TCase *desc = tcase_create("descriptor"), *limits = tcase_create("limits");
    TCase *image = tcase_create("image");
    SRunner *sr;
    int failed;

    tcase_add_test(desc, header_names_the_test_and_the_struct);
    tcase_add_test(desc, code_is_the_encoders_words_then_bx_lr);
    tcase_add_test(desc, registers_start_as_the_thread_inits_say);
    tcase_add_test(desc, locations_and_outs_in_print_order);
    tcase_add_test(desc, condition_and_filter_as_rpn_and_text);
    tcase_add_test(desc, no_filter_is_true_and_nary_and_takes_n_minus_1_ops);
    tcase_add_test(desc, model_forbidden_turns_exists_into_not_exists);
    tcase_add_test(desc, without_a_model_the_files_quantifier_stays);
    tcase_add_test(desc, forall_is_required_whatever_the_model);
    tcase_add_test(desc, rpn_evaluates_like_the_condition_tree);
    tcase_add_test(desc, condition_past_the_v1_limits_generates_and_evaluates);
    tcase_add_test(desc, location_holding_an_address_gets_the_addr_kind);
    tcase_add_test(limits, too_many_threads_is_a_limit);
    tcase_add_test(limits, too_much_code_is_a_limit);
    tcase_add_test(limits, too_many_locations_is_a_limit);
    tcase_add_test(limits, too_many_outs_is_a_limit);
    tcase_add_test(limits, too_long_a_program_is_a_limit);
    tcase_add_test(limits, too_long_a_condition_text_is_a_limit);
    tcase_add_test(limits, long_names_are_limits);
    tcase_add_test(limits, sp_and_lr_are_the_runtimes);
    tcase_add_test(limits, unknown_instruction_is_bad_and_named);
    tcase_add_test(image, patched_image_differs_only_in_the_descriptor);
    tcase_add_test(image, truncated_runtime_is_an_error_at_every_length);
    tcase_add_test(image, foreign_elf_headers_are_errors);
    tcase_add_test(image, section_headers_out_of_range_are_errors);
    tcase_add_test(image, missing_or_wrong_section_is_an_error);
    tcase_add_test(image, unreadable_runtime_and_unwritable_image_are_errors);
    tcase_set_timeout(image, 120); /* truncations under valgrind */
    tcase_set_timeout(desc, 60);
    suite_add_tcase(s, desc);
    suite_add_tcase(s, limits);
    suite_add_tcase(s, image);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
