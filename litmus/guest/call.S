/*
 * call.S — lrt_call(regs, code): run one litmus thread's code once.
 *
 * The test code is position-independent A32 that may use all of r0-r12
 * and ends with BX LR (litmus/desc.h). So this trampoline saves the
 * callee-saved registers, keeps the table pointer and the code address on
 * the stack, loads r0-r12 from the table and jumps with LR set to the
 * return point. On return no register is free: r12 goes to the stack
 * first, the table pointer is reloaded from the stack, r0-r11 are stored
 * with one STM and the saved r12 last. The code must leave SP alone.
 *
 * Stack while the code runs (full descending):
 *     [sp]      regs (the table)
 *     [sp, #4]  code
 *     [sp, #8]  r4-r11, lr of the caller
 */
    .syntax unified
    .arm
    .text
    .balign 4
    .global lrt_call
    .type lrt_call, %function
lrt_call:
    push {r4-r11, lr}
    push {r0, r1}
    ldm r0, {r0-r12}            @ the base is in the list, no writeback: allowed
    adr lr, 1f
    ldr pc, [sp, #4]            @ ARM state: code addresses are word aligned
1:  push {r12}                  @ now regs is at [sp, #4]
    ldr r12, [sp, #4]
    stm r12, {r0-r11}
    pop {r0}
    str r0, [r12, #48]          @ regs[12]
    add sp, sp, #8              @ drop regs and code
    pop {r4-r11, pc}
    .size lrt_call, . - lrt_call
