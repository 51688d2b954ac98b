/* update: called once per ref as `update REF OLD NEW`; non-zero refuses that
 * ref only. */
#include "pushguard.h"

int main(int argc, char **argv)
{
	return pg_hook_main(PG_HOOK_UPDATE, argc, argv);
}
