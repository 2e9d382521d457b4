/*
 * test_arm_decode.c — the A32 decoder (arm/decode.c) against encodings
 * made by the GNU assembler.
 *
 * The cases below are assembly text with the line and the fields that
 * text means. Once per run they are written to one .s file, assembled with
 * arm-none-eabi-as -march=armv7-a -mcpu=cortex-a15 and read back as words
 * with arm-none-eabi-objcopy, so the encodings are the assembler's, not
 * ours. Each case must produce exactly one word. Field lists name only the
 * fields worth checking ("n=2 d=1 i=0xff"); cond is always checked (14
 * unless the list says c=...).
 *
 * Beyond the cases: every table line must be reached by some case, no
 * line may be completely shadowed by an earlier one, and the bucketed
 * fast path must agree with a plain first-match scan of the table.
 */
#include "arm/decode.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct asm_case {
    const char *text;
    const char *line;   /* expected line name; "UNALLOCATED" for no line */
    const char *fields; /* "letter=value ..." */
};

/* ---- encodings that decode ------------------------------------------- */

static const struct asm_case valid_cases[] = {
    /* exception return forms: Rd = PC, S = 1 */
    { "subs pc, lr, #4",            "SUBS_PC_IMM", "o=2 n=14 i=4" },
    { "adds pc, r1, #8",            "SUBS_PC_IMM", "o=4 n=1 i=8" },
    { "mvns pc, #1",                "MOVS_PC_IMM", "o=3 n=0 i=1" },
    { "subs pc, lr, r2",            "SUBS_PC_REG", "o=2 n=14 m=2 i=0 y=0" },
    { "movs pc, lr",                "MOVS_PC_REG", "o=1 n=0 m=14" },
    { "orrs pc, r3, r4, lsl #2",    "MOVS_PC_REG", "o=0 n=3 m=4 i=2 y=0" },
    /* data-processing (immediate) */
    { "and r1, r2, #0xff",          "AND_IMM", "S=0 n=2 d=1 i=0xff" },
    { "ands r1, r2, #0xff",         "AND_IMM", "S=1 n=2 d=1 i=0xff" },
    { "eor r3, r4, #1",             "EOR_IMM", "S=0 n=4 d=3 i=1" },
    { "subs r0, r0, #1",            "SUB_IMM", "S=1 n=0 d=0 i=1" },
    { "rsb r0, r1, #0",             "RSB_IMM", "n=1 d=0 i=0" },
    { "add r0, pc, #8",             "ADD_IMM", "n=15 d=0 i=8" },
    { "addne r0, r1, #1",           "ADD_IMM", "c=1 n=1 d=0 i=1" },
    { "adc r2, r3, #7",             "ADC_IMM", "n=3 d=2 i=7" },
    { "sbc r2, r3, #7",             "SBC_IMM", "n=3 d=2 i=7" },
    { "rsc r2, r3, #7",             "RSC_IMM", "n=3 d=2 i=7" },
    { "tst r1, #1",                 "TST_IMM", "n=1 i=1" },
    { "teq r1, #3",                 "TEQ_IMM", "n=1 i=3" },
    { "cmp r1, #0x3fc",             "CMP_IMM", "n=1 i=0xfff" },
    { "cmn r1, #1",                 "CMN_IMM", "n=1 i=1" },
    { "orr r0, r0, #0x80000000",    "ORR_IMM", "n=0 d=0 i=0x102" },
    { "mov r0, #0",                 "MOV_IMM", "S=0 d=0 i=0" },
    { "movs r1, #0xff",             "MOV_IMM", "S=1 d=1 i=0xff" },
    { "bic r0, r1, #0xff000000",    "BIC_IMM", "n=1 d=0 i=0x4ff" },
    { "mvn r0, #0",                 "MVN_IMM", "S=0 d=0 i=0" },
    { "movw r0, #0x1234",           "MOVW", "d=0 j=1 i=0x234" },
    { "movwgt r0, #0xffff",         "MOVW", "c=12 d=0 j=0xf i=0xfff" },
    { "movt r1, #0xabcd",           "MOVT", "d=1 j=0xa i=0xbcd" },
    /* hints and MSR (immediate) */
    { "nop",                        "NOP", "" },
    { "yield",                      "YIELD", "" },
    { "wfe",                        "WFE", "" },
    { "wfi",                        "WFI", "" },
    { "wfine",                      "WFI", "c=1" },
    { "sev",                        "SEV", "" },
    { "dbg #5",                     "DBG", "o=5" },
    { ".inst 0xe320f014",           "HINT", "i=0x14" }, /* csdb */
    { "msr cpsr_f, #0xf0000000",    "MSR_IMM", "R=0 k=8 i=0x20f" },
    { "msr spsr_c, #0x13",          "MSR_IMM", "R=1 k=1 i=0x13" },
    /* data-processing (register) */
    { "and r1, r2, r3",             "AND_REG", "S=0 n=2 d=1 m=3 i=0 y=0" },
    { "ands r1, r2, r3, lsl #4",    "AND_REG", "S=1 n=2 d=1 m=3 i=4 y=0" },
    { "eor r1, r2, r3, lsr #32",    "EOR_REG", "n=2 d=1 m=3 i=0 y=1" },
    { "sub r1, r2, r3, asr #3",     "SUB_REG", "n=2 d=1 m=3 i=3 y=2" },
    { "rsb r1, r2, r3, ror #7",     "RSB_REG", "n=2 d=1 m=3 i=7 y=3" },
    { "add r1, r2, r3, rrx",        "ADD_REG", "n=2 d=1 m=3 i=0 y=3" },
    { "adc r1, r2, r3",             "ADC_REG", "n=2 d=1 m=3" },
    { "sbcs r1, r2, r3",            "SBC_REG", "S=1 n=2 d=1 m=3" },
    { "rsc r1, r2, r3",             "RSC_REG", "n=2 d=1 m=3" },
    { "tst r1, r2",                 "TST_REG", "n=1 m=2" },
    { "teq r1, r2, lsl #1",         "TEQ_REG", "n=1 m=2 i=1 y=0" },
    { "cmp r1, r2",                 "CMP_REG", "n=1 m=2" },
    { "cmn r1, r2",                 "CMN_REG", "n=1 m=2" },
    { "orr r1, r2, r3",             "ORR_REG", "n=2 d=1 m=3" },
    { "mov r1, r2",                 "MOV_REG", "S=0 d=1 m=2" },
    { "movs r1, r2",                "MOV_REG", "S=1 d=1 m=2" },
    { "mov pc, lr",                 "MOV_REG", "S=0 d=15 m=14" },
    { "lsl r1, r2, #3",             "LSL_IMM", "S=0 d=1 m=2 i=3" },
    { "lsls r1, r2, #31",           "LSL_IMM", "S=1 d=1 m=2 i=31" },
    { "lsr r1, r2, #32",            "LSR_IMM", "d=1 m=2 i=0" },
    { "lsr r1, r2, #1",             "LSR_IMM", "d=1 m=2 i=1" },
    { "asr r1, r2, #5",             "ASR_IMM", "d=1 m=2 i=5" },
    { "rrx r1, r2",                 "RRX", "S=0 d=1 m=2" },
    { "rrxs r1, r2",                "RRX", "S=1 d=1 m=2" },
    { "ror r1, r2, #8",             "ROR_IMM", "d=1 m=2 i=8" },
    { "bic r1, r2, r3",             "BIC_REG", "n=2 d=1 m=3" },
    { "mvn r1, r2",                 "MVN_REG", "d=1 m=2 i=0" },
    { "mvn r1, r2, lsl #2",         "MVN_REG", "d=1 m=2 i=2 y=0" },
    /* data-processing (register-shifted register) */
    { "and r1, r2, r3, lsl r4",     "AND_RSR", "n=2 d=1 m=3 s=4 y=0" },
    { "eor r1, r2, r3, lsr r4",     "EOR_RSR", "n=2 d=1 m=3 s=4 y=1" },
    { "sub r1, r2, r3, asr r4",     "SUB_RSR", "n=2 d=1 m=3 s=4 y=2" },
    { "rsb r1, r2, r3, ror r4",     "RSB_RSR", "n=2 d=1 m=3 s=4 y=3" },
    { "adds r1, r2, r3, lsl r4",    "ADD_RSR", "S=1 n=2 d=1 m=3 s=4" },
    { "adc r1, r2, r3, lsl r4",     "ADC_RSR", "n=2 d=1 m=3 s=4" },
    { "sbc r1, r2, r3, lsl r4",     "SBC_RSR", "n=2 d=1 m=3 s=4" },
    { "rsc r1, r2, r3, lsl r4",     "RSC_RSR", "n=2 d=1 m=3 s=4" },
    { "tst r1, r2, lsl r3",         "TST_RSR", "n=1 m=2 s=3" },
    { "teq r1, r2, lsr r3",         "TEQ_RSR", "n=1 m=2 s=3 y=1" },
    { "cmp r1, r2, asr r3",         "CMP_RSR", "n=1 m=2 s=3 y=2" },
    { "cmn r1, r2, ror r3",         "CMN_RSR", "n=1 m=2 s=3 y=3" },
    { "orr r1, r2, r3, lsl r4",     "ORR_RSR", "n=2 d=1 m=3 s=4" },
    { "lsl r1, r2, r3",             "LSL_REG", "d=1 n=2 m=3" },
    { "mov r1, r2, lsl r3",         "LSL_REG", "d=1 n=2 m=3" },
    { "lsrs r1, r2, r3",            "LSR_REG", "S=1 d=1 n=2 m=3" },
    { "asr r1, r2, r3",             "ASR_REG", "d=1 n=2 m=3" },
    { "ror r1, r2, r3",             "ROR_REG", "d=1 n=2 m=3" },
    { "bic r1, r2, r3, lsl r4",     "BIC_RSR", "n=2 d=1 m=3 s=4" },
    { "mvn r1, r2, lsl r3",         "MVN_RSR", "d=1 m=2 s=3 y=0" },
    /* miscellaneous */
    { "mrs r0, apsr",               "MRS", "R=0 d=0" },
    { "mrs r1, spsr",               "MRS", "R=1 d=1" },
    { "mrs r0, r8_usr",             "MRS_BANKED", "R=0 d=0 k=0 B=0" },
    { "mrs r2, spsr_svc",           "MRS_BANKED", "R=1 d=2 k=2 B=1" },
    { "mrs r3, lr_irq",             "MRS_BANKED", "R=0 d=3 k=0 B=1" },
    { "msr cpsr_fc, r0",            "MSR_REG", "R=0 k=9 n=0" },
    { "msr spsr_fsxc, r2",          "MSR_REG", "R=1 k=15 n=2" },
    { "msr sp_svc, r1",             "MSR_BANKED", "R=0 k=3 B=1 n=1" },
    { "bx lr",                      "BX", "m=14" },
    { "bxle lr",                    "BX", "c=13 m=14" },
    { "bxj r0",                     "BXJ", "m=0" },
    { "blx r3",                     "BLX_REG", "m=3" },
    { "clz r0, r1",                 "CLZ", "d=0 m=1" },
    { "qadd r0, r1, r2",            "QADD", "d=0 m=1 n=2" },
    { "qsub r0, r1, r2",            "QSUB", "d=0 m=1 n=2" },
    { "qdadd r0, r1, r2",           "QDADD", "d=0 m=1 n=2" },
    { "qdsub r0, r1, r2",           "QDSUB", "d=0 m=1 n=2" },
    { "hlt #0xf000",                "HLT", "j=0xf00 i=0" },
    { "bkpt #0x1234",               "BKPT", "j=0x123 i=4" },
    { "hvc #0x1234",                "HVC", "j=0x123 i=4" },
    { "smc #5",                     "SMC", "i=5" },
    /* halfword multiplies */
    { "smlabb r0, r1, r2, r3",      "SMLAXY", "d=0 n=1 m=2 a=3 X=0 Y=0" },
    { "smlatb r0, r1, r2, r3",      "SMLAXY", "X=1 Y=0" },
    { "smlabt r0, r1, r2, r3",      "SMLAXY", "X=0 Y=1" },
    { "smlabblt r0, r1, r2, r3",    "SMLAXY", "c=11 X=0 Y=0" },
    { "smlawb r0, r1, r2, r3",      "SMLAWY", "d=0 n=1 m=2 a=3 Y=0" },
    { "smlawt r0, r1, r2, r3",      "SMLAWY", "Y=1" },
    { "smulwb r0, r1, r2",          "SMULWY", "d=0 n=1 m=2 Y=0" },
    { "smulwt r0, r1, r2",          "SMULWY", "Y=1" },
    { "smlalbt r0, r1, r2, r3",     "SMLALXY", "l=0 h=1 n=2 m=3 X=0 Y=1" },
    { "smulbb r0, r1, r2",          "SMULXY", "d=0 n=1 m=2 X=0 Y=0" },
    { "smultt r0, r1, r2",          "SMULXY", "X=1 Y=1" },
    /* multiplies */
    { "mul r0, r1, r2",             "MUL", "S=0 d=0 n=1 m=2" },
    { "muls r0, r1, r2",            "MUL", "S=1 d=0 n=1 m=2" },
    { "mla r0, r1, r2, r3",         "MLA", "d=0 n=1 m=2 a=3" },
    { "umaal r0, r1, r2, r3",       "UMAAL", "l=0 h=1 n=2 m=3" },
    { "mls r0, r1, r2, r3",         "MLS", "d=0 n=1 m=2 a=3" },
    { "umull r0, r1, r2, r3",       "UMULL", "S=0 l=0 h=1 n=2 m=3" },
    { "umulls r0, r1, r2, r3",      "UMULL", "S=1" },
    { "umlal r0, r1, r2, r3",       "UMLAL", "l=0 h=1 n=2 m=3" },
    { "smull r0, r1, r2, r3",       "SMULL", "l=0 h=1 n=2 m=3" },
    { "smlal r0, r1, r2, r3",       "SMLAL", "l=0 h=1 n=2 m=3" },
    /* exclusives */
    { "strex r0, r1, [r2]",         "STREX", "d=0 t=1 n=2" },
    { "ldrex r1, [r2]",             "LDREX", "t=1 n=2" },
    { "ldrexeq r0, [r1]",           "LDREX", "c=0 t=0 n=1" },
    { "strexd r0, r2, r3, [r4]",    "STREXD", "d=0 t=2 n=4" },
    { "ldrexd r2, r3, [r4]",        "LDREXD", "t=2 n=4" },
    { "strexb r0, r1, [r2]",        "STREXB", "d=0 t=1 n=2" },
    { "ldrexb r1, [r2]",            "LDREXB", "t=1 n=2" },
    { "strexh r0, r1, [r2]",        "STREXH", "d=0 t=1 n=2" },
    { "ldrexh r1, [r2]",            "LDREXH", "t=1 n=2" },
    /* halfword, signed and dual loads/stores */
    { "strht r0, [r1], #4",         "STRHT_IMM", "U=1 n=1 t=0 j=0 i=4" },
    { "strht r0, [r1], #-0x12",     "STRHT_IMM", "U=0 n=1 t=0 j=1 i=2" },
    { "strht r0, [r1], r2",         "STRHT_REG", "U=1 n=1 t=0 m=2" },
    { "ldrht r0, [r1], #2",         "LDRHT_IMM", "U=1 n=1 t=0 i=2" },
    { "ldrht r0, [r1], -r2",        "LDRHT_REG", "U=0 n=1 t=0 m=2" },
    { "ldrsbt r0, [r1], #1",        "LDRSBT_IMM", "U=1 n=1 t=0 i=1" },
    { "ldrsbt r0, [r1], r2",        "LDRSBT_REG", "U=1 n=1 t=0 m=2" },
    { "ldrsht r0, [r1], #2",        "LDRSHT_IMM", "U=1 n=1 t=0 i=2" },
    { "ldrsht r0, [r1], r2",        "LDRSHT_REG", "U=1 n=1 t=0 m=2" },
    { "strh r0, [r1, #2]",          "STRH_IMM", "P=1 U=1 W=0 n=1 t=0 j=0 i=2" },
    { "strh r0, [r1, #-0x22]!",     "STRH_IMM", "P=1 U=0 W=1 j=2 i=2" },
    { "strhhs r0, [r1], #2",        "STRH_IMM", "c=2 P=0 U=1 W=0" },
    { "strh r0, [r1, r2]",          "STRH_REG", "P=1 U=1 W=0 n=1 t=0 m=2" },
    { "ldrh r0, [r1, #4]",          "LDRH_IMM", "P=1 U=1 W=0 n=1 t=0 i=4" },
    { "ldrh r0, [pc, #4]",          "LDRH_IMM", "P=1 U=1 W=0 n=15 i=4" },
    { "ldrh r0, [r1], -r2",         "LDRH_REG", "P=0 U=0 W=0 n=1 t=0 m=2" },
    { "ldrd r0, r1, [r2, #8]",      "LDRD_IMM", "P=1 U=1 W=0 n=2 t=0 i=8" },
    { "ldrd r2, r3, [r4], -r5",     "LDRD_REG", "P=0 U=0 W=0 n=4 t=2 m=5" },
    { "ldrsb r0, [r1, #1]",         "LDRSB_IMM", "P=1 U=1 n=1 t=0 i=1" },
    { "ldrsb r0, [r1, r2]!",        "LDRSB_REG", "P=1 U=1 W=1 n=1 t=0 m=2" },
    { "strd r0, r1, [r2, #-16]!",   "STRD_IMM", "P=1 U=0 W=1 n=2 t=0 j=1 i=0" },
    { "strd r0, r1, [r2, r3]",      "STRD_REG", "P=1 U=1 n=2 t=0 m=3" },
    { "ldrsh r0, [r1, #-2]",        "LDRSH_IMM", "P=1 U=0 n=1 t=0 i=2" },
    { "ldrsh r0, [r1, r2]",         "LDRSH_REG", "P=1 U=1 n=1 t=0 m=2" },
    /* word and unsigned byte */
    { "strt r0, [r1], #4",          "STRT_IMM", "U=1 n=1 t=0 i=4" },
    { "strt r0, [r1], r2, lsl #2",  "STRT_REG", "U=1 n=1 t=0 m=2 i=2 y=0" },
    { "ldrt r0, [r1], #-4",         "LDRT_IMM", "U=0 n=1 t=0 i=4" },
    { "ldrt r0, [r1], r2",          "LDRT_REG", "U=1 n=1 t=0 m=2" },
    { "strbt r0, [r1], #1",         "STRBT_IMM", "U=1 n=1 t=0 i=1" },
    { "strbt r0, [r1], r2",         "STRBT_REG", "U=1 n=1 t=0 m=2" },
    { "ldrbt r0, [r1], #1",         "LDRBT_IMM", "U=1 n=1 t=0 i=1" },
    { "ldrbt r0, [r1], -r2, asr #1", "LDRBT_REG", "U=0 n=1 t=0 m=2 i=1 y=2" },
    { "push {r0}",                  "PUSH_ONE", "t=0" },
    { "pop {r5}",                   "POP_ONE", "t=5" },
    { "str r0, [r1]",               "STR_IMM", "P=1 U=1 W=0 n=1 t=0 i=0" },
    { "str r0, [r1, #-4]!",         "STR_IMM", "P=1 U=0 W=1 n=1 t=0 i=4" },
    { "str r0, [r1], #4",           "STR_IMM", "P=0 U=1 W=0 n=1 t=0 i=4" },
    { "str r0, [r1, r2, lsl #2]",   "STR_REG", "P=1 U=1 W=0 n=1 t=0 m=2 i=2 y=0" },
    { "ldr r0, [pc, #-8]",          "LDR_IMM", "P=1 U=0 W=0 n=15 t=0 i=8" },
    { "ldr r0, [sp], #8",           "LDR_IMM", "P=0 U=1 W=0 n=13 i=8" },
    { "ldr r0, [r1, -r2, asr #3]!", "LDR_REG", "P=1 U=0 W=1 n=1 t=0 m=2 i=3 y=2" },
    { "strb r0, [r1, #1]",          "STRB_IMM", "P=1 U=1 W=0 n=1 t=0 i=1" },
    { "strb r0, [r1], r2",          "STRB_REG", "P=0 U=1 W=0 n=1 t=0 m=2" },
    { "ldrb r0, [r1, #0xfff]",      "LDRB_IMM", "P=1 U=1 n=1 t=0 i=0xfff" },
    { "ldrb r0, [r1, r2, ror #4]",  "LDRB_REG", "P=1 U=1 n=1 t=0 m=2 i=4 y=3" },
    /* parallel addition and subtraction */
    { "sadd16 r0, r1, r2",          "SADD16", "d=0 n=1 m=2" },
    { "sasx r0, r1, r2",            "SASX", "d=0 n=1 m=2" },
    { "ssax r0, r1, r2",            "SSAX", "d=0 n=1 m=2" },
    { "ssub16 r0, r1, r2",          "SSUB16", "d=0 n=1 m=2" },
    { "sadd8 r0, r1, r2",           "SADD8", "d=0 n=1 m=2" },
    { "ssub8 r0, r1, r2",           "SSUB8", "d=0 n=1 m=2" },
    { "qadd16 r0, r1, r2",          "QADD16", "d=0 n=1 m=2" },
    { "qasx r0, r1, r2",            "QASX", "d=0 n=1 m=2" },
    { "qsax r0, r1, r2",            "QSAX", "d=0 n=1 m=2" },
    { "qsub16 r0, r1, r2",          "QSUB16", "d=0 n=1 m=2" },
    { "qadd8 r0, r1, r2",           "QADD8", "d=0 n=1 m=2" },
    { "qsub8 r0, r1, r2",           "QSUB8", "d=0 n=1 m=2" },
    { "shadd16 r0, r1, r2",         "SHADD16", "d=0 n=1 m=2" },
    { "shasx r0, r1, r2",           "SHASX", "d=0 n=1 m=2" },
    { "shsax r0, r1, r2",           "SHSAX", "d=0 n=1 m=2" },
    { "shsub16 r0, r1, r2",         "SHSUB16", "d=0 n=1 m=2" },
    { "shadd8 r0, r1, r2",          "SHADD8", "d=0 n=1 m=2" },
    { "shsub8 r0, r1, r2",          "SHSUB8", "d=0 n=1 m=2" },
    { "uadd16 r0, r1, r2",          "UADD16", "d=0 n=1 m=2" },
    { "uasx r0, r1, r2",            "UASX", "d=0 n=1 m=2" },
    { "usax r0, r1, r2",            "USAX", "d=0 n=1 m=2" },
    { "usub16 r0, r1, r2",          "USUB16", "d=0 n=1 m=2" },
    { "uadd8 r0, r1, r2",           "UADD8", "d=0 n=1 m=2" },
    { "usub8 r0, r1, r2",           "USUB8", "d=0 n=1 m=2" },
    { "uqadd16 r0, r1, r2",         "UQADD16", "d=0 n=1 m=2" },
    { "uqasx r0, r1, r2",           "UQASX", "d=0 n=1 m=2" },
    { "uqsax r0, r1, r2",           "UQSAX", "d=0 n=1 m=2" },
    { "uqsub16 r0, r1, r2",         "UQSUB16", "d=0 n=1 m=2" },
    { "uqadd8 r0, r1, r2",          "UQADD8", "d=0 n=1 m=2" },
    { "uqsub8 r0, r1, r2",          "UQSUB8", "d=0 n=1 m=2" },
    { "uhadd16 r0, r1, r2",         "UHADD16", "d=0 n=1 m=2" },
    { "uhasx r0, r1, r2",           "UHASX", "d=0 n=1 m=2" },
    { "uhsax r0, r1, r2",           "UHSAX", "d=0 n=1 m=2" },
    { "uhsub16 r0, r1, r2",         "UHSUB16", "d=0 n=1 m=2" },
    { "uhadd8 r0, r1, r2",          "UHADD8", "d=0 n=1 m=2" },
    { "uhsub8 r3, r4, r5",          "UHSUB8", "d=3 n=4 m=5" },
    /* packing, unpacking, saturation, reversal */
    { "pkhbt r0, r1, r2, lsl #4",   "PKHBT", "d=0 n=1 m=2 i=4" },
    { "pkhtb r0, r1, r2, asr #8",   "PKHTB", "d=0 n=1 m=2 i=8" },
    { "ssat r0, #8, r1",            "SSAT", "d=0 w=7 n=1 i=0 y=0" },
    { "ssat r0, #16, r1, asr #3",   "SSAT", "d=0 w=15 n=1 i=3 y=1" },
    { "usat r0, #8, r1",            "USAT", "d=0 w=8 n=1 i=0 y=0" },
    { "usat r0, #31, r1, lsl #4",   "USAT", "d=0 w=31 n=1 i=4 y=0" },
    { "ssat16 r0, #8, r1",          "SSAT16", "d=0 w=7 n=1" },
    { "usat16 r0, #8, r1",          "USAT16", "d=0 w=8 n=1" },
    { "sel r0, r1, r2",             "SEL", "d=0 n=1 m=2" },
    { "sxtb16 r0, r1",              "SXTB16", "d=0 m=1 r=0" },
    { "sxtab16 r0, r1, r2, ror #16", "SXTAB16", "d=0 n=1 m=2 r=2" },
    { "sxtb r0, r1, ror #8",        "SXTB", "d=0 m=1 r=1" },
    { "sxtab r0, r1, r2",           "SXTAB", "d=0 n=1 m=2 r=0" },
    { "sxth r0, r1",                "SXTH", "d=0 m=1 r=0" },
    { "sxtah r0, r1, r2, ror #24",  "SXTAH", "d=0 n=1 m=2 r=3" },
    { "uxtb16 r0, r1",              "UXTB16", "d=0 m=1" },
    { "uxtab16 r0, r1, r2",         "UXTAB16", "d=0 n=1 m=2" },
    { "uxtb r0, r1",                "UXTB", "d=0 m=1" },
    { "uxtab r0, r1, r2",           "UXTAB", "d=0 n=1 m=2" },
    { "uxth r0, r1, ror #16",       "UXTH", "d=0 m=1 r=2" },
    { "uxtah r0, r1, r2",           "UXTAH", "d=0 n=1 m=2" },
    { "rev r0, r1",                 "REV", "d=0 m=1" },
    { "rev16 r0, r1",               "REV16", "d=0 m=1" },
    { "rbit r0, r1",                "RBIT", "d=0 m=1" },
    { "revsh r0, r1",               "REVSH", "d=0 m=1" },
    /* signed multiplies, divide */
    { "smuad r0, r1, r2",           "SMUAD", "d=0 n=1 m=2 X=0" },
    { "smuadx r0, r1, r2",          "SMUAD", "X=1" },
    { "smlad r0, r1, r2, r3",       "SMLAD", "d=0 n=1 m=2 a=3 X=0" },
    { "smladx r0, r1, r2, r3",      "SMLAD", "X=1" },
    { "smusd r0, r1, r2",           "SMUSD", "d=0 n=1 m=2" },
    { "smlsd r0, r1, r2, r3",       "SMLSD", "d=0 n=1 m=2 a=3" },
    { "sdiv r0, r1, r2",            "SDIV", "d=0 n=1 m=2" },
    { "udiv r0, r1, r2",            "UDIV", "d=0 n=1 m=2" },
    { "smlald r0, r1, r2, r3",      "SMLALD", "l=0 h=1 n=2 m=3 X=0" },
    { "smlsldx r0, r1, r2, r3",     "SMLSLD", "l=0 h=1 n=2 m=3 X=1" },
    { "smmul r0, r1, r2",           "SMMUL", "d=0 n=1 m=2 R=0" },
    { "smmulr r0, r1, r2",          "SMMUL", "R=1" },
    { "smmla r0, r1, r2, r3",       "SMMLA", "d=0 n=1 m=2 a=3 R=0" },
    { "smmls r0, r1, r2, r3",       "SMMLS", "d=0 n=1 m=2 a=3 R=0" },
    { "smmlsr r0, r1, r2, r3",      "SMMLS", "R=1" },
    { "usad8 r0, r1, r2",           "USAD8", "d=0 n=1 m=2" },
    { "usada8 r0, r1, r2, r3",      "USADA8", "d=0 n=1 m=2 a=3" },
    /* bitfields */
    { "sbfx r0, r1, #4, #8",        "SBFX", "d=0 n=1 i=4 w=7" },
    { "ubfx r0, r1, #0, #32",       "UBFX", "d=0 n=1 i=0 w=31" },
    { "bfc r0, #4, #8",             "BFC", "d=0 i=4 w=11" },
    { "bfi r0, r1, #4, #8",         "BFI", "d=0 n=1 i=4 w=11" },
    /* branches and block transfers */
    { "push {r4, lr}",              "PUSH", "g=0x4010" },
    { "pop {r4, pc}",               "POP", "g=0x8010" },
    { "stmia r0!, {r1, r2}",        "STM", "P=0 U=1 W=1 n=0 g=6" },
    { "stmdb r0, {r1}",             "STM", "P=1 U=0 W=0 n=0 g=2" },
    { "stmda r3, {r1, r2}",         "STM", "P=0 U=0 n=3 g=6" },
    { "stmib r3, {r1, r2}",         "STM", "P=1 U=1 n=3 g=6" },
    { "ldm r0, {r1-r3}",            "LDM", "P=0 U=1 W=0 n=0 g=0xe" },
    { "ldmdb r0!, {r4, pc}",        "LDM", "P=1 U=0 W=1 n=0 g=0x8010" },
    { "stm r0, {r1, r2}^",          "STM_USER", "P=0 U=1 n=0 g=6" },
    { "stmdb sp, {r0-r12, sp, lr}^", "STM_USER", "P=1 U=0 n=13 g=0x7fff" },
    { "ldm r0, {r1, r2}^",          "LDM_USER", "P=0 U=1 n=0 g=6" },
    { "ldmfd sp!, {r0-r3, pc}^",    "LDM_EXCRET", "P=0 U=1 W=1 n=13 g=0xf" },
    { "b .",                        "B", "i=0xfffffe" },
    { "beq .+16",                   "B", "c=0 i=2" },
    { "bl .",                       "BL", "i=0xfffffe" },
    /* coprocessors, supervisor call */
    { "mcrr p15, 0, r0, r1, c2",    "MCRR", "o=0 t=0 u=1 p=15 m=2" },
    { "mrrc p15, 1, r2, r3, c14",   "MRRC", "o=1 t=2 u=3 p=15 m=14" },
    { "mcr p15, 0, r0, c7, c5, 4",  "MCR", "o=0 t=0 n=7 m=5 q=4 p=15" },
    { "mcrvs p15, 0, r0, c8, c7, 0", "MCR", "c=6 n=8 m=7 q=0" },
    { "mrc p15, 0, r1, c0, c0, 5",  "MRC", "o=0 t=1 n=0 m=0 q=5 p=15" },
    { "mrc p14, 0, r0, c0, c1, 0",  "MRC", "p=14 m=1" },
    { "svc #0x123456",              "SVC", "i=0x123456" },
    /* unconditional */
    { "cpsid i",                    "CPS", "c=15 e=3 C=0 f=2 M=0" },
    { "cpsie aif, #0x13",           "CPS", "c=15 e=2 C=1 f=7 M=0x13" },
    { "cps #0x1f",                  "CPS", "c=15 e=0 C=1 M=0x1f" },
    { "setend be",                  "SETEND", "c=15 E=1" },
    { "setend le",                  "SETEND", "c=15 E=0" },
    { "pli [r0, #4]",               "PLI_IMM", "c=15 U=1 n=0 i=4" },
    { "pld [r0, #-8]",              "PLD_IMM", "c=15 U=0 n=0 i=8" },
    { "pldw [r0]",                  "PLDW_IMM", "c=15 U=1 n=0 i=0" },
    { "clrex",                      "CLREX", "c=15" },
    { "dsb sy",                     "DSB", "c=15 o=15" },
    { "dsb ish",                    "DSB", "c=15 o=11" },
    { "dmb ish",                    "DMB", "c=15 o=11" },
    { "dmb st",                     "DMB", "c=15 o=14" },
    { "isb sy",                     "ISB", "c=15 o=15" },
    { "pli [r1, -r2, lsl #2]",      "PLI_REG", "c=15 U=0 n=1 m=2 i=2 y=0" },
    { "pld [r0, r1]",               "PLD_REG", "c=15 U=1 n=0 m=1" },
    { "pldw [r0, r1, lsl #1]",      "PLDW_REG", "c=15 U=1 n=0 m=1 i=1" },
    { "srsdb sp!, #0x13",           "SRS", "c=15 P=1 U=0 W=1 M=0x13" },
    { "srsia sp, #0x12",            "SRS", "c=15 P=0 U=1 W=0 M=0x12" },
    { "rfeia sp!",                  "RFE", "c=15 P=0 U=1 W=1 n=13" },
    { "rfedb r0",                   "RFE", "c=15 P=1 U=0 W=0 n=0" },
    { "blx .",                      "BLX_IMM", "c=15 H=0 i=0xfffffe" },
    { "blx .+6",                    "BLX_IMM", "c=15 H=1 i=0xffffff" },
};

