#include "openpgp.h"

#include <errno.h>
#include <fcntl.h>
#include <rnp/rnp.h>
#include <rnp/rnp_err.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dl.h"

/* librnp is loaded with dlopen() when a push has signatures to check, not
 * linked: linked, librnp and Botan add about 10 ms to the start of every hook
 * process (static initialisers), for every push, signatures or not. */
static struct {
	__typeof__(rnp_buffer_destroy) *buffer_destroy;
	__typeof__(rnp_detect_homedir_info) *detect_homedir_info;
	__typeof__(rnp_ffi_create) *ffi_create;
	__typeof__(rnp_ffi_destroy) *ffi_destroy;
	__typeof__(rnp_ffi_set_log_fd) *ffi_set_log_fd;
	__typeof__(rnp_get_public_key_count) *get_public_key_count;
	__typeof__(rnp_get_security_rule) *get_security_rule;
	__typeof__(rnp_input_destroy) *input_destroy;
	__typeof__(rnp_input_from_memory) *input_from_memory;
	__typeof__(rnp_input_from_path) *input_from_path;
	__typeof__(rnp_key_get_alg) *key_get_alg;
	__typeof__(rnp_key_get_bits) *key_get_bits;
	__typeof__(rnp_key_get_creation) *key_get_creation;
	__typeof__(rnp_key_get_expiration) *key_get_expiration;
	__typeof__(rnp_key_get_fprint) *key_get_fprint;
	__typeof__(rnp_key_get_primary_fprint) *key_get_primary_fprint;
	__typeof__(rnp_key_get_primary_uid) *key_get_primary_uid;
	__typeof__(rnp_key_get_uid_at) *key_get_uid_at;
	__typeof__(rnp_key_get_uid_count) *key_get_uid_count;
	__typeof__(rnp_key_get_uid_handle_at) *key_get_uid_handle_at;
	__typeof__(rnp_key_handle_destroy) *key_handle_destroy;
	__typeof__(rnp_key_is_primary) *key_is_primary;
	__typeof__(rnp_key_is_revoked) *key_is_revoked;
	__typeof__(rnp_load_keys) *load_keys;
	__typeof__(rnp_locate_key) *locate_key;
	__typeof__(rnp_op_verify_destroy) *op_verify_destroy;
	__typeof__(rnp_op_verify_detached_create) *op_verify_detached_create;
	__typeof__(rnp_op_verify_execute) *op_verify_execute;
	__typeof__(rnp_op_verify_get_signature_at) *op_verify_get_signature_at;
	__typeof__(rnp_op_verify_get_signature_count) *op_verify_get_signature_count;
	__typeof__(rnp_op_verify_signature_get_handle) *op_verify_signature_get_handle;
	__typeof__(rnp_op_verify_signature_get_hash) *op_verify_signature_get_hash;
	__typeof__(rnp_op_verify_signature_get_key) *op_verify_signature_get_key;
	__typeof__(rnp_op_verify_signature_get_status) *op_verify_signature_get_status;
	__typeof__(rnp_op_verify_signature_get_times) *op_verify_signature_get_times;
	__typeof__(rnp_result_to_string) *result_to_string;
	__typeof__(rnp_set_timestamp) *set_timestamp;
	__typeof__(rnp_signature_get_keyid) *signature_get_keyid;
	__typeof__(rnp_signature_handle_destroy) *signature_handle_destroy;
	__typeof__(rnp_uid_handle_destroy) *uid_handle_destroy;
	__typeof__(rnp_uid_is_revoked) *uid_is_revoked;
	__typeof__(rnp_version) *version;
	__typeof__(rnp_version_for) *version_for;
	__typeof__(rnp_version_string) *version_string;
} R;

