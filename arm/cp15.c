/*
 * cp15.c — the system registers behind MRC/MCR/MRRC/MCRR (see cp15.h).
 *
 * Every register is one line of a table: its encoding, name, who may read
 * and write it, where its value lives (a field of struct arm_cp15 with the
 * bits a write may change, or a constant), and functions only where an
 * access does more than that. Values are those QEMU 7.2 shows for
 * cortex-a15 on -M virt (machine-contract.md §4, plus the probe readings
 * noted in docs/design/cpu.md). Lookups scan the table; MRC/MCR run in
 * helpers, and the table is small enough that a scan costs less than the
 * helper call.
 *
 * Access rules: a register allows PL0 only where the architecture says
 * so (TPIDRURO/URW, the CP15 barriers, the debug ID registers, and the
 * generic timer as CNTKCTL opens it). A register that exists but may not
 * be accessed this way is UNDEFINED without a log line; an encoding that
 * is not in the table gets a -d unimp line and is UNDEFINED too.
 *
 * The table is read-only; the state it points at is the calling vCPU's.
 */
#include "arm/cp15.h"

#include "arm/mmu.h"
#include "emu/cpu_services.h"
#include "util/fence.h"

#include <stdatomic.h>
#include <stddef.h>

/* ---- values (machine-contract.md §4; the rest measured on QEMU 7.2) ---- */

#define MIDR_VALUE 0x414fc0f0u        /* also REVIDR and the unused c0,c0 slots */
#define CTR_VALUE 0x8444c004u
#define CLIDR_VALUE 0x0a200023u
#define CNTFRQ_VALUE 62500000u
#define CBAR_VALUE 0x08000000u        /* -M virt: the GIC's peripheral base */
#define DBGDIDR_VALUE 0x3515f021u     /* 4 watchpoints, 6 breakpoints, debug v7.1 */
#define DBGOSLSR_VALUE 0x0000000au    /* OS Lock implemented and locked */
#define N_BREAKPOINTS 6u
#define N_WATCHPOINTS 4u

/* No VFP/NEON yet: CPACR's cp10/cp11, D32DIS and ASEDIS read as zero, so
 * guests that probe for a floating-point unit find none. */
#define CPACR_WRITABLE 0u
#define VBAR_WRITABLE 0xffffffe0u
#define CSSELR_WRITABLE 0xfu
/* TTBCR bits kept per format (QEMU 7.2 keeps exactly these). */
#define TTBCR_LONG_WRITABLE 0xffc73f87u
#define TTBCR_SHORT_WRITABLE 0x00000007u

#define SCTLR_CP15BEN (1u << 5)

/* ---- the table's vocabulary -------------------------------------------- */

enum { PL0R = 1, PL0W = 2, PL1R = 4, PL1W = 8 };
#define PL1RW (PL1R | PL1W)
#define PL0RW (PL0R | PL0W)
#define UNDEF 0                       /* exists, but no access is allowed */

/* Extra conditions on an access. The CNTKCTL ones restrict PL0 only. */
enum gate {
    GATE_NONE, GATE_CP15BEN, GATE_PL0_PCT, GATE_PL0_VCT, GATE_PL0_ANY_CT,
    GATE_PL0_PT, GATE_PL0_VT,
};

#define CNTKCTL_PL0PCTEN (1u << 0)
#define CNTKCTL_PL0VCTEN (1u << 1)
#define CNTKCTL_PL0VTEN (1u << 8)
#define CNTKCTL_PL0PTEN (1u << 9)

struct sysreg;
typedef uint32_t read_fn(struct arm_cpu *cpu, const struct sysreg *r);
typedef void write_fn(struct arm_cpu *cpu, const struct sysreg *r, uint32_t v);

struct sysreg {
    uint32_t key;              /* KEY(cp, opc1, crn, crm, opc2) */
    const char *name;
    uint8_t access;
    uint8_t gate;
    int16_t field;             /* offsetof(struct arm_cp15, ...) or NO_FIELD */
    uint32_t value;            /* constant read value, or the field's write mask */
    read_fn *read;
    write_fn *write;
};

struct sysreg64;
typedef uint64_t read64_fn(struct arm_cpu *cpu, const struct sysreg64 *r);
typedef void write64_fn(struct arm_cpu *cpu, const struct sysreg64 *r, uint64_t v);

struct sysreg64 {
    uint32_t key;              /* KEY(cp, opc1, 0, crm, 0) */
    const char *name;
    uint8_t access;
    uint8_t gate;
    read64_fn *read;           /* NULL: reads as zero */
    write64_fn *write;         /* NULL: writes ignored */
};

#define KEY(cp, o1, n, m, o2) \
    (((uint32_t)(cp) << 16) | ((uint32_t)(o1) << 12) | ((uint32_t)(n) << 8) | \
     ((uint32_t)(m) << 4) | (uint32_t)(o2))
