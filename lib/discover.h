/* Finding the bare repositories of a server (pg_discover_bare_repos,
 * pg_is_bare_repo: public, pushguard.h). */
#ifndef PG_DISCOVER_H
#define PG_DISCOVER_H

#include "pushguard.h"

#endif
