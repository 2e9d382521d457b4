/*
 * start.S — reset, secondary entry, exception vectors.
 *
 * _start is both the ELF entry point and the vector table (VBAR points
 * here; it is 32-byte aligned at RAM base). Each CPU, primary or secondary,
 * runs setup_cpu: VBAR, then a stack for every mode in its own 64 KiB slice
 * of .stacks, indexed by MPIDR (Aff1 * 8 + Aff0). Only the primary clears
 * BSS. Exception entries save r0-r12, lr and the SRS pair (return address,
 * SPSR) on the mode's stack, call rt_exception(frame, type) and return with
 * RFE, so a C handler can change any saved register or the return address.
 */
#define MODE_FIQ 0x11
#define MODE_IRQ 0x12
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_UND 0x1b
#define MODE_SYS 0x1f

#define RT_MAX_CPUS 16
#define STACK_SHIFT 16          /* 64 KiB per CPU */

    .syntax unified
    .arm
    .section .vectors, "ax"
    .balign 32
    .global _start
_start:
    b   reset
    b   vec_undef
    b   vec_svc
    b   vec_pabt
    b   vec_dabt
    b   vec_unused
    b   vec_irq
    b   vec_fiq

reset:
    bl  setup_cpu
    ldr r0, =__bss_start
    ldr r1, =__bss_end
    mov r2, #0
1:  cmp r0, r1
    strlo r2, [r0], #4
    blo 1b
    dsb ish
    bl  rt_main
    b   rt_park

/* PSCI CPU_ON entry: r0 = context (the CPU index the runtime passed). */
    .global rt_secondary_entry
rt_secondary_entry:
    mov r5, r0
    bl  setup_cpu
    mov r0, r5
    bl  rt_secondary_main
    b   rt_park

/* VBAR and one stack per mode. Uses r0-r3 only; no stack yet. */
setup_cpu:
    mov r3, lr
    ldr r0, =_start
    mcr p15, 0, r0, c12, c0, 0          @ VBAR
    mrc p15, 0, r0, c0, c0, 5           @ MPIDR
    and r1, r0, #0xff                   @ Aff0
    ubfx r2, r0, #8, #8                 @ Aff1
    add r1, r1, r2, lsl #3
    cmp r1, #RT_MAX_CPUS
    bhs rt_park
    ldr r2, =__stacks_start
    add r2, r2, r1, lsl #STACK_SHIFT
    cps #MODE_FIQ
    add sp, r2, #0x1000
    cps #MODE_UND
    add sp, r2, #0x2000
    cps #MODE_ABT
    add sp, r2, #0x3000
    cps #MODE_IRQ
    add sp, r2, #0x5000
    cps #MODE_SYS
    add sp, r2, #0x8000
    cps #MODE_SVC
    add sp, r2, #0x10000
    isb
    bx  r3

/* A CPU with nothing left to do (or one the runtime cannot serve). */
    .global rt_park
rt_park:
    wfi
    b   rt_park

.macro EXC_ENTRY mode, type, adjust
    .if \adjust
    sub lr, lr, #\adjust
    .endif
    srsdb sp!, #\mode
    push {r0-r12, lr}
    mov r0, sp
    mov r1, #\type
    bl  rt_exception
    pop {r0-r12, lr}
    rfeia sp!
.endm

vec_undef:  EXC_ENTRY MODE_UND, 0, 0
vec_svc:    EXC_ENTRY MODE_SVC, 1, 0
vec_pabt:   EXC_ENTRY MODE_ABT, 2, 4
vec_dabt:   EXC_ENTRY MODE_ABT, 3, 8
vec_irq:    EXC_ENTRY MODE_IRQ, 4, 4
vec_fiq:    EXC_ENTRY MODE_FIQ, 5, 4
/* The hypervisor-trap slot is never taken at PL1. */
vec_unused: b rt_park