#define KEY_CRM(k) (((k) >> 4) & 0xfu)
#define KEY_OPC2(k) ((k) & 0xfu)
#define KEY_OPC1(k) (((k) >> 12) & 0xfu)
#define NO_FIELD (-1)
#define FIELD(f) ((int16_t)offsetof(struct arm_cp15, f))

/* One line per register. C: a constant (writes ignored where PL1W is set);
 * V: a field with its writable bits; X: functions. */
#define C(cp, o1, n, m, o2, name, acc, gate, val) \
    { KEY(cp, o1, n, m, o2), name, acc, gate, NO_FIELD, val, NULL, NULL }
#define V(cp, o1, n, m, o2, name, acc, f, mask, wr) \
    { KEY(cp, o1, n, m, o2), name, acc, GATE_NONE, FIELD(f), mask, NULL, wr }
#define X(cp, o1, n, m, o2, name, acc, gate, rd, wr) \
    { KEY(cp, o1, n, m, o2), name, acc, gate, NO_FIELD, 0, rd, wr }

static read_fn read_mpidr, read_ccsidr, read_isr, read_timer;
static write_fn write_sctlr, write_ttbcr, write_dacr, write_contextidr, write_ats,
    write_barrier, write_tlbi, write_timer;

static const struct sysreg regs[] = {
    /*  cp o1 crn crm o2  name          access       where                        */
    C(15, 0, 0, 0, 0, "MIDR",           PL1R, GATE_NONE, MIDR_VALUE),
    C(15, 0, 0, 0, 1, "CTR",            PL1R, GATE_NONE, CTR_VALUE),
    C(15, 0, 0, 0, 2, "TCMTR",          PL1R, GATE_NONE, 0),
    C(15, 0, 0, 0, 3, "TLBTR",          PL1R, GATE_NONE, 0),
    C(15, 0, 0, 0, 4, "MIDR alias",     PL1R, GATE_NONE, MIDR_VALUE),
    X(15, 0, 0, 0, 5, "MPIDR",          PL1R, GATE_NONE, read_mpidr, NULL),
    C(15, 0, 0, 0, 6, "REVIDR",         PL1R, GATE_NONE, MIDR_VALUE),
    C(15, 0, 0, 0, 7, "MIDR alias",     PL1R, GATE_NONE, MIDR_VALUE),
    C(15, 0, 0, 1, 0, "ID_PFR0",        PL1R, GATE_NONE, 0x00001131),
    C(15, 0, 0, 1, 1, "ID_PFR1",        PL1R, GATE_NONE, 0x00010001),
    C(15, 0, 0, 1, 2, "ID_DFR0",        PL1R, GATE_NONE, 0x02010505),
    C(15, 0, 0, 1, 3, "ID_AFR0",        PL1R, GATE_NONE, 0),
    C(15, 0, 0, 1, 4, "ID_MMFR0",       PL1R, GATE_NONE, 0x10201105),
    C(15, 0, 0, 1, 5, "ID_MMFR1",       PL1R, GATE_NONE, 0x20000000),
    C(15, 0, 0, 1, 6, "ID_MMFR2",       PL1R, GATE_NONE, 0x01240000),
    C(15, 0, 0, 1, 7, "ID_MMFR3",       PL1R, GATE_NONE, 0x02102211),
    C(15, 0, 0, 2, 0, "ID_ISAR0",       PL1R, GATE_NONE, 0x02101110),
    C(15, 0, 0, 2, 1, "ID_ISAR1",       PL1R, GATE_NONE, 0x13112111),
    C(15, 0, 0, 2, 2, "ID_ISAR2",       PL1R, GATE_NONE, 0x21232041),
    C(15, 0, 0, 2, 3, "ID_ISAR3",       PL1R, GATE_NONE, 0x11112131),
    C(15, 0, 0, 2, 4, "ID_ISAR4",       PL1R, GATE_NONE, 0x10011142),
    C(15, 0, 0, 2, 5, "ID_ISAR5",       PL1R, GATE_NONE, 0),
    X(15, 1, 0, 0, 0, "CCSIDR",         PL1R, GATE_NONE, read_ccsidr, NULL),
    C(15, 1, 0, 0, 1, "CLIDR",          PL1R, GATE_NONE, CLIDR_VALUE),
    C(15, 1, 0, 0, 7, "AIDR",           PL1R, GATE_NONE, 0),
    V(15, 2, 0, 0, 0, "CSSELR",         PL1RW, csselr, CSSELR_WRITABLE, NULL),
    V(15, 0, 1, 0, 0, "SCTLR",          PL1RW, sctlr, 0xffffffff, write_sctlr),
    C(15, 0, 1, 0, 1, "ACTLR",          PL1RW, GATE_NONE, 0),
    V(15, 0, 1, 0, 2, "CPACR",          PL1RW, cpacr, CPACR_WRITABLE, NULL),
    V(15, 0, 2, 0, 0, "TTBR0",          PL1RW, ttbr0_lo, 0xffffffff, NULL),
    V(15, 0, 2, 0, 1, "TTBR1",          PL1RW, ttbr1_lo, 0xffffffff, NULL),
    V(15, 0, 2, 0, 2, "TTBCR",          PL1RW, ttbcr, 0xffffffff, write_ttbcr),
    V(15, 0, 3, 0, 0, "DACR",           PL1RW, dacr, 0xffffffff, write_dacr),
    V(15, 0, 5, 0, 0, "DFSR",           PL1RW, dfsr, 0xffffffff, NULL),
    V(15, 0, 5, 0, 1, "IFSR",           PL1RW, ifsr, 0xffffffff, NULL),
    C(15, 0, 5, 1, 0, "ADFSR",          PL1RW, GATE_NONE, 0),
    C(15, 0, 5, 1, 1, "AIFSR",          PL1RW, GATE_NONE, 0),
    V(15, 0, 6, 0, 0, "DFAR",           PL1RW, dfar, 0xffffffff, NULL),
    V(15, 0, 6, 0, 2, "IFAR",           PL1RW, ifar, 0xffffffff, NULL),
    C(15, 0, 7, 1, 0, "ICIALLUIS",      PL1W, GATE_NONE, 0),
    C(15, 0, 7, 1, 6, "BPIALLIS",       PL1W, GATE_NONE, 0),
    V(15, 0, 7, 4, 0, "PAR",            PL1RW, par_lo, 0xffffffff, NULL),
    C(15, 0, 7, 5, 0, "ICIALLU",        PL1W, GATE_NONE, 0),
    C(15, 0, 7, 5, 1, "ICIMVAU",        PL1W, GATE_NONE, 0),
    X(15, 0, 7, 5, 4, "CP15ISB",        PL0W | PL1W, GATE_CP15BEN, NULL, write_barrier),
    C(15, 0, 7, 5, 6, "BPIALL",         PL1W, GATE_NONE, 0),
    C(15, 0, 7, 5, 7, "BPIMVA",         PL1W, GATE_NONE, 0),
    C(15, 0, 7, 6, 1, "DCIMVAC",        PL1W, GATE_NONE, 0),
    C(15, 0, 7, 6, 2, "DCISW",          PL1W, GATE_NONE, 0),
    X(15, 0, 7, 8, 0, "ATS1CPR",        PL1W, GATE_NONE, NULL, write_ats),
    X(15, 0, 7, 8, 1, "ATS1CPW",        PL1W, GATE_NONE, NULL, write_ats),
    X(15, 0, 7, 8, 2, "ATS1CUR",        PL1W, GATE_NONE, NULL, write_ats),
    X(15, 0, 7, 8, 3, "ATS1CUW",        PL1W, GATE_NONE, NULL, write_ats),
    C(15, 0, 7, 8, 4, "ATS12NSOPR",     UNDEF, GATE_NONE, 0),  /* Secure only */
    C(15, 0, 7, 8, 5, "ATS12NSOPW",     UNDEF, GATE_NONE, 0),
    C(15, 0, 7, 8, 6, "ATS12NSOUR",     UNDEF, GATE_NONE, 0),
    C(15, 0, 7, 8, 7, "ATS12NSOUW",     UNDEF, GATE_NONE, 0),
    C(15, 0, 7, 10, 1, "DCCMVAC",       PL1W, GATE_NONE, 0),
    C(15, 0, 7, 10, 2, "DCCSW",         PL1W, GATE_NONE, 0),
    X(15, 0, 7, 10, 4, "CP15DSB",       PL0W | PL1W, GATE_CP15BEN, NULL, write_barrier),
    X(15, 0, 7, 10, 5, "CP15DMB",       PL0W | PL1W, GATE_CP15BEN, NULL, write_barrier),
    C(15, 0, 7, 11, 1, "DCCMVAU",       PL1W, GATE_NONE, 0),
    C(15, 0, 7, 14, 1, "DCCIMVAC",      PL1W, GATE_NONE, 0),
    C(15, 0, 7, 14, 2, "DCCISW",        PL1W, GATE_NONE, 0),
    X(15, 0, 8, 3, 0, "TLBIALLIS",      PL1W, GATE_NONE, NULL, write_tlbi),
    X(15, 0, 8, 3, 1, "TLBIMVAIS",      PL1W, GATE_NONE, NULL, write_tlbi),
    X(15, 0, 8, 3, 2, "TLBIASIDIS",     PL1W, GATE_NONE, NULL, write_tlbi),
    X(15, 0, 8, 3, 3, "TLBIMVAAIS",     PL1W, GATE_NONE, NULL, write_tlbi),
    X(15, 0, 8, 5, 0, "ITLBIALL",       PL1W, GATE_NONE, NULL, write_tlbi),
    X(15, 0, 8, 5, 1, "ITLBIMVA",       PL1W, GATE_NONE, NULL, write_tlbi),
    X(15, 0, 8, 5, 2, "ITLBIASID",      PL1W, GATE_NONE, NULL, write_tlbi),
    X(15, 0, 8, 6, 0, "DTLBIALL",       PL1W, GATE_NONE, NULL, write_tlbi),
    X(15, 0, 8, 6, 1, "DTLBIMVA",       PL1W, GATE_NONE, NULL, write_tlbi),
    X(15, 0, 8, 6, 2, "DTLBIASID",      PL1W, GATE_NONE, NULL, write_tlbi),
    X(15, 0, 8, 7, 0, "TLBIALL",        PL1W, GATE_NONE, NULL, write_tlbi),
    X(15, 0, 8, 7, 1, "TLBIMVA",        PL1W, GATE_NONE, NULL, write_tlbi),
    X(15, 0, 8, 7, 2, "TLBIASID",       PL1W, GATE_NONE, NULL, write_tlbi),
    X(15, 0, 8, 7, 3, "TLBIMVAA",       PL1W, GATE_NONE, NULL, write_tlbi),
    C(15, 1, 9, 0, 3, "L2ECTLR",        PL1RW, GATE_NONE, 0),
    V(15, 0, 10, 2, 0, "PRRR/MAIR0",    PL1RW, prrr, 0xffffffff, NULL),
    V(15, 0, 10, 2, 1, "NMRR/MAIR1",    PL1RW, nmrr, 0xffffffff, NULL),
    C(15, 0, 10, 3, 0, "AMAIR0",        PL1RW, GATE_NONE, 0),
    C(15, 0, 10, 3, 1, "AMAIR1",        PL1RW, GATE_NONE, 0),
    V(15, 0, 12, 0, 0, "VBAR",          PL1RW, vbar, VBAR_WRITABLE, NULL),
    X(15, 0, 12, 1, 0, "ISR",           PL1R, GATE_NONE, read_isr, NULL),
    C(15, 0, 13, 0, 0, "FCSEIDR",       PL1RW, GATE_NONE, 0),  /* no FCSE in v7 MP */
    V(15, 0, 13, 0, 1, "CONTEXTIDR",    PL1RW, contextidr, 0xffffffff, write_contextidr),
    V(15, 0, 13, 0, 2, "TPIDRURW",      PL0RW | PL1RW, tpidrurw, 0xffffffff, NULL),
    V(15, 0, 13, 0, 3, "TPIDRURO",      PL0R | PL1RW, tpidruro, 0xffffffff, NULL),
    V(15, 0, 13, 0, 4, "TPIDRPRW",      PL1RW, tpidrprw, 0xffffffff, NULL),
    C(15, 0, 14, 0, 0, "CNTFRQ",        PL0R | PL1RW, GATE_PL0_ANY_CT, CNTFRQ_VALUE),
    V(15, 0, 14, 1, 0, "CNTKCTL",       PL1RW, cntkctl, 0xffffffff, NULL),
    X(15, 0, 14, 2, 0, "CNTP_TVAL",     PL0RW | PL1RW, GATE_PL0_PT, read_timer, write_timer),
    X(15, 0, 14, 2, 1, "CNTP_CTL",      PL0RW | PL1RW, GATE_PL0_PT, read_timer, write_timer),
    X(15, 0, 14, 3, 0, "CNTV_TVAL",     PL0RW | PL1RW, GATE_PL0_VT, read_timer, write_timer),
    X(15, 0, 14, 3, 1, "CNTV_CTL",      PL0RW | PL1RW, GATE_PL0_VT, read_timer, write_timer),
    C(15, 4, 15, 0, 0, "CBAR",          PL1R, GATE_NONE, CBAR_VALUE),
    /* cp14: the debug registers a kernel probes; no debug logic behind them. */
    C(14, 0, 0, 0, 0, "DBGDIDR",        PL0R | PL1R, GATE_NONE, DBGDIDR_VALUE),
    C(14, 0, 0, 1, 0, "DBGDSCRint",     PL0R | PL1R, GATE_NONE, 0),
    C(14, 0, 0, 2, 2, "DBGDSCRext",     PL1RW, GATE_NONE, 0),
    C(14, 0, 1, 0, 0, "DBGDRAR",        PL0R | PL1R, GATE_NONE, 0),
    C(14, 0, 2, 0, 0, "DBGDSAR",        PL0R | PL1R, GATE_NONE, 0),
    C(14, 0, 1, 0, 4, "DBGOSLAR",       PL1W, GATE_NONE, 0),
    C(14, 0, 1, 1, 4, "DBGOSLSR",       PL1R, GATE_NONE, DBGOSLSR_VALUE),
    C(14, 0, 1, 3, 4, "DBGOSDLR",       PL1RW, GATE_NONE, 0),
    C(14, 0, 1, 4, 4, "DBGPRCR",        PL1RW, GATE_NONE, 0),
    C(14, 6, 0, 0, 0, "TEECR",          PL1RW, GATE_NONE, 0),
    C(14, 7, 0, 0, 0, "JIDR",           PL0R | PL1R, GATE_NONE, 0),
};

