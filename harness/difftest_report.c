/*
 * difftest_report.c — what a difftest run prints and writes.
 *
 * stdout: a summary and the first few differences in full; OUT/report.md:
 * the summary and every difference (each with the command that rebuilds
 * that one sequence, its initial state and its code); OUT/report.json:
 * the same in machine form, plus how often each line was drawn.
 *
 * The code listing names each word's a32.def line (our decoder) and, when
 * arm-none-eabi-objdump is on PATH, its disassembly: the words of the
 * sequence are written to OUT/diffs/seq-K.bin and disassembled as a raw
 * binary, so the listing does not depend on the batch image.
 */
#include "harness/difftest.h"

#include "harness/runner.h"
#include "util/fatal.h"
#include "util/file.h"
#include "util/json.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SHOWN_ON_STDOUT 5
#define MAX_DISASSEMBLED 100

/* ---- disassembly ---------------------------------------------------------------- */

static void noop_done(struct runner_job *job, void *ctx)
{
    (void)job, (void)ctx;
}

/* The text after "OFFSET:\tWORD \t" on each objdump line, by word index;
 * NULL entries where objdump said nothing. */
static void parse_objdump(char *text, char **lines, size_t n)
{
    for (char *p = text, *nl; p && *p; p = nl ? nl + 1 : NULL) {
        char *colon, *end;
        unsigned long off;

        nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        off = strtoul(p, &colon, 16);
        if (colon == p || *colon != ':' || off % 4 || off / 4 >= n)
            continue;
        strtoul(colon + 1, &end, 16);
        end += strspn(end, " \t");
        for (char *t = end; *t; t++)
            if (*t == '\t')
                *t = ' ';
        free(lines[off / 4]);
        lines[off / 4] = xstrdup(end);
    }
}

/* lines[i] = the disassembly of word i, or NULL. */
static void disassemble(const char *out_dir, const struct difftest_seq *s, char **lines)
{
    char bin[4096], txt[4096], errp[4096], err[256], *text;
    FILE *f;
    size_t len;

    snprintf(bin, sizeof(bin), "%s/diffs/seq-%" PRIu32 ".bin", out_dir, s->index);
    snprintf(txt, sizeof(txt), "%s/diffs/seq-%" PRIu32 ".objdump", out_dir, s->index);
    snprintf(errp, sizeof(errp), "%s/diffs/seq-%" PRIu32 ".objdump.err", out_dir, s->index);
    if (!(f = fopen(bin, "wb")))
        return;
    for (size_t i = 0; i < s->n_slots; i++) {
        uint8_t b[4] = { (uint8_t)s->slots[i].word, (uint8_t)(s->slots[i].word >> 8),
                         (uint8_t)(s->slots[i].word >> 16), (uint8_t)(s->slots[i].word >> 24) };

        fwrite(b, 1, 4, f);
    }
    fclose(f);
    char *argv[] = { "arm-none-eabi-objdump", "-D", "-b", "binary", "-marm", "-EL", bin, NULL };
    struct runner_job job = { .argv = argv, .timeout_s = 30, .stdout_path = txt,
                              .stderr_path = errp };

    if (runner_run(&job, 1, 1, noop_done, NULL) || !job.started || job.exit_status)
        return;
    if ((text = file_read_all(txt, 1 << 20, &len, err, sizeof(err)))) {
        parse_objdump(text, lines, s->n_slots);
        free(text);
    }
}

/* ---- one difference ------------------------------------------------------------ */

static void print_repro(FILE *f, const struct difftest_result *res, const struct difftest_seq *s)
{
    const struct difftest_options *o = res->o;

    fprintf(f, "  reproduce: strex difftest --emulator-a %s --emulator-b %s --seed %lu "
               "--length %lu-%lu",
            o->emu_a, o->emu_b, o->seed, o->min_len, o->max_len);
    if (o->have_lines) {
        const char *sep = " --lines ";

        for (int l = 0; l < A32_N_LINES; l++)
            if (o->picked[l]) {
                fprintf(f, "%s%s", sep, arm_insn_name((enum a32_line)l));
                sep = ",";
            }
    }
    fprintf(f, " --only %" PRIu32 "\n", s->index);
}

