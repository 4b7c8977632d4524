/* ike-xchg-auth.c - the IKE_AUTH exchange with a pre-shared key, certificates or EAP
 * (RFC 7296 §1.2, §2.15, §2.16, §2.19, §3.6, §3.7; RFC 7427; EAP-only RFC 5998; two rounds,
 * certificate then EAP, RFC 4739) */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "crypto-auth.h"
#include "crypto-prf.h"
#include "crypto-sig.h"
#include "ferry-error.h"
#include "ike-cp.h"
#include "ike-sa-private.h"
#include "ike-ts.h"

/* The ID payload after its generic header: type, three reserved bytes, data (RFC 7296 §3.5). */
static guint8 *
dup_id_body(uint8_t type, FerrySpan data, gsize *len)
{
	guint8 *body = g_malloc0(4 + data.len);

	body[0] = type;
	if (data.len)
		memcpy(body + 4, data.data, data.len);
	*len = 4 + data.len;
	return body;
}

static char *
format_id(uint8_t type, FerrySpan data)
{
	const char *name = ike_id_name(type);

	switch (type) {
	case IKE_ID_FQDN:
	case IKE_ID_RFC822_ADDR:
		if (g_utf8_validate((const char *)data.data, (gssize)data.len, NULL))
			return g_strdup_printf("%.*s", (int)data.len, (const char *)data.data);
		break;
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		if (data.len == (type == IKE_ID_IPV4_ADDR ? 4u : 16u)) {
			g_autoptr(GInetAddress) a = g_inet_address_new_from_bytes(
				data.data,
				data.len == 4 ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6);

			return g_inet_address_to_string(a);
		}
		break;
	default:
		break;
	}
	return g_strdup_printf("%s (%zu bytes)", name ? name : "ID", data.len);
}

/* AUTH = prf(prf(PSK, "Key Pad for IKEv2"), <message> | <peer nonce> | prf(SK_p, ID'))
 * (RFC 7296 §2.15), into a new secret. */
static FerrySecret *
compute_psk_auth(IkeSa *sa,
                 const FerrySecret *key,
                 const guint8 *message,
                 gsize message_len,
                 const uint8_t *nonce,
                 gsize nonce_len,
                 const FerrySecret *sk_p,
                 const guint8 *id_body,
                 gsize id_body_len,
                 GError **error)
{
	uint16_t prf = sa->cur.prf_id;
	uint8_t *octets = NULL;
	size_t octets_len = 0;
	FerrySecret *auth;
	CryptoStatus st;

	st = crypto_auth_signed_octets(prf, message, message_len, nonce, nonce_len, sk_p, id_body,
	                               id_body_len, &octets, &octets_len);
	auth = ferry_secret_new(crypto_prf_output_size(prf));
	if (st == CRYPTO_OK && !auth)
		st = CRYPTO_ERR_NOMEM;
	if (st == CRYPTO_OK)
		st = crypto_auth_psk(prf, key, octets, octets_len, auth->data);
	if (octets) {
		ferry_wipe(octets, octets_len);
		free(octets);
	}
	if (st != CRYPTO_OK) {
		ferry_secret_free(auth);
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "cannot compute the AUTH payload: %s", crypto_status_to_string(st));
		return NULL;
	}
	return auth;
}

/* The octets AUTH covers (RFC 7296 §2.15), freed with free() after wiping. */
static uint8_t *
dup_signed_octets(IkeSa *sa,
                  const guint8 *message,
                  gsize message_len,
                  const uint8_t *nonce,
                  gsize nonce_len,
                  const FerrySecret *sk_p,
                  const guint8 *id_body,
                  gsize id_body_len,
                  size_t *out_len,
                  GError **error)
{
	uint8_t *octets = NULL;
	CryptoStatus st;

	st = crypto_auth_signed_octets(sa->cur.prf_id, message, message_len, nonce, nonce_len, sk_p,
	                               id_body, id_body_len, &octets, out_len);
	if (st != CRYPTO_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "cannot compute the AUTH payload: %s", crypto_status_to_string(st));
		return NULL;
	}
	return octets;
}

/* Our AUTH with the credential's key (RFC 7296 §2.15, RFC 7427 §3): method 14 when the
 * gateway announced SIGNATURE_HASH_ALGORITHMS, else the classic method for the key. */
static gboolean
compute_sig_auth(IkeSa *sa,
                 const guint8 *idi_body,
                 gsize idi_body_len,
                 uint8_t *method,
                 guint8 *out,
                 gsize *out_len,
                 GError **error)
{
	const CryptoCredential *cred = sa->config.credential;
	CryptoCertError err;
	CryptoSigScheme scheme;
	uint8_t *octets;
	size_t octets_len = 0, len = 0;
	CryptoCertStatus st;

	octets = dup_signed_octets(sa, sa->init_request, sa->init_request_len, sa->nr, sa->nr_len,
	                           sa->cur.keys.sk_pi, idi_body, idi_body_len, &octets_len, error);
	if (!octets)
		return FALSE;
	st = crypto_sig_choose(crypto_credential_get_key_type(cred), sa->peer_hashes,
	                       sa->config.rsa_pss, method, &scheme, &err);
	if (st == CRYPTO_CERT_OK)
		st = crypto_sig_auth_create(cred, *method, scheme, octets, octets_len, out,
		                            CRYPTO_SIG_AUTH_MAX, &len, &err);
	free(octets);
	if (st != CRYPTO_CERT_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CERT,
		            "cannot sign the AUTH payload with our key: %s", err.message);
		return FALSE;
	}
	*out_len = len;
	return TRUE;
}

