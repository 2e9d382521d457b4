/*
 * run_select.c — which tests `strex litmus run` covers.
 *
 * Candidates come from the files and folders named (every *.litmus,
 * recursively) and from the campaign: shared/litmus/herding-cats/
 * arm-tests.tgz beside the repository, found from the current folder or
 * from the strex binary, or $STREX_LITMUS_CAMPAIGN (a .tgz or a folder).
 * A .tgz is unpacked by tar into a fresh folder under $TMPDIR, removed by
 * litmus_selection_free(). Each candidate is parsed once for its name
 * (the campaign in about 0.6 s); --list and --filter keep the candidates
 * whose test name or file name they give, and an unknown name is an
 * error; then everything is sorted by name and cut to --limit.
 */
#include "litmus/run.h"

#include "litmus/lex.h"
#include "util/fatal.h"
#include "util/opt.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#define CAMPAIGN_DEFAULT "../shared/litmus/herding-cats/arm-tests.tgz"

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);

    return a >= b && !strcmp(s + a - b, suffix);
}

static char *join(const char *a, const char *b)
{
    char *p;

    if (asprintf(&p, "%s/%s", a, b) < 0)
        fatal("out of memory");
    return p;
}

static void add_candidate(struct litmus_selection *s, const char *path, const char *display)
{
    const char *slash = strrchr(path, '/');
    struct litmus_candidate *c;
    char *base;

    s->tests = xrealloc(s->tests, (s->n + 1) * sizeof(*s->tests));
    c = &s->tests[s->n++];
    base = xstrdup(slash ? slash + 1 : path);
    if (ends_with(base, ".litmus"))
        base[strlen(base) - strlen(".litmus")] = '\0';
    *c = (struct litmus_candidate){ .path = xstrdup(path), .display = xstrdup(display),
                                    .base = base };
}

/* Every *.litmus under dir (depth-first, at most 8 levels). */
static void collect_dir(struct litmus_selection *s, const char *dir, const char *display, int depth)
{
    DIR *d = depth < 8 ? opendir(dir) : NULL;
    struct dirent *e;

    while (d && (e = readdir(d))) {
        char *path, *shown;
        struct stat st;

        if (e->d_name[0] == '.')
            continue;
        path = join(dir, e->d_name);
        shown = join(display, e->d_name);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            collect_dir(s, path, shown, depth + 1);
        else if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && ends_with(path, ".litmus"))
            add_candidate(s, path, shown);
        free(path);
        free(shown);
    }
    if (d)
        closedir(d);
}

static int unpack(struct litmus_selection *s, char *err, size_t errlen)
{
    if (litmus_unpack_tgz(s->campaign, s->tmp, sizeof(s->tmp), err, errlen)) {
        s->tmp[0] = '\0';
        return -1;
    }
    return 0;
}

/* $STREX_LITMUS_CAMPAIGN, else shared/ beside the repository: seen from
 * the current folder, or from the strex binary (build/strex). */
static char *find_campaign(char *err, size_t errlen)
{
    const char *env = getenv("STREX_LITMUS_CAMPAIGN");
    char self[PATH_MAX], *slash, *p;
    ssize_t n;

    if (env && *env) {
        if (access(env, R_OK) == 0)
            return xstrdup(env);
        snprintf(err, errlen, "campaign %s (STREX_LITMUS_CAMPAIGN) not found", env);
        return NULL;
    }
    if (access(CAMPAIGN_DEFAULT, R_OK) == 0)
        return xstrdup(CAMPAIGN_DEFAULT);
    n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n > 0) {
        self[n] = '\0';
        slash = strrchr(self, '/');
        if (slash)
            *slash = '\0';
        p = join(self, "../" CAMPAIGN_DEFAULT);
        if (access(p, R_OK) == 0)
            return p;
        free(p);
    }
    snprintf(err, errlen, "campaign " CAMPAIGN_DEFAULT " not found (set STREX_LITMUS_CAMPAIGN)");
    return NULL;
}

static int gather_campaign(struct litmus_selection *s, char *err, size_t errlen)
{
    struct stat st;

    s->campaign = find_campaign(err, errlen);
    if (!s->campaign)
        return -1;
    if (stat(s->campaign, &st) == 0 && S_ISDIR(st.st_mode)) {
        collect_dir(s, s->campaign, s->campaign, 0);
        return 0;
    }
    if (unpack(s, err, errlen))
        return -1;
    collect_dir(s, s->tmp, s->campaign, 0);
    return 0;
}

static int gather_paths(struct litmus_selection *s, const struct litmus_select_spec *spec,
                        char *err, size_t errlen)
{
    for (size_t i = 0; i < spec->n_paths; i++) {
        const char *p = spec->paths[i];
        struct stat st;

        if (stat(p, &st) != 0) {
            snprintf(err, errlen, "%s: %s", p, strerror(errno));
            return -1;
        }
        if (S_ISDIR(st.st_mode))
            collect_dir(s, p, p, 0);
        else
            add_candidate(s, p, p);
    }
    return 0;
}

