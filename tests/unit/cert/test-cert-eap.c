/* test-cert-eap.c - MS-CHAPv2 known answers (RFC 2759 §9.2, RFC 3079 §3.5.3), the EAP codec
 * (RFC 3748) and the EAP-MSCHAPv2 peer against a scripted authenticator */
#include <string.h>

#include <nettle/md4.h>

#include "crypto-eap.h"
#include "crypto-rng.h"
#include "ferry-test.h"
#include "kat-cert.h"

#define KAT (&kat_rfc2759)

static guint8 *
hex(const char *h)
{
	gsize len;

	return ferry_test_hex(h, &len);
}

/* ---- RFC 2759 / RFC 3079 ------------------------------------------------------------------ */

static void
test_kat_rfc2759(void)
{
	g_autofree guint8 *ac = hex(KAT->authenticator_challenge);
	g_autofree guint8 *pc = hex(KAT->peer_challenge);
	FerrySecret *password = ferry_secret_new_from_string(KAT->password);
	const guint8 *user = (const guint8 *)KAT->user_name;
	size_t user_len = strlen(KAT->user_name);
	guint8 challenge[8], hash[16], hash_hash[16], response[24];
	char auth[CRYPTO_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	struct md4_ctx md4;

	crypto_mschapv2_challenge_hash(pc, ac, user, user_len, challenge);
	ferry_test_assert_hex(challenge, 8, KAT->challenge);
	g_assert_cmpint(crypto_mschapv2_nt_password_hash(password, hash), ==, CRYPTO_OK);
	ferry_test_assert_hex(hash, 16, KAT->password_hash);
	md4_init(&md4);
	md4_update(&md4, 16, hash);
	md4_digest(&md4, 16, hash_hash);
	ferry_test_assert_hex(hash_hash, 16, KAT->password_hash_hash);
	crypto_mschapv2_challenge_response(challenge, hash, response);
	ferry_test_assert_hex(response, 24, KAT->nt_response);
	memset(response, 0, sizeof(response));
	g_assert_cmpint(crypto_mschapv2_nt_response(ac, pc, user, user_len, password, response), ==,
	                CRYPTO_OK);
	ferry_test_assert_hex(response, 24, KAT->nt_response);
	g_assert_cmpint(crypto_mschapv2_authenticator_response(password, response, pc, ac, user,
	                                                       user_len, auth),
	                ==, CRYPTO_OK);
	g_assert_cmpstr(auth, ==, KAT->authenticator_response);
	ferry_secret_free(password);
}

static void
test_kat_rfc3079_msk(void)
{
	g_autofree guint8 *nt = hex(KAT->nt_response);
	FerrySecret *password = ferry_secret_new_from_string(KAT->password);
	FerrySecret *msk = NULL;
	guint8 master[16], k2[16], k3[16], zeros[32] = {0};

	g_assert_cmpint(crypto_mschapv2_master_keys(password, nt, master, k2, k3), ==, CRYPTO_OK);
	ferry_test_assert_hex(master, 16, KAT->master_key);
	ferry_test_assert_hex(k3, 16, KAT->magic3_key);
	ferry_test_assert_hex(k2, 16, KAT->magic2_key);
	g_assert_true(memcmp(k2, k3, 16) != 0);
	g_assert_cmpint(crypto_mschapv2_msk(password, nt, &msk), ==, CRYPTO_OK);
	g_assert_cmpuint(msk->len, ==, CRYPTO_MSCHAPV2_MSK_LEN);
	/* [MS-CHAP] §3.1.5.1: MasterReceiveKey | MasterSendKey (the authenticator's) | 32 zeros */
	g_assert_cmpmem(msk->data, 16, k2, 16);
	g_assert_cmpmem(msk->data + 16, 16, k3, 16);
	g_assert_cmpmem(msk->data + 32, 32, zeros, 32);
	ferry_secret_free(msk);
	ferry_secret_free(password);
}

/* RFC 2759 §8.3: the password in Unicode (UTF-16LE), from our UTF-8. */
static void
test_password_unicode(void)
{
	/* clang-format off */
	const struct {
		const char *utf8;
		const char *utf16le;
	} rows[] = {
		{"", ""},
		{"p\xc3\xa4ss", "7000e40073007300"},
		{"\xe2\x82\xac", "ac20"},
		/* U+1F600 as a surrogate pair */
		{"\xf0\x9f\x98\x80!", "3dd800de2100"},
	};
	/* clang-format on */
	const char *invalid[] = {"\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"};
	guint8 hash[16], want[16];
	struct md4_ctx md4;

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		FerrySecret *pw = ferry_secret_new_from_string(rows[i].utf8);
		gsize len;
		g_autofree guint8 *u16 = ferry_test_hex(rows[i].utf16le, &len);

		md4_init(&md4);
		md4_update(&md4, len, u16);
		md4_digest(&md4, 16, want);
		g_assert_cmpint(crypto_mschapv2_nt_password_hash(pw, hash), ==, CRYPTO_OK);
		g_assert_cmpmem(hash, 16, want, 16);
		ferry_secret_free(pw);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(invalid); i++) {
		FerrySecret *pw = ferry_secret_new_from_string(invalid[i]);

		g_assert_cmpint(crypto_mschapv2_nt_password_hash(pw, hash), ==, CRYPTO_ERR_LENGTH);
		ferry_secret_free(pw);
	}
	/* at most 256 characters */
	char long_pw[258];
	memset(long_pw, 'x', 257);
	long_pw[257] = '\0';
	FerrySecret *pw = ferry_secret_new_from(long_pw, 256);
	g_assert_cmpint(crypto_mschapv2_nt_password_hash(pw, hash), ==, CRYPTO_OK);
	ferry_secret_free(pw);
	pw = ferry_secret_new_from(long_pw, 257);
	g_assert_cmpint(crypto_mschapv2_nt_password_hash(pw, hash), ==, CRYPTO_ERR_LENGTH);
	ferry_secret_free(pw);
}

