/*
 * difftest_guest.c — a batch of difftest sequences as one guest program
 * (GNU as source, A32, linked at DIFFTEST_IMAGE_BASE, entry _start).
 *
 * The program needs nothing but the CPU, RAM and semihosting, so it runs
 * on an emulator that boots nothing else yet. Layout:
 *
 *   _start      the vector table; reset goes to dt_reset, every exception
 *               to a stub that records (type, pc, insn) and abandons the
 *               sequence, so one bad instruction costs one "X" line, not
 *               the batch
 *   dt_loop     per sequence: fill the scratch buffer (xorshift32 of the
 *               sequence's mem_seed), set TPIDRURW/URO/PRW, CLREX, jump
 *   dt_seq_K    load APSR (MSR APSR_nzcvqg), SP and r0-r12, r14 from the
 *               init block, run the generated words, branch to dt_seq_end
 *   dt_seq_end  switch to IRQ mode, whose banked SP points at the dump
 *               area and whose banked LR is free: store r0-r12 and the
 *               CPSR there without touching a sequence register; back in
 *               SVC mode store SP and LR; print the line
 *   dt_report   "DT <index> D <r0..r14> <cpsr> <m0..m15>" or
 *               "DT <index> X <type> <pc> <insn>", 8 hex digits each; mK
 *               is an FNV-1a hash of the 64 words of buffer chunk K
 *
 * Interrupts stay masked (CPSID aif at reset), so IRQ mode is only ever
 * entered by CPS. The SETEND a sequence may do is undone (SETEND LE)
 * before anything is stored, after the CPSR (with E) has been read.
 */
#include "harness/difftest.h"

#include <inttypes.h>

#define DUMP_ADDR  0x40410000u /* r0-r14, cpsr: 16 words */
#define EXC_ADDR   0x40410040u /* type, pc, insn; type 0 = none */
#define CUR_ADDR   0x40410080u /* the running sequence's index */
#define LINE_ADDR  0x40410100u /* the output line being built */
#define STACK_TOP  0x40420000u /* the driver's SVC stack */

static const char driver_head[] =
    "\t.syntax unified\n"
    "\t.arm\n"
    "\t.text\n"
    "\t.global _start\n"
    "_start:\n"
    "\tb dt_reset\n\tb dt_und\n\tb dt_svc\n\tb dt_pabt\n"
    "\tb dt_dabt\n\tnop\n\tb dt_irq\n\tb dt_fiq\n"
    "dt_und:  mov r0, #1\n\tsub r1, lr, #4\n\tldr r2, [r1]\n\tb dt_exc\n"
    "dt_svc:  mov r0, #2\n\tsub r1, lr, #4\n\tldr r2, [r1]\n\tb dt_exc\n"
    "dt_pabt: mov r0, #3\n\tsub r1, lr, #4\n\tmov r2, #0\n\tb dt_exc\n"
    "dt_dabt: mov r0, #4\n\tsub r1, lr, #8\n\tldr r2, [r1]\n\tb dt_exc\n"
    "dt_irq:  mov r0, #5\n\tsub r1, lr, #4\n\tmov r2, #0\n\tb dt_exc\n"
    "dt_fiq:  mov r0, #6\n\tsub r1, lr, #4\n\tmov r2, #0\n\tb dt_exc\n"
    "dt_exc:\n"
    "\tldr r3, =DT_EXC\n\tstm r3, {r0-r2}\n"
    "\tcps #0x13\n\tsetend le\n\tb dt_next\n"
    "dt_reset:\n"
    "\tcpsid aif\n"
    "\tldr r0, =_start\n\tmcr p15, 0, r0, c12, c0, 0\n\tisb\n"
    "\tcps #0x12\n\tldr sp, =DT_DUMP\n\tcps #0x13\n"
    "\tldr r1, =DT_CUR\n\tmov r0, #0\n\tstr r0, [r1]\n"
    "dt_loop:\n"
    "\tldr sp, =DT_STACK\n\tsetend le\n"
    "\tldr r1, =DT_CUR\n\tldr r4, [r1]\n"
    "\tldr r1, =dt_nseq\n\tldr r1, [r1]\n\tcmp r4, r1\n\tbhs dt_exit\n"
    "\tldr r1, =DT_EXC\n\tmov r0, #0\n\tstr r0, [r1]\n"
    "\tldr r1, =dt_seqs\n\tadd r1, r1, r4, lsl #3\n\tldr r5, [r1]\n\tldr r6, [r1, #4]\n"
    "\tldr r0, [r6]\n\tbl dt_fill\n"
    "\tldr r0, [r6, #4]\n\tmcr p15, 0, r0, c13, c0, 2\n"
    "\tldr r0, [r6, #8]\n\tmcr p15, 0, r0, c13, c0, 3\n"
    "\tldr r0, [r6, #12]\n\tmcr p15, 0, r0, c13, c0, 4\n"
    "\tclrex\n\tisb\n"
    "\tbx r5\n"
    "dt_seq_end:\n"
    "\tcps #0x12\n\tmrs lr, cpsr\n\tsetend le\n"
    "\tstmia sp, {r0-r12}\n\tstr lr, [sp, #60]\n"
    "\tcps #0x13\n"
    "\tldr r0, =DT_DUMP\n\tstr sp, [r0, #52]\n\tstr lr, [r0, #56]\n"
    "dt_next:\n"
    "\tldr sp, =DT_STACK\n\tbl dt_report\n"
    "\tldr r1, =DT_CUR\n\tldr r0, [r1]\n\tadd r0, r0, #1\n\tstr r0, [r1]\n"
    "\tb dt_loop\n"
    "dt_exit:\n"
    "\tmov r0, #0x18\n\tldr r1, =0x20026\n\tsvc 0x123456\n"
    "1:\tb 1b\n";

