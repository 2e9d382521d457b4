/*
 * file.c — whole-file reads (file.h).
 */
#include "util/file.h"

#include "util/fatal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