/* ---- encodings that must be UNDEFINED --------------------------------- */

static const struct asm_case undefined_cases[] = {
    { "swp r0, r1, [r2]",           "SWP", "t=0 m=1 n=2" },
    { "swpb r0, r1, [r2]",          "SWPB", "t=0 m=1 n=2" },
    { "udf #0x1234",                "UDF", "j=0x123 i=4" },
    { "udf #0",                     "UDF", "j=0 i=0" },
    { "vadd.f32 s0, s1, s2",        "VFP_OP", "" },
    { "vmov r0, s1",                "VFP_OP", "" },
    { "vmrs r0, fpscr",             "VFP_OP", "" },
    { "vldr d0, [r0]",              "VFP_MEM", "" },
    { "vmov d0, r0, r1",            "VFP_MEM", "" },
    { "vpush {d8}",                 "VFP_MEM", "" },
    { "vadd.i32 d0, d1, d2",        "NEON_DP", "c=15" },
    { "vmov.i32 q0, #0",            "NEON_DP", "c=15" },
    { "vld1.32 {d0}, [r0]",         "NEON_MEM", "c=15" },
    { ".inst 0xe6000010",           "UNALLOCATED", "" }, /* media op1 = 00000 */
    { ".inst 0xf7f000f0",           "UNALLOCATED", "" }, /* cond 1111 UDF space */
    { ".inst 0xffffffff",           "UNALLOCATED", "" },
    { "ldc p14, c5, [r0]",          "UNALLOCATED", "" },
    { "cdp p7, 0, c0, c1, c2, 0",   "UNALLOCATED", "" },
    { "mcr2 p15, 0, r0, c1, c0, 0", "UNALLOCATED", "" },
    { "eret",                       "UNALLOCATED", "" },
    { ".inst 0xe10f0001",           "UNALLOCATED", "" }, /* MRS, SBZ bits set */
};

