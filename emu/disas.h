/*
 * disas.h — -d in_asm: the guest instructions of a TB, disassembled with
 * capstone, in QEMU's layout ("0x40000010:  e3a00001  mov r0, #1").
 */
#ifndef EMU_DISAS_H
#define EMU_DISAS_H

#include <stdint.h>
#include <stdio.h>

/* Writes the size bytes of A32 code at guest address pc, one line each. */
void emu_disas_log(FILE *f, uint32_t pc, const uint8_t *code, uint32_t size);

#endif
