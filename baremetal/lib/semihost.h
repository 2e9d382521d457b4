/*
 * semihost.h — ARM semihosting calls (SVC 0x123456 in A32).
 *
 * Needs the emulator's -semihosting. Without it the SVC reaches the guest's
 * vector, and the runtime says so and powers off through PSCI.
 */
#ifndef SEMIHOST_H
#define SEMIHOST_H

#include <stdint.h>

#define SEMI_WRITE0 0x04
#define SEMI_CLOCK 0x10
#define SEMI_TIME 0x11
#define SEMI_GET_CMDLINE 0x15
#define SEMI_EXIT 0x18
#define SEMI_EXIT_EXTENDED 0x20
#define SEMI_ELAPSED 0x30
#define SEMI_TICKFREQ 0x31

#define SEMI_APPLICATION_EXIT 0x20026
#define SEMI_SVC_IMM 0x123456

uint32_t semi_call(uint32_t op, uint32_t arg);
void semi_write0(const char *s);
/* Fills buf with "<kernel path> <append text>"; 0 on success. */
int semi_get_cmdline(char *buf, uint32_t len);
/* Centiseconds of the host process's CPU time (QEMU's definition). */
uint32_t semi_clock(void);
_Noreturn void semi_exit(int code);

#endif
