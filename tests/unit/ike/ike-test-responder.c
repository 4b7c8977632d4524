/* ike-test-responder.c - a scripted IKEv2 responder for the engine's exchange tests */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <gnutls/crypto.h>

#include "crypto-auth.h"
#include "crypto-eap.h"
#include "crypto-ke.h"
#include "crypto-prf.h"
#include "crypto-rng.h"
#include "crypto-sig.h"
#include "crypto-xform.h"
#include "ike-sk.h"
#include "ike-test-responder.h"

#define MAX_OUT 24
#define COOKIE  "ferry-test-cookie-0123456789"

typedef struct {
	uint64_t spi_i, spi_r;
	uint16_t prf;
	CryptoXformAlg alg;
	CryptoIkeKeys keys;
	CryptoXform *x_in;  /* initiator -> us: SK_ei/SK_ai */
	CryptoXform *x_out; /* us -> initiator: SK_er/SK_ar */
	uint32_t expect_id; /* next request ID from the initiator */
	uint32_t my_next_id;
	GBytes *last_resp;
	uint32_t last_resp_id;
	gboolean we_init; /* we started the rekey that made it: we set I (RFC 7296 §2.18) */
} Gen;

struct _IkeTestResponder {
	IkeTestResponderConfig cfg;
	char *psk, *id, *peer_id, *claim_id;
	IkeTestResponderState st;
	Gen cur, old;
	gboolean has_old;
	uint8_t ni[256];
	gsize ni_len;
	uint8_t nr[32];
	GBytes *init_req, *init_resp;
	IkeProposal ike_chosen;
	uint32_t peer_hashes;                     /* the initiator's SIGNATURE_HASH_ALGORITHMS */
	uint32_t prev_child_in, prev_child_out;   /* after a rekey, until deleted */
	uint32_t prev2_child_in, prev2_child_out; /* the one before, after a collision */
	/* our CREATE_CHILD_SA rekeying the child, until answered */
	gboolean rekey_pending;
	uint8_t rekey_ni[32];
	uint32_t rekey_spi_in;
	CryptoKe *rekey_ke;
	IkeTs tsi[IKE_MAX_TS], tsr[IKE_MAX_TS];
	guint n_tsi, n_tsr;
	/* our CREATE_CHILD_SA rekeying the IKE SA (RFC 7296 §1.3.2), and the SA a collision
	 * left besides cur and old (§2.8.2) */
	gboolean ike_rekey_pending;
	uint8_t ike_rekey_ni[32];
	uint64_t ike_rekey_spi;
	CryptoKe *ike_rekey_ke;
	Gen extra;
	gboolean has_extra;
	IkeMessage *msg;
	IkeFragBuffer frag; /* RFC 7383: the initiator's fragments */
	guint8 *frag_storage;
	IkePayload *out;
	gsize n_out;
	guint8 *buf;
	struct TestEap *eap; /* the EAP server, once an EAP login started */
};

static void test_eap_free(struct TestEap *e);

static void
gen_clear(Gen *g)
{
	crypto_ike_keys_clear(&g->keys);
	g_clear_pointer(&g->x_in, crypto_xform_free);
	g_clear_pointer(&g->x_out, crypto_xform_free);
	g_clear_pointer(&g->last_resp, g_bytes_unref);
	memset(g, 0, sizeof(*g));
}

IkeTestResponder *
ike_test_responder_new(const IkeTestResponderConfig *config)
{
	IkeTestResponder *r = g_new0(IkeTestResponder, 1);

	r->cfg = *config;
	r->psk = g_strdup(config->psk ? config->psk : "ferry-canary-psk");
	r->id = g_strdup(config->id ? config->id : "gw.example");
	r->peer_id = g_strdup(config->peer_id);
	r->claim_id = g_strdup(config->claim_id);
	r->cfg.psk = r->psk;
	r->cfg.id = r->id;
	r->cfg.peer_id = r->peer_id;
	r->cfg.claim_id = r->claim_id;
	r->msg = g_new0(IkeMessage, 1);
	r->out = g_new0(IkePayload, MAX_OUT);
	r->buf = g_malloc(IKE_MAX_MESSAGE_LEN);
	r->frag_storage = g_malloc(IKE_MAX_MESSAGE_LEN);
	ike_frag_buffer_init(&r->frag, r->frag_storage, IKE_MAX_MESSAGE_LEN);
	r->st.payload_log = g_ptr_array_new_with_free_func(g_free);
	return r;
}

void
ike_test_responder_free(IkeTestResponder *r)
{
	if (!r)
		return;
	gen_clear(&r->cur);
	gen_clear(&r->old);
	gen_clear(&r->extra);
	g_clear_pointer(&r->ike_rekey_ke, crypto_ke_free);
	g_clear_pointer(&r->rekey_ke, crypto_ke_free);
	crypto_child_keys_clear(&r->st.child);
	g_clear_pointer(&r->init_req, g_bytes_unref);
	g_clear_pointer(&r->init_resp, g_bytes_unref);
	g_ptr_array_unref(r->st.payload_log);
	test_eap_free(r->eap);
	g_free(r->st.eap_identity);
	g_free(r->psk);
	g_free(r->id);
	g_free(r->peer_id);
	g_free(r->claim_id);
	g_free(r->msg);
	g_free(r->out);
	g_free(r->buf);
	ike_frag_buffer_reset(&r->frag);
	g_free(r->frag_storage);
	g_free(r);
}

IkeTestResponderConfig *
ike_test_responder_get_config(IkeTestResponder *r)
{
	return &r->cfg;
}

const IkeTestResponderState *
ike_test_responder_get_state(IkeTestResponder *r)
{
	return &r->st;
}

/* ---- building ---- */

static IkePayload *
add(IkeTestResponder *r, uint8_t type)
{
	IkePayload *p;

	g_assert_cmpuint(r->n_out, <, MAX_OUT);
	p = &r->out[r->n_out++];
	memset(p, 0, sizeof(*p));
	p->type = type;
	return p;
}

static void
add_notify(IkeTestResponder *r, uint16_t type, FerrySpan data)
{
	IkePayload *p = add(r, IKE_PAYLOAD_NOTIFY);

	p->u.notify.type = type;
	p->u.notify.data = data;
}

static void
emit_fragments(IkeTestResponder *r, Gen *g, const IkeHeader *hdr, GPtrArray *out)
{
	guint8 *bufs[16];
	size_t lens[16], n = 0;

	for (guint i = 0; i < G_N_ELEMENTS(bufs); i++)
		bufs[i] = g_malloc(IKE_MAX_MESSAGE_LEN);
	g_assert_cmpint(ike_sk_encode_fragments(hdr, r->out, r->n_out, g->x_out,
	                                        r->cfg.fragment_size, bufs, IKE_MAX_MESSAGE_LEN,
	                                        lens, G_N_ELEMENTS(bufs), &n),
	                ==, IKE_WIRE_OK);
	r->n_out = 0;
	g_assert_cmpuint(n, >, 1);
	for (size_t i = 0; i < n; i++) {
		size_t k = r->cfg.reverse_fragments ? n - 1 - i : i;

		g_ptr_array_add(out, g_bytes_new(bufs[k], lens[k]));
	}
	for (guint i = 0; i < G_N_ELEMENTS(bufs); i++)
		g_free(bufs[i]);
}

static void
emit(IkeTestResponder *r, Gen *g, uint8_t exchange, gboolean response, uint32_t mid, GPtrArray *out)
{
	IkeHeader hdr = {
		.spi_i = g->spi_i,
		.spi_r = g->spi_r,
		.version = IKE_VERSION,
		.exchange = exchange,
		.flags = (response ? IKE_FLAG_RESPONSE : 0) | (g->we_init ? IKE_FLAG_INITIATOR : 0),
		.message_id = mid,
	};
	size_t len = 0;
	IkeWireStatus st;
	GBytes *b;

	if (exchange != IKE_EXCHANGE_IKE_SA_INIT && response && r->cfg.fragment_size) {
		emit_fragments(r, g, &hdr, out);
		return;
	}
	if (exchange == IKE_EXCHANGE_IKE_SA_INIT)
		st = ike_message_encode(&hdr, r->out, r->n_out, r->buf, IKE_MAX_MESSAGE_LEN, &len);
	else
		st = ike_sk_encode(&hdr, r->out, r->n_out, g->x_out, r->buf, IKE_MAX_MESSAGE_LEN,
		                   &len);
	g_assert_cmpint(st, ==, IKE_WIRE_OK);
	r->n_out = 0;
	b = g_bytes_new(r->buf, len);
	if (response && exchange != IKE_EXCHANGE_IKE_SA_INIT) {
		g_clear_pointer(&g->last_resp, g_bytes_unref);
		g->last_resp = g_bytes_ref(b);
		g->last_resp_id = mid;
	}
	if (response && r->cfg.duplicate_responses)
		g_ptr_array_add(out, g_bytes_ref(b));
	g_ptr_array_add(out, b);
}

static char *
render(const IkeMessage *m)
{
	GString *s = g_string_new(NULL);

	for (gsize i = 0; i < m->n_payloads; i++) {
		const IkePayload *p = &m->payloads[i];

		if (p->type == IKE_PAYLOAD_SK)
			continue;
		if (s->len)
			g_string_append_c(s, ' ');
		if (p->type == IKE_PAYLOAD_NOTIFY)
			g_string_append_printf(s, "N(%s)", ike_notify_name(p->u.notify.type));
		else
			g_string_append(s, ike_payload_name(p->type));
	}
	return g_string_free(s, FALSE);
}

/* ---- choosing ---- */

static gboolean
has_transform(const IkeProposal *p, uint8_t type, uint16_t id)
{
	for (guint i = 0; i < p->n_transforms; i++) {
		if (p->transforms[i].type == type && p->transforms[i].id == id)
			return TRUE;
	}
	return FALSE;
}

/* The first transform of every type, KE forced to `ke` (0: none). */
static void
choose(const IkeProposal *p, uint16_t ke, IkeProposal *out)
{
	gboolean seen[6] = {FALSE};

	memset(out, 0, sizeof(*out));
	out->number = p->number;
	out->protocol = p->protocol;
	for (guint i = 0; i < p->n_transforms; i++) {
		const IkeTransform *t = &p->transforms[i];

		if (t->type > 5 || seen[t->type] || t->type == IKE_TRANSFORM_KE)
			continue;
		seen[t->type] = TRUE;
		out->transforms[out->n_transforms++] = *t;
	}
	if (ke) {
		out->transforms[out->n_transforms].type = IKE_TRANSFORM_KE;
		out->transforms[out->n_transforms].id = ke;
		out->n_transforms++;
	}
}

