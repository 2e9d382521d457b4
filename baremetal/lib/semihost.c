/*
 * semihost.c — the semihosting trap and the calls the runtime uses.
 *
 * The SVC is taken in SVC mode, so lr_svc would be overwritten if the
 * emulator delivered it as a real exception; it is listed as clobbered.
 */
#include "semihost.h"

#include "rt.h"

uint32_t semi_call(uint32_t op, uint32_t arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register uint32_t r1 __asm__("r1") = arg;

    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory", "lr");
    return r0;
}

void semi_write0(const char *s)
{
    semi_call(SEMI_WRITE0, (uint32_t)s);
}

int semi_get_cmdline(char *buf, uint32_t len)
{
    uint32_t block[2] = { (uint32_t)buf, len };

    if (semi_call(SEMI_GET_CMDLINE, (uint32_t)block) != 0)
        return -1;
    buf[len - 1] = '\0';
    return 0;
}

uint32_t semi_clock(void)
{
    return semi_call(SEMI_CLOCK, 0);
}

void semi_exit(int code)
{
    uint32_t block[2] = { SEMI_APPLICATION_EXIT, (uint32_t)code };

    semi_call(SEMI_EXIT_EXTENDED, (uint32_t)block);
    for (;;)
        __asm__ volatile("wfi");
}