#define N_VALID (sizeof(valid_cases) / sizeof(valid_cases[0]))
#define N_UNDEF (sizeof(undefined_cases) / sizeof(undefined_cases[0]))

/* ---- assembling the cases, once ----------------------------------------- */

static uint32_t valid_words[N_VALID];
static uint32_t undef_words[N_UNDEF];
static char assemble_error[4096];

static void write_source(FILE *f)
{
    fputs("\t.arm\n\t.syntax unified\n\t.fpu neon\n", f);
    for (size_t i = 0; i < N_VALID; i++)
        fprintf(f, "\t%s\n", valid_cases[i].text);
    for (size_t i = 0; i < N_UNDEF; i++)
        fprintf(f, "\t%s\n", undefined_cases[i].text);
}

/* Runs cmd; on failure keeps its output in assemble_error. */
static bool run_tool(const char *cmd)
{
    char out[2048];
    size_t n;
    FILE *p = popen(cmd, "r");

    if (!p) {
        snprintf(assemble_error, sizeof(assemble_error), "popen: %s", cmd);
        return false;
    }
    n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    if (pclose(p) != 0) {
        snprintf(assemble_error, sizeof(assemble_error), "%s failed:\n%s", cmd, out);
        return false;
    }
    return true;
}

static bool read_words(const char *bin)
{
    uint32_t all[N_VALID + N_UNDEF + 1];
    FILE *f = fopen(bin, "rb");
    size_t n;

    if (!f) {
        snprintf(assemble_error, sizeof(assemble_error), "cannot open %s", bin);
        return false;
    }
    n = fread(all, 4, N_VALID + N_UNDEF + 1, f);
    fclose(f);
    if (n != N_VALID + N_UNDEF) {
        snprintf(assemble_error, sizeof(assemble_error),
                 "%zu words for %zu cases: some case is not one instruction",
                 n, N_VALID + N_UNDEF);
        return false;
    }
    memcpy(valid_words, all, sizeof(valid_words)); /* host is little-endian */
    memcpy(undef_words, all + N_VALID, sizeof(undef_words));
    return true;
}