static CryptoXformAlg
alg_of(const IkeProposal *p, uint16_t *prf)
{
	CryptoXformAlg alg = {.integ_id = IKE_INTEG_NONE};

	for (guint i = 0; i < p->n_transforms; i++) {
		const IkeTransform *t = &p->transforms[i];

		if (t->type == IKE_TRANSFORM_ENCR) {
			alg.encr_id = t->id;
			alg.key_bits = t->key_bits;
		} else if (t->type == IKE_TRANSFORM_INTEG) {
			alg.integ_id = t->id;
		} else if (t->type == IKE_TRANSFORM_PRF && prf) {
			*prf = t->id;
		}
	}
	return alg;
}

static void
natd(uint64_t spi_i, uint64_t spi_r, const IkeAddr *a, uint8_t out[20])
{
	uint8_t b[34];
	size_t alen = a->family == AF_INET ? 4 : 16;

	ferry_put_be64(b, spi_i);
	ferry_put_be64(b + 8, spi_r);
	memcpy(b + 16, a->addr, alen);
	ferry_put_be16(b + 16 + alen, a->port);
	g_assert_cmpint(gnutls_hash_fast(GNUTLS_DIG_SHA1, b, 16 + alen + 2, out), ==, 0);
}

static void
make_xforms(Gen *g)
{
	CryptoIkeKeys *k = &g->keys;

	g_assert_cmpint(crypto_xform_new(&g->alg, k->sk_ei->data, k->sk_ei->len,
	                                 k->sk_ai ? k->sk_ai->data : NULL,
	                                 k->sk_ai ? k->sk_ai->len : 0,
	                                 g->we_init ? &g->x_out : &g->x_in),
	                ==, CRYPTO_OK);
	g_assert_cmpint(crypto_xform_new(&g->alg, k->sk_er->data, k->sk_er->len,
	                                 k->sk_ar ? k->sk_ar->data : NULL,
	                                 k->sk_ar ? k->sk_ar->len : 0,
	                                 g->we_init ? &g->x_in : &g->x_out),
	                ==, CRYPTO_OK);
}

static FerrySecret *
compute_shared(uint16_t group, FerrySpan peer, CryptoKe **ke)
{
	FerrySecret *shared = NULL;

	g_assert_cmpint(crypto_ke_new(group, ke), ==, CRYPTO_OK);
	g_assert_cmpint(crypto_ke_compute(*ke, peer.data, peer.len, &shared), ==, CRYPTO_OK);
	return shared;
}

/* ---- IKE_SA_INIT ---- */

static void
reply_init_error(
	IkeTestResponder *r, const IkeHeader *hdr, uint16_t type, FerrySpan data, GPtrArray *out)
{
	Gen g = {.spi_i = hdr->spi_i, .spi_r = 0};

	add_notify(r, type, data);
	emit(r, &g, IKE_EXCHANGE_IKE_SA_INIT, TRUE, 0, out);
}

static void
handle_init(IkeTestResponder *r, const guint8 *data, gsize len, GPtrArray *out)
{
	IkeMessage *m = r->msg;
	const IkePayload *sa_p, *ke_p, *no_p;
	const IkeNotifyPayload *n;
	IkeProposal chosen;
	const IkeProposal *pick = NULL;
	CryptoKe *ke = NULL;
	FerrySecret *shared;
	CryptoXformSizes sizes;
	uint8_t group_be[2], h_src[20], h_dst[20], b[8], hashes[16];
	size_t hashes_len = crypto_sig_hash_algorithms_encode(hashes, sizeof(hashes));
	IkePayload *p;

	if (r->init_req && g_bytes_get_size(r->init_req) == len &&
	    memcmp(g_bytes_get_data(r->init_req, NULL), data, len) == 0) {
		g_ptr_array_add(out, g_bytes_ref(r->init_resp)); /* a retransmission */
		return;
	}
	g_assert_cmpint(ike_message_decode(data, len, m), ==, IKE_WIRE_OK);
	r->st.n_init++;
	g_ptr_array_add(r->st.payload_log, render(m));
	if (r->cfg.want_cookie) {
		n = ike_message_find_notify(m, IKE_NOTIFY_COOKIE);
		/* RFC 7296 §2.6: the cookie must come first. */
		if (!n || m->payloads[0].type != IKE_PAYLOAD_NOTIFY ||
		    !ferry_span_equal(n->data, FERRY_SPAN(COOKIE, strlen(COOKIE)))) {
			reply_init_error(r, &m->hdr, IKE_NOTIFY_COOKIE,
			                 FERRY_SPAN(COOKIE, strlen(COOKIE)), out);
			return;
		}
	}
	if (r->cfg.no_proposal) {
		reply_init_error(r, &m->hdr, IKE_NOTIFY_NO_PROPOSAL_CHOSEN, FERRY_SPAN_EMPTY, out);
		return;
	}
	sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	ke_p = ike_message_find(m, IKE_PAYLOAD_KE);
	no_p = ike_message_find(m, IKE_PAYLOAD_NONCE);
	g_assert_nonnull(sa_p);
	g_assert_nonnull(ke_p);
	g_assert_nonnull(no_p);
	if (r->cfg.want_group && ke_p->u.ke.group != r->cfg.want_group) {
		ferry_put_be16(group_be, r->cfg.want_group);
		reply_init_error(r, &m->hdr, IKE_NOTIFY_INVALID_KE_PAYLOAD, FERRY_SPAN(group_be, 2),
		                 out);
		return;
	}
	for (guint i = 0; i < sa_p->u.sa.n_proposals && !pick; i++) {
		if (has_transform(&sa_p->u.sa.proposals[i], IKE_TRANSFORM_KE, ke_p->u.ke.group))
			pick = &sa_p->u.sa.proposals[i];
	}
	g_assert_nonnull(pick);
	choose(pick, ke_p->u.ke.group, &chosen);
	if (r->cfg.wrong_proposal)
		chosen.transforms[0].key_bits = 192;

	gen_clear(&r->cur);
	r->cur.spi_i = m->hdr.spi_i;
	crypto_rng_fill(CRYPTO_RNG_NONCE, b, 8);
	r->cur.spi_r = ferry_get_be64(b) | 1;
	r->cur.expect_id = 1;
	r->cur.alg = alg_of(&chosen, &r->cur.prf);
	r->ike_chosen = chosen;
	r->st.ke_group = ke_p->u.ke.group;
	r->st.spi_i = r->cur.spi_i;
	r->st.spi_r = r->cur.spi_r;
	g_assert_cmpuint(no_p->u.nonce.len, <=, sizeof(r->ni));
	memcpy(r->ni, no_p->u.nonce.data, no_p->u.nonce.len);
	r->ni_len = no_p->u.nonce.len;
	crypto_rng_fill(CRYPTO_RNG_NONCE, r->nr, sizeof(r->nr));
	shared = compute_shared(ke_p->u.ke.group, ke_p->u.ke.data, &ke);
	g_assert_cmpint(crypto_xform_sizes(&r->cur.alg, &sizes), ==, CRYPTO_OK);
	g_assert_cmpint(crypto_keymat_ike(r->cur.prf, shared, r->ni, r->ni_len, r->nr,
	                                  sizeof(r->nr), r->cur.spi_i, r->cur.spi_r,
	                                  sizes.integ_key_len, sizes.enc_key_len, &r->cur.keys),
	                ==, CRYPTO_OK);
	ferry_secret_free(shared);
	make_xforms(&r->cur);

	n = ike_message_find_notify(m, IKE_NOTIFY_SIGNATURE_HASH_ALGORITHMS);
	r->peer_hashes = n ? crypto_sig_hash_algorithms_decode(n->data.data, n->data.len) : 0;
	/* What the initiator claims about its address, against where it appears from. */
	n = ike_message_find_notify(m, IKE_NOTIFY_NAT_DETECTION_SOURCE_IP);
	natd(m->hdr.spi_i, 0, &r->cfg.peer_seen, h_src);
	r->st.nat_seen = !n || n->data.len != 20 || memcmp(n->data.data, h_src, 20) != 0;

	p = add(r, IKE_PAYLOAD_SA);
	p->u.sa.n_proposals = 1;
	p->u.sa.proposals[0] = chosen;
	p = add(r, IKE_PAYLOAD_KE);
	p->u.ke.group = ke_p->u.ke.group;
	p->u.ke.data = crypto_ke_get_public(ke);
	p = add(r, IKE_PAYLOAD_NONCE);
	p->u.nonce = FERRY_SPAN(r->nr, sizeof(r->nr));
	natd(r->cur.spi_i, r->cur.spi_r, &r->cfg.self, h_src);
	natd(r->cur.spi_i, r->cur.spi_r, &r->cfg.peer_seen, h_dst);
	add_notify(r, IKE_NOTIFY_NAT_DETECTION_SOURCE_IP, FERRY_SPAN(h_src, 20));
	add_notify(r, IKE_NOTIFY_NAT_DETECTION_DESTINATION_IP, FERRY_SPAN(h_dst, 20));
	if (!r->cfg.no_fragmentation)
		add_notify(r, IKE_NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED, FERRY_SPAN_EMPTY);
	if (r->cfg.credential && !r->cfg.no_sig_hashes)
		add_notify(r, IKE_NOTIFY_SIGNATURE_HASH_ALGORITHMS, FERRY_SPAN(hashes, hashes_len));
	/* RFC 4739 §3 */
	r->st.multi_auth_announced =
		ike_message_find_notify(m, IKE_NOTIFY_MULTIPLE_AUTH_SUPPORTED) != NULL;
	if (r->cfg.multi_auth)
		add_notify(r, IKE_NOTIFY_MULTIPLE_AUTH_SUPPORTED, FERRY_SPAN_EMPTY);
	emit(r, &r->cur, IKE_EXCHANGE_IKE_SA_INIT, TRUE, 0, out);
	crypto_ke_free(ke);
	g_clear_pointer(&r->init_req, g_bytes_unref);
	g_clear_pointer(&r->init_resp, g_bytes_unref);
	r->init_req = g_bytes_new(data, len);
	r->init_resp = g_bytes_ref(g_ptr_array_index(out, out->len - 1));
}

