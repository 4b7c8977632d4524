/* crypto-eap-tls.c - EAP-TLS peer (RFC 5216): GnuTLS on memory buffers, EAP-TLS framing and
 * fragmentation, server certificate checks, MSK export */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto-cert-private.h"
#include "crypto-eap-tls.h"

/* RFC 5216 §3.1 flags */
#define TLS_FLAG_LENGTH 0x80
#define TLS_FLAG_MORE   0x40
#define TLS_FLAG_START  0x20

#define TLS_BUFFER_MAX   65536 /* bytes of one TLS flight either way: more is refused */
#define TLS_KEY_MATERIAL 128   /* MSK | EMSK (§2.3) */

/* RFC 5216 §2.3 */
static const char key_label[] = "client EAP encryption";

typedef enum {
	TLS_IDLE,      /* no Start yet */
	TLS_HANDSHAKE, /* exchanging flights */
	TLS_DONE,      /* handshake finished, server verified, MSK ready */
	TLS_FAILED,
} TlsState;

struct CryptoEapTls {
	TlsState state;
	/* borrowed */
	const CryptoCredential *cred;
	const CryptoTrust *trust;
	/* owned */
	char *server_name;
	gnutls_session_t session;
	gnutls_certificate_credentials_t xcred;
	gnutls_pcert_st pcerts[CRYPTO_CERT_CHAIN_MAX];
	unsigned n_pcerts;
	uint8_t *in; /* the server's flight, reassembled */
	size_t in_len, in_pos, in_expected;
	uint8_t *out; /* our flight, sent in fragments */
	size_t out_len, out_pos;
	CryptoCertError verify_error;
	/* secret */
	FerrySecret *msk;
};

static ssize_t
push_cb(gnutls_transport_ptr_t ptr, const void *data, size_t len)
{
	CryptoEapTls *tls = ptr;

	if (len > TLS_BUFFER_MAX - tls->out_len) {
		gnutls_transport_set_errno(tls->session, ENOBUFS);
		return -1;
	}
	memcpy(tls->out + tls->out_len, data, len);
	tls->out_len += len;
	return (ssize_t)len;
}

static ssize_t
pull_cb(gnutls_transport_ptr_t ptr, void *data, size_t len)
{
	CryptoEapTls *tls = ptr;
	size_t n = tls->in_len - tls->in_pos;

	if (n == 0) {
		gnutls_transport_set_errno(tls->session, EAGAIN);
		return -1;
	}
	if (n > len)
		n = len;
	memcpy(data, tls->in + tls->in_pos, n);
	tls->in_pos += n;
	return (ssize_t)n;
}

/* Our certificate for the server's CertificateRequest (ownership stays with us). */
static int
retrieve_cb(gnutls_session_t session,
            const gnutls_datum_t *req_ca_rdn,
            int nreqs,
            const gnutls_pk_algorithm_t *pk_algos,
            int pk_algos_length,
            gnutls_pcert_st **pcert,
            unsigned int *pcert_length,
            gnutls_privkey_t *privkey)
{
	CryptoEapTls *tls = gnutls_session_get_ptr(session);

	*pcert = tls->pcerts;
	*pcert_length = tls->n_pcerts;
	*privkey = crypto_credential_get_privkey(tls->cred);
	return 0;
}

/* The server's certificate, checked as the IKE one is, as soon as it arrives. */
static int
verify_cb(gnutls_session_t session)
{
	CryptoEapTls *tls = gnutls_session_get_ptr(session);
	unsigned n = 0;
	const gnutls_datum_t *list = gnutls_certificate_get_peers(session, &n);
	FerrySpan spans[CRYPTO_CERT_CHAIN_MAX];
	CryptoCert *ee = NULL;
	CryptoCertStatus st;

	if (!list || n == 0) {
		crypto_cert_fail(&tls->verify_error, CRYPTO_CERT_ERR_PARSE,
		                 "the EAP-TLS server sent no certificate");
		return -1;
	}
	if (n > CRYPTO_CERT_CHAIN_MAX)
		n = CRYPTO_CERT_CHAIN_MAX;
	for (unsigned i = 0; i < n; i++)
		spans[i] = FERRY_SPAN(list[i].data, list[i].size);
	st = crypto_cert_verify_chain(tls->trust, spans, n, (int64_t)time(NULL), &ee,
	                              &tls->verify_error);
	if (st == CRYPTO_CERT_OK && tls->server_name)
		st = crypto_cert_match_name(ee, tls->server_name, &tls->verify_error);
	crypto_cert_unref(ee);
	return st == CRYPTO_CERT_OK ? 0 : -1;
}

