/*
 * fence.h — a full host memory barrier.
 *
 * The guest's DMB/DSB and the runtime's store-then-load handshakes (code
 * pages, emu/softmmu.c) need a sequentially consistent fence. Under
 * ThreadSanitizer, which does not model fences (gcc refuses them with
 * -fsanitize=thread), a seq_cst read-modify-write of a private word stands
 * in: on x86-64 it is the same locked instruction, and every access it
 * orders is atomic anyway, so TSan has nothing to report either way.
 */
#ifndef UTIL_FENCE_H
#define UTIL_FENCE_H

#include <stdatomic.h>

#if defined(__SANITIZE_THREAD__)
#define HOST_FENCE_RMW 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HOST_FENCE_RMW 1
#endif
#endif

static inline void host_full_fence(void)
{
#ifdef HOST_FENCE_RMW
    static _Atomic unsigned fence_word;
    atomic_fetch_add_explicit(&fence_word, 0, memory_order_seq_cst);
#else
    atomic_thread_fence(memory_order_seq_cst);
#endif
}

#endif
