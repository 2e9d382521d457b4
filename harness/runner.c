/*
 * runner.c — the job runner: posix_spawn, process groups, timeouts.
 *
 * State: a fixed array of max_running slots, each empty or holding one
 * running job. The loop fills free slots, sleeps in sigtimedwait() until
 * a child changes state (SIGCHLD) or the nearest deadline, reaps what
 * finished and signals what overran. Everything is on the calling thread;
 * nothing is shared.
 *
 * Why a process group per job: an emulator may fork helpers, and a test
 * command may be a shell with children; the timeout must reach all of
 * them. posix_spawn() with POSIX_SPAWN_SETPGROUP makes the child a group
 * leader before it execs, and it returns only after the exec, so the
 * group exists by the time killpg() may be needed.
 *
 * Why peek before reaping (waitid WNOWAIT): a timed-out job's group may
 * outlive its leader (a child that ignores SIGTERM). While the leader is
 * an unreaped zombie its pid cannot be reused, so killpg(pid, SIGKILL)
 * then is sure to hit only that group.
 */
#include "harness/runner.h"

#include "util/fatal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct slot {
    struct runner_job *job; /* NULL: free */
    pid_t pid;
    double started;
    double deadline; /* 0: none */
    double kill_at;  /* when SIGKILL follows the SIGTERM; 0 before the SIGTERM */
    bool killed;
};

struct batch {
    struct slot *slots;
    size_t n_slots;
    size_t running;
    sigset_t wait_set;   /* blocked while the batch runs, waited for */
    sigset_t child_mask; /* the caller's mask, which children get back */
    runner_done_fn *done;
    void *ctx;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- starting ------------------------------------------------------------ */

static int open_log(const char *path, struct runner_job *job)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    if (fd < 0)
        snprintf(job->start_error, sizeof(job->start_error), "cannot open %s: %s", path,
                 strerror(errno));
    return fd;
}

/* The attributes every child gets: its own group, the caller's signal
 * mask, and default handling of the signals a harness might ignore. */
static void spawn_attrs(posix_spawnattr_t *attr, const sigset_t *mask)
{
    sigset_t defaults;

    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    sigaddset(&defaults, SIGQUIT);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGCHLD);
    posix_spawnattr_init(attr);
    posix_spawnattr_setflags(attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                       POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(attr, 0);
    posix_spawnattr_setsigmask(attr, mask);
    posix_spawnattr_setsigdefault(attr, &defaults);
}

static int spawn_job(struct runner_job *job, const sigset_t *mask, int out, int err)
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    pid_t pid;
    int rc;

    /* Checked here as well as by posix_spawnp: where vfork is emulated
     * (valgrind) an exec failure shows up only as exit status 127. */
    if (strchr(job->argv[0], '/') && access(job->argv[0], X_OK) != 0) {
        snprintf(job->start_error, sizeof(job->start_error), "cannot run %s: %s",
                 job->argv[0], strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out, 1);
    posix_spawn_file_actions_adddup2(&actions, err, 2);
    spawn_attrs(&attr, mask);
    rc = posix_spawnp(&pid, job->argv[0], &actions, &attr, job->argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        snprintf(job->start_error, sizeof(job->start_error), "cannot run %s: %s",
                 job->argv[0], strerror(rc));
        return -1;
    }
    return pid;
}

/* Starts job in slot s. On failure the job is finished at once. */
static void start_job(struct batch *b, struct slot *s, struct runner_job *job)
{
    int out, err = -1, pid = -1;

    job->started = false;
    job->start_error[0] = '\0';
    job->exit_status = -1;
    job->term_signal = 0;
    job->timed_out = false;
    job->interrupted = false;
    job->seconds = 0;
    out = open_log(job->stdout_path, job);
    if (out >= 0)
        err = open_log(job->stderr_path, job);
    if (err >= 0)
        pid = spawn_job(job, &b->child_mask, out, err);
    if (out >= 0)
        close(out);
    if (err >= 0)
        close(err);
    if (pid < 0) {
        b->done(job, b->ctx);
        return;
    }
    job->started = true;
    *s = (struct slot){ .job = job, .pid = pid, .started = now_s() };
    if (job->timeout_s)
        s->deadline = s->started + job->timeout_s;
    b->running++;
}

/* ---- finishing ------------------------------------------------------------- */

static void finish(struct batch *b, struct slot *s, int status)
{
    struct runner_job *job = s->job;

    job->seconds = now_s() - s->started;
    if (WIFEXITED(status))
        job->exit_status = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        job->term_signal = WTERMSIG(status);
    s->job = NULL;
    b->running--;
    b->done(job, b->ctx);
}

