/* crypto-status.c - names of the crypto layer's status codes */
#include "crypto-status.h"

const char *
crypto_status_to_string(CryptoStatus st)
{
	switch (st) {
	case CRYPTO_OK:
		return "ok";
	case CRYPTO_ERR_UNSUPPORTED:
		return "algorithm not supported";
	case CRYPTO_ERR_KEY_LENGTH:
		return "wrong key length";
	case CRYPTO_ERR_INVALID_PEER:
		return "invalid peer public value";
	case CRYPTO_ERR_AUTH:
		return "integrity check failed";
	case CRYPTO_ERR_LENGTH:
		return "invalid input length";
	case CRYPTO_ERR_BACKEND:
		return "crypto backend error";
	case CRYPTO_ERR_NOMEM:
		return "out of memory";
	}
	return "unknown crypto status";
}
