/* test-ike-eap.c - IKE_AUTH with EAP against the scripted responder's EAP server: EAP-MSCHAPv2
 * and the MSK AUTH payloads (RFC 7296 §2.16), EAP-only authentication (RFC 5998), certificate
 * plus EAP in two rounds (RFC 4739) */
#include <string.h>

#include "cert-test.h"
#include "crypto-cert.h"
#include "ferry-error.h"
#include "ferry-test.h"
#include "ike-test-fixture.h"

#define PASSWORD "ferry-canary-eap-password"

typedef IkeTestFixture Fixture;

/* The gateway's certificate and our trust in it (tests/pki), for the life of one case. */
typedef struct {
	Fixture base;
	FerrySecret *password;
	CryptoCredential *gw_cred, *client_cred;
	CryptoTrust *trust, *gw_trust;
} EapFixture;

static CryptoCredential *
load_cred(const char *cert, const char *key)
{
	g_autofree char *c = cert_test_pki_path(cert);
	g_autofree char *k = cert_test_pki_path(key);
	CryptoCredential *cred = NULL;
	CryptoCertError err;

	g_assert_cmpint(crypto_credential_load(c, k, NULL, &cred, &err), ==, CRYPTO_CERT_OK);
	return cred;
}

static CryptoTrust *
load_trust(const char *ca)
{
	g_autofree char *path = cert_test_pki_path(ca);
	CryptoTrust *t = crypto_trust_new();
	CryptoCertError err;

	g_assert_cmpint(crypto_trust_add_file(t, path, &err), ==, CRYPTO_CERT_OK);
	return t;
}

/* EAP-MSCHAPv2 as alice, the gateway vpn.example.com by an RSA certificate. */
static void
eap_setup(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;

	ike_test_fixture_setup(f, data);
	x->password = ferry_secret_new_from_string(PASSWORD);
	x->gw_cred = load_cred("gw-rsa.crt", "gw-rsa.key");
	x->trust = load_trust("rsa-ca.crt");
	f->cfg.psk = NULL;
	f->cfg.trust = x->trust;
	f->cfg.remote_id_name = "vpn.example.com";
	f->cfg.remote_id_type = 0;
	f->cfg.local_id_type = IKE_ID_RFC822_ADDR;
	f->cfg.local_id = FERRY_SPAN("alice@example.com", 17);
	f->cfg.eap_identity = "alice";
	f->cfg.eap_password = x->password;
	f->gwcfg.id = "vpn.example.com";
	f->gwcfg.credential = x->gw_cred;
	f->gwcfg.eap_user = "alice";
	f->gwcfg.eap_password = PASSWORD;
}

static void
eap_teardown(EapFixture *x, gconstpointer data)
{
	ike_test_fixture_teardown(&x->base, data);
	ferry_secret_free(x->password);
	crypto_credential_free(x->gw_cred);
	crypto_credential_free(x->client_cred);
	crypto_trust_free(x->trust);
	crypto_trust_free(x->gw_trust);
}

static const char *
gw_payloads(Fixture *f, guint i)
{
	GPtrArray *log = ike_test_responder_get_state(f->gw)->payload_log;

	g_assert_cmpuint(i, <, log->len);
	return log->pdata[i];
}

/* Up with EAP: both MSK AUTH payloads checked by the other side, child keys agree. */
static void
assert_established(Fixture *f)
{
	const IkeTestResponderState *gs = ike_test_responder_get_state(f->gw);

	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	g_assert_true(gs->authenticated);
	g_assert_true(gs->msk_auth_ok);
	g_assert_cmpuint(gs->peer_auth_method, ==, IKE_AUTH_PSK);
	g_assert_cmpstr(gs->eap_identity, ==, "alice");
	ike_test_fixture_assert_child_keys(
		f, ike_test_fixture_find_event(f, IKE_EVENT_CHILD_INSTALL, 0));
}

/* What the failure says, and that the SA never came up. */
static void
assert_failed(Fixture *f, int code, const char *want)
{
	const GError *error = ike_test_fixture_closed_error(f);

	g_assert_nonnull(error);
	if (!strstr(error->message, want))
		g_error("'%s' lacks '%s'", error->message, want);
	g_assert_error(error, FERRY_ERROR, code);
	g_assert_null(ike_test_fixture_find_event(f, IKE_EVENT_CHILD_INSTALL, 0));
	for (guint i = 0; i < f->events->len; i++) {
		const IkeTestEv *e = f->events->pdata[i];

		g_assert_false(e->type == IKE_EVENT_STATE_CHANGED &&
		               e->state == IKE_STATE_ESTABLISHED);
	}
}

