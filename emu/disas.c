/*
 * disas.c — A32 disassembly for -d in_asm, through capstone. A word
 * capstone does not know is printed as ".word". (capstone's headers name
 * an enum arm_insn, so this file cannot include arm/decode.h.)
 */
#include "emu/disas.h"

#include <capstone/capstone.h>
#include <string.h>

void emu_disas_log(FILE *f, uint32_t pc, const uint8_t *code, uint32_t size)
{
    csh handle;
    bool have_cs = cs_open(CS_ARCH_ARM, CS_MODE_ARM, &handle) == CS_ERR_OK;
    fprintf(f, "----------------\nIN:\n");
    for (uint32_t off = 0; off + 4 <= size; off += 4) {
        uint32_t word;
        memcpy(&word, code + off, 4);
        cs_insn *insn = NULL;
        size_t n = have_cs ? cs_disasm(handle, code + off, 4, pc + off, 1, &insn) : 0;
        if (n == 1) {
            fprintf(f, "0x%08x:  %08x  %s %s\n", pc + off, word, insn->mnemonic, insn->op_str);
        } else {
            fprintf(f, "0x%08x:  %08x  .word 0x%08x\n", pc + off, word, word);
        }
        if (insn != NULL)
            cs_free(insn, n);
    }
    fputc('\n', f);
    if (have_cs)
        cs_close(&handle);
}
