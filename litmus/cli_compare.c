/*
 * cli_compare.c — `strex litmus compare A B`.
 *
 * Each side is one log file, or a folder whose *.log files (not its
 * subfolders) are read in name order and merged into one log, as a
 * campaign leaves one log per test. A test found in two files of the same
 * side is an error rather than a silent pick of one: the two runs could
 * disagree. A side with no Test block at all is an error too, since it is
 * most likely not a log (a guest that bailed out, a wrong path). The table
 * itself is litmus_log_compare's (log_compare.c).
 */
#include "litmus/cli_compare.h"

#include "litmus/log.h"
#include "util/fatal.h"
#include "util/log.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ERR_LEN 1024

/* Where each test of a merged side came from, to name both files of a
 * duplicate. */
struct origin {
    const char *name;
    const char *file;
};

struct side {
    struct litmus_log log;
    char **files; /* the files read, owned */
    size_t nfiles;
};

static bool is_log_name(const char *name)
{
    size_t n = strlen(name);

    return name[0] != '.' && n > 4 && !strcmp(name + n - 4, ".log");
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* By test name, then by file, so a duplicate names its earlier file last. */
static int by_origin_name(const void *a, const void *b)
{
    const struct origin *x = a, *y = b;
    int c = strcmp(x->name, y->name);

    return c ? c : strcmp(x->file, y->file);
}

/* The folder's *.log regular files, full paths, sorted. */
static int list_logs(const char *dir, struct side *s, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (!d) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(d))) {
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *path;
        struct stat st;

        if (!is_log_name(e->d_name))
            continue;
        path = xmalloc(len);
        snprintf(path, len, "%s/%s", dir, e->d_name);
        if (stat(path, &st) || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        s->files = xrealloc(s->files, (s->nfiles + 1) * sizeof(*s->files));
        s->files[s->nfiles++] = path;
    }
    closedir(d);
    if (!s->nfiles) {
        snprintf(err, errlen, "%s: no *.log files in this folder", dir);
        return -1;
    }
    qsort(s->files, s->nfiles, sizeof(*s->files), by_string);
    return 0;
}

/* Appends from's tests to into; from is left empty. */
static void merge(struct litmus_log *into, struct litmus_log *from)
{
    into->tests = xrealloc(into->tests, (into->ntests + from->ntests + 1) * sizeof(*into->tests));
    memcpy(into->tests + into->ntests, from->tests, from->ntests * sizeof(*from->tests));
    into->ntests += from->ntests;
    free(from->tests);
    *from = (struct litmus_log){ 0 };
}

static int check_duplicates(const struct origin *o, size_t n, char *err, size_t errlen)
{
    for (size_t i = 1; i < n; i++)
        if (!strcmp(o[i - 1].name, o[i].name)) {
            snprintf(err, errlen, "%s: test %s is also in %s", o[i].file, o[i].name,
                     o[i - 1].file);
            return -1;
        }
    return 0;
}

static int read_files(struct side *s, char *err, size_t errlen)
{
    struct origin *o = NULL;
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < s->nfiles; i++) {
        struct litmus_log one;

        rc = litmus_log_read_file(s->files[i], &one, err, errlen);
        if (rc)
            break;
        o = xrealloc(o, (s->log.ntests + one.ntests + 1) * sizeof(*o));
        for (size_t j = 0; j < one.ntests; j++)
            o[s->log.ntests + j] = (struct origin){ one.tests[j].name, s->files[i] };
        merge(&s->log, &one);
    }
    if (rc == 0 && s->log.ntests) {
        qsort(o, s->log.ntests, sizeof(*o), by_origin_name);
        rc = check_duplicates(o, s->log.ntests, err, errlen);
    }
    free(o);
    return rc;
}

static int load_side(const char *path, struct side *s, char *err, size_t errlen)
{
    struct stat st;

    if (stat(path, &st)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        if (list_logs(path, s, err, errlen))
            return -1;
    } else {
        s->files = xmalloc(sizeof(*s->files));
        s->files[s->nfiles++] = xstrdup(path);
    }
    if (read_files(s, err, errlen))
        return -1;
    if (!s->log.ntests) {
        snprintf(err, errlen, "%s: no litmus7 log in it (no \"Test NAME VERDICT\" block)", path);
        return -1;
    }
    return 0;
}

static void free_side(struct side *s)
{
    litmus_log_free(&s->log);
    for (size_t i = 0; i < s->nfiles; i++)
        free(s->files[i]);
    free(s->files);
}

int litmus_cli_compare(int argc, char **argv)
{
    struct side a = { 0 }, b = { 0 };
    char err[ERR_LEN];
    int rc = 2;

    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        printf("usage: %s A B\n"
               "Compares two litmus7 logs (files, or folders of *.log files), one row per\n"
               "test. Exit status: 0 they agree, 1 they disagree, 2 an error.\n",
               argv[0]);
        return 0;
    }
    if (argc != 3) {
        log_error("%s: expected two logs, A and B (usage: %s A B)", argc ? argv[0] : "compare",
                  argc ? argv[0] : "compare");
        return 2;
    }
    if (load_side(argv[1], &a, err, sizeof(err)) || load_side(argv[2], &b, err, sizeof(err)))
        log_error("%s", err);
    else
        rc = litmus_log_compare(stdout, argv[1], &a.log, argv[2], &b.log) ? 1 : 0;
    free_side(&a);
    free_side(&b);
    return rc;
}