/* ---- EAP-MSCHAPv2 (RFC 7296 §2.16, RFC 2759, RFC 3079) ---- */

static void
test_mschapv2(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;
	const IkeTestEv *e;

	ike_test_fixture_connect(f);
	assert_established(f);
	/* IKE_AUTH 1 without AUTH asks for EAP; Identity, MS-CHAPv2 Response, Success ack;
	 * then our MSK AUTH alone */
	g_assert_cmpstr(gw_payloads(f, 1), ==,
	                "IDI N(INITIAL_CONTACT) CP N(ESP_TFC_PADDING_NOT_SUPPORTED) SA TSI TSR");
	g_assert_cmpstr(gw_payloads(f, 2), ==, "EAP");
	g_assert_cmpstr(gw_payloads(f, 3), ==, "EAP");
	g_assert_cmpstr(gw_payloads(f, 4), ==, "EAP");
	g_assert_cmpstr(gw_payloads(f, 5), ==, "AUTH");
	g_assert_cmpuint(ike_test_responder_get_state(f->gw)->n_eap, ==, 3);
	g_assert_true(ike_test_responder_get_state(f->gw)->eap_password_ok);
	e = ike_test_fixture_find_event(f, IKE_EVENT_MESSAGE_RECEIVED, 1);
	g_assert_cmpstr(e->payloads, ==, "IDr CERT AUTH EAP");
	e = ike_test_fixture_find_event(f, IKE_EVENT_MESSAGE_RECEIVED, 5);
	g_assert_cmpstr(e->payloads, ==, "AUTH CP(REPLY) SA TSi TSr");
	e = ike_test_fixture_find_event(f, IKE_EVENT_AUTHENTICATED, 0);
	g_assert_true(g_str_has_prefix(e->text, "certificate \"CN=vpn.example.com"));
}

static void
test_wrong_password(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;
	FerrySecret *wrong = ferry_secret_new_from_string("not-the-password");

	f->cfg.eap_password = wrong;
	ike_test_fixture_connect(f);
	ferry_secret_free(wrong);
	assert_failed(f, FERRY_ERROR_AUTH_FAILED,
	              "the gateway rejected our EAP authentication: wrong user name or password");
	g_assert_false(ike_test_responder_get_state(f->gw)->eap_password_ok);
	/* RFC 2759 §6: the Failure was acknowledged, so the gateway ends at once */
	g_assert_true(ike_test_responder_get_state(f->gw)->eap_failure_acked);
	g_assert_false(ike_test_responder_get_state(f->gw)->authenticated);
}

/* RFC 2759 §5: a gateway whose S= value is wrong does not know the password. */
static void
test_bad_authenticator(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;

	f->gwcfg.eap_bad_authenticator = TRUE;
	ike_test_fixture_connect(f);
	assert_failed(f, FERRY_ERROR_PEER_AUTH,
	              "authenticator response is wrong: the gateway did not prove it knows the "
	              "password");
	g_assert_false(ike_test_responder_get_state(f->gw)->msk_auth_ok);
}

/* CVE-2021-45079: EAP-Success right after our MS-CHAPv2 Response, before the gateway
 * proved anything; no MSK, so nothing may be keyed with one. */
static void
test_early_success(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;

	f->gwcfg.eap_early_success = TRUE;
	ike_test_fixture_connect(f);
	assert_failed(f, FERRY_ERROR_PEER_AUTH,
	              "EAP-Success before the gateway authenticated itself");
	/* no AUTH request followed */
	g_assert_cmpuint(ike_test_responder_get_state(f->gw)->n_auth, ==, 3);
	g_assert_false(ike_test_responder_get_state(f->gw)->msk_auth_ok);
}