static void assemble_cases(void)
{
    char dir[] = "/tmp/test_arm_decode.XXXXXX";
    char path[256], cmd[1024];

    if (!mkdtemp(dir)) {
        snprintf(assemble_error, sizeof(assemble_error), "mkdtemp failed");
        return;
    }
    snprintf(path, sizeof(path), "%s/cases.s", dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(assemble_error, sizeof(assemble_error), "cannot write %s", path);
        return;
    }
    write_source(f);
    fclose(f);
    snprintf(cmd, sizeof(cmd),
             "arm-none-eabi-as -W -march=armv7-a -mcpu=cortex-a15 "
             "-o %s/cases.o %s/cases.s 2>&1 && "
             "arm-none-eabi-objcopy -O binary -j .text %s/cases.o %s/cases.bin 2>&1",
             dir, dir, dir, dir);
    snprintf(path, sizeof(path), "%s/cases.bin", dir);
    if (run_tool(cmd))
        read_words(path);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0 && !assemble_error[0])
        snprintf(assemble_error, sizeof(assemble_error), "cannot remove %s", dir);
}

/* ---- checking one case ---------------------------------------------------- */

/* Compares the decoded fields with "x=1 y=0x2"; writes the first
 * mismatch into why. */
static bool fields_match(const struct arm_insn *in, const char *spec,
                         char *why, size_t len)
{
    const char *p = spec;
    uint32_t mask, value;
    bool conditional;

    arm_line_bits(in->line, &mask, &value, &conditional);
    /* AL, or 1111 in the unconditional space; not checked for no line */
    unsigned long want_cond = in->line == A32_NO_LINE ? in->cond
                              : conditional ? 14 : 15;

    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char letter = p[0];
        char *end;
        unsigned long want = strtoul(p + 2, &end, 0);
        if (p[1] != '=' || end == p + 2) {
            snprintf(why, len, "bad field spec '%s'", spec);
            return false;
        }
        p = end;
        if (letter == 'c') {
            want_cond = want;
            continue;
        }
        if (!arm_has_field(in, letter)) {
            snprintf(why, len, "line has no field '%c'", letter);
            return false;
        }
        if (arm_field(in, letter) != want) {
            snprintf(why, len, "field %c = %#x, want %#lx", letter,
                     arm_field(in, letter), want);
            return false;
        }
    }
    if (in->cond != want_cond) {
        snprintf(why, len, "cond = %u, want %lu", in->cond, want_cond);
        return false;
    }
    return true;
}