/* dt_fill(r0 = seed): the scratch buffer gets xorshift32 words. */
static const char driver_fill[] =
    "dt_fill:\n"
    "\tldr r1, =DT_SCRATCH\n\tmov r2, #1024\n"
    "1:\teor r0, r0, r0, lsl #13\n\teor r0, r0, r0, lsr #17\n\teor r0, r0, r0, lsl #5\n"
    "\tstr r0, [r1], #4\n\tsubs r2, r2, #1\n\tbne 1b\n"
    "\tbx lr\n"
    /* dt_hex8(r0 = value, r1 = out) -> r1 += 8; clobbers r2, r3 */
    "dt_hex8:\n"
    "\tmov r3, #28\n"
    "1:\tlsr r2, r0, r3\n\tand r2, r2, #15\n\tcmp r2, #10\n"
    "\taddlo r2, r2, #48\n\taddhs r2, r2, #87\n"
    "\tstrb r2, [r1], #1\n\tsubs r3, r3, #4\n\tbpl 1b\n"
    "\tbx lr\n"
    /* dt_word(r0 = value, r1 = out): " " then 8 hex digits */
    "dt_word:\n"
    "\tmov r2, #32\n\tstrb r2, [r1], #1\n\tb dt_hex8\n";

static const char driver_report[] =
    "dt_report:\n"
    "\tpush {r4-r8, lr}\n"
    "\tldr r1, =DT_LINE\n"
    "\tmov r2, #'D'\n\tstrb r2, [r1], #1\n\tmov r2, #'T'\n\tstrb r2, [r1], #1\n"
    "\tldr r0, =DT_CUR\n\tldr r0, [r0]\n\tbl dt_word\n"
    "\tmov r2, #32\n\tstrb r2, [r1], #1\n"
    "\tldr r5, =DT_EXC\n\tldr r0, [r5]\n\tcmp r0, #0\n\tbne 5f\n"
    "\tmov r2, #'D'\n\tstrb r2, [r1], #1\n"
    "\tldr r5, =DT_DUMP\n\tmov r6, #16\n"
    "1:\tldr r0, [r5], #4\n\tbl dt_word\n\tsubs r6, r6, #1\n\tbne 1b\n"
    "\tldr r5, =DT_SCRATCH\n\tmov r6, #16\n\tldr r8, =0x01000193\n"
    "2:\tldr r0, =0x811c9dc5\n\tmov r7, #64\n"
    "3:\tldr r2, [r5], #4\n\teor r0, r0, r2\n\tmul r0, r0, r8\n\tsubs r7, r7, #1\n\tbne 3b\n"
    "\tbl dt_word\n\tsubs r6, r6, #1\n\tbne 2b\n"
    "\tb 6f\n"
    "5:\tmov r2, #'X'\n\tstrb r2, [r1], #1\n"
    "\tldr r0, [r5]\n\tbl dt_word\n\tldr r0, [r5, #4]\n\tbl dt_word\n"
    "\tldr r0, [r5, #8]\n\tbl dt_word\n"
    "6:\tmov r2, #10\n\tstrb r2, [r1], #1\n\tmov r2, #0\n\tstrb r2, [r1]\n"
    "\tmov r0, #4\n\tldr r1, =DT_LINE\n\tsvc 0x123456\n"
    "\tpop {r4-r8, pc}\n"
    "\t.ltorg\n";