static void
test_check_authenticator_response(void)
{
	const char *want = KAT->authenticator_response;
	char lower[64];

	g_assert_true(crypto_mschapv2_check_authenticator_response(want, (const guint8 *)want, 42));
	g_strlcpy(lower, want, sizeof(lower));
	for (char *p = lower + 2; *p; p++)
		*p = g_ascii_tolower(*p);
	g_assert_true(
		crypto_mschapv2_check_authenticator_response(want, (const guint8 *)lower, 42));
	lower[41] = lower[41] == '6' ? '7' : '6';
	g_assert_false(
		crypto_mschapv2_check_authenticator_response(want, (const guint8 *)lower, 42));
	g_assert_false(
		crypto_mschapv2_check_authenticator_response(want, (const guint8 *)want, 41));
}

/* ---- EAP codec ------------------------------------------------------------------------------ */

static void
test_eap_decode(void)
{
	/* clang-format off */
	const struct {
		const char *hex;
		CryptoEapStatus want;
		guint8 code, id, type;
		size_t data_len;
	} rows[] = {
		{"01010005 01", CRYPTO_EAP_OK, 1, 1, 1, 0},
		{"0107000a 01 616c696365", CRYPTO_EAP_OK, 1, 7, 1, 5},
		/* padding ignored */
		{"0107000a 01 616c696365 0000", CRYPTO_EAP_OK, 1, 7, 1, 5},
		{"02090006 1a03", CRYPTO_EAP_OK, 2, 9, 26, 1},
		{"03020004", CRYPTO_EAP_OK, 3, 2, 0, 0},
		{"04020004", CRYPTO_EAP_OK, 4, 2, 0, 0},
		{"", CRYPTO_EAP_ERR_TRUNCATED},
		{"010100", CRYPTO_EAP_ERR_TRUNCATED},
		{"01010006 01", CRYPTO_EAP_ERR_TRUNCATED},
		{"01010003", CRYPTO_EAP_ERR_LENGTH},
		{"01010004", CRYPTO_EAP_ERR_LENGTH},
		{"01010005 00", CRYPTO_EAP_ERR_FORMAT},
		{"03020005 00", CRYPTO_EAP_ERR_LENGTH},
		{"05010005 01", CRYPTO_EAP_ERR_FORMAT},
		{"00010005 01", CRYPTO_EAP_ERR_FORMAT},
	};
	/* clang-format on */

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		gsize len;
		g_autofree guint8 *buf = ferry_test_hex(rows[i].hex, &len);
		CryptoEapPacket pkt;

		g_test_message("row %zu", i);
		g_assert_cmpint(crypto_eap_decode(buf, len, &pkt), ==, rows[i].want);
		if (rows[i].want != CRYPTO_EAP_OK)
			continue;
		g_assert_cmpuint(pkt.code, ==, rows[i].code);
		g_assert_cmpuint(pkt.id, ==, rows[i].id);
		g_assert_cmpuint(pkt.type, ==, rows[i].type);
		g_assert_cmpuint(pkt.data.len, ==, rows[i].data_len);
	}
}

