/* test-ike-natd.c - NAT detection hashes (RFC 7296 §2.23), checked against GnuTLS directly */
#include <string.h>
#include <sys/socket.h>

#include <gnutls/crypto.h>

#include "ike-natd.h"

/* SHA-1 over the bytes written out by hand, independently of ike-natd.c. */
static void
expected(const guint8 *input, gsize len, uint8_t out[20])
{
	g_assert_cmpint(gnutls_hash_fast(GNUTLS_DIG_SHA1, input, len, out), ==, 0);
}

static void
test_ipv4(void)
{
	const IkeAddr a = {
		.family = AF_INET, .addr = {198, 51, 100, 10},
                     .port = 500
        };
	const guint8 input[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* SPIi */
	                        0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, /* SPIr */
	                        198,  51,   100,  10,                           /* IP */
	                        0x01, 0xf4};                                    /* port 500 */
	uint8_t want[20], got[20];

	expected(input, sizeof(input), want);
	g_assert_true(ike_natd_hash(G_GUINT64_CONSTANT(0x0102030405060708),
	                            G_GUINT64_CONSTANT(0x1112131415161718), &a, got));
	g_assert_cmpmem(got, 20, want, 20);
	g_assert_true(ike_natd_matches(G_GUINT64_CONSTANT(0x0102030405060708),
	                               G_GUINT64_CONSTANT(0x1112131415161718), &a,
	                               FERRY_SPAN(want, 20)));
}

static void
test_ipv6_spi_r_zero(void)
{
	/* In the IKE_SA_INIT request SPIr is still zero (§2.23). */
	const IkeAddr a = {
		.family = AF_INET6,
		.addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01},
		.port = 4500
        };
	const guint8 input[] = {0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x01, 0,    0,   0, 0,
	                        0,    0,    0,    0,    0x20, 0x01, 0x0d, 0xb8, 0,    0,   0, 0,
	                        0,    0,    0,    0,    0,    0,    0,    0x01, 0x11, 0x94};
	uint8_t want[20], got[20];

	expected(input, sizeof(input), want);
	g_assert_true(ike_natd_hash(G_GUINT64_CONSTANT(0xdeadbeef00000001), 0, &a, got));
	g_assert_cmpmem(got, 20, want, 20);
}

static void
test_mismatch(void)
{
	IkeAddr a = {
		.family = AF_INET, .addr = {203, 0, 113, 1},
                     .port = 500
        };
	uint8_t h[20];

	g_assert_true(ike_natd_hash(1, 2, &a, h));
	g_assert_true(ike_natd_matches(1, 2, &a, FERRY_SPAN(h, 20)));
	g_assert_false(ike_natd_matches(1, 2, &a, FERRY_SPAN(h, 19)));
	g_assert_false(ike_natd_matches(1, 3, &a, FERRY_SPAN(h, 20)));
	a.port = 4500; /* a NAT changed the port */
	g_assert_false(ike_natd_matches(1, 2, &a, FERRY_SPAN(h, 20)));
	a.family = AF_UNIX;
	g_assert_false(ike_natd_hash(1, 2, &a, h));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/ike/natd/ipv4", test_ipv4);
	g_test_add_func("/ferry/ike/natd/ipv6-spi-r-zero", test_ipv6_spi_r_zero);
	g_test_add_func("/ferry/ike/natd/mismatch", test_mismatch);
	return g_test_run();
}
