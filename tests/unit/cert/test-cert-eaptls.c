/* test-cert-eaptls.c - the EAP-TLS peer (RFC 5216) against an authenticator built here from a
 * GnuTLS server on memory buffers: fragmentation both ways, server checks, the MSK */
#include <errno.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "cert-test.h"
#include "crypto-eap.h"

#define SERVER_FRAGMENT 300 /* the authenticator fragments its flights this small */

typedef struct {
	gnutls_session_t s;
	gnutls_certificate_credentials_t cred;
	GByteArray *in, *out;
	gsize in_pos, out_pos;
	guint8 id;
	gboolean done;
} Server;

static ssize_t
server_push(gnutls_transport_ptr_t p, const void *data, size_t len)
{
	Server *srv = p;

	g_byte_array_append(srv->out, data, (guint)len);
	return (ssize_t)len;
}

static ssize_t
server_pull(gnutls_transport_ptr_t p, void *data, size_t len)
{
	Server *srv = p;
	size_t n = srv->in->len - srv->in_pos;

	if (n == 0) {
		gnutls_transport_set_errno(srv->s, EAGAIN);
		return -1;
	}
	n = MIN(n, len);
	memcpy(data, srv->in->data + srv->in_pos, n);
	srv->in_pos += n;
	return (ssize_t)n;
}

static void
server_init(Server *srv, const char *cert, const char *key)
{
	g_autofree char *cert_path = cert_test_pki_path(cert);
	g_autofree char *key_path = cert_test_pki_path(key);
	g_autofree char *ca1 = cert_test_pki_path("rsa-ca.crt");
	g_autofree char *ca2 = cert_test_pki_path("ec-root.crt");

	memset(srv, 0, sizeof(*srv));
	srv->in = g_byte_array_new();
	srv->out = g_byte_array_new();
	g_assert_cmpint(gnutls_certificate_allocate_credentials(&srv->cred), ==, 0);
	g_assert_cmpint(gnutls_certificate_set_x509_key_file(srv->cred, cert_path, key_path,
	                                                     GNUTLS_X509_FMT_PEM),
	                ==, 0);
	g_assert_cmpint(gnutls_certificate_set_x509_trust_file(srv->cred, ca1, GNUTLS_X509_FMT_PEM),
	                ==, 1);
	g_assert_cmpint(gnutls_certificate_set_x509_trust_file(srv->cred, ca2, GNUTLS_X509_FMT_PEM),
	                ==, 1);
	g_assert_cmpint(gnutls_init(&srv->s, GNUTLS_SERVER | GNUTLS_NONBLOCK), ==, 0);
	g_assert_cmpint(gnutls_set_default_priority(srv->s), ==, 0);
	g_assert_cmpint(gnutls_credentials_set(srv->s, GNUTLS_CRD_CERTIFICATE, srv->cred), ==, 0);
	gnutls_certificate_server_set_request(srv->s, GNUTLS_CERT_REQUIRE);
	gnutls_transport_set_ptr(srv->s, srv);
	gnutls_transport_set_push_function(srv->s, server_push);
	gnutls_transport_set_pull_function(srv->s, server_pull);
}

static void
server_clear(Server *srv)
{
	gnutls_deinit(srv->s);
	gnutls_certificate_free_credentials(srv->cred);
	g_byte_array_unref(srv->in);
	g_byte_array_unref(srv->out);
}

/* The next EAP-TLS request: a fragment of the server's flight, or an ACK of the peer's. */
static gsize
server_request(Server *srv, guint8 *req)
{
	gsize left = srv->out->len - srv->out_pos, n = MIN(left, SERVER_FRAGMENT), hdr = 6;

	req[0] = 1;
	req[1] = ++srv->id;
	req[4] = 13;
	req[5] = n < left ? 0x40 : 0;
	if (srv->out_pos == 0 && n < left) {
		req[5] |= 0x80;
		req[6] = (guint8)(srv->out->len >> 24);
		req[7] = (guint8)(srv->out->len >> 16);
		req[8] = (guint8)(srv->out->len >> 8);
		req[9] = (guint8)srv->out->len;
		hdr = 10;
	}
	memcpy(req + hdr, srv->out->data + srv->out_pos, n);
	srv->out_pos += n;
	if (srv->out_pos == srv->out->len) {
		g_byte_array_set_size(srv->out, 0);
		srv->out_pos = 0;
	}
	req[2] = (guint8)((hdr + n) >> 8);
	req[3] = (guint8)(hdr + n);
	return hdr + n;
}

typedef struct {
	const char *name;
	const char *server_cert; /* PEM file, may hold the chain */
	const char *server_key;
	const char *client_cert;
	const char *client_key;
	const char *trust;
	const char *server_name;
	CryptoEapPeerResult want;
	const char *text_has;
} TlsCase;