static void write_symbols(FILE *f)
{
    fprintf(f, "\t.equ DT_SCRATCH, 0x%08x\n\t.equ DT_DUMP, 0x%08x\n\t.equ DT_EXC, 0x%08x\n"
               "\t.equ DT_CUR, 0x%08x\n\t.equ DT_LINE, 0x%08x\n\t.equ DT_STACK, 0x%08x\n",
            DIFFTEST_SCRATCH, DUMP_ADDR, EXC_ADDR, CUR_ADDR, LINE_ADDR, STACK_TOP);
}

/* The prologue loads APSR, SP, then r0-r12 and r14 over the base r0 (an
 * LDM without writeback may load its own base). */
static void write_sequence(FILE *f, const struct difftest_seq *s, size_t k)
{
    fprintf(f, "\n@ sequence %zu (index %" PRIu32 ", seed 0x%016" PRIx64 ")\n"
               "\t.balign 4\ndt_seq_%zu:\n"
               "\tmovw r0, #:lower16:dt_init_%zu + 16\n"
               "\tmovt r0, #:upper16:dt_init_%zu + 16\n"
               "\tldr r1, [r0], #4\n\tmsr APSR_nzcvqg, r1\n"
               "\tldr sp, [r0], #4\n\tldm r0, {r0-r12, r14}\n",
            k, s->index, s->seed, k, k, k);
    for (size_t i = 0; i < s->n_slots; i++)
        fprintf(f, "\t.inst 0x%08" PRIx32 "\t@ %s%s\n", s->slots[i].word,
                s->slots[i].setup ? "set-up " : "",
                arm_insn_name((enum a32_line)s->slots[i].line));
    fputs("\tb dt_seq_end\n", f);
}

/* Init block: mem_seed, tpidr[3], psr, sp, r0-r12, r14. */
static void write_init(FILE *f, const struct difftest_seq *s, size_t k)
{
    fprintf(f, "dt_init_%zu:\n\t.word 0x%08" PRIx32, k, s->mem_seed);
    for (unsigned i = 0; i < 3; i++)
        fprintf(f, ", 0x%08" PRIx32, s->tpidr[i]);
    fprintf(f, "\n\t.word 0x%08" PRIx32 ", 0x%08" PRIx32 "\n\t.word", s->psr, s->regs[13]);
    for (unsigned i = 0; i < 15; i++)
        if (i != 13)
            fprintf(f, "%s0x%08" PRIx32, i ? ", " : " ", s->regs[i]);
    fputc('\n', f);
}

void difftest_write_asm(FILE *f, const struct difftest_seq *seqs, size_t n)
{
    fputs("@ generated by strex difftest: one batch of sequences (docs/difftest.md)\n", f);
    write_symbols(f);
    fputs(driver_head, f);
    fputs(driver_fill, f);
    fputs(driver_report, f);
    for (size_t k = 0; k < n; k++)
        write_sequence(f, &seqs[k], k);
    fputs("\n\t.balign 4\n", f);
    for (size_t k = 0; k < n; k++)
        write_init(f, &seqs[k], k);
    fprintf(f, "dt_nseq:\n\t.word %zu\ndt_seqs:\n", n);
    for (size_t k = 0; k < n; k++)
        fprintf(f, "\t.word dt_seq_%zu, dt_init_%zu\n", k, k);
}
