/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gen-ike-sa-corpus.c - writes the seed corpus of fuzz-ike-sa (run once, by hand)
 *
 * Plays whole conversations between the engine (configuration and random stream of
 * fuzz-ike-sa.h) and the unit tests' scripted responder, and records what the responder
 * sent, with the harness's time and command records between.  The two sides draw from
 * separate random streams, so the harness's engine, drawing only its own, makes the same
 * SPIs, nonces and keys and the recorded answers verify.  Not built by meson; to regenerate
 * (from a configured build/):
 *   cc -I client/ike -I client/wire -I client/crypto -I client/base -I client -I tests/unit/ike \
 *      $(pkg-config --cflags glib-2.0 gio-2.0) tests/fuzz/gen-ike-sa-corpus.c \
 *      tests/unit/ike/ike-test-responder.c build/client/ike/libferry-ike.a \
 *      build/client/wire/libferry-wire.a build/client/crypto/libferry-crypto.a \
 *      build/client/base/libferry-base.a build/client/libferry-error.a \
 *      $(pkg-config --libs gio-2.0 gnutls nettle hogweed) -lgmp -o /tmp/gen-ike-sa
 *   /tmp/gen-ike-sa tests/fuzz/corpus/ike-sa
 */
#include <stdio.h>

#include "fuzz-ike-sa.h"
#include "ike-test-responder.h"

static FuzzIkeRng init_rng, gw_rng;
static IkeSa *sa;
static IkeTestResponder *gw;
static GPtrArray *to_gw;
static GByteArray *rec;
static gint64 now;

static void
use_engine_rng(void)
{
	crypto_rng_set_source(fuzz_ike_rng_fill, &init_rng);
}

static void
use_gateway_rng(void)
{
	crypto_rng_set_source(fuzz_ike_rng_fill, &gw_rng);
}

static void
send_cb(gpointer user_data, const uint8_t *data, gsize len)
{
	g_ptr_array_add(to_gw, g_bytes_new(data, len));
}

static void
event_cb(gpointer user_data, const IkeEvent *e)
{
}

static const IkeSaCallbacks callbacks = {send_cb, event_cb};

static void
record(uint8_t op, const guint8 *data, gsize len)
{
	guint8 hdr[3] = {op, (guint8)(len >> 8), (guint8)len};

	g_byte_array_append(rec, hdr, 3);
	g_byte_array_append(rec, data, (guint)len);
	now += 1000; /* as the harness does per record */
}

static void
deliver(GPtrArray *from_gw)
{
	for (guint i = 0; i < from_gw->len; i++) {
		GBytes *b = from_gw->pdata[i];
		gsize len;
		const guint8 *d = g_bytes_get_data(b, &len);

		record(FUZZ_IKE_RECEIVE, d, len);
		use_engine_rng();
		ike_sa_receive(sa, d, len, now);
	}
}

static void
run(void)
{
	while (to_gw->len > 0) {
		g_autoptr(GBytes) b = g_ptr_array_steal_index(to_gw, 0);
		g_autoptr(GPtrArray) replies =
			g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);

		use_gateway_rng();
		ike_test_responder_receive(gw, g_bytes_get_data(b, NULL), g_bytes_get_size(b),
		                           replies);
		deliver(replies);
	}
}

static void
start(const IkeTestResponderConfig *gwcfg, FuzzIkeConfig *c)
{
	IkeTestResponderConfig g = *gwcfg;

	init_rng.state = 0;
	gw_rng.state = 0x5eed;
	now = 1000 * G_USEC_PER_SEC;
	rec = g_byte_array_new();
	to_gw = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	g.psk = g.psk ? g.psk : FUZZ_IKE_PSK;
	g.id = "gw.example";
	g.self = c->cfg.remote_addr;
	g.peer_seen = c->cfg.local_addr;
	use_gateway_rng();
	gw = ike_test_responder_new(&g);
	use_engine_rng();
	sa = ike_sa_new(&c->cfg, &callbacks, NULL, NULL);
	g_assert_nonnull(sa);
	ike_sa_connect(sa, now);
	run();
}

static void
tick(uint8_t seconds)
{
	record(FUZZ_IKE_TICK, &seconds, 1);
	now += (gint64)seconds * G_USEC_PER_SEC;
	use_engine_rng();
	ike_sa_tick(sa, now);
	run();
}