/* clang-format off */
static const TlsCase tls_cases[] = {
	{"rsa", "gw-rsa.crt", "gw-rsa.key", "client-rsa.crt", "client-rsa.key", "rsa-ca.crt",
	 "vpn.example.com", CRYPTO_EAP_PEER_SUCCESS},
	{"ecdsa-chains", "gw-ec384-bundle.pem", "gw-ec384.key", "client-ec256-bundle.pem",
	 "client-ec256.key", "ec-root.crt", "vpn.example.com", CRYPTO_EAP_PEER_SUCCESS},
	{"no-name-check", "gw-rsa-other.crt", "gw-rsa.key", "client-rsa.crt", "client-rsa.key",
	 "rsa-ca.crt", NULL, CRYPTO_EAP_PEER_SUCCESS},
	{"untrusted-server", "gw-evil.crt", "gw-rsa.key", "client-rsa.crt", "client-rsa.key",
	 "rsa-ca.crt", "vpn.example.com", CRYPTO_EAP_PEER_BAD_SERVER, "Untrusted Evil CA"},
	{"wrong-server-name", "gw-rsa-other.crt", "gw-rsa.key", "client-rsa.crt", "client-rsa.key",
	 "rsa-ca.crt", "vpn.example.com", CRYPTO_EAP_PEER_BAD_SERVER, "identity mismatch"},
	{"expired-server", "gw-rsa-expired.crt", "gw-rsa.key", "client-rsa.crt", "client-rsa.key",
	 "rsa-ca.crt", "vpn.example.com", CRYPTO_EAP_PEER_BAD_SERVER, "expired on 2021-01-01"},
};
/* clang-format on */

static void
test_eap_tls(gconstpointer data)
{
	const TlsCase *c = data;
	g_autofree char *cert = cert_test_pki_path(c->client_cert);
	g_autofree char *key = cert_test_pki_path(c->client_key);
	g_autofree char *ca = cert_test_pki_path(c->trust);
	CryptoCredential *cred = NULL;
	CryptoTrust *trust = crypto_trust_new();
	CryptoEapPeer *peer;
	Server srv;
	guint8 req[2048], resp[CRYPTO_EAP_RESPONSE_MAX];
	size_t resp_len = 0;
	gsize req_len;
	char text[CRYPTO_CERT_MESSAGE_MAX + 64] = "";
	CryptoEapPeerResult r = CRYPTO_EAP_PEER_CONTINUE;
	int steps = 0, fragments_in = 0;

	g_assert_cmpint(crypto_credential_load(cert, key, NULL, &cred, NULL), ==, CRYPTO_CERT_OK);
	g_assert_cmpint(crypto_trust_add_file(trust, ca, NULL), ==, CRYPTO_CERT_OK);
	peer = crypto_eap_peer_new_tls("alice@example.com", cred, trust, c->server_name);
	g_assert_nonnull(peer);
	server_init(&srv, c->server_cert, c->server_key);

	/* Start (RFC 5216 §3.2) */
	memcpy(req, "\x01\x01\x00\x06\x0d\x20", 6);
	srv.id = 1;
	req_len = 6;
	while (r == CRYPTO_EAP_PEER_CONTINUE && steps++ < 60) {
		CryptoEapPacket pkt;
		FerrySpan d;
		int ret;

		r = crypto_eap_peer_process(peer, req, req_len, resp, sizeof(resp), &resp_len, text,
		                            sizeof(text));
		if (r != CRYPTO_EAP_PEER_CONTINUE)
			break;
		g_assert_cmpint(crypto_eap_decode(resp, resp_len, &pkt), ==, CRYPTO_EAP_OK);
		g_assert_cmpuint(pkt.code, ==, CRYPTO_EAP_CODE_RESPONSE);
		g_assert_cmpuint(pkt.id, ==, srv.id);
		g_assert_cmpuint(pkt.type, ==, CRYPTO_EAP_TYPE_TLS);
		d = pkt.data;
		g_assert_cmpuint(d.len, >=, 1);
		if (d.data[0] & 0x80) {
			d.data += 4;
			d.len -= 4;
		}
		g_byte_array_append(srv.in, d.data + 1, (guint)(d.len - 1));
		if (d.data[0] & 0x40) {
			fragments_in++;
			memcpy(req, "\x01\x00\x00\x06\x0d\x00", 6); /* ACK */
			req[1] = ++srv.id;
			req_len = 6;
			continue;
		}
		if (srv.out->len == 0 && !srv.done) {
			ret = gnutls_handshake(srv.s);
			if (ret == 0)
				srv.done = TRUE;
			else if (ret != GNUTLS_E_AGAIN)
				g_error("server handshake: %s", gnutls_strerror(ret));
		}
		if (srv.out->len > 0) {
			req_len = server_request(&srv, req);
		} else if (srv.done) {
			memcpy(req, "\x03\x00\x00\x04", 4); /* EAP-Success */
			req[1] = ++srv.id;
			req_len = 4;
		} else {
			g_error("the server has nothing to say");
		}
	}
	g_test_message("result %s: %s", crypto_eap_peer_result_to_string(r), text);
	g_assert_cmpint(r, ==, c->want);
	if (c->text_has && !strstr(text, c->text_has))
		g_error("text '%s' lacks '%s'", text, c->text_has);
	if (r == CRYPTO_EAP_PEER_SUCCESS) {
		guint8 key_material[128];
		unsigned status = 1;
		const FerrySecret *msk = crypto_eap_peer_get_msk(peer);

		g_assert_cmpint(gnutls_certificate_verify_peers2(srv.s, &status), ==, 0);
		g_assert_cmpuint(status, ==, 0);
		/* our flight did not fit one EAP packet, and the server's never does */
		g_assert_cmpint(fragments_in, >=, 1);
		g_assert_cmpint(gnutls_prf(srv.s, 21, "client EAP encryption", 0, 0, NULL,
		                           sizeof(key_material), (char *)key_material),
		                ==, 0);
		g_assert_nonnull(msk);
		g_assert_cmpuint(msk->len, ==, 64);
		g_assert_cmpmem(msk->data, 64, key_material, 64);
	} else {
		g_assert_null(crypto_eap_peer_get_msk(peer));
	}
	server_clear(&srv);
	crypto_eap_peer_free(peer);
	crypto_trust_free(trust);
	crypto_credential_free(cred);
}