static char first_failure[256];

static void check_case(const struct asm_case *c, uint32_t word,
                       bool want_defined, unsigned *failures)
{
    struct arm_insn in;
    char why[128] = "";
    bool defined = arm_decode(word, &in);
    const char *got = arm_insn_name(in.line);

    if (strcmp(got, c->line) != 0)
        snprintf(why, sizeof(why), "decoded as %s", got);
    else if (defined != want_defined)
        snprintf(why, sizeof(why), "arm_decode returned %d", defined);
    else
        fields_match(&in, c->fields, why, sizeof(why));
    if (why[0]) {
        fprintf(stderr, "  %-30s %08x  want %s: %s\n", c->text, word, c->line, why);
        if (!*failures)
            snprintf(first_failure, sizeof(first_failure), "'%s' (%08x), want %s: %s",
                     c->text, word, c->line, why);
        (*failures)++;
    }
}

/* ---- the tests ---------------------------------------------------------- */

START_TEST(assembler_gives_one_word_per_case)
{
    ck_assert_msg(assemble_error[0] == '\0', "%s", assemble_error);
}
END_TEST

START_TEST(every_case_decodes_to_its_line_and_fields)
{
    unsigned failures = 0;

    ck_assert_msg(assemble_error[0] == '\0', "%s", assemble_error);
    for (size_t i = 0; i < N_VALID; i++)
        check_case(&valid_cases[i], valid_words[i], true, &failures);
    ck_assert_msg(failures == 0, "%u of %zu cases decode wrongly (all on stderr); "
                  "first: %s", failures, N_VALID, first_failure);
}
END_TEST