/* RFC 7296 §2.16: the gateway's last AUTH must be keyed with the same MSK. */
static void
test_bad_msk(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;

	f->gwcfg.eap_bad_msk = TRUE;
	ike_test_fixture_connect(f);
	assert_failed(f, FERRY_ERROR_PEER_AUTH, "its AUTH after EAP does not match the EAP key");
	/* the gateway took ours: only its own was wrong */
	g_assert_true(ike_test_responder_get_state(f->gw)->msk_auth_ok);
}

typedef struct {
	IkeTestEapMangle mangle;
	const char *want; /* NULL: dropped by the codec, the SA still waits */
} MangleCase;

static const MangleCase mangle_length = {IKE_TEST_EAP_MANGLE_LENGTH, NULL};
static const MangleCase mangle_value_size = {IKE_TEST_EAP_MANGLE_VALUE_SIZE,
                                             "the gateway sent an EAP message we cannot use"};
static const MangleCase mangle_opcode = {IKE_TEST_EAP_MANGLE_OPCODE,
                                         "the gateway sent an EAP message we cannot use"};
static const MangleCase mangle_success_first = {IKE_TEST_EAP_MANGLE_SUCCESS_FIRST,
                                                "the gateway sent an EAP message we cannot use"};

/* A malformed EAP payload is dropped (RFC 3748 §4: Length disagrees) or ends the login with
 * a protocol error; it never crashes the engine nor brings the SA up. */
static void
test_malformed(EapFixture *x, gconstpointer data)
{
	const MangleCase *c = data;
	Fixture *f = &x->base;

	f->gwcfg.eap_mangle = c->mangle;
	ike_test_fixture_connect(f);
	if (c->want) {
		assert_failed(f, FERRY_ERROR_PROTOCOL, c->want);
		return;
	}
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_AUTH_SENT);
	g_assert_cmpuint(ike_sa_get_counters(f->sa)->dropped_malformed, ==, 1);
	g_assert_null(ike_test_fixture_find_event(f, IKE_EVENT_CLOSED, 0));
}

/* ---- EAP-only authentication (RFC 5998) ---- */

/* We allow it, the gateway takes it: IDr and EAP only, the gateway proven by MS-CHAPv2's
 * authenticator response and its MSK AUTH. */
static void
test_eap_only(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;
	const IkeTestEv *e;

	f->cfg.eap_only = TRUE;
	f->gwcfg.eap_only = TRUE;
	ike_test_fixture_connect(f);
	assert_established(f);
	g_assert_true(ike_test_responder_get_state(f->gw)->eap_only_asked);
	g_assert_cmpstr(gw_payloads(f, 1), ==,
	                "IDI N(INITIAL_CONTACT) CP N(EAP_ONLY_AUTHENTICATION) "
	                "N(ESP_TFC_PADDING_NOT_SUPPORTED) SA TSI TSR");
	e = ike_test_fixture_find_event(f, IKE_EVENT_MESSAGE_RECEIVED, 1);
	g_assert_cmpstr(e->payloads, ==, "IDr EAP");
	e = ike_test_fixture_find_event(f, IKE_EVENT_AUTHENTICATED, 0);
	g_assert_cmpstr(e->text, ==, "EAP-MSCHAPv2, EAP-only (RFC 5998), gateway vpn.example.com");
	g_assert_null(ike_test_fixture_find_event(f, IKE_EVENT_AUTHENTICATED, 1));
}

/* We allow it, but the gateway still signs: its certificate and AUTH are checked as usual. */
static void
test_eap_only_gateway_signs(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;
	const IkeTestEv *e;

	f->cfg.eap_only = TRUE;
	ike_test_fixture_connect(f);
	assert_established(f);
	e = ike_test_fixture_find_event(f, IKE_EVENT_MESSAGE_RECEIVED, 1);
	g_assert_cmpstr(e->payloads, ==, "IDr CERT AUTH EAP");
	e = ike_test_fixture_find_event(f, IKE_EVENT_AUTHENTICATED, 0);
	g_assert_true(g_str_has_prefix(e->text, "certificate \"CN=vpn.example.com"));
}