/* ---- IKE_AUTH ---- */

/* prf(prf(key, "Key Pad for IKEv2"), <signed octets>) with `key`, or the PSK when NULL. */
static FerrySecret *
key_auth(IkeTestResponder *r,
         const FerrySecret *key,
         GBytes *message,
         const uint8_t *nonce,
         gsize nonce_len,
         const FerrySecret *sk_p,
         FerrySpan id_body)
{
	FerrySecret *psk = key ? NULL : ferry_secret_new_from_string(r->psk);
	FerrySecret *auth = ferry_secret_new(crypto_prf_output_size(r->cur.prf));
	uint8_t *octets = NULL;
	size_t octets_len = 0;

	g_assert_cmpint(crypto_auth_signed_octets(r->cur.prf, g_bytes_get_data(message, NULL),
	                                          g_bytes_get_size(message), nonce, nonce_len, sk_p,
	                                          id_body.data, id_body.len, &octets, &octets_len),
	                ==, CRYPTO_OK);
	g_assert_cmpint(
		crypto_auth_psk(r->cur.prf, key ? key : psk, octets, octets_len, auth->data), ==,
		CRYPTO_OK);
	free(octets);
	ferry_secret_free(psk);
	return auth;
}

static FerrySecret *
psk_auth(IkeTestResponder *r,
         GBytes *message,
         const uint8_t *nonce,
         gsize nonce_len,
         const FerrySecret *sk_p,
         FerrySpan id_body)
{
	return key_auth(r, NULL, message, nonce, nonce_len, sk_p, id_body);
}

static uint8_t *
signed_octets(IkeTestResponder *r,
              GBytes *message,
              const uint8_t *nonce,
              gsize nonce_len,
              const FerrySecret *sk_p,
              FerrySpan id_body,
              size_t *len)
{
	uint8_t *octets = NULL;

	g_assert_cmpint(crypto_auth_signed_octets(r->cur.prf, g_bytes_get_data(message, NULL),
	                                          g_bytes_get_size(message), nonce, nonce_len, sk_p,
	                                          id_body.data, id_body.len, &octets, len),
	                ==, CRYPTO_OK);
	return octets;
}

/* The initiator's CERT chain and signature AUTH (RFC 7296 §2.15, §3.6). */
static gboolean
verify_peer_sig(IkeTestResponder *r,
                const IkeMessage *m,
                const IkePayload *idi,
                const IkePayload *auth)
{
	FerrySpan certs[CRYPTO_CERT_CHAIN_MAX];
	CryptoCert *ee = NULL;
	size_t n = 0, len = 0;
	uint8_t *octets;
	gboolean ok;

	for (size_t i = 0; i < m->n_payloads && n < CRYPTO_CERT_CHAIN_MAX; i++)
		if (m->payloads[i].type == IKE_PAYLOAD_CERT)
			certs[n++] = m->payloads[i].u.cert.data;
	r->st.n_peer_certs = (guint)n;
	if (n == 0 || crypto_cert_verify_chain(r->cfg.trust, certs, n, (int64_t)time(NULL), &ee,
	                                       NULL) != CRYPTO_CERT_OK)
		return FALSE;
	octets = signed_octets(r, r->init_req, r->nr, sizeof(r->nr), r->cur.keys.sk_pi,
	                       idi->u.id.body, &len);
	ok = crypto_sig_auth_verify(ee, auth->u.auth.method, auth->u.auth.data.data,
	                            auth->u.auth.data.len, octets, len, NULL,
	                            NULL) == CRYPTO_CERT_OK;
	free(octets);
	crypto_cert_unref(ee);
	return ok;
}

static void
add_cp_reply(IkeTestResponder *r, const IkeCpPayload *req, gboolean *v4, gboolean *v6)
{
	static const uint8_t ip4[4] = {198, 51, 100, 77};
	static const uint8_t dns4[4] = {198, 51, 100, 53};
	static const uint8_t ip6[17] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0,    0, 0,
	                                0,    0,    0,    0,    0, 0, 0x77, 64};
	static const uint8_t dns6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	                                 0,    0,    0,    0,    0, 0, 0, 0x53};
	static const char domain[] = "corp.example";
	IkePayload *p = add(r, IKE_PAYLOAD_CP);
	IkeCpPayload *cp = &p->u.cp;

	cp->cfg_type = IKE_CFG_REPLY;
	for (guint i = 0; i < req->n_attrs; i++) {
		IkeCpAttr *a = &cp->attrs[cp->n_attrs];

		a->type = req->attrs[i].type;
		switch (a->type) {
		case IKE_CP_ATTR_INTERNAL_IP4_ADDRESS:
			a->value = FERRY_SPAN(ip4, 4);
			*v4 = TRUE;
			break;
		case IKE_CP_ATTR_INTERNAL_IP4_DNS:
			a->value = FERRY_SPAN(dns4, 4);
			break;
		case IKE_CP_ATTR_INTERNAL_IP6_ADDRESS:
			a->value = FERRY_SPAN(ip6, 17);
			*v6 = TRUE;
			break;
		case IKE_CP_ATTR_INTERNAL_IP6_DNS:
			a->value = FERRY_SPAN(dns6, 16);
			break;
		case IKE_CP_ATTR_INTERNAL_DNS_DOMAIN:
			a->value = FERRY_SPAN(domain, strlen(domain));
			break;
		default:
			continue;
		}
		cp->n_attrs++;
	}
}

static void
set_ts_addr(IkeTs *ts, uint8_t type, const uint8_t *addr, gsize len)
{
	memset(ts, 0, sizeof(*ts));
	ts->type = type;
	ts->end_port = 0xffff;
	memcpy(ts->start, addr, len);
	memcpy(ts->end, addr, len);
}

/* SA, TSi, TSr of a Child SA answer; derives the child keys. */
static void
add_child(IkeTestResponder *r,
          const IkeMessage *m,
          const FerrySecret *shared,
          const uint8_t *ni,
          gsize ni_len,
          const uint8_t *nr,
          gsize nr_len,
          uint16_t ke)
{
	const IkePayload *sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	IkeProposal chosen;
	CryptoXformAlg alg;
	CryptoXformSizes sizes;
	uint16_t prf_unused = 0;
	uint8_t b[4];
	IkePayload *p;

	g_assert_nonnull(sa_p);
	choose(&sa_p->u.sa.proposals[0], ke, &chosen);
	r->st.child_spi_out = ferry_get_be32(sa_p->u.sa.proposals[0].spi);
	crypto_rng_fill(CRYPTO_RNG_NONCE, b, 4);
	r->st.child_spi_in = ferry_get_be32(b) | 0x1000;
	chosen.spi_size = 4;
	ferry_put_be32(chosen.spi, r->st.child_spi_in);
	alg = alg_of(&chosen, &prf_unused);
	g_assert_cmpint(crypto_xform_sizes(&alg, &sizes), ==, CRYPTO_OK);
	crypto_child_keys_clear(&r->st.child);
	g_assert_cmpint(crypto_keymat_child(r->cur.prf, r->cur.keys.sk_d, shared, ni, ni_len, nr,
	                                    nr_len, sizes.enc_key_len, sizes.integ_key_len,
	                                    &r->st.child),
	                ==, CRYPTO_OK);
	p = add(r, IKE_PAYLOAD_SA);
	p->u.sa.n_proposals = 1;
	p->u.sa.proposals[0] = chosen;
	p = add(r, IKE_PAYLOAD_TSI);
	p->u.ts.n_ts = (uint8_t)r->n_tsi;
	memcpy(p->u.ts.ts, r->tsi, sizeof(IkeTs) * r->n_tsi);
	p = add(r, IKE_PAYLOAD_TSR);
	p->u.ts.n_ts = (uint8_t)r->n_tsr;
	memcpy(p->u.ts.ts, r->tsr, sizeof(IkeTs) * r->n_tsr);
}

/* The IDr payload body of ours (RFC 7296 §3.5), which our AUTH covers. */
static GBytes *
dup_idr_body(IkeTestResponder *r)
{
	const char *claim = r->claim_id ? r->claim_id : r->id;
	guint8 *body = g_malloc0(4 + strlen(claim));

	body[0] = IKE_ID_FQDN;
	memcpy(body + 4, claim, strlen(claim));
	return g_bytes_new_take(body, 4 + strlen(claim));
}

static void
add_idr(IkeTestResponder *r)
{
	const char *claim = r->claim_id ? r->claim_id : r->id;
	IkePayload *p = add(r, IKE_PAYLOAD_IDR);

	p->u.id.id_type = IKE_ID_FQDN;
	p->u.id.data = FERRY_SPAN(claim, strlen(claim));
}

/* [CERT,] AUTH of ours: keyed with `msk` after EAP (RFC 7296 §2.16), else signed with the
 * credential, else keyed with the PSK.  (transfer full) the AUTH value: free it after emit(). */
static FerrySecret *
add_auth(IkeTestResponder *r, const FerrySecret *msk)
{
	g_autoptr(GBytes) idr = dup_idr_body(r);
	FerrySpan idr_body = FERRY_SPAN(g_bytes_get_data(idr, NULL), g_bytes_get_size(idr));
	FerrySecret *mine;
	IkePayload *p;

	if (r->cfg.credential && !msk) {
		uint8_t method;
		CryptoSigScheme scheme;
		size_t len = 0, sig_len = 0;
		uint8_t *octets;

		octets = signed_octets(r, r->init_resp, r->ni, r->ni_len, r->cur.keys.sk_pr,
		                       idr_body, &len);
		mine = ferry_secret_new(CRYPTO_SIG_AUTH_MAX);
		g_assert_cmpint(crypto_sig_choose(crypto_credential_get_key_type(r->cfg.credential),
		                                  r->peer_hashes, FALSE, &method, &scheme, NULL),
		                ==, CRYPTO_CERT_OK);
		g_assert_cmpint(crypto_sig_auth_create(r->cfg.credential, method, scheme, octets,
		                                       len, mine->data, mine->len, &sig_len, NULL),
		                ==, CRYPTO_CERT_OK);
		free(octets);
		mine->len = sig_len;
		if (r->cfg.bad_auth)
			mine->data[sig_len - 1] ^= 0x01;
		p = add(r, IKE_PAYLOAD_CERT);
		p->u.cert.encoding = IKE_CERT_X509_SIGNATURE;
		p->u.cert.data = crypto_cert_get_der(crypto_credential_get_cert(r->cfg.credential));
		p = add(r, IKE_PAYLOAD_AUTH);
		p->u.auth.method = method;
	} else {
		mine = key_auth(r, msk, r->init_resp, r->ni, r->ni_len, r->cur.keys.sk_pr,
		                idr_body);
		if (r->cfg.bad_auth)
			mine->data[0] ^= 0x01;
		p = add(r, IKE_PAYLOAD_AUTH);
		p->u.auth.method = IKE_AUTH_PSK;
	}
	p->u.auth.data = ferry_secret_span(mine);
	return mine;
}

