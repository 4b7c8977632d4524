/* kat-rfc2759.c - RFC 2759 §9.2 MS-CHAPv2 example and RFC 3079 §3.5.3 (128-bit keys) */
#include "kat-cert.h"

const KatMschapv2 kat_rfc2759 = {
	.user_name = "User",
	.password = "clientPass",
	.authenticator_challenge = "5B5D7C7D7B3F2F3E3C2C602132262628",
	.peer_challenge = "21402324255E262A28295F2B3A337C7E",
	.challenge = "D02E4386BCE91226",
	.password_hash = "44EBBA8D5312B8D611474411F56989AE",
	.nt_response = "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF",
	.password_hash_hash = "41C00C584BD2D91C4017A2A12FA59F3F",
	.authenticator_response = "S=407A5589115FD0D6209F510FE9C04566932CDA56",
	/* RFC 3079 §3.5.3 */
	.master_key = "FDECE3717A8C838CB388E527AE3CDD31",
	.magic3_key = "8B7CDC149B993A1BA118CB153F56DCCB",
	/* GetAsymmetricStartKey with Magic2, computed outside this code base (Python hashlib over
         * the §3.4 construction) and equal to the value an independent SSTP client publishes */
	.magic2_key = "D5F0E9521E3EA9589645E86051C82226",
};
