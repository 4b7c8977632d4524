/* crypto-rng.c - the process's source of random bytes, replaceable by tests */
#include <stdatomic.h>
#include <stdlib.h>

#include <gnutls/crypto.h>

#include "crypto-rng.h"

/* Installed together so a reader never pairs one source's function with another's data;
 * tests swap it while no other thread draws. */
typedef struct {
	CryptoRngFunc func;
	void *user_data;
} RngSource;

static RngSource rng_sources[2];
static _Atomic(RngSource *) rng_current;

static void
fill_from_gnutls(CryptoRngLevel level, uint8_t *out, size_t len)
{
	gnutls_rnd_level_t lvl = level == CRYPTO_RNG_KEY ? GNUTLS_RND_KEY : GNUTLS_RND_RANDOM;

	/* Without randomness no key, nonce or IV is safe to use: stop rather than go on
	 * with predictable values.  This is our own failure, never the peer's input. */
	if (gnutls_rnd(lvl, out, len) != 0)
		abort();
}

void
crypto_rng_fill(CryptoRngLevel level, uint8_t *out, size_t len)
{
	RngSource *src;

	if (len == 0)
		return;
	src = atomic_load_explicit(&rng_current, memory_order_acquire);
	if (src && src->func)
		src->func(src->user_data, level, out, len);
	else
		fill_from_gnutls(level, out, len);
}

void
crypto_rng_set_source(CryptoRngFunc func, void *user_data)
{
	static unsigned next;
	RngSource *src;

	if (!func) {
		atomic_store_explicit(&rng_current, NULL, memory_order_release);
		return;
	}
	/* Alternate between two slots so the one a concurrent reader may hold is not the one
	 * being rewritten. */
	src = &rng_sources[next++ & 1];
	src->func = func;
	src->user_data = user_data;
	atomic_store_explicit(&rng_current, src, memory_order_release);
}