static const struct pg_dl_sym rnp_syms[] = {
	PG_DL_SYM(R, "rnp_", buffer_destroy),
	PG_DL_SYM(R, "rnp_", detect_homedir_info),
	PG_DL_SYM(R, "rnp_", ffi_create),
	PG_DL_SYM(R, "rnp_", ffi_destroy),
	PG_DL_SYM(R, "rnp_", ffi_set_log_fd),
	PG_DL_SYM(R, "rnp_", get_public_key_count),
	PG_DL_SYM(R, "rnp_", get_security_rule),
	PG_DL_SYM(R, "rnp_", input_destroy),
	PG_DL_SYM(R, "rnp_", input_from_memory),
	PG_DL_SYM(R, "rnp_", input_from_path),
	PG_DL_SYM(R, "rnp_", key_get_alg),
	PG_DL_SYM(R, "rnp_", key_get_bits),
	PG_DL_SYM(R, "rnp_", key_get_creation),
	PG_DL_SYM(R, "rnp_", key_get_expiration),
	PG_DL_SYM(R, "rnp_", key_get_fprint),
	PG_DL_SYM(R, "rnp_", key_get_primary_fprint),
	PG_DL_SYM(R, "rnp_", key_get_primary_uid),
	PG_DL_SYM(R, "rnp_", key_get_uid_at),
	PG_DL_SYM(R, "rnp_", key_get_uid_count),
	PG_DL_SYM(R, "rnp_", key_get_uid_handle_at),
	PG_DL_SYM(R, "rnp_", key_handle_destroy),
	PG_DL_SYM(R, "rnp_", key_is_primary),
	PG_DL_SYM(R, "rnp_", key_is_revoked),
	PG_DL_SYM(R, "rnp_", load_keys),
	PG_DL_SYM(R, "rnp_", locate_key),
	PG_DL_SYM(R, "rnp_", op_verify_destroy),
	PG_DL_SYM(R, "rnp_", op_verify_detached_create),
	PG_DL_SYM(R, "rnp_", op_verify_execute),
	PG_DL_SYM(R, "rnp_", op_verify_get_signature_at),
	PG_DL_SYM(R, "rnp_", op_verify_get_signature_count),
	PG_DL_SYM(R, "rnp_", op_verify_signature_get_handle),
	PG_DL_SYM(R, "rnp_", op_verify_signature_get_hash),
	PG_DL_SYM(R, "rnp_", op_verify_signature_get_key),
	PG_DL_SYM(R, "rnp_", op_verify_signature_get_status),
	PG_DL_SYM(R, "rnp_", op_verify_signature_get_times),
	PG_DL_SYM(R, "rnp_", result_to_string),
	PG_DL_SYM(R, "rnp_", set_timestamp),
	PG_DL_SYM(R, "rnp_", signature_get_keyid),
	PG_DL_SYM(R, "rnp_", signature_handle_destroy),
	PG_DL_SYM(R, "rnp_", uid_handle_destroy),
	PG_DL_SYM(R, "rnp_", uid_is_revoked),
	PG_DL_SYM(R, "rnp_", version),
	PG_DL_SYM(R, "rnp_", version_for),
	PG_DL_SYM(R, "rnp_", version_string),
	{ NULL, NULL },
};

/* 0.16 or later: the first release with every function above (a build that
 * is not a release says 0: its functions are all there, which is what counts). */
static bool rnp_version_ok(char *why, size_t n)
{
	uint32_t v = R.version();

	if (!v || v >= R.version_for(0, 16, 0))
		return true;
	snprintf(why, n, "it is librnp %s", R.version_string());
	return false;
}

static struct pg_dl_lib rnp_lib = { "librnp.so.0", "librnp 0.16 or later (librnp0)", rnp_syms, rnp_version_ok, NULL };

static int load_rnp(struct pg_error *err)
{
	return pg_dl_load(&rnp_lib, "checking OpenPGP signatures", err);
}