static void
command(uint8_t cmd)
{
	record(FUZZ_IKE_COMMAND, &cmd, 1);
	use_engine_rng();
	switch (cmd) {
	case 0:
		ike_sa_rekey_child(sa, now);
		break;
	case 1:
		ike_sa_rekey_ike(sa, now);
		break;
	case 2:
		ike_sa_check_liveness(sa, now);
		break;
	default:
		ike_sa_disconnect(sa, now);
		break;
	}
	run();
}

static void
gateway(void (*request)(IkeTestResponder *, GPtrArray *))
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);

	use_gateway_rng();
	request(gw, out);
	deliver(out);
	run();
}

static void
finish(const char *dir, const char *name, IkeState want)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;

	if (want != (IkeState)-1 && ike_sa_get_state(sa) != want)
		g_error("%s: ended in %s", name, ike_state_to_string(ike_sa_get_state(sa)));
	if (!g_file_set_contents(path, (const char *)rec->data, rec->len, &error))
		g_error("%s", error->message);
	printf("%s: %u bytes\n", path, rec->len);
	g_clear_pointer(&sa, ike_sa_free);
	g_clear_pointer(&gw, ike_test_responder_free);
	g_clear_pointer(&to_gw, g_ptr_array_unref);
	g_byte_array_unref(rec);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	IkeTestResponderConfig g;
	FuzzIkeConfig c;

	fuzz_ike_config_init(&c);

	memset(&g, 0, sizeof(g));
	start(&g, &c);
	finish(dir, "connect", IKE_STATE_ESTABLISHED);

	start(&g, &c);
	command(2);
	gateway(ike_test_responder_send_liveness);
	gateway(ike_test_responder_send_delete_child);
	finish(dir, "liveness-and-gateway-delete-child", IKE_STATE_CLOSED);

	start(&g, &c);
	command(0);
	command(1);
	command(0);
	command(3);
	finish(dir, "rekeys-and-disconnect", IKE_STATE_CLOSED);

	start(&g, &c);
	gateway(ike_test_responder_send_rekey_child);
	gateway(ike_test_responder_send_rekey_ike);
	gateway(ike_test_responder_send_delete_ike);
	finish(dir, "gateway-rekeys-and-delete", IKE_STATE_CLOSED);

	start(&g, &c);
	tick(30);
	tick(255);
	finish(dir, "timers", IKE_STATE_ESTABLISHED);

	memset(&g, 0, sizeof(g));
	g.want_group = IKE_KE_ECP_256;
	g.want_cookie = TRUE;
	start(&g, &c);
	finish(dir, "cookie-and-invalid-ke", IKE_STATE_ESTABLISHED);

	memset(&g, 0, sizeof(g));
	g.fragment_size = 200;
	g.reverse_fragments = TRUE;
	start(&g, &c);
	finish(dir, "fragmented-auth-response", IKE_STATE_ESTABLISHED);

	memset(&g, 0, sizeof(g));
	g.drop_requests = 1;
	g.duplicate_responses = TRUE;
	start(&g, &c);
	tick(1);
	finish(dir, "retransmit-and-duplicates", IKE_STATE_ESTABLISHED);

	memset(&g, 0, sizeof(g));
	g.no_proposal = TRUE;
	start(&g, &c);
	finish(dir, "no-proposal", IKE_STATE_CLOSED);

	memset(&g, 0, sizeof(g));
	g.auth_failed = TRUE;
	start(&g, &c);
	finish(dir, "auth-failed", IKE_STATE_CLOSED);

	memset(&g, 0, sizeof(g));
	g.bad_auth = TRUE;
	start(&g, &c);
	finish(dir, "bad-responder-auth", IKE_STATE_CLOSED);

	memset(&g, 0, sizeof(g));
	g.narrow_tsr = TRUE;
	start(&g, &c);
	finish(dir, "narrowed-ts", IKE_STATE_ESTABLISHED);

	memset(&g, 0, sizeof(g));
	g.ts_unacceptable = TRUE;
	start(&g, &c);
	finish(dir, "ts-unacceptable", IKE_STATE_CLOSED);

	fuzz_ike_config_clear(&c);
	crypto_rng_set_source(NULL, NULL);
	return 0;
}
