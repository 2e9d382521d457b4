/*
 * exception.c — what happens when a guest takes an exception.
 *
 * start.S saves a struct rt_frame and calls rt_exception(). A test can
 * install a handler per type (an UNDEF probe, an IRQ handler); otherwise
 * the runtime prints one line saying what happened — type, CPU, PC, SPSR
 * and, for aborts, the fault status and address registers — then a TAP
 * "Bail out!" and exits with the type's own code, so the harness can tell a
 * fault from a failed check. An SVC with the semihosting immediate means
 * the emulator was started without -semihosting: say so and power off.
 */
#include "rt.h"
#include "psci.h"
#include "semihost.h"

void rt_exception(struct rt_frame *frame, enum rt_exc type);

static rt_exc_handler handlers[RT_EXC_COUNT];

static const char *const exc_names[RT_EXC_COUNT] = {
    [RT_EXC_UNDEF] = "undef", [RT_EXC_SVC] = "svc", [RT_EXC_PABT] = "prefetch-abort",
    [RT_EXC_DABT] = "data-abort", [RT_EXC_IRQ] = "irq", [RT_EXC_FIQ] = "fiq",
};

static const int exc_exit_codes[RT_EXC_COUNT] = {
    [RT_EXC_UNDEF] = RT_EXIT_UNDEF, [RT_EXC_SVC] = RT_EXIT_SVC,
    [RT_EXC_PABT] = RT_EXIT_PABT, [RT_EXC_DABT] = RT_EXIT_DABT,
    [RT_EXC_IRQ] = RT_EXIT_IRQ, [RT_EXC_FIQ] = RT_EXIT_FIQ,
};

void rt_set_handler(enum rt_exc type, rt_exc_handler handler)
{
    __atomic_store_n(&handlers[type], handler, __ATOMIC_RELEASE);
    rt_dsb();
}

const char *rt_exc_name(enum rt_exc type)
{
    return type < RT_EXC_COUNT ? exc_names[type] : "unknown";
}

/* The address of the instruction that caused the exception. */
static uint32_t fault_pc(const struct rt_frame *f, enum rt_exc type)
{
    return (type == RT_EXC_UNDEF || type == RT_EXC_SVC) ? f->pc - 4 : f->pc;
}

static void report(const struct rt_frame *f, enum rt_exc type)
{
    uint32_t fsr = 0, far = 0;

    if (type == RT_EXC_DABT) {
        __asm__ volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(fsr));
        __asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(far));
        rt_printf("EXCEPTION cpu=%d type=%s pc=%08lx spsr=%08lx dfsr=%08lx dfar=%08lx\n",
                  rt_cpu_id(), exc_names[type], (unsigned long)fault_pc(f, type),
                  (unsigned long)f->spsr, (unsigned long)fsr, (unsigned long)far);
    } else if (type == RT_EXC_PABT) {
        __asm__ volatile("mrc p15, 0, %0, c5, c0, 1" : "=r"(fsr));
        __asm__ volatile("mrc p15, 0, %0, c6, c0, 2" : "=r"(far));
        rt_printf("EXCEPTION cpu=%d type=%s pc=%08lx spsr=%08lx ifsr=%08lx ifar=%08lx\n",
                  rt_cpu_id(), exc_names[type], (unsigned long)fault_pc(f, type),
                  (unsigned long)f->spsr, (unsigned long)fsr, (unsigned long)far);
    } else {
        rt_printf("EXCEPTION cpu=%d type=%s pc=%08lx spsr=%08lx\n", rt_cpu_id(),
                  exc_names[type], (unsigned long)fault_pc(f, type), (unsigned long)f->spsr);
    }
    rt_printf("Bail out! unexpected %s exception on cpu %d\n", exc_names[type], rt_cpu_id());
}

void rt_exception(struct rt_frame *frame, enum rt_exc type)
{
    rt_exc_handler h = __atomic_load_n(&handlers[type], __ATOMIC_ACQUIRE);

    if (h && h(frame, type))
        return;
    if (type == RT_EXC_SVC && (*(uint32_t *)(frame->pc - 4) & 0xffffff) == SEMI_SVC_IMM) {
        rt_printf("Bail out! semihosting is off: run the emulator with -semihosting\n");
        psci_system_off();
    }
    report(frame, type);
    rt_exit(exc_exit_codes[type]);
}