#define rnp_buffer_destroy (R.buffer_destroy)
#define rnp_detect_homedir_info (R.detect_homedir_info)
#define rnp_ffi_create (R.ffi_create)
#define rnp_ffi_destroy (R.ffi_destroy)
#define rnp_ffi_set_log_fd (R.ffi_set_log_fd)
#define rnp_get_public_key_count (R.get_public_key_count)
#define rnp_get_security_rule (R.get_security_rule)
#define rnp_input_destroy (R.input_destroy)
#define rnp_input_from_memory (R.input_from_memory)
#define rnp_input_from_path (R.input_from_path)
#define rnp_key_get_alg (R.key_get_alg)
#define rnp_key_get_bits (R.key_get_bits)
#define rnp_key_get_creation (R.key_get_creation)
#define rnp_key_get_expiration (R.key_get_expiration)
#define rnp_key_get_fprint (R.key_get_fprint)
#define rnp_key_get_primary_fprint (R.key_get_primary_fprint)
#define rnp_key_get_primary_uid (R.key_get_primary_uid)
#define rnp_key_get_uid_at (R.key_get_uid_at)
#define rnp_key_get_uid_count (R.key_get_uid_count)
#define rnp_key_get_uid_handle_at (R.key_get_uid_handle_at)
#define rnp_key_handle_destroy (R.key_handle_destroy)
#define rnp_key_is_primary (R.key_is_primary)
#define rnp_key_is_revoked (R.key_is_revoked)
#define rnp_load_keys (R.load_keys)
#define rnp_locate_key (R.locate_key)
#define rnp_op_verify_destroy (R.op_verify_destroy)
#define rnp_op_verify_detached_create (R.op_verify_detached_create)
#define rnp_op_verify_execute (R.op_verify_execute)
#define rnp_op_verify_get_signature_at (R.op_verify_get_signature_at)
#define rnp_op_verify_get_signature_count (R.op_verify_get_signature_count)
#define rnp_op_verify_signature_get_handle (R.op_verify_signature_get_handle)
#define rnp_op_verify_signature_get_hash (R.op_verify_signature_get_hash)
#define rnp_op_verify_signature_get_key (R.op_verify_signature_get_key)
#define rnp_op_verify_signature_get_status (R.op_verify_signature_get_status)
#define rnp_op_verify_signature_get_times (R.op_verify_signature_get_times)
#define rnp_result_to_string (R.result_to_string)
#define rnp_set_timestamp (R.set_timestamp)
#define rnp_signature_get_keyid (R.signature_get_keyid)
#define rnp_signature_handle_destroy (R.signature_handle_destroy)
#define rnp_uid_handle_destroy (R.uid_handle_destroy)
#define rnp_uid_is_revoked (R.uid_is_revoked)

struct pg_openpgp {
	rnp_ffi_t ffi;
};

/* rnp_ffi_set_log_fd covers only part of rnp's diagnostics: much of it is
 * written straight to stderr (RNP_LOG), which is the pusher's terminal. So
 * fd 2 points at /dev/null while rnp works. Returns the saved fd, or -1. */
static int quiet_begin(void)
{
	int saved, nul;

	fflush(stderr);
	if ((saved = fcntl(2, F_DUPFD_CLOEXEC, 3)) < 0)
		return -1;
	if ((nul = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0 || dup2(nul, 2) < 0) {
		if (nul >= 0)
			close(nul);
		close(saved);
		return -1;
	}
	close(nul);
	return saved;
}

static void quiet_end(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
}

int pg_openpgp_new(struct pg_openpgp **out, struct pg_error *err)
{
	struct pg_openpgp *k = calloc(1, sizeof(*k));
	int fd;

	*out = NULL;
	if (!k)
		return pg_error_oom(err);
	if (load_rnp(err) < 0) {
		free(k);
		return err->code;
	}
	if (rnp_ffi_create(&k->ffi, "GPG", "GPG") != RNP_SUCCESS) {
		free(k);
		return pg_error_set(err, PG_ERR, "librnp: cannot create a context");
	}
	/* rnp's own diagnostics must never reach the pusher; rnp owns (closes) fd */
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || rnp_ffi_set_log_fd(k->ffi, fd) != RNP_SUCCESS) {
		if (fd >= 0)
			close(fd);
		pg_openpgp_free(k);
		return pg_error_set(err, PG_ERR, "librnp: cannot redirect its log to /dev/null");
	}
	*out = k;
	return 0;
}

void pg_openpgp_free(struct pg_openpgp *k)
{
	if (!k)
		return;
	rnp_ffi_destroy(k->ffi);
	free(k);
}

size_t pg_openpgp_count(const struct pg_openpgp *k)
{
	size_t n = 0;

	if (rnp_get_public_key_count(k->ffi, &n) != RNP_SUCCESS)
		return 0;
	return n;
}

