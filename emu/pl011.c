/*
 * pl011.c — the PL011 UART's registers (see pl011.h).
 *
 * There is no FIFO and no baud-rate timing: a transmitted byte is written
 * and flushed before the DR write returns, so the guest can never see the
 * transmitter busy or full. The registers that only configure the line
 * (IBRD, FBRD, LCR_H, CR, IFLS, DMACR, ILPR) are stored as written, all 32
 * bits, because that is what QEMU 7.2 reads back (measured: a write of
 * 0xffffffff to FBRD reads back 0xffffffff, not the 6-bit field).
 *
 * Callers hold the device lock.
 */
#include "emu/pl011.h"

#include "util/fatal.h"

#include <stdlib.h>

/* Reset values. FR and IFLS were read on QEMU before any write; CR's reset
 * value (UARTEN clear, TXE|RXE set) is QEMU's, the runtime overwrites it. */
#define FR_IDLE    (PL011_FR_TXFE | PL011_FR_RXFE)
#define CR_RESET   0x300u
#define IFLS_RESET 0x12u

/* PeriphID0..3 then PCellID0..3 at 0xfe0..0xffc (contract §3.3; the
 * CellIDs measured on QEMU 7.2). */
static const uint8_t pl011_ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

struct pl011 {
    FILE *out;
    FILE *guest_errors;
    uint32_t rsr, ilpr, ibrd, fbrd, lcr_h, cr, ifls, dmacr;
    uint32_t imsc;      /* interrupt mask: 1 = enabled */
    uint32_t ris;       /* raw interrupt status */
};

struct pl011 *pl011_new(FILE *out)
{
    struct pl011 *uart = xcalloc(1, sizeof(*uart));

    uart->out = out;
    uart->cr = CR_RESET;
    uart->ifls = IFLS_RESET;
    return uart;
}

void pl011_free(struct pl011 *uart)
{
    free(uart);
}

void pl011_set_guest_errors(struct pl011 *uart, FILE *log)
{
    uart->guest_errors = log;
}

static void bad_offset(const struct pl011 *uart, const char *what, uint32_t offset)
{
    if (uart->guest_errors)
        fprintf(uart->guest_errors, "%s: Bad offset 0x%x\n", what, offset);
}

static void transmit(struct pl011 *uart, uint32_t value)
{
    if (uart->out) {
        fputc((int)(value & 0xff), uart->out);
        fflush(uart->out);
    }
    uart->ris |= PL011_INT_TX;
}

uint32_t pl011_read(struct pl011 *uart, uint32_t offset, unsigned size)
{
    (void)size;
    offset &= 0xffcu;
    if (offset >= 0xfe0)
        return pl011_ids[(offset - 0xfe0) / 4];
    switch (offset) {
    case PL011_DR:    return 0;          /* nothing is ever received */
    case PL011_RSR:   return uart->rsr;
    case PL011_FR:    return FR_IDLE;
    case PL011_ILPR:  return uart->ilpr;
    case PL011_IBRD:  return uart->ibrd;
    case PL011_FBRD:  return uart->fbrd;
    case PL011_LCR_H: return uart->lcr_h;
    case PL011_CR:    return uart->cr;
    case PL011_IFLS:  return uart->ifls;
    case PL011_IMSC:  return uart->imsc;
    case PL011_RIS:   return uart->ris;
    case PL011_MIS:   return uart->ris & uart->imsc;
    case PL011_DMACR: return uart->dmacr;
    default:                             /* ICR is write-only */
        bad_offset(uart, "pl011_read", offset);
        return 0;
    }
}

void pl011_write(struct pl011 *uart, uint32_t offset, unsigned size, uint32_t value)
{
    (void)size;
    offset &= 0xffcu;
    switch (offset) {
    case PL011_DR:    transmit(uart, value); break;
    case PL011_RSR:   uart->rsr = 0; break;  /* ECR: any write clears the errors */
    case PL011_FR:    break;                 /* read-only; QEMU ignores it silently */
    case PL011_ILPR:  uart->ilpr = value; break;
    case PL011_IBRD:  uart->ibrd = value; break;
    case PL011_FBRD:  uart->fbrd = value; break;
    case PL011_LCR_H: uart->lcr_h = value; break;
    case PL011_CR:    uart->cr = value; break;
    case PL011_IFLS:  uart->ifls = value; break;
    case PL011_IMSC:  uart->imsc = value; break;
    case PL011_ICR:   uart->ris &= ~value; break;
    case PL011_DMACR: uart->dmacr = value; break;
    default:
        bad_offset(uart, "pl011_write", offset);
        break;
    }
}

bool pl011_irq_level(const struct pl011 *uart)
{
    return (uart->ris & uart->imsc) != 0;
}