static read64_fn read_ttbr64, read_par64, read_counter64, read_cval64;
static write64_fn write_ttbr64, write_par64, write_cval64;

static const struct sysreg64 regs64[] = {
    /*         cp o1    crm   name         access         gate           read              write */
    { KEY(15, 0, 0, 2, 0),  "TTBR0",     PL1RW,         GATE_NONE,     read_ttbr64,    write_ttbr64 },
    { KEY(15, 1, 0, 2, 0),  "TTBR1",     PL1RW,         GATE_NONE,     read_ttbr64,    write_ttbr64 },
    { KEY(15, 0, 0, 7, 0),  "PAR",       PL1RW,         GATE_NONE,     read_par64,     write_par64 },
    { KEY(15, 0, 0, 14, 0), "CNTPCT",    PL0R | PL1R,   GATE_PL0_PCT,  read_counter64, NULL },
    { KEY(15, 1, 0, 14, 0), "CNTVCT",    PL0R | PL1R,   GATE_PL0_VCT,  read_counter64, NULL },
    { KEY(15, 2, 0, 14, 0), "CNTP_CVAL", PL0RW | PL1RW, GATE_PL0_PT,   read_cval64,    write_cval64 },
    { KEY(15, 3, 0, 14, 0), "CNTV_CVAL", PL0RW | PL1RW, GATE_PL0_VT,   read_cval64,    write_cval64 },
    { KEY(15, 4, 0, 14, 0), "CNTVOFF",   UNDEF,         GATE_NONE,     NULL,           NULL }, /* Hyp only */
    { KEY(14, 0, 0, 1, 0),  "DBGDRAR",   PL0R | PL1R,   GATE_NONE,     NULL,           NULL },
    { KEY(14, 0, 0, 2, 0),  "DBGDSAR",   PL0R | PL1R,   GATE_NONE,     NULL,           NULL },
};