static void print_initial(FILE *f, const struct difftest_seq *s)
{
    fputs("  initial:", f);
    for (unsigned i = 0; i < 15; i++)
        fprintf(f, " r%u=%08" PRIx32, i, s->regs[i]);
    fprintf(f, "\n           apsr=%08" PRIx32 " tpidrurw=%08" PRIx32 " tpidruro=%08" PRIx32
               " tpidrprw=%08" PRIx32 " mem_seed=%08" PRIx32 "\n",
            s->psr, s->tpidr[0], s->tpidr[1], s->tpidr[2], s->mem_seed);
}

static void print_code(FILE *f, const struct difftest_seq *s, char **dis)
{
    fputs("  code (after the prologue that loads the initial state):\n", f);
    for (size_t i = 0; i < s->n_slots; i++)
        fprintf(f, "    %4zu  %08" PRIx32 "  %-12s %-7s %s\n", 4 * i, s->slots[i].word,
                arm_insn_name((enum a32_line)s->slots[i].line), s->slots[i].setup ? "set-up" : "",
                dis && dis[i] ? dis[i] : "");
}

static void print_finding(FILE *f, const struct difftest_result *res,
                          const struct difftest_finding *d, char **dis)
{
    const struct difftest_seq *s = &res->seqs[d->seq];

    fprintf(f, "sequence %" PRIu32 " (seed 0x%016" PRIx64 ", batch %04zu, %zu tested + %zu "
               "set-up instructions)\n",
            s->index, s->seed, d->seq / res->o->batch, s->n_tested, s->n_slots - s->n_tested);
    fprintf(f, "  differs: %s\n", d->what);
    print_repro(f, res, s);
    print_initial(f, s);
    print_code(f, s, dis);
    fputc('\n', f);
}

/* ---- summary ------------------------------------------------------------------- */

static void count_lines(const struct difftest_result *res, uint64_t *per_line, uint64_t *tested,
                        uint64_t *setup)
{
    memset(per_line, 0, A32_N_LINES * sizeof(*per_line));
    *tested = *setup = 0;
    for (size_t i = 0; i < res->n_seqs; i++)
        for (size_t k = 0; k < res->seqs[i].n_slots; k++) {
            const struct difftest_slot *sl = &res->seqs[i].slots[k];

            if (sl->setup) {
                (*setup)++;
            } else {
                (*tested)++;
                per_line[sl->line]++;
            }
        }
}

static void print_summary(FILE *f, const struct difftest_result *res, const uint64_t *per_line,
                          uint64_t tested, uint64_t setup)
{
    unsigned covered = 0, drawn = 0;

    for (int l = 0; l < A32_N_LINES; l++)
        if (!difftest_line_excluded((enum a32_line)l)) {
            covered++;
            drawn += per_line[l] > 0;
        }
    fprintf(f, "difftest: a = %s, b = %s, seed %lu, length %lu-%lu\n", res->label_a,
            res->label_b, res->o->seed, res->o->min_len, res->o->max_len);
    fprintf(f, "  sequences:    %zu generated in %zu batches, %zu compared\n", res->n_seqs,
            res->n_batches, res->n_compared);
    fprintf(f, "  instructions: %" PRIu64 " tested + %" PRIu64 " set-up = %" PRIu64
               " per emulator\n", tested, setup, tested + setup);
    fprintf(f, "  lines:        %u of %u covered lines drawn\n", drawn, covered);
    fprintf(f, "  differences:  %zu\n  failed runs:  %zu\n", res->n_diffs, res->n_fails);
    for (size_t i = 0; i < res->n_fails; i++)
        fprintf(f, "    batch %04zu: %s\n", res->fails[i].batch, res->fails[i].what);
    fprintf(f, "  time:         %.1f s\n", res->seconds);
}

