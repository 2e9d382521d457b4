/*
 * selftest.c — litmus tests built into the runtime (selftest=N), so it can
 * be run and checked before the host generator exists.
 *
 *   1  MP         exists (1:R0=1 /\ 1:R2=0)              Allowed
 *   2  MP+dmbs    ~exists (1:R0=1 /\ 1:R2=0)             Forbidden
 *   3  SB         exists (0:R2=0 /\ 1:R2=0)              Allowed
 *   4  2+2W+addr  exists (0:R1=x /\ x=2 /\ y=2)          Allowed
 *   5  SB+dmbs    ~exists (0:R2=0 /\ 1:R2=0)             Forbidden
 *   6  IRIW       exists (1:R0=1 /\ 1:R2=0 /\ 3:R0=1 /\ 3:R2=0)  Allowed
 *
 * Test 4 is 2+2W with its outcome read from memory (LITMUS_OUT_LOC) plus
 * 0:R1, which holds x's address: it exercises location outs, EQ_LOC and
 * the printing of addresses as names. IRIW has four threads (two writers,
 * two readers), for the sync paths with more than two. On an x86-64 host QEMU can show SB's
 * 0/0 (a store buffer), not MP's 1/0 nor 2+2W's x=2/y=2 (TSO keeps
 * stores in order); SB+dmbs must never show 0/0.
 *
 * The A32 words were checked with arm-none-eabi-as + objdump. The
 * descriptor is built once, on CPU 0, into a static that main.c copies.
 */
#include "lrt.h"

#define MOV_R0_1 0xe3a00001u  /* mov r0, #1 */
#define MOV_R0_2 0xe3a00002u  /* mov r0, #2 */
#define MOV_R2_1 0xe3a02001u  /* mov r2, #1 */
#define STR_R0_R1 0xe5810000u /* str r0, [r1] */
#define STR_R2_R3 0xe5832000u /* str r2, [r3] */
#define LDR_R0_R1 0xe5910000u /* ldr r0, [r1] */
#define LDR_R2_R3 0xe5932000u /* ldr r2, [r3] */
#define DMB_ISH 0xf57ff05bu   /* dmb ish */
#define BX_LR 0xe12fff1eu     /* bx lr */

static const uint32_t mp_writer[] = { MOV_R0_1, STR_R0_R1, MOV_R2_1, STR_R2_R3, BX_LR };
static const uint32_t mp_reader[] = { LDR_R0_R1, LDR_R2_R3, BX_LR };
static const uint32_t mp_writer_dmb[] = { MOV_R0_1, STR_R0_R1, DMB_ISH, MOV_R2_1, STR_R2_R3,
                                          BX_LR };
static const uint32_t mp_reader_dmb[] = { LDR_R0_R1, DMB_ISH, LDR_R2_R3, BX_LR };
static const uint32_t sb_side[] = { MOV_R0_1, STR_R0_R1, LDR_R2_R3, BX_LR };
static const uint32_t sb_side_dmb[] = { MOV_R0_1, STR_R0_R1, DMB_ISH, LDR_R2_R3, BX_LR };
static const uint32_t w2_side[] = { MOV_R0_2, STR_R0_R1, MOV_R2_1, STR_R2_R3, BX_LR };
static const uint32_t one_store[] = { MOV_R0_1, STR_R0_R1, BX_LR };

static struct litmus_desc st; /* CPU 0 only */

static void copy_str(char *dst, size_t n, const char *src)
{
    size_t i = 0;

    for (; i + 1 < n && src[i]; i++)
        dst[i] = src[i];
    dst[i] = '\0';
}

static void begin(const char *name, enum litmus_quantifier q, const char *cond_text)
{
    static const char *const verdicts[] = { "Allowed", "Forbidden", "Required" };

    memset(&st, 0, sizeof(st));
    st.magic = LITMUS_DESC_MAGIC;
    st.version = LITMUS_DESC_VERSION;
    st.size = sizeof(st);
    copy_str(st.name, sizeof(st.name), name);
    copy_str(st.verdict, sizeof(st.verdict), verdicts[q]);
    copy_str(st.cond_text, sizeof(st.cond_text), cond_text);
    st.quantifier = q;
    st.filter[0].op = LITMUS_OP_TRUE; /* filter[1] is END (0) */
}

static unsigned add_loc(const char *name, uint32_t init)
{
    unsigned k = st.nlocs++;

    copy_str(st.loc_name[k], LITMUS_LABEL_LEN, name);
    st.loc_init[k] = init;
    return k;
}

/* A thread whose R1 and R3 point to locations a and b. */
static void add_thread(const uint32_t *code, size_t n, unsigned a, unsigned b)
{
    struct litmus_thread_desc *th = &st.threads[st.nthreads++];

    memcpy(th->code, code, n * sizeof(code[0]));
    th->ncode = (uint32_t)n;
    th->reg_kind[1] = LITMUS_REG_LOC;
    th->reg_value[1] = a;
    th->reg_kind[3] = LITMUS_REG_LOC;
    th->reg_value[3] = b;
}

static unsigned out_reg(unsigned thread, unsigned reg)
{
    struct litmus_out_desc *o = &st.outs[st.nouts];

    o->kind = LITMUS_OUT_REG;
    o->thread = thread;
    o->reg = reg;
    rt_snprintf(o->label, sizeof(o->label), "%u:R%u", thread, reg);
    return st.nouts++;
}