#define N_REGS (sizeof(regs) / sizeof(regs[0]))
#define N_REGS64 (sizeof(regs64) / sizeof(regs64[0]))

/* ---- access checks -------------------------------------------------------- */

static bool gate_open(const struct arm_cpu *cpu, uint8_t gate, bool pl0)
{
    uint32_t k = cpu->cp15.cntkctl;

    switch (gate) {
    case GATE_CP15BEN:    return (cpu->cp15.sctlr & SCTLR_CP15BEN) != 0;
    case GATE_PL0_PCT:    return !pl0 || (k & CNTKCTL_PL0PCTEN);
    case GATE_PL0_VCT:    return !pl0 || (k & CNTKCTL_PL0VCTEN);
    case GATE_PL0_ANY_CT: return !pl0 || (k & (CNTKCTL_PL0PCTEN | CNTKCTL_PL0VCTEN));
    case GATE_PL0_PT:     return !pl0 || (k & CNTKCTL_PL0PTEN);
    case GATE_PL0_VT:     return !pl0 || (k & CNTKCTL_PL0VTEN);
    default:              return true;
    }
}

static bool allowed(const struct arm_cpu *cpu, uint8_t access, uint8_t gate, bool write)
{
    bool pl0 = arm_cpu_mode(cpu) == ARM_MODE_USR;
    uint8_t need = write ? (pl0 ? PL0W : PL1W) : (pl0 ? PL0R : PL1R);

    return (access & need) && gate_open(cpu, gate, pl0);
}

