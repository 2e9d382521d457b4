/*
 * params.c — test parameters from the emulator's -append text.
 *
 * SYS_GET_CMDLINE returns "<kernel path> <append text>"; the first token is
 * dropped and the rest split into key=value words, once, at start-up,
 * before any secondary runs. A word without '=' is kept with an empty
 * value; a number that does not parse is a bail-out, not a silent default.
 */
#include "rt.h"
#include "semihost.h"

#define MAX_PARAMS 32

static char cmdline[1024];
static const char *keys[MAX_PARAMS];
static const char *values[MAX_PARAMS];
static int nparams;

void rt_params_init(void)
{
    char *p = cmdline;

    if (semi_get_cmdline(cmdline, sizeof(cmdline)) != 0)
        return;
    while (*p && *p != ' ')
        p++; /* the kernel path */
    while (*p && nparams < MAX_PARAMS) {
        char *eq;

        while (*p == ' ')
            *p++ = '\0';
        if (!*p)
            break;
        keys[nparams] = p;
        while (*p && *p != ' ')
            p++;
        if (*p)
            *p++ = '\0';
        eq = strchr(keys[nparams], '=');
        if (eq) {
            *eq = '\0';
            values[nparams] = eq + 1;
        } else {
            values[nparams] = "";
        }
        nparams++;
    }
}

const char *rt_param_str(const char *key, const char *def)
{
    for (int i = nparams - 1; i >= 0; i--)
        if (strcmp(keys[i], key) == 0)
            return values[i];
    return def;
}

unsigned long rt_param_ulong(const char *key, unsigned long def)
{
    const char *s = rt_param_str(key, 0);
    unsigned long v = 0, base = 10;

    if (!s)
        return def;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        goto bad;
    for (; *s; s++) {
        unsigned d;

        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            goto bad;
        v = v * base + d;
    }
    return v;
bad:
    rt_printf("Bail out! parameter %s=%s is not a number\n", key, rt_param_str(key, ""));
    rt_exit(RT_EXIT_FAIL);
}