/* [CP,] SA, TSi, TSr of the Child SA the IKE_AUTH request `m` asked for, and the response. */
static void
answer_child(IkeTestResponder *r, const IkeMessage *m, uint32_t mid, GPtrArray *out)
{
	const IkePayload *cp = ike_message_find(m, IKE_PAYLOAD_CP);
	const IkePayload *tsi = ike_message_find(m, IKE_PAYLOAD_TSI);
	const IkePayload *tsr = ike_message_find(m, IKE_PAYLOAD_TSR);
	gboolean v4 = FALSE, v6 = FALSE;

	if (r->cfg.ts_unacceptable || r->cfg.address_failure) {
		add_notify(r,
		           r->cfg.ts_unacceptable ? IKE_NOTIFY_TS_UNACCEPTABLE
		                                  : IKE_NOTIFY_INTERNAL_ADDRESS_FAILURE,
		           FERRY_SPAN_EMPTY);
		emit(r, &r->cur, IKE_EXCHANGE_IKE_AUTH, TRUE, mid, out);
		return;
	}
	if (cp)
		add_cp_reply(r, &cp->u.cp, &v4, &v6);
	g_assert_nonnull(tsi);
	g_assert_nonnull(tsr);
	r->n_tsi = 0;
	if (v4) {
		static const uint8_t ip4[4] = {198, 51, 100, 77};

		set_ts_addr(&r->tsi[r->n_tsi++], IKE_TS_IPV4_ADDR_RANGE, ip4, 4);
	}
	if (v6) {
		static const uint8_t ip6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
		                                0,    0,    0,    0,    0, 0, 0, 0x77};

		set_ts_addr(&r->tsi[r->n_tsi++], IKE_TS_IPV6_ADDR_RANGE, ip6, 16);
	}
	if (r->n_tsi == 0) {
		r->n_tsi = tsi->u.ts.n_ts;
		memcpy(r->tsi, tsi->u.ts.ts, sizeof(IkeTs) * r->n_tsi);
	}
	if (r->cfg.narrow_tsr) {
		IkeTs *t = &r->tsr[0];

		memset(t, 0, sizeof(*t));
		t->type = IKE_TS_IPV4_ADDR_RANGE;
		t->end_port = 0xffff;
		memcpy(t->start, (uint8_t[]){203, 0, 113, 0}, 4);
		memcpy(t->end, (uint8_t[]){203, 0, 113, 255}, 4);
		r->n_tsr = 1;
	} else {
		r->n_tsr = tsr->u.ts.n_ts;
		memcpy(r->tsr, tsr->u.ts.ts, sizeof(IkeTs) * r->n_tsr);
	}
	add_child(r, m, NULL, r->ni, r->ni_len, r->nr, sizeof(r->nr), 0);
	emit(r, &r->cur, IKE_EXCHANGE_IKE_AUTH, TRUE, mid, out);
}

static gboolean eap_handle_auth(IkeTestResponder *r, uint32_t mid, GPtrArray *out);

static void
handle_auth(IkeTestResponder *r, uint32_t mid, GPtrArray *out)
{
	const IkeMessage *m = r->msg;
	const IkePayload *idi = ike_message_find(m, IKE_PAYLOAD_IDI);
	const IkePayload *auth = ike_message_find(m, IKE_PAYLOAD_AUTH);
	FerrySecret *want, *mine;
	gboolean ok;

	r->st.n_auth++;
	if (eap_handle_auth(r, mid, out))
		return;
	g_assert_nonnull(idi);
	g_assert_nonnull(auth);
	r->st.peer_auth_method = auth->u.auth.method;
	r->st.peer_certreq = ike_message_find(m, IKE_PAYLOAD_CERTREQ) != NULL;
	if (r->cfg.trust) {
		ok = verify_peer_sig(r, m, idi, auth);
	} else {
		want = psk_auth(r, r->init_req, r->nr, sizeof(r->nr), r->cur.keys.sk_pi,
		                idi->u.id.body);
		ok = want->len == auth->u.auth.data.len &&
		     memcmp(want->data, auth->u.auth.data.data, want->len) == 0;
		ferry_secret_free(want);
	}
	if (r->peer_id &&
	    !ferry_span_equal(idi->u.id.data, FERRY_SPAN(r->peer_id, strlen(r->peer_id))))
		ok = FALSE;
	if (!ok || r->cfg.auth_failed) {
		add_notify(r, IKE_NOTIFY_AUTHENTICATION_FAILED, FERRY_SPAN_EMPTY);
		emit(r, &r->cur, IKE_EXCHANGE_IKE_AUTH, TRUE, mid, out);
		return;
	}
	r->st.authenticated = TRUE;
	add_idr(r);
	mine = add_auth(r, NULL);
	answer_child(r, m, mid, out);
	ferry_secret_free(mine);
}

/* ---- CREATE_CHILD_SA ---- */

static void
handle_ike_rekey(IkeTestResponder *r, uint32_t mid, GPtrArray *out)
{
	const IkeMessage *m = r->msg;
	const IkePayload *sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	const IkePayload *ke_p = ike_message_find(m, IKE_PAYLOAD_KE);
	const IkePayload *no_p = ike_message_find(m, IKE_PAYLOAD_NONCE);
	Gen fresh = {0};
	IkeProposal chosen;
	CryptoKe *ke = NULL;
	FerrySecret *shared;
	CryptoXformSizes sizes;
	uint8_t nr[32], b[8];
	IkePayload *p;

	g_assert_nonnull(ke_p);
	g_assert_nonnull(no_p);
	choose(&sa_p->u.sa.proposals[0], ke_p->u.ke.group, &chosen);
	fresh.spi_i = ferry_get_be64(sa_p->u.sa.proposals[0].spi);
	crypto_rng_fill(CRYPTO_RNG_NONCE, b, 8);
	fresh.spi_r = ferry_get_be64(b) | 1;
	fresh.alg = alg_of(&chosen, &fresh.prf);
	crypto_rng_fill(CRYPTO_RNG_NONCE, nr, sizeof(nr));
	if (r->cfg.rekey_nonce_fixed)
		memset(nr, r->cfg.rekey_nr_fill, sizeof(nr));
	shared = compute_shared(ke_p->u.ke.group, ke_p->u.ke.data, &ke);
	g_assert_cmpint(crypto_xform_sizes(&fresh.alg, &sizes), ==, CRYPTO_OK);
	g_assert_cmpint(
		crypto_keymat_ike_rekey(fresh.prf, r->cur.keys.sk_d, shared, no_p->u.nonce.data,
	                                no_p->u.nonce.len, nr, sizeof(nr), fresh.spi_i, fresh.spi_r,
	                                sizes.integ_key_len, sizes.enc_key_len, &fresh.keys),
		==, CRYPTO_OK);
	ferry_secret_free(shared);
	make_xforms(&fresh);
	chosen.spi_size = 8;
	ferry_put_be64(chosen.spi, fresh.spi_r);
	p = add(r, IKE_PAYLOAD_SA);
	p->u.sa.n_proposals = 1;
	p->u.sa.proposals[0] = chosen;
	p = add(r, IKE_PAYLOAD_NONCE);
	p->u.nonce = FERRY_SPAN(nr, sizeof(nr));
	p = add(r, IKE_PAYLOAD_KE);
	p->u.ke.group = ke_p->u.ke.group;
	p->u.ke.data = crypto_ke_get_public(ke);
	emit(r, &r->cur, IKE_EXCHANGE_CREATE_CHILD_SA, TRUE, mid, out);
	crypto_ke_free(ke);
	/* The old SA lives on for its DELETE. */
	gen_clear(&r->old);
	r->old = r->cur;
	r->has_old = TRUE;
	r->cur = fresh;
	r->st.spi_i = fresh.spi_i;
	r->st.spi_r = fresh.spi_r;
}

static void
handle_create_child(IkeTestResponder *r, uint32_t mid, GPtrArray *out)
{
	const IkeMessage *m = r->msg;
	const IkePayload *sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	const IkePayload *ke_p = ike_message_find(m, IKE_PAYLOAD_KE);
	const IkePayload *no_p = ike_message_find(m, IKE_PAYLOAD_NONCE);
	const IkeNotifyPayload *rekey = ike_message_find_notify(m, IKE_NOTIFY_REKEY_SA);
	FerrySecret *shared = NULL;
	CryptoKe *ke = NULL;
	uint8_t nr[32];
	IkePayload *p;

	r->st.n_create_child++;
	g_assert_nonnull(sa_p);
	if (sa_p->u.sa.proposals[0].protocol == IKE_PROTO_IKE) {
		handle_ike_rekey(r, mid, out);
		return;
	}
	g_assert_nonnull(rekey);
	g_assert_cmpuint(rekey->spi.len, ==, 4);
	g_assert_cmpuint(ferry_get_be32(rekey->spi.data), ==, r->st.child_spi_out);
	g_assert_nonnull(no_p);
	r->prev_child_in = r->st.child_spi_in;
	r->prev_child_out = r->st.child_spi_out;
	crypto_rng_fill(CRYPTO_RNG_NONCE, nr, sizeof(nr));
	if (r->cfg.rekey_nonce_fixed)
		memset(nr, r->cfg.rekey_nr_fill, sizeof(nr));
	if (ke_p)
		shared = compute_shared(ke_p->u.ke.group, ke_p->u.ke.data, &ke);
	p = add(r, IKE_PAYLOAD_NONCE);
	p->u.nonce = FERRY_SPAN(nr, sizeof(nr));
	if (ke) {
		p = add(r, IKE_PAYLOAD_KE);
		p->u.ke.group = ke_p->u.ke.group;
		p->u.ke.data = crypto_ke_get_public(ke);
	}
	add_child(r, m, shared, no_p->u.nonce.data, no_p->u.nonce.len, nr, sizeof(nr),
	          ke_p ? ke_p->u.ke.group : 0);
	emit(r, &r->cur, IKE_EXCHANGE_CREATE_CHILD_SA, TRUE, mid, out);
	ferry_secret_free(shared);
	crypto_ke_free(ke);
}