static guint
build_tsi(IkeSa *sa, IkeTs *ts)
{
	guint n = 0;

	/* RFC 7296 §2.22 (virtual IP): we do not know our address yet, so we ask for all and
	 * the gateway narrows to the one it assigns. */
	if (sa->config.request_ip4)
		ike_ts_set_full(&ts[n++], AF_INET);
	if (sa->config.request_ip6)
		ike_ts_set_full(&ts[n++], AF_INET6);
	if (n == 0)
		ike_ts_set_addr(&ts[n++], &sa->config.local_addr);
	return n;
}

static guint
build_tsr(IkeSa *sa, IkeTs *ts)
{
	gboolean v4, v6;
	guint n = 0;

	if (sa->config.n_ts_remote > 0) {
		memcpy(ts, sa->ts_remote, sizeof(IkeTs) * sa->config.n_ts_remote);
		return sa->config.n_ts_remote;
	}
	/* Everything, in the families our inner addresses have. */
	v4 = sa->config.request_ip4;
	v6 = sa->config.request_ip6;
	if (!v4 && !v6) {
		v4 = sa->config.local_addr.family == AF_INET;
		v6 = !v4;
	}
	if (v4)
		ike_ts_set_full(&ts[n++], AF_INET);
	if (v6)
		ike_ts_set_full(&ts[n++], AF_INET6);
	return n;
}

static void
add_child_sa(IkeSa *sa, uint32_t spi, gboolean with_ke)
{
	IkePayload *p = ike_sa_out_add(sa, IKE_PAYLOAD_SA);

	p->u.sa.n_proposals = (uint8_t)sa->config.n_child_proposals;
	for (guint i = 0; i < sa->config.n_child_proposals; i++) {
		IkeProposal *prop = &p->u.sa.proposals[i];

		*prop = sa->child_proposals[i];
		prop->spi_size = 4;
		ferry_put_be32(prop->spi, spi);
		if (!with_ke)
			ike_proposal_strip_ke(prop);
	}
}

static void
add_ts(IkeSa *sa, uint8_t type, const IkeTs *ts, guint n)
{
	IkePayload *p = ike_sa_out_add(sa, type);

	p->u.ts.n_ts = (uint8_t)n;
	memcpy(p->u.ts.ts, ts, sizeof(IkeTs) * n);
}

/* The EAP peer of this login: EAP-TLS (RFC 5216) with our certificate, else EAP-MSCHAPv2. */
static gboolean
start_eap_peer(IkeSa *sa, gboolean tls, GError **error)
{
	if (tls)
		sa->eap = crypto_eap_peer_new_tls(sa->config.eap_identity, sa->config.credential,
		                                  sa->config.trust, sa->config.remote_id_name);
	else
		sa->eap = crypto_eap_peer_new(sa->config.eap_identity, sa->config.eap_identity,
		                              sa->eap_password);
	if (!sa->eap) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "eap-identity: longer than %d bytes", CRYPTO_EAP_IDENTITY_MAX);
		return FALSE;
	}
	return TRUE;
}

