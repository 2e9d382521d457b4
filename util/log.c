/*
 * log.c — one-line messages on stderr.
 *
 * The level and program name are set once at start-up, before any thread
 * exists, and only read afterwards; each message is written with a single
 * fprintf-sized write so lines from different threads do not interleave.
 */
#include "util/log.h"

#include <stdio.h>

static const char *log_prog_name = "strex"; /* set before threads start */
static enum log_level log_level = LOG_INFO; /* set before threads start */

void log_init(const char *prog)
{
    log_prog_name = prog;
}

const char *log_prog(void)
{
    return log_prog_name;
}

void log_set_level(enum log_level level)
{
    log_level = level;
}

enum log_level log_get_level(void)
{
    return log_level;
}

void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
    static const char *const prefix[] = {
        [LOG_ERROR] = "", [LOG_WARN] = "warning: ",
        [LOG_INFO] = "", [LOG_DEBUG] = "debug: ",
    };
    char line[2048];

    if (level > log_level)
        return;
    vsnprintf(line, sizeof(line), fmt, ap);
    fprintf(stderr, "%s: %s%s\n", log_prog_name, prefix[level], line);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vmsg(level, fmt, ap);
    va_end(ap);
}