/* ---- INFORMATIONAL ---- */

static void
handle_informational(IkeTestResponder *r, Gen *g, uint32_t mid, GPtrArray *out)
{
	const IkeMessage *m = r->msg;
	uint8_t spi[4];

	r->st.n_informational++;
	for (gsize i = 0; i < m->n_payloads; i++) {
		const IkeDeletePayload *d = &m->payloads[i].u.del;

		if (m->payloads[i].type != IKE_PAYLOAD_DELETE)
			continue;
		if (d->protocol == IKE_PROTO_IKE) {
			if (g == &r->cur)
				r->st.deleted = TRUE;
			continue;
		}
		g_assert_cmpuint(d->spi_size, ==, 4);
		r->st.n_child_deleted++;
		if (ferry_get_be32(d->spis.data) == r->prev_child_out) {
			ferry_put_be32(spi, r->prev_child_in);
		} else if (r->prev2_child_out &&
		           ferry_get_be32(d->spis.data) == r->prev2_child_out) {
			ferry_put_be32(spi, r->prev2_child_in); /* a rekey collision (§2.8.1) */
		} else {
			g_assert_cmpuint(ferry_get_be32(d->spis.data), ==, r->st.child_spi_out);
			ferry_put_be32(spi, r->st.child_spi_in);
		}
		{
			IkePayload *p = add(r, IKE_PAYLOAD_DELETE);

			p->u.del.protocol = IKE_PROTO_ESP;
			p->u.del.spi_size = 4;
			p->u.del.n_spi = 1;
			p->u.del.spis = FERRY_SPAN(spi, 4);
		}
	}
	emit(r, g, IKE_EXCHANGE_INFORMATIONAL, TRUE, mid, out);
}

/* ---- dispatch ---- */

/* The initiator's answer to our rekey of the child (RFC 7296 §1.3.3): check it and take the
 * new child's SPIs and keys. */
static void
take_child_rekey(IkeTestResponder *r)
{
	const IkeMessage *m = r->msg;
	const IkePayload *sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	const IkePayload *ke_p = ike_message_find(m, IKE_PAYLOAD_KE);
	const IkePayload *no_p = ike_message_find(m, IKE_PAYLOAD_NONCE);
	const IkePayload *tsi = ike_message_find(m, IKE_PAYLOAD_TSI);
	const IkePayload *tsr = ike_message_find(m, IKE_PAYLOAD_TSR);
	FerrySecret *shared = NULL, *t;
	CryptoXformAlg alg;
	CryptoXformSizes sizes;
	CryptoChildKeys k = {0};

	g_assert_nonnull(sa_p);
	g_assert_nonnull(no_p);
	g_assert_nonnull(tsi);
	g_assert_nonnull(tsr);
	g_assert_cmpuint(sa_p->u.sa.n_proposals, ==, 1);
	g_assert_cmpuint(sa_p->u.sa.proposals[0].spi_size, ==, 4);
	/* TSi is our side now that we initiated */
	g_assert_cmpuint(tsi->u.ts.n_ts, ==, r->n_tsr);
	g_assert_cmpmem(tsi->u.ts.ts, sizeof(IkeTs) * r->n_tsr, r->tsr, sizeof(IkeTs) * r->n_tsr);
	g_assert_cmpuint(tsr->u.ts.n_ts, ==, r->n_tsi);
	if (r->rekey_ke) {
		g_assert_nonnull(ke_p);
		g_assert_cmpuint(ke_p->u.ke.group, ==, crypto_ke_get_group(r->rekey_ke));
		g_assert_cmpint(crypto_ke_compute(r->rekey_ke, ke_p->u.ke.data.data,
		                                  ke_p->u.ke.data.len, &shared),
		                ==, CRYPTO_OK);
	} else {
		g_assert_null(ke_p);
	}
	alg = alg_of(&sa_p->u.sa.proposals[0], NULL);
	g_assert_cmpint(crypto_xform_sizes(&alg, &sizes), ==, CRYPTO_OK);
	/* RFC 7296 §2.17: Ni is ours here, and the first keys are ours -> initiator. */
	g_assert_cmpint(crypto_keymat_child(r->cur.prf, r->cur.keys.sk_d, shared, r->rekey_ni,
	                                    sizeof(r->rekey_ni), no_p->u.nonce.data,
	                                    no_p->u.nonce.len, sizes.enc_key_len,
	                                    sizes.integ_key_len, &k),
	                ==, CRYPTO_OK);
	ferry_secret_free(shared);
	/* st.child keeps initiator-of-IKE_SA (the engine) -> us in enc_i */
	t = k.enc_i, k.enc_i = k.enc_r, k.enc_r = t;
	t = k.integ_i, k.integ_i = k.integ_r, k.integ_r = t;
	crypto_child_keys_clear(&r->st.child);
	r->st.child = k;
	r->prev2_child_in = r->prev_child_in;
	r->prev2_child_out = r->prev_child_out;
	r->prev_child_in = r->st.child_spi_in;
	r->prev_child_out = r->st.child_spi_out;
	r->st.child_spi_in = r->rekey_spi_in;
	r->st.child_spi_out = ferry_get_be32(sa_p->u.sa.proposals[0].spi);
	r->st.n_child_rekeyed++;
}

static void take_ike_rekey(IkeTestResponder *r, Gen *g);
static Gen *find_gen(IkeTestResponder *r, const IkeHeader *hdr);

static void
handle_response(IkeTestResponder *r, guint8 *buf, gsize len)
{
	IkeMessage *m = r->msg;
	IkeHeader hdr;
	Gen *g;

	g_assert_cmpint(ike_header_decode(buf, len, &hdr), ==, IKE_WIRE_OK);
	g = find_gen(r, &hdr);
	g_assert_nonnull(g);
	g_assert_cmpint(ike_message_decode(buf, len, m), ==, IKE_WIRE_OK);
	g_assert_cmpint(ike_sk_decode(g->x_in, buf, len, m), ==, IKE_WIRE_OK);
	g_assert_cmpuint(m->hdr.flags, ==,
	                 IKE_FLAG_RESPONSE | (g->we_init ? 0 : IKE_FLAG_INITIATOR));
	r->st.answered_responses++;
	if (ike_message_find_notify(m, IKE_NOTIFY_TEMPORARY_FAILURE))
		r->st.got_temporary_failure = TRUE;
	r->st.last_notify = 0;
	for (gsize i = 0; i < m->n_payloads && !r->st.last_notify; i++) {
		if (m->payloads[i].type == IKE_PAYLOAD_NOTIFY)
			r->st.last_notify = m->payloads[i].u.notify.type;
	}
	r->st.last_deleted_spi = 0;
	for (gsize i = 0; i < m->n_payloads; i++) {
		const IkeDeletePayload *d = &m->payloads[i].u.del;

		if (m->payloads[i].type == IKE_PAYLOAD_DELETE && d->spi_size == 4 && d->n_spi == 1)
			r->st.last_deleted_spi = ferry_get_be32(d->spis.data);
	}
	if (m->hdr.exchange == IKE_EXCHANGE_CREATE_CHILD_SA && r->ike_rekey_pending) {
		r->ike_rekey_pending = FALSE;
		if (!r->st.last_notify)
			take_ike_rekey(r, g);
		g_clear_pointer(&r->ike_rekey_ke, crypto_ke_free);
		return;
	}
	if (m->hdr.exchange == IKE_EXCHANGE_CREATE_CHILD_SA && r->rekey_pending) {
		r->rekey_pending = FALSE;
		if (!r->st.last_notify || r->st.last_notify >= 16384)
			take_child_rekey(r);
		g_clear_pointer(&r->rekey_ke, crypto_ke_free);
	}
}

void
ike_test_responder_receive(IkeTestResponder *r, const guint8 *data, gsize len, GPtrArray *out)
{
	g_autofree guint8 *buf = g_memdup2(data, len);
	IkeHeader hdr;
	Gen *g;

	g_assert_cmpint(ike_header_decode(buf, len, &hdr), ==, IKE_WIRE_OK);
	if (hdr.flags & IKE_FLAG_RESPONSE) {
		handle_response(r, buf, len);
		return;
	}
	if (r->cfg.drop_requests > 0) {
		r->cfg.drop_requests--;
		r->st.n_dropped++;
		return;
	}
	if (hdr.exchange == IKE_EXCHANGE_IKE_SA_INIT) {
		handle_init(r, buf, len, out);
		return;
	}
	g = find_gen(r, &hdr);
	if (!g)
		return;
	/* RFC 7296 §3.1: I from the original initiator only */
	g_assert_cmpint(!!(hdr.flags & IKE_FLAG_INITIATOR), ==, !g->we_init);
	if (g->last_resp && hdr.message_id == g->last_resp_id) {
		g_ptr_array_add(out, g_bytes_ref(g->last_resp));
		return;
	}
	g_assert_cmpuint(hdr.message_id, ==, g->expect_id);
	g_assert_cmpint(ike_message_decode(buf, len, r->msg), ==, IKE_WIRE_OK);
	if (r->msg->n_payloads > 0 &&
	    r->msg->payloads[r->msg->n_payloads - 1].type == IKE_PAYLOAD_SKF) {
		bool complete = false;

		if (r->cfg.drop_fragments_over && len > r->cfg.drop_fragments_over) {
			/* a path that loses big datagrams (RFC 7383 §2.5.2) */
			r->st.n_big_fragments_dropped++;
			return;
		}
		r->st.n_fragments_in++;
		g_assert_cmpuint(len, <=, 1280);
		g_assert_cmpint(ike_frag_buffer_add(&r->frag, g->x_in, buf, len, r->msg, &complete),
		                ==, IKE_WIRE_OK);
		if (!complete)
			return;
		g_assert_cmpint(ike_frag_buffer_decode(&r->frag, r->msg), ==, IKE_WIRE_OK);
	} else {
		g_assert_cmpint(ike_sk_decode(g->x_in, buf, len, r->msg), ==, IKE_WIRE_OK);
	}
	g->expect_id++;
	g_ptr_array_add(r->st.payload_log, render(r->msg));
	switch (hdr.exchange) {
	case IKE_EXCHANGE_IKE_AUTH:
		handle_auth(r, hdr.message_id, out);
		break;
	case IKE_EXCHANGE_CREATE_CHILD_SA:
		handle_create_child(r, hdr.message_id, out);
		break;
	case IKE_EXCHANGE_INFORMATIONAL:
		handle_informational(r, g, hdr.message_id, out);
		break;
	default:
		g_assert_not_reached();
	}
}

