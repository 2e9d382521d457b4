/*
 * mp-dmb — message passing: a reader that sees the flag sees the data.
 *
 * The litmus test MP with DMB on both sides:
 *     writer:  data = i;  DMB;  flag = i;
 *     reader:  f = flag;  DMB;  d = data;
 * Forbidden by the ARMv7 memory model: f == i (the new flag) with d older
 * than i (old data). An emulator breaks it if it lets a guest's stores
 * become visible out of order, or its loads be satisfied out of order, on a
 * host weaker than the guest's barriers assume (or if it drops DMB).
 *
 * CPUs are paired, (0,1), (2,3), ...: the even one writes, the odd one
 * reads. Iteration i (1..iters) is one handshake and `slots` instances of
 * the test, each on its own pair of cache lines data[k], flag[k]. The
 * writer waits for the reader's `ack` of i-1, picks a start time `lead` us
 * ahead on the generic counter and publishes it with `go` = i; the reader
 * waits for go == i. Both spin until the counter reaches the start time
 * (one shared counter, so they leave together, far closer than a flag
 * alone could line them up), wait a random few loops (so the two sides
 * meet at varying offsets), then run instance 0, 1, 2, ... in lockstep,
 * each the three instructions of their side in inline asm. Writing i
 * itself as data and flag makes a stale value recognisable: i is new,
 * anything below is old, anything above is impossible (and fails the
 * check too). Many instances per handshake, because on QEMU a handshake
 * costs microseconds and more when the host is busy.
 *
 * Every one of the four outcomes (flag old/new x data old/new) is counted
 * and printed as a metric. Needs 2 CPUs: at -smp 1 it bails out (the suite
 * runs it at smp=2-8); an odd CPU out stays idle.
 *
 * Parameters:
 *   iters=N    handshakes per pair (default 2000)
 *   slots=N    test instances per handshake, at most 64 (default 8)
 *   pairs=N    how many pairs (default: ncpus / 2)
 *   delay=N    random delay, 0..N-1 loops, on each side (default 64)
 *   lead=US    how far ahead the writer sets the common start (default 10)
 *   spin=US nap=US  handshake waits spin this long, then nap (nap.h) this
 *              long at a time (default 20, 50; nap=0 spins only). Napping
 *              gives the host core back when there are more vCPUs than
 *              host cores, where spinning on a descheduled partner costs
 *              a host time slice per handshake.
 *   dmb=0      no DMBs. On an x86-64 host QEMU still never shows the
 *              forbidden outcome: x86 keeps stores in order with stores and
 *              loads with loads (TSO), and TCG emits guest accesses in
 *              program order. So dmb=0 is not a failing proof there.
 *   break=1    the failing proof: declare the common outcome (flag new,
 *              data new) forbidden instead.
 */
#include "nap.h"
#include "race.h"
#include "rt.h"
#include "tap.h"

enum outcome { FLAG_OLD_DATA_OLD, FLAG_OLD_DATA_NEW, FLAG_NEW_DATA_OLD, FLAG_NEW_DATA_NEW,
               OUTCOMES };

static const char *const outcome_names[OUTCOMES] = {
    "flag_old_data_old", "flag_old_data_new", "flag_new_data_old", "flag_new_data_new",
};

#define MAX_SLOTS 64

struct line {
    uint32_t v;
} __attribute__((aligned(64)));

struct pair {
    struct line data[MAX_SLOTS];                /* writer stores, reader loads */
    struct line flag[MAX_SLOTS];
    uint32_t go __attribute__((aligned(64)));   /* writer: iteration i may start */
    uint32_t ack __attribute__((aligned(64)));  /* reader: iteration i is read */
    uint64_t start;                             /* writer, before go: when both start */
    uint32_t counts[OUTCOMES];                  /* reader only, read at the end */
    uint32_t impossible;                        /* values above i */
};

static struct pair pairs[RT_MAX_CPUS / 2];
static unsigned long iters, slots, max_delay, lead_ticks;
static int use_dmb;

/* data = i; [DMB;] flag = i; */
static void write_one(uint32_t *data, uint32_t *flag, uint32_t i)
{
    if (use_dmb)
        __asm__ volatile("str %0, [%1]\n\tdmb ish\n\tstr %0, [%2]"
                         :: "r"(i), "r"(data), "r"(flag) : "memory");
    else
        __asm__ volatile("str %0, [%1]\n\tstr %0, [%2]"
                         :: "r"(i), "r"(data), "r"(flag) : "memory");
}

