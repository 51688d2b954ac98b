/* A signature verdict in git's terms (signature.h): its letter, the letter's
 * name, setting and releasing it. */
#include "signature.h"

#include <stdarg.h>
#include <stdlib.h>

#include "buf.h"

void pg_sig_verdict_release(struct pg_sig_verdict *v)
{
	free(v->key);
	free(v->signer);
	free(v->reason);
	*v = (struct pg_sig_verdict)PG_SIG_VERDICT_INIT;
}

int pg_sig_verdict_set(struct pg_sig_verdict *v, char letter, const char *fmt, ...)
{
	struct pg_buf b = PG_BUF_INIT;
	va_list ap;

	v->letter = letter;
	free(v->reason);
	v->reason = NULL;
	if (!fmt)
		return 0;
	va_start(ap, fmt);
	pg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (!(v->reason = pg_buf_detach(&b)))
		return -1;
	return 0;
}

const char *pg_sig_letter_name(char letter)
{
	switch (letter) {
	case 'G': return "good signature";
	case 'B': return "bad signature";
	case 'U': return "untrusted key";
	case 'X': return "expired signature";
	case 'Y': return "expired key";
	case 'R': return "revoked key";
	case 'N': return "no signature";
	default: return "cannot check the signature";
	}
}