START_TEST(undefined_encodings_are_rejected)
{
    unsigned failures = 0;

    ck_assert_msg(assemble_error[0] == '\0', "%s", assemble_error);
    for (size_t i = 0; i < N_UNDEF; i++)
        check_case(&undefined_cases[i], undef_words[i], false, &failures);
    ck_assert_msg(failures == 0, "%u of %zu UNDEFINED cases decode wrongly; "
                  "first: %s", failures, N_UNDEF, first_failure);
}
END_TEST

static bool line_has_case(const char *name)
{
    for (size_t i = 0; i < N_VALID; i++)
        if (strcmp(valid_cases[i].line, name) == 0)
            return true;
    for (size_t i = 0; i < N_UNDEF; i++)
        if (strcmp(undefined_cases[i].line, name) == 0)
            return true;
    return false;
}

START_TEST(every_line_has_a_test_encoding)
{
    char missing[2048] = "";
    size_t used = 0;

    for (int l = 0; l < A32_N_LINES; l++)
        if (!line_has_case(arm_insn_name(l)) && used < sizeof(missing) - 32)
            used += (size_t)snprintf(missing + used, sizeof(missing) - used,
                                     " %s", arm_insn_name(l));
    ck_assert_msg(used == 0, "lines without a test encoding:%s", missing);
}
END_TEST

