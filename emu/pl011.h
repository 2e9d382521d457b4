/*
 * pl011.h — the virt board's UART0 (ARM PrimeCell PL011), transmit side.
 *
 * Registers as QEMU 7.2 shows them to a guest (machine-contract.md §3.3,
 * measured values in docs/design/devices.md): a write to DR sends the byte
 * to `out` at once (and flushes it), so FR always reads TXFE | RXFE with
 * BUSY and TXFF clear. Nothing is ever received: RXFE stays set and DR
 * reads 0. The interrupt logic is QEMU's: a DR write raises the TX
 * interrupt in RIS, ICR clears RIS bits, and the one output line
 * (UARTINTR, SPI 1 on the board) is RIS & IMSC.
 *
 * The board maps the 4 KiB window at 0x09000000 and passes offsets within
 * it. Callers hold the device lock; the module takes no lock itself.
 */
#ifndef EMU_PL011_H
#define EMU_PL011_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct pl011;

/* out: where transmitted bytes go (the board passes stdout). */
struct pl011 *pl011_new(FILE *out);
void pl011_free(struct pl011 *uart);

/* -d guest_errors: where reads and writes of unknown offsets are reported,
 * one line each ("pl011_read: Bad offset 0x1c", as QEMU says). NULL (the
 * default): nowhere. */
void pl011_set_guest_errors(struct pl011 *uart, FILE *log);

/* size is 1, 2 or 4 bytes; the PL011's registers are 32 bits wide and an
 * access of any size reads or writes the register at offset & ~3. */
uint32_t pl011_read(struct pl011 *uart, uint32_t offset, unsigned size);
void pl011_write(struct pl011 *uart, uint32_t offset, unsigned size, uint32_t value);

/* The combined interrupt output (UARTINTR): true while RIS & IMSC != 0. */
bool pl011_irq_level(const struct pl011 *uart);

/* Register offsets and bits a board or test may name. */
#define PL011_DR    0x000
#define PL011_RSR   0x004   /* RSR on read, ECR on write */
#define PL011_FR    0x018
#define PL011_ILPR  0x020
#define PL011_IBRD  0x024
#define PL011_FBRD  0x028
#define PL011_LCR_H 0x02c
#define PL011_CR    0x030
#define PL011_IFLS  0x034
#define PL011_IMSC  0x038
#define PL011_RIS   0x03c
#define PL011_MIS   0x040
#define PL011_ICR   0x044
#define PL011_DMACR 0x048

#define PL011_FR_TXFE (1u << 7)
#define PL011_FR_RXFF (1u << 6)
#define PL011_FR_TXFF (1u << 5)
#define PL011_FR_RXFE (1u << 4)
#define PL011_FR_BUSY (1u << 3)

#define PL011_INT_TX  (1u << 5)
#define PL011_INT_ALL 0x7ffu

#endif
