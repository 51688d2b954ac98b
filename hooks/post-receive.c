/* post-receive: after the refs have moved, the updates that landed on stdin;
 * records push.landed and runs the chained post-receive hooks. Its exit
 * status changes nothing for the push. */
#include "pushguard.h"

int main(int argc, char **argv)
{
	return pg_landed_main(argc, argv);
}
