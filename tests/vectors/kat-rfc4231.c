/* kat-rfc4231.c - RFC 4231 §4 HMAC-SHA-256/384/512 test cases through crypto_prf() */
#include "ike-registry.h"
#include "kat-crypto.h"

#define SHA256 IKE_PRF_HMAC_SHA2_256
#define SHA384 IKE_PRF_HMAC_SHA2_384
#define SHA512 IKE_PRF_HMAC_SHA2_512

#define KEY_0B20  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
#define KEY_AA20  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define KEY_0125  "0102030405060708090a0b0c0d0e0f10111213141516171819"
#define KEY_0C20  "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c"
#define AA16      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define KEY_AA131 AA16 AA16 AA16 AA16 AA16 AA16 AA16 AA16 "aaaaaa"
#define DD50                                                                                       \
	"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"     \
	"dddddddddddddddd"
#define CD50                                                                                       \
	"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"     \
	"cdcdcdcdcdcdcdcd"
/* "Hi There" */
#define DATA_1 "4869205468657265"
/* "what do ya want for nothing?" */
#define DATA_2 "7768617420646f2079612077616e7420666f72206e6f7468696e673f"
/* "Test With Truncation" */
#define DATA_5 "546573742057697468205472756e636174696f6e"
/* "Test Using Larger Than Block-Size Key - Hash Key First" */
#define DATA_6                                                                                     \
	"54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368" \
	"204b6579204669727374"
/* "This is a test using a larger than block-size key and a larger than block-size data. The key
 * needs to be hashed before being used by the HMAC algorithm." */
#define DATA_7                                                                                     \
	"5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a" \
	"65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865" \
	"206b6579206e6565647320746f20626520686173686564206265666f7265206265696e672075736564206279" \
	"2074686520484d414320616c676f726974686d2e"

/* clang-format off */
static const KatPrf rfc4231[] = {
	{
		.path = "/ferry/crypto/kat/rfc4231/case-1/sha256",
		.prf_id = SHA256,
		.key = KEY_0B20,
		.data = DATA_1,
		.out = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-1/sha384",
		.prf_id = SHA384,
		.key = KEY_0B20,
		.data = DATA_1,
		.out = "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
			"faea9ea9076ede7f4af152e8b2fa9cb6",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-1/sha512",
		.prf_id = SHA512,
		.key = KEY_0B20,
		.data = DATA_1,
		.out = "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
			"daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-2/sha256",
		.prf_id = SHA256,
		.key = "4a656665",
		.data = DATA_2,
		.out = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-2/sha384",
		.prf_id = SHA384,
		.key = "4a656665",
		.data = DATA_2,
		.out = "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
			"8e2240ca5e69e2c78b3239ecfab21649",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-2/sha512",
		.prf_id = SHA512,
		.key = "4a656665",
		.data = DATA_2,
		.out = "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
			"9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-3/sha256",
		.prf_id = SHA256,
		.key = KEY_AA20,
		.data = DD50,
		.out = "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-3/sha384",
		.prf_id = SHA384,
		.key = KEY_AA20,
		.data = DD50,
		.out = "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
			"2a5ab39dc13814b94e3ab6e101a34f27",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-3/sha512",
		.prf_id = SHA512,
		.key = KEY_AA20,
		.data = DD50,
		.out = "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
			"bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-4/sha256",
		.prf_id = SHA256,
		.key = KEY_0125,
		.data = CD50,
		.out = "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-4/sha384",
		.prf_id = SHA384,
		.key = KEY_0125,
		.data = CD50,
		.out = "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
			"6801dd23c4a7d679ccf8a386c674cffb",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-4/sha512",
		.prf_id = SHA512,
		.key = KEY_0125,
		.data = CD50,
		.out = "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
			"a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd",
	},
	/* Case 5 defines only the first 128 bits. */
	{
		.path = "/ferry/crypto/kat/rfc4231/case-5/sha256",
		.prf_id = SHA256,
		.key = KEY_0C20,
		.data = DATA_5,
		.out = "a3b6167473100ee06e0c796c2955552b",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-5/sha384",
		.prf_id = SHA384,
		.key = KEY_0C20,
		.data = DATA_5,
		.out = "3abf34c3503b2a23a46efc619baef897",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-5/sha512",
		.prf_id = SHA512,
		.key = KEY_0C20,
		.data = DATA_5,
		.out = "415fad6271580a531d4179bc891d87a6",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-6/sha256",
		.prf_id = SHA256,
		.key = KEY_AA131,
		.data = DATA_6,
		.out = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-6/sha384",
		.prf_id = SHA384,
		.key = KEY_AA131,
		.data = DATA_6,
		.out = "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
			"0c2ef6ab4030fe8296248df163f44952",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-6/sha512",
		.prf_id = SHA512,
		.key = KEY_AA131,
		.data = DATA_6,
		.out = "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
			"6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-7/sha256",
		.prf_id = SHA256,
		.key = KEY_AA131,
		.data = DATA_7,
		.out = "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-7/sha384",
		.prf_id = SHA384,
		.key = KEY_AA131,
		.data = DATA_7,
		.out = "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
			"a678cc31e799176d3860e6110c46523e",
	},
	{
		.path = "/ferry/crypto/kat/rfc4231/case-7/sha512",
		.prf_id = SHA512,
		.key = KEY_AA131,
		.data = DATA_7,
		.out = "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
			"b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58",
	},
};
/* clang-format on */

void
kat_rfc4231_register(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(rfc4231); i++)
		g_test_add_data_func(rfc4231[i].path, &rfc4231[i], kat_prf_check);
}