/* ---- requests of the gateway ---- */

static void
send_request(IkeTestResponder *r, uint8_t exchange, GPtrArray *out)
{
	emit(r, &r->cur, exchange, FALSE, r->cur.my_next_id++, out);
}

void
ike_test_responder_send_delete_ike(IkeTestResponder *r, GPtrArray *out)
{
	IkePayload *p = add(r, IKE_PAYLOAD_DELETE);

	p->u.del.protocol = IKE_PROTO_IKE;
	send_request(r, IKE_EXCHANGE_INFORMATIONAL, out);
}

void
ike_test_responder_send_delete_child(IkeTestResponder *r, GPtrArray *out)
{
	uint8_t spi[4];
	IkePayload *p = add(r, IKE_PAYLOAD_DELETE);

	ferry_put_be32(spi, r->st.child_spi_in);
	p->u.del.protocol = IKE_PROTO_ESP;
	p->u.del.spi_size = 4;
	p->u.del.n_spi = 1;
	p->u.del.spis = FERRY_SPAN(spi, 4);
	send_request(r, IKE_EXCHANGE_INFORMATIONAL, out);
}

void
ike_test_responder_send_liveness(IkeTestResponder *r, GPtrArray *out)
{
	send_request(r, IKE_EXCHANGE_INFORMATIONAL, out);
}

void
ike_test_responder_send_rekey_child(IkeTestResponder *r, GPtrArray *out)
{
	ike_test_responder_send_rekey_child_ke(r, r->st.child_spi_in, 0, out);
}

void
ike_test_responder_send_rekey_child_spi(IkeTestResponder *r, uint32_t spi_to_rekey, GPtrArray *out)
{
	ike_test_responder_send_rekey_child_ke(r, spi_to_rekey, 0, out);
}

void
ike_test_responder_send_rekey_child_ke(IkeTestResponder *r,
                                       uint32_t spi_to_rekey,
                                       uint16_t group,
                                       GPtrArray *out)
{
	uint8_t spi[4];
	IkePayload *p;
	IkeProposal *prop;
	IkeNotifyPayload *n;

	ferry_put_be32(spi, spi_to_rekey);
	crypto_rng_fill(CRYPTO_RNG_NONCE, r->rekey_ni, sizeof(r->rekey_ni));
	if (r->cfg.rekey_nonce_fixed)
		memset(r->rekey_ni, r->cfg.rekey_ni_fill, sizeof(r->rekey_ni));
	r->rekey_spi_in = 0x12340000 + r->st.n_child_rekeyed + 1;
	g_clear_pointer(&r->rekey_ke, crypto_ke_free);
	r->rekey_pending = TRUE;
	p = add(r, IKE_PAYLOAD_NOTIFY);
	n = &p->u.notify;
	n->type = IKE_NOTIFY_REKEY_SA;
	n->protocol = IKE_PROTO_ESP;
	n->spi_size = 4;
	n->spi = FERRY_SPAN(spi, 4);
	p = add(r, IKE_PAYLOAD_SA);
	p->u.sa.n_proposals = 1;
	prop = &p->u.sa.proposals[0];
	prop->number = 1;
	prop->protocol = IKE_PROTO_ESP;
	prop->spi_size = 4;
	ferry_put_be32(prop->spi, r->rekey_spi_in);
	prop->transforms[prop->n_transforms++] =
		(IkeTransform){IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256};
	if (group) {
		/* the group of the KE payload first, then one more acceptable */
		prop->transforms[prop->n_transforms++] = (IkeTransform){IKE_TRANSFORM_KE, group, 0};
		if (group != IKE_KE_CURVE25519)
			prop->transforms[prop->n_transforms++] =
				(IkeTransform){IKE_TRANSFORM_KE, IKE_KE_CURVE25519, 0};
	}
	prop->transforms[prop->n_transforms++] = (IkeTransform){IKE_TRANSFORM_ESN, IKE_ESN_NO, 0};
	p = add(r, IKE_PAYLOAD_NONCE);
	p->u.nonce = FERRY_SPAN(r->rekey_ni, sizeof(r->rekey_ni));
	if (group) {
		g_assert_cmpint(crypto_ke_new(group, &r->rekey_ke), ==, CRYPTO_OK);
		p = add(r, IKE_PAYLOAD_KE);
		p->u.ke.group = group;
		p->u.ke.data = crypto_ke_get_public(r->rekey_ke);
	}
	p = add(r, IKE_PAYLOAD_TSI);
	p->u.ts.n_ts = (uint8_t)r->n_tsr;
	memcpy(p->u.ts.ts, r->tsr, sizeof(IkeTs) * r->n_tsr);
	p = add(r, IKE_PAYLOAD_TSR);
	p->u.ts.n_ts = (uint8_t)r->n_tsi;
	memcpy(p->u.ts.ts, r->tsi, sizeof(IkeTs) * r->n_tsi);
	send_request(r, IKE_EXCHANGE_CREATE_CHILD_SA, out);
}

void
ike_test_responder_send_delete_child_spi(IkeTestResponder *r, uint32_t spi, GPtrArray *out)
{
	uint8_t b[4];
	IkePayload *p = add(r, IKE_PAYLOAD_DELETE);

	ferry_put_be32(b, spi);
	p->u.del.protocol = IKE_PROTO_ESP;
	p->u.del.spi_size = 4;
	p->u.del.n_spi = 1;
	p->u.del.spis = FERRY_SPAN(b, 4);
	send_request(r, IKE_EXCHANGE_INFORMATIONAL, out);
}

/* The SA our last rekey replaced, kept until deleted. */
uint32_t
ike_test_responder_get_prev_child_in(IkeTestResponder *r)
{
	return r->prev_child_in;
}

void
ike_test_responder_send_rekey_ike(IkeTestResponder *r, GPtrArray *out)
{
	uint8_t ni[32];
	CryptoKe *ke = NULL;
	IkePayload *p;

	crypto_rng_fill(CRYPTO_RNG_NONCE, ni, sizeof(ni));
	g_assert_cmpint(crypto_ke_new(r->st.ke_group, &ke), ==, CRYPTO_OK);
	p = add(r, IKE_PAYLOAD_SA);
	p->u.sa.n_proposals = 1;
	p->u.sa.proposals[0] = r->ike_chosen;
	p->u.sa.proposals[0].spi_size = 8;
	ferry_put_be64(p->u.sa.proposals[0].spi, G_GUINT64_CONSTANT(0x1122334455667788));
	p = add(r, IKE_PAYLOAD_NONCE);
	p->u.nonce = FERRY_SPAN(ni, sizeof(ni));
	p = add(r, IKE_PAYLOAD_KE);
	p->u.ke.group = r->st.ke_group;
	p->u.ke.data = crypto_ke_get_public(ke);
	send_request(r, IKE_EXCHANGE_CREATE_CHILD_SA, out);
	crypto_ke_free(ke);
}

void
ike_test_responder_send_stray_response(IkeTestResponder *r, uint32_t message_id, GPtrArray *out)
{
	emit(r, &r->cur, IKE_EXCHANGE_INFORMATIONAL, TRUE, message_id, out);
}

/* ---- EAP server (RFC 7296 §2.16; RFC 3748; RFC 2759 over EAP; RFC 5998; RFC 4739) ---- */

typedef enum {
	EAP_IDLE,
	EAP_IDENTITY_SENT,  /* EAP-Request/Identity out */
	EAP_CHALLENGE_SENT, /* MS-CHAPv2 Challenge out */
	EAP_RESULT_SENT,    /* MS-CHAPv2 Success or Failure request out */
	EAP_DONE,           /* EAP-Success out: the MSK AUTH comes next */
	EAP_FAILED,         /* EAP-Failure out */
} TestEapPhase;

struct TestEap {
	TestEapPhase phase;
	uint8_t id;               /* Identifier of our request in flight */
	gboolean cert_round_done; /* RFC 4739: the certificate round was answered */
	uint8_t challenge[CRYPTO_MSCHAPV2_CHALLENGE_LEN];
	uint8_t nt_response[CRYPTO_MSCHAPV2_NT_RESPONSE_LEN];
	gboolean password_ok;
	GBytes *idi_body;  /* the IDi of the EAP round: the initiator's MSK AUTH covers it */
	IkeMessage *first; /* the first IKE_AUTH request: its SA, TSi, TSr, CP are answered
	                    * last (only types and by-value fields are read from it) */
	/* secret */
	FerrySecret *msk;
};

static void
test_eap_free(struct TestEap *e)
{
	if (!e)
		return;
	g_clear_pointer(&e->idi_body, g_bytes_unref);
	g_free(e->first);
	ferry_secret_free(e->msk);
	g_free(e);
}

/* An EAP packet of ours in an IKE_AUTH response, mangled as configured when `mangle`. */
static void
eap_emit(IkeTestResponder *r,
         uint8_t code,
         uint8_t type,
         const uint8_t *data,
         gsize len,
         gboolean mangle,
         uint32_t mid,
         GPtrArray *out)
{
	uint8_t pkt[512];
	size_t pkt_len = 0;
	IkePayload *p;

	g_assert_cmpint(
		crypto_eap_encode(code, r->eap->id, type, data, len, pkt, sizeof(pkt), &pkt_len),
		==, CRYPTO_EAP_OK);
	if (mangle) {
		switch (r->cfg.eap_mangle) {
		case IKE_TEST_EAP_MANGLE_LENGTH: /* dropped by the codec (RFC 3748 §4) */
			ferry_put_be16(pkt + 2, (uint16_t)(pkt_len + 1));
			break;
		case IKE_TEST_EAP_MANGLE_VALUE_SIZE: /* RFC 2759 §3: the Challenge is 16 octets */
			pkt[5 + 4] = 8;
			break;
		case IKE_TEST_EAP_MANGLE_OPCODE: /* no such MS-CHAPv2 OpCode */
			pkt[5] = 9;
			break;
		case IKE_TEST_EAP_MANGLE_SUCCESS_FIRST: /* Success request before any Response */
			pkt[5] = CRYPTO_MSCHAPV2_OP_SUCCESS;
			break;
		default:
			break;
		}
	}
	p = add(r, IKE_PAYLOAD_EAP);
	p->u.eap = FERRY_SPAN(pkt, pkt_len);
	emit(r, &r->cur, IKE_EXCHANGE_IKE_AUTH, TRUE, mid, out);
}

