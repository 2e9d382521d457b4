/*
 * loader.c — ELF32 and raw images into guest RAM, and where the DTB goes.
 *
 * The whole file is read into memory first; an image is checked completely
 * (header, every program header, every segment against the file and RAM)
 * before one byte of guest RAM is written, so a refused image leaves RAM
 * as it was. Fields are read as little-endian bytes at the offsets of
 * <elf.h>'s structures, so the loader does not depend on the host's byte
 * order or alignment.
 *
 * Placement rules, measured on QEMU 7.2 (docs/design/board.md):
 *  - ELF whose lowest segment is at RAM base: DTB at 0 (flash0).
 *  - ELF starting at least dtb_size above RAM base: DTB at RAM base.
 *  - ELF starting less than that above RAM base: no DTB at all.
 *  - raw image: DTB at RAM base + min(RAM/2, 128 MiB), or just after the
 *    image if the image reaches past that, aligned up to 4 KiB.
 * Segments outside RAM, flash included, are refused: strex-emu does not
 * load into flash (QEMU would, as ROM).
 */
#include "emu/loader.h"

#include "util/fatal.h"

#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAW_DTB_MAX_OFFSET (128u * 1024 * 1024)
#define DTB_ALIGN          4096u
/* More than any image that fits in RAM plus its symbols; stops /dev/zero. */
#define MAX_KERNEL_FILE    (4ull << 30)

/* One PT_LOAD segment, as the checks and the copy need it. */
struct segment {
    uint32_t offset, paddr, filesz, memsz;
};

static uint32_t le16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
    return le16(p) | le16(p + 2) << 16;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

#define EHDR(data, field) ((data) + offsetof(Elf32_Ehdr, field))
#define PHDR(ph, field)   ((ph) + offsetof(Elf32_Phdr, field))

static uint64_t ram_end(const struct emu_ram *ram)
{
    return (uint64_t)EMU_RAM_BASE + ram->size;
}

void emu_boot_stub(uint32_t dtb_addr, uint32_t entry, uint32_t words[EMU_BOOT_STUB_WORDS])
{
    words[0] = 0xe3a00000; /* mov r0, #0 */
    words[1] = 0xe3e01000; /* mvn r1, #0          r1 = 0xffffffff */
    words[2] = 0xe59f2000; /* ldr r2, [pc, #0]    word 4 (pc reads +8) */
    words[3] = 0xe59ff000; /* ldr pc, [pc, #0]    word 5 */
    words[4] = dtb_addr;
    words[5] = entry;
}

/* ---- the ELF header ------------------------------------------------------- */

static int elf_check_ident(const char *name, const uint8_t *d, size_t len,
                           char *err, size_t errlen)
{
    if (len < sizeof(Elf32_Ehdr)) {
        snprintf(err, errlen, "kernel '%s': truncated ELF header (%zu bytes)", name, len);
        return -1;
    }
    if (d[EI_CLASS] != ELFCLASS32) {
        snprintf(err, errlen, "kernel '%s': not a 32-bit ELF file (%s)", name,
                 d[EI_CLASS] == ELFCLASS64 ? "ELFCLASS64" : "bad EI_CLASS");
        return -1;
    }
    if (d[EI_DATA] != ELFDATA2LSB) {
        snprintf(err, errlen, "kernel '%s': %s ELF file (strex-emu runs little-endian images)",
                 name, d[EI_DATA] == ELFDATA2MSB ? "big-endian" : "bad EI_DATA in");
        return -1;
    }
    return 0;
}

static int elf_check_header(const char *name, const uint8_t *d, size_t len,
                            char *err, size_t errlen)
{
    uint32_t machine, type, phentsize;
    uint64_t phend;

    if (elf_check_ident(name, d, len, err, errlen) != 0)
        return -1;
    machine = le16(EHDR(d, e_machine));
    type = le16(EHDR(d, e_type));
    phentsize = le16(EHDR(d, e_phentsize));
    phend = (uint64_t)le32(EHDR(d, e_phoff)) + (uint64_t)le16(EHDR(d, e_phnum)) * phentsize;
    if (machine != EM_ARM)
        snprintf(err, errlen, "kernel '%s': ELF machine %u is not ARM (%u)", name, machine, EM_ARM);
    else if (type != ET_EXEC)
        snprintf(err, errlen, "kernel '%s': ELF type %u is not an executable (ET_EXEC)",
                 name, type);
    else if (phentsize != sizeof(Elf32_Phdr))
        snprintf(err, errlen, "kernel '%s': program header size %u, expected %zu", name,
                 phentsize, sizeof(Elf32_Phdr));
    else if (phend > len)
        snprintf(err, errlen, "kernel '%s': program headers lie outside the file "
                 "(truncated ELF?)", name);
    else
        return 0;
    return -1;
}

