/*
 * semihost.c — the semihosting calls (see semihost.h).
 *
 * Results follow QEMU 7.2 as measured (docs/design/devices.md): handles
 * count from 1; ":tt" opens the console in the direction its mode says;
 * SYS_READ and SYS_WRITE return the number of bytes NOT transferred (the
 * whole length on an error); failing calls return -1 and leave the host
 * errno for SYS_ERRNO; SYS_WRITEC and SYS_WRITE0 leave r0 = 0xdeadbeef.
 *
 * Guest memory accesses may leave by a guest fault (a non-local exit), so
 * no call holds host memory across them: buffers are on the stack and
 * large transfers go in chunks. A fault in the middle of SYS_READ leaves
 * the file position advanced, which a faulting guest can live with.
 */
#include "emu/semihost.h"

#include "emu/cpu_services.h"
#include "util/fatal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 4096u             /* SYS_READ/WRITE transfer unit */
#define NAME_MAX_LEN 4095u      /* longest file name or command accepted */
#define WRITE0_RESULT 0xdeadbeefu
#define N_MODES 12

/* One guest handle. stream is set for ":tt" handles: writes go through it
 * (so they stay in order with the UART's output on the same FILE); reads,
 * seeks and fstat use host_fd, its descriptor. */
struct sh_file {
    bool used;
    bool own_fd;                /* opened by SYS_OPEN: closed by SYS_CLOSE */
    int host_fd;
    FILE *stream;
};

struct emu_semihost {
    struct emu_semihost_host host;
    char *cmdline;
    struct sh_file *files;      /* index = guest handle; 0 is never used */
    unsigned n_files;
    int last_errno;
    uint64_t start_ns;          /* SYS_ELAPSED counts from here */
};

static uint64_t monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct emu_semihost *emu_semihost_new(const struct emu_semihost_host *host)
{
    struct emu_semihost *sh = xcalloc(1, sizeof(*sh));

    sh->host = *host;
    sh->cmdline = xstrdup(host->cmdline ? host->cmdline : "");
    sh->host.cmdline = sh->cmdline;
    sh->start_ns = monotonic_ns();
    return sh;
}

void emu_semihost_free(struct emu_semihost *sh)
{
    if (!sh)
        return;
    for (unsigned i = 0; i < sh->n_files; i++)
        if (sh->files[i].used && sh->files[i].own_fd)
            close(sh->files[i].host_fd);
    free(sh->files);
    free(sh->cmdline);
    free(sh);
}

/* ---- guest memory ------------------------------------------------------- */

static uint32_t ld32(struct arm_cpu *cpu, uint32_t va)
{
    return (uint32_t)emu_mem_load(cpu, va, TCG_MEMOP(TCG_MO_32, arm_cpu_mmu_idx(cpu)));
}

static void st32(struct arm_cpu *cpu, uint32_t va, uint32_t value)
{
    emu_mem_store(cpu, va, value, TCG_MEMOP(TCG_MO_32, arm_cpu_mmu_idx(cpu)));
}

static uint8_t ld8(struct arm_cpu *cpu, uint32_t va)
{
    return (uint8_t)emu_mem_load(cpu, va, TCG_MEMOP(TCG_MO_8, arm_cpu_mmu_idx(cpu)));
}

static void st8(struct arm_cpu *cpu, uint32_t va, uint8_t value)
{
    emu_mem_store(cpu, va, value, TCG_MEMOP(TCG_MO_8, arm_cpu_mmu_idx(cpu)));
}

/* Word i of the parameter block r1 points to. */
static uint32_t arg(struct arm_cpu *cpu, unsigned i)
{
    return ld32(cpu, cpu->r[1] + 4 * i);
}

static void copy_in(struct arm_cpu *cpu, char *dst, uint32_t va, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        dst[i] = (char)ld8(cpu, va + i);
}

static void copy_out(struct arm_cpu *cpu, uint32_t va, const char *src, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        st8(cpu, va + i, (uint8_t)src[i]);
}

