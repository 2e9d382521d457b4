/*
 * devtree.h — the flattened device tree strex-emu hands to the guest.
 *
 * The tree describes the virt board as QEMU 7.2 does, with QEMU's node
 * names and compatibles (shared/machine-contract.md §3.4), so a guest
 * that looks up /psci, /cpus, the GIC, the timer or the UART finds them on
 * both. Devices strex-emu does not model are left out rather than
 * described falsely; docs/design/board.md lists them. The blob is padded
 * to 1 MiB (totalsize), as QEMU's is.
 */
#ifndef EMU_DEVTREE_H
#define EMU_DEVTREE_H

#include "emu/emu_cmdline.h"

#include <stddef.h>

#define EMU_DTB_SIZE (1u << 20)

/* Builds the tree for cfg (smp, ram_size, append) into buf, which must hold
 * EMU_DTB_SIZE bytes. 0, or -1 with one line in err (an -append text too
 * long for the blob is the only way to get there). */
int emu_devtree_build(const struct emu_config *cfg, void *buf, size_t bufsize,
                      char *err, size_t errlen);

#endif