static void
test_eap_encode(void)
{
	guint8 out[16];
	size_t len;

	g_assert_cmpint(crypto_eap_encode(CRYPTO_EAP_CODE_RESPONSE, 7, CRYPTO_EAP_TYPE_IDENTITY,
	                                  (const guint8 *)"bob", 3, out, sizeof(out), &len),
	                ==, CRYPTO_EAP_OK);
	ferry_test_assert_hex(out, len, "0207000801626f62");
	g_assert_cmpint(
		crypto_eap_encode(CRYPTO_EAP_CODE_SUCCESS, 9, 0, NULL, 0, out, sizeof(out), &len),
		==, CRYPTO_EAP_OK);
	ferry_test_assert_hex(out, len, "03090004");
	g_assert_cmpint(crypto_eap_encode(CRYPTO_EAP_CODE_RESPONSE, 7, CRYPTO_EAP_TYPE_IDENTITY,
	                                  (const guint8 *)"bob", 3, out, 7, &len),
	                ==, CRYPTO_EAP_ERR_SPACE);
	g_assert_cmpint(
		crypto_eap_encode(CRYPTO_EAP_CODE_SUCCESS, 9, 1, NULL, 0, out, sizeof(out), &len),
		==, CRYPTO_EAP_ERR_FORMAT);
	g_assert_cmpint(
		crypto_eap_encode(CRYPTO_EAP_CODE_REQUEST, 9, 0, NULL, 0, out, sizeof(out), &len),
		==, CRYPTO_EAP_ERR_FORMAT);
}

static void
test_mschapv2_decode(void)
{
	/* clang-format off */
	const struct {
		const char *hex;
		CryptoEapStatus want;
		guint8 op;
		size_t name_or_message_len;
	} rows[] = {
		/* Challenge: OpCode 1, id 5, MS-Length 23, Value-Size 16, challenge, name "gw" */
		{"01050017 10 5B5D7C7D7B3F2F3E3C2C602132262628 6777", CRYPTO_EAP_OK, 1, 2},
		{"01050015 10 5B5D7C7D7B3F2F3E3C2C602132262628", CRYPTO_EAP_OK, 1, 0},
		{"01050015 0f 5B5D7C7D7B3F2F3E3C2C602132262628", CRYPTO_EAP_ERR_FORMAT},
		{"01050014 10 5B5D7C7D7B3F2F3E3C2C6021322626", CRYPTO_EAP_ERR_TRUNCATED},
		{"01050018 10 5B5D7C7D7B3F2F3E3C2C602132262628 6777", CRYPTO_EAP_ERR_TRUNCATED},
		{"03050008 533d3030", CRYPTO_EAP_OK, 3, 4},
		{"04050006 453d", CRYPTO_EAP_OK, 4, 2},
		{"02050004", CRYPTO_EAP_ERR_FORMAT},
		{"040500", CRYPTO_EAP_ERR_TRUNCATED},
		{"04050003", CRYPTO_EAP_ERR_LENGTH},
	};
	/* clang-format on */

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		gsize len;
		g_autofree guint8 *buf = ferry_test_hex(rows[i].hex, &len);
		CryptoMschapv2Request req;

		g_test_message("row %zu", i);
		g_assert_cmpint(crypto_eap_mschapv2_decode_request(FERRY_SPAN(buf, len), &req), ==,
		                rows[i].want);
		if (rows[i].want != CRYPTO_EAP_OK)
			continue;
		g_assert_cmpuint(req.op_code, ==, rows[i].op);
		g_assert_cmpuint(req.ms_id, ==, 5);
		g_assert_cmpuint(req.op_code == 1 ? req.name.len : req.message.len, ==,
		                 rows[i].name_or_message_len);
	}
}

