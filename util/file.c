/*
 * file.c — whole-file reads and mkdir -p (file.h).
 */
#include "util/file.h"

#include "util/fatal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FILE_CHUNK 65536

char *file_read_all(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t got;
    int too_large;

    *len = 0;
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    do {
        buf = xrealloc(buf, *len + FILE_CHUNK + 1);
        got = fread(buf + *len, 1, FILE_CHUNK, f);
        *len += got;
    } while (got == FILE_CHUNK && (!max || *len <= max));
    too_large = max && *len > max;
    if (ferror(f) || too_large) {
        if (too_large)
            snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
        else
            snprintf(err, errlen, "%s: read error", path);
        free(buf);
        fclose(f);
        *len = 0;
        return NULL;
    }
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

int file_make_dirs(const char *path, char *err, size_t errlen)
{
    char *p = xstrdup(path);
    int rc = 0;

    for (char *s = p + 1;; s++) {
        int end = *s == '\0';

        if (*s != '/' && !end)
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create %s: %s", p, strerror(errno));
            rc = -1;
            break;
        }
        if (end)
            break;
        *s = '/';
    }
    free(p);
    return rc;
}