/* ---- lookup ------------------------------------------------------------------ */

/* Encodings the table does not list one by one: the reserved ID space
 * (c0, CRm 1-7) reads as zero, and the breakpoint and watchpoint
 * registers read as zero and ignore writes. */
static const struct sysreg raz_id = { 0, "reserved ID", PL1R, GATE_NONE, NO_FIELD, 0, NULL, NULL };
static const struct sysreg raz_debug = { 0, "DBGBVR/BCR/WVR/WCR", PL1RW, GATE_NONE, NO_FIELD, 0,
                                         NULL, NULL };

static const struct sysreg *find(unsigned cp, unsigned opc1, unsigned crn, unsigned crm,
                                 unsigned opc2)
{
    uint32_t key = KEY(cp, opc1, crn, crm, opc2);

    if (cp > 15 || opc1 > 7 || crn > 15 || crm > 15 || opc2 > 7)
        return NULL;
    for (size_t i = 0; i < N_REGS; i++) {
        if (regs[i].key == key)
            return &regs[i];
    }
    if (cp == 15 && opc1 == 0 && crn == 0 && crm >= 1 && crm <= 7)
        return &raz_id;
    if (cp == 14 && opc1 == 0 && crn == 0 &&
        ((opc2 >= 4 && opc2 <= 5 && crm < N_BREAKPOINTS) ||
         (opc2 >= 6 && opc2 <= 7 && crm < N_WATCHPOINTS)))
        return &raz_debug;
    return NULL;
}