static void
test_mschapv2_failure_text(void)
{
	const char *text = "E=691 R=0 C=00112233445566778899aabbccddeeff V=3 M=Authentication "
			   "failed";
	CryptoMschapv2Failure f;

	crypto_eap_mschapv2_parse_failure(FERRY_SPAN(text, strlen(text)), &f);
	g_assert_cmpuint(f.error, ==, 691);
	g_assert_false(f.retry);
	g_assert_cmpmem(f.message.data, f.message.len, "Authentication failed", 21);
	crypto_eap_mschapv2_parse_failure(FERRY_SPAN("E=648 R=1", 9), &f);
	g_assert_cmpuint(f.error, ==, 648);
	g_assert_true(f.retry);
	g_assert_cmpuint(f.message.len, ==, 0);
	g_assert_cmpstr(crypto_mschapv2_error_to_string(648), ==, "password expired");
	crypto_eap_mschapv2_parse_failure(FERRY_SPAN("E=", 2), &f);
	g_assert_cmpuint(f.error, ==, 0);
	crypto_eap_mschapv2_parse_failure(FERRY_SPAN("", 0), &f);
	g_assert_cmpuint(f.error, ==, 0);
	g_assert_cmpstr(crypto_mschapv2_error_to_string(691), ==, "wrong user name or password");
}

/* ---- the peer, against a scripted authenticator ------------------------------------------- */

static void
rfc_peer_challenge(void *user_data, CryptoRngLevel level, uint8_t *out, size_t len)
{
	gsize n;
	g_autofree guint8 *pc = ferry_test_hex(KAT->peer_challenge, &n);

	g_assert_cmpuint(len, ==, n);
	memcpy(out, pc, len);
}

typedef struct {
	CryptoEapPeer *peer;
	guint8 out[CRYPTO_EAP_RESPONSE_MAX];
	size_t out_len;
	char text[256];
} PeerFixture;

static void
peer_setup(PeerFixture *f, gconstpointer data)
{
	FerrySecret *pw = ferry_secret_new_from_string(data ? (const char *)data : KAT->password);

	crypto_rng_set_source(rfc_peer_challenge, NULL);
	f->peer = crypto_eap_peer_new("alice@example.com", KAT->user_name, pw);
	g_assert_nonnull(f->peer);
	ferry_secret_free(pw);
}

static void
peer_teardown(PeerFixture *f, gconstpointer data)
{
	crypto_eap_peer_free(f->peer);
	crypto_rng_set_source(NULL, NULL);
}

/* An MS-CHAPv2 Success or Failure request carrying `text`, as hex. */
static char *
text_request(guint8 eap_id, guint8 op, guint8 ms_id, const char *text)
{
	size_t n = strlen(text);
	g_autofree char *text_hex = ferry_test_to_hex((const guint8 *)text, n);

	return g_strdup_printf("01%02x%04zx1a%02x%02x%04zx%s", eap_id, 4 + 1 + 4 + n, op, ms_id,
	                       4 + n, text_hex);
}