static void
eap_send_identity(IkeTestResponder *r, uint32_t mid, GPtrArray *out)
{
	r->eap->id = 1;
	r->eap->phase = EAP_IDENTITY_SENT;
	eap_emit(r, CRYPTO_EAP_CODE_REQUEST, CRYPTO_EAP_TYPE_IDENTITY, NULL, 0, FALSE, mid, out);
}

/* RFC 2759 §3 over EAP: OpCode 1, MS-CHAPv2-ID, MS-Length, Value-Size 16, Challenge, Name. */
static void
eap_send_challenge(IkeTestResponder *r, uint32_t mid, GPtrArray *out)
{
	static const char name[] = "gw";
	uint8_t body[4 + 1 + 16 + sizeof(name) - 1];

	crypto_rng_fill(CRYPTO_RNG_NONCE, r->eap->challenge, sizeof(r->eap->challenge));
	body[0] = CRYPTO_MSCHAPV2_OP_CHALLENGE;
	body[1] = r->eap->id;
	ferry_put_be16(body + 2, sizeof(body));
	body[4] = 16;
	memcpy(body + 5, r->eap->challenge, 16);
	memcpy(body + 21, name, sizeof(name) - 1);
	r->eap->phase = EAP_CHALLENGE_SENT;
	eap_emit(r, CRYPTO_EAP_CODE_REQUEST, CRYPTO_EAP_TYPE_MSCHAPV2, body, sizeof(body), TRUE,
	         mid, out);
}

/* The peer's MS-CHAPv2 Response (RFC 2759 §4): check its NT-Response with the password we
 * know, then Success "S=<authenticator response> M=..." or Failure "E=691 ..." (§5, §6). */
