/*
 * file.h — reading a whole file into memory; creating a folder path.
 *
 * The one loop every reader of small inputs needs (litmus files, verdict
 * tables, guest logs, ELF images). The buffer always ends in a NUL that
 * *len does not count, so text readers can use it as a string.
 */
#ifndef UTIL_FILE_H
#define UTIL_FILE_H

#include <stddef.h>

/* The whole file at path, or NULL with a one-line message in err:
 * "PATH: cannot open: REASON", "PATH: read error", or, when max is not 0
 * and the file holds more than max bytes, "PATH: larger than MAX bytes".
 * free() the result. */
char *file_read_all(const char *path, size_t max, size_t *len, char *err, size_t errlen);

/* mkdir -p: path and every missing parent (mode 0755). 0, or -1 with
 * "cannot create DIR: REASON" in err. */
int file_make_dirs(const char *path, char *err, size_t errlen);

#endif
