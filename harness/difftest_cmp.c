/*
 * difftest_cmp.c — reading the guest's "DT ..." lines and comparing two
 * emulators' final states.
 *
 * A line is "DT <index> D <r0>..<r14> <cpsr> <m0>..<m15>" (32 words after
 * the D) or "DT <index> X <type> <pc> <insn>" (an exception ended the
 * sequence), every number 8 hex digits. Anything else in the output (an
 * emulator's own messages share its stderr) is ignored. The CPSR is
 * compared under DIFFTEST_PSR_MASK: the mode and mask bits are the dump
 * code's, not the sequence's.
 */
#include "harness/difftest.h"

#include "util/fatal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const field_names[DIFFTEST_N_FIELDS] = {
    "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12",
    "r13", "r14", "psr", "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7",
    "m8", "m9", "m10", "m11", "m12", "m13", "m14", "m15",
};

const char *difftest_field_name(unsigned i)
{
    return i < DIFFTEST_N_FIELDS ? field_names[i] : "?";
}

const char *difftest_exception_name(uint32_t type)
{
    static const char *const names[] = { "none", "undef", "svc", "prefetch-abort",
                                          "data-abort", "irq", "fiq" };

    return type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}

/* Eight hex digits at *p (after blanks); advances *p. */
static int hex_word(const char **p, uint32_t *out)
{
    uint32_t v = 0;
    const char *s = *p;

    while (*s == ' ')
        s++;
    for (int i = 0; i < 8; i++, s++) {
        int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;

        if (d < 0)
            return -1;
        v = v << 4 | (uint32_t)d;
    }
    if (*s && *s != ' ' && *s != '\n' && *s != '\r')
        return -1;
    *p = s;
    *out = v;
    return 0;
}

int difftest_parse_line(const char *line, struct difftest_state *st)
{
    const char *p = line;
    unsigned n;

    if (strncmp(p, "DT ", 3))
        return -1;
    p += 3;
    memset(st, 0, sizeof(*st));
    if (hex_word(&p, &st->seq) || p[0] != ' ' || (p[1] != 'D' && p[1] != 'X') || p[2] != ' ')
        return -1;
    st->exception = p[1] == 'X';
    p += 2;
    n = st->exception ? 3 : DIFFTEST_N_FIELDS;
    for (unsigned i = 0; i < n; i++)
        if (hex_word(&p, &st->v[i]))
            return -1;
    while (*p == ' ' || *p == '\r' || *p == '\n')
        p++;
    return *p ? -1 : 0;
}

static void append(char *out, size_t outlen, const char *fmt, const char *name, uint32_t a,
                   uint32_t b)
{
    size_t used = strlen(out);

    if (used + 1 < outlen)
        snprintf(out + used, outlen - used, fmt, used ? "; " : "", name, a, b);
}

static void describe_exception(char *out, size_t outlen, const char *who,
                               const struct difftest_state *s)
{
    size_t used = strlen(out);

    if (used + 1 < outlen)
        snprintf(out + used, outlen - used, "%s%s took %s at pc=%08x insn=%08x", used ? "; " : "",
                 who, difftest_exception_name(s->v[0]), s->v[1], s->v[2]);
}

size_t difftest_compare(const struct difftest_state *a, const struct difftest_state *b,
                        char *out, size_t outlen)
{
    size_t diffs = 0;

    if (outlen)
        out[0] = '\0';
    /* An exception is always a difference, even when both take the same
     * one: the generator must never produce a faulting sequence. */
    if (a->exception || b->exception) {
        if (a->exception)
            describe_exception(out, outlen, "a", a);
        if (b->exception)
            describe_exception(out, outlen, "b", b);
        return 1;
    }
    for (unsigned i = 0; i < DIFFTEST_N_FIELDS; i++) {
        uint32_t mask = i == 15 ? DIFFTEST_PSR_MASK : ~0u;

        if ((a->v[i] & mask) == (b->v[i] & mask))
            continue;
        diffs++;
        append(out, outlen, "%s%s a=%08x b=%08x", field_names[i], a->v[i] & mask, b->v[i] & mask);
    }
    return diffs;
}

void difftest_output_parse(const char *text, size_t n_seqs, struct difftest_output *out)
{
    out->n = n_seqs;
    out->states = xcalloc(n_seqs ? n_seqs : 1, sizeof(*out->states));
    out->have = xcalloc(n_seqs ? n_seqs : 1, sizeof(*out->have));
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[1024];
        struct difftest_state st;

        if (len < sizeof(line)) {
            memcpy(line, p, len);
            line[len] = '\0';
            if (!difftest_parse_line(line, &st) && st.seq < n_seqs && !out->have[st.seq]) {
                out->states[st.seq] = st;
                out->have[st.seq] = true;
            }
        }
        p = nl ? nl + 1 : NULL;
    }
}

void difftest_output_free(struct difftest_output *out)
{
    free(out->states);
    free(out->have);
    out->states = NULL;
    out->have = NULL;
    out->n = 0;
}
