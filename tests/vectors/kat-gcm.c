/* kat-gcm.c - McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", Appendix B test
 * cases with 96-bit IVs, through crypto_xform as RFC 4106 ESP uses them: the IV's first four
 * octets are the salt (the tail of the key material), the other eight the packet's IV. */
#include "ike-registry.h"
#include "kat-crypto.h"

#define GCM16 IKE_ENCR_AES_GCM_16
#define GCM12 IKE_ENCR_AES_GCM_12
#define GCM8  IKE_ENCR_AES_GCM_8

#define K0_128 "00000000000000000000000000000000"
#define K0_192 "000000000000000000000000000000000000000000000000"
#define K0_256 "0000000000000000000000000000000000000000000000000000000000000000"
#define K_128  "feffe9928665731c6d6a8f9467308308"
#define K_192  "feffe9928665731c6d6a8f9467308308feffe9928665731c"
#define K_256  "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
#define SALT0  "00000000"
#define IV0    "0000000000000000"
#define SALT   "cafebabe"
#define IV     "facedbaddecaf888"
#define AAD    "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define P0     "00000000000000000000000000000000"
#define P60                                                                                        \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"                         \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define P64 P60 "1aafd255"

/* clang-format off */
static const KatAead gcm[] = {
	{
		.path = "/ferry/crypto/kat/gcm/case-1",
		.encr_id = GCM16,
		.key_bits = 128,
		.key = K0_128 SALT0,
		.iv = IV0,
		.aad = "",
		.plain = "",
		.cipher = "",
		.tag = "58e2fccefa7e3061367f1d57a4e7455a",
	},
	{
		.path = "/ferry/crypto/kat/gcm/case-2",
		.encr_id = GCM16,
		.key_bits = 128,
		.key = K0_128 SALT0,
		.iv = IV0,
		.aad = "",
		.plain = P0,
		.cipher = "0388dace60b6a392f328c2b971b2fe78",
		.tag = "ab6e47d42cec13bdf53a67b21257bddf",
	},
	{
		.path = "/ferry/crypto/kat/gcm/case-3",
		.encr_id = GCM16,
		.key_bits = 128,
		.key = K_128 SALT,
		.iv = IV,
		.aad = "",
		.plain = P64,
		.cipher = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
			"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
		.tag = "4d5c2af327cd64a62cf35abd2ba6fab4",
	},
	{
		.path = "/ferry/crypto/kat/gcm/case-4",
		.encr_id = GCM16,
		.key_bits = 128,
		.key = K_128 SALT,
		.iv = IV,
		.aad = AAD,
		.plain = P60,
		.cipher = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
			"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
		.tag = "5bc94fbc3221a5db94fae95ae7121a47",
	},
	/* Case 4 again with the ICV truncated to 12 and 8 octets (RFC 4106 §6). */
	{
		.path = "/ferry/crypto/kat/gcm/case-4/icv-12",
		.encr_id = GCM12,
		.key_bits = 128,
		.key = K_128 SALT,
		.iv = IV,
		.aad = AAD,
		.plain = P60,
		.cipher = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
			"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
		.tag = "5bc94fbc3221a5db94fae95ae7121a47",
	},
	{
		.path = "/ferry/crypto/kat/gcm/case-4/icv-8",
		.encr_id = GCM8,
		.key_bits = 128,
		.key = K_128 SALT,
		.iv = IV,
		.aad = AAD,
		.plain = P60,
		.cipher = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
			"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
		.tag = "5bc94fbc3221a5db94fae95ae7121a47",
	},
	{
		.path = "/ferry/crypto/kat/gcm/case-7",
		.encr_id = GCM16,
		.key_bits = 192,
		.key = K0_192 SALT0,
		.iv = IV0,
		.aad = "",
		.plain = "",
		.cipher = "",
		.tag = "cd33b28ac773f74ba00ed1f312572435",
	},
	{
		.path = "/ferry/crypto/kat/gcm/case-8",
		.encr_id = GCM16,
		.key_bits = 192,
		.key = K0_192 SALT0,
		.iv = IV0,
		.aad = "",
		.plain = P0,
		.cipher = "98e7247c07f0fe411c267e4384b0f600",
		.tag = "2ff58d80033927ab8ef4d4587514f0fb",
	},
	{
		.path = "/ferry/crypto/kat/gcm/case-9",
		.encr_id = GCM16,
		.key_bits = 192,
		.key = K_192 SALT,
		.iv = IV,
		.aad = "",
		.plain = P64,
		.cipher = "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
			"7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256",
		.tag = "9924a7c8587336bfb118024db8674a14",
	},
	{
		.path = "/ferry/crypto/kat/gcm/case-10",
		.encr_id = GCM16,
		.key_bits = 192,
		.key = K_192 SALT,
		.iv = IV,
		.aad = AAD,
		.plain = P60,
		.cipher = "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
			"7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
		.tag = "2519498e80f1478f37ba55bd6d27618c",
	},
	{
		.path = "/ferry/crypto/kat/gcm/case-13",
		.encr_id = GCM16,
		.key_bits = 256,
		.key = K0_256 SALT0,
		.iv = IV0,
		.aad = "",
		.plain = "",
		.cipher = "",
		.tag = "530f8afbc74536b9a963b4f1c4cb738b",
	},
	{
		.path = "/ferry/crypto/kat/gcm/case-14",
		.encr_id = GCM16,
		.key_bits = 256,
		.key = K0_256 SALT0,
		.iv = IV0,
		.aad = "",
		.plain = P0,
		.cipher = "cea7403d4d606b6e074ec5d3baf39d18",
		.tag = "d0d1c8a799996bf0265b98b5d48ab919",
	},
	{
		.path = "/ferry/crypto/kat/gcm/case-15",
		.encr_id = GCM16,
		.key_bits = 256,
		.key = K_256 SALT,
		.iv = IV,
		.aad = "",
		.plain = P64,
		.cipher = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
			"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
		.tag = "b094dac5d93471bdec1a502270e3cc6c",
	},
	{
		.path = "/ferry/crypto/kat/gcm/case-16",
		.encr_id = GCM16,
		.key_bits = 256,
		.key = K_256 SALT,
		.iv = IV,
		.aad = AAD,
		.plain = P60,
		.cipher = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
			"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
		.tag = "76fc6ece0f4e1768cddf8853bb2d551b",
	},
	{
		.path = "/ferry/crypto/kat/gcm/case-16/icv-8",
		.encr_id = GCM8,
		.key_bits = 256,
		.key = K_256 SALT,
		.iv = IV,
		.aad = AAD,
		.plain = P60,
		.cipher = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
			"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
		.tag = "76fc6ece0f4e1768cddf8853bb2d551b",
	},
};
/* clang-format on */

void
kat_gcm_register(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(gcm); i++)
		g_test_add_data_func(gcm[i].path, &gcm[i], kat_aead_check);
}
