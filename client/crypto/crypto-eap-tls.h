/* crypto-eap-tls.h - the TLS side of EAP-TLS (RFC 5216) for CryptoEapPeer (not for other layers)
 *
 * A GnuTLS client on memory buffers: TLS records travel in EAP-TLS Type-Data (flags, optional
 * length, fragments), the gateway's certificate is checked like the IKE one
 * (crypto_cert_verify_chain() and crypto_cert_match_name()), the MSK is the first 64 octets of
 * TLS-PRF(master secret, "client EAP encryption", client random | server random) (§2.3).
 * TLS 1.2 is the highest version offered (RFC 9190's TLS 1.3 keying is not implemented).
 */
#pragma once

#include "crypto-cert.h"
#include "crypto-eap.h"

typedef struct CryptoEapTls CryptoEapTls;

/* `cred` and `trust` are borrowed and must outlive the object; `server_name` is copied (NULL:
 * no identity check, only the chain). */
CryptoEapTls *
crypto_eap_tls_new(const CryptoCredential *cred, const CryptoTrust *trust, const char *server_name);
void crypto_eap_tls_free(CryptoEapTls *tls);

/* One EAP-TLS request's Type-Data in, the response's Type-Data out (always at least the flags
 * octet on CRYPTO_EAP_PEER_CONTINUE). */
CryptoEapPeerResult crypto_eap_tls_process(CryptoEapTls *tls,
                                           FerrySpan type_data,
                                           uint8_t *out,
                                           size_t cap,
                                           size_t *out_len,
                                           char *text,
                                           size_t text_cap);

/* The MSK once the handshake finished and the server was verified, else NULL. */
const FerrySecret *crypto_eap_tls_get_msk(const CryptoEapTls *tls);