static int load(struct pg_openpgp *k, const char *format, const char *path, const char *label,
		const char *what, struct pg_error *err)
{
	rnp_input_t in = NULL;
	rnp_result_t rc;
	struct stat st;
	int fd;

	/* rnp's own errors are vague: say precisely why a file cannot be read */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return pg_error_set(err, PG_ECONFIG, "cannot read %s %s (%s): %s", label, path, what,
				    strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return pg_error_set(err, PG_ECONFIG, "%s %s (%s) is not a regular file", label, path, what);
	}
	close(fd);
	if (!st.st_size)
		return pg_error_set(err, PG_ECONFIG, "%s %s (%s) is empty", label, path, what);
	if (rnp_input_from_path(&in, path) != RNP_SUCCESS)
		return pg_error_set(err, PG_ECONFIG, "cannot read %s %s (%s)", label, path, what);
	fd = quiet_begin();
	rc = rnp_load_keys(k->ffi, format, in, RNP_LOAD_SAVE_PUBLIC_KEYS);
	quiet_end(fd);
	rnp_input_destroy(in);
	if (rc != RNP_SUCCESS)
		return pg_error_set(err, PG_ECONFIG, "%s %s (%s) holds no readable OpenPGP keys: %s", label,
				    path, what, rnp_result_to_string(rc));
	/* the same keys may come from two sources: only "none at all" is an error */
	if (!pg_openpgp_count(k))
		return pg_error_set(err, PG_ECONFIG, "%s %s (%s) holds no OpenPGP public key", label, path,
				    what);
	return 0;
}

int pg_openpgp_load_file(struct pg_openpgp *k, const char *path, const char *what,
			 struct pg_error *err)
{
	return load(k, "GPG", path, "OpenPGP keyring", what, err);
}

int pg_openpgp_load_buffer(struct pg_openpgp *k, const void *data, size_t len, const char *name,
			   struct pg_error *err)
{
	rnp_input_t in = NULL;
	rnp_result_t rc;
	size_t before = pg_openpgp_count(k);
	int fd;

	if (!len)
		return pg_error_set(err, PG_ECONFIG, "OpenPGP keyring %s is empty", name);
	if (rnp_input_from_memory(&in, data, len, false) != RNP_SUCCESS)
		return pg_error_set(err, PG_ERR, "cannot read OpenPGP keyring %s", name);
	fd = quiet_begin();
	rc = rnp_load_keys(k->ffi, "GPG", in, RNP_LOAD_SAVE_PUBLIC_KEYS);
	quiet_end(fd);
	rnp_input_destroy(in);
	if (rc != RNP_SUCCESS)
		return pg_error_set(err, PG_ECONFIG, "OpenPGP keyring %s holds no readable OpenPGP keys: %s", name,
				    rnp_result_to_string(rc));
	if (pg_openpgp_count(k) == before && !before)
		return pg_error_set(err, PG_ECONFIG, "OpenPGP keyring %s holds no OpenPGP public key", name);
	return 0;
}

int pg_openpgp_load_home(struct pg_openpgp *k, const char *home, const char *what,
			 struct pg_error *err)
{
	char *pub_format = NULL, *pub_path = NULL, *sec_format = NULL, *sec_path = NULL;
	struct stat st;
	int ret;

	if (stat(home, &st) < 0)
		return pg_error_set(err, PG_ECONFIG, "cannot read GnuPG home %s (%s): %s", home, what,
				    strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return pg_error_set(err, PG_ECONFIG, "GnuPG home %s (%s) is not a directory", home, what);
	if (rnp_detect_homedir_info(home, &pub_format, &pub_path, &sec_format, &sec_path) != RNP_SUCCESS ||
	    !pub_format || !pub_path) {
		ret = pg_error_set(err, PG_ECONFIG, "GnuPG home %s (%s) has no readable public keyring "
				   "(pubring.kbx or pubring.gpg)", home, what);
		goto out;
	}
	ret = load(k, pub_format, pub_path, "GnuPG public keyring", what, err);
out:
	rnp_buffer_destroy(pub_format);
	rnp_buffer_destroy(pub_path);
	rnp_buffer_destroy(sec_format);
	rnp_buffer_destroy(sec_path);
	return ret;
}

/* ---------------------------------------------------------------- verdicts */

static char *dup_rnp(char *s)
{
	char *d = s ? strdup(s) : NULL;

	rnp_buffer_destroy(s);
	return d;
}

/* The address in "Name <addr>", or the whole id when it has no brackets. */
static bool uid_has_email(const char *uid, const char *email)
{
	const char *lt = strrchr(uid, '<'), *gt;
	size_t n = strlen(email);

	if (lt && (gt = strchr(lt, '>')))
		return (size_t)(gt - lt - 1) == n && !strncasecmp(lt + 1, email, n);
	return !strcasecmp(uid, email);
}

/* The user id carrying email (not revoked), or NULL. Caller frees. */
static char *find_uid(rnp_key_handle_t key, const char *email)
{
	size_t n = 0;

	if (rnp_key_get_uid_count(key, &n) != RNP_SUCCESS)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		rnp_uid_handle_t h = NULL;
		bool revoked = false;
		char *uid = NULL;

		if (rnp_key_get_uid_handle_at(key, i, &h) != RNP_SUCCESS)
			continue;
		rnp_uid_is_revoked(h, &revoked);
		rnp_uid_handle_destroy(h);
		if (revoked || rnp_key_get_uid_at(key, i, &uid) != RNP_SUCCESS)
			continue;
		if (uid_has_email(uid, email))
			return dup_rnp(uid);
		rnp_buffer_destroy(uid);
	}
	return NULL;
}

