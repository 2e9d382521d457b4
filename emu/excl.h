/*
 * excl.h — exclusive sections: stop every other vCPU, do something to
 * state they share, let them go on (stop-the-world work).
 *
 * Every vCPU thread brackets the time it runs guest code (or touches the
 * TB cache, the TLBs, the monitors) with emu_excl_exec_start() and
 * emu_excl_exec_end(). emu_excl_start() returns once every other vCPU is
 * outside such a bracket and keeps them out until emu_excl_end(). The
 * exec loop calls exec_end/exec_start around anything that may block
 * (parking in WFI, a quantum's end), so a section never waits on a
 * sleeper.
 *
 * Sections serve the code-buffer flush, broadcast TLB maintenance (the
 * ...IS operations), marking a page for the exclusive-page LL/SC scheme
 * and STREX under llsc=stw. They are serialized: a second requester waits
 * for the first to end. A requester that is itself a running vCPU passes
 * its index and is treated as stopped for the section's length; its own
 * exec bracket resumes afterwards (and may wait for a section queued
 * behind it). Nobody may hold dev_lock or any other lock a running vCPU
 * can wait for while calling emu_excl_start().
 *
 * Asking running vCPUs to stop: the kick callback, called for each vCPU
 * inside its bracket, must make it reach emu_excl_exec_end() or a
 * emu_excl_check() soon (the exec loop sets the vCPU's exit request).
 *
 * Queued work: emu_excl_queue() asks for fn(opaque) to run inside a
 * section as soon as possible, without the caller waiting; a vCPU thread
 * runs queued work at its next emu_excl_check() or bracket boundary.
 *
 * With one host thread (thread=single) the vCPUs cannot be inside guest
 * code while the thread is elsewhere, so sections cost nothing: start and
 * end only count, and queued work runs at the next bracket boundary.
 *
 * Threads: lock (excl_lock) guards the fields marked so; running[] and
 * pending are _Atomic so the exec loop's fast path takes no lock.
 */
#ifndef EMU_EXCL_H
#define EMU_EXCL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef void emu_excl_kick_fn(void *opaque, unsigned cpu);
typedef void emu_excl_work_fn(void *opaque);

struct emu_excl_work {
    emu_excl_work_fn *fn;
    void *opaque;
    struct emu_excl_work *next;
};

struct emu_excl {
    unsigned n_cpus;                 /* fixed after init */
    bool one_thread;                 /* fixed after init */
    emu_excl_kick_fn *kick;          /* fixed after init */
    void *kick_opaque;

    pthread_mutex_t lock;            /* excl_lock */
    pthread_cond_t parked;           /* a waited-for vCPU left its bracket */
    pthread_cond_t resumed;          /* a section ended */
    _Atomic bool *running;           /* per vCPU: inside its exec bracket */
    bool *waited;                    /* per vCPU: the section waits for it; excl_lock */
    unsigned n_waited;               /* excl_lock */
    _Atomic bool pending;            /* a section is wanted or in progress */
    bool active;                     /* a section owns the world; excl_lock */
    struct emu_excl_work *work;      /* queued work, newest first; excl_lock */
    _Atomic bool work_queued;        /* work != NULL, readable without the lock */

    _Atomic uint64_t n_sections;     /* statistics: sections run */
};

/* 0, or -1 if the threads' primitives cannot be created. */
int emu_excl_init(struct emu_excl *x, unsigned n_cpus, bool one_thread,
                  emu_excl_kick_fn *kick, void *kick_opaque);
void emu_excl_destroy(struct emu_excl *x);

/* cpu's thread is about to run guest code; waits while a section is
 * pending or in progress. */
void emu_excl_exec_start(struct emu_excl *x, unsigned cpu);
/* cpu's thread left guest code; a section waiting for it may now run. */
void emu_excl_exec_end(struct emu_excl *x, unsigned cpu);
/* Inside the bracket: if a section (or queued work) waits, steps out of
 * the bracket for it and back in, and returns true (what the section did
 * may change the vCPU). Cheap when nothing waits (one load). */
bool emu_excl_check(struct emu_excl *x, unsigned cpu);

/* Stops every other vCPU. self: the caller's vCPU when called from
 * inside its exec bracket, or -1 from anywhere else. */
void emu_excl_start(struct emu_excl *x, int self);
void emu_excl_end(struct emu_excl *x, int self);

/* Runs fn(opaque) in a section soon, on whichever vCPU thread gets there
 * first; returns at once. */
void emu_excl_queue(struct emu_excl *x, emu_excl_work_fn *fn, void *opaque);

#endif
