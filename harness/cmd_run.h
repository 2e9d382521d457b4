/*
 * cmd_run.h — `strex run`: the whole run, from options to exit status.
 */
#ifndef HARNESS_CMD_RUN_H
#define HARNESS_CMD_RUN_H

#include "harness/cmdline.h"

/* Exit statuses of `strex run`. */
enum {
    RUN_OK = 0,      /* no FAIL, no XPASS */
    RUN_FAILED = 1,  /* a FAIL or an XPASS, or the reports could not be written */
    RUN_USAGE = 2,   /* bad options, suite file, emulator, out folder */
};

/* Runs the matrix and writes the reports; argv is strex's own command
 * line, recorded in them. Returns the exit status (128 + signal when a
 * signal interrupted it). */
int cmd_run(const struct run_options *o, int argc, char **argv);

#endif
