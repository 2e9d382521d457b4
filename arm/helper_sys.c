/*
 * helper_sys.c — the helpers behind arm/helper_sys.h: what the memory
 * and system instructions cannot do in plain IR.
 *
 * They run on the vCPU's own thread, inside generated code, with env the
 * struct arm_cpu. Any of them may leave by arm_cpu_raise() (a guest fault
 * from the runtime, or an UNDEFINED access they detect); cpu->insn_pc
 * already names the instruction (insn_start), so they never set it.
 * Every register value the instruction writes is written by the
 * generated code after the helper returned, so a helper that leaves
 * changes no register.
 */
#include "arm/helper_sys.h"

#include "arm/cp15.h"
#include "arm/cpu.h"
#include "emu/cpu_services.h"

/* The bits MRS reads as zero in ARM state: IT, J and T. */
#define CPSR_EXEC_BITS (CPSR_T | CPSR_IT_2_7 | CPSR_IT_0_1 | CPSR_J)

/* ---- exclusives and events -------------------------------------------------- */

static uint64_t helper_ldrex(void *env, const uint64_t *args)
{
    unsigned memop = (unsigned)args[1];
    uint64_t v = emu_load_exclusive(env, (uint32_t)args[0], memop);

    return TCG_MEMOP_SIZE(memop) == TCG_MO_64 ? v : (uint32_t)v;
}

static uint64_t helper_strex(void *env, const uint64_t *args)
{
    return emu_store_exclusive(env, (uint32_t)args[0], args[1], (unsigned)args[2]);
}

static uint64_t helper_clrex(void *env, const uint64_t *args)
{
    (void)args;
    emu_clear_exclusive(env);
    return 0;
}

static uint64_t helper_sev(void *env, const uint64_t *args)
{
    (void)args;
    emu_send_event(env);
    return 0;
}

/* A set event register is consumed here without leaving generated code;
 * otherwise the runtime parks the vCPU and resumes after the WFE. */
static uint64_t helper_wfe(void *env, const uint64_t *args)
{
    struct arm_cpu *cpu = env;

    (void)args;
    if (atomic_exchange(&cpu->event, false))
        return 0;
    arm_cpu_raise(cpu, ARM_EXCP_WFE, 0);
}

/* ---- CPSR and exception returns --------------------------------------------- */

static uint64_t helper_cpsr_read(void *env, const uint64_t *args)
{
    (void)args;
    return arm_cpsr_read(env) & ~CPSR_EXEC_BITS;
}

static uint64_t helper_cpsr_write(void *env, const uint64_t *args)
{
    arm_cpsr_write(env, (uint32_t)args[0], (uint32_t)args[1]);
    return 0;
}

static uint64_t helper_exception_return(void *env, const uint64_t *args)
{
    arm_cpu_exception_return(env, (uint32_t)args[0], (uint32_t)args[1]);
    return 0;
}

/* ---- coprocessor registers ---------------------------------------------------- */

static uint64_t helper_sysreg_read(void *env, const uint64_t *args)
{
    uint32_t k = (uint32_t)args[0], v = 0;

    if (!arm_sysreg_read(env, ARM_SYSREG_KEY_CP(k), ARM_SYSREG_KEY_OPC1(k),
                         ARM_SYSREG_KEY_CRN(k), ARM_SYSREG_KEY_CRM(k),
                         ARM_SYSREG_KEY_OPC2(k), &v))
        arm_cpu_raise(env, ARM_EXCP_UDEF, 0);
    return v;
}

static uint64_t helper_sysreg_write(void *env, const uint64_t *args)
{
    uint32_t k = (uint32_t)args[0];

    if (!arm_sysreg_write(env, ARM_SYSREG_KEY_CP(k), ARM_SYSREG_KEY_OPC1(k),
                          ARM_SYSREG_KEY_CRN(k), ARM_SYSREG_KEY_CRM(k),
                          ARM_SYSREG_KEY_OPC2(k), (uint32_t)args[1]))
        arm_cpu_raise(env, ARM_EXCP_UDEF, 0);
    return 0;
}

static uint64_t helper_sysreg_read64(void *env, const uint64_t *args)
{
    uint32_t k = (uint32_t)args[0];
    uint64_t v = 0;

    if (!arm_sysreg_read64(env, ARM_SYSREG_KEY_CP(k), ARM_SYSREG_KEY_OPC1(k),
                           ARM_SYSREG_KEY_CRM(k), &v))
        arm_cpu_raise(env, ARM_EXCP_UDEF, 0);
    return v;
}

static uint64_t helper_sysreg_write64(void *env, const uint64_t *args)
{
    uint32_t k = (uint32_t)args[0];

    if (!arm_sysreg_write64(env, ARM_SYSREG_KEY_CP(k), ARM_SYSREG_KEY_OPC1(k),
                            ARM_SYSREG_KEY_CRM(k), args[1]))
        arm_cpu_raise(env, ARM_EXCP_UDEF, 0);
    return 0;
}

/* ---- the descriptors ------------------------------------------------------------- */

#define RW (TCG_CALL_READS_ENV | TCG_CALL_WRITES_ENV)

const struct tcg_helper arm_helper_ldrex = { "arm_ldrex", helper_ldrex, RW };
const struct tcg_helper arm_helper_strex = { "arm_strex", helper_strex, RW };
const struct tcg_helper arm_helper_clrex = { "arm_clrex", helper_clrex, RW };
const struct tcg_helper arm_helper_sev = { "arm_sev", helper_sev, RW };
const struct tcg_helper arm_helper_wfe = { "arm_wfe", helper_wfe, RW };
const struct tcg_helper arm_helper_cpsr_read = {
    "arm_cpsr_read", helper_cpsr_read, TCG_CALL_READS_ENV };
const struct tcg_helper arm_helper_cpsr_write = { "arm_cpsr_write", helper_cpsr_write, RW };
const struct tcg_helper arm_helper_exception_return = {
    "arm_exception_return", helper_exception_return, RW };
const struct tcg_helper arm_helper_sysreg_read = { "arm_sysreg_read", helper_sysreg_read, RW };
const struct tcg_helper arm_helper_sysreg_write = {
    "arm_sysreg_write", helper_sysreg_write, RW };
const struct tcg_helper arm_helper_sysreg_read64 = {
    "arm_sysreg_read64", helper_sysreg_read64, RW };
const struct tcg_helper arm_helper_sysreg_write64 = {
    "arm_sysreg_write64", helper_sysreg_write64, RW };
