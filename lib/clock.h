/* The one monotonic clock: the hook's start time, the time budget's deadline
 * and the tracker lookups' deadline are all read from it, so they compare. */
#ifndef PG_CLOCK_H
#define PG_CLOCK_H

#include <stdint.h>

/* Milliseconds since an arbitrary point (CLOCK_MONOTONIC). */
int64_t pg_clock_ms(void);

#endif
