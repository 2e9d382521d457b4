/*
 * main.c — strex-emu: parse the qemu-system-arm style command line, build
 * the virt board, run it, and exit with the guest's status.
 *
 * Exit statuses follow QEMU's (machine-contract.md §8): the semihosting
 * exit code, 0 for PSCI SYSTEM_OFF, 1 for bad options or a bad image.
 */
#include "arm/cpu.h"
#include "emu/devtree.h"
#include "emu/emu_cmdline.h"
#include "emu/exec.h"
#include "emu/machine.h"
#include "emu/tbcache.h"
#include "util/fatal.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>

static int dump_dtb(const struct emu_config *cfg)
{
    char err[256];
    void *blob = xcalloc(1, EMU_DTB_SIZE);
    if (emu_devtree_build(cfg, blob, EMU_DTB_SIZE, err, sizeof(err)) != 0) {
        log_error("%s", err);
        free(blob);
        return 1;
    }
    FILE *f = fopen(cfg->dumpdtb, "wb");
    size_t size = ((uint32_t)((uint8_t *)blob)[4] << 24) | ((uint32_t)((uint8_t *)blob)[5] << 16)
                | ((uint32_t)((uint8_t *)blob)[6] << 8) | ((uint8_t *)blob)[7];
    if (f == NULL || fwrite(blob, 1, size, f) != size || fclose(f) != 0) {
        log_error("-M virt,dumpdtb=%s: cannot write the file", cfg->dumpdtb);
        free(blob);
        return 1;
    }
    free(blob);
    return 0;
}

static void write_code_stats(void *opaque, struct json_writer *w)
{
    emu_tb_cache_write_stats(opaque, w);
}

static int run(const struct emu_config *cfg)
{
    char err[512];
    struct emu_machine *m;
    if (emu_machine_new(cfg, &m, err, sizeof(err)) != 0) {
        log_error("%s", err);
        return 1;
    }
    if (cfg->debug & EMU_DEBUG_UNIMP)
        arm_unimp_log = m->log;
    int status = emu_exec_run(m);
    fflush(stdout);
    if (cfg->stats_file != NULL && emu_stats_write(&m->stats, cfg->stats_file, write_code_stats, m->tbs) != 0) {
        log_error("-stats %s: cannot write the file", cfg->stats_file);
        status = status ? status : 1;
    }
    emu_machine_free(m);
    return status;
}

int main(int argc, char **argv)
{
    log_init("strex-emu");
    struct emu_config cfg;
    char err[512];
    emu_config_init(&cfg);
    if (emu_cmdline_parse(argc, argv, &cfg, err, sizeof(err)) != 0) {
        log_error("%s", err);
        emu_config_free(&cfg);
        return 1;
    }
    int status = 0;
    switch (cfg.action) {
    case EMU_ACTION_HELP:
        emu_cmdline_usage(stdout);
        break;
    case EMU_ACTION_VERSION:
        emu_cmdline_version(stdout);
        break;
    case EMU_ACTION_DEBUG_HELP:
        emu_cmdline_debug_items(stdout);
        break;
    case EMU_ACTION_RUN:
        status = cfg.dumpdtb ? dump_dtb(&cfg) : run(&cfg);
        break;
    }
    emu_config_free(&cfg);
    return status;
}
