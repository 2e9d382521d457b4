/*
 * main.c — the strex command: dispatch to help, version, `run`, `difftest` or
 * `litmus run|show|parse-all|compare` (litmus/run.c, cli.c, cli_compare.c).
 *
 * Exit statuses: 0 success, 1 a test failed (or passed unexpectedly),
 * 2 bad usage or a broken suite file (see cmd_run.h).
 */
#include "harness/cmdline.h"
#include "harness/cmd_run.h"
#include "harness/difftest.h"
#include "litmus/cli_compare.h"
#include "litmus/litmus.h"
#include "litmus/run.h"
#include "util/log.h"

#include <stdio.h>
#include <string.h>

/* `strex litmus SUB ARGS...`: SUB gets argv from its own name on. */
static int cmd_litmus(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[2], "show") == 0)
        return litmus_cli_show(argc - 2, argv + 2);
    if (argc >= 3 && strcmp(argv[2], "parse-all") == 0)
        return litmus_cli_parse_all(argc - 2, argv + 2);
    if (argc >= 3 && strcmp(argv[2], "compare") == 0)
        return litmus_cli_compare(argc - 2, argv + 2);
    if (argc >= 3 && strcmp(argv[2], "run") == 0)
        return litmus_cli_run(argc - 2, argv + 2);
    log_error("litmus: expected 'run', 'show', 'parse-all' or 'compare'%s%s (see strex --help)",
              argc >= 3 ? ", not " : "", argc >= 3 ? argv[2] : "");
    return RUN_USAGE;
}

int main(int argc, char **argv)
{
    struct cmdline cli;
    char err[1024];
    int status;

    log_init("strex");
    if (argc >= 2 && strcmp(argv[1], "litmus") == 0)
        return cmd_litmus(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "difftest") == 0)
        return difftest_main(argc - 1, argv + 1);
    if (cmdline_parse(argc, argv, &cli, err, sizeof(err)) != 0) {
        log_error("%s (see strex --help)", err);
        return RUN_USAGE;
    }
    switch (cli.command) {
    case CMDLINE_HELP:
        cmdline_usage(stdout);
        status = 0;
        break;
    case CMDLINE_VERSION:
        printf("strex %s\n", STREX_VERSION);
        status = 0;
        break;
    default:
        status = cmd_run(&cli.run, argc, argv);
        break;
    }
    cmdline_free(&cli);
    return status;
}
