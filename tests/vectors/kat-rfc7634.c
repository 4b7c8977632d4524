/* kat-rfc7634.c - RFC 7634 Appendix A (ESP) and Appendix B (IKEv2 SK payload)
 * ChaCha20-Poly1305 examples through crypto_xform */
#include "ike-registry.h"
#include "kat-crypto.h"

/* Both appendices: the 32-octet key followed by the 4-octet salt, and the 8-octet IV. */
#define KEYMAT                                                                                     \
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"                         \
	"a0a1a2a3"
#define IV "1011121314151617"

/* clang-format off */
static const KatAead rfc7634[] = {
	/* An ICMP echo in ESP; AAD = SPI | sequence number; the plaintext ends in the ESP
	 * trailer (padding 01 02, pad length 2, next header 4). */
	{
		.path = "/ferry/crypto/kat/rfc7634/a/esp",
		.encr_id = IKE_ENCR_CHACHA20_POLY1305,
		.key_bits = 256,
		.key = KEYMAT,
		.iv = IV,
		.aad = "0102030400000005",
		.plain = "45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec10"
			"0007362708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223"
			"2425262728292a2b2c2d2e2f303132333435363701020204",
		.cipher = "24039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c6"
			"14ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3"
			"cbec163fac469b502773f6fb94e664da9165b82829f641e0",
		.tag = "76aaa8266b7fb0f7b11b369907e1ad43",
	},
	/* An INFORMATIONAL exchange; AAD = IKE header | SK payload header. */
	{
		.path = "/ferry/crypto/kat/rfc7634/b/ikev2",
		.encr_id = IKE_ENCR_CHACHA20_POLY1305,
		.key_bits = 256,
		.key = KEYMAT,
		.iv = IV,
		.aad = "c0c1c2c3c4c5c6c7d0d1d2d3d4d5d6d72e202500000000090000004529000029",
		.plain = "0000000c000040010000000a00",
		.cipher = "610394701f8d017f7c12924889",
		.tag = "6b71bfe25236efd7cdc67066906315b2",
	},
};
/* clang-format on */

void
kat_rfc7634_register(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(rfc7634); i++)
		g_test_add_data_func(rfc7634[i].path, &rfc7634[i], kat_aead_check);
}