/* eap-only=no: a gateway that does not sign is refused, and told so. */
static void
test_eap_only_not_allowed(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;

	f->gwcfg.eap_only = TRUE;
	f->gwcfg.eap_only_unasked = TRUE;
	ike_test_fixture_connect(f);
	assert_failed(f, FERRY_ERROR_PEER_AUTH,
	              "the gateway did not authenticate itself (no AUTH payload): it wants "
	              "EAP-only authentication (RFC 5998), which this profile does not allow "
	              "(eap-only=no)");
	g_assert_false(ike_test_responder_get_state(f->gw)->eap_only_asked);
	g_assert_cmpuint(ike_test_responder_get_state(f->gw)->n_eap, ==, 0);
	/* RFC 7296 §2.21.2: told in an INFORMATIONAL */
	g_assert_cmpstr(gw_payloads(f, 2), ==, "N(AUTHENTICATION_FAILED)");
}

/* Without its AUTH, the gateway's MSK AUTH is all that binds it to this IKE SA. */
static void
test_eap_only_bad_msk(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;

	f->cfg.eap_only = TRUE;
	f->gwcfg.eap_only = TRUE;
	f->gwcfg.eap_bad_msk = TRUE;
	ike_test_fixture_connect(f);
	assert_failed(f, FERRY_ERROR_PEER_AUTH, "its AUTH after EAP does not match the EAP key");
	g_assert_null(ike_test_fixture_find_event(f, IKE_EVENT_AUTHENTICATED, 0));
}

static void
test_eap_only_bad_authenticator(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;

	f->cfg.eap_only = TRUE;
	f->gwcfg.eap_only = TRUE;
	f->gwcfg.eap_bad_authenticator = TRUE;
	ike_test_fixture_connect(f);
	assert_failed(f, FERRY_ERROR_PEER_AUTH, "did not prove it knows the password");
}

/* With a strict remote identity, IDr must name it even when nothing signs it yet. */
static void
test_eap_only_wrong_idr(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;

	f->cfg.eap_only = TRUE;
	f->cfg.remote_id_type = IKE_ID_FQDN;
	f->cfg.remote_id = FERRY_SPAN("other.example.com", 17);
	f->gwcfg.eap_only = TRUE;
	ike_test_fixture_connect(f);
	assert_failed(f, FERRY_ERROR_PEER_AUTH,
	              "the gateway identified itself as vpn.example.com, but we expect "
	              "other.example.com");
}

/* ---- certificate, then EAP (RFC 4739) ---- */

static void
cert_eap_setup(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;

	eap_setup(x, data);
	x->client_cred = load_cred("client-rsa.crt", "client-rsa.key");
	x->gw_trust = load_trust("rsa-ca.crt");
	f->cfg.credential = x->client_cred;
	f->cfg.multi_auth = TRUE;
	f->gwcfg.trust = x->gw_trust;
	f->gwcfg.multi_auth = TRUE;
}

static void
test_cert_eap(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;
	const IkeTestResponderState *gs;
	const IkeTestEv *e;

	ike_test_fixture_connect(f);
	assert_established(f);
	gs = ike_test_responder_get_state(f->gw);
	g_assert_true(gs->multi_auth_announced);
	g_assert_true(gs->another_auth_follows);
	g_assert_true(gs->cert_round_ok);
	g_assert_cmpuint(gs->n_peer_certs, ==, 1);
	e = ike_test_fixture_find_event(f, IKE_EVENT_MESSAGE_SENT, 0);
	g_assert_nonnull(strstr(e->payloads, "N(MULTIPLE_AUTH_SUPPORTED)"));
	e = ike_test_fixture_find_event(f, IKE_EVENT_MESSAGE_SENT, 1);
	g_assert_cmpstr(e->payloads, ==,
	                "IDi CERT N(INITIAL_CONTACT) AUTH CP(REQUEST) N(ANOTHER_AUTH_FOLLOWS) "
	                "N(ESP_TFC_PADDING_NOT_SUPPORTED) SA TSi TSr");
	e = ike_test_fixture_find_event(f, IKE_EVENT_MESSAGE_RECEIVED, 1);
	g_assert_cmpstr(e->payloads, ==, "IDr CERT AUTH");
	/* the second round: the EAP identity, no AUTH */
	e = ike_test_fixture_find_event(f, IKE_EVENT_MESSAGE_SENT, 2);
	g_assert_cmpstr(e->payloads, ==, "IDi");
	e = ike_test_fixture_find_event(f, IKE_EVENT_MESSAGE_RECEIVED, 2);
	g_assert_cmpstr(e->payloads, ==, "EAP");
	e = ike_test_fixture_find_event(f, IKE_EVENT_MESSAGE_SENT, 6);
	g_assert_cmpstr(e->payloads, ==, "AUTH");
	e = ike_test_fixture_find_event(f, IKE_EVENT_AUTHENTICATED, 0);
	g_assert_true(g_str_has_prefix(e->text, "certificate \"CN=vpn.example.com"));
}

