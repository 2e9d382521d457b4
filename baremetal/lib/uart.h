/*
 * uart.h — the PL011 UART0 of the virt board (0x09000000), transmit only.
 */
#ifndef UART_H
#define UART_H

#define UART_BASE 0x09000000u

void uart_init(void);
void uart_putc(char c);
void uart_write(const char *s, unsigned long n);

#endif
