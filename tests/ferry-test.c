/* ferry-test.c - shared helpers for the unit tests */
#include <string.h>

#include <gnutls/crypto.h>

#include "crypto-rng.h"
#include "ferry-test.h"

guint8 *
ferry_test_hex(const char *hex, gsize *len)
{
	GByteArray *out = g_byte_array_new();
	int hi = -1;

	for (const char *p = hex; *p; p++) {
		int v;

		if (g_ascii_isspace(*p) || *p == ':')
			continue;
		v = g_ascii_xdigit_value(*p);
		g_assert_cmpint(v, >=, 0);
		if (hi < 0) {
			hi = v;
		} else {
			guint8 b = (guint8)(hi << 4 | v);
			g_byte_array_append(out, &b, 1);
			hi = -1;
		}
	}
	g_assert_cmpint(hi, ==, -1);
	*len = out->len;
	return g_byte_array_free(out, FALSE);
}

char *
ferry_test_to_hex(const guint8 *data, gsize len)
{
	GString *s = g_string_sized_new(len * 2 + 1);

	for (gsize i = 0; i < len; i++)
		g_string_append_printf(s, "%02x", data[i]);
	return g_string_free(s, FALSE);
}

typedef struct {
	guint32 seed;
	guint64 counter;
} TestRng;

static TestRng test_rng;

static void
test_rng_fill(void *user_data, CryptoRngLevel level, uint8_t *out, size_t len)
{
	TestRng *r = user_data;

	while (len > 0) {
		uint8_t block[32];
		uint8_t input[12];
		size_t n;

		memcpy(input, &r->seed, 4);
		memcpy(input + 4, &r->counter, 8);
		r->counter++;
		gnutls_hash_fast(GNUTLS_DIG_SHA256, input, sizeof(input), block);
		n = MIN(len, sizeof(block));
		memcpy(out, block, n);
		out += n;
		len -= n;
	}
	(void)level;
}

void
ferry_test_rng_install(guint32 seed)
{
	test_rng.seed = seed;
	test_rng.counter = 0;
	crypto_rng_set_source(test_rng_fill, &test_rng);
}

void
ferry_test_rng_remove(void)
{
	crypto_rng_set_source(NULL, NULL);
}
