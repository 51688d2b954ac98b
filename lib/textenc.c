#include "textenc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

const char *pg_textenc_name(enum pg_textenc enc)
{
	switch (enc) {
	case PG_TEXTENC_UTF16LE: return "UTF-16LE";
	case PG_TEXTENC_UTF16BE: return "UTF-16BE";
	case PG_TEXTENC_UTF32LE: return "UTF-32LE";
	case PG_TEXTENC_UTF32BE: return "UTF-32BE";
	default: return "";
	}
}

static bool texty(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r';
}

/* Of the units in the sample, how many have the ASCII byte at `at` and NUL
 * in every other byte; and how many of those are printable. */
static bool looks_like(const unsigned char *p, size_t len, size_t unit, size_t at)
{
	size_t units = len / unit, ascii = 0, printable = 0;

	if (units < 2)
		return false;
	for (size_t i = 0; i < units; i++) {
		const unsigned char *u = p + i * unit;
		bool zeros = true;

		for (size_t k = 0; k < unit; k++)
			if (k != at && u[k])
				zeros = false;
		if (zeros && u[at]) {
			ascii++;
			printable += texty(u[at]);
		}
	}
	/* mostly ASCII, and that ASCII mostly text: an array of small integers is not */
	return ascii * 10 >= units * 7 && printable * 10 >= ascii * 9;
}

enum pg_textenc pg_textenc_detect(const void *data, size_t len, size_t *bom)
{
	const unsigned char *p = data;
	size_t n = len < PG_TEXTENC_SNIFF ? len : PG_TEXTENC_SNIFF;

	*bom = 0;
	if (len >= 4 && !memcmp(p, "\xff\xfe\0\0", 4)) {
		*bom = 4;
		return PG_TEXTENC_UTF32LE;
	}
	if (len >= 4 && !memcmp(p, "\0\0\xfe\xff", 4)) {
		*bom = 4;
		return PG_TEXTENC_UTF32BE;
	}
	if (len >= 2 && !memcmp(p, "\xff\xfe", 2)) {
		*bom = 2;
		return PG_TEXTENC_UTF16LE;
	}
	if (len >= 2 && !memcmp(p, "\xfe\xff", 2)) {
		*bom = 2;
		return PG_TEXTENC_UTF16BE;
	}
	/* every pattern below needs NUL bytes: most files have none */
	if (!memchr(p, 0, n))
		return PG_TEXTENC_NONE;
	if (looks_like(p, n, 4, 0))
		return PG_TEXTENC_UTF32LE;
	if (looks_like(p, n, 4, 3))
		return PG_TEXTENC_UTF32BE;
	if (looks_like(p, n, 2, 0))
		return PG_TEXTENC_UTF16LE;
	if (looks_like(p, n, 2, 1))
		return PG_TEXTENC_UTF16BE;
	return PG_TEXTENC_NONE;
}

static bool plain_byte(unsigned char c)
{
	return c - 0x20u < 0x5fu || c >= 0x80 || c == '\t' || c == '\n' || c == '\r';
}

bool pg_textenc_plain(const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i = 0;

	if (len && (p[0] == 0xfe || p[0] == 0xff))
		return false;
#if defined(__SSE2__)
	for (; len - i >= 16; i += 16) {
		__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		/* signed bytes: 0x00..0x1f are the ones in [0, 0x20) */
		__m128i ctl = _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8(-1)), _mm_cmplt_epi8(c, _mm_set1_epi8(0x20)));
		__m128i ws = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('\t')),
						       _mm_cmpeq_epi8(c, _mm_set1_epi8('\n'))),
					  _mm_cmpeq_epi8(c, _mm_set1_epi8('\r')));
		__m128i del = _mm_cmpeq_epi8(c, _mm_set1_epi8(0x7f));

		if (_mm_movemask_epi8(_mm_or_si128(_mm_andnot_si128(ws, ctl), del)))
			return false;
	}
#endif
	for (; i < len; i++)
		if (!plain_byte(p[i]))
			return false;
	return true;
}

bool pg_textenc_binary(const void *data, size_t len)
{
	return !pg_textenc_plain(data, len) && git_blob_data_is_binary(data, len);
}

size_t pg_textenc_max_out(size_t len)
{
	/* a 2-byte unit gives at most 3 bytes (a pair of 4 gives 4), plus a
	 * carried unit and U+FFFD for a cut one or a waiting surrogate */
	return len / 2 * 3 + 16;
}

static size_t put(char *out, uint32_t cp)
{
	if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xfffd;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp > 0x10ffff)
		return put(out, 0xfffd);
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static uint32_t unit_value(enum pg_textenc enc, const unsigned char *u)
{
	switch (enc) {
	case PG_TEXTENC_UTF16LE: return (uint32_t)u[0] | (uint32_t)u[1] << 8;
	case PG_TEXTENC_UTF16BE: return (uint32_t)u[0] << 8 | u[1];
	case PG_TEXTENC_UTF32LE:
		return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
	default:
		return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
	}
}

/* One code unit; UTF-16 surrogates are paired across calls through d->high. */
static size_t unit(struct pg_textenc_decoder *d, const unsigned char *u, char *out)
{
	uint32_t v = unit_value(d->enc, u);
	size_t n = 0;

	if (d->enc == PG_TEXTENC_UTF32LE || d->enc == PG_TEXTENC_UTF32BE)
		return put(out, v); /* surrogates and > U+10FFFF: U+FFFD */
	if (v >= 0xdc00 && v <= 0xdfff) {
		if (d->high) {
			uint32_t cp = 0x10000 + ((d->high - 0xd800) << 10) + (v - 0xdc00);

			d->high = 0;
			return put(out, cp);
		}
		return put(out, 0xfffd); /* a low half alone */
	}
	if (d->high) { /* a high half not followed by a low one */
		n = put(out, 0xfffd);
		d->high = 0;
	}
	if (v >= 0xd800 && v <= 0xdbff) {
		d->high = v;
		return n;
	}
	return n + put(out + n, v);
}