/* ---- segments -------------------------------------------------------------- */

static int segment_check(const char *name, unsigned i, const struct segment *s, size_t len,
                         const struct emu_ram *ram, char *err, size_t errlen)
{
    uint64_t end = (uint64_t)s->paddr + s->memsz;

    if ((uint64_t)s->offset + s->filesz > len) {
        snprintf(err, errlen, "kernel '%s': segment %u data lies outside the file "
                 "(truncated ELF?)", name, i);
        return -1;
    }
    if (s->filesz > s->memsz) {
        snprintf(err, errlen, "kernel '%s': segment %u has p_filesz 0x%x above p_memsz 0x%x",
                 name, i, s->filesz, s->memsz);
        return -1;
    }
    if (s->paddr < EMU_RAM_BASE || end > ram_end(ram)) {
        snprintf(err, errlen, "kernel '%s': segment %u at 0x%08x-0x%08llx is outside RAM "
                 "(0x%08x-0x%08llx)%s", name, i, s->paddr, (unsigned long long)end - 1,
                 EMU_RAM_BASE, (unsigned long long)ram_end(ram) - 1,
                 end <= EMU_FLASH_SIZE ? "; loading into flash is not supported" : "");
        return -1;
    }
    return 0;
}

static bool segments_overlap(const struct segment *a, const struct segment *b)
{
    return a->paddr < (uint64_t)b->paddr + b->memsz && b->paddr < (uint64_t)a->paddr + a->memsz;
}

/* The PT_LOAD segments with something to load, checked; *n may be 0. */
static int elf_segments(const char *name, const uint8_t *d, size_t len,
                        const struct emu_ram *ram, struct segment **out, unsigned *n,
                        char *err, size_t errlen)
{
    unsigned phnum = le16(EHDR(d, e_phnum));
    const uint8_t *ph = d + le32(EHDR(d, e_phoff));
    struct segment *segs = xcalloc(phnum ? phnum : 1, sizeof(*segs));
    unsigned k = 0;

    for (unsigned i = 0; i < phnum; i++, ph += sizeof(Elf32_Phdr)) {
        struct segment s = { le32(PHDR(ph, p_offset)), le32(PHDR(ph, p_paddr)),
                             le32(PHDR(ph, p_filesz)), le32(PHDR(ph, p_memsz)) };

        if (le32(PHDR(ph, p_type)) != PT_LOAD || s.memsz == 0)
            continue;
        if (segment_check(name, i, &s, len, ram, err, errlen) != 0)
            goto fail;
        for (unsigned j = 0; j < k; j++) {
            if (segments_overlap(&segs[j], &s)) {
                snprintf(err, errlen, "kernel '%s': two segments overlap at 0x%08x", name,
                         s.paddr > segs[j].paddr ? s.paddr : segs[j].paddr);
                goto fail;
            }
        }
        segs[k++] = s;
    }
    *out = segs;
    *n = k;
    return 0;
fail:
    free(segs);
    return -1;
}

/* QEMU's placement for an ELF, measured (contract §2 and board.md). */
static void elf_place_dtb(struct emu_image *img, uint32_t dtb_size)
{
    if (img->image_low == EMU_RAM_BASE) {
        img->dtb_place = EMU_DTB_FLASH;
        img->dtb_addr = 0;
    } else if (img->image_low - EMU_RAM_BASE >= dtb_size) {
        img->dtb_place = EMU_DTB_RAM;
        img->dtb_addr = EMU_RAM_BASE;
    } else {
        img->dtb_place = EMU_DTB_NONE;
        img->dtb_addr = 0;
    }
}

static int elf_load(const char *name, const uint8_t *d, size_t len, const struct emu_ram *ram,
                    uint32_t dtb_size, struct emu_image *img, char *err, size_t errlen)
{
    struct segment *segs;
    unsigned n;

    if (elf_check_header(name, d, len, err, errlen) != 0 ||
        elf_segments(name, d, len, ram, &segs, &n, err, errlen) != 0)
        return -1;
    if (n == 0) {
        free(segs);
        snprintf(err, errlen, "kernel '%s': no PT_LOAD segment to load", name);
        return -1;
    }
    img->image_low = UINT32_MAX;
    for (unsigned i = 0; i < n; i++) {
        uint8_t *dst = ram->host + (segs[i].paddr - EMU_RAM_BASE);
        uint64_t end = (uint64_t)segs[i].paddr + segs[i].memsz;

        memcpy(dst, d + segs[i].offset, segs[i].filesz);
        memset(dst + segs[i].filesz, 0, segs[i].memsz - segs[i].filesz);
        if (segs[i].paddr < img->image_low)
            img->image_low = segs[i].paddr;
        if (end > img->image_high)
            img->image_high = end;
    }
    free(segs);
    img->kind = EMU_IMAGE_ELF;
    img->reset_pc = img->kernel_entry = le32(EHDR(d, e_entry));
    elf_place_dtb(img, dtb_size);
    return 0;
}