static const struct sysreg64 *find64(unsigned cp, unsigned opc1, unsigned crm)
{
    uint32_t key = KEY(cp, opc1, 0, crm, 0);

    if (cp > 15 || opc1 > 15 || crm > 15)
        return NULL;
    for (size_t i = 0; i < N_REGS64; i++) {
        if (regs64[i].key == key)
            return &regs64[i];
    }
    return NULL;
}

static uint32_t *field_of(struct arm_cpu *cpu, const struct sysreg *r)
{
    return (uint32_t *)((char *)&cpu->cp15 + r->field);
}

/* ---- the four entries ------------------------------------------------------------ */

bool arm_sysreg_read(struct arm_cpu *cpu, unsigned cp, unsigned opc1, unsigned crn,
                     unsigned crm, unsigned opc2, uint32_t *value)
{
    const struct sysreg *r = find(cp, opc1, crn, crm, opc2);

    if (!r) {
        arm_log_unimp(cpu, "sysreg cp%u opc1 %u CRn %u CRm %u opc2 %u", cp, opc1, crn, crm,
                      opc2);
        return false;
    }
    if (!allowed(cpu, r->access, r->gate, false))
        return false;
    if (r->read)
        *value = r->read(cpu, r);
    else if (r->field != NO_FIELD)
        *value = *field_of(cpu, r);
    else
        *value = r->value;
    return true;
}

bool arm_sysreg_write(struct arm_cpu *cpu, unsigned cp, unsigned opc1, unsigned crn,
                      unsigned crm, unsigned opc2, uint32_t value)
{
    const struct sysreg *r = find(cp, opc1, crn, crm, opc2);

    if (!r) {
        arm_log_unimp(cpu, "sysreg cp%u opc1 %u CRn %u CRm %u opc2 %u", cp, opc1, crn, crm,
                      opc2);
        return false;
    }
    if (!allowed(cpu, r->access, r->gate, true))
        return false;
    if (r->write) {
        r->write(cpu, r, value);
    } else if (r->field != NO_FIELD) {
        uint32_t *f = field_of(cpu, r);

        *f = (*f & ~r->value) | (value & r->value);
    }
    return true;
}

bool arm_sysreg_read64(struct arm_cpu *cpu, unsigned cp, unsigned opc1, unsigned crm,
                       uint64_t *value)
{
    const struct sysreg64 *r = find64(cp, opc1, crm);

    if (!r) {
        arm_log_unimp(cpu, "sysreg64 cp%u opc1 %u CRm %u", cp, opc1, crm);
        return false;
    }
    if (!allowed(cpu, r->access, r->gate, false))
        return false;
    *value = r->read ? r->read(cpu, r) : 0;
    return true;
}

bool arm_sysreg_write64(struct arm_cpu *cpu, unsigned cp, unsigned opc1, unsigned crm,
                        uint64_t value)
{
    const struct sysreg64 *r = find64(cp, opc1, crm);

    if (!r) {
        arm_log_unimp(cpu, "sysreg64 cp%u opc1 %u CRm %u", cp, opc1, crm);
        return false;
    }
    if (!allowed(cpu, r->access, r->gate, true))
        return false;
    if (r->write)
        r->write(cpu, r, value);
    return true;
}

/* ---- identification ------------------------------------------------------------------ */

static uint32_t read_mpidr(struct arm_cpu *cpu, const struct sysreg *r)
{
    (void)r;
    return 0x80000000u | cpu->index;
}

/* CSSELR picks the cache: 0 L1 data (32 KiB), 1 L1 instruction (32 KiB),
 * 2 L2 unified (4 MiB), all with 64-byte lines; others read as zero. */
static uint32_t read_ccsidr(struct arm_cpu *cpu, const struct sysreg *r)
{
    static const uint32_t ccsidr[] = { 0x701fe00a, 0x201fe00a, 0x711fe07a };
    uint32_t sel = cpu->cp15.csselr & 0xfu;

    (void)r;
    return sel < 3 ? ccsidr[sel] : 0;
}

static uint32_t read_isr(struct arm_cpu *cpu, const struct sysreg *r)
{
    uint32_t lines = atomic_load_explicit(&cpu->irq_lines, memory_order_relaxed);

    (void)r;
    return ((lines & ARM_IRQ_LINE) ? CPSR_I : 0) | ((lines & ARM_FIQ_LINE) ? CPSR_F : 0);
}

/* ---- translation control ----------------------------------------------------------------- */

/* The soft TLB caches permissions computed from SCTLR, TTBCR and DACR and
 * entries tagged with the current ASID, so changing any of them drops this
 * vCPU's entries (software needs no TLB maintenance for these on ARMv7). */
