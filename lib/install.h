/* Wiring pushguard's hooks into a server, `pushguard install` and `pushguard
 * uninstall`: the public part (struct pg_install_opts, pg_install_run(), ...) is
 * in pushguard.h; this is what the install_*.c files share. */
#ifndef PG_INSTALL_H
#define PG_INSTALL_H

#include "pushguard.h"

/* The second line of every file an install writes: uninstall removes only those. */
#define PG_INSTALL_MARKER "# pushguard: managed hook"

#endif
