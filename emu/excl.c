/*
 * excl.c — exclusive sections (see excl.h): the exec bracket every vCPU
 * thread keeps, the requester that waits for the brackets to close, and
 * queued work run inside a section.
 *
 * Requirement: between emu_excl_start() and emu_excl_end() no vCPU but
 * the requester is inside its bracket; the exec loop's fast path (check
 * between TBs, bracket entry) takes no lock.
 *
 * Current solution: each vCPU publishes running[cpu], a requester
 * publishes pending; each side stores its own flag, then loads the
 * other's, both seq_cst (the handshake is argued at enter_bracket()).
 * The rest happens under excl_lock: waited[] and n_waited (whom the
 * requester still waits for), active, the work list. Two conditions:
 * parked (n_waited reached 0; only the one requester sleeps on it) and
 * resumed (a section ended; vCPUs held at their bracket's entry and
 * queued requesters sleep on it). pending is written only under
 * excl_lock, so under the lock it is stable.
 *
 * Queued work: the vCPU thread that sees work_queued at its next check or
 * bracket entry takes the whole list and runs it in one section of its
 * own, oldest first. A work function runs inside that section, so it must
 * not call emu_excl_start() itself (it may queue more work).
 *
 * Known limitations: work waits for a vCPU to reach a check or a bracket
 * entry; if every vCPU is parked outside its bracket (all in WFI) it
 * waits until one wakes (the exec loop calls emu_excl_check() when it
 * does). A caller that needs the work done now calls emu_excl_start()
 * and emu_excl_end() itself. Sections are granted in no fixed order:
 * after a section ends, whoever takes excl_lock first goes next.
 */
#include "emu/excl.h"

#include "util/fatal.h"

#include <stdlib.h>
#include <string.h>

int emu_excl_init(struct emu_excl *x, unsigned n_cpus, bool one_thread,
                  emu_excl_kick_fn *kick, void *kick_opaque)
{
    memset(x, 0, sizeof(*x));
    x->n_cpus = n_cpus;
    x->one_thread = one_thread;
    x->kick = kick;
    x->kick_opaque = kick_opaque;
    if (pthread_mutex_init(&x->lock, NULL) != 0)
        return -1;
    if (pthread_cond_init(&x->parked, NULL) != 0) {
        pthread_mutex_destroy(&x->lock);
        return -1;
    }
    if (pthread_cond_init(&x->resumed, NULL) != 0) {
        pthread_cond_destroy(&x->parked);
        pthread_mutex_destroy(&x->lock);
        return -1;
    }
    x->running = xcalloc(n_cpus ? n_cpus : 1, sizeof(*x->running));
    x->waited = xcalloc(n_cpus ? n_cpus : 1, sizeof(*x->waited));
    for (unsigned i = 0; i < n_cpus; i++)
        atomic_init(&x->running[i], false);
    atomic_init(&x->pending, false);
    atomic_init(&x->work_queued, false);
    atomic_init(&x->n_sections, 0);
    return 0;
}

void emu_excl_destroy(struct emu_excl *x)
{
    while (x->work != NULL) {          /* work nobody ran: dropped */
        struct emu_excl_work *w = x->work;
        x->work = w->next;
        free(w);
    }
    free(x->running);
    free(x->waited);
    x->running = NULL;
    x->waited = NULL;
    pthread_cond_destroy(&x->resumed);
    pthread_cond_destroy(&x->parked);
    pthread_mutex_destroy(&x->lock);
}

/* cpu left its bracket: if the requester counted it, stop counting it.
 * Caller holds excl_lock. */
static void release_waiter(struct emu_excl *x, unsigned cpu)
{
    if (!x->waited[cpu])
        return;
    x->waited[cpu] = false;
    if (--x->n_waited == 0)
        pthread_cond_signal(&x->parked);
}

static void leave_bracket(struct emu_excl *x, unsigned cpu)
{
    atomic_store(&x->running[cpu], false);          /* seq_cst, see enter_bracket() */
    if (x->one_thread || !atomic_load(&x->pending))
        return;
    pthread_mutex_lock(&x->lock);
    release_waiter(x, cpu);
    pthread_mutex_unlock(&x->lock);
}

/*
 * The race: a requester may set pending between our store of running and
 * our load of pending. Both sides store their flag, then load the other's
 * (requester: pending, then running[cpu] in emu_excl_start()), all
 * seq_cst, so the four accesses have one total order and at least one
 * side sees the other's store: either the requester sees running and
 * waits for us (we reach a check soon, being kicked), or we see pending
 * and hold back here — or both, which is harmless. With weaker orders
 * both loads could return the old values (on x86 the stores sit in the
 * store buffer while the loads go ahead) and we would run guest code
 * inside the section.
 */
