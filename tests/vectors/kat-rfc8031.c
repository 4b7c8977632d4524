/* kat-rfc8031.c - RFC 8031 Appendix A, the numerical example for Curve25519 in IKEv2 (group 31) */
#include "ike-registry.h"
#include "kat-crypto.h"

#define RANDOM_I "751fb4308655b476b6789b7325f9ea8cddd16a58533ff6d9e60009464a5f9d94"
#define PUB_I    "48d5ddd4061257ba166fa3f9bbdb74f1a4e81c089384fa77f790709f0dfbc766"
#define RANDOM_R "0a54645253290d60ddadd0e030bacd9e5501efdc220755a1e978f1b839a05688"
#define PUB_R    "0be7c1f5aad87d7e448662673298a443478b859745179eaf564c79c0ef6eee25"
#define SHARED   "c74950607a12327f3204d94b6825bfb068b7f8319a9e3708ed3d43ce8130c950"

/* clang-format off */
static const KatKe rfc8031[] = {
	{"/ferry/crypto/kat/rfc8031/a/initiator",
	 IKE_KE_CURVE25519, RANDOM_I, PUB_I, PUB_R, SHARED},
	{"/ferry/crypto/kat/rfc8031/a/responder",
	 IKE_KE_CURVE25519, RANDOM_R, PUB_R, PUB_I, SHARED},
};
/* clang-format on */

void
kat_rfc8031_register(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(rfc8031); i++)
		g_test_add_data_func(rfc8031[i].path, &rfc8031[i], kat_ke_check);
}