gboolean
ike_xchg_auth_build_request(IkeSa *sa, gint64 now_us, GError **error)
{
	const CryptoCredential *cred = sa->config.credential;
	g_autofree guint8 *idi_body = NULL;
	g_autofree guint8 *sig = NULL;
	guint8 certreq[20 * IKE_MAX_CERTREQ_CAS];
	size_t certreq_len = 0;
	gsize idi_body_len, sig_len = 0;
	uint8_t sig_method = 0;
	FerrySecret *auth = NULL;
	IkeTs tsi[2], tsr[IKE_MAX_TS];
	guint n_tsi, n_tsr;
	IkePayload *p;
	gboolean ok;

	idi_body = dup_id_body(sa->config.local_id_type, sa->config.local_id, &idi_body_len);
	sa->gateway_verified = FALSE;
	sa->gateway_by_eap = FALSE;
	sa->cert_round_done = FALSE;
	sa->eap_auth_sent = FALSE;
	sa->eap_rounds = 0;
	g_clear_pointer(&sa->eap, crypto_eap_peer_free);
	g_clear_pointer(&sa->idr_body, g_free);
	g_clear_pointer(&sa->eap_idi_body, g_free);
	if (sa->config.multi_auth && !sa->peer_multi_auth) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PEER_NOTIFY,
		            "auth cert+eap: the gateway did not announce MULTIPLE_AUTH_SUPPORTED "
		            "(RFC 4739), so it cannot take a certificate and then EAP");
		return FALSE;
	}
	if (sa->config.eap_identity && !sa->config.multi_auth) {
		/* RFC 7296 §2.16: leaving AUTH out asks for EAP. */
		if (!start_eap_peer(sa, cred != NULL, error))
			return FALSE;
		cred = NULL; /* inside EAP, not in CERT and AUTH payloads */
	} else if (cred) {
		sig = g_malloc(CRYPTO_SIG_AUTH_MAX);
		if (!compute_sig_auth(sa, idi_body, idi_body_len, &sig_method, sig, &sig_len,
		                      error))
			return FALSE;
	} else {
		auth = compute_psk_auth(sa, sa->psk, sa->init_request, sa->init_request_len, sa->nr,
		                        sa->nr_len, sa->cur.keys.sk_pi, idi_body, idi_body_len,
		                        error);
		if (!auth)
			return FALSE;
	}
	/* RFC 7296 §3.7: the hashes of the CAs we trust; none (system store only) = any. */
	if (sa->config.trust && sa->config.send_certreq &&
	    crypto_trust_certreq(sa->config.trust, certreq, sizeof(certreq), &certreq_len) !=
	            CRYPTO_CERT_OK)
		certreq_len = 0;
	sa->auth_spi_in = ike_sa_new_child_spi();
	n_tsi = build_tsi(sa, tsi);
	n_tsr = build_tsr(sa, tsr);

	ike_sa_out_reset(sa);
	p = ike_sa_out_add(sa, IKE_PAYLOAD_IDI);
	p->u.id.id_type = sa->config.local_id_type;
	p->u.id.data = sa->config.local_id;
	/* RFC 7296 §3.6: our end-entity certificate first, then its intermediates. */
	if (cred) {
		p = ike_sa_out_add(sa, IKE_PAYLOAD_CERT);
		p->u.cert.encoding = IKE_CERT_X509_SIGNATURE;
		p->u.cert.data = crypto_cert_get_der(crypto_credential_get_cert(cred));
		for (size_t i = 0;
		     i < crypto_credential_get_n_chain(cred) && i + 1 < CRYPTO_CERT_CHAIN_MAX;
		     i++) {
			p = ike_sa_out_add(sa, IKE_PAYLOAD_CERT);
			p->u.cert.encoding = IKE_CERT_X509_SIGNATURE;
			p->u.cert.data = crypto_cert_get_der(crypto_credential_get_chain(cred, i));
		}
	}
	if (certreq_len > 0) {
		p = ike_sa_out_add(sa, IKE_PAYLOAD_CERTREQ);
		p->u.cert.encoding = IKE_CERT_X509_SIGNATURE;
		p->u.cert.data = FERRY_SPAN(certreq, certreq_len);
	}
	/* RFC 7296 §2.4: drop whatever the gateway still holds from an earlier run of ours. */
	ike_sa_out_add_notify(sa, IKE_NOTIFY_INITIAL_CONTACT, IKE_PROTO_NONE, FERRY_SPAN_EMPTY,
	                      FERRY_SPAN_EMPTY);
	if (sa->config.remote_id_type != 0) {
		p = ike_sa_out_add(sa, IKE_PAYLOAD_IDR);
		p->u.id.id_type = sa->config.remote_id_type;
		p->u.id.data = sa->config.remote_id;
	}
	if (cred) {
		p = ike_sa_out_add(sa, IKE_PAYLOAD_AUTH);
		p->u.auth.method = sig_method;
		p->u.auth.data = FERRY_SPAN(sig, sig_len);
	} else if (auth) {
		p = ike_sa_out_add(sa, IKE_PAYLOAD_AUTH);
		p->u.auth.method = IKE_AUTH_PSK;
		p->u.auth.data = ferry_secret_span(auth);
	}
	if (sa->config.request_ip4 || sa->config.request_ip6) {
		p = ike_sa_out_add(sa, IKE_PAYLOAD_CP);
		ike_cp_build_request(sa->config.request_ip4, sa->config.request_ip6, &p->u.cp);
	}
	if (sa->config.transport_mode)
		ike_sa_out_add_notify(sa, IKE_NOTIFY_USE_TRANSPORT_MODE, IKE_PROTO_NONE,
		                      FERRY_SPAN_EMPTY, FERRY_SPAN_EMPTY);
	/* RFC 5998 §3: we accept a gateway authenticated by a mutual EAP method alone */
	if (sa->eap && sa->config.eap_only)
		ike_sa_out_add_notify(sa, IKE_NOTIFY_EAP_ONLY_AUTHENTICATION, IKE_PROTO_NONE,
		                      FERRY_SPAN_EMPTY, FERRY_SPAN_EMPTY);
	/* RFC 4739 §3: the EAP round follows this certificate round */
	if (sa->config.multi_auth)
		ike_sa_out_add_notify(sa, IKE_NOTIFY_ANOTHER_AUTH_FOLLOWS, IKE_PROTO_NONE,
		                      FERRY_SPAN_EMPTY, FERRY_SPAN_EMPTY);
	ike_sa_out_add_notify(sa, IKE_NOTIFY_ESP_TFC_PADDING_NOT_SUPPORTED, IKE_PROTO_NONE,
	                      FERRY_SPAN_EMPTY, FERRY_SPAN_EMPTY);
	/* RFC 7296 §1.2: the first Child SA's keys come from SK_d without a new key exchange,
	 * so its proposals carry no KE transform. */
	add_child_sa(sa, sa->auth_spi_in, FALSE);
	add_ts(sa, IKE_PAYLOAD_TSI, tsi, n_tsi);
	add_ts(sa, IKE_PAYLOAD_TSR, tsr, n_tsr);
	ok = ike_sa_send_request(sa, &sa->cur, IKE_XCHG_AUTH, IKE_EXCHANGE_IKE_AUTH, now_us, error);
	ferry_secret_free(auth);
	return ok;
}