/* A name given as (address, length without the NUL) into buf
 * [NAME_MAX_LEN + 1]; false (errno set) when it is empty or too long. */
static bool read_name(struct arm_cpu *cpu, char *buf, uint32_t va, uint32_t len)
{
    if (len == 0 || len > NAME_MAX_LEN) {
        errno = len ? ENAMETOOLONG : ENOENT;
        return false;
    }
    copy_in(cpu, buf, va, len);
    buf[len] = '\0';
    return true;
}

/* ---- handles ------------------------------------------------------------ */

static int new_handle(struct emu_semihost *sh, int host_fd, FILE *stream, bool own_fd)
{
    unsigned h = 1;

    while (h < sh->n_files && sh->files[h].used)
        h++;
    if (h >= sh->n_files) {
        unsigned n = sh->n_files ? sh->n_files * 2 : 8;

        sh->files = xrealloc(sh->files, n * sizeof(*sh->files));
        memset(sh->files + sh->n_files, 0, (n - sh->n_files) * sizeof(*sh->files));
        sh->n_files = n;
    }
    sh->files[h] = (struct sh_file){ true, own_fd, host_fd, stream };
    return (int)h;
}

/* The open handle h, or NULL with errno = EBADF. */
static struct sh_file *handle(struct emu_semihost *sh, uint32_t h)
{
    if (h == 0 || h >= sh->n_files || !sh->files[h].used) {
        errno = EBADF;
        return NULL;
    }
    return &sh->files[h];
}

/* ":tt": modes 0-3 (r) read the console, 4-7 (w) write stdout, 8-11 (a)
 * write stderr, as QEMU does. */
static int open_console(struct emu_semihost *sh, uint32_t mode)
{
    FILE *f;

    if (mode < 4) {
        if (!sh->host.tt_in)
            return new_handle(sh, -1, NULL, false);
        return new_handle(sh, fileno(sh->host.tt_in), NULL, false);
    }
    f = mode < 8 ? (sh->host.tt_out ? sh->host.tt_out : stdout) : sh->host.console;
    return new_handle(sh, f ? fileno(f) : -1, f, false);
}

static int32_t sys_open(struct emu_semihost *sh, struct arm_cpu *cpu)
{
    static const int flags[N_MODES / 2] = {
        O_RDONLY, O_RDWR, O_WRONLY | O_CREAT | O_TRUNC, O_RDWR | O_CREAT | O_TRUNC,
        O_WRONLY | O_CREAT | O_APPEND, O_RDWR | O_CREAT | O_APPEND,
    };
    uint32_t name = arg(cpu, 0), mode = arg(cpu, 1), len = arg(cpu, 2);
    char path[NAME_MAX_LEN + 1];
    int fd;

    if (!read_name(cpu, path, name, len))
        return -1;
    if (mode >= N_MODES) {
        errno = EINVAL;
        return -1;
    }
    if (strcmp(path, ":tt") == 0)
        return open_console(sh, mode);
    fd = open(path, flags[mode / 2] | O_CLOEXEC, 0644);
    return fd < 0 ? -1 : new_handle(sh, fd, NULL, true);
}

static int32_t sys_close(struct emu_semihost *sh, struct arm_cpu *cpu)
{
    struct sh_file *f = handle(sh, arg(cpu, 0));

    if (!f)
        return -1;
    f->used = false;
    return f->own_fd && close(f->host_fd) != 0 ? -1 : 0;
}

/* ---- data --------------------------------------------------------------- */

static ssize_t write_chunk(struct sh_file *f, const char *buf, size_t n)
{
    if (!f->stream)
        return write(f->host_fd, buf, n);
    if (fwrite(buf, 1, n, f->stream) != n || fflush(f->stream) != 0) {
        errno = EIO;
        return -1;
    }
    return (ssize_t)n;
}

