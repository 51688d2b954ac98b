/* pg_version() (pushguard.h): the version this library was built as. */
#include "pushguard.h"

#include "build-config.h"

const char *pg_version(void)
{
	return PG_VERSION;
}
