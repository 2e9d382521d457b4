/*
 * uart.c — polled PL011 output.
 *
 * The emulators behind the suite have no baud rate to honour, so init only
 * enables the UART (UARTEN | TXE | RXE); output polls FR.TXFF before each
 * byte, which is what a real PL011 needs and costs nothing on an emulator.
 */
#include "uart.h"

#include <stdint.h>

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_CR 0x30
#define UART_FR_TXFF (1u << 5)
#define UART_CR_ENABLE 0x301u

static inline volatile uint32_t *uart_reg(unsigned off)
{
    return (volatile uint32_t *)(UART_BASE + off);
}

void uart_init(void)
{
    *uart_reg(UART_CR) = UART_CR_ENABLE;
}

void uart_putc(char c)
{
    while (*uart_reg(UART_FR) & UART_FR_TXFF)
        ;
    *uart_reg(UART_DR) = (uint32_t)(unsigned char)c;
}

void uart_write(const char *s, unsigned long n)
{
    for (unsigned long i = 0; i < n; i++) {
        if (s[i] == '\n')
            uart_putc('\r');
        uart_putc(s[i]);
    }
}