/* SYS_WRITE {handle, buffer, length}: returns the bytes not written. */
static int32_t sys_write(struct emu_semihost *sh, struct arm_cpu *cpu)
{
    struct sh_file *f = handle(sh, arg(cpu, 0));
    uint32_t buf = arg(cpu, 1), len = arg(cpu, 2), done = 0;
    char chunk[CHUNK];

    if (!f)
        return (int32_t)len;
    while (done < len) {
        uint32_t n = len - done < CHUNK ? len - done : CHUNK;
        ssize_t w;

        copy_in(cpu, chunk, buf + done, n);
        w = write_chunk(f, chunk, n);
        if (w <= 0)
            break;
        done += (uint32_t)w;
    }
    return (int32_t)(len - done);
}

/* SYS_READ {handle, buffer, length}: returns the bytes not read (the
 * whole length at end of file). */
static int32_t sys_read(struct emu_semihost *sh, struct arm_cpu *cpu)
{
    struct sh_file *f = handle(sh, arg(cpu, 0));
    uint32_t buf = arg(cpu, 1), len = arg(cpu, 2), done = 0;
    char chunk[CHUNK];

    if (!f)
        return (int32_t)len;
    while (done < len && f->host_fd >= 0) {
        uint32_t n = len - done < CHUNK ? len - done : CHUNK;
        ssize_t r = read(f->host_fd, chunk, n);

        if (r <= 0)
            break;
        copy_out(cpu, buf + done, chunk, (uint32_t)r);
        done += (uint32_t)r;
        if ((uint32_t)r < n)
            break;      /* a short read: a console line, or the end of file */
    }
    return (int32_t)(len - done);
}

static int32_t sys_readc(struct emu_semihost *sh)
{
    unsigned char c;

    if (!sh->host.tt_in || read(fileno(sh->host.tt_in), &c, 1) != 1)
        return -1;
    return c;
}

static int32_t sys_istty(struct emu_semihost *sh, struct arm_cpu *cpu)
{
    struct sh_file *f = handle(sh, arg(cpu, 0));

    if (!f)
        return -1;
    return f->host_fd >= 0 && isatty(f->host_fd) ? 1 : 0;  /* isatty sets ENOTTY */
}

static int32_t sys_seek(struct emu_semihost *sh, struct arm_cpu *cpu)
{
    struct sh_file *f = handle(sh, arg(cpu, 0));
    uint32_t pos = arg(cpu, 1);

    if (!f)
        return -1;
    return lseek(f->host_fd, (off_t)pos, SEEK_SET) < 0 ? -1 : 0;
}

static int32_t sys_flen(struct emu_semihost *sh, struct arm_cpu *cpu)
{
    struct sh_file *f = handle(sh, arg(cpu, 0));
    struct stat st;

    if (!f)
        return -1;
    if (fstat(f->host_fd, &st) != 0)
        return -1;
    return (int32_t)st.st_size;
}

/* ---- console ------------------------------------------------------------ */

static void console_put(struct emu_semihost *sh, const char *s, size_t n)
{
    if (sh->host.console) {
        fwrite(s, 1, n, sh->host.console);
        fflush(sh->host.console);
    }
}

static void sys_write0(struct emu_semihost *sh, struct arm_cpu *cpu)
{
    char chunk[256];
    uint32_t va = cpu->r[1];
    size_t n = 0;

    for (;;) {
        char c = (char)ld8(cpu, va++);

        if (c == '\0' || n == sizeof(chunk)) {
            console_put(sh, chunk, n);
            n = 0;
        }
        if (c == '\0')
            break;
        chunk[n++] = c;
    }
}

/* ---- host services ------------------------------------------------------ */

/* SYS_ISERROR {value}: 1 when value, read as a signed result, is negative. */
static int32_t sys_iserror(struct arm_cpu *cpu)
{
    return (int32_t)arg(cpu, 0) < 0;
}