/* RFC 7296 §2.21.2: when we reject the responder, tell it in a separate INFORMATIONAL. */
static void
notify_auth_failed(IkeSa *sa, gint64 now_us)
{
	ike_sa_out_reset(sa);
	ike_sa_out_add_notify(sa, IKE_NOTIFY_AUTHENTICATION_FAILED, IKE_PROTO_NONE,
	                      FERRY_SPAN_EMPTY, FERRY_SPAN_EMPTY);
	ike_xchg_info_send_once(sa, now_us);
}

static gboolean fail_peer_auth(IkeSa *sa, gint64 now_us, GError **error, const char *format, ...)
	G_GNUC_PRINTF(4, 5);

static gboolean
fail_peer_auth(IkeSa *sa, gint64 now_us, GError **error, const char *format, ...)
{
	va_list args;
	g_autofree char *msg = NULL;

	va_start(args, format);
	msg = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error_literal(error, FERRY_ERROR, FERRY_ERROR_PEER_AUTH, msg);
	notify_auth_failed(sa, now_us);
	return FALSE;
}

/* Without certificates, IDr must be the remote identity we expect, when we expect one. */
static gboolean
check_idr(IkeSa *sa, const IkeIdPayload *id, GError **error)
{
	g_autofree char *got = NULL;
	g_autofree char *expected = NULL;

	if (sa->config.remote_id_type == 0 || (id->id_type == sa->config.remote_id_type &&
	                                       ferry_span_equal(id->data, sa->config.remote_id)))
		return TRUE;
	got = format_id(id->id_type, id->data);
	expected = format_id(sa->config.remote_id_type, sa->config.remote_id);
	g_set_error(error, FERRY_ERROR, FERRY_ERROR_PEER_AUTH,
	            "the gateway identified itself as %s, but we expect %s", got, expected);
	return FALSE;
}

/* An AUTH keyed with a shared secret, the PSK or the EAP MSK (RFC 7296 §2.15, §2.16):
 * ResponderSignedOctets = their IKE_SA_INIT response | Ni | prf(SK_pr, IDr').  `what` and
 * `key_name` word the failure. */
static gboolean
check_key_auth(IkeSa *sa,
               const FerrySecret *key,
               const guint8 *idr_body,
               gsize idr_body_len,
               const IkePayload *auth,
               const char *what,
               const char *key_name,
               gint64 now_us,
               GError **error)
{
	const char *method = ike_auth_name(auth->u.auth.method);
	FerrySecret *want;
	gboolean same;

	if (auth->u.auth.method != IKE_AUTH_PSK)
		return fail_peer_auth(sa, now_us, error,
		                      "the gateway's AUTH %s uses %s, but we expect one keyed with "
		                      "%s",
		                      what, method ? method : "an unknown method", key_name);
	want = compute_psk_auth(sa, key, sa->init_response, sa->init_response_len, sa->ni,
	                        sizeof(sa->ni), sa->cur.keys.sk_pr, idr_body, idr_body_len, error);
	if (!want)
		return FALSE;
	same = want->len == auth->u.auth.data.len &&
	       ferry_memeq_ct(want->data, auth->u.auth.data.data, want->len);
	ferry_secret_free(want);
	if (!same)
		return fail_peer_auth(sa, now_us, error,
		                      "the gateway failed our authentication check (its AUTH %s "
		                      "does not match %s)",
		                      what, key_name);
	return TRUE;
}

/* The gateway by certificate (RFC 7296 §2.15, §3.6; RFC 4945 §3.1): its chain up to one of
 * our CAs, its IDr named by the certificate, our remote identity named by it, and AUTH signed
 * with its key. */
