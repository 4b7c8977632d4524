/* crypto-status.h - status codes of the crypto layer (GLib-free) */
#pragma once

typedef enum {
	CRYPTO_OK = 0,
	CRYPTO_ERR_UNSUPPORTED,  /* algorithm or group not implemented */
	CRYPTO_ERR_KEY_LENGTH,   /* key of the wrong size for the algorithm */
	CRYPTO_ERR_INVALID_PEER, /* peer's public value invalid (off curve, out of range, small order) */
	CRYPTO_ERR_AUTH,         /* integrity check or AEAD tag failed */
	CRYPTO_ERR_LENGTH,       /* input length wrong (not a block multiple, too short) */
	CRYPTO_ERR_BACKEND,      /* GnuTLS/Nettle/GMP reported an error */
	CRYPTO_ERR_NOMEM,
} CryptoStatus;

const char *crypto_status_to_string(CryptoStatus st);
