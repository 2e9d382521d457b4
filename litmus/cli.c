/*
 * cli.c — `strex litmus show FILE...` and `strex litmus parse-all PATH`.
 *
 * show prints a test back as it was understood (normalized litmus
 * syntax), the register each symbolic register got, and each thread's code
 * as a listing of offsets, words and instructions. parse-all runs the
 * whole pipeline (parse, allocate, encode, generate the descriptor) over a
 * folder or a .tgz of tests, the campaign's health check: a .tgz is
 * unpacked by tar into a fresh folder under $TMPDIR that is removed
 * afterwards. Failures are listed one per line, each with FILE:LINE (or
 * FILE: test NAME, for a descriptor limit) and the reason. Generation
 * runs without a model verdict: the verdict only changes the quantifier
 * word, one character at most.
 */
#include "litmus/gen.h"
#include "litmus/lex.h"

#include "util/fatal.h"
#include "util/log.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

extern char **environ;

#define WALK_MAX_DEPTH 16

/* ---- show ------------------------------------------------------------------ */

static void print_symbols(FILE *f, const struct litmus_thread *th)
{
    for (size_t i = 0; i < th->n_syms; i++) {
        fprintf(f, "%s%%%s=R%d (", i ? ", " : "  symbols: ", th->syms[i].name,
                th->syms[i].reg);
        litmus_value_print(f, &th->syms[i].value);
        fputc(')', f);
    }
    if (th->n_syms)
        fputc('\n', f);
}

static int show_code(FILE *f, const struct litmus_test *t)
{
    char err[512];
    int rc = 0;

    for (size_t i = 0; i < t->n_threads; i++) {
        struct litmus_code code;

        fprintf(f, "\nP%zu code:\n", i);
        print_symbols(f, &t->threads[i]);
        if (litmus_encode_thread(t, i, &code, err, sizeof(err))) {
            log_error("%s", err);
            rc = 1;
            continue;
        }
        litmus_code_print(f, t, i, &code, 0);
        litmus_code_free(&code);
    }
    return rc;
}

static int show_one(const char *path)
{
    struct litmus_test t;
    char err[512];
    int rc;

    if (litmus_parse_file(path, &t, err, sizeof(err))) {
        log_error("%s", err);
        return 1;
    }
    litmus_test_print(stdout, &t);
    if (litmus_alloc_registers(&t, LITMUS_DEFAULT_POOL, err, sizeof(err))) {
        log_error("%s", err);
        litmus_test_free(&t);
        return 1;
    }
    rc = show_code(stdout, &t);
    litmus_test_free(&t);
    return rc;
}

int litmus_cli_show(int argc, char **argv)
{
    int rc = 0;

    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        printf("usage: %s FILE.litmus...\n"
               "Prints each test as parsed and each thread's A32 code.\n",
               argc ? argv[0] : "show");
        return argc < 2 ? 2 : 0;
    }
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            putchar('\n');
        rc |= show_one(argv[i]);
    }
    return rc;
}

/* ---- finding the files ------------------------------------------------------ */

struct file_list {
    char **paths;
    size_t n;
};

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);

    return a >= b && !strcmp(s + a - b, suffix);
}

static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = xmalloc(len);

    snprintf(p, len, "%s/%s", dir, name);
    return p;
}

static void collect(const char *dir, int depth, struct file_list *out)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (!d || depth > WALK_MAX_DEPTH) {
        if (d)
            closedir(d);
        return;
    }
    while ((e = readdir(d))) {
        struct stat st;
        char *path;

        if (e->d_name[0] == '.')
            continue;
        path = join(dir, e->d_name);
        if (lstat(path, &st) != 0) {
            free(path);
        } else if (S_ISDIR(st.st_mode)) {
            collect(path, depth + 1, out);
            free(path);
        } else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".litmus")) {
            out->paths = xrealloc(out->paths, (out->n + 1) * sizeof(char *));
            out->paths[out->n++] = path;
        } else {
            free(path);
        }
    }
    closedir(d);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

int litmus_unpack_tgz(const char *tgz, char *dir, size_t dirlen, char *err, size_t errlen)
{
    const char *tmp = getenv("TMPDIR");
    char *argv[] = { "tar", "xzf", (char *)tgz, "-C", dir, NULL };
    pid_t pid;
    int status = 0;

    snprintf(dir, dirlen, "%s/strex-litmus-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        snprintf(err, errlen, "%s: cannot create a temporary folder: %s", dir, strerror(errno));
        return -1;
    }
    if (posix_spawnp(&pid, "tar", NULL, NULL, argv, environ) != 0 ||
        waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
        snprintf(err, errlen, "%s: tar could not unpack it", tgz);
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        return -1;
    }
    return 0;
}

