/* kat-rfc5903.c - RFC 5903 §8 ECP key exchange test vectors (groups 19, 20, 21) through
 * crypto_ke: each side's private value from the RNG, public value x | y, shared secret x */
#include "ike-registry.h"
#include "kat-crypto.h"

/* §8.1 256-bit Random ECP Group */
#define P256_I "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"
#define P256_GI                                                                                    \
	"DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"                         \
	"5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3"
#define P256_R "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53"
#define P256_GR                                                                                    \
	"D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"                         \
	"56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB"
#define P256_GIR "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE"

/* §8.2 384-bit Random ECP Group */
#define P384_I                                                                                     \
	"099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655"                         \
	"E35B538041E649EE3FAEF896783AB194"
#define P384_GI                                                                                    \
	"667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6"                         \
	"DE3AC808ACB4BDB4C88732AEE95F41AA"                                                         \
	"9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38E"                         \
	"EB9FCFF3C2C947DAE69B4C634573A81C"
#define P384_R                                                                                     \
	"41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942"                         \
	"E0308312916B8ED2960E4BD55A7448FC"
#define P384_GR                                                                                    \
	"E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D"                         \
	"0D1AC43A0336DEF96FDA41D0774A3571"                                                         \
	"DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FF"                         \
	"F83FA40142209DFF5EAAD96DB9E6386C"
#define P384_GIR                                                                                   \
	"11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4"                         \
	"D603135569B9E9D09CF5D4A270F59746"

/* §8.3 521-bit Random ECP Group */
#define P521_I                                                                                     \
	"0037ADE9319A89F4DABDB3EF411AACCCA5123C61ACAB57B5393DCE47608172A0"                         \
	"95AA85A30FE1C2952C6771D937BA9777F5957B2639BAB072462F68C27A57382D"                         \
	"4A52"
#define P521_GI                                                                                    \
	"0015417E84DBF28C0AD3C278713349DC7DF153C897A1891BD98BAB4357C9ECBE"                         \
	"E1E3BF42E00B8E380AEAE57C2D107564941885942AF5A7F4601723C4195D176C"                         \
	"ED3E"                                                                                     \
	"017CAE20B6641D2EEB695786D8C946146239D099E18E1D5A514C739D7CB4A10A"                         \
	"D8A788015AC405D7799DC75E7B7D5B6CF2261A6A7F1507438BF01BEB6CA3926F"                         \
	"9582"
#define P521_R                                                                                     \
	"0145BA99A847AF43793FDD0E872E7CDFA16BE30FDC780F97BCCC3F078380201E"                         \
	"9C677D600B343757A3BDBF2A3163E4C2F869CCA7458AA4A4EFFC311F5CB15168"                         \
	"5EB9"
#define P521_GR                                                                                    \
	"00D0B3975AC4B799F5BEA16D5E13E9AF971D5E9B984C9F39728B5E5739735A21"                         \
	"9B97C356436ADC6E95BB0352F6BE64A6C2912D4EF2D0433CED2B6171640012D9"                         \
	"460F"                                                                                     \
	"015C68226383956E3BD066E797B623C27CE0EAC2F551A10C2C724D9852077B87"                         \
	"220B6536C5C408A1D2AEBB8E86D678AE49CB57091F4732296579AB44FCD17F0F"                         \
	"C56A"
#define P521_GIR                                                                                   \
	"01144C7D79AE6956BC8EDB8E7C787C4521CB086FA64407F97894E5E6B2D79B04"                         \
	"D1427E73CA4BAA240A34786859810C06B3C715A3A8CC3151F2BEE417996D19F3"                         \
	"DDEA"

/* clang-format off */
static const KatKe rfc5903[] = {
	{"/ferry/crypto/kat/rfc5903/8.1/initiator",
	 IKE_KE_ECP_256, P256_I, P256_GI, P256_GR, P256_GIR},
	{"/ferry/crypto/kat/rfc5903/8.1/responder",
	 IKE_KE_ECP_256, P256_R, P256_GR, P256_GI, P256_GIR},
	{"/ferry/crypto/kat/rfc5903/8.2/initiator",
	 IKE_KE_ECP_384, P384_I, P384_GI, P384_GR, P384_GIR},
	{"/ferry/crypto/kat/rfc5903/8.2/responder",
	 IKE_KE_ECP_384, P384_R, P384_GR, P384_GI, P384_GIR},
	{"/ferry/crypto/kat/rfc5903/8.3/initiator",
	 IKE_KE_ECP_521, P521_I, P521_GI, P521_GR, P521_GIR},
	{"/ferry/crypto/kat/rfc5903/8.3/responder",
	 IKE_KE_ECP_521, P521_R, P521_GR, P521_GI, P521_GIR},
};
/* clang-format on */

void
kat_rfc5903_register(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(rfc5903); i++)
		g_test_add_data_func(rfc5903[i].path, &rfc5903[i], kat_ke_check);
}