/* SYS_TMPNAM {buffer, id 0..255, length}: a name unique to this process
 * and id (QEMU's rule, with strex's prefix); -1 when it does not fit. */
static int32_t sys_tmpnam(struct arm_cpu *cpu)
{
    const char *dir = getenv("TMPDIR");
    uint32_t buf = arg(cpu, 0), id = arg(cpu, 1), len = arg(cpu, 2);
    char name[NAME_MAX_LEN + 1];
    int n = snprintf(name, sizeof(name), "%s/strex-%x%02x", dir && *dir ? dir : "/tmp",
                     (unsigned)getpid(), id & 0xff);

    if (n < 0 || (size_t)n >= sizeof(name) || (uint32_t)n + 1 > len) {
        errno = ENOSPC;
        return -1;
    }
    copy_out(cpu, buf, name, (uint32_t)n + 1);
    return 0;
}

static int32_t sys_remove(struct arm_cpu *cpu)
{
    char path[NAME_MAX_LEN + 1];

    if (!read_name(cpu, path, arg(cpu, 0), arg(cpu, 1)))
        return -1;
    return remove(path) == 0 ? 0 : -1;
}

static int32_t sys_rename(struct arm_cpu *cpu)
{
    char from[NAME_MAX_LEN + 1], to[NAME_MAX_LEN + 1];

    if (!read_name(cpu, from, arg(cpu, 0), arg(cpu, 1)) ||
        !read_name(cpu, to, arg(cpu, 2), arg(cpu, 3)))
        return -1;
    return rename(from, to) == 0 ? 0 : -1;
}

/* SYS_SYSTEM {command, length}: runs it through the host shell, as QEMU
 * does, and returns system()'s status (exit code << 8). */
static int32_t sys_system(struct arm_cpu *cpu)
{
    char command[NAME_MAX_LEN + 1];

    if (!read_name(cpu, command, arg(cpu, 0), arg(cpu, 1)))
        return -1;
    fflush(NULL);
    return system(command);
}

/* SYS_GET_CMDLINE {buffer, length}: the command line with its NUL, and
 * its length without the NUL written back; -1 if it does not fit. */
static int32_t sys_get_cmdline(struct emu_semihost *sh, struct arm_cpu *cpu)
{
    uint32_t buf = arg(cpu, 0), len = arg(cpu, 1);
    uint32_t n = (uint32_t)strlen(sh->cmdline);

    if (n + 1 > len) {
        errno = ENOSPC;
        return -1;
    }
    copy_out(cpu, buf, sh->cmdline, n + 1);
    st32(cpu, cpu->r[1] + 4, n);
    return 0;
}

/* SYS_HEAPINFO: r1 points to the address of a 4-word block. */
static int32_t sys_heapinfo(struct emu_semihost *sh, struct arm_cpu *cpu)
{
    uint32_t block = arg(cpu, 0);

    st32(cpu, block, sh->host.heap_base);
    st32(cpu, block + 4, sh->host.heap_limit);
    st32(cpu, block + 8, sh->host.stack_base);
    st32(cpu, block + 12, sh->host.stack_limit);
    return 0;
}

/* SYS_ELAPSED: r1 points to a 64-bit count (low word first) of
 * SYS_TICKFREQ units, here nanoseconds since the machine started. */
static int32_t sys_elapsed(struct emu_semihost *sh, struct arm_cpu *cpu)
{
    uint64_t ns = sh->host.clock_ns ? sh->host.clock_ns(sh->host.opaque)
                                    : monotonic_ns() - sh->start_ns;

    st32(cpu, cpu->r[1], (uint32_t)ns);
    st32(cpu, cpu->r[1] + 4, (uint32_t)(ns >> 32));
    return 0;
}

/* SYS_EXIT (reason in r1 itself on AArch32) and SYS_EXIT_EXTENDED
 * ({reason, code}): only ApplicationExit keeps a status, and only its low
 * 8 bits (contract §8). */