static CryptoEapPeerResult
feed(PeerFixture *f, const char *packet_hex)
{
	gsize len;
	g_autofree guint8 *pkt = ferry_test_hex(packet_hex, &len);

	return crypto_eap_peer_process(f->peer, pkt, len, f->out, sizeof(f->out), &f->out_len,
	                               f->text, sizeof(f->text));
}

/* Request/Challenge with the RFC 2759 §9.2 authenticator challenge, EAP id 2, MS id 2. */
#define CHALLENGE "0102001a 1a 01020015 10 5B5D7C7D7B3F2F3E3C2C602132262628"
/* our Response: MS-Length 58, Value-Size 49, peer challenge, 8 zeros, NT-Response, flags, "User"
 */
#define RESPONSE                                                                                   \
	"0202003f 1a 0202003a 31 21402324255E262A28295F2B3A337C7E 0000000000000000"                \
	"82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF 00 55736572"

static void
test_peer_success(PeerFixture *f, gconstpointer data)
{
	g_autofree guint8 *nt = hex(KAT->nt_response);
	FerrySecret *pw = ferry_secret_new_from_string(KAT->password);
	FerrySecret *want = NULL;
	g_autofree char *text = g_strdup_printf("%s M=Welcome", KAT->authenticator_response);
	g_autofree char *success = text_request(3, 3, 2, text);

	g_assert_cmpint(feed(f, "01010005 01"), ==, CRYPTO_EAP_PEER_CONTINUE);
	ferry_test_assert_hex(f->out, f->out_len, "02010016 01 616c696365406578616d706c652e636f6d");
	g_assert_cmpint(feed(f, CHALLENGE), ==, CRYPTO_EAP_PEER_CONTINUE);
	ferry_test_assert_hex(f->out, f->out_len, RESPONSE);
	g_assert_null(crypto_eap_peer_get_msk(f->peer));
	g_assert_cmpint(feed(f, success), ==, CRYPTO_EAP_PEER_CONTINUE);
	ferry_test_assert_hex(f->out, f->out_len, "02030006 1a 03");
	g_assert_cmpint(feed(f, "03030004"), ==, CRYPTO_EAP_PEER_SUCCESS);
	g_assert_cmpuint(f->out_len, ==, 0);
	g_assert_cmpint(crypto_mschapv2_msk(pw, nt, &want), ==, CRYPTO_OK);
	g_assert_cmpmem(crypto_eap_peer_get_msk(f->peer)->data, 64, want->data, 64);
	ferry_secret_free(want);
	ferry_secret_free(pw);
}

static void
test_peer_wrong_password(PeerFixture *f, gconstpointer data)
{
	g_autofree char *failure = text_request(3, 4, 2, "E=691 R=0 M=Authentication failed");

	g_assert_cmpint(feed(f, CHALLENGE), ==, CRYPTO_EAP_PEER_CONTINUE);
	g_assert_cmpint(feed(f, failure), ==, CRYPTO_EAP_PEER_WRONG_PASSWORD);
	ferry_test_assert_hex(f->out, f->out_len, "02030006 1a 04");
	g_assert_cmpstr(f->text, ==, "wrong user name or password: Authentication failed");
	g_assert_cmpint(feed(f, "04040004"), ==, CRYPTO_EAP_PEER_WRONG_PASSWORD);
	g_assert_cmpuint(f->out_len, ==, 0);
	g_assert_null(crypto_eap_peer_get_msk(f->peer));
}

static void
test_peer_bad_server(PeerFixture *f, gconstpointer data)
{
	/* one digit off the right authenticator response */
	g_autofree char *success =
		text_request(3, 3, 2, "S=407A5589115FD0D6209F510FE9C04566932CDA57");

	/* EAP-Success before anything is proven */
	g_assert_cmpint(feed(f, "03010004"), ==, CRYPTO_EAP_PEER_BAD_SERVER);
	g_assert_cmpint(feed(f, CHALLENGE), ==, CRYPTO_EAP_PEER_CONTINUE);
	g_assert_cmpint(feed(f, success), ==, CRYPTO_EAP_PEER_BAD_SERVER);
	g_assert_cmpuint(f->out_len, ==, 0);
	g_assert_cmpint(feed(f, "03040004"), ==, CRYPTO_EAP_PEER_BAD_SERVER);
	g_assert_null(crypto_eap_peer_get_msk(f->peer));
}

