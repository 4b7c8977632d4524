/* kat-cert.h - known-answer vectors for certificates, signatures and EAP (tests/unit/cert) */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* One method-14 AlgorithmIdentifier (RFC 7427 §3) and what verification must make of it. */
typedef struct {
	const char *name;
	const char *der;  /* hex */
	int scheme;       /* CryptoSigScheme it denotes, or -1 when it must be refused */
	int refusal;      /* CryptoCertStatus when refused */
	const char *ours; /* for our own encodings: the CryptoSigScheme name, else NULL */
} KatSigAlgorithm;

extern const KatSigAlgorithm kat_rfc7427_algorithms[];
extern const gsize kat_rfc7427_n_algorithms;

/* RFC 2759 §9.2 and RFC 3079 §3.5.3 (MS-CHAPv2 and its MPPE keys). */
typedef struct {
	const char *user_name;
	const char *password;
	const char *authenticator_challenge;
	const char *peer_challenge;
	const char *challenge;
	const char *password_hash;
	const char *nt_response;
	const char *password_hash_hash;
	const char *authenticator_response;
	const char *master_key;
	/* RFC 3079's SendStartKey: the server's send key = the client's receive key (Magic3) */
	const char *magic3_key;
	/* the client's send key (Magic2): not printed in RFC 3079, see kat-rfc2759.c */
	const char *magic2_key;
} KatMschapv2;

extern const KatMschapv2 kat_rfc2759;

G_END_DECLS