/* Line a covers line b when every word b matches, a matches too. */
static bool covers(enum a32_line a, enum a32_line b)
{
    uint32_t ma, va, mb, vb;
    bool ca, cb;

    arm_line_bits(a, &ma, &va, &ca);
    arm_line_bits(b, &mb, &vb, &cb);
    if ((ma & ~mb) != 0 || (vb & ma) != va)
        return false;
    return !ca || cb; /* a conditional line never covers cond = 1111 */
}

START_TEST(no_line_is_shadowed_by_an_earlier_one)
{
    for (int b = 0; b < A32_N_LINES; b++)
        for (int a = 0; a < b; a++)
            ck_assert_msg(!covers(a, b), "%s is shadowed by the earlier %s",
                          arm_insn_name(b), arm_insn_name(a));
}
END_TEST

static enum a32_line first_match_by_scan(uint32_t insn)
{
    for (int l = 0; l < A32_N_LINES; l++) {
        uint32_t m, v;
        bool conditional;
        arm_line_bits(l, &m, &v, &conditional);
        if ((insn & m) == v && !(conditional && insn >> 28 == 0xf))
            return l;
    }
    return A32_NO_LINE;
}

static uint32_t next_random(uint64_t *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*state >> 32);
}

START_TEST(fast_path_agrees_with_a_table_scan)
{
    uint64_t state = 42;
    struct arm_insn in;

    for (int i = 0; i < 200000; i++) {
        uint32_t insn = next_random(&state);
        arm_decode(insn, &in);
        ck_assert_msg(in.line == first_match_by_scan(insn),
                      "%08x: fast path %s, table scan %s", insn,
                      arm_insn_name(in.line),
                      arm_insn_name(first_match_by_scan(insn)));
    }
}
END_TEST

