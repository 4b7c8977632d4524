/* kat-rfc4615.c - RFC 4615 §4 AES-CMAC-PRF-128 test vectors (keys of 18, 16 and 10 octets) */
#include "ike-registry.h"
#include "kat-crypto.h"

#define MSG "000102030405060708090a0b0c0d0e0f10111213"

/* clang-format off */
static const KatPrf rfc4615[] = {
	{"/ferry/crypto/kat/rfc4615/key-18", IKE_PRF_AES128_CMAC,
	 "000102030405060708090a0b0c0d0e0fedcb", MSG, "84a348a4a45d235babfffc0d2b4da09a"},
	{"/ferry/crypto/kat/rfc4615/key-16", IKE_PRF_AES128_CMAC,
	 "000102030405060708090a0b0c0d0e0f", MSG, "980ae87b5f4c9c5214f5b6a8455e4c2d"},
	{"/ferry/crypto/kat/rfc4615/key-10", IKE_PRF_AES128_CMAC,
	 "00010203040506070809", MSG, "290d9e112edb09ee141fcf64c0b72f3d"},
};
/* clang-format on */

void
kat_rfc4615_register(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(rfc4615); i++)
		g_test_add_data_func(rfc4615[i].path, &rfc4615[i], kat_prf_check);
}