static void
test_eap_tls_out_of_order(void)
{
	g_autofree char *cert = cert_test_pki_path("client-rsa.crt");
	g_autofree char *key = cert_test_pki_path("client-rsa.key");
	CryptoCredential *cred = NULL;
	CryptoTrust *trust = crypto_trust_new();
	CryptoEapPeer *peer;
	guint8 resp[CRYPTO_EAP_RESPONSE_MAX];
	size_t len;

	g_assert_cmpint(crypto_credential_load(cert, key, NULL, &cred, NULL), ==, CRYPTO_CERT_OK);
	peer = crypto_eap_peer_new_tls("alice", cred, trust, NULL);
	/* Success before any TLS, data before Start, an MS-CHAPv2 request (Nak for TLS) */
	g_assert_cmpint(crypto_eap_peer_process(peer, (const guint8 *)"\x03\x01\x00\x04", 4, resp,
	                                        sizeof(resp), &len, NULL, 0),
	                ==, CRYPTO_EAP_PEER_BAD_SERVER);
	g_assert_cmpint(crypto_eap_peer_process(peer,
	                                        (const guint8 *)"\x01\x02\x00\x07\x0d\x00\x16", 7,
	                                        resp, sizeof(resp), &len, NULL, 0),
	                ==, CRYPTO_EAP_PEER_MALFORMED);
	g_assert_cmpint(crypto_eap_peer_process(peer, (const guint8 *)"\x01\x03\x00\x05\x1a", 5,
	                                        resp, sizeof(resp), &len, NULL, 0),
	                ==, CRYPTO_EAP_PEER_CONTINUE);
	g_assert_cmpmem(resp, len, "\x02\x03\x00\x06\x03\x0d", 6);
	/* a length over the limit */
	g_assert_cmpint(crypto_eap_peer_process(
				peer, (const guint8 *)"\x01\x04\x00\x0a\x0d\xa0\x7f\xff\xff\xff",
				10, resp, sizeof(resp), &len, NULL, 0),
	                !=, CRYPTO_EAP_PEER_CONTINUE);
	crypto_eap_peer_free(peer);
	crypto_trust_free(trust);
	crypto_credential_free(cred);
}

static void
make_bundle(const char *out_name, const char *a, const char *b)
{
	g_autofree char *out = cert_test_pki_path(out_name);
	g_autofree char *pa = cert_test_pki_path(a);
	g_autofree char *pb = cert_test_pki_path(b);
	g_autofree char *ta = NULL, *tb = NULL, *all = NULL;

	g_assert_true(g_file_get_contents(pa, &ta, NULL, NULL));
	g_assert_true(g_file_get_contents(pb, &tb, NULL, NULL));
	all = g_strconcat(ta, tb, NULL);
	g_assert_true(g_file_set_contents(out, all, -1, NULL));
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	cert_test_pki_init(FALSE);
	make_bundle("gw-ec384-bundle.pem", "gw-ec384.crt", "ec-int.crt");
	make_bundle("client-ec256-bundle.pem", "client-ec256.crt", "ec-int.crt");
	for (size_t i = 0; i < G_N_ELEMENTS(tls_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/cert/eap-tls/%s", tls_cases[i].name);

		g_test_add_data_func(path, &tls_cases[i], test_eap_tls);
	}
	g_test_add_func("/ferry/cert/eap-tls/out-of-order", test_eap_tls_out_of_order);
	ret = g_test_run();
	cert_test_pki_cleanup();
	return ret;
}
