/* ike-natd.c - NAT detection hashes (RFC 7296 §2.23) */
#include <sys/socket.h>

#include <gnutls/crypto.h>

#include "ike-natd.h"

gboolean
ike_natd_hash(uint64_t spi_i, uint64_t spi_r, const IkeAddr *addr, uint8_t out[IKE_NATD_HASH_LEN])
{
	uint8_t buf[8 + 8 + 16 + 2];
	size_t alen;

	if (addr->family == AF_INET)
		alen = 4;
	else if (addr->family == AF_INET6)
		alen = 16;
	else
		return FALSE;
	ferry_put_be64(buf, spi_i);
	ferry_put_be64(buf + 8, spi_r);
	memcpy(buf + 16, addr->addr, alen);
	ferry_put_be16(buf + 16 + alen, addr->port);
	/* RFC 7296 §2.23: the hash is SHA-1 whatever the negotiated PRF. */
	return gnutls_hash_fast(GNUTLS_DIG_SHA1, buf, 16 + alen + 2, out) == 0;
}

gboolean
ike_natd_matches(uint64_t spi_i, uint64_t spi_r, const IkeAddr *addr, FerrySpan hash)
{
	uint8_t mine[IKE_NATD_HASH_LEN];

	if (hash.len != IKE_NATD_HASH_LEN || !ike_natd_hash(spi_i, spi_r, addr, mine))
		return FALSE;
	return memcmp(mine, hash.data, IKE_NATD_HASH_LEN) == 0;
}