static void
test_peer_other_requests(PeerFixture *f, gconstpointer data)
{
	/* MD5-Challenge (type 4): legacy Nak asking for MS-CHAPv2 (RFC 3748 §5.3.1) */
	g_assert_cmpint(feed(f, "01050016 04 10 00112233445566778899aabbccddeeff"), ==,
	                CRYPTO_EAP_PEER_CONTINUE);
	ferry_test_assert_hex(f->out, f->out_len, "02050006 03 1a");
	/* Notification: acknowledged empty */
	g_assert_cmpint(feed(f, "01060008 02 686921"), ==, CRYPTO_EAP_PEER_CONTINUE);
	ferry_test_assert_hex(f->out, f->out_len, "02060005 02");
	g_assert_cmpint(feed(f, "0107000d fe 000000 00000001 00"), ==, CRYPTO_EAP_PEER_UNSUPPORTED);
	g_assert_cmpint(feed(f, "02010005 01"), ==, CRYPTO_EAP_PEER_MALFORMED);
	g_assert_cmpint(feed(f, "01010005 03"), ==, CRYPTO_EAP_PEER_MALFORMED);
	g_assert_cmpint(feed(f, "0101"), ==, CRYPTO_EAP_PEER_MALFORMED);
	/* Success request out of order */
	g_assert_cmpint(feed(f, "01030009 1a 03020004"), ==, CRYPTO_EAP_PEER_MALFORMED);
	g_assert_cmpint(feed(f, "04070004"), ==, CRYPTO_EAP_PEER_REJECTED);
}

static void
test_peer_new_limits(void)
{
	FerrySecret *pw = ferry_secret_new_from_string("x");
	char name[300];

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	g_assert_null(crypto_eap_peer_new(name, "u", pw));
	g_assert_null(crypto_eap_peer_new("u", name, pw));
	g_assert_null(crypto_eap_peer_new("u", "u", NULL));
	ferry_secret_free(pw);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/cert/mschapv2/rfc2759-9.2", test_kat_rfc2759);
	g_test_add_func("/ferry/cert/mschapv2/rfc3079-3.5.3-msk", test_kat_rfc3079_msk);
	g_test_add_func("/ferry/cert/mschapv2/password-unicode", test_password_unicode);
	g_test_add_func("/ferry/cert/mschapv2/authenticator-response",
	                test_check_authenticator_response);
	g_test_add_func("/ferry/cert/eap/decode", test_eap_decode);
	g_test_add_func("/ferry/cert/eap/encode", test_eap_encode);
	g_test_add_func("/ferry/cert/eap/mschapv2-decode", test_mschapv2_decode);
	g_test_add_func("/ferry/cert/eap/mschapv2-failure-text", test_mschapv2_failure_text);
	g_test_add("/ferry/cert/eap/peer/success", PeerFixture, NULL, peer_setup, test_peer_success,
	           peer_teardown);
	g_test_add("/ferry/cert/eap/peer/wrong-password", PeerFixture, "wrong", peer_setup,
	           test_peer_wrong_password, peer_teardown);
	g_test_add("/ferry/cert/eap/peer/bad-server", PeerFixture, NULL, peer_setup,
	           test_peer_bad_server, peer_teardown);
	g_test_add("/ferry/cert/eap/peer/other-requests", PeerFixture, NULL, peer_setup,
	           test_peer_other_requests, peer_teardown);
	g_test_add_func("/ferry/cert/eap/peer/limits", test_peer_new_limits);
	return g_test_run();
}
