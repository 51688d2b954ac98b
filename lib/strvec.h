/* A growable array of owned, NUL-terminated strings (struct pg_strvec and
 * its functions are public: pushguard.h). */
#ifndef PG_STRVEC_H
#define PG_STRVEC_H

#include "pushguard.h"

#endif