/* f = flag; [DMB;] d = data; then count the outcome. */
static void read_one(struct pair *p, uint32_t *flag, uint32_t *data, uint32_t i)
{
    uint32_t f, d;

    if (use_dmb)
        __asm__ volatile("ldr %0, [%2]\n\tdmb ish\n\tldr %1, [%3]"
                         : "=&r"(f), "=&r"(d) : "r"(flag), "r"(data) : "memory");
    else
        __asm__ volatile("ldr %0, [%2]\n\tldr %1, [%3]"
                         : "=&r"(f), "=&r"(d) : "r"(flag), "r"(data) : "memory");
    if (f > i || d > i)
        p->impossible++;
    else
        p->counts[(f == i) * 2 + (d == i)]++;
}

static void writer(struct pair *p, uint32_t i, uint32_t *rng)
{
    race_wait_for(&p->ack, i - 1);
    p->start = rt_ticks() + lead_ticks;
    race_publish(&p->go, i);
    race_wait_until(p->start);
    race_jitter(rng, (uint32_t)max_delay);
    for (unsigned k = 0; k < slots; k++)
        write_one(&p->data[k].v, &p->flag[k].v, i);
}

static void reader(struct pair *p, uint32_t i, uint32_t *rng)
{
    race_wait_for(&p->go, i);
    race_wait_until(p->start);
    race_jitter(rng, (uint32_t)max_delay);
    for (unsigned k = 0; k < slots; k++)
        read_one(p, &p->flag[k].v, &p->data[k].v, i);
    race_publish(&p->ack, i);
}

static void worker(int cpu, void *arg)
{
    struct pair *p = &pairs[cpu / 2];
    uint32_t rng = 0x2545f491u * (uint32_t)(cpu + 1);

    (void)arg;
    for (uint32_t i = 1; i <= iters; i++) {
        if (cpu % 2 == 0)
            writer(p, i, &rng);
        else
            reader(p, i, &rng);
    }
}

int main(void)
{
    unsigned long npairs = rt_param_ulong("pairs", (unsigned long)rt_ncpus() / 2);
    int broken = (int)rt_param_ulong("break", 0);
    enum outcome forbidden = broken ? FLAG_NEW_DATA_NEW : FLAG_NEW_DATA_OLD;
    uint64_t totals[OUTCOMES] = { 0 };

    iters = rt_param_ulong("iters", 2000);
    slots = rt_param_ulong("slots", 8);
    max_delay = rt_param_ulong("delay", 64);
    lead_ticks = rt_tick_freq() / 1000000u * rt_param_ulong("lead", 10);
    use_dmb = (int)rt_param_ulong("dmb", 1);
    nap_config((uint32_t)rt_param_ulong("spin", 20), (uint32_t)rt_param_ulong("nap", 50));
    if (rt_ncpus() < 2)
        tap_bail("needs 2 CPUs (a writer and a reader), the machine has 1");
    if (npairs < 1 || npairs > (unsigned long)rt_ncpus() / 2)
        tap_bail("pairs=%lu but the machine has %d CPUs", npairs, rt_ncpus());
    if (slots < 1 || slots > MAX_SLOTS)
        tap_bail("slots=%lu: need 1..%d", slots, MAX_SLOTS);

    tap_plan((int)npairs);
    tap_diag("pairs=%lu iters=%lu slots=%lu delay=%lu dmb=%d%s", npairs, iters, slots,
             max_delay, use_dmb,
             broken ? " (broken: flag new + data new declared forbidden)" : "");
    rt_smp_run((int)npairs * 2, worker, 0);
    rt_dmb();

    for (unsigned long k = 0; k < npairs; k++) {
        struct pair *p = &pairs[k];

        tap_ok(p->counts[forbidden] == 0 && p->impossible == 0,
               "pair (%lu,%lu): %s never seen in %lu x %lu runs (seen %lu, impossible values %lu)",
               2 * k, 2 * k + 1, outcome_names[forbidden], iters, slots,
               (unsigned long)p->counts[forbidden], (unsigned long)p->impossible);
        for (int o = 0; o < OUTCOMES; o++)
            totals[o] += p->counts[o];
    }
    for (int o = 0; o < OUTCOMES; o++)
        tap_metric(outcome_names[o], "%llu", (unsigned long long)totals[o]);
    return tap_done();
}