static bool in_list(const struct pg_strvec *list, const char *fpr)
{
	for (size_t i = 0; list && i < list->n; i++)
		if (!strcasecmp(list->v[i], fpr))
			return true;
	return false;
}

/* 1 when the key expired before `when` (creation + expiration < when). */
static bool expired_at(rnp_key_handle_t key, int64_t when, int64_t *till)
{
	uint32_t created = 0, expiration = 0;

	if (rnp_key_get_creation(key, &created) != RNP_SUCCESS ||
	    rnp_key_get_expiration(key, &expiration) != RNP_SUCCESS || !expiration)
		return false;
	*till = (int64_t)created + expiration;
	return when > *till;
}

/* A good signature (cryptographically): judge the key at `when`. */
static int judge_key(struct pg_openpgp *k, rnp_op_verify_signature_t vs, int64_t when,
		     const char *email, const struct pg_strvec *revoked, struct pg_sig_facts *out)
{
	rnp_key_handle_t key = NULL, primary = NULL;
	char *fpr = NULL, *pfpr = NULL, *alg = NULL;
	uint32_t created = 0, expires = 0, bits = 0;
	bool is_primary = true, rev = false, prev = false;
	int64_t till = 0;
	int ret = -1;

	if (rnp_op_verify_signature_get_key(vs, &key) != RNP_SUCCESS || !key ||
	    rnp_key_get_fprint(key, &fpr) != RNP_SUCCESS)
		goto out;
	rnp_key_is_primary(key, &is_primary);
	if (!is_primary) {
		if (rnp_key_get_primary_fprint(key, &pfpr) != RNP_SUCCESS ||
		    rnp_locate_key(k->ffi, "fingerprint", pfpr, &primary) != RNP_SUCCESS || !primary)
			goto out;
	}
	if (!(out->key = strdup(pfpr ? pfpr : fpr)))
		goto out;
	{
		char *uid = NULL;

		if (rnp_key_get_primary_uid(primary ? primary : key, &uid) == RNP_SUCCESS)
			out->signer = dup_rnp(uid);
	}
	rnp_key_is_revoked(key, &rev);
	if (primary)
		rnp_key_is_revoked(primary, &prev);
	if (rev || prev) {
		ret = pg_sig_facts_set(out, PG_SIG_PGP_REVOKED, NULL);
		goto out;
	}
	if (in_list(revoked, fpr) || (pfpr && in_list(revoked, pfpr))) {
		ret = pg_sig_facts_set(out, PG_SIG_PGP_REVOKED_LISTED, NULL);
		goto out;
	}
	if (expired_at(key, when, &till) || (primary && expired_at(primary, when, &till))) {
		out->when = till;
		ret = pg_sig_facts_set(out, PG_SIG_PGP_KEY_EXPIRED, NULL);
		goto out;
	}
	if (rnp_op_verify_signature_get_times(vs, &created, &expires) == RNP_SUCCESS && expires &&
	    when > (int64_t)created + expires) {
		out->when = (int64_t)created + expires;
		ret = pg_sig_facts_set(out, PG_SIG_PGP_SIG_EXPIRED, NULL);
		goto out;
	}
	if (rnp_key_get_alg(key, &alg) == RNP_SUCCESS && rnp_key_get_bits(key, &bits) == RNP_SUCCESS &&
	    (!strcmp(alg, "RSA") || !strcmp(alg, "DSA") || !strcmp(alg, "ELGAMAL")) &&
	    bits < PG_OPENPGP_MIN_KEY_BITS) {
		out->bits = bits;
		ret = pg_sig_facts_set(out, PG_SIG_PGP_WEAK_KEY, alg);
		goto out;
	}
	if (email) {
		char *uid = find_uid(primary ? primary : key, email);

		if (!uid) {
			ret = (out->email = strdup(email)) ? pg_sig_facts_set(out, PG_SIG_PGP_NO_UID, NULL) : -1;
			goto out;
		}
		free(out->signer);
		out->signer = uid;
	}
	ret = pg_sig_facts_set(out, PG_SIG_GOOD, NULL);
out:
	rnp_buffer_destroy(fpr);
	rnp_buffer_destroy(pfpr);
	rnp_buffer_destroy(alg);
	rnp_key_handle_destroy(key);
	rnp_key_handle_destroy(primary);
	return ret;
}