static gboolean
verify_responder_cert(
	IkeSa *sa, const IkePayload *idr, const IkePayload *auth, gint64 now_us, GError **error)
{
	const IkeMessage *m = sa->msg;
	const IkeIdPayload *id = &idr->u.id;
	g_autofree char *got = format_id(id->id_type, id->data);
	FerrySpan certs[CRYPTO_CERT_CHAIN_MAX];
	IkeEvent ev = {.type = IKE_EVENT_AUTHENTICATED};
	g_autofree char *text = NULL;
	CryptoCert *ee = NULL;
	CryptoCertError err;
	CryptoSigScheme used;
	CryptoCertStatus st;
	uint8_t *octets;
	size_t n_certs = 0, octets_len = 0;

	for (size_t i = 0; i < m->n_payloads && n_certs < CRYPTO_CERT_CHAIN_MAX; i++) {
		const IkePayload *p = &m->payloads[i];

		if (p->type == IKE_PAYLOAD_CERT && p->u.cert.encoding == IKE_CERT_X509_SIGNATURE)
			certs[n_certs++] = p->u.cert.data;
	}
	if (n_certs == 0) {
		const char *method = ike_auth_name(auth->u.auth.method);

		return fail_peer_auth(sa, now_us, error,
		                      "the gateway sent no X.509 certificate (it authenticated "
		                      "with %s), but we expect one",
		                      method ? method : "an unknown method");
	}
	st = crypto_cert_verify_chain(sa->config.trust, certs, n_certs, (int64_t)time(NULL), &ee,
	                              &err);
	if (st != CRYPTO_CERT_OK)
		return fail_peer_auth(sa, now_us, error, "the gateway's certificate: %s",
		                      err.message);
	st = crypto_cert_match_id(ee, id->id_type, id->data.data, id->data.len, &err);
	if (st == CRYPTO_CERT_OK && sa->config.remote_id_name)
		st = crypto_cert_match_name(ee, sa->config.remote_id_name, &err);
	if (st != CRYPTO_CERT_OK) {
		crypto_cert_unref(ee);
		return fail_peer_auth(sa, now_us, error, "the gateway's certificate: %s",
		                      err.message);
	}
	/* ResponderSignedOctets = their IKE_SA_INIT response | Ni | prf(SK_pr, IDr') */
	octets = dup_signed_octets(sa, sa->init_response, sa->init_response_len, sa->ni,
	                           sizeof(sa->ni), sa->cur.keys.sk_pr, id->body.data, id->body.len,
	                           &octets_len, error);
	if (!octets) {
		crypto_cert_unref(ee);
		return FALSE;
	}
	st = crypto_sig_auth_verify(ee, auth->u.auth.method, auth->u.auth.data.data,
	                            auth->u.auth.data.len, octets, octets_len, &used, &err);
	free(octets);
	if (st != CRYPTO_CERT_OK) {
		crypto_cert_unref(ee);
		return fail_peer_auth(sa, now_us, error,
		                      "the gateway's AUTH payload does not verify with its "
		                      "certificate: %s",
		                      err.message);
	}
	text = g_strdup_printf("certificate \"%s\" (%s), gateway %s", crypto_cert_get_subject(ee),
	                       crypto_sig_scheme_to_string(used), got);
	crypto_cert_unref(ee);
	ev.text = text;
	ev.auth_method = "certificate";
	ev.peer_id = got;
	ev.sig_scheme = crypto_sig_scheme_to_string(used);
	ike_sa_emit(sa, &ev, now_us);
	return TRUE;
}

static gboolean
verify_responder(
	IkeSa *sa, const IkePayload *idr, const IkePayload *auth, gint64 now_us, GError **error)
{
	const IkeIdPayload *id = &idr->u.id;
	IkeEvent ev = {.type = IKE_EVENT_AUTHENTICATED};
	g_autofree char *got = NULL;
	g_autofree char *text = NULL;

	/* With certificates the certificate must name both IDr and our remote identity. */
	if (sa->config.trust)
		return verify_responder_cert(sa, idr, auth, now_us, error);
	if (!check_idr(sa, id, error)) {
		notify_auth_failed(sa, now_us);
		return FALSE;
	}
	if (!check_key_auth(sa, sa->psk, id->body.data, id->body.len, auth, "payload",
	                    "our pre-shared key", now_us, error))
		return FALSE;
	got = format_id(id->id_type, id->data);
	text = g_strdup_printf("pre-shared key, gateway %s", got);
	ev.text = text;
	ev.auth_method = "PSK";
	ev.peer_id = got;
	ike_sa_emit(sa, &ev, now_us);
	return TRUE;
}

static gboolean
take_config(IkeSa *sa, gint64 now_us, GError **error)
{
	const IkePayload *cp = ike_message_find(sa->msg, IKE_PAYLOAD_CP);
	IkeConfig config = {0};
	IkeEvent ev = {.type = IKE_EVENT_CONFIG, .config = &config};
	g_autofree char *text = NULL;
	guint ignored = 0;

	if (cp) {
		if (!ike_cp_parse_reply(&cp->u.cp, &config, &ignored, error))
			return FALSE;
	} else {
		ike_cp_parse_reply(&(IkeCpPayload){.cfg_type = IKE_CFG_REPLY}, &config, NULL, NULL);
	}
	if ((sa->config.request_ip4 || sa->config.request_ip6) && !config.has_ip4 &&
	    !config.has_ip6) {
		ike_config_clear(&config);
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PEER_NOTIFY,
		            "the gateway assigned no virtual IP address");
		return FALSE;
	}
	text = ike_config_to_string(&config);
	ev.text = text;
	ike_sa_emit(sa, &ev, now_us);
	ike_config_clear(&config);
	return TRUE;
}

