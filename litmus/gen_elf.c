/*
 * gen_elf.c — writing a descriptor into a copy of the guest runtime's ELF.
 *
 * The runtime (build/litmus/litmus-rt.elf) keeps a zero-filled struct
 * litmus_desc in its own PROGBITS section, `.litmus_desc`, inside the one
 * loadable segment; overwriting the section's bytes in the file is all it
 * takes (docs/litmus-runtime.md). The section moves as the runtime's code
 * grows, so it is found by name through the section headers each time.
 *
 * The file is input like any other: every offset and size read from it is
 * checked against the file's length before use (with 64-bit arithmetic, so
 * nothing wraps), so a truncated or foreign file is an error message and
 * never a read out of bounds. Only ELF32, little-endian, EM_ARM is
 * accepted. The host must be little-endian too: the descriptor's bytes are
 * the host struct's bytes.
 */
#include "litmus/gen.h"

#include "util/fatal.h"
#include "util/file.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "gen_elf.c writes host-order words into a little-endian ARM image"
#endif

#define DESC_SECTION ".litmus_desc"
#define MAX_ELF_BYTES (64u << 20) /* far above the runtime's size */

static int bad(char *err, size_t errlen, const char *source, const char *what)
{
    snprintf(err, errlen, "%s: %s", source, what);
    return -1;
}

static bool in_file(uint64_t off, uint64_t size, size_t len)
{
    return off <= len && size <= len - off;
}

static int check_header(const uint8_t *buf, size_t len, const char *source, Elf32_Ehdr *eh,
                        char *err, size_t errlen)
{
    if (len < sizeof(*eh) || memcmp(buf, ELFMAG, SELFMAG) != 0)
        return bad(err, errlen, source, "not an ELF file");
    memcpy(eh, buf, sizeof(*eh));
    if (eh->e_ident[EI_CLASS] != ELFCLASS32)
        return bad(err, errlen, source, "not a 32-bit ELF file (the runtime is ELF32 ARM)");
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return bad(err, errlen, source, "not a little-endian ELF file");
    if (eh->e_machine != EM_ARM)
        return bad(err, errlen, source, "not an ARM ELF file");
    if (eh->e_shoff == 0 || eh->e_shnum == 0)
        return bad(err, errlen, source, "has no section headers");
    if (eh->e_shentsize != sizeof(Elf32_Shdr))
        return bad(err, errlen, source, "section header size is not 40 bytes");
    if (!in_file(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf32_Shdr), len))
        return bad(err, errlen, source, "section headers lie beyond the end of the file");
    if (eh->e_shstrndx == SHN_UNDEF || eh->e_shstrndx >= eh->e_shnum)
        return bad(err, errlen, source, "no section name table");
    return 0;
}

static void section(const uint8_t *buf, const Elf32_Ehdr *eh, size_t i, Elf32_Shdr *sh)
{
    memcpy(sh, buf + eh->e_shoff + i * sizeof(*sh), sizeof(*sh));
}

/* Is the name at strtab offset name_off equal to want, within the table? */
static bool name_is(const uint8_t *buf, const Elf32_Shdr *strtab, uint32_t name_off,
                    const char *want)
{
    size_t n = strlen(want) + 1;

    return name_off < strtab->sh_size && n <= strtab->sh_size - name_off &&
           memcmp(buf + strtab->sh_offset + name_off, want, n) == 0;
}

int litmus_elf_find_desc(const uint8_t *buf, size_t len, const char *source,
                         size_t *offset, char *err, size_t errlen)
{
    Elf32_Ehdr eh;
    Elf32_Shdr strtab, sh;
    char msg[160];

    if (check_header(buf, len, source, &eh, err, errlen))
        return -1;
    section(buf, &eh, eh.e_shstrndx, &strtab);
    if (strtab.sh_type != SHT_STRTAB || !in_file(strtab.sh_offset, strtab.sh_size, len))
        return bad(err, errlen, source, "the section name table is not a string table "
                   "inside the file");
    for (size_t i = 0; i < eh.e_shnum; i++) {
        section(buf, &eh, i, &sh);
        if (!name_is(buf, &strtab, sh.sh_name, DESC_SECTION))
            continue;
        if (sh.sh_type != SHT_PROGBITS)
            return bad(err, errlen, source, "section " DESC_SECTION " is not PROGBITS");
        if (sh.sh_size != sizeof(struct litmus_desc)) {
            snprintf(msg, sizeof(msg), "section " DESC_SECTION " has %lu bytes, struct "
                     "litmus_desc has %zu (runtime and host built from different desc.h?)",
                     (unsigned long)sh.sh_size, sizeof(struct litmus_desc));
            return bad(err, errlen, source, msg);
        }
        if (!in_file(sh.sh_offset, sh.sh_size, len))
            return bad(err, errlen, source, "section " DESC_SECTION " lies beyond the end "
                       "of the file");
        *offset = sh.sh_offset;
        return 0;
    }
    return bad(err, errlen, source, "no " DESC_SECTION " section (not the litmus runtime?)");
}

/* The whole file, at most MAX_ELF_BYTES. */
static uint8_t *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    return (uint8_t *)file_read_all(path, MAX_ELF_BYTES, len, err, errlen);
}

static int write_file(const char *path, const uint8_t *buf, size_t len, char *err,
                      size_t errlen)
{
    FILE *f = fopen(path, "wb");
    bool ok;

    if (!f) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        return -1;
    }
    ok = fwrite(buf, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        snprintf(err, errlen, "%s: write error: %s", path, strerror(errno));
        remove(path);
        return -1;
    }
    return 0;
}

int litmus_gen_image(const struct litmus_desc *d, const char *runtime_elf,
                     const char *out_path, char *err, size_t errlen)
{
    size_t len, off;
    uint8_t *buf = read_file(runtime_elf, &len, err, errlen);
    int rc;

    if (!buf)
        return -1;
    rc = litmus_elf_find_desc(buf, len, runtime_elf, &off, err, errlen);
    if (rc == 0) {
        memcpy(buf + off, d, sizeof(*d));
        rc = write_file(out_path, buf, len, err, errlen);
    }
    free(buf);
    return rc;
}

int litmus_elf_check_runtime(const char *runtime_elf, char *err, size_t errlen)
{
    size_t len, off;
    uint8_t *buf = read_file(runtime_elf, &len, err, errlen);
    int rc;

    if (!buf)
        return -1;
    rc = litmus_elf_find_desc(buf, len, runtime_elf, &off, err, errlen);
    free(buf);
    return rc;
}
