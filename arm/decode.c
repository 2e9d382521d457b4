/*
 * decode.c — arm/a32.def compiled into a matcher.
 *
 * On first use each pattern string becomes a mask/value pair and a list of
 * fields (letter, lowest bit, width). A line matches insn when
 * (insn & mask) == value and, if its cond is a field, cond != 1111.
 *
 * Fast path: the bits that tell A32 classes apart are mostly [27:20] and
 * [7:4]. Together with "is cond 1111" they form a 13-bit key; each of the
 * 8192 buckets holds, in table order, the lines that can match some word
 * with that key. arm_decode() tries only the bucket's lines, so the first
 * match in the bucket is the first match in the table.
 *
 * The built matcher is written once under pthread_once and only read
 * afterwards, so any number of translating threads may decode at once.
 * A malformed pattern is a bug in the table: fatal() names the line.
 */
#include "arm/decode.h"

#include "util/fatal.h"

#include <pthread.h>
#include <string.h>

struct line_spec {
    const char *name;
    const char *pattern;
    bool undefined;
};

static const struct line_spec specs[A32_N_LINES] = {
#define A32(name, pattern) { #name, pattern, false },
#define A32_UNDEF(name, pattern) { #name, pattern, true },
#include "arm/a32.def"
};

struct field {
    char letter;
    uint8_t lsb;
    uint8_t width;
};

struct line {
    uint32_t mask, value;
    bool conditional; /* cond is the 'c' field: the line excludes 1111 */
    uint8_t n_fields;
    struct field fields[ARM_MAX_FIELDS];
};

#define KEY_BITS 13
#define N_KEYS (1u << KEY_BITS)
#define KEY_UNCOND (1u << 12)

static struct line lines[A32_N_LINES];
static uint16_t bucket_start[N_KEYS + 1]; /* bucket k: [start[k], start[k+1]) */
static uint16_t *bucket_lines;
static pthread_once_t built = PTHREAD_ONCE_INIT;

/* ---- compiling one pattern ------------------------------------------ */

static void add_field_bit(struct line *l, const char *name, char letter, int bit)
{
    struct field *f = l->n_fields ? &l->fields[l->n_fields - 1] : NULL;

    if (f && f->letter == letter && f->lsb == bit + 1) {
        f->lsb = (uint8_t)bit;
        f->width++;
        return;
    }
    for (int i = 0; i < l->n_fields; i++)
        if (l->fields[i].letter == letter)
            fatal("a32.def: %s: field '%c' is not contiguous", name, letter);
    if (l->n_fields == ARM_MAX_FIELDS)
        fatal("a32.def: %s: more than %d fields", name, ARM_MAX_FIELDS);
    l->fields[l->n_fields++] = (struct field){ letter, (uint8_t)bit, 1 };
}

static void compile_line(const struct line_spec *spec, struct line *l)
{
    int bit = 31;

    memset(l, 0, sizeof(*l));
    for (const char *p = spec->pattern; *p; p++) {
        char ch = *p;
        if (ch == '_')
            continue;
        if (bit < 0)
            fatal("a32.def: %s: pattern longer than 32 bits", spec->name);
        if (ch == '0' || ch == '1') {
            l->mask |= 1u << bit;
            l->value |= (uint32_t)(ch - '0') << bit;
        } else if (ch != '-') {
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
                fatal("a32.def: %s: bad pattern character '%c'", spec->name, ch);
            add_field_bit(l, spec->name, ch, bit);
        }
        bit--;
    }
    if (bit != -1)
        fatal("a32.def: %s: pattern has %d bits, not 32", spec->name, 31 - bit);
    l->conditional = l->n_fields && l->fields[0].letter == 'c' &&
                     l->fields[0].lsb == 28 && l->fields[0].width == 4;
}

/* ---- the two-level lookup ------------------------------------------- */

static unsigned key_of(uint32_t insn)
{
    unsigned key = ((insn >> 16) & 0xff0) | ((insn >> 4) & 0xf);
    return (insn >> 28) == 0xf ? key | KEY_UNCOND : key;
}

