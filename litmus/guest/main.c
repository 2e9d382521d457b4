/*
 * main.c — the litmus runtime's entry: parameters, the descriptor, the log.
 *
 * The descriptor normally comes from litmus_image_desc, a zero-filled
 * struct in its own loadable section `.litmus_desc` that the host
 * overwrites in a copy of this image (litmus/desc.h). selftest=N takes a
 * built-in test instead (selftest.c). Either is copied into `work`, checked
 * (check.c), optionally broken on purpose (break=), then run (run.c) and
 * printed (hist.c), followed by Key=value lines that can be pasted back
 * into -append to repeat the run.
 *
 * Exit status: 0, or 1 when the descriptor or a parameter is bad (a
 * "Bail out!" line says why), the histogram overflowed, or a universal
 * condition was seen violated: a ~exists (Forbidden) test whose P was
 * observed, or a forall (Required) test with a state where P fails. An
 * exists test never fails on its outcome: not seeing an Allowed outcome
 * is coverage, not conformance. The verdict word plays no part.
 *
 * Debug switches that must make a correct runtime fail:
 *   break=1  DMB and DSB words become NOP when the code is copied
 *   break=2  the condition P becomes (not P), so with ~exists an outcome
 *            that is always seen becomes the forbidden one
 */
#include "lrt.h"

/* The host overwrites these bytes in the ELF file. Not static and read
 * through a laundered pointer, so the compiler cannot fold its zeros. */
struct litmus_desc litmus_image_desc
    __attribute__((section(".litmus_desc"), aligned(64), used)) = { 0 };

/* Written here (nap after the descriptor is known), before any secondary runs. */
struct lrt_params lrt_params;

static struct litmus_desc work; /* the descriptor being run; CPU 0 writes it */

static int bail_param(const char *key, unsigned long v, const char *why)
{
    rt_printf("Bail out! parameter %s=%lu: %s\n", key, v, why);
    return -1;
}

static int read_params(void)
{
    struct lrt_params *p = &lrt_params;

    p->size = rt_param_ulong("size", 1000);
    p->runs = rt_param_ulong("runs", 10);
    p->seed = rt_param_ulong("seed", 1);
    p->stride = rt_param_ulong("stride", 0);
    p->affinity = rt_param_ulong("affinity", 0);
    p->sync = rt_param_ulong("sync", LRT_SYNC_BARRIER);
    p->tbdelta = rt_param_ulong("tbdelta", 500);
    p->jitter = rt_param_ulong("jitter", 64);
    p->brk = rt_param_ulong("break", 0);
    p->selftest = rt_param_ulong("selftest", 0);
    p->spin = rt_param_ulong("spin", 50);
    p->nap = rt_param_ulong("nap", 0); /* no nap= given: chosen in main() */
    if (p->size < 1 || p->size > 0x40000000ul)
        return bail_param("size", p->size, "must be 1..2^30");
    if (p->runs < 1)
        return bail_param("runs", p->runs, "must be at least 1");
    if (p->stride % 4 || p->stride > (1ul << 20))
        return bail_param("stride", p->stride, "must be 0 (random) or 4..1048576, a multiple of 4");
    if (p->affinity > 1)
        return bail_param("affinity", p->affinity, "must be 0 or 1");
    if (p->sync > LRT_SYNC_TIMEBASE)
        return bail_param("sync", p->sync, "must be 0 (barrier) or 1 (timebase)");
    if (p->spin > 1000000ul || p->nap > 1000000ul)
        return bail_param(p->spin > 1000000ul ? "spin" : "nap",
                          p->spin > 1000000ul ? p->spin : p->nap, "at most 1000000 (us)");
    if (p->tbdelta > 62500000ul)
        return bail_param("tbdelta", p->tbdelta, "at most one second of ticks");
    if (p->brk > 2)
        return bail_param("break", p->brk, "must be 0, 1 (drop barriers) or 2 (negate P)");
    return 0;
}