/* The security level rnp gives the signature's hash at its creation time. */
static bool weak_hash(struct pg_openpgp *k, rnp_op_verify_signature_t vs, char **hash)
{
	uint32_t created = 0, level = RNP_SECURITY_DEFAULT, flags = RNP_SECURITY_VERIFY_DATA;

	*hash = NULL;
	if (rnp_op_verify_signature_get_hash(vs, hash) != RNP_SUCCESS || !*hash)
		return false;
	rnp_op_verify_signature_get_times(vs, &created, NULL);
	if (rnp_get_security_rule(k->ffi, RNP_FEATURE_HASH_ALG, *hash, created, &flags, NULL, &level) !=
	    RNP_SUCCESS)
		return false;
	return level < RNP_SECURITY_DEFAULT;
}

/* One verification at time t. *op must be destroyed by the caller (also on
 * failure); *vs is the signature to judge: a cryptographically good one if
 * any, else the first. Returns 0, 1 when no signature could be parsed, -1
 * when rnp could not even start. */
static int run_verify(struct pg_openpgp *k, const void *data, size_t len, const void *sig,
		      size_t siglen, int64_t t, rnp_input_t *din, rnp_input_t *sin,
		      rnp_op_verify_t *op, rnp_op_verify_signature_t *vs, rnp_result_t *status)
{
	size_t count = 0;

	*vs = NULL;
	if (t > 0)
		rnp_set_timestamp(k->ffi, (uint64_t)t);
	if (rnp_input_from_memory(din, data, len, false) != RNP_SUCCESS ||
	    rnp_input_from_memory(sin, sig, siglen, false) != RNP_SUCCESS ||
	    rnp_op_verify_detached_create(op, k->ffi, *din, *sin) != RNP_SUCCESS)
		return -1;
	(void)rnp_op_verify_execute(*op); /* the per-signature status says what happened */
	if (rnp_op_verify_get_signature_count(*op, &count) != RNP_SUCCESS)
		return 1;
	for (size_t i = 0; i < count; i++) {
		rnp_op_verify_signature_t s = NULL;
		rnp_result_t st;

		if (rnp_op_verify_get_signature_at(*op, i, &s) != RNP_SUCCESS)
			continue;
		st = rnp_op_verify_signature_get_status(s);
		if (!*vs || st == RNP_SUCCESS || st == RNP_ERROR_SIGNATURE_EXPIRED) {
			*vs = s;
			*status = st;
			if (st == RNP_SUCCESS || st == RNP_ERROR_SIGNATURE_EXPIRED)
				break;
		}
	}
	return *vs ? 0 : 1;
}

static void end_verify(rnp_input_t *din, rnp_input_t *sin, rnp_op_verify_t *op)
{
	rnp_op_verify_destroy(*op);
	rnp_input_destroy(*din);
	rnp_input_destroy(*sin);
	*op = NULL;
	*din = *sin = NULL;
}

