/* ike-natd.h - NAT detection hashes (RFC 7296 §2.23) */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "ike-sa.h"

G_BEGIN_DECLS

#define IKE_NATD_HASH_LEN 20 /* SHA-1 */

/* RFC 7296 §2.23: SHA-1(SPIi | SPIr | IP address | port), SPIs and port in network order.
 * FALSE for an address family other than AF_INET/AF_INET6. */
gboolean
ike_natd_hash(uint64_t spi_i, uint64_t spi_r, const IkeAddr *addr, uint8_t out[IKE_NATD_HASH_LEN]);

/* Does `hash` (from a NAT_DETECTION_*_IP notify) equal the hash of `addr`? */
gboolean ike_natd_matches(uint64_t spi_i, uint64_t spi_r, const IkeAddr *addr, FerrySpan hash);

G_END_DECLS