static void store_and_flush(struct arm_cpu *cpu, uint32_t *reg, uint32_t v)
{
    if (*reg != v) {
        *reg = v;
        emu_tlb_flush_all(cpu, false);
    }
}

static void write_sctlr(struct arm_cpu *cpu, const struct sysreg *r, uint32_t v)
{
    (void)r;
    store_and_flush(cpu, &cpu->cp15.sctlr, v);   /* QEMU 7.2 keeps every bit written */
}

static void write_ttbcr(struct arm_cpu *cpu, const struct sysreg *r, uint32_t v)
{
    (void)r;
    v &= (v & TTBCR_EAE) ? TTBCR_LONG_WRITABLE : TTBCR_SHORT_WRITABLE;
    store_and_flush(cpu, &cpu->cp15.ttbcr, v);
}

static void write_dacr(struct arm_cpu *cpu, const struct sysreg *r, uint32_t v)
{
    (void)r;
    store_and_flush(cpu, &cpu->cp15.dacr, v);
}

static void write_contextidr(struct arm_cpu *cpu, const struct sysreg *r, uint32_t v)
{
    bool asid_changed = ((cpu->cp15.contextidr ^ v) & 0xffu) != 0;

    (void)r;
    cpu->cp15.contextidr = v;
    if (asid_changed)
        emu_tlb_flush_all(cpu, false);
}

static uint64_t read_ttbr64(struct arm_cpu *cpu, const struct sysreg64 *r)
{
    const struct arm_cp15 *cp = &cpu->cp15;

    if (KEY_OPC1(r->key) == 1)
        return ((uint64_t)cp->ttbr1_hi << 32) | cp->ttbr1_lo;
    return ((uint64_t)cp->ttbr0_hi << 32) | cp->ttbr0_lo;
}

/* Under LPAE the ASID lives in TTBRn[55:48]: a new one drops the TLB. */
static void write_ttbr64(struct arm_cpu *cpu, const struct sysreg64 *r, uint64_t v)
{
    struct arm_cp15 *cp = &cpu->cp15;
    uint32_t *lo = KEY_OPC1(r->key) == 1 ? &cp->ttbr1_lo : &cp->ttbr0_lo;
    uint32_t *hi = KEY_OPC1(r->key) == 1 ? &cp->ttbr1_hi : &cp->ttbr0_hi;
    bool asid_changed = ((*hi ^ (uint32_t)(v >> 32)) & 0x00ff0000u) != 0;

    *lo = (uint32_t)v;
    *hi = (uint32_t)(v >> 32);
    if (asid_changed)
        emu_tlb_flush_all(cpu, false);
}

/* ---- address translation operations ------------------------------------------------------- */

#define PAR_FAULT (1u << 0)
#define PAR_SS (1u << 1)
#define PAR_NS (1u << 9)      /* no Security Extensions: everything is Non-secure */
#define PAR_LPAE (1u << 11)

static bool walk_read(void *opaque, uint64_t pa, uint32_t *value)
{
    return emu_phys_read32(opaque, pa, value);
}

/* PAR as a successful walk leaves it. Memory attributes are not reported
 * (QEMU 7.2 leaves them zero too). */
static uint64_t par_ok(const struct arm_mmu_result *res, bool lpae)
{
    if (lpae)
        return (res->pa & 0xfffffff000ull) | PAR_NS | PAR_LPAE;
    if (res->page_size == (1u << 24))    /* supersection: PA[39:32] in [23:16] */
        return (res->pa & 0xff000000u) | (((res->pa >> 32) & 0xffu) << 16) | PAR_SS | PAR_NS;
    return (res->pa & 0xfffff000u) | PAR_NS;
}

/* PAR as a fault leaves it: FS[5:0] = {ExT, FS[4], FS[3:0]} of the short
 * FSR, or the long FSR's STATUS, in [6:1]. */
static uint64_t par_fault(uint32_t fsr, bool lpae)
{
    if (lpae)
        return ((fsr & 0x3fu) << 1) | PAR_LPAE | PAR_FAULT;
    return ((fsr & 0xfu) << 1) | (((fsr >> 10) & 1u) << 5) | (((fsr >> 12) & 1u) << 6) |
           PAR_FAULT;
}

/* ATS1C{P,U}{R,W}: opc2 bit 0 = write, bit 1 = PL0. */
static void write_ats(struct arm_cpu *cpu, const struct sysreg *r, uint32_t va)
{
    unsigned op = KEY_OPC2(r->key);
    enum arm_access type = (op & 1u) ? ARM_ACCESS_WRITE : ARM_ACCESS_READ;
    enum arm_mmu_idx idx = (op & 2u) ? ARM_MMU_IDX_PL0 : ARM_MMU_IDX_PL1;
    bool lpae = (cpu->cp15.ttbcr & TTBCR_EAE) != 0;
    struct arm_mmu_result res;
    uint32_t fsr = 0;
    uint64_t par;

    if (arm_mmu_translate(cpu, va, type, idx, walk_read, cpu, &res, &fsr))
        par = par_ok(&res, lpae);
    else
        par = par_fault(fsr, lpae);
    cpu->cp15.par_lo = (uint32_t)par;
    cpu->cp15.par_hi = (uint32_t)(par >> 32);
}

