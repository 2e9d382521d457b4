/*
 * log.h — messages for the user, one line each, prefixed with the program.
 *
 * Every host program calls log_init() with its name first. Errors caused by
 * bad input are reported with log_error() and turned into a non-zero exit by
 * the caller; only internal errors go through fatal() (fatal.h).
 */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#include <stdarg.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_init(const char *prog);
const char *log_prog(void);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level level, const char *fmt, va_list ap);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
