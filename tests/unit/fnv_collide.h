/* Two different lines with the same hash under the OLD added-lines filter
 * (unkeyed 64-bit FNV-1a and a bijective final mix, lib/lineset.c before it
 * was keyed): the attack a pusher could run, rebuilt for the tests.
 *
 * FNV-1a steps h = (h ^ byte) * P mod 2^64. Two texts of n bytes after
 * prefixes a and b end in the same state when the differences their bytes
 * make, eps_k = ((s_k ^ x_k) - s_k) - ((t_k ^ y_k) - t_k), satisfy
 *     sum_k eps_k * P^(n-1-k) = (t_0 - s_0) * P^(n-1)   (mod 2^64),
 * a modular knapsack with small coefficients that Wagner's generalised
 * birthday algorithm (16 lists, four merge levels) solves in milliseconds;
 * each eps_k is then made of two bytes that keep the lines text. */
#ifndef PG_TEST_FNV_COLLIDE_H
#define PG_TEST_FNV_COLLIDE_H

#include <stddef.h>
#include <stdint.h>

#define FNV_COLLIDE_N 32 /* bytes appended to each prefix */

/* The old filter's hash of one line, exactly as it was (trailing '\r' dropped). */
uint64_t fnv_old_line_hash(const char *p, size_t len);

/* Fills xa and xb with FNV_COLLIDE_N bytes each, all in 0x20..0xff but 0x7f
 * (no '\n', '\r' or NUL: both stay one line of a text file), so that
 * a + xa and b + xb have the same old hash. 0 on success, -1 if no solution
 * was found (not expected). */
int fnv_collide(const char *a, const char *b, unsigned char *xa, unsigned char *xb);

#endif