static unsigned out_loc(unsigned loc)
{
    struct litmus_out_desc *o = &st.outs[st.nouts];

    o->kind = LITMUS_OUT_LOC;
    o->loc = loc;
    copy_str(o->label, sizeof(o->label), st.loc_name[loc]);
    return st.nouts++;
}

static void set_cond(const struct litmus_insn *prog, size_t n)
{
    memcpy(st.cond, prog, n * sizeof(prog[0]));
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* MP and MP+dmbs: P0 x=1; y=1 | P1 r0=y; r2=x. */
static void build_mp(int dmbs)
{
    unsigned x, y, r0, r2;

    if (dmbs)
        begin("MP+dmbs", LITMUS_NOT_EXISTS, "~exists (1:R0=1 /\\ 1:R2=0)");
    else
        begin("MP", LITMUS_EXISTS, "exists (1:R0=1 /\\ 1:R2=0)");
    x = add_loc("x", 0);
    y = add_loc("y", 0);
    if (dmbs) {
        add_thread(mp_writer_dmb, N(mp_writer_dmb), x, y);
        add_thread(mp_reader_dmb, N(mp_reader_dmb), y, x);
    } else {
        add_thread(mp_writer, N(mp_writer), x, y);
        add_thread(mp_reader, N(mp_reader), y, x);
    }
    r0 = out_reg(1, 0);
    r2 = out_reg(1, 2);
    const struct litmus_insn cond[] = {
        { LITMUS_OP_EQ, r0, 1 }, { LITMUS_OP_EQ, r2, 0 }, { LITMUS_OP_AND, 0, 0 },
        { LITMUS_OP_END, 0, 0 },
    };
    set_cond(cond, N(cond));
}

/* SB and SB+dmbs: P0 x=1; r2=y | P1 y=1; r2=x. */
static void build_sb(int dmbs)
{
    unsigned x, y, a, b;

    if (dmbs)
        begin("SB+dmbs", LITMUS_NOT_EXISTS, "~exists (0:R2=0 /\\ 1:R2=0)");
    else
        begin("SB", LITMUS_EXISTS, "exists (0:R2=0 /\\ 1:R2=0)");
    x = add_loc("x", 0);
    y = add_loc("y", 0);
    add_thread(dmbs ? sb_side_dmb : sb_side, dmbs ? N(sb_side_dmb) : N(sb_side), x, y);
    add_thread(dmbs ? sb_side_dmb : sb_side, dmbs ? N(sb_side_dmb) : N(sb_side), y, x);
    a = out_reg(0, 2);
    b = out_reg(1, 2);
    const struct litmus_insn cond[] = {
        { LITMUS_OP_EQ, a, 0 }, { LITMUS_OP_EQ, b, 0 }, { LITMUS_OP_AND, 0, 0 },
        { LITMUS_OP_END, 0, 0 },
    };
    set_cond(cond, N(cond));
}

/* 2+2W+addr: P0 x=2; y=1 | P1 y=2; x=1; outs 0:R1 (x's address), x, y. */
static void build_2plus2w(void)
{
    unsigned x, y, r1, ox, oy;

    begin("2+2W+addr", LITMUS_EXISTS, "exists (0:R1=x /\\ x=2 /\\ y=2)");
    x = add_loc("x", 0);
    y = add_loc("y", 0);
    add_thread(w2_side, N(w2_side), x, y);
    add_thread(w2_side, N(w2_side), y, x);
    r1 = out_reg(0, 1);
    ox = out_loc(x);
    oy = out_loc(y);
    const struct litmus_insn cond[] = {
        { LITMUS_OP_EQ_LOC, r1, x }, { LITMUS_OP_EQ, ox, 2 }, { LITMUS_OP_AND, 0, 0 },
        { LITMUS_OP_EQ, oy, 2 },     { LITMUS_OP_AND, 0, 0 }, { LITMUS_OP_END, 0, 0 },
    };
    set_cond(cond, N(cond));
}

/* IRIW: P0 x=1 | P1 r0=x; r2=y | P2 y=1 | P3 r0=y; r2=x. */
static void build_iriw(void)
{
    unsigned x, y, a0, a2, b0, b2;

    begin("IRIW", LITMUS_EXISTS, "exists (1:R0=1 /\\ 1:R2=0 /\\ 3:R0=1 /\\ 3:R2=0)");
    x = add_loc("x", 0);
    y = add_loc("y", 0);
    add_thread(one_store, N(one_store), x, x);
    add_thread(mp_reader, N(mp_reader), x, y);
    add_thread(one_store, N(one_store), y, y);
    add_thread(mp_reader, N(mp_reader), y, x);
    a0 = out_reg(1, 0);
    a2 = out_reg(1, 2);
    b0 = out_reg(3, 0);
    b2 = out_reg(3, 2);
    const struct litmus_insn cond[] = {
        { LITMUS_OP_EQ, a0, 1 }, { LITMUS_OP_EQ, a2, 0 }, { LITMUS_OP_AND, 0, 0 },
        { LITMUS_OP_EQ, b0, 1 }, { LITMUS_OP_AND, 0, 0 }, { LITMUS_OP_EQ, b2, 0 },
        { LITMUS_OP_AND, 0, 0 }, { LITMUS_OP_END, 0, 0 },
    };
    set_cond(cond, N(cond));
}

const struct litmus_desc *lrt_selftest(unsigned long which)
{
    switch (which) {
    case 1:
    case 2:
        build_mp(which == 2);
        return &st;
    case 3:
    case 5:
        build_sb(which == 5);
        return &st;
    case 4:
        build_2plus2w();
        return &st;
    case 6:
        build_iriw();
        return &st;
    default:
        return NULL;
    }
}