int pg_openpgp_verify(struct pg_openpgp *k, const void *data, size_t len, const void *sig,
		      size_t siglen, int64_t when, const char *email,
		      const struct pg_strvec *revoked, struct pg_sig_facts *out,
		      struct pg_error *err)
{
	int quiet = quiet_begin();
	rnp_input_t din = NULL, sin = NULL;
	rnp_op_verify_t op = NULL;
	rnp_op_verify_signature_t vs = NULL;
	rnp_result_t status = RNP_ERROR_SIGNATURE_INVALID;
	uint32_t created = 0;
	char *hash = NULL;
	int ret = -1, rc;

	out->format = PG_SIG_OPENPGP;
	/* "now" for rnp is the commit's time; our own checks below use it too */
	rc = run_verify(k, data, len, sig, siglen, when, &din, &sin, &op, &vs, &status);
	/* git signs after it dates the commit: a signature made a little after the
	 * commit's date is "from the future" at that date. Judge it at its own time. */
	if (rc == 0 && status == RNP_ERROR_SIGNATURE_EXPIRED &&
	    rnp_op_verify_signature_get_times(vs, &created, NULL) == RNP_SUCCESS && (int64_t)created > when) {
		end_verify(&din, &sin, &op);
		when = created;
		rc = run_verify(k, data, len, sig, siglen, when, &din, &sin, &op, &vs, &status);
	}
	if (rc < 0) {
		ret = pg_error_set(err, PG_ERR, "librnp: cannot set up a verification");
		goto out;
	}
	if (!vs) {
		ret = pg_sig_facts_set(out, PG_SIG_PGP_UNPARSABLE, NULL);
		goto out;
	}
	if (status == RNP_ERROR_KEY_NOT_FOUND) {
		rnp_signature_handle_t sh = NULL;
		char *keyid = NULL;

		if (rnp_op_verify_signature_get_handle(vs, &sh) == RNP_SUCCESS &&
		    rnp_signature_get_keyid(sh, &keyid) == RNP_SUCCESS)
			out->key = dup_rnp(keyid);
		rnp_signature_handle_destroy(sh);
		ret = pg_sig_facts_set(out, PG_SIG_PGP_KEY_UNKNOWN, NULL);
		goto out;
	}
	if (weak_hash(k, vs, &hash)) {
		ret = pg_sig_facts_set(out, PG_SIG_PGP_WEAK_HASH, hash);
		goto out;
	}
	if (status == RNP_SUCCESS || status == RNP_ERROR_SIGNATURE_EXPIRED) {
		if ((ret = judge_key(k, vs, when, email, revoked, out)) < 0) {
			ret = pg_error_set(err, PG_ERR, "librnp: cannot read the signing key");
			goto out;
		}
		if (ret == 0 && out->fact == PG_SIG_GOOD && status == RNP_ERROR_SIGNATURE_EXPIRED)
			ret = pg_sig_facts_set(out, PG_SIG_PGP_EXPIRED_AT_DATE, NULL);
		goto out;
	}
	if (status == RNP_ERROR_SIGNATURE_INVALID) {
		rnp_key_handle_t key = NULL;

		/* rnp also calls a signature by a revoked (or otherwise invalid) key
		 * invalid: name the key's state when it explains the refusal */
		if (rnp_op_verify_signature_get_key(vs, &key) == RNP_SUCCESS && key) {
			rnp_key_handle_destroy(key);
			if ((ret = judge_key(k, vs, when, NULL, revoked, out)) < 0) {
				ret = pg_error_set(err, PG_ERR, "librnp: cannot read the signing key");
				goto out;
			}
			if (out->fact == PG_SIG_PGP_REVOKED || out->fact == PG_SIG_PGP_REVOKED_LISTED ||
			    out->fact == PG_SIG_PGP_KEY_EXPIRED)
				goto out;
		}
		ret = pg_sig_facts_set(out, PG_SIG_PGP_MISMATCH, NULL);
		goto out;
	}
	ret = pg_sig_facts_set(out, PG_SIG_PGP_UNCHECKABLE, rnp_result_to_string(status));
out:
	if (ret == -1 && !err->code)
		ret = pg_error_oom(err);
	rnp_buffer_destroy(hash);
	end_verify(&din, &sin, &op);
	quiet_end(quiet);
	return ret;
}