void
crypto_eap_tls_free(CryptoEapTls *tls)
{
	if (!tls)
		return;
	if (tls->session)
		gnutls_deinit(tls->session);
	if (tls->xcred)
		gnutls_certificate_free_credentials(tls->xcred);
	for (unsigned i = 0; i < tls->n_pcerts; i++)
		gnutls_pcert_deinit(&tls->pcerts[i]);
	if (tls->in)
		ferry_wipe(tls->in, TLS_BUFFER_MAX);
	free(tls->in);
	free(tls->out);
	free(tls->server_name);
	ferry_secret_free(tls->msk);
	free(tls);
}

static bool
setup_session(CryptoEapTls *tls)
{
	const CryptoCert *cert = crypto_credential_get_cert(tls->cred);
	gnutls_datum_t der = {(unsigned char *)crypto_cert_get_der(cert).data,
	                      (unsigned)crypto_cert_get_der(cert).len};

	if (gnutls_pcert_import_x509_raw(&tls->pcerts[0], &der, GNUTLS_X509_FMT_DER, 0) < 0)
		return false;
	tls->n_pcerts = 1;
	for (size_t i = 0; i < crypto_credential_get_n_chain(tls->cred); i++) {
		FerrySpan c = crypto_cert_get_der(crypto_credential_get_chain(tls->cred, i));

		der.data = (unsigned char *)c.data;
		der.size = (unsigned)c.len;
		if (tls->n_pcerts >= CRYPTO_CERT_CHAIN_MAX ||
		    gnutls_pcert_import_x509_raw(&tls->pcerts[tls->n_pcerts], &der,
		                                 GNUTLS_X509_FMT_DER, 0) < 0)
			break;
		tls->n_pcerts++;
	}
	if (gnutls_certificate_allocate_credentials(&tls->xcred) < 0)
		return false;
	gnutls_certificate_set_retrieve_function2(tls->xcred, retrieve_cb);
	if (gnutls_init(&tls->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK) < 0)
		return false;
	gnutls_session_set_ptr(tls->session, tls);
	gnutls_transport_set_ptr(tls->session, tls);
	gnutls_transport_set_push_function(tls->session, push_cb);
	gnutls_transport_set_pull_function(tls->session, pull_cb);
	gnutls_session_set_verify_function(tls->session, verify_cb);
	return gnutls_priority_set_direct(tls->session, "NORMAL:-VERS-ALL:+VERS-TLS1.2", NULL) >=
	               0 &&
	       gnutls_credentials_set(tls->session, GNUTLS_CRD_CERTIFICATE, tls->xcred) >= 0;
}

CryptoEapTls *
crypto_eap_tls_new(const CryptoCredential *cred, const CryptoTrust *trust, const char *server_name)
{
	CryptoEapTls *tls;

	if (!cred || !trust)
		return NULL;
	tls = calloc(1, sizeof(*tls));
	if (!tls)
		return NULL;
	tls->cred = cred;
	tls->trust = trust;
	tls->server_name = server_name ? strdup(server_name) : NULL;
	tls->in = malloc(TLS_BUFFER_MAX);
	tls->out = malloc(TLS_BUFFER_MAX);
	if ((server_name && !tls->server_name) || !tls->in || !tls->out || !setup_session(tls)) {
		crypto_eap_tls_free(tls);
		return NULL;
	}
	return tls;
}

const FerrySecret *
crypto_eap_tls_get_msk(const CryptoEapTls *tls)
{
	return tls->state == TLS_DONE ? tls->msk : NULL;
}

/* The next fragment of our flight (§3.1: L and the total length in the first of several). */
static bool
write_fragment(CryptoEapTls *tls, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t left = tls->out_len - tls->out_pos, hdr = 1, n;
	bool first = tls->out_pos == 0, more;

	if (cap < 1 + 4 + 1)
		return false;
	n = left;
	if (n > CRYPTO_EAP_TLS_FRAGMENT)
		n = CRYPTO_EAP_TLS_FRAGMENT;
	more = n < left;
	out[0] = more ? TLS_FLAG_MORE : 0;
	if (first && more) {
		out[0] |= TLS_FLAG_LENGTH;
		ferry_put_be32(out + 1, (uint32_t)tls->out_len);
		hdr = 5;
	}
	if (hdr + n > cap)
		n = cap - hdr;
	memcpy(out + hdr, tls->out + tls->out_pos, n);
	tls->out_pos += n;
	if (tls->out_pos == tls->out_len)
		tls->out_pos = tls->out_len = 0;
	*out_len = hdr + n;
	return true;
}