static gboolean finish_auth(IkeSa *sa, gint64 now_us, GError **error);

/* A response without a payload we need: the gateway's error notify when it sent one. */
static gboolean
fail_missing(const IkeMessage *m, const char *what, GError **error)
{
	const IkeNotifyPayload *n = ike_message_find_error_notify(m);

	if (n)
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PEER_NOTIFY,
		            "the gateway refused IKE_AUTH with %s", ike_sa_notify_name(n->type));
	else
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway's IKE_AUTH response lacks %s", what);
	return FALSE;
}

/* An IKE_AUTH request of a later round: the payloads built so far (RFC 7296 §2.16). */
static gboolean
send_auth_round(IkeSa *sa, gint64 now_us, GError **error)
{
	if (++sa->eap_rounds > IKE_MAX_EAP_ROUNDS) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway's EAP exchange did not end after %d rounds",
		            IKE_MAX_EAP_ROUNDS);
		return FALSE;
	}
	return ike_sa_send_request(sa, &sa->cur, IKE_XCHG_AUTH, IKE_EXCHANGE_IKE_AUTH, now_us,
	                           error);
}

/* One payload alone in the next round: our EAP response or our MSK AUTH. */
static gboolean
send_eap_round(IkeSa *sa, const IkePayload *payload, gint64 now_us, GError **error)
{
	IkePayload *p;

	ike_sa_out_reset(sa);
	p = ike_sa_out_add(sa, payload->type);
	*p = *payload;
	return send_auth_round(sa, now_us, error);
}

/* The IDi our AUTH covers: of the EAP round (RFC 4739 §2), else of the first request. */
static guint8 *
dup_our_id_body(IkeSa *sa, gsize *len)
{
	if (sa->eap_idi_body) {
		*len = sa->eap_idi_body_len;
		return g_memdup2(sa->eap_idi_body, sa->eap_idi_body_len);
	}
	return dup_id_body(sa->config.local_id_type, sa->config.local_id, len);
}

/* After EAP both AUTH payloads are keyed with the MSK (RFC 7296 §2.16). */
static gboolean
send_msk_auth(IkeSa *sa, gint64 now_us, GError **error)
{
	const FerrySecret *msk = crypto_eap_peer_get_msk(sa->eap);
	g_autofree guint8 *idi_body = NULL;
	IkePayload p = {.type = IKE_PAYLOAD_AUTH};
	FerrySecret *auth;
	gsize idi_body_len;
	gboolean ok;

	idi_body = dup_our_id_body(sa, &idi_body_len);
	auth = compute_psk_auth(sa, msk, sa->init_request, sa->init_request_len, sa->nr, sa->nr_len,
	                        sa->cur.keys.sk_pi, idi_body, idi_body_len, error);
	if (!auth)
		return FALSE;
	p.u.auth.method = IKE_AUTH_PSK;
	p.u.auth.data = ferry_secret_span(auth);
	ok = send_eap_round(sa, &p, now_us, error);
	ferry_secret_free(auth);
	sa->eap_auth_sent = ok;
	return ok;
}

/* RFC 4739 §2: the gateway took our certificate; the second round names the EAP identity in
 * IDi (RFC 822 with an '@', else FQDN) and carries no AUTH, so EAP-MSCHAPv2 follows. */
static gboolean
send_second_round(IkeSa *sa, gint64 now_us, GError **error)
{
	const char *user = sa->config.eap_identity;
	uint8_t type = strchr(user, '@') ? IKE_ID_RFC822_ADDR : IKE_ID_FQDN;
	IkePayload *p;

	if (!start_eap_peer(sa, FALSE, error))
		return FALSE;
	sa->cert_round_done = TRUE;
	sa->eap_idi_body = dup_id_body(type, FERRY_SPAN(user, strlen(user)), &sa->eap_idi_body_len);
	ike_sa_out_reset(sa);
	p = ike_sa_out_add(sa, IKE_PAYLOAD_IDI);
	p->u.id.id_type = type;
	p->u.id.data = FERRY_SPAN(user, strlen(user));
	return send_auth_round(sa, now_us, error);
}

/* RFC 5998 §4: only a method that authenticates the server and derives a key may stand in
 * for the gateway's AUTH.  Ours are EAP-MSCHAPv2 (RFC 2759 §5 authenticator response, MSK)
 * and EAP-TLS (server certificate, MSK, RFC 5216); a future method must be named here. */
static const char *
eap_method_name(const IkeSa *sa, gboolean *mutual)
{
	*mutual = TRUE;
	return sa->config.credential ? "EAP-TLS" : "EAP-MSCHAPv2";
}

