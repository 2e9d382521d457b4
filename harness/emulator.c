/*
 * emulator.c — finding the emulator binary and building its command line.
 *
 * The binary is checked once, before anything runs: a typo in --emulator
 * should cost one line and exit status 2, not a report full of failed jobs.
 */
#include "harness/emulator.h"

#include "util/fatal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_executable_file(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* name looked up in $PATH as a shell would; an empty entry means ".". */
static char *find_in_path(const char *name)
{
    const char *path = getenv("PATH");
    char *copy, *found = NULL;

    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    copy = xstrdup(path);
    for (char *dir = copy, *end; dir && !found; dir = end ? end + 1 : NULL) {
        char candidate[PATH_MAX];

        end = strchr(dir, ':');
        if (end)
            *end = '\0';
        snprintf(candidate, sizeof(candidate), "%s/%s", *dir ? dir : ".", name);
        if (is_executable_file(candidate))
            found = xstrdup(candidate);
    }
    free(copy);
    return found;
}

/* A path or a bare name (looked up in PATH). */
static char *find_program(const char *spec)
{
    if (strchr(spec, '/'))
        return is_executable_file(spec) ? xstrdup(spec) : NULL;
    return find_in_path(spec);
}

static int resolve_qemu(struct emulator *emu, char *err, size_t errlen)
{
    const char *override = getenv("STREX_QEMU");
    const char *spec = override && *override ? override : "qemu-system-arm";

    emu->binary = find_program(spec);
    if (!emu->binary) {
        snprintf(err, errlen, "emulator 'qemu' not found (%s%s is not an executable%s)",
                 spec == override ? "STREX_QEMU=" : "", spec,
                 strchr(spec, '/') ? " file" : " on PATH");
        return -1;
    }
    emu->label = xstrdup("qemu");
    return 0;
}

/* strex-emu next to /proc/self/exe: the build puts both in build/. */
static int resolve_strex(struct emulator *emu, char *err, size_t errlen)
{
    char self[PATH_MAX], candidate[PATH_MAX + 16];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    char *slash;

    if (n < 0) {
        snprintf(err, errlen, "emulator 'strex' not found (cannot read /proc/self/exe)");
        return -1;
    }
    self[n] = '\0';
    slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    snprintf(candidate, sizeof(candidate), "%s/strex-emu", self);
    if (!is_executable_file(candidate)) {
        snprintf(err, errlen, "emulator 'strex' not found (no executable %s)", candidate);
        return -1;
    }
    emu->binary = xstrdup(candidate);
    emu->label = xstrdup("strex");
    emu->is_strex = true;
    return 0;
}

static int resolve_path(const char *path, struct emulator *emu, char *err, size_t errlen)
{
    char abs[PATH_MAX];
    const char *base = strrchr(path, '/');

    if (!is_executable_file(path) || !realpath(path, abs)) {
        snprintf(err, errlen, "emulator '%s' not found (not an executable file)", path);
        return -1;
    }
    emu->binary = xstrdup(abs);
    emu->label = xstrdup(base ? base + 1 : path);
    emu->is_strex = strncmp(emu->label, "strex-emu", 9) == 0;
    return 0;
}

int emulator_resolve(const char *word, struct emulator *emu, char *err, size_t errlen)
{
    emu->label = emu->binary = NULL;
    emu->is_strex = false;
    if (strcmp(word, "qemu") == 0)
        return resolve_qemu(emu, err, errlen);
    if (strcmp(word, "strex") == 0)
        return resolve_strex(emu, err, errlen);
    return resolve_path(word, emu, err, errlen);
}

void emulator_free(struct emulator *emu)
{
    free(emu->label);
    free(emu->binary);
    emu->label = emu->binary = NULL;
}

/* accel: the -accel value, e.g. "tcg,thread=multi". */
static char **build_argv(const char *binary, unsigned smp, const char *accel,
                         const char *image, const char *args, size_t *argc)
{
    char **v = xcalloc(20, sizeof(*v));
    size_t n = 0;
    char buf[64];

    v[n++] = xstrdup(binary);
    v[n++] = xstrdup("-M");
    v[n++] = xstrdup(smp > 8 ? "virt,gic-version=3" : "virt");
    v[n++] = xstrdup("-cpu");
    v[n++] = xstrdup("cortex-a15");
    v[n++] = xstrdup("-nographic");
    v[n++] = xstrdup("-semihosting");
    v[n++] = xstrdup("-smp");
    snprintf(buf, sizeof(buf), "%u", smp);
    v[n++] = xstrdup(buf);
    v[n++] = xstrdup("-accel");
    v[n++] = xstrdup(accel);
    v[n++] = xstrdup("-kernel");
    v[n++] = xstrdup(image);
    if (args && *args) {
        v[n++] = xstrdup("-append");
        v[n++] = xstrdup(args);
    }
    v[n] = NULL;
    *argc = n;
    return v;
}

char **emulator_argv(const char *binary, unsigned smp, enum thread_mode thread,
                     const char *image, const char *args, size_t *argc)
{
    char accel[64];

    snprintf(accel, sizeof(accel), "tcg,thread=%s", thread_mode_name(thread));
    return build_argv(binary, smp, accel, image, args, argc);
}

char **emulator_argv_strex(const char *binary, unsigned smp, enum thread_mode thread,
                           const struct emulator_strex_keys *keys, const char *image,
                           const char *args, size_t *argc)
{
    char accel[128];
    int n = snprintf(accel, sizeof(accel), "tcg,thread=%s", thread_mode_name(thread));

    if (keys->seeded)
        n += snprintf(accel + n, sizeof(accel) - (size_t)n, ",sched=chaos,seed=%lu", keys->seed);
    if (keys->has_llsc)
        snprintf(accel + n, sizeof(accel) - (size_t)n, ",llsc=%s", llsc_mode_name(keys->llsc));
    return build_argv(binary, smp, accel, image, args, argc);
}

char **emulator_argv_chaos(const char *binary, unsigned smp, const char *image,
                           const char *args, unsigned long seed, size_t *argc)
{
    struct emulator_strex_keys keys = { .seeded = true, .seed = seed };

    return emulator_argv_strex(binary, smp, THREAD_SINGLE, &keys, image, args, argc);
}