/* The bits of a word that key k speaks for, spread back to their place. */
static uint32_t key_bits_to_word(unsigned k)
{
    return ((uint32_t)(k & 0xff0) << 16) | ((uint32_t)(k & 0xf) << 4);
}

static bool line_fits_key(const struct line *l, unsigned k)
{
    const uint32_t key_mask = 0x0ff000f0;
    uint32_t cond_mask = l->mask & 0xf0000000;
    bool uncond = k & KEY_UNCOND;

    if (uncond && l->conditional)
        return false;
    if (uncond && (l->value & cond_mask) != (0xf0000000 & cond_mask))
        return false;
    if (!uncond && cond_mask == 0xf0000000 && (l->value >> 28) == 0xf)
        return false;
    return (key_bits_to_word(k) & l->mask & key_mask) ==
           (l->value & key_mask);
}

static void build_buckets(void)
{
    size_t total = 0;

    for (unsigned k = 0; k < N_KEYS; k++)
        for (unsigned i = 0; i < A32_N_LINES; i++)
            total += line_fits_key(&lines[i], k);
    if (total > UINT16_MAX)
        fatal("a32 decoder: %zu bucket entries overflow uint16_t", total);
    bucket_lines = xmalloc((total ? total : 1) * sizeof(*bucket_lines));

    uint16_t n = 0;
    for (unsigned k = 0; k < N_KEYS; k++) {
        bucket_start[k] = n;
        for (unsigned i = 0; i < A32_N_LINES; i++)
            if (line_fits_key(&lines[i], k))
                bucket_lines[n++] = (uint16_t)i;
    }
    bucket_start[N_KEYS] = n;
}

static void build_matcher(void)
{
    for (unsigned i = 0; i < A32_N_LINES; i++)
        compile_line(&specs[i], &lines[i]);
    build_buckets();
}

/* ---- decoding -------------------------------------------------------- */

static void extract_fields(const struct line *l, uint32_t insn,
                           struct arm_insn *out)
{
    out->n_fields = l->n_fields;
    for (unsigned i = 0; i < l->n_fields; i++) {
        const struct field *f = &l->fields[i];
        out->letters[i] = f->letter;
        out->values[i] = (insn >> f->lsb) & ((1u << f->width) - 1);
    }
}

bool arm_decode(uint32_t insn, struct arm_insn *out)
{
    pthread_once(&built, build_matcher);

    unsigned k = key_of(insn);
    out->raw = insn;
    out->cond = (uint8_t)(insn >> 28);
    for (unsigned b = bucket_start[k]; b < bucket_start[k + 1]; b++) {
        const struct line *l = &lines[bucket_lines[b]];
        if ((insn & l->mask) == l->value) {
            out->line = (enum a32_line)bucket_lines[b];
            extract_fields(l, insn, out);
            return !specs[out->line].undefined;
        }
    }
    out->line = A32_NO_LINE;
    out->n_fields = 0;
    return false;
}

uint32_t arm_field(const struct arm_insn *insn, char letter)
{
    for (unsigned i = 0; i < insn->n_fields; i++)
        if (insn->letters[i] == letter)
            return insn->values[i];
    return 0;
}

bool arm_has_field(const struct arm_insn *insn, char letter)
{
    return memchr(insn->letters, letter, insn->n_fields) != NULL;
}

/* ---- the table, read back -------------------------------------------- */

const char *arm_insn_name(enum a32_line line)
{
    return (unsigned)line < A32_N_LINES ? specs[line].name : "UNALLOCATED";
}

const char *arm_line_pattern(enum a32_line line)
{
    return (unsigned)line < A32_N_LINES ? specs[line].pattern : "";
}

bool arm_line_is_undefined(enum a32_line line)
{
    return (unsigned)line >= A32_N_LINES || specs[line].undefined;
}

void arm_line_bits(enum a32_line line, uint32_t *mask, uint32_t *value,
                   bool *conditional)
{
    pthread_once(&built, build_matcher);
    *mask = line < A32_N_LINES ? lines[line].mask : 0;
    *value = line < A32_N_LINES ? lines[line].value : 0;
    *conditional = line < A32_N_LINES && lines[line].conditional;
}