/* A first response without AUTH: RFC 5998 allows it only when we sent EAP_ONLY_AUTHENTICATION
 * and run a mutual, key-generating method; the gateway then proves itself by that method and
 * by its AUTH keyed with the MSK. */
static gboolean
accept_eap_only(IkeSa *sa, const IkePayload *idr, GError **error)
{
	gboolean mutual;
	const char *method;

	if (!sa->eap || sa->config.multi_auth)
		return fail_missing(sa->msg, "AUTH", error);
	method = eap_method_name(sa, &mutual);
	if (!sa->config.eap_only) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PEER_AUTH,
		            "the gateway did not authenticate itself (no AUTH payload): it wants "
		            "EAP-only authentication (RFC 5998), which this profile does not allow "
		            "(eap-only=no)");
		return FALSE;
	}
	if (!mutual) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PEER_AUTH,
		            "the gateway did not authenticate itself (no AUTH payload), and %s "
		            "does not authenticate it either (RFC 5998 needs a mutual, "
		            "key-generating EAP method)",
		            method);
		return FALSE;
	}
	if (!check_idr(sa, &idr->u.id, error))
		return FALSE;
	sa->gateway_by_eap = TRUE;
	return TRUE;
}

/* The first response: the gateway's IDr and its AUTH (certificate or PSK), or with RFC 5998
 * none of the latter. */
static gboolean
authenticate_gateway(IkeSa *sa, gint64 now_us, GError **error)
{
	const IkeMessage *m = sa->msg;
	const IkePayload *idr = ike_message_find(m, IKE_PAYLOAD_IDR);
	const IkePayload *auth = ike_message_find(m, IKE_PAYLOAD_AUTH);

	if (!idr)
		return fail_missing(m, "IDr", error);
	if (!auth) {
		if (!accept_eap_only(sa, idr, error)) {
			/* RFC 7296 §2.21.2: tell the gateway we refuse it */
			if (g_error_matches(*error, FERRY_ERROR, FERRY_ERROR_PEER_AUTH))
				notify_auth_failed(sa, now_us);
			return FALSE;
		}
	} else if (!verify_responder(sa, idr, auth, now_us, error)) {
		return FALSE;
	}
	g_free(sa->idr_body);
	sa->idr_body = g_memdup2(idr->u.id.body.data, idr->u.id.body.len);
	sa->idr_body_len = idr->u.id.body.len;
	sa->gateway_verified = TRUE;
	return TRUE;
}

/* The gateway's last AUTH, keyed with the MSK over its IDr (RFC 7296 §2.16). */
static gboolean
verify_msk_auth(IkeSa *sa, gint64 now_us, GError **error)
{
	const IkePayload *auth = ike_message_find(sa->msg, IKE_PAYLOAD_AUTH);
	IkeEvent ev = {.type = IKE_EVENT_AUTHENTICATED};
	g_autofree char *got = NULL;
	g_autofree char *text = NULL;
	gboolean mutual;

	if (!auth)
		return fail_missing(sa->msg, "AUTH", error);
	if (!check_key_auth(sa, crypto_eap_peer_get_msk(sa->eap), sa->idr_body, sa->idr_body_len,
	                    auth, "after EAP", "the EAP key", now_us, error))
		return FALSE;
	if (!sa->gateway_by_eap)
		return TRUE;
	got = format_id(sa->idr_body[0], FERRY_SPAN(sa->idr_body + 4, sa->idr_body_len - 4));
	text = g_strdup_printf("%s, EAP-only (RFC 5998), gateway %s", eap_method_name(sa, &mutual),
	                       got);
	ev.text = text;
	ev.auth_method = "EAP-only";
	ev.peer_id = got;
	ike_sa_emit(sa, &ev, now_us);
	return TRUE;
}

/* One EAP request of the gateway: our answer goes out in the next round. */
static gboolean
process_eap(IkeSa *sa, gint64 now_us, GError **error)
{
	const IkePayload *eap = ike_message_find(sa->msg, IKE_PAYLOAD_EAP);
	uint8_t out[CRYPTO_EAP_RESPONSE_MAX];
	char text[256] = "";
	size_t out_len = 0;
	IkePayload p = {.type = IKE_PAYLOAD_EAP};
	CryptoEapPeerResult res;

	if (!eap)
		return fail_missing(sa->msg, "EAP", error);
	res = crypto_eap_peer_process(sa->eap, eap->u.eap.data, eap->u.eap.len, out, sizeof(out),
	                              &out_len, text, sizeof(text));
	switch (res) {
	case CRYPTO_EAP_PEER_CONTINUE:
		if (out_len == 0)
			break;
		p.u.eap = FERRY_SPAN(out, out_len);
		return send_eap_round(sa, &p, now_us, error);
	case CRYPTO_EAP_PEER_SUCCESS:
		return send_msk_auth(sa, now_us, error);
	case CRYPTO_EAP_PEER_WRONG_PASSWORD:
	case CRYPTO_EAP_PEER_REJECTED:
		g_set_error(&sa->eap_error, FERRY_ERROR, FERRY_ERROR_AUTH_FAILED,
		            "the gateway rejected our EAP authentication: %s",
		            res == CRYPTO_EAP_PEER_WRONG_PASSWORD ? "wrong user name or password"
		            : text[0]                             ? text
		                                                  : "EAP-Failure");
		/* RFC 2759 §6: acknowledge the Failure, so the gateway ends the exchange (and its
		 * half-open SA) at once; its answer reports our error. */
		if (out_len > 0) {
			p.u.eap = FERRY_SPAN(out, out_len);
			return send_eap_round(sa, &p, now_us, error);
		}
		g_propagate_error(error, g_steal_pointer(&sa->eap_error));
		return FALSE;
	case CRYPTO_EAP_PEER_BAD_SERVER:
		return fail_peer_auth(sa, now_us, error,
		                      "the gateway failed EAP's mutual authentication%s%s",
		                      text[0] ? ": " : "", text);
	case CRYPTO_EAP_PEER_UNSUPPORTED:
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PEER_NOTIFY,
		            "the gateway wants an EAP method we do not support%s%s",
		            text[0] ? ": " : "", text);
		return FALSE;
	case CRYPTO_EAP_PEER_MALFORMED:
		break;
	}
	g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
	            "the gateway sent an EAP message we cannot use%s%s", text[0] ? ": " : "", text);
	return FALSE;
}

