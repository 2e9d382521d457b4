/*
 * test_emu_loader.c — loading -kernel images (emu/loader.c).
 *
 * Real images: build/baremetal/llsc-counter.elf (made by `make all`, which
 * runs before the unit tests) and one linked here with arm-none-eabi-gcc.
 * Broken and unusual ELFs are crafted in memory. The raw-image DTB
 * addresses expected below were measured on QEMU 7.2 (docs/design/board.md).
 * Guest RAM is an anonymous mapping so that a 1 GiB "RAM" costs nothing.
 */
#include "emu/loader.h"

#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MIB (1024u * 1024u)
#define DTB_SIZE MIB
#define REAL_ELF "build/baremetal/llsc-counter.elf"

static struct emu_ram ram;
static struct emu_image img;
static char err[512];

static void ram_map(uint64_t size)
{
    ram.host = mmap(NULL, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    ck_assert_ptr_ne(ram.host, MAP_FAILED);
    ram.size = size;
}

static void ram_unmap(void)
{
    if (ram.host)
        munmap(ram.host, ram.size);
    ram.host = NULL;
}

static void setup(void)
{
    ram_map(128 * MIB);
    err[0] = '\0';
}

static uint8_t *guest(uint32_t addr)
{
    return ram.host + (addr - EMU_RAM_BASE);
}

static uint32_t guest_word(uint32_t addr)
{
    uint32_t v;

    memcpy(&v, guest(addr), 4); /* the host is little-endian, as the guest */
    return v;
}

/* ---- crafted ELF images ---------------------------------------------------- */

struct seg_spec {
    uint32_t type, paddr, vaddr, filesz, memsz;
    uint8_t fill;
};

#define ELF_DATA_START 0x100u

/* An ELF32 LE ARM executable with the given segments; data follows the
 * headers, each segment's file bytes set to its fill value. */
static uint8_t *make_elf(const struct seg_spec *segs, unsigned n, uint32_t entry, size_t *len)
{
    size_t total = ELF_DATA_START;
    uint8_t *buf;
    Elf32_Ehdr eh = { .e_type = ET_EXEC, .e_machine = EM_ARM, .e_version = EV_CURRENT,
                      .e_entry = entry, .e_phoff = sizeof(Elf32_Ehdr),
                      .e_ehsize = sizeof(Elf32_Ehdr), .e_phentsize = sizeof(Elf32_Phdr),
                      .e_phnum = (uint16_t)n };

    for (unsigned i = 0; i < n; i++)
        total += segs[i].filesz;
    buf = calloc(1, total);
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS32;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    memcpy(buf, &eh, sizeof(eh));
    for (unsigned i = 0, off = ELF_DATA_START; i < n; off += segs[i].filesz, i++) {
        Elf32_Phdr ph = { .p_type = segs[i].type, .p_offset = off, .p_vaddr = segs[i].vaddr,
                          .p_paddr = segs[i].paddr, .p_filesz = segs[i].filesz,
                          .p_memsz = segs[i].memsz, .p_flags = PF_R | PF_X, .p_align = 4 };

        memcpy(buf + sizeof(eh) + i * sizeof(ph), &ph, sizeof(ph));
        memset(buf + off, segs[i].fill, segs[i].filesz);
    }
    *len = total;
    return buf;
}

/* A one-segment image at paddr: 0x40 bytes of 0x5a, 0x100 in memory. */
static uint8_t *simple_elf(uint32_t paddr, size_t *len)
{
    const struct seg_spec seg = { PT_LOAD, paddr, paddr, 0x40, 0x100, 0x5a };

    return make_elf(&seg, 1, paddr + 0x20, len);
}

static int load_bytes(const uint8_t *data, size_t len)
{
    return emu_load_kernel_bytes("k.elf", data, len, &ram, DTB_SIZE, &img, err, sizeof(err));
}

static void expect_error(int rc, const char *message)
{
    ck_assert_int_eq(rc, -1);
    ck_assert_str_eq(err, message);
}

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* ---- real ELF images ------------------------------------------------------- */

START_TEST(real_elf_loads_segments_at_their_physical_addresses)
{
    FILE *f = fopen(REAL_ELF, "rb");
    static uint8_t file[1 << 20];
    Elf32_Ehdr eh;
    Elf32_Phdr ph;

    ck_assert_msg(f != NULL, "%s is missing: run `make all` first", REAL_ELF);
    ck_assert_uint_gt(fread(file, 1, sizeof(file), f), sizeof(eh));
    fclose(f);
    memcpy(&eh, file, sizeof(eh));
    memcpy(&ph, file + eh.e_phoff, sizeof(ph));
    memset(ram.host, 0xaa, 4 * MIB); /* the zero fill must be the loader's */

    ck_assert_int_eq(emu_load_kernel(REAL_ELF, &ram, DTB_SIZE, &img, err, sizeof(err)), 0);
    ck_assert_int_eq(img.kind, EMU_IMAGE_ELF);
    ck_assert_uint_eq(img.reset_pc, eh.e_entry);
    ck_assert_uint_eq(img.kernel_entry, eh.e_entry);
    ck_assert_uint_eq(img.cpsr, 0x400001d3);
    ck_assert_uint_eq(img.regs[0] | img.regs[1] | img.regs[2], 0);
    ck_assert_uint_eq(img.image_low, ph.p_paddr);
    ck_assert_uint_eq(img.image_high, (uint64_t)ph.p_paddr + ph.p_memsz);
    ck_assert_mem_eq(guest(ph.p_paddr), file + ph.p_offset, ph.p_filesz);
    ck_assert_uint_eq(guest(ph.p_paddr)[ph.p_filesz], 0);
    ck_assert_uint_eq(guest(ph.p_paddr)[ph.p_memsz - 1], 0);
    ck_assert_uint_eq(guest(ph.p_paddr)[ph.p_memsz], 0xaa);
    /* at RAM base, like the contract probe: the DTB goes to flash at 0 */
    ck_assert_int_eq(img.dtb_place, EMU_DTB_FLASH);
    ck_assert_uint_eq(img.dtb_addr, 0);
}
END_TEST

/* Links a two-instruction program at 0x40100000 (contract-hi's address). */
START_TEST(gcc_built_elf_above_ram_base_gets_the_dtb_at_ram_base)
{
    char dir[] = "/tmp/strex-loader-XXXXXX";
    char cmd[512], src[64], elf[64];
    FILE *f;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(src, sizeof(src), "%s/hi.S", dir);
    snprintf(elf, sizeof(elf), "%s/hi.elf", dir);
    f = fopen(src, "w");
    fputs(".global _start\n_start:\n mov r0, #42\n b .\n", f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "arm-none-eabi-gcc -nostdlib -nostartfiles -Wl,-Ttext=0x40100000 "
             "-o %s %s", elf, src);
    ck_assert_msg(system(cmd) == 0, "arm-none-eabi-gcc failed: %s", cmd);

    ck_assert_int_eq(emu_load_kernel(elf, &ram, DTB_SIZE, &img, err, sizeof(err)), 0);
    ck_assert_uint_eq(img.reset_pc, 0x40100000);
    ck_assert_uint_eq(guest_word(0x40100000), 0xe3a0002a); /* mov r0, #42 */
    ck_assert_uint_eq(guest_word(0x40100004), 0xeafffffe); /* b . */
    ck_assert_int_eq(img.dtb_place, EMU_DTB_RAM);
    ck_assert_uint_eq(img.dtb_addr, EMU_RAM_BASE);
    unlink(elf);
    unlink(src);
    rmdir(dir);
}
END_TEST

/* ---- crafted ELF images ---------------------------------------------------- */

START_TEST(segments_load_at_paddr_not_vaddr_and_memsz_is_zeroed)
{
    const struct seg_spec segs[] = {
        { PT_LOAD, 0x40000000, 0xc0000000, 0x10, 0x20, 0x11 },
        { PT_NOTE, 0x40001000, 0x40001000, 0x10, 0x10, 0x22 }, /* not loaded */
        { PT_LOAD, 0x40200000, 0x80200000, 0x08, 0x1000, 0x33 },
        { PT_LOAD, 0x40300000, 0x40300000, 0x00, 0x00, 0x00 }, /* empty: skipped */
    };
    size_t len;
    uint8_t *elf = make_elf(segs, 4, 0x40000004, &len);

    memset(ram.host, 0xaa, 4 * MIB);
    ck_assert_int_eq(load_bytes(elf, len), 0);
    ck_assert_uint_eq(img.reset_pc, 0x40000004);
    ck_assert_uint_eq(guest(0x40000000)[0xf], 0x11);
    ck_assert_uint_eq(guest(0x40000000)[0x10], 0);
    ck_assert_uint_eq(guest(0x40000000)[0x1f], 0);
    ck_assert_uint_eq(guest(0x40000000)[0x20], 0xaa);
    ck_assert_uint_eq(guest(0x40001000)[0], 0xaa);
    ck_assert_uint_eq(guest(0x40200000)[7], 0x33);
    ck_assert_uint_eq(guest(0x40200000)[8], 0);
    ck_assert_uint_eq(guest(0x40200000)[0xfff], 0);
    ck_assert_uint_eq(img.image_low, 0x40000000);
    ck_assert_uint_eq(img.image_high, 0x40201000);
    free(elf);
}
END_TEST

/* Measured on QEMU 7.2: RAM base -> flash; >= 1 MiB above -> RAM base;
 * less than the DTB above RAM base -> nowhere. */
START_TEST(elf_dtb_placement_follows_qemu)
{
    static const struct { uint32_t low; enum emu_dtb_place place; uint32_t addr; } cases[] = {
        { 0x40000000, EMU_DTB_FLASH, 0 },
        { 0x40001000, EMU_DTB_NONE, 0 },
        { 0x400ff000, EMU_DTB_NONE, 0 },
        { 0x40100000, EMU_DTB_RAM, 0x40000000 },
        { 0x40200000, EMU_DTB_RAM, 0x40000000 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len;
        uint8_t *elf = simple_elf(cases[i].low, &len);

        ck_assert_int_eq(load_bytes(elf, len), 0);
        ck_assert_msg(img.dtb_place == cases[i].place, "image at 0x%08x", cases[i].low);
        ck_assert_uint_eq(img.dtb_addr, cases[i].addr);
        free(elf);
    }
}
END_TEST

START_TEST(broken_headers_are_one_line_each)
{
    size_t len;
    uint8_t *elf = simple_elf(0x40000000, &len);

    expect_error(load_bytes(elf, 30), "kernel 'k.elf': truncated ELF header (30 bytes)");
    elf[EI_CLASS] = ELFCLASS64;
    expect_error(load_bytes(elf, len), "kernel 'k.elf': not a 32-bit ELF file (ELFCLASS64)");
    elf[EI_CLASS] = ELFCLASS32;
    elf[EI_DATA] = ELFDATA2MSB;
    expect_error(load_bytes(elf, len), "kernel 'k.elf': big-endian ELF file "
                 "(strex-emu runs little-endian images)");
    elf[EI_DATA] = ELFDATA2LSB;
    put16(elf + offsetof(Elf32_Ehdr, e_machine), EM_386);
    expect_error(load_bytes(elf, len), "kernel 'k.elf': ELF machine 3 is not ARM (40)");
    put16(elf + offsetof(Elf32_Ehdr, e_machine), EM_ARM);
    put16(elf + offsetof(Elf32_Ehdr, e_type), ET_DYN);
    expect_error(load_bytes(elf, len), "kernel 'k.elf': ELF type 3 is not an executable (ET_EXEC)");
    put16(elf + offsetof(Elf32_Ehdr, e_type), ET_EXEC);
    put16(elf + offsetof(Elf32_Ehdr, e_phentsize), 40);
    expect_error(load_bytes(elf, len), "kernel 'k.elf': program header size 40, expected 32");
    put16(elf + offsetof(Elf32_Ehdr, e_phentsize), 32);
    put32(elf + offsetof(Elf32_Ehdr, e_phoff), 0xfffffff0);
    expect_error(load_bytes(elf, len), "kernel 'k.elf': program headers lie outside the file "
                 "(truncated ELF?)");
    expect_error(load_bytes(elf, 60), "kernel 'k.elf': program headers lie outside the file "
                 "(truncated ELF?)");
    free(elf);
}
END_TEST

START_TEST(truncated_segment_data_is_refused)
{
    size_t len;
    uint8_t *elf = simple_elf(0x40000000, &len);

    expect_error(load_bytes(elf, len - 1), "kernel 'k.elf': segment 0 data lies outside the "
                 "file (truncated ELF?)");
    free(elf);
}
END_TEST

START_TEST(segments_outside_ram_are_refused)
{
    static const struct { uint32_t paddr, memsz; const char *message; } cases[] = {
        { 0x48000000, 0x100, "kernel 'k.elf': segment 0 at 0x48000000-0x480000ff is outside RAM "
                             "(0x40000000-0x47ffffff)" },
        { 0x47ffff00, 0x200, "kernel 'k.elf': segment 0 at 0x47ffff00-0x480000ff is outside RAM "
                             "(0x40000000-0x47ffffff)" },
        { 0x3ffffff0, 0x100, "kernel 'k.elf': segment 0 at 0x3ffffff0-0x400000ef is outside RAM "
                             "(0x40000000-0x47ffffff)" },
        { 0x00000000, 0x100, "kernel 'k.elf': segment 0 at 0x00000000-0x000000ff is outside RAM "
                             "(0x40000000-0x47ffffff); loading into flash is not supported" },
        { 0xfffff000, 0x2000, "kernel 'k.elf': segment 0 at 0xfffff000-0x100000fff is outside "
                              "RAM (0x40000000-0x47ffffff)" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct seg_spec seg = { PT_LOAD, cases[i].paddr, cases[i].paddr, 0x10,
                                      cases[i].memsz, 1 };
        size_t len;
        uint8_t *elf = make_elf(&seg, 1, cases[i].paddr, &len);

        expect_error(load_bytes(elf, len), cases[i].message);
        free(elf);
    }
}
END_TEST

START_TEST(bad_segment_layouts_are_refused)
{
    const struct seg_spec big_file = { PT_LOAD, 0x40000000, 0x40000000, 0x20, 0x10, 1 };
    const struct seg_spec overlap[] = { { PT_LOAD, 0x40000000, 0x40000000, 0x10, 0x100, 1 },
                                        { PT_LOAD, 0x40000080, 0x40000080, 0x10, 0x10, 2 } };
    const struct seg_spec note = { PT_NOTE, 0x40000000, 0x40000000, 0x10, 0x10, 1 };
    size_t len;
    uint8_t *elf;

    elf = make_elf(&big_file, 1, 0x40000000, &len);
    expect_error(load_bytes(elf, len),
                 "kernel 'k.elf': segment 0 has p_filesz 0x20 above p_memsz 0x10");
    free(elf);
    elf = make_elf(overlap, 2, 0x40000000, &len);
    expect_error(load_bytes(elf, len), "kernel 'k.elf': two segments overlap at 0x40000080");
    free(elf);
    elf = make_elf(&note, 1, 0x40000000, &len);
    expect_error(load_bytes(elf, len), "kernel 'k.elf': no PT_LOAD segment to load");
    free(elf);
}
END_TEST

START_TEST(refused_image_leaves_ram_untouched)
{
    const struct seg_spec segs[] = { { PT_LOAD, 0x40000000, 0x40000000, 0x10, 0x10, 1 },
                                     { PT_LOAD, 0x48000000, 0x48000000, 0x10, 0x10, 2 } };
    size_t len;
    uint8_t *elf = make_elf(segs, 2, 0x40000000, &len);

    ck_assert_int_eq(load_bytes(elf, len), -1);
    ck_assert_uint_eq(guest(0x40000000)[0], 0);
    free(elf);
}
END_TEST

/* ---- raw images ------------------------------------------------------------ */

static const uint8_t raw_image[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 };

START_TEST(raw_image_goes_after_the_boot_stub)
{
    uint32_t stub[EMU_BOOT_STUB_WORDS];

    ck_assert_int_eq(load_bytes(raw_image, sizeof(raw_image)), 0);
    ck_assert_int_eq(img.kind, EMU_IMAGE_RAW);
    ck_assert_uint_eq(img.reset_pc, 0x40000000);
    ck_assert_uint_eq(img.kernel_entry, 0x40010000);
    ck_assert_uint_eq(img.regs[0], 0);
    ck_assert_uint_eq(img.regs[1], 0xffffffff);
    ck_assert_uint_eq(img.regs[2], 0x44000000);
    ck_assert_uint_eq(img.cpsr, 0x400001d3);
    ck_assert_int_eq(img.dtb_place, EMU_DTB_RAM);
    ck_assert_uint_eq(img.dtb_addr, 0x44000000);
    ck_assert_mem_eq(guest(0x40010000), raw_image, sizeof(raw_image));
    ck_assert_uint_eq(img.image_high, 0x40010000 + sizeof(raw_image));
    emu_boot_stub(0x44000000, 0x40010000, stub);
    for (int i = 0; i < EMU_BOOT_STUB_WORDS; i++)
        ck_assert_uint_eq(guest_word(0x40000000 + 4 * i), stub[i]);
    ck_assert_uint_eq(guest_word(0x40000000), 0xe3a00000); /* the contract's first word */
}
END_TEST

/* QEMU 7.2, measured: RAM base + min(RAM/2, 128 MiB), or after the image. */
START_TEST(raw_dtb_address_follows_ram_size_and_image_end)
{
    static const struct { uint64_t ram; size_t image; uint32_t dtb; } cases[] = {
        { 64 * MIB, 9, 0x42000000 },         { 128 * MIB, 9, 0x44000000 },
        { 256 * MIB, 9, 0x48000000 },        { 1024 * MIB, 9, 0x48000000 },
        { 64 * MIB, 40 * MIB, 0x42810000 },  { 64 * MIB, 40000001, 0x42636000 },
    };
    size_t max_image = 40 * MIB;
    uint8_t *data = mmap(NULL, max_image, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    ck_assert_ptr_ne(data, MAP_FAILED);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ram_unmap();
        ram_map(cases[i].ram);
        ck_assert_int_eq(load_bytes(data, cases[i].image), 0);
        ck_assert_msg(img.dtb_addr == cases[i].dtb, "RAM %llu MiB, image %zu: dtb 0x%08x",
                      (unsigned long long)(cases[i].ram / MIB), cases[i].image, img.dtb_addr);
        ck_assert_uint_eq(img.regs[2], cases[i].dtb);
    }
    munmap(data, max_image);
}
END_TEST

START_TEST(raw_image_too_big_is_refused)
{
    size_t size = 2 * MIB;
    uint8_t *data = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    ram_unmap();
    ram_map(2 * MIB);
    expect_error(emu_load_kernel_bytes("big.bin", data, size, &ram, DTB_SIZE, &img, err,
                                       sizeof(err)),
                 "kernel 'big.bin' is too large to fit in RAM (kernel size 2097152, "
                 "RAM size 2097152)");
    expect_error(emu_load_kernel_bytes("mid.bin", data, MIB, &ram, DTB_SIZE, &img, err,
                                       sizeof(err)),
                 "kernel 'mid.bin' leaves no room for the device tree (1048576 bytes at "
                 "0x40110000, RAM ends at 0x40200000)");
    munmap(data, size);
}
END_TEST

/* ---- files ----------------------------------------------------------------- */

START_TEST(missing_unreadable_and_empty_files)
{
    char path[] = "/tmp/strex-empty-XXXXXX";
    int fd = mkstemp(path);
    char expected[600];

    ck_assert_int_ge(fd, 0);
    close(fd);
    expect_error(emu_load_kernel("/nonexistent/x.elf", &ram, DTB_SIZE, &img, err, sizeof(err)),
                 "could not load kernel '/nonexistent/x.elf': No such file or directory");
    expect_error(emu_load_kernel("/tmp", &ram, DTB_SIZE, &img, err, sizeof(err)),
                 "could not read kernel '/tmp': Is a directory");
    snprintf(expected, sizeof(expected), "kernel '%s' is empty", path);
    expect_error(emu_load_kernel(path, &ram, DTB_SIZE, &img, err, sizeof(err)), expected);
    unlink(path);
}
END_TEST

/* The stub's words are real A32: arm-none-eabi-objdump reads them back. */
START_TEST(boot_stub_disassembles_as_intended)
{
    char path[] = "/tmp/strex-stub-XXXXXX";
    int fd = mkstemp(path);
    uint32_t stub[EMU_BOOT_STUB_WORDS];
    char cmd[256], out[4096] = "";
    size_t n;
    FILE *p;

    emu_boot_stub(0x44000000, 0x40010000, stub);
    ck_assert_int_eq(write(fd, stub, sizeof(stub)), (ssize_t)sizeof(stub));
    close(fd);
    snprintf(cmd, sizeof(cmd), "arm-none-eabi-objdump -D -b binary -marm "
             "--adjust-vma=0x40000000 %s", path);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    ck_assert_int_eq(pclose(p), 0);
    unlink(path);
    ck_assert_ptr_nonnull(strstr(out, "40000000:\te3a00000 \tmov\tr0, #0"));
    ck_assert_ptr_nonnull(strstr(out, "40000004:\te3e01000 \tmvn\tr1, #0"));
    ck_assert_ptr_nonnull(strstr(out, "40000008:\te59f2000 \tldr\tr2, [pc]\t@ 0x40000010"));
    ck_assert_ptr_nonnull(strstr(out, "4000000c:\te59ff000 \tldr\tpc, [pc]\t@ 0x40000014"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("emu_loader");
    TCase *tc = tcase_create("emu_loader");
    SRunner *sr;
    int failed;

    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, ram_unmap);
    tcase_add_test(tc, real_elf_loads_segments_at_their_physical_addresses);
    tcase_add_test(tc, gcc_built_elf_above_ram_base_gets_the_dtb_at_ram_base);
    tcase_add_test(tc, segments_load_at_paddr_not_vaddr_and_memsz_is_zeroed);
    tcase_add_test(tc, elf_dtb_placement_follows_qemu);
    tcase_add_test(tc, broken_headers_are_one_line_each);
    tcase_add_test(tc, truncated_segment_data_is_refused);
    tcase_add_test(tc, segments_outside_ram_are_refused);
    tcase_add_test(tc, bad_segment_layouts_are_refused);
    tcase_add_test(tc, refused_image_leaves_ram_untouched);
    tcase_add_test(tc, raw_image_goes_after_the_boot_stub);
    tcase_add_test(tc, raw_dtb_address_follows_ram_size_and_image_end);
    tcase_add_test(tc, raw_image_too_big_is_refused);
    tcase_add_test(tc, missing_unreadable_and_empty_files);
    tcase_add_test(tc, boot_stub_disassembles_as_intended);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
