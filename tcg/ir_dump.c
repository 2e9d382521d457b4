/*
 * ir_dump.c — tcg_dump_ops(): the op list as text, one op per line, the
 * way `-d op` shows it.
 *
 *      ---- 0x40000010
 *      movi_i32 t0,$0x5
 *      add_i32 t2,t1,t0
 *      brcond_i32 t2,t0,ltu,L0
 *      qemu_ld_i32 t3,t2,ld32u idx1 align
 *      call helper_name,t3,t2 -> t4
 *      set_label L0
 *      exit_tb $0x0
 *
 * Temps are t<n>, labels L<n>; outputs come first, then inputs, then the
 * constants decoded by kind (condition, memop, env offset, label). Ops the
 * optimizer marked dead are left out: the dump shows what will run.
 */
#include "tcg/ir.h"

static const char *const cond_names[] = {
    [TCG_COND_NEVER] = "never", [TCG_COND_ALWAYS] = "always",
    [TCG_COND_EQ] = "eq",       [TCG_COND_NE] = "ne",
    [TCG_COND_LT] = "lt",       [TCG_COND_GE] = "ge",
    [TCG_COND_LE] = "le",       [TCG_COND_GT] = "gt",
    [TCG_COND_LTU] = "ltu",     [TCG_COND_GEU] = "geu",
    [TCG_COND_LEU] = "leu",     [TCG_COND_GTU] = "gtu",
    [TCG_COND_TSTEQ] = "tsteq", [TCG_COND_TSTNE] = "tstne",
};

static const char *cond_name(uint64_t cond)
{
    return cond < sizeof(cond_names) / sizeof(cond_names[0]) ? cond_names[cond] : "?";
}

/* "ld16s idx2 align bswap excl": what the access is, then its options. */
static void dump_memop(FILE *f, bool load, uint64_t memop)
{
    unsigned bits = 8u << TCG_MEMOP_SIZE(memop);

    fprintf(f, "%s%u", load ? "ld" : "st", bits);
    if (load && bits < 64)
        fputc(memop & TCG_MO_SIGN ? 's' : 'u', f);
    fprintf(f, " idx%u", (unsigned)TCG_MEMOP_MMU_IDX(memop));
    if (memop & TCG_MO_ALIGN)
        fputs(" align", f);
    if (memop & TCG_MO_BSWAP)
        fputs(" bswap", f);
    if (memop & TCG_MO_EXCL)
        fputs(" excl", f);
}

static void dump_temps(FILE *f, const uint64_t *temps, unsigned n, bool *first)
{
    for (unsigned i = 0; i < n; i++) {
        fprintf(f, "%st%llu", *first ? " " : ",", (unsigned long long)temps[i]);
        *first = false;
    }
}

static void dump_call(FILE *f, const struct tcg_op *op)
{
    const struct tcg_helper *h = (const struct tcg_helper *)(uintptr_t)op->args[0];
    bool first = false;

    fprintf(f, " call %s", h->name ? h->name : "?");
    dump_temps(f, &op->args[4], (unsigned)op->args[1], &first);
    if (op->args[2])
        fprintf(f, " -> t%llu", (unsigned long long)op->args[3]);
}

/* The constants of op, after its temps; *first says whether a comma is due. */
static void dump_consts(FILE *f, const struct tcg_op *op, const uint64_t *c, bool first)
{
    const char *sep = first ? " " : ",";

    switch (op->opc) {
    case TCG_OP_setcond_i32:
    case TCG_OP_movcond_i32:
        fprintf(f, "%s%s", sep, cond_name(c[0]));
        break;
    case TCG_OP_brcond_i32:
        fprintf(f, "%s%s,L%llu", sep, cond_name(c[0]), (unsigned long long)c[1]);
        break;
    case TCG_OP_set_label:
    case TCG_OP_br:
        fprintf(f, "%sL%llu", sep, (unsigned long long)c[0]);
        break;
    case TCG_OP_qemu_ld_i32:
    case TCG_OP_qemu_ld_i64:
    case TCG_OP_qemu_st_i32:
    case TCG_OP_qemu_st_i64:
        fputs(sep, f);
        dump_memop(f, op->opc == TCG_OP_qemu_ld_i32 || op->opc == TCG_OP_qemu_ld_i64, c[0]);
        break;
    case TCG_OP_ld_env_i32:
    case TCG_OP_ld_env_i64:
    case TCG_OP_st_env_i32:
    case TCG_OP_st_env_i64:
        fprintf(f, "%senv+0x%llx", sep, (unsigned long long)c[0]);
        break;
    default:
        for (unsigned i = 0; i < tcg_op_defs[op->opc].n_const; i++, sep = ",")
            fprintf(f, "%s$0x%llx", sep, (unsigned long long)c[i]);
        break;
    }
}

static void dump_op(FILE *f, const struct tcg_op *op)
{
    const struct tcg_op_def *def = &tcg_op_defs[op->opc];
    unsigned n_temps = def->n_out + def->n_in;
    bool first = true;

    if (op->opc == TCG_OP_insn_start) {
        fprintf(f, " ---- 0x%08llx", (unsigned long long)op->args[0]);
        if (op->args[1])
            fprintf(f, " 0x%llx", (unsigned long long)op->args[1]);
    } else if (op->opc == TCG_OP_call) {
        dump_call(f, op);
    } else {
        fprintf(f, " %s", def->name);
        dump_temps(f, op->args, n_temps, &first);
        dump_consts(f, op, &op->args[n_temps], first);
    }
    fputc('\n', f);
}

void tcg_dump_ops(const struct tcg_ctx *s, FILE *f)
{
    for (size_t i = 0; i < s->n_ops; i++)
        if (!s->ops[i].dead)
            dump_op(f, &s->ops[i]);
}