void litmus_remove_tree(const char *dir)
{
    if (*dir)
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- checking every test -------------------------------------------------- */

/* Allocate and encode a parsed test: 0, or -1 with err. */
static int encode_all(struct litmus_test *t, struct litmus_campaign *c, char *err,
                      size_t errlen)
{
    int rc = litmus_alloc_registers(t, LITMUS_DEFAULT_POOL, err, errlen);

    for (size_t i = 0; rc == 0 && i < t->n_threads; i++) {
        struct litmus_code code;

        rc = litmus_encode_thread(t, i, &code, err, errlen);
        c->insns += code.n_words;
        litmus_code_free(&code);
    }
    return rc;
}

/* Parse, allocate, encode, generate one file; name is what messages call
 * it; d is scratch space for the descriptor. */
static void check_one(const char *path, const char *name, struct litmus_campaign *c,
                      struct litmus_desc *d, FILE *failures)
{
    struct litmus_test t;
    char *text, err[512];
    int rc;

    c->total++;
    rc = litmus_read_text(path, &text, err, sizeof(err));
    if (rc == 0) {
        rc = litmus_parse_string(name, text, &t, err, sizeof(err));
        free(text);
    }
    if (rc) {
        if (failures)
            fprintf(failures, "parse: %s\n", err);
        return;
    }
    c->parsed++;
    c->by_threads[t.n_threads]++;
    if (encode_all(&t, c, err, sizeof(err))) {
        if (failures)
            fprintf(failures, "encode: %s\n", err);
        litmus_test_free(&t);
        return;
    }
    c->encoded++;
    if (litmus_gen_desc(&t, LITMUS_MODEL_UNKNOWN, d, err, sizeof(err)) == LITMUS_GEN_OK)
        c->generated++;
    else if (failures)
        fprintf(failures, "generate: %s\n", err);
    litmus_test_free(&t);
}

int litmus_campaign_check(const char *path, struct litmus_campaign *c, FILE *failures,
                          char *err, size_t errlen)
{
    char tmp[4096] = "";
    const char *root = path;
    struct file_list files = { 0 };
    struct litmus_desc *d;
    struct stat st;

    *c = (struct litmus_campaign){ 0 };
    if (stat(path, &st)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (!ends_with(path, ".tgz") && !ends_with(path, ".tar.gz")) {
            snprintf(err, errlen, "%s: neither a folder nor a .tgz", path);
            return -1;
        }
        if (litmus_unpack_tgz(path, tmp, sizeof(tmp), err, errlen))
            return -1;
        root = tmp;
    }
    collect(root, 0, &files);
    if (files.n)
        qsort(files.paths, files.n, sizeof(char *), by_name);
    d = xmalloc(sizeof(*d));
    for (size_t i = 0; i < files.n; i++) {
        check_one(files.paths[i], files.paths[i] + strlen(root) + 1, c, d, failures);
        free(files.paths[i]);
    }
    free(d);
    free(files.paths);
    litmus_remove_tree(tmp);
    return 0;
}

int litmus_cli_parse_all(int argc, char **argv)
{
    struct litmus_campaign c;
    char err[512];
    bool first = true;

    if (argc != 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        printf("usage: %s DIR|FILE.tgz\n"
               "Parses, encodes and generates every .litmus test; lists each failure.\n",
               argc ? argv[0] : "parse-all");
        return argc != 2 ? 2 : 0;
    }
    if (litmus_campaign_check(argv[1], &c, stdout, err, sizeof(err))) {
        log_error("%s", err);
        return 1;
    }
    printf("parsed %zu/%zu, encoded %zu/%zu, generated %zu/%zu\n", c.parsed, c.total,
           c.encoded, c.total, c.generated, c.total);
    printf("threads:");
    for (size_t n = 0; n <= LITMUS_MAX_COLUMNS; n++)
        if (c.by_threads[n]) {
            printf("%s %zu:%zu", first ? "" : ",", n, c.by_threads[n]);
            first = false;
        }
    printf("; instructions encoded: %zu\n", c.insns);
    if (c.total == 0)
        log_error("%s: no .litmus files found", argv[1]);
    return c.total && c.generated == c.total ? 0 : 1;
}