static CryptoEapPeerResult
fail(CryptoEapTls *tls, const char *what, const char *detail, char *text, size_t text_cap)
{
	tls->state = TLS_FAILED;
	if (text && text_cap)
		snprintf(text, text_cap, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
	return CRYPTO_EAP_PEER_REJECTED;
}

static CryptoEapPeerResult
run_handshake(
	CryptoEapTls *tls, uint8_t *out, size_t cap, size_t *out_len, char *text, size_t text_cap)
{
	uint8_t key[TLS_KEY_MATERIAL];
	int ret = gnutls_handshake(tls->session);

	/* keep what GnuTLS has not read yet */
	memmove(tls->in, tls->in + tls->in_pos, tls->in_len - tls->in_pos);
	tls->in_len -= tls->in_pos;
	tls->in_pos = 0;
	if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED) {
		if (tls->out_len == 0)
			return fail(tls, "EAP-TLS handshake stalled", NULL, text, text_cap);
		return write_fragment(tls, out, cap, out_len) ? CRYPTO_EAP_PEER_CONTINUE
		                                              : CRYPTO_EAP_PEER_MALFORMED;
	}
	if (ret < 0) {
		CryptoEapPeerResult r = tls->verify_error.status != CRYPTO_CERT_OK
		                                ? CRYPTO_EAP_PEER_BAD_SERVER
		                                : CRYPTO_EAP_PEER_REJECTED;

		if (tls->verify_error.status != CRYPTO_CERT_OK)
			fail(tls, "EAP-TLS server certificate", tls->verify_error.message, text,
			     text_cap);
		else
			fail(tls, "EAP-TLS handshake failed", gnutls_strerror(ret), text, text_cap);
		return r;
	}
	/* RFC 5216 §2.3: Key_Material = TLS-PRF-128(master secret, label, client.random |
	 * server.random); MSK = its first 64 octets */
	tls->msk = ferry_secret_new(64);
	if (!tls->msk || gnutls_prf(tls->session, sizeof(key_label) - 1, key_label, 0, 0, NULL,
	                            sizeof(key), (char *)key) < 0) {
		ferry_wipe(key, sizeof(key));
		return fail(tls, "EAP-TLS key export failed", NULL, text, text_cap);
	}
	memcpy(tls->msk->data, key, 64);
	ferry_wipe(key, sizeof(key));
	tls->state = TLS_DONE;
	/* our last flight if the server finished first, else an empty acknowledgement */
	if (tls->out_len)
		return write_fragment(tls, out, cap, out_len) ? CRYPTO_EAP_PEER_CONTINUE
		                                              : CRYPTO_EAP_PEER_MALFORMED;
	out[0] = 0;
	*out_len = 1;
	return CRYPTO_EAP_PEER_CONTINUE;
}

CryptoEapPeerResult
crypto_eap_tls_process(CryptoEapTls *tls,
                       FerrySpan d,
                       uint8_t *out,
                       size_t cap,
                       size_t *out_len,
                       char *text,
                       size_t text_cap)
{
	uint8_t flags;
	FerrySpan data;

	*out_len = 0;
	if (d.len < 1 || cap < 1 || tls->state == TLS_FAILED)
		return CRYPTO_EAP_PEER_MALFORMED;
	flags = d.data[0];
	data = FERRY_SPAN(d.data + 1, d.len - 1);
	if (flags & TLS_FLAG_LENGTH) {
		if (data.len < 4)
			return CRYPTO_EAP_PEER_MALFORMED;
		tls->in_expected = ferry_get_be32(data.data);
		if (tls->in_expected > TLS_BUFFER_MAX)
			return fail(tls, "EAP-TLS message too long", NULL, text, text_cap);
		data = FERRY_SPAN(data.data + 4, data.len - 4);
	}
	if (flags & TLS_FLAG_START) {
		/* §3.2: Start begins the handshake; a repeated Start is an error */
		if (tls->state != TLS_IDLE)
			return CRYPTO_EAP_PEER_MALFORMED;
		tls->state = TLS_HANDSHAKE;
		return run_handshake(tls, out, cap, out_len, text, text_cap);
	}
	if (tls->state != TLS_HANDSHAKE && tls->state != TLS_DONE)
		return CRYPTO_EAP_PEER_MALFORMED;
	/* an empty request acknowledges our fragment: send the next */
	if (data.len == 0 && tls->out_len > tls->out_pos && tls->out_pos > 0)
		return write_fragment(tls, out, cap, out_len) ? CRYPTO_EAP_PEER_CONTINUE
		                                              : CRYPTO_EAP_PEER_MALFORMED;
	if (data.len > TLS_BUFFER_MAX - tls->in_len)
		return fail(tls, "EAP-TLS message too long", NULL, text, text_cap);
	memcpy(tls->in + tls->in_len, data.data, data.len);
	tls->in_len += data.len;
	if (flags & TLS_FLAG_MORE) {
		out[0] = 0; /* acknowledge the fragment (§3.1) */
		*out_len = 1;
		return CRYPTO_EAP_PEER_CONTINUE;
	}
	if (tls->state == TLS_DONE) {
		/* nothing more is expected inside TLS 1.2 EAP-TLS after both Finished */
		tls->in_len = tls->in_pos = 0;
		out[0] = 0;
		*out_len = 1;
		return CRYPTO_EAP_PEER_CONTINUE;
	}
	return run_handshake(tls, out, cap, out_len, text, text_cap);
}
