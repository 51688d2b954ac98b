/* Growable byte buffer: never NULL, always NUL-terminated, capped, and it
 * remembers a failure (as curl's dynbuf does). struct pg_buf and its
 * functions are public: pushguard.h says how they behave. */
#ifndef PG_BUF_H
#define PG_BUF_H

#include "pushguard.h"

#endif
