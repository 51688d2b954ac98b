/* Error reports: functions return 0 or a negative code and fill the caller's
 * struct pg_error with a message naming the file, key or object at fault.
 * struct pg_error and its functions are public: pushguard.h. */
#ifndef PG_ERROR_H
#define PG_ERROR_H

#include "pushguard.h"

#endif
