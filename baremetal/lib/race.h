/*
 * race.h — lining two CPUs up so that a few instructions really race.
 *
 * The ordering tests (mp-dmb, sb-dmb) hand an iteration number back and
 * forth with race_publish()/race_wait_for(), then both sides wait for one
 * start time on the shared generic counter (race_wait_until), far tighter
 * than any flag could line them up, and add a random few loops
 * (race_jitter) so the offset between the two sides varies from run to run.
 */
#ifndef RACE_H
#define RACE_H

#include <stdint.h>

/* xorshift32: a fast, reproducible PRNG; *state must not be 0. */
uint32_t race_rand(uint32_t *state);
/* Spins for a random 0..max_loops-1 empty loops. */
void race_jitter(uint32_t *state, uint32_t max_loops);
/* Release-stores value to *p and signals an event. */
void race_publish(uint32_t *p, uint32_t value);
/* Waits (spinning, then napping: nap.h) until *p == want, then orders
 * later accesses after that load. */
void race_wait_for(const uint32_t *p, uint32_t want);
/* Spins with YIELD until the generic counter reaches when. WFE would not
 * do: no one signals an event when the time comes. */
void race_wait_until(uint64_t when);

#endif