/* The patched descriptor or a built-in one; NULL after a Bail out! line. */
static const struct litmus_desc *pick_descriptor(void)
{
    const struct litmus_desc *d = &litmus_image_desc;

    if (lrt_params.selftest) {
        d = lrt_selftest(lrt_params.selftest);
        if (!d)
            rt_printf("Bail out! selftest=%lu is unknown (1 MP, 2 MP+dmbs, 3 SB, "
                      "4 2+2W+addr, 5 SB+dmbs, 6 IRIW)\n", lrt_params.selftest);
        return d;
    }
    __asm__("" : "+r"(d)); /* its contents are unknown at compile time */
    if (d->magic == 0) {
        rt_printf("Bail out! no litmus test in this image (use strex litmus ...)\n");
        return NULL;
    }
    return d;
}

/* break=2: P -> not P, in the program and in the printed condition. */
static int negate_condition(struct litmus_desc *d)
{
    static char text[LITMUS_TEXT_LEN]; /* CPU 0, before the runs */
    const char *space = strchr(d->cond_text, ' ');
    size_t word = space ? (size_t)(space - d->cond_text) : 0; /* "exists" */
    unsigned end = 0;
    int n;

    while (d->cond[end].op != LITMUS_OP_END)
        end++;
    memcpy(text, d->cond_text, word);
    n = rt_snprintf(text + word, sizeof(text) - word, space ? " (not %s)" : "not (%s)",
                    space ? space + 1 : d->cond_text);
    if (end + 1 >= LITMUS_MAX_PROG || n < 0 || word + (size_t)n >= sizeof(text)) {
        rt_printf("Bail out! break=2: no room to negate the condition\n");
        return -1;
    }
    d->cond[end] = (struct litmus_insn){ LITMUS_OP_NOT, 0, 0 };
    d->cond[end + 1] = (struct litmus_insn){ LITMUS_OP_END, 0, 0 };
    memcpy(d->cond_text, text, sizeof(text));
    return 0;
}

static void print_keys(unsigned dropped)
{
    const struct lrt_params *p = &lrt_params;

    rt_printf("vCPUs=%d\nsize=%lu\nruns=%lu\nseed=%lu\nstride=%lu\naffinity=%lu\nsync=%lu\n",
              rt_ncpus(), p->size, p->runs, p->seed, p->stride, p->affinity, p->sync);
    rt_printf("tbdelta=%lu\njitter=%lu\nspin=%lu\nnap=%lu\n", p->tbdelta, p->jitter, p->spin,
              p->nap);
    if (p->selftest)
        rt_printf("selftest=%lu\n", p->selftest);
    if (p->brk)
        rt_printf("break=%lu\n", p->brk);
    if (p->brk == 1)
        rt_printf("barriers_dropped=%u\n", dropped);
    rt_printf("filtered=%llu\n", (unsigned long long)lrt_hist_filtered());
}

int main(void)
{
    const struct litmus_desc *src;
    char why[160];
    unsigned dropped;
    uint64_t t0, t1;
    int status;

    if (read_params() < 0)
        return RT_EXIT_FAIL;
    src = pick_descriptor();
    if (!src)
        return RT_EXIT_FAIL;
    memcpy(&work, src, sizeof(work));
    if (lrt_check(&work, why, sizeof(why)) < 0) {
        rt_printf("Bail out! bad litmus descriptor: %s\n", why);
        return RT_EXIT_FAIL;
    }
    if (work.nthreads > (uint32_t)rt_ncpus()) {
        rt_printf("Bail out! test %s needs %lu CPUs, the machine has %d\n", work.name,
                  (unsigned long)work.nthreads, rt_ncpus());
        return RT_EXIT_FAIL;
    }
    if (!rt_param_str("nap", 0))
        lrt_params.nap = work.nthreads <= 2 ? 0 : 50; /* see run.c, "Waiting" */
    if (lrt_params.brk == 2 && negate_condition(&work) < 0)
        return RT_EXIT_FAIL;
    dropped = lrt_install_code(&work, lrt_params.brk == 1);
    lrt_hist_init(&work);

    t0 = rt_ticks();
    if (lrt_run_all(&work) < 0)
        return RT_EXIT_FAIL;
    t1 = rt_ticks();

    status = lrt_print_log(&work, t1 - t0);
    print_keys(dropped);
    return status;
}