static void
eap_check_response(IkeTestResponder *r, FerrySpan d, uint32_t mid, GPtrArray *out)
{
	const char *user = r->cfg.eap_user ? r->cfg.eap_user : "alice";
	FerrySecret *password = ferry_secret_new_from_string(r->cfg.eap_password);
	uint8_t want[CRYPTO_MSCHAPV2_NT_RESPONSE_LEN];
	char s[CRYPTO_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	const uint8_t *peer_challenge = d.data + 5;
	g_autofree char *text = NULL;
	uint8_t *body;
	gsize ms_len;

	g_assert_cmpuint(d.len, >=, 54);
	g_assert_cmpuint(d.data[4], ==, 49);
	memcpy(r->eap->nt_response, d.data + 29, 24);
	g_assert_cmpint(crypto_mschapv2_nt_response(r->eap->challenge, peer_challenge, d.data + 54,
	                                            d.len - 54, password, want),
	                ==, CRYPTO_OK);
	r->eap->password_ok = d.len - 54 == strlen(user) &&
	                      memcmp(d.data + 54, user, strlen(user)) == 0 &&
	                      gnutls_memcmp(want, r->eap->nt_response, sizeof(want)) == 0;
	r->st.eap_password_ok = r->eap->password_ok;
	r->eap->id++;
	if (r->cfg.eap_early_success) {
		/* CVE-2021-45079: EAP-Success before the method finished */
		r->eap->phase = EAP_DONE;
		ferry_secret_free(password);
		eap_emit(r, CRYPTO_EAP_CODE_SUCCESS, 0, NULL, 0, FALSE, mid, out);
		return;
	}
	if (r->eap->password_ok) {
		g_assert_cmpint(crypto_mschapv2_authenticator_response(
					password, r->eap->nt_response, peer_challenge,
					r->eap->challenge, d.data + 54, d.len - 54, s),
		                ==, CRYPTO_OK);
		if (r->cfg.eap_bad_authenticator)
			s[2] = s[2] == '0' ? '1' : '0';
		text = g_strdup_printf("%s M=Welcome", s);
	} else {
		text = g_strdup("E=691 R=0 C=00000000000000000000000000000000 V=3 M=Access denied");
	}
	ferry_secret_free(password);
	ms_len = 4 + strlen(text);
	body = g_malloc(ms_len);
	body[0] = r->eap->password_ok ? CRYPTO_MSCHAPV2_OP_SUCCESS : CRYPTO_MSCHAPV2_OP_FAILURE;
	body[1] = r->eap->id;
	ferry_put_be16(body + 2, (uint16_t)ms_len);
	memcpy(body + 4, text, strlen(text));
	r->eap->phase = EAP_RESULT_SENT;
	eap_emit(r, CRYPTO_EAP_CODE_REQUEST, CRYPTO_EAP_TYPE_MSCHAPV2, body, ms_len, FALSE, mid,
	         out);
	g_free(body);
}

/* One EAP Response of the initiator. */
static void
eap_answer(IkeTestResponder *r, const IkePayload *eap, uint32_t mid, GPtrArray *out)
{
	struct TestEap *e = r->eap;
	FerrySecret *password;
	CryptoEapPacket pkt;

	r->st.n_eap++;
	g_assert_cmpint(crypto_eap_decode(eap->u.eap.data, eap->u.eap.len, &pkt), ==,
	                CRYPTO_EAP_OK);
	g_assert_cmpuint(pkt.code, ==, CRYPTO_EAP_CODE_RESPONSE);
	g_assert_cmpuint(pkt.id, ==, e->id);
	if (pkt.type == CRYPTO_EAP_TYPE_IDENTITY) {
		g_assert_cmpint(e->phase, ==, EAP_IDENTITY_SENT);
		g_free(r->st.eap_identity);
		r->st.eap_identity = g_strndup((const char *)pkt.data.data, pkt.data.len);
		e->id++;
		eap_send_challenge(r, mid, out);
		return;
	}
	g_assert_cmpuint(pkt.type, ==, CRYPTO_EAP_TYPE_MSCHAPV2);
	g_assert_cmpuint(pkt.data.len, >=, 1);
	switch (pkt.data.data[0]) {
	case CRYPTO_MSCHAPV2_OP_RESPONSE:
		g_assert_cmpint(e->phase, ==, EAP_CHALLENGE_SENT);
		eap_check_response(r, pkt.data, mid, out);
		return;
	case CRYPTO_MSCHAPV2_OP_SUCCESS:
		/* RFC 3079 §3.4 as IKEv2 uses it: the MSK from the password and NT-Response */
		g_assert_cmpint(e->phase, ==, EAP_RESULT_SENT);
		g_assert_true(e->password_ok);
		password = ferry_secret_new_from_string(r->cfg.eap_password);
		g_clear_pointer(&e->msk, ferry_secret_free);
		g_assert_cmpint(crypto_mschapv2_msk(password, e->nt_response, &e->msk), ==,
		                CRYPTO_OK);
		ferry_secret_free(password);
		e->id++;
		e->phase = EAP_DONE;
		eap_emit(r, CRYPTO_EAP_CODE_SUCCESS, 0, NULL, 0, FALSE, mid, out);
		return;
	case CRYPTO_MSCHAPV2_OP_FAILURE:
		r->st.eap_failure_acked = TRUE;
		e->id++;
		e->phase = EAP_FAILED;
		add_notify(r, IKE_NOTIFY_AUTHENTICATION_FAILED, FERRY_SPAN_EMPTY);
		eap_emit(r, CRYPTO_EAP_CODE_FAILURE, 0, NULL, 0, FALSE, mid, out);
		return;
	default:
		g_assert_not_reached();
	}
}

/* The initiator's last IKE_AUTH: its AUTH keyed with the MSK over the IDi of the EAP round
 * (RFC 7296 §2.16); ours in return, keyed the same way, with the Child SA. */
static void
eap_finish(IkeTestResponder *r, const IkePayload *auth, uint32_t mid, GPtrArray *out)
{
	struct TestEap *e = r->eap;
	FerrySecret *want, *mine, *msk;
	gboolean ok;

	r->st.peer_auth_method = auth->u.auth.method;
	if (!e->msk) { /* EAP-Success without a finished method: nothing to check with */
		add_notify(r, IKE_NOTIFY_AUTHENTICATION_FAILED, FERRY_SPAN_EMPTY);
		emit(r, &r->cur, IKE_EXCHANGE_IKE_AUTH, TRUE, mid, out);
		return;
	}
	want = key_auth(
		r, e->msk, r->init_req, r->nr, sizeof(r->nr), r->cur.keys.sk_pi,
		FERRY_SPAN(g_bytes_get_data(e->idi_body, NULL), g_bytes_get_size(e->idi_body)));
	ok = auth->u.auth.method == IKE_AUTH_PSK && want->len == auth->u.auth.data.len &&
	     gnutls_memcmp(want->data, auth->u.auth.data.data, want->len) == 0;
	ferry_secret_free(want);
	r->st.msk_auth_ok = ok;
	if (!ok) {
		add_notify(r, IKE_NOTIFY_AUTHENTICATION_FAILED, FERRY_SPAN_EMPTY);
		emit(r, &r->cur, IKE_EXCHANGE_IKE_AUTH, TRUE, mid, out);
		return;
	}
	r->st.authenticated = TRUE;
	msk = ferry_secret_dup(e->msk);
	if (r->cfg.eap_bad_msk)
		msk->data[msk->len - 1] ^= 0x01;
	mine = add_auth(r, msk);
	ferry_secret_free(msk);
	answer_child(r, e->first, mid, out);
	ferry_secret_free(mine);
}

/* The first IKE_AUTH of an EAP login, or (RFC 4739) of its second round: IDi without AUTH. */
static void
eap_start(IkeTestResponder *r, const IkePayload *idi, uint32_t mid, GPtrArray *out)
{
	struct TestEap *e = r->eap;
	const IkeMessage *m = r->msg;
	gboolean eap_only;
	FerrySecret *mine = NULL;

	g_assert_nonnull(idi);
	g_clear_pointer(&e->idi_body, g_bytes_unref);
	e->idi_body = g_bytes_new(idi->u.id.body.data, idi->u.id.body.len);
	if (e->cert_round_done) { /* RFC 4739 §2: the second round, EAP alone */
		eap_send_identity(r, mid, out);
		return;
	}
	g_free(e->first);
	e->first = g_memdup2(m, sizeof(*m));
	r->st.eap_only_asked =
		ike_message_find_notify(m, IKE_NOTIFY_EAP_ONLY_AUTHENTICATION) != NULL;
	/* RFC 5998 §2: IDr without CERT and AUTH when the initiator allowed it */
	eap_only = r->cfg.eap_only && (r->st.eap_only_asked || r->cfg.eap_only_unasked);
	add_idr(r);
	if (!eap_only)
		mine = add_auth(r, NULL);
	eap_send_identity(r, mid, out);
	ferry_secret_free(mine);
}

/* RFC 4739 §2: the certificate round, answered with IDr, CERT and AUTH alone. */
static void
eap_cert_round(IkeTestResponder *r,
               const IkePayload *idi,
               const IkePayload *auth,
               uint32_t mid,
               GPtrArray *out)
{
	const IkeMessage *m = r->msg;
	FerrySecret *mine;

	r->st.peer_auth_method = auth->u.auth.method;
	r->st.peer_certreq = ike_message_find(m, IKE_PAYLOAD_CERTREQ) != NULL;
	if (!r->cfg.trust || !verify_peer_sig(r, m, idi, auth)) {
		add_notify(r, IKE_NOTIFY_AUTHENTICATION_FAILED, FERRY_SPAN_EMPTY);
		emit(r, &r->cur, IKE_EXCHANGE_IKE_AUTH, TRUE, mid, out);
		return;
	}
	r->st.cert_round_ok = TRUE;
	r->eap->cert_round_done = TRUE;
	g_free(r->eap->first);
	r->eap->first = g_memdup2(m, sizeof(*m));
	add_idr(r);
	mine = add_auth(r, NULL);
	emit(r, &r->cur, IKE_EXCHANGE_IKE_AUTH, TRUE, mid, out);
	ferry_secret_free(mine);
}

/* IKE_AUTH of an EAP login; FALSE: not ours (no eap_password configured). */
static gboolean
eap_handle_auth(IkeTestResponder *r, uint32_t mid, GPtrArray *out)
{
	const IkeMessage *m = r->msg;
	const IkePayload *idi = ike_message_find(m, IKE_PAYLOAD_IDI);
	const IkePayload *auth = ike_message_find(m, IKE_PAYLOAD_AUTH);
	const IkePayload *eap = ike_message_find(m, IKE_PAYLOAD_EAP);

	if (!r->cfg.eap_password)
		return FALSE;
	if (!r->eap)
		r->eap = g_new0(struct TestEap, 1);
	if (ike_message_find_notify(m, IKE_NOTIFY_ANOTHER_AUTH_FOLLOWS))
		r->st.another_auth_follows = TRUE;
	if (eap)
		eap_answer(r, eap, mid, out);
	else if (auth && r->eap->phase == EAP_DONE)
		eap_finish(r, auth, mid, out);
	else if (auth && ike_message_find_notify(m, IKE_NOTIFY_ANOTHER_AUTH_FOLLOWS))
		eap_cert_round(r, idi, auth, mid, out);
	else if (!auth)
		eap_start(r, idi, mid, out);
	else
		return FALSE; /* an ordinary login */
	return TRUE;
}

/* ---- the gateway rekeys the IKE SA itself (RFC 7296 §1.3.2), collisions (§2.8.2) ---- */

static Gen *
find_gen(IkeTestResponder *r, const IkeHeader *hdr)
{
	Gen *gens[] = {&r->cur, r->has_old ? &r->old : NULL, r->has_extra ? &r->extra : NULL};

	for (guint i = 0; i < G_N_ELEMENTS(gens); i++) {
		if (gens[i] && hdr->spi_i == gens[i]->spi_i && hdr->spi_r == gens[i]->spi_r)
			return gens[i];
	}
	return NULL;
}

/* The initiator's answer to our IKE SA rekey sent on `g`: the new SA, ours as original
 * initiator.  It becomes cur (old = g) unless the initiator's own rekey already replaced
 * cur (a collision): then it waits in extra for ike_test_responder_settle_collision(). */
static void
take_ike_rekey(IkeTestResponder *r, Gen *g)
{
	const IkeMessage *m = r->msg;
	const IkePayload *sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	const IkePayload *ke_p = ike_message_find(m, IKE_PAYLOAD_KE);
	const IkePayload *no_p = ike_message_find(m, IKE_PAYLOAD_NONCE);
	Gen fresh = {0};
	FerrySecret *shared = NULL;
	CryptoXformSizes sizes;

	g_assert_nonnull(sa_p);
	g_assert_nonnull(ke_p);
	g_assert_nonnull(no_p);
	g_assert_cmpuint(sa_p->u.sa.n_proposals, ==, 1);
	g_assert_cmpuint(sa_p->u.sa.proposals[0].spi_size, ==, 8);
	g_assert_cmpuint(ke_p->u.ke.group, ==, crypto_ke_get_group(r->ike_rekey_ke));
	g_assert_cmpint(crypto_ke_compute(r->ike_rekey_ke, ke_p->u.ke.data.data,
	                                  ke_p->u.ke.data.len, &shared),
	                ==, CRYPTO_OK);
	fresh.we_init = TRUE;
	fresh.spi_i = r->ike_rekey_spi;
	fresh.spi_r = ferry_get_be64(sa_p->u.sa.proposals[0].spi);
	fresh.alg = alg_of(&sa_p->u.sa.proposals[0], &fresh.prf);
	g_assert_cmpint(crypto_xform_sizes(&fresh.alg, &sizes), ==, CRYPTO_OK);
	/* RFC 7296 §2.18: SK_d of the SA the exchange ran on, our nonce first */
	g_assert_cmpint(crypto_keymat_ike_rekey(fresh.prf, g->keys.sk_d, shared, r->ike_rekey_ni,
	                                        sizeof(r->ike_rekey_ni), no_p->u.nonce.data,
	                                        no_p->u.nonce.len, fresh.spi_i, fresh.spi_r,
	                                        sizes.integ_key_len, sizes.enc_key_len,
	                                        &fresh.keys),
	                ==, CRYPTO_OK);
	ferry_secret_free(shared);
	make_xforms(&fresh);
	r->st.n_ike_rekeyed++;
	if (g != &r->cur) {
		gen_clear(&r->extra);
		r->extra = fresh;
		r->has_extra = TRUE;
		return;
	}
	gen_clear(&r->old);
	r->old = r->cur;
	r->has_old = TRUE;
	r->cur = fresh;
	r->st.spi_i = fresh.spi_i;
	r->st.spi_r = fresh.spi_r;
}

void
ike_test_responder_start_rekey_ike(IkeTestResponder *r, GPtrArray *out)
{
	uint8_t b[8];
	IkePayload *p;

	crypto_rng_fill(CRYPTO_RNG_NONCE, r->ike_rekey_ni, sizeof(r->ike_rekey_ni));
	if (r->cfg.rekey_nonce_fixed)
		memset(r->ike_rekey_ni, r->cfg.rekey_ni_fill, sizeof(r->ike_rekey_ni));
	crypto_rng_fill(CRYPTO_RNG_NONCE, b, sizeof(b));
	r->ike_rekey_spi = ferry_get_be64(b) | 1;
	g_clear_pointer(&r->ike_rekey_ke, crypto_ke_free);
	g_assert_cmpint(crypto_ke_new(r->st.ke_group, &r->ike_rekey_ke), ==, CRYPTO_OK);
	r->ike_rekey_pending = TRUE;
	p = add(r, IKE_PAYLOAD_SA);
	p->u.sa.n_proposals = 1;
	p->u.sa.proposals[0] = r->ike_chosen;
	p->u.sa.proposals[0].spi_size = 8;
	ferry_put_be64(p->u.sa.proposals[0].spi, r->ike_rekey_spi);
	p = add(r, IKE_PAYLOAD_NONCE);
	p->u.nonce = FERRY_SPAN(r->ike_rekey_ni, sizeof(r->ike_rekey_ni));
	p = add(r, IKE_PAYLOAD_KE);
	p->u.ke.group = r->st.ke_group;
	p->u.ke.data = crypto_ke_get_public(r->ike_rekey_ke);
	send_request(r, IKE_EXCHANGE_CREATE_CHILD_SA, out);
}

void
ike_test_responder_send_delete_ike_on(IkeTestResponder *r, IkeTestGen which, GPtrArray *out)
{
	Gen *g = which == IKE_TEST_GEN_OLD     ? &r->old
	         : which == IKE_TEST_GEN_EXTRA ? &r->extra
	                                       : &r->cur;
	IkePayload *p = add(r, IKE_PAYLOAD_DELETE);

	g_assert_true(which == IKE_TEST_GEN_CUR ||
	              (which == IKE_TEST_GEN_OLD ? r->has_old : r->has_extra));
	p->u.del.protocol = IKE_PROTO_IKE;
	emit(r, g, IKE_EXCHANGE_INFORMATIONAL, FALSE, g->my_next_id++, out);
}

void
ike_test_responder_settle_collision(IkeTestResponder *r, gboolean ours_stays)
{
	Gen t;

	g_assert_true(r->has_extra);
	if (!ours_stays)
		return;
	t = r->cur;
	r->cur = r->extra;
	r->extra = t;
	r->st.spi_i = r->cur.spi_i;
	r->st.spi_r = r->cur.spi_r;
}

void
ike_test_responder_forget(IkeTestResponder *r, IkeTestGen which)
{
	if (which == IKE_TEST_GEN_OLD) {
		gen_clear(&r->old);
		r->has_old = FALSE;
	} else if (which == IKE_TEST_GEN_EXTRA) {
		gen_clear(&r->extra);
		r->has_extra = FALSE;
	}
}

uint64_t
ike_test_responder_get_spi(IkeTestResponder *r, IkeTestGen which, gboolean initiator)
{
	Gen *g = which == IKE_TEST_GEN_OLD     ? &r->old
	         : which == IKE_TEST_GEN_EXTRA ? &r->extra
	                                       : &r->cur;

	return initiator ? g->spi_i : g->spi_r;
}