/* Reaps every job whose leader has ended. */
static void reap_finished(struct batch *b)
{
    for (size_t i = 0; i < b->n_slots; i++) {
        struct slot *s = &b->slots[i];
        siginfo_t info = { 0 };
        int status;

        if (!s->job)
            continue;
        if (waitid(P_PID, (id_t)s->pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
            info.si_pid == 0)
            continue;
        if (s->job->timed_out)
            killpg(s->pid, SIGKILL); /* stragglers; see the header */
        if (waitpid(s->pid, &status, 0) == s->pid)
            finish(b, s, status);
        else
            fatal("waitpid(%d): %s", (int)s->pid, strerror(errno));
    }
}

/* SIGTERM at the deadline, SIGKILL after the grace period. */
static void enforce_timeouts(struct batch *b)
{
    double now = now_s();

    for (size_t i = 0; i < b->n_slots; i++) {
        struct slot *s = &b->slots[i];

        if (!s->job || !s->deadline || now < s->deadline)
            continue;
        if (!s->kill_at) {
            s->job->timed_out = true;
            killpg(s->pid, SIGTERM);
            s->kill_at = now + RUNNER_KILL_GRACE_S;
        } else if (!s->killed && now >= s->kill_at) {
            killpg(s->pid, SIGKILL);
            s->killed = true;
        }
    }
}

/* ---- waiting ---------------------------------------------------------------- */

/* Seconds until the next deadline of a running job, at most 1 (a cap so
 * that a lost wakeup costs a second, not a hang). */
static double next_wakeup(const struct batch *b)
{
    double now = now_s(), wait = 1.0;

    for (size_t i = 0; i < b->n_slots; i++) {
        const struct slot *s = &b->slots[i];
        double at;

        if (!s->job || !s->deadline || s->killed)
            continue;
        at = s->kill_at ? s->kill_at : s->deadline;
        if (at - now < wait)
            wait = at - now;
    }
    return wait < 0 ? 0 : wait;
}

/* Sleeps until a signal of the wait set or the next deadline. Returns the
 * interrupting signal (SIGINT, SIGTERM, SIGHUP) or 0. */
static int wait_event(struct batch *b)
{
    double wait = next_wakeup(b);
    struct timespec ts = { (time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9) };
    int sig = sigtimedwait(&b->wait_set, NULL, &ts);

    return sig > 0 && sig != SIGCHLD ? sig : 0;
}

/* After an interrupt: kill what runs, and finish what never started. */
static void abandon(struct batch *b, struct runner_job *rest, size_t n_rest)
{
    for (size_t i = 0; i < b->n_slots; i++) {
        struct slot *s = &b->slots[i];
        int status;

        if (!s->job)
            continue;
        s->job->interrupted = true;
        killpg(s->pid, SIGKILL);
        while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
            ;
        finish(b, s, status);
    }
    for (size_t i = 0; i < n_rest; i++) {
        rest[i].started = false;
        rest[i].exit_status = -1;
        rest[i].term_signal = 0;
        rest[i].timed_out = false;
        rest[i].interrupted = true;
        rest[i].seconds = 0;
        snprintf(rest[i].start_error, sizeof(rest[i].start_error), "interrupted");
        b->done(&rest[i], b->ctx);
    }
}

/* Consumes signals that arrived while blocked, so that restoring the
 * caller's mask does not deliver a stale SIGINT. */
static void drain_signals(const sigset_t *set)
{
    struct timespec zero = { 0, 0 };

    while (sigtimedwait(set, NULL, &zero) > 0)
        ;
}

int runner_run(struct runner_job *jobs, size_t n, unsigned max_running,
               runner_done_fn *done, void *ctx)
{
    struct batch b = { .n_slots = max_running ? max_running : 1, .done = done, .ctx = ctx };
    struct sigaction dfl = { .sa_handler = SIG_DFL }, old_chld;
    size_t next = 0;
    int interrupted = 0;

    sigemptyset(&b.wait_set);
    sigaddset(&b.wait_set, SIGCHLD);
    sigaddset(&b.wait_set, SIGINT);
    sigaddset(&b.wait_set, SIGTERM);
    sigaddset(&b.wait_set, SIGHUP);
    sigprocmask(SIG_BLOCK, &b.wait_set, &b.child_mask);
    sigaction(SIGCHLD, &dfl, &old_chld); /* SIG_IGN would reap for us */
    b.slots = xcalloc(b.n_slots, sizeof(*b.slots));
    while (!interrupted && (next < n || b.running)) {
        for (size_t i = 0; i < b.n_slots && next < n; i++)
            if (!b.slots[i].job)
                start_job(&b, &b.slots[i], &jobs[next++]);
        if (!b.running)
            continue;
        interrupted = wait_event(&b);
        reap_finished(&b);
        enforce_timeouts(&b);
    }
    if (interrupted)
        abandon(&b, jobs + next, n - next);
    free(b.slots);
    drain_signals(&b.wait_set);
    sigaction(SIGCHLD, &old_chld, NULL);
    sigprocmask(SIG_SETMASK, &b.child_mask, NULL);
    return interrupted;
}