static void json_findings(struct json_writer *w, const struct difftest_result *res)
{
    json_key(w, "differences");
    json_array_begin(w);
    for (size_t i = 0; i < res->n_diffs; i++) {
        const struct difftest_seq *s = &res->seqs[res->diffs[i].seq];

        json_object_begin(w);
        json_kv_uint(w, "sequence", s->index);
        json_kv_uint(w, "sequence_seed", s->seed);
        json_kv_uint(w, "batch", res->diffs[i].seq / res->o->batch);
        json_kv_string(w, "what", res->diffs[i].what);
        json_key(w, "words");
        json_array_begin(w);
        for (size_t k = 0; k < s->n_slots; k++)
            json_uint(w, s->slots[k].word);
        json_array_end(w);
        json_object_end(w);
    }
    json_array_end(w);
    json_key(w, "failures");
    json_array_begin(w);
    for (size_t i = 0; i < res->n_fails; i++) {
        json_object_begin(w);
        json_kv_uint(w, "batch", res->fails[i].batch);
        json_kv_string(w, "what", res->fails[i].what);
        json_object_end(w);
    }
    json_array_end(w);
}

static void write_json(const char *path, const struct difftest_result *res,
                       const uint64_t *per_line, uint64_t tested, uint64_t setup)
{
    FILE *f = fopen(path, "w");
    struct json_writer w;

    if (!f)
        return;
    json_init(&w, f);
    json_object_begin(&w);
    json_kv_string(&w, "emulator_a", res->label_a);
    json_kv_string(&w, "emulator_b", res->label_b);
    json_kv_uint(&w, "seed", res->o->seed);
    json_kv_uint(&w, "min_length", res->o->min_len);
    json_kv_uint(&w, "max_length", res->o->max_len);
    json_kv_uint(&w, "sequences", res->n_seqs);
    json_kv_uint(&w, "compared", res->n_compared);
    json_kv_uint(&w, "batches", res->n_batches);
    json_kv_uint(&w, "tested_instructions", tested);
    json_kv_uint(&w, "setup_instructions", setup);
    json_kv_double(&w, "seconds", res->seconds);
    json_findings(&w, res);
    json_key(&w, "lines");
    json_object_begin(&w);
    for (int l = 0; l < A32_N_LINES; l++)
        if (!difftest_line_excluded((enum a32_line)l))
            json_kv_uint(&w, arm_insn_name((enum a32_line)l), per_line[l]);
    json_object_end(&w);
    json_object_end(&w);
    json_finish(&w);
    fclose(f);
}

static void free_dis(char **dis, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(dis[i]);
    free(dis);
}

void difftest_report(const struct difftest_result *res, FILE *f)
{
    uint64_t per_line[A32_N_LINES], tested, setup;
    char path[4096], err[256];
    FILE *md;

    count_lines(res, per_line, &tested, &setup);
    snprintf(path, sizeof(path), "%s/diffs", res->o->out_dir);
    if (res->n_diffs)
        file_make_dirs(path, err, sizeof(err));
    snprintf(path, sizeof(path), "%s/report.md", res->o->out_dir);
    md = fopen(path, "w");
    if (md) {
        fputs("# difftest report\n\n```\n", md);
        print_summary(md, res, per_line, tested, setup);
        fputs("```\n\n## Differences\n\n```\n", md);
    }
    print_summary(f, res, per_line, tested, setup);
    for (size_t i = 0; i < res->n_diffs; i++) {
        const struct difftest_seq *s = &res->seqs[res->diffs[i].seq];
        char **dis = xcalloc(s->n_slots ? s->n_slots : 1, sizeof(*dis));

        if (i < MAX_DISASSEMBLED)
            disassemble(res->o->out_dir, s, dis);
        if (i < SHOWN_ON_STDOUT)
            print_finding(f, res, &res->diffs[i], dis);
        if (md)
            print_finding(md, res, &res->diffs[i], dis);
        free_dis(dis, s->n_slots);
    }
    if (res->n_diffs > SHOWN_ON_STDOUT)
        fprintf(f, "... and %zu more differences\n", res->n_diffs - SHOWN_ON_STDOUT);
    if (md) {
        fputs(res->n_diffs ? "```\n" : "none\n```\n", md);
        fclose(md);
        fprintf(f, "report: %s\n", path);
    }
    snprintf(path, sizeof(path), "%s/report.json", res->o->out_dir);
    write_json(path, res, per_line, tested, setup);
}