/* ---- narrowing them down ------------------------------------------------------- */

static void name_candidates(struct litmus_selection *s)
{
    for (size_t i = 0; i < s->n; i++) {
        struct litmus_candidate *c = &s->tests[i];
        struct litmus_test t;
        char *text, err[512];

        if (litmus_read_text(c->path, &text, err, sizeof(err)) == 0) {
            if (litmus_parse_string(c->display, text, &t, err, sizeof(err)) == 0)
                c->name = xstrdup(t.name);
            litmus_test_free(&t);
            free(text);
        }
        if (!c->name)
            c->error = xstrdup(err);
    }
}

const char *litmus_candidate_name(const struct litmus_candidate *c)
{
    return c->name ? c->name : c->base;
}

static bool cand_is(const struct litmus_candidate *c, const char *word)
{
    return !strcmp(litmus_candidate_name(c), word) || !strcmp(c->base, word);
}

static int by_name(const void *a, const void *b)
{
    const struct litmus_candidate *x = a, *y = b;
    int d = strcmp(litmus_candidate_name(x), litmus_candidate_name(y));

    return d ? d : strcmp(x->display, y->display);
}

static void free_candidate(struct litmus_candidate *c)
{
    free(c->path);
    free(c->display);
    free(c->base);
    free(c->name);
    free(c->error);
}

/* Reads --list: one name per line, '#' starts a comment. */
static int read_list(const char *path, char ***names, size_t *n, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int no = 0;

    *names = NULL, *n = 0;
    if (!f) {
        snprintf(err, errlen, "--list: %s: %s", path, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof(line), f)) {
        char *p = line, *hash = strchr(line, '#'), *end;

        no++;
        if (hash)
            *hash = '\0';
        p += strspn(p, " \t\r\n");
        end = p + strcspn(p, " \t\r\n");
        if (p == end)
            continue;
        if (end[strspn(end, " \t\r\n")]) {
            snprintf(err, errlen, "%s:%d: one test name per line", path, no);
            fclose(f);
            opt_free_words(*names, *n);
            return -1;
        }
        *end = '\0';
        *names = xrealloc(*names, (*n + 1) * sizeof(**names));
        (*names)[(*n)++] = xstrdup(p);
    }
    fclose(f);
    return 0;
}

/* Keeps the candidates some word names; an unknown word is an error. */
static int keep_named(struct litmus_selection *s, char **words, size_t n_words, const char *what,
                      char *err, size_t errlen)
{
    bool *keep = xcalloc(s->n ? s->n : 1, sizeof(*keep));
    size_t kept = 0;

    for (size_t w = 0; w < n_words; w++) {
        bool found = false;

        for (size_t i = 0; i < s->n; i++)
            if (cand_is(&s->tests[i], words[w]))
                keep[i] = found = true;
        if (!found) {
            snprintf(err, errlen, "%s: no test named '%s'%s", what, words[w],
                     s->campaign ? " in the campaign" : "");
            free(keep);
            return -1;
        }
    }
    for (size_t i = 0; i < s->n; i++) {
        if (keep[i])
            s->tests[kept++] = s->tests[i];
        else
            free_candidate(&s->tests[i]);
    }
    s->n = kept;
    free(keep);
    return 0;
}

int litmus_select(const struct litmus_select_spec *spec, struct litmus_selection *s, char *err,
                  size_t errlen)
{
    *s = (struct litmus_selection){ 0 };
    if (spec->campaign && gather_campaign(s, err, errlen))
        return -1;
    if (gather_paths(s, spec, err, errlen))
        return -1;
    name_candidates(s);
    if (spec->list) {
        char **names;
        size_t n;
        int rc;

        if (read_list(spec->list, &names, &n, err, errlen))
            return -1;
        rc = keep_named(s, names, n, spec->list, err, errlen);
        opt_free_words(names, n);
        if (rc)
            return -1;
    }
    if (spec->n_filter && keep_named(s, spec->filter, spec->n_filter, "--filter", err, errlen))
        return -1;
    if (s->n)
        qsort(s->tests, s->n, sizeof(*s->tests), by_name);
    while (spec->limit && s->n > spec->limit)
        free_candidate(&s->tests[--s->n]);
    if (!s->n) {
        snprintf(err, errlen, "no .litmus tests found");
        return -1;
    }
    return 0;
}

void litmus_selection_free(struct litmus_selection *s)
{
    for (size_t i = 0; i < s->n; i++)
        free_candidate(&s->tests[i]);
    free(s->tests);
    if (s->tmp[0])
        litmus_remove_tree(s->tmp);
    free(s->campaign);
    *s = (struct litmus_selection){ 0 };
}