static void
test_cert_eap_no_multi_auth(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;

	f->gwcfg.multi_auth = FALSE;
	ike_test_fixture_connect(f);
	assert_failed(f, FERRY_ERROR_PEER_NOTIFY,
	              "auth cert+eap: the gateway did not announce MULTIPLE_AUTH_SUPPORTED "
	              "(RFC 4739)");
	g_assert_cmpuint(ike_test_responder_get_state(f->gw)->n_auth, ==, 0);
}

static void
test_cert_eap_wrong_password(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;
	FerrySecret *wrong = ferry_secret_new_from_string("not-the-password");

	f->cfg.eap_password = wrong;
	ike_test_fixture_connect(f);
	ferry_secret_free(wrong);
	assert_failed(f, FERRY_ERROR_AUTH_FAILED, "wrong user name or password");
	g_assert_true(ike_test_responder_get_state(f->gw)->cert_round_ok);
}

/* The gateway does not trust our certificate: the first round fails, no EAP round. */
static void
test_cert_eap_cert_refused(EapFixture *x, gconstpointer data)
{
	Fixture *f = &x->base;

	crypto_trust_free(x->gw_trust);
	x->gw_trust = load_trust("ec-root.crt");
	f->gwcfg.trust = x->gw_trust;
	ike_test_fixture_connect(f);
	assert_failed(f, FERRY_ERROR_AUTH_FAILED, "certificate unknown to it");
	g_assert_cmpuint(ike_test_responder_get_state(f->gw)->n_eap, ==, 0);
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
#define ADD(path, data, fn) g_test_add(path, EapFixture, data, eap_setup, fn, eap_teardown)
	ADD("/ferry/ike/eap/mschapv2", NULL, test_mschapv2);
	ADD("/ferry/ike/eap/wrong-password", NULL, test_wrong_password);
	ADD("/ferry/ike/eap/bad-authenticator", NULL, test_bad_authenticator);
	ADD("/ferry/ike/eap/early-success", NULL, test_early_success);
	ADD("/ferry/ike/eap/bad-msk", NULL, test_bad_msk);
	ADD("/ferry/ike/eap/malformed-length", &mangle_length, test_malformed);
	ADD("/ferry/ike/eap/malformed-value-size", &mangle_value_size, test_malformed);
	ADD("/ferry/ike/eap/malformed-opcode", &mangle_opcode, test_malformed);
	ADD("/ferry/ike/eap/malformed-success-first", &mangle_success_first, test_malformed);
	ADD("/ferry/ike/eap/eap-only", NULL, test_eap_only);
	ADD("/ferry/ike/eap/eap-only-gateway-signs", NULL, test_eap_only_gateway_signs);
	ADD("/ferry/ike/eap/eap-only-not-allowed", NULL, test_eap_only_not_allowed);
	ADD("/ferry/ike/eap/eap-only-bad-msk", NULL, test_eap_only_bad_msk);
	ADD("/ferry/ike/eap/eap-only-bad-authenticator", NULL, test_eap_only_bad_authenticator);
	ADD("/ferry/ike/eap/eap-only-wrong-idr", NULL, test_eap_only_wrong_idr);
#undef ADD
#define ADD(path, fn) g_test_add(path, EapFixture, NULL, cert_eap_setup, fn, eap_teardown)
	ADD("/ferry/ike/eap/cert-eap", test_cert_eap);
	ADD("/ferry/ike/eap/cert-eap-no-multi-auth", test_cert_eap_no_multi_auth);
	ADD("/ferry/ike/eap/cert-eap-wrong-password", test_cert_eap_wrong_password);
	ADD("/ferry/ike/eap/cert-eap-cert-refused", test_cert_eap_cert_refused);
#undef ADD
	cert_test_pki_init(FALSE);
	ret = g_test_run();
	cert_test_pki_cleanup();
	return ret;
}