size_t pg_textenc_decode(struct pg_textenc_decoder *d, const void *in, size_t len, char *out, bool last)
{
	const unsigned char *p = in;
	size_t w = (d->enc == PG_TEXTENC_UTF32LE || d->enc == PG_TEXTENC_UTF32BE) ? 4 : 2, o = 0;

	if (d->enc == PG_TEXTENC_NONE) {
		memcpy(out, in, len);
		return len;
	}
	while (d->ncarry && len) {
		d->carry[d->ncarry++] = *p++;
		len--;
		if (d->ncarry == w) {
			o += unit(d, d->carry, out + o);
			d->ncarry = 0;
		}
	}
	for (; len >= w; p += w, len -= w)
		o += unit(d, p, out + o);
	memcpy(d->carry + d->ncarry, p, len);
	d->ncarry += len;
	if (last) {
		if (d->high) {
			o += put(out + o, 0xfffd);
			d->high = 0;
		}
		if (d->ncarry) {
			o += put(out + o, 0xfffd);
			d->ncarry = 0;
		}
	}
	return o;
}

int pg_textenc_to_utf8(char **out, size_t *out_len, const void *data, size_t len)
{
	size_t bom;
	enum pg_textenc enc = pg_textenc_detect(data, len, &bom);
	struct pg_textenc_decoder d = PG_TEXTENC_DECODER_INIT(enc);
	char *buf;

	*out = NULL;
	*out_len = 0;
	if (enc == PG_TEXTENC_NONE)
		return 0;
	if (!(buf = malloc(pg_textenc_max_out(len - bom) + 1)))
		return -1;
	*out_len = pg_textenc_decode(&d, (const char *)data + bom, len - bom, buf, true);
	buf[*out_len] = '\0';
	*out = buf;
	return 1;
}

/* printable ASCII and tab */
static bool text_byte(unsigned char c)
{
	return c - 0x20u < 0x5fu || c == '\t';
}

/* Bit i set when p[i] is printable ASCII or tab, for 64 bytes. */
static uint64_t text_mask64(const unsigned char *p)
{
#if defined(__SSE2__)
	uint64_t m = 0;

	for (int k = 0; k < 4; k++) {
		__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		/* unsigned (c - 0x20) < 0x5f, as a signed compare after flipping the top bit */
		__m128i printable = _mm_cmplt_epi8(_mm_xor_si128(_mm_sub_epi8(c, _mm_set1_epi8(0x20)),
								 _mm_set1_epi8((char)0x80)),
						   _mm_set1_epi8((char)(0x5f - 128)));
		__m128i tab = _mm_cmpeq_epi8(c, _mm_set1_epi8('\t'));

		m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_or_si128(printable, tab)) << (16 * k);
	}
	return m;
#else
	uint64_t m = 0;

	for (int i = 0; i < 64; i++)
		m |= (uint64_t)text_byte(p[i]) << i;
	return m;
#endif
}

/* The byte-at-a-time reading of in[0..len). */
static size_t strings_bytes(struct pg_textenc_strings *st, const unsigned char *p, const unsigned char *end,
			    char *out)
{
	size_t o = 0;

	while (p < end) {
		if (st->nrun >= PG_TEXTENC_STRINGS_MIN) {
			/* inside a long run: copy it to its end */
			const unsigned char *s = p;

			while (p < end && text_byte(*p))
				p++;
			memcpy(out + o, s, (size_t)(p - s));
			o += (size_t)(p - s);
			if (p < end) {
				out[o++] = '\n';
				st->nrun = 0;
				p++;
			}
			continue;
		}
		if (!text_byte(*p)) {
			st->nrun = 0; /* a short run: dropped */
			p++;
			continue;
		}
		st->run[st->nrun++] = (char)*p++;
		if (st->nrun == PG_TEXTENC_STRINGS_MIN) {
			memcpy(out + o, st->run, PG_TEXTENC_STRINGS_MIN);
			o += PG_TEXTENC_STRINGS_MIN;
		}
	}
	return o;
}

size_t pg_textenc_strings(struct pg_textenc_strings *st, const void *in, size_t len, char *out, bool last)
{
	const unsigned char *p = in, *end = p + len;
	size_t o = 0;

	/* Binary data has few runs long enough: 64 bytes at a time, a block where
	 * no run reaches the minimum (none inside it, none going on from the last
	 * block) is dropped whole but for the run it ends with, which is held. */
	_Static_assert(PG_TEXTENC_STRINGS_MIN == 8, "the block test looks for runs of 8");
	while (end - p >= 64) {
		uint64_t m = text_mask64(p), x = m;
		size_t lead = ~m ? (size_t)__builtin_ctzll(~m) : 64, trail;

		x &= x >> 1;
		x &= x >> 2;
		x &= x >> 4; /* bit i: p[i .. i + 8) are all text */
		if (x || st->nrun + lead >= PG_TEXTENC_STRINGS_MIN) {
			o += strings_bytes(st, p, p + 64, out + o);
			p += 64;
			continue;
		}
		trail = m >> 63 ? (size_t)__builtin_clzll(~m) : 0; /* below the minimum: x is 0 */
		memcpy(st->run, p + 64 - trail, trail);
		st->nrun = trail;
		p += 64;
	}
	o += strings_bytes(st, p, end, out + o);
	if (last) {
		if (st->nrun >= PG_TEXTENC_STRINGS_MIN)
			out[o++] = '\n';
		st->nrun = 0;
	}
	return o;
}
