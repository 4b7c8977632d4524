/* ferry-test.h - shared helpers for the unit tests: hex, a fixed RNG, fixtures */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Decode hex (whitespace ignored) into a new buffer; aborts the test on bad hex. */
guint8 *ferry_test_hex(const char *hex, gsize *len);
/* Lowercase hex of a buffer (for assertion messages). */
char *ferry_test_to_hex(const guint8 *data, gsize len);
/* Compare bytes against hex, failing the test with both values shown. */
#define ferry_test_assert_hex(data, len, hex)                                                      \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_autofree char *got__ = ferry_test_to_hex((data), (len));                         \
		g_autofree guint8 *want_bin__ = NULL;                                              \
		gsize want_len__ = 0;                                                              \
		want_bin__ = ferry_test_hex((hex), &want_len__);                                   \
		g_autofree char *want__ = ferry_test_to_hex(want_bin__, want_len__);               \
		g_assert_cmpstr(got__, ==, want__);                                                \
	}                                                                                          \
	G_STMT_END

/* Replace crypto_rng with a deterministic stream derived from `seed` (a counter-mode
 * SHA-256 stream), so nonces, SPIs, IVs and private keys repeat exactly. */
void ferry_test_rng_install(guint32 seed);
void ferry_test_rng_remove(void);

G_END_DECLS