static void sys_exit(struct emu_semihost *sh, struct arm_cpu *cpu, bool extended)
{
    uint32_t reason = extended ? arg(cpu, 0) : cpu->r[1];
    int status = 1;

    if (reason == SEMIHOST_ADP_STOPPED_APPLICATION_EXIT)
        status = extended ? (int)(arg(cpu, 1) & 0xff) : 0;
    if (sh->host.exit)
        sh->host.exit(sh->host.opaque, status);
}

/* The calls that return a value in r0; *handled is false for unknown ops. */
static int32_t dispatch(struct emu_semihost *sh, struct arm_cpu *cpu, uint32_t op, bool *handled)
{
    *handled = true;
    switch (op) {
    case SEMIHOST_SYS_OPEN:        return sys_open(sh, cpu);
    case SEMIHOST_SYS_CLOSE:       return sys_close(sh, cpu);
    case SEMIHOST_SYS_WRITE:       return sys_write(sh, cpu);
    case SEMIHOST_SYS_READ:        return sys_read(sh, cpu);
    case SEMIHOST_SYS_READC:       return sys_readc(sh);
    case SEMIHOST_SYS_ISERROR:     return sys_iserror(cpu);
    case SEMIHOST_SYS_ISTTY:       return sys_istty(sh, cpu);
    case SEMIHOST_SYS_SEEK:        return sys_seek(sh, cpu);
    case SEMIHOST_SYS_FLEN:        return sys_flen(sh, cpu);
    case SEMIHOST_SYS_TMPNAM:      return sys_tmpnam(cpu);
    case SEMIHOST_SYS_REMOVE:      return sys_remove(cpu);
    case SEMIHOST_SYS_RENAME:      return sys_rename(cpu);
    case SEMIHOST_SYS_CLOCK:
        if (sh->host.clock_ns)
            return (int32_t)(sh->host.clock_ns(sh->host.opaque) / 10000000u);
        return (int32_t)(clock() / (CLOCKS_PER_SEC / 100));
    case SEMIHOST_SYS_TIME:
        if (sh->host.clock_ns)
            return (int32_t)(sh->host.clock_ns(sh->host.opaque) / 1000000000u);
        return (int32_t)time(NULL);
    case SEMIHOST_SYS_SYSTEM:      return sys_system(cpu);
    case SEMIHOST_SYS_ERRNO:       return sh->last_errno;
    case SEMIHOST_SYS_GET_CMDLINE: return sys_get_cmdline(sh, cpu);
    case SEMIHOST_SYS_HEAPINFO:    return sys_heapinfo(sh, cpu);
    case SEMIHOST_SYS_ELAPSED:     return sys_elapsed(sh, cpu);
    case SEMIHOST_SYS_TICKFREQ:    return 1000000000;
    default:
        *handled = false;
        return -1;
    }
}

void emu_semihost_call(struct emu_semihost *sh, struct arm_cpu *cpu)
{
    uint32_t op = cpu->r[0];
    bool handled;
    int32_t ret;

    switch (op) {
    case SEMIHOST_SYS_WRITEC:
        console_put(sh, &(char){ (char)ld8(cpu, cpu->r[1]) }, 1);
        cpu->r[0] = WRITE0_RESULT;
        return;
    case SEMIHOST_SYS_WRITE0:
        sys_write0(sh, cpu);
        cpu->r[0] = WRITE0_RESULT;
        return;
    case SEMIHOST_SYS_EXIT:
    case SEMIHOST_SYS_EXIT_EXTENDED:
        sys_exit(sh, cpu, op == SEMIHOST_SYS_EXIT_EXTENDED);
        return;
    }
    errno = 0;
    ret = dispatch(sh, cpu, op, &handled);
    if (errno && op != SEMIHOST_SYS_ERRNO)
        sh->last_errno = errno;
    if (!handled)
        arm_log_unimp(cpu, "semihosting: unsupported call 0x%x (returns -1)", op);
    cpu->r[0] = (uint32_t)ret;
}
