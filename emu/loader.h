/*
 * loader.h — putting the -kernel image into guest RAM, as QEMU 7.2 does.
 *
 * Two kinds of image (shared/machine-contract.md §2, §2b):
 *  - ELF32 little-endian ARM executables: each PT_LOAD segment is copied to
 *    its physical address (p_paddr), the rest of memsz zeroed; the CPU
 *    starts at e_entry with every register 0 and no DTB pointer.
 *  - anything else is a raw image: copied to RAM base + 64 KiB, after a
 *    small boot stub at RAM base that sets r0 = 0, r1 = 0xffffffff,
 *    r2 = the DTB address and jumps to the image.
 * The loader decides where the device tree goes (flash at 0, RAM, or
 * nowhere, following what QEMU was measured to do) and says so in
 * struct emu_image; writing the blob is the caller's job. Every problem
 * with the file is one line in err, never an exit.
 */
#ifndef EMU_LOADER_H
#define EMU_LOADER_H

#include <stddef.h>
#include <stdint.h>

#define EMU_RAM_BASE        0x40000000u
#define EMU_FLASH_SIZE      0x04000000u  /* flash0 at 0: where the DTB may go */
#define EMU_RAW_LOAD_OFFSET 0x00010000u  /* raw image at RAM base + 64 KiB */
#define EMU_BOOT_CPSR       0x400001d3u  /* SVC, A/I/F masked, Z set */
#define EMU_BOOT_STUB_WORDS 6

enum emu_image_kind { EMU_IMAGE_ELF, EMU_IMAGE_RAW };

enum emu_dtb_place {
    EMU_DTB_NONE,   /* QEMU puts it nowhere: an ELF leaving less than the DTB below it */
    EMU_DTB_FLASH,  /* at 0, in flash0 (an ELF starting at RAM base) */
    EMU_DTB_RAM,    /* at dtb_addr in RAM */
};

struct emu_image {
    enum emu_image_kind kind;
    uint32_t reset_pc;      /* where the primary CPU starts: e_entry, or the stub */
    uint32_t kernel_entry;  /* where the image itself starts: e_entry, or RAM base + 64 KiB */
    uint32_t regs[3];       /* r0-r2 on reaching kernel_entry (the stub sets them) */
    uint32_t cpsr;          /* EMU_BOOT_CPSR */
    uint32_t image_low;     /* lowest loaded address */
    uint64_t image_high;    /* one past the highest (may be 4 GiB): semihosting's heap base */
    enum emu_dtb_place dtb_place;
    uint32_t dtb_addr;      /* guest physical; 0 for EMU_DTB_FLASH and NONE */
};

/* Guest RAM as the loader sees it: host bytes for [EMU_RAM_BASE, +size). */
struct emu_ram {
    uint8_t *host;
    uint64_t size;
};

/* Loads the file at path. dtb_size is the blob's totalsize (1 MiB for the
 * virt board) so the loader can place it. 0, or -1 with one line in err. */
int emu_load_kernel(const char *path, const struct emu_ram *ram, uint32_t dtb_size,
                    struct emu_image *img, char *err, size_t errlen);

/* The same for an image already in memory; name is used in messages. */
int emu_load_kernel_bytes(const char *name, const uint8_t *data, size_t len,
                          const struct emu_ram *ram, uint32_t dtb_size,
                          struct emu_image *img, char *err, size_t errlen);

/* The raw-image boot stub: mov r0,#0; mvn r1,#0; ldr r2,[pc]; ldr pc,[pc];
 * .word dtb; .word entry. Real A32, little-endian words. */
void emu_boot_stub(uint32_t dtb_addr, uint32_t entry, uint32_t words[EMU_BOOT_STUB_WORDS]);

#endif
