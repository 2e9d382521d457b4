/*
 * rt.h — the guest runtime: what every bare-metal test program sees.
 *
 * A test is `int main(void)`: the runtime has already set up the primary
 * CPU (vectors, stacks, BSS, UART), read the -append parameters through
 * semihosting and counted the CPUs. main() prints TAP (tap.h) and returns
 * its exit status, which leaves the emulator through semihosting
 * SYS_EXIT_EXTENDED (0 = pass).
 *
 * CPUs are numbered 0..rt_ncpus()-1 (index = Aff1 * 8 + Aff0 of MPIDR). They
 * all run in SVC mode with the MMU off. Secondaries are started on demand:
 * rt_smp_run() starts them once and keeps them parked between runs;
 * rt_cpu_start() is the one-shot form (CPU_ON, run, CPU_OFF) for tests of
 * PSCI itself. A test uses one form or the other, not both.
 *
 * Exit codes: main's value for a normal exit; an unexpected exception exits
 * with RT_EXIT_UNDEF..RT_EXIT_FIQ after printing what happened.
 */
#ifndef RT_H
#define RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define RT_MAX_CPUS 16

enum {
    RT_EXIT_PASS = 0,
    RT_EXIT_FAIL = 1,
    RT_EXIT_UNDEF = 3,  /* unexpected Undefined Instruction */
    RT_EXIT_SVC = 4,    /* unexpected SVC (not a semihosting call) */
    RT_EXIT_PABT = 5,   /* unexpected prefetch abort */
    RT_EXIT_DABT = 6,   /* unexpected data abort */
    RT_EXIT_IRQ = 7,    /* IRQ with no handler installed */
    RT_EXIT_FIQ = 8,    /* FIQ with no handler installed */
    RT_EXIT_HALTED = 9, /* a CPU the runtime cannot serve (index too big) */
};

/* ---- CPUs -------------------------------------------------------------- */
int rt_cpu_id(void);
int rt_ncpus(void);
/* PSCI target affinity for a CPU index (Aff1 << 8 | Aff0). */
uint32_t rt_cpu_affinity(int cpu);

typedef void (*rt_cpu_fn)(int cpu, void *arg);

/* Runs fn(cpu, arg) on CPUs 0..n-1, the caller being CPU 0, and returns when
 * every one has returned. n is clamped to [1, rt_ncpus()]. */
void rt_smp_run(int n, rt_cpu_fn fn, void *arg);
/* One-shot: PSCI CPU_ON of cpu, which runs fn(cpu, arg), marks itself done
 * and calls CPU_OFF. Returns the CPU_ON status (0 = started). */
int rt_cpu_start(int cpu, rt_cpu_fn fn, void *arg);
/* True once a CPU started by rt_cpu_start() has returned from fn. */
int rt_cpu_done(int cpu);

/* ---- synchronisation ---------------------------------------------------- */
static inline void rt_dmb(void) { __asm__ volatile("dmb ish" ::: "memory"); }
static inline void rt_dsb(void) { __asm__ volatile("dsb ish" ::: "memory"); }
static inline void rt_isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void rt_sev(void) { __asm__ volatile("dsb ish\n\tsev" ::: "memory"); }
static inline void rt_wfe(void) { __asm__ volatile("wfe" ::: "memory"); }
static inline void rt_cpu_relax(void) { __asm__ volatile("yield" ::: "memory"); }

/* Sense-reversing barrier for a fixed number of CPUs. */
struct rt_barrier {
    unsigned n;
    unsigned count; /* CPUs still to arrive in this round */
    unsigned sense; /* flips when the last one arrives */
};
void rt_barrier_init(struct rt_barrier *b, unsigned n);
void rt_barrier_wait(struct rt_barrier *b);

/* ---- time ---------------------------------------------------------------- */
static inline uint64_t rt_ticks(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}
static inline uint32_t rt_tick_freq(void)
{
    uint32_t f;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(f));
    return f;
}
uint64_t rt_ticks_to_ns(uint64_t ticks);
/* Busy-waits for at least us microseconds of the generic counter. */
void rt_udelay(uint32_t us);

/* ---- parameters (-append "key=value ...") -------------------------------- */
unsigned long rt_param_ulong(const char *key, unsigned long def);
const char *rt_param_str(const char *key, const char *def);

/* ---- output ---------------------------------------------------------------- */
/* printf to the PL011; each call is written as one unit (no interleaving). */
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_vprintf(const char *fmt, va_list ap);
int rt_snprintf(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int rt_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);

/* ---- exceptions ---------------------------------------------------------- */
enum rt_exc { RT_EXC_UNDEF, RT_EXC_SVC, RT_EXC_PABT, RT_EXC_DABT,
              RT_EXC_IRQ, RT_EXC_FIQ, RT_EXC_COUNT };

/* What the vector code saved. pc is the return address: the next
 * instruction for UNDEF and SVC, the faulting one for aborts, the
 * interrupted one for IRQ/FIQ. A handler may change pc and r[]. */
struct rt_frame {
    uint32_t r[13];
    uint32_t lr_exc;
    uint32_t pc;
    uint32_t spsr;
};

/* A handler returns 1 when it dealt with the exception (execution resumes
 * at frame->pc), 0 to let the runtime report it and exit. Global: shared
 * by all CPUs. NULL removes the handler. */
typedef int (*rt_exc_handler)(struct rt_frame *frame, enum rt_exc type);
void rt_set_handler(enum rt_exc type, rt_exc_handler handler);
const char *rt_exc_name(enum rt_exc type);

static inline void rt_irq_enable(void) { __asm__ volatile("cpsie i" ::: "memory"); }
static inline void rt_irq_disable(void) { __asm__ volatile("cpsid i" ::: "memory"); }

/* ---- leaving ------------------------------------------------------------- */
_Noreturn void rt_exit(int code);

/* ---- freestanding libc subset ------------------------------------------- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif
