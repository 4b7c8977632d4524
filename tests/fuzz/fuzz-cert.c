/* fuzz-cert.c - libFuzzer harness for what a gateway sends for certificate authentication:
 * CERT payloads (X.509 DER), CERTREQ authority fields, identities and AUTH signature data
 *
 * Input: one mode byte, then records of a big-endian u16 length and that many bytes.
 *   mode % 4 == 0: record 0 is a certificate; every later record is matched as an ID of each
 *                  type (crypto_cert_match_id) and as a text identity (crypto_cert_match_name)
 *   mode % 4 == 1: the records are a chain (first = end entity), verified against an empty
 *                  trust list and against one that trusts the last record
 *   mode % 4 == 2: record 0 is a CERTREQ Certification Authority field, searched for the
 *                  hash of each later record
 *   mode % 4 == 3: record 0 is the signer's certificate, record 1 the AUTH data, verified for
 *                  AUTH method (mode >> 2) over record 2 (RFC 7427 AlgorithmIdentifier parser)
 * Invariants: every call returns a status and leaves *out NULL on failure.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto-cert.h"
#include "crypto-sig.h"

#define MAX_RECORDS 10

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
split(const uint8_t *data, size_t size, FerrySpan *rec)
{
	size_t n = 0;

	while (size >= 2 && n < MAX_RECORDS) {
		size_t len = (size_t)data[0] << 8 | data[1];

		if (len > size - 2)
			len = size - 2;
		rec[n++] = FERRY_SPAN(data + 2, len);
		data += 2 + len;
		size -= 2 + len;
	}
	return n;
}

static void
match_all(const CryptoCert *cert, FerrySpan id)
{
	static const uint8_t types[] = {1, 2, 3, 5, 9, 10, 11, 0, 255};
	char *text = malloc(id.len + 1);

	for (size_t i = 0; i < sizeof(types); i++)
		(void)crypto_cert_match_id(cert, types[i], id.data, id.len, NULL);
	if (text) {
		memcpy(text, id.data, id.len);
		text[id.len] = '\0';
		(void)crypto_cert_match_name(cert, text, NULL);
		free(text);
	}
}

static void
fuzz_chain(const FerrySpan *rec, size_t n)
{
	CryptoTrust *trust = crypto_trust_new();
	CryptoCert *ee = NULL;
	CryptoCertError err;

	if (!trust)
		return;
	if (crypto_cert_verify_chain(trust, rec, n, 1700000000, &ee, &err) == CRYPTO_CERT_OK)
		abort(); /* nothing is trusted */
	if (ee)
		abort();
	if (n > 0 &&
	    crypto_trust_add_der(trust, rec[n - 1].data, rec[n - 1].len, NULL) == CRYPTO_CERT_OK) {
		(void)crypto_cert_verify_chain(trust, rec, n, 1700000000, &ee, &err);
		crypto_cert_unref(ee);
	}
	crypto_trust_free(trust);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FerrySpan rec[MAX_RECORDS];
	CryptoCert *cert = NULL;
	uint8_t hash[20];
	size_t n;

	if (size < 1)
		return 0;
	n = split(data + 1, size - 1, rec);
	if (n == 0)
		return 0;
	switch (data[0] % 4) {
	case 0:
		if (crypto_cert_new_from_der(rec[0].data, rec[0].len, &cert, NULL) !=
		    CRYPTO_CERT_OK) {
			if (cert)
				abort();
			break;
		}
		(void)crypto_cert_get_spki_sha1(cert, hash);
		for (size_t i = 1; i < n; i++)
			match_all(cert, rec[i]);
		break;
	case 1:
		fuzz_chain(rec, n);
		break;
	case 2:
		for (size_t i = 1; i < n; i++) {
			memset(hash, 0, sizeof(hash));
			memcpy(hash, rec[i].data, rec[i].len < 20 ? rec[i].len : 20);
			(void)crypto_certreq_lists(rec[0].data, rec[0].len, hash);
		}
		break;
	case 3:
		if (n < 3 || crypto_cert_new_from_der(rec[0].data, rec[0].len, &cert, NULL) !=
		                     CRYPTO_CERT_OK)
			break;
		(void)crypto_sig_auth_verify(cert, (uint8_t)(data[0] >> 2), rec[1].data, rec[1].len,
		                             rec[2].data, rec[2].len, NULL, NULL);
		break;
	}
	crypto_cert_unref(cert);
	return 0;
}