static uint64_t read_par64(struct arm_cpu *cpu, const struct sysreg64 *r)
{
    (void)r;
    return ((uint64_t)cpu->cp15.par_hi << 32) | cpu->cp15.par_lo;
}

static void write_par64(struct arm_cpu *cpu, const struct sysreg64 *r, uint64_t v)
{
    (void)r;
    cpu->cp15.par_lo = (uint32_t)v;
    cpu->cp15.par_hi = (uint32_t)(v >> 32);
}

/* ---- barriers and TLB maintenance ------------------------------------------------------------ */

static void write_barrier(struct arm_cpu *cpu, const struct sysreg *r, uint32_t v)
{
    (void)cpu, (void)r, (void)v;
    host_full_fence();
}

/* CRm 3: the Inner Shareable (broadcast) forms; 5, 6, 7: this vCPU only
 * (the instruction and data TLBs are one soft TLB). opc2: 0 all, 1 by VA
 * and ASID, 2 by ASID, 3 by VA for every ASID. */
static void write_tlbi(struct arm_cpu *cpu, const struct sysreg *r, uint32_t v)
{
    bool is = KEY_CRM(r->key) == 3;
    uint32_t va = v & 0xfffff000u, asid = v & 0xffu;

    switch (KEY_OPC2(r->key)) {
    case 0: emu_tlb_flush_all(cpu, is); break;
    case 1: emu_tlb_flush_va_asid(cpu, va, asid, is); break;
    case 2: emu_tlb_flush_asid(cpu, asid, is); break;
    default: emu_tlb_flush_va(cpu, va, is); break;
    }
}

/* ---- the generic timer ------------------------------------------------------------------------- */

#define CNT_CTL_ENABLE (1u << 0)
#define CNT_CTL_IMASK (1u << 1)
#define CNT_CTL_ISTATUS (1u << 2)

/* CNTVOFF is 0 and cannot be written without Hyp mode, so both timers
 * count the same; the offset is still applied so that stays true if it
 * ever can be. */
static uint64_t counter(struct arm_cpu *cpu, bool virt)
{
    uint64_t now = emu_counter_now(cpu);

    return virt ? now - cpu->cp15.cntvoff : now;
}

struct timer_regs {
    uint32_t *ctl;
    uint64_t *cval;
    bool virt;
};

static struct timer_regs timer_of(struct arm_cpu *cpu, bool virt)
{
    if (virt)
        return (struct timer_regs){ &cpu->cp15.cntv_ctl, &cpu->cp15.cntv_cval, true };
    return (struct timer_regs){ &cpu->cp15.cntp_ctl, &cpu->cp15.cntp_cval, false };
}

/* CNTx_TVAL (opc2 0) and CNTx_CTL (opc2 1); CRm 2 physical, 3 virtual. */
static uint32_t read_timer(struct arm_cpu *cpu, const struct sysreg *r)
{
    struct timer_regs t = timer_of(cpu, KEY_CRM(r->key) == 3);
    uint64_t now = counter(cpu, t.virt);

    if (KEY_OPC2(r->key) == 0)
        return (uint32_t)(*t.cval - now);
    if ((*t.ctl & CNT_CTL_ENABLE) && now >= *t.cval)
        return *t.ctl | CNT_CTL_ISTATUS;
    return *t.ctl;
}

static void write_timer(struct arm_cpu *cpu, const struct sysreg *r, uint32_t v)
{
    struct timer_regs t = timer_of(cpu, KEY_CRM(r->key) == 3);

    if (KEY_OPC2(r->key) == 0)
        *t.cval = counter(cpu, t.virt) + (uint64_t)(int64_t)(int32_t)v;
    else
        *t.ctl = v & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
    emu_timer_changed(cpu);
}

/* CNTPCT (opc1 0), CNTVCT (opc1 1). */
static uint64_t read_counter64(struct arm_cpu *cpu, const struct sysreg64 *r)
{
    return counter(cpu, KEY_OPC1(r->key) == 1);
}

/* CNTP_CVAL (opc1 2), CNTV_CVAL (opc1 3). */
static uint64_t read_cval64(struct arm_cpu *cpu, const struct sysreg64 *r)
{
    return *timer_of(cpu, KEY_OPC1(r->key) == 3).cval;
}

static void write_cval64(struct arm_cpu *cpu, const struct sysreg64 *r, uint64_t v)
{
    *timer_of(cpu, KEY_OPC1(r->key) == 3).cval = v;
    emu_timer_changed(cpu);
}