/* Decodes per second over n words taken from next_word. */
static double decode_rate(uint32_t (*next_word)(uint64_t *), int n)
{
    uint64_t state = 7;
    struct arm_insn in;
    struct timespec t0, t1;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < n; i++)
        arm_decode(next_word(&state), &in);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    return n / s;
}

static uint32_t next_case_word(uint64_t *state)
{
    return valid_words[(*state)++ % N_VALID];
}

START_TEST(decode_rate_is_printed)
{
    struct arm_insn in;

    arm_decode(0, &in); /* build the matcher outside the timing */
    printf("arm_decode: %.1f M/s on the assembled cases, %.1f M/s on random words\n",
           decode_rate(next_case_word, 4000000) / 1e6,
           decode_rate(next_random, 4000000) / 1e6);
}
END_TEST

START_TEST(names_and_patterns_read_back)
{
    ck_assert_str_eq(arm_insn_name(A32_LDREX), "LDREX");
    ck_assert_str_eq(arm_insn_name(A32_NO_LINE), "UNALLOCATED");
    ck_assert_str_eq(arm_line_pattern(A32_LDREX),
                     "cccc_0001_1001_nnnn_tttt_1111_1001_1111");
    ck_assert(arm_line_is_undefined(A32_SWP));
    ck_assert(!arm_line_is_undefined(A32_LDREX));
}
END_TEST

static Suite *arm_decode_suite(void)
{
    Suite *s = suite_create("arm_decode");
    TCase *tc = tcase_create("decode");

    tcase_add_unchecked_fixture(tc, assemble_cases, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, assembler_gives_one_word_per_case);
    tcase_add_test(tc, every_case_decodes_to_its_line_and_fields);
    tcase_add_test(tc, undefined_encodings_are_rejected);
    tcase_add_test(tc, every_line_has_a_test_encoding);
    tcase_add_test(tc, no_line_is_shadowed_by_an_earlier_one);
    tcase_add_test(tc, fast_path_agrees_with_a_table_scan);
    tcase_add_test(tc, decode_rate_is_printed);
    tcase_add_test(tc, names_and_patterns_read_back);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(arm_decode_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