/* AUTHENTICATION_FAILED: the gateway refused what we authenticated with in this round. */
static gboolean
check_refused(IkeSa *sa, GError **error)
{
	const char *why;

	if (sa->eap_error) {
		g_propagate_error(error, g_steal_pointer(&sa->eap_error));
		return FALSE;
	}
	if (!ike_message_find_notify(sa->msg, IKE_NOTIFY_AUTHENTICATION_FAILED))
		return TRUE;
	if (sa->eap)
		why = "AUTHENTICATION_FAILED: user name or password not accepted";
	else if (sa->config.credential)
		why = "AUTHENTICATION_FAILED: certificate unknown to it, revoked, or not naming "
		      "local-id";
	else
		why = "wrong PSK or identity";
	g_set_error(error, FERRY_ERROR, FERRY_ERROR_AUTH_FAILED,
	            "the gateway rejected our authentication (%s)", why);
	return FALSE;
}

/* Every IKE_AUTH response.  Rounds (RFC 7296 §1.2, §2.16; RFC 4739 §2; RFC 5998 §3):
 * first the gateway's IDr and AUTH (or, EAP-only, IDr alone); with cert+eap our second round
 * with the EAP identity; then EAP requests until EAP-Success, our MSK AUTH, and the last
 * response with the gateway's MSK AUTH and the Child SA. */
gboolean
ike_xchg_auth_process_response(IkeSa *sa, gint64 now_us, GError **error)
{
	if (!check_refused(sa, error))
		return FALSE;
	if (!sa->gateway_verified) {
		if (!authenticate_gateway(sa, now_us, error))
			return FALSE;
		if (sa->config.multi_auth)
			return send_second_round(sa, now_us, error);
	}
	if (!sa->eap)
		return finish_auth(sa, now_us, error);
	if (!sa->eap_auth_sent)
		return process_eap(sa, now_us, error);
	if (!verify_msk_auth(sa, now_us, error))
		return FALSE;
	return finish_auth(sa, now_us, error);
}

/* The IKE SA is up: take the Child SA and configuration of the last IKE_AUTH response. */
static gboolean
finish_auth(IkeSa *sa, gint64 now_us, GError **error)
{
	const IkeMessage *m = sa->msg;
	IkeTs tsi[2], tsr[IKE_MAX_TS];
	guint n_tsi, n_tsr;
	IkeChildSa child = {0};
	IkeProposal chosen;

	g_clear_pointer(&sa->eap, crypto_eap_peer_free);
	/* The IKE SA is up at both ends now; a failed child still needs a DELETE. */
	n_tsi = build_tsi(sa, tsi);
	n_tsr = build_tsr(sa, tsr);
	child.in.spi = sa->auth_spi_in;
	if (!ike_xchg_child_accept(sa, m, tsi, n_tsi, tsr, n_tsr, FALSE, &chosen, &child, error) ||
	    !take_config(sa, now_us, error) ||
	    !ike_xchg_derive_child(sa, &chosen, NULL, sa->ni, sizeof(sa->ni), sa->nr, sa->nr_len,
	                           &child, error)) {
		ike_child_sa_clear(&child);
		ike_xchg_info_send_delete_once(sa, now_us);
		return FALSE;
	}
	ike_xchg_install_child(sa, &child, now_us);
	g_clear_pointer(&sa->init_request, g_free);
	g_clear_pointer(&sa->init_response, g_free);
	ike_sa_arm_timers(sa, TRUE, TRUE, now_us);
	ike_sa_set_state(sa, IKE_STATE_EVENT_AUTH_DONE, now_us);
	g_info("IKE SA %016" G_GINT64_MODIFIER "x established", sa->cur.spi_i);
	return TRUE;
}