static void enter_bracket(struct emu_excl *x, unsigned cpu)
{
    atomic_store(&x->running[cpu], true);
    if (x->one_thread || !atomic_load(&x->pending))
        return;
    pthread_mutex_lock(&x->lock);
    atomic_store(&x->running[cpu], false);
    release_waiter(x, cpu);
    while (atomic_load_explicit(&x->pending, memory_order_relaxed))
        pthread_cond_wait(&x->resumed, &x->lock);
    /* pending is false and cannot change while we hold excl_lock; the next
     * requester scans running[] under excl_lock and will see this store. */
    atomic_store(&x->running[cpu], true);
    pthread_mutex_unlock(&x->lock);
}

static void end_section(struct emu_excl *x)
{
    if (x->one_thread)
        return;
    pthread_mutex_lock(&x->lock);
    if (!x->active)
        fatal("emu_excl_end: no exclusive section is active");
    x->active = false;
    atomic_store(&x->pending, false);
    pthread_cond_broadcast(&x->resumed);
    pthread_mutex_unlock(&x->lock);
}

/* Takes every queued work item and runs them, oldest first, in one
 * section requested by cpu, which is inside its bracket. */
static void run_queued(struct emu_excl *x, unsigned cpu)
{
    pthread_mutex_lock(&x->lock);
    struct emu_excl_work *w = x->work, *fifo = NULL;
    x->work = NULL;
    atomic_store(&x->work_queued, false);
    pthread_mutex_unlock(&x->lock);
    if (w == NULL)
        return;                                      /* another vCPU took it */
    while (w != NULL) {                              /* newest first -> oldest first */
        struct emu_excl_work *next = w->next;
        w->next = fifo;
        fifo = w;
        w = next;
    }
    emu_excl_start(x, (int)cpu);
    while (fifo != NULL) {
        w = fifo;
        fifo = w->next;
        w->fn(w->opaque);
        free(w);
    }
    end_section(x);
    enter_bracket(x, cpu);
}

void emu_excl_exec_start(struct emu_excl *x, unsigned cpu)
{
    enter_bracket(x, cpu);
    /* seq_cst: pairs with emu_excl_queue()'s store and scan of running[],
     * like pending, so queued work is never missed by everybody. */
    while (atomic_load(&x->work_queued))
        run_queued(x, cpu);
}

void emu_excl_exec_end(struct emu_excl *x, unsigned cpu)
{
    leave_bracket(x, cpu);
}

bool emu_excl_check(struct emu_excl *x, unsigned cpu)
{
    /* The kick that makes us call this stored after pending/work_queued
     * were set; acquire is enough to see them, and is a plain load on x86. */
    if (!atomic_load_explicit(&x->pending, memory_order_acquire) &&
        !atomic_load_explicit(&x->work_queued, memory_order_acquire))
        return false;
    emu_excl_exec_end(x, cpu);
    emu_excl_exec_start(x, cpu);
    return true;
}

void emu_excl_start(struct emu_excl *x, int self)
{
    if (self >= (int)x->n_cpus)
        fatal("emu_excl_start: vCPU %d out of range", self);
    if (x->one_thread) {
        atomic_fetch_add_explicit(&x->n_sections, 1, memory_order_relaxed);
        return;
    }
    if (self >= 0)
        leave_bracket(x, (unsigned)self);
    pthread_mutex_lock(&x->lock);
    while (atomic_load_explicit(&x->pending, memory_order_relaxed))
        pthread_cond_wait(&x->resumed, &x->lock);    /* serialize with the section before */
    atomic_store(&x->pending, true);                 /* seq_cst, see enter_bracket() */
    for (unsigned cpu = 0; cpu < x->n_cpus; cpu++) {
        if ((int)cpu == self || !atomic_load(&x->running[cpu]))
            continue;
        x->waited[cpu] = true;
        x->n_waited++;
        if (x->kick != NULL)
            x->kick(x->kick_opaque, cpu);
    }
    while (x->n_waited > 0)
        pthread_cond_wait(&x->parked, &x->lock);
    x->active = true;
    atomic_fetch_add_explicit(&x->n_sections, 1, memory_order_relaxed);
    pthread_mutex_unlock(&x->lock);
}

void emu_excl_end(struct emu_excl *x, int self)
{
    end_section(x);
    if (self >= 0)
        enter_bracket(x, (unsigned)self);            /* queued work waits for the next check */
}

void emu_excl_queue(struct emu_excl *x, emu_excl_work_fn *fn, void *opaque)
{
    struct emu_excl_work *w = xmalloc(sizeof(*w));
    w->fn = fn;
    w->opaque = opaque;
    pthread_mutex_lock(&x->lock);
    w->next = x->work;
    x->work = w;
    atomic_store(&x->work_queued, true);             /* seq_cst: then scan running[] */
    for (unsigned cpu = 0; cpu < x->n_cpus && !x->one_thread; cpu++)
        if (atomic_load(&x->running[cpu]) && x->kick != NULL)
            x->kick(x->kick_opaque, cpu);
    pthread_mutex_unlock(&x->lock);
}
