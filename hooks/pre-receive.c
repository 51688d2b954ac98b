/* pre-receive: all ref updates of a push on stdin; exit 0 accepts them all,
 * non-zero refuses the whole push before any ref moves. */
#include "pushguard.h"

int main(int argc, char **argv)
{
	return pg_hook_main(PG_HOOK_PRE_RECEIVE, argc, argv);
}
