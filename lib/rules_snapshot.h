/* The built-in rule pack, loaded once at build time and kept as a snapshot.
 *
 * Parsing the pack's TOML and translating its 240 regular expressions was
 * four fifths of the instructions of a one-commit push's hook (7 of 9
 * million). `make` loads the pack once more (tools/build/compile_rules
 * --snapshot) and writes what the load produced into default.snap, which
 * `make install` puts beside default.toml and default.hsdb; a hook that loads
 * the pack then reads the snapshot instead: the same rules, in one pass over
 * one file, with nothing to parse or translate.
 *
 * The snapshot is used only when it is exactly the pack's: it names the
 * length and CRC-32 of the TOML bytes it was made from and the pushguard
 * version that made it (the translation of patterns is the code's), and it
 * is read into an empty rule set only (the built-in pack loaded first, as it
 * is unless an extending file came before). Anything else, a stale, damaged or
 * missing snapshot included, and the TOML is parsed as before: never a
 * different rule set, at worst a slower start.
 *
 * Format (all integers little-endian): the magic line, then u64 TOML length,
 * u32 CRC-32, str version; u32 rule count and each rule; u32 allowlist count
 * and each global allowlist. A str is a u32 length (0xffffffff: none) and the
 * bytes; a pattern is its PCRE2 source (str) and where it came from without
 * the file name ("LINE: rule 'ID': 'regex'", str). */
#ifndef PG_RULES_SNAPSHOT_H
#define PG_RULES_SNAPSHOT_H

#include <stddef.h>

#include "buf.h"
#include "rules.h"

#define PG_RULES_SNAPSHOT_MAGIC "pushguard rules snapshot 1\n"

/* Appends to out the snapshot of rs, which holds exactly what loading the
 * file named `name`, whose bytes are toml[0..len), produced. PG_ECONFIG when
 * rs holds something a snapshot cannot (a pattern from another file). */
int pg_rules_snapshot_write(struct pg_buf *out, const struct pg_ruleset *rs, const char *name,
			    const char *toml, size_t len, struct pg_error *err);

/* Loads the snapshot snap[0..snaplen) into the empty rs when it was made from
 * toml[0..len) by this version: 1 when it was, 0 when it does not fit (rs
 * untouched: parse the TOML), PG_ERR when out of memory. name is the TOML
 * file's, as the rules' origins and patterns' messages give it. Safe on any
 * bytes. */
int pg_rules_snapshot_read(struct pg_ruleset *rs, const char *name, const char *toml, size_t len,
			   const char *snap, size_t snaplen, struct pg_error *err);

#endif