/* ---- raw images ------------------------------------------------------------ */

static int raw_load(const char *name, const uint8_t *d, size_t len, const struct emu_ram *ram,
                    uint32_t dtb_size, struct emu_image *img, char *err, size_t errlen)
{
    uint64_t load = EMU_RAM_BASE + EMU_RAW_LOAD_OFFSET, dtb;
    uint64_t half = ram->size / 2;
    uint32_t stub[EMU_BOOT_STUB_WORDS];

    if (len == 0) {
        snprintf(err, errlen, "kernel '%s' is empty", name);
        return -1;
    }
    if (EMU_RAW_LOAD_OFFSET + (uint64_t)len > ram->size) {
        snprintf(err, errlen, "kernel '%s' is too large to fit in RAM (kernel size %zu, "
                 "RAM size %llu)", name, len, (unsigned long long)ram->size);
        return -1;
    }
    dtb = EMU_RAM_BASE + (half < RAW_DTB_MAX_OFFSET ? half : RAW_DTB_MAX_OFFSET);
    if (load + len > dtb)
        dtb = load + len;
    dtb = (dtb + DTB_ALIGN - 1) & ~(uint64_t)(DTB_ALIGN - 1);
    if (dtb + dtb_size > ram_end(ram)) {
        snprintf(err, errlen, "kernel '%s' leaves no room for the device tree (%u bytes at "
                 "0x%08llx, RAM ends at 0x%08llx)", name, dtb_size, (unsigned long long)dtb,
                 (unsigned long long)ram_end(ram));
        return -1;
    }
    emu_boot_stub((uint32_t)dtb, (uint32_t)load, stub);
    for (int i = 0; i < EMU_BOOT_STUB_WORDS; i++)
        put_le32(ram->host + 4 * i, stub[i]);
    memcpy(ram->host + EMU_RAW_LOAD_OFFSET, d, len);
    img->kind = EMU_IMAGE_RAW;
    img->reset_pc = EMU_RAM_BASE;
    img->kernel_entry = (uint32_t)load;
    img->regs[1] = 0xffffffff;
    img->regs[2] = (uint32_t)dtb;
    img->image_low = (uint32_t)load;
    img->image_high = load + len;
    img->dtb_place = EMU_DTB_RAM;
    img->dtb_addr = (uint32_t)dtb;
    return 0;
}

int emu_load_kernel_bytes(const char *name, const uint8_t *data, size_t len,
                          const struct emu_ram *ram, uint32_t dtb_size,
                          struct emu_image *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof(*img));
    img->cpsr = EMU_BOOT_CPSR;
    if (len >= SELFMAG && memcmp(data, ELFMAG, SELFMAG) == 0)
        return elf_load(name, data, len, ram, dtb_size, img, err, errlen);
    return raw_load(name, data, len, ram, dtb_size, img, err, errlen);
}

/* ---- files ------------------------------------------------------------------ */

static int read_file(const char *path, uint8_t **data, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf;

    if (!f) {
        snprintf(err, errlen, "could not load kernel '%s': %s", path, strerror(errno));
        return -1;
    }
    buf = xmalloc(cap);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);

        n += got;
        if (n < cap)
            break;
        if (cap >= MAX_KERNEL_FILE) {
            snprintf(err, errlen, "kernel '%s' is larger than 4 GiB", path);
            fclose(f);
            free(buf);
            return -1;
        }
        cap *= 2;
        buf = xrealloc(buf, cap);
    }
    if (ferror(f)) {
        snprintf(err, errlen, "could not read kernel '%s': %s", path, strerror(errno));
        fclose(f);
        free(buf);
        return -1;
    }
    fclose(f);
    *data = buf;
    *len = n;
    return 0;
}

int emu_load_kernel(const char *path, const struct emu_ram *ram, uint32_t dtb_size,
                    struct emu_image *img, char *err, size_t errlen)
{
    uint8_t *data;
    size_t len;
    int rc;

    if (read_file(path, &data, &len, err, errlen) != 0)
        return -1;
    rc = emu_load_kernel_bytes(path, data, len, ram, dtb_size, img, err, errlen);
    free(data);
    return rc;
}
