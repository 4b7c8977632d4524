/* test-gui-timeline-rows.c - timeline events folded into the GUI's steps (FerryTimelineRows) */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "ferry-timeline-rows.h"

/* One event as nm-ferry-service sends it: type, time, details in GVariant text format. */
typedef struct {
	const char *type;
	double time;
	const char *details;
} Ev;

#define SENT(x, id, n, t)                                                                          \
	{                                                                                          \
		"sent", t,                                                                         \
			"{'exchange': <'" x "'>, 'message_id': <@u " #id ">, 'bytes': <@t " #n     \
			">, 'payloads': <'SA KE No'>, 'retransmit': <false>}"                      \
	}
#define RESENT(x, id, n, t)                                                                        \
	{                                                                                          \
		"sent", t,                                                                         \
			"{'exchange': <'" x "'>, 'message_id': <@u " #id ">, 'bytes': <@t " #n     \
			">, 'retransmit': <true>}"                                                 \
	}
#define RECEIVED(x, id, n, t)                                                                      \
	{                                                                                          \
		"received", t,                                                                     \
			"{'exchange': <'" x "'>, 'message_id': <@u " #id ">, 'bytes': <@t " #n     \
			">}"                                                                       \
	}

static const Ev connect_ok[] = {
	{"state",         0.0,   "{'state': <'INIT_SENT'>}"                                     },
	SENT("IKE_SA_INIT", 0, 312, 0.001),
	RECEIVED("IKE_SA_INIT", 0, 280, 0.004),
	{"ike-proposal",  0.005, "{'proposal': <'AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519'>}"},
	SENT("IKE_AUTH", 1, 400, 0.006),
	RECEIVED("IKE_AUTH", 1, 380, 0.012),
	{"authenticated", 0.013, "{'method': <'PSK'>, 'peer': <'gw.example.net'>}"              },
	{"config",        0.013,
         "{'ip4': <'203.0.113.130'>, 'dns': <['203.0.113.53']>, 'domains': <@as []>}"           },
	{"child-sa",      0.014,
         "{'protocol': <'ESP'>, 'mode': <'tunnel'>, 'proposal': <'AES_GCM_16_256/ESN'>, "
         "'spi_in': <'c0ffee01'>, 'spi_out': <'0badcafe'>, 'ts_local': <['203.0.113.130/32']>, "
         "'ts_remote': <['203.0.113.0/25']>}"						   },
	{"up",            0.020,
         "{'tun': <'tun0'>, 'ip4': <'203.0.113.130/32'>, 'dns': <['203.0.113.53']>, "
         "'routes': <['203.0.113.0/25']>}"						      },
	{"stats",         2.0,
         "{'bytes_in': <@t 2048>, 'bytes_out': <@t 1024>, 'packets_in': <@t 4>, "
         "'packets_out': <@t 3>, 'dropped': <@t 0>}"                                            },
};

static void
feed(FerryTimelineRows *rows, const Ev *evs, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) d =
			g_variant_parse(G_VARIANT_TYPE_VARDICT, evs[i].details, NULL, NULL, &error);

		g_assert_no_error(error);

		g_assert_true(g_variant_is_of_type(d, G_VARIANT_TYPE_VARDICT));
		ferry_timeline_rows_add_event(rows, evs[i].type, evs[i].time, d);
	}
}

static void
feed_one(FerryTimelineRows *rows, const char *type, double time, const char *details)
{
	Ev ev = {type, time, details};

	feed(rows, &ev, 1);
}

static const FerryTimelineRow *
row_at(FerryTimelineRows *rows, guint i, FerryTimelineStep step, FerryTimelineStatus status)
{
	const FerryTimelineRow *row;

	g_assert_cmpuint(i, <, ferry_timeline_rows_get_n_rows(rows));
	row = ferry_timeline_rows_get_row(rows, i);
	g_assert_cmpint(row->step, ==, step);
	g_assert_cmpstr(ferry_timeline_status_to_string(row->status), ==,
	                ferry_timeline_status_to_string(status));
	return row;
}

static gboolean
has_line(const FerryTimelineRow *row, const char *needle)
{
	for (guint i = 0; i < row->lines->len; i++) {
		if (strstr(row->lines->pdata[i], needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

static void
test_connect(void)
{
	g_autoptr(FerryTimelineRows) rows = ferry_timeline_rows_new();
	g_autofree char *text = NULL;
	const FerryTimelineRow *row;
	const FerryTimelineMessage *m;

	feed(rows, connect_ok, G_N_ELEMENTS(connect_ok));
	g_assert_cmpuint(ferry_timeline_rows_get_n_rows(rows), ==, 4);

	row = row_at(rows, 0, FERRY_TIMELINE_STEP_IKE_SA_INIT, FERRY_TIMELINE_DONE);
	g_assert_cmpstr(row->title, ==, "IKE_SA_INIT");
	g_assert_cmpstr(row->summary, ==, "AES-GCM-256 · PRF HMAC-SHA2-256 · Curve25519");
	g_assert_cmpstr(row->iana, ==, "AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519");
	g_assert_cmpuint(row->messages->len, ==, 2);
	m = &g_array_index(row->messages, FerryTimelineMessage, 0);
	g_assert_cmpint(m->direction, ==, FERRY_TIMELINE_SENT);
	g_assert_cmpuint(m->bytes, ==, 312);
	m = &g_array_index(row->messages, FerryTimelineMessage, 1);
	g_assert_cmpint(m->direction, ==, FERRY_TIMELINE_RECEIVED);
	g_assert_cmpfloat_with_epsilon(m->time, 0.004, 1e-9);
	g_assert_null(row->error);

	row = row_at(rows, 1, FERRY_TIMELINE_STEP_IKE_AUTH, FERRY_TIMELINE_DONE);
	g_assert_cmpstr(row->summary, ==, "Gateway authenticated by pre-shared key");
	g_assert_true(has_line(row, "gw.example.net"));
	g_assert_cmpuint(row->messages->len, ==, 2);

	row = row_at(rows, 2, FERRY_TIMELINE_STEP_CHILD_SA, FERRY_TIMELINE_DONE);
	g_assert_cmpstr(row->summary, ==, "AES-GCM-256 · extended sequence numbers");
	g_assert_cmpstr(row->iana, ==, "AES_GCM_16_256/ESN");
	g_assert_true(has_line(row, "203.0.113.130/32 ⇄ 203.0.113.0/25"));
	g_assert_true(has_line(row, "SPI in c0ffee01, out 0badcafe"));
	g_assert_true(has_line(row, "Virtual IP: 203.0.113.130"));
	g_assert_true(has_line(row, "DNS: 203.0.113.53"));

	row = row_at(rows, 3, FERRY_TIMELINE_STEP_TRAFFIC, FERRY_TIMELINE_ACTIVE);
	g_assert_cmpstr(row->summary, ==, "Tunnel tun0 · 203.0.113.130/32");
	g_assert_cmpstr(row->lines->pdata[0], ==,
	                "↓ 2.0 KiB in (4 packets) · ↑ 1.0 KiB out (3 packets) · 0 dropped");
	g_assert_true(has_line(row, "Routes: 203.0.113.0/25"));
	g_assert_cmpfloat_with_epsilon(row->start, 0.020, 1e-9);

	/* Live counters replace the line, never add one. */
	ferry_timeline_rows_set_stats(rows, 5 * 1024 * 1024, 100, 5000, 1, 2);
	g_assert_cmpstr(row->lines->pdata[0], ==,
	                "↓ 5.0 MiB in (5000 packets) · ↑ 100 bytes out (1 packets) · 2 dropped");
	g_assert_cmpuint(row->lines->len, ==, 2);

	text = ferry_timeline_rows_to_text(rows);
	g_assert_true(g_str_has_prefix(text, "IKE_SA_INIT [done] +1 ms\n"
	                                     "  AES-GCM-256 · PRF HMAC-SHA2-256 · Curve25519\n"
	                                     "  AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519\n"
	                                     "  → sent msg 0, 312 bytes +1 ms\n"
	                                     "  ← received msg 0, 280 bytes +4 ms\n"
	                                     "IKE_AUTH [done] +6 ms\n"));
	g_assert_nonnull(strstr(text, "Protected traffic [active] +20 ms\n"));
}

/* RFC 7296 §1.2: INVALID_KE_PAYLOAD, then IKE_SA_INIT again with the group the gateway named. */
static void
test_ke_retry(void)
{
	static const Ev evs[] = {
		SENT("IKE_SA_INIT", 0, 312, 0.001),
		RECEIVED("IKE_SA_INIT", 0, 38, 0.003),
		{"ke-retry",     0.003, "{'group': <'ECP_256'>}"                            },
		SENT("IKE_SA_INIT", 0, 344, 0.004),
		RECEIVED("IKE_SA_INIT", 0, 312, 0.008),
		{"ike-proposal", 0.009,
	                                       "{'proposal': <'AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256'>}"},
	};
	g_autoptr(FerryTimelineRows) rows = ferry_timeline_rows_new();
	const FerryTimelineRow *row;

	feed(rows, evs, G_N_ELEMENTS(evs));
	g_assert_cmpuint(ferry_timeline_rows_get_n_rows(rows), ==, 1);
	row = row_at(rows, 0, FERRY_TIMELINE_STEP_IKE_SA_INIT, FERRY_TIMELINE_DONE);
	g_assert_cmpuint(row->messages->len, ==, 4);
	g_assert_true(has_line(row, "INVALID_KE_PAYLOAD"));
	g_assert_true(has_line(row, "NIST P-256 (ECP_256)"));
	g_assert_cmpstr(row->summary, ==,
	                "AES-CBC-256 · HMAC-SHA2-256 · PRF HMAC-SHA2-256 · NIST P-256");
	g_assert_cmpfloat_with_epsilon(row->end, 0.009, 1e-9);
}

static void
test_auth_failed(void)
{
	static const Ev evs[] = {
		SENT("IKE_SA_INIT", 0, 312, 0.001),
		RECEIVED("IKE_SA_INIT", 0, 280, 0.004),
		{"ike-proposal", 0.005,
	                                        "{'proposal': <'AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519'>}"},
		SENT("IKE_AUTH", 1, 400, 0.006),
		RECEIVED("IKE_AUTH", 1, 80, 0.010),
		{"error",        0.011,
	                                        "{'code': <'auth-failed'>, 'message': <'the gateway rejected our authentication "
	         "(AUTHENTICATION_FAILED)'>}"								  },
		{"down",         0.011, "{'reason': <'error'>}"                 },
	};
	g_autoptr(FerryTimelineRows) rows = ferry_timeline_rows_new();
	g_autofree char *text = NULL;
	const FerryTimelineRow *row;

	feed(rows, evs, G_N_ELEMENTS(evs));
	g_assert_cmpuint(ferry_timeline_rows_get_n_rows(rows), ==, 3);
	row_at(rows, 0, FERRY_TIMELINE_STEP_IKE_SA_INIT, FERRY_TIMELINE_DONE);
	row = row_at(rows, 1, FERRY_TIMELINE_STEP_IKE_AUTH, FERRY_TIMELINE_FAILED);
	g_assert_cmpstr(row->error, ==,
	                "the gateway rejected our authentication (AUTHENTICATION_FAILED)");
	row = row_at(rows, 2, FERRY_TIMELINE_STEP_DOWN, FERRY_TIMELINE_FAILED);
	g_assert_cmpstr(row->summary, ==, "Ended by an error");
	g_assert_null(ferry_timeline_rows_find(rows, FERRY_TIMELINE_STEP_TRAFFIC));
	text = ferry_timeline_rows_to_text(rows);
	g_assert_nonnull(strstr(text, "IKE_AUTH [failed] +6 ms\n"));
	g_assert_nonnull(strstr(text, "  error: the gateway rejected our authentication"));
}

/* No answer: the step that waited fails with the error, retransmits listed. */
static void
test_timeout(void)
{
	static const Ev evs[] = {
		SENT("IKE_SA_INIT", 0, 312, 0.0),
		RESENT("IKE_SA_INIT", 0, 312, 1.0),
		RESENT("IKE_SA_INIT", 0, 312, 3.0),
		{"error", 7.0,
	                                      "{'code': <'unreachable'>, 'message': <'no answer from the gateway'>}"},
		{"down",  7.0, "{'reason': <'error'>}"                                 },
	};
	g_autoptr(FerryTimelineRows) rows = ferry_timeline_rows_new();
	g_autofree char *text = NULL;
	const FerryTimelineRow *row;

	feed(rows, evs, G_N_ELEMENTS(evs));
	row = row_at(rows, 0, FERRY_TIMELINE_STEP_IKE_SA_INIT, FERRY_TIMELINE_FAILED);
	g_assert_cmpuint(row->messages->len, ==, 3);
	g_assert_true(g_array_index(row->messages, FerryTimelineMessage, 2).retransmit);
	g_assert_cmpstr(row->error, ==, "no answer from the gateway");
	g_assert_cmpfloat_with_epsilon(row->end, 7.0, 1e-9);
	text = ferry_timeline_rows_to_text(rows);
	g_assert_nonnull(strstr(text, "→ sent again msg 0, 312 bytes +3000 ms"));
}

/* Before any message (the name did not resolve): a row of its own. */
static void
test_error_first(void)
{
	g_autoptr(FerryTimelineRows) rows = ferry_timeline_rows_new();
	const FerryTimelineRow *row;

	feed_one(rows, "error", 0.0,
	         "{'code': <'resolve'>, 'message': <'cannot resolve vpn.example.net'>}");
	feed_one(rows, "down", 0.0, "{'reason': <'error'>}");
	row = row_at(rows, 0, FERRY_TIMELINE_STEP_ERROR, FERRY_TIMELINE_FAILED);
	g_assert_cmpstr(row->error, ==, "cannot resolve vpn.example.net");
	row_at(rows, 1, FERRY_TIMELINE_STEP_DOWN, FERRY_TIMELINE_FAILED);
}

/* Authenticated, then the gateway refused the CHILD SA: the CHILD_SA step fails. */
static void
test_child_refused(void)
{
	g_autoptr(FerryTimelineRows) rows = ferry_timeline_rows_new();
	const FerryTimelineRow *row;

	feed(rows, connect_ok, 7); /* up to "authenticated" */
	feed_one(rows, "error", 0.014,
	         "{'code': <'ts-unacceptable'>, 'message': <'TS_UNACCEPTABLE'>}");
	row = row_at(rows, 2, FERRY_TIMELINE_STEP_CHILD_SA, FERRY_TIMELINE_FAILED);
	g_assert_cmpstr(row->error, ==, "TS_UNACCEPTABLE");
}

static void
test_rekey(void)
{
	static const Ev evs[] = {
		RECEIVED("CREATE_CHILD_SA", 0, 300, 10.0),
		SENT("CREATE_CHILD_SA", 0, 290, 10.002),
		{"child-sa", 10.003,
	                                             "{'protocol': <'ESP'>, 'mode': <'tunnel'>, "
	         "'proposal': <'AES_GCM_16_256/CURVE25519/NO_ESN'>, 'spi_in': <'11111111'>, "
	         "'spi_out': <'22222222'>, 'ts_local': <['203.0.113.130/32']>, "
	         "'ts_remote': <['203.0.113.0/25']>}"                                            },
		{"rekeyed",  10.003, "{'what': <'CHILD_SA'>}"},
		SENT("CREATE_CHILD_SA", 2, 300, 20.0),
		RECEIVED("CREATE_CHILD_SA", 2, 300, 20.004),
		{"rekeyed",  20.005, "{'what': <'IKE_SA'>}"  },
	};
	g_autoptr(FerryTimelineRows) rows = ferry_timeline_rows_new();
	const FerryTimelineRow *row;

	feed(rows, connect_ok, G_N_ELEMENTS(connect_ok));
	feed(rows, evs, G_N_ELEMENTS(evs));
	g_assert_cmpuint(ferry_timeline_rows_get_n_rows(rows), ==, 6);
	/* The first CHILD_SA row keeps its own algorithms. */
	row = row_at(rows, 2, FERRY_TIMELINE_STEP_CHILD_SA, FERRY_TIMELINE_DONE);
	g_assert_cmpstr(row->iana, ==, "AES_GCM_16_256/ESN");
	row_at(rows, 3, FERRY_TIMELINE_STEP_TRAFFIC, FERRY_TIMELINE_ACTIVE);
	row = row_at(rows, 4, FERRY_TIMELINE_STEP_REKEY, FERRY_TIMELINE_DONE);
	g_assert_cmpstr(row->title, ==, "Rekey CHILD_SA");
	g_assert_cmpuint(row->messages->len, ==, 2);
	g_assert_cmpint(g_array_index(row->messages, FerryTimelineMessage, 0).direction, ==,
	                FERRY_TIMELINE_RECEIVED);
	g_assert_true(has_line(row, "New CHILD SA: AES-GCM-256 · Curve25519"));
	g_assert_true(has_line(row, "SPI in 11111111"));
	row = row_at(rows, 5, FERRY_TIMELINE_STEP_REKEY, FERRY_TIMELINE_DONE);
	g_assert_cmpstr(row->title, ==, "Rekey IKE_SA");
	g_assert_cmpfloat_with_epsilon(row->start, 20.0, 1e-9);
}

static void
test_dpd(void)
{
	g_autoptr(FerryTimelineRows) rows = ferry_timeline_rows_new();
	const FerryTimelineRow *row;

	feed(rows, connect_ok, G_N_ELEMENTS(connect_ok));
	feed_one(rows, "dpd", 30.0, "{'text': <'liveness check sent'>}");
	feed_one(rows, "dpd", 30.01, "{'text': <'liveness check answered'>}");
	feed_one(rows, "rekeyed", 40.0, "{'what': <'CHILD_SA'>}");
	feed_one(rows, "dpd", 60.0, "{'text': <'liveness check sent'>}");
	g_assert_cmpuint(ferry_timeline_rows_get_n_rows(rows), ==, 6);
	row = row_at(rows, 5, FERRY_TIMELINE_STEP_DPD, FERRY_TIMELINE_ACTIVE);
	g_assert_cmpuint(row->count, ==, 3);
	g_assert_cmpstr(row->summary, ==, "liveness check sent");
	row_at(rows, 4, FERRY_TIMELINE_STEP_REKEY, FERRY_TIMELINE_DONE);

	/* The gateway stopped answering: the traffic step fails in place, then the end. */
	feed_one(rows, "error", 75.0,
	         "{'code': <'unreachable'>, 'message': <'the gateway stopped answering'>}");
	feed_one(rows, "down", 75.0, "{'reason': <'error'>}");
	row = row_at(rows, 3, FERRY_TIMELINE_STEP_TRAFFIC, FERRY_TIMELINE_FAILED);
	g_assert_cmpstr(row->error, ==, "the gateway stopped answering");
	row_at(rows, 5, FERRY_TIMELINE_STEP_DPD, FERRY_TIMELINE_DONE);
	row_at(rows, 6, FERRY_TIMELINE_STEP_DOWN, FERRY_TIMELINE_FAILED);
}

/* The user disconnects; the next connect of the same service starts a new timeline. */
static void
test_down_then_again(void)
{
	g_autoptr(FerryTimelineRows) rows = ferry_timeline_rows_new();
	const FerryTimelineRow *row;

	feed(rows, connect_ok, G_N_ELEMENTS(connect_ok));
	feed_one(rows, "down", 100.0, "{'reason': <'user'>}");
	row_at(rows, 3, FERRY_TIMELINE_STEP_TRAFFIC, FERRY_TIMELINE_DONE);
	row = row_at(rows, 4, FERRY_TIMELINE_STEP_DOWN, FERRY_TIMELINE_DONE);
	g_assert_cmpstr(row->summary, ==, "Closed by the user");
	/* Counters after the end do not start anything. */
	feed_one(rows, "stats", 100.5, "{'bytes_in': <@t 1>}");
	g_assert_cmpuint(ferry_timeline_rows_get_n_rows(rows), ==, 5);
	feed(rows, connect_ok, 2);
	g_assert_cmpuint(ferry_timeline_rows_get_n_rows(rows), ==, 1);
	row_at(rows, 0, FERRY_TIMELINE_STEP_IKE_SA_INIT, FERRY_TIMELINE_ACTIVE);
}

static void
test_nat_cookie(void)
{
	g_autoptr(FerryTimelineRows) rows = ferry_timeline_rows_new();
	const FerryTimelineRow *row;

	feed_one(rows, "cookie", 0.002, "{}");
	feed_one(rows, "nat", 0.005, "{'local': <true>, 'remote': <false>, 'forced': <false>}");
	row = row_at(rows, 0, FERRY_TIMELINE_STEP_IKE_SA_INIT, FERRY_TIMELINE_ACTIVE);
	g_assert_true(has_line(row, "COOKIE"));
	g_assert_true(has_line(row, "NAT detected on this side: UDP port 4500"));
	/* Unknown types and "state" add nothing; no details at all is fine. */
	ferry_timeline_rows_add_event(rows, "state", 0.006, NULL);
	ferry_timeline_rows_add_event(rows, "some-future-event", 0.006, NULL);
	ferry_timeline_rows_add_event(rows, "authenticated", 0.007, NULL);
	g_assert_cmpuint(ferry_timeline_rows_get_n_rows(rows), ==, 2);
}

static const struct {
	const char *iana;
	const char *words;
} proposals[] = {
	{"AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519",
         "AES-GCM-256 · PRF HMAC-SHA2-256 · Curve25519"							},
	{"AES_GCM_8_128/PRF_AES128_XCBC/MODP_2048",
         "AES-GCM-128 (8-byte ICV) · PRF AES-XCBC · 2048-bit MODP"                                             },
	{"CHACHA20_POLY1305/PRF_HMAC_SHA2_512/CURVE448",
         "ChaCha20-Poly1305 · PRF HMAC-SHA2-512 · Curve448"                                                    },
	{"AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ",          "AES-CBC-128 · HMAC-SHA1"                              },
	{"AES_GCM_16_256/ECP_384/ESN",                   "AES-GCM-256 · NIST P-384 · extended sequence numbers"},
	{"ENCR_99/PRF_7777/MODP_",                       "ENCR_99 · PRF_7777 · MODP_"                          },
	{"",					     ""						      },
};

static void
test_describe(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(proposals); i++) {
		g_autofree char *words = ferry_timeline_describe_proposal(proposals[i].iana);

		g_assert_cmpstr(words, ==, proposals[i].words);
	}
}

static void
test_format(void)
{
	static const struct {
		double t;
		const char *text;
	} times[] = {
		{0.0,    "+0 ms"   },
                {0.0123, "+12 ms"  },
                {9.9994, "+9999 ms"},
		{12.34,  "+12.3 s" },
                {3600,   "+60 min" },
                {-1,     "+0 ms"   },
	};
	static const struct {
		guint64 n;
		const char *text;
	} sizes[] = {
		{0,			   "0 bytes"   },
                {1023,                        "1023 bytes"},
                {1024,                        "1.0 KiB"   },
		{1536,			"1.5 KiB"   },
                {1048576,                     "1.0 MiB"   },
                {G_GUINT64_CONSTANT(3) << 30, "3.00 GiB"  },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(times); i++) {
		g_autofree char *t = ferry_timeline_format_time(times[i].t);
		g_assert_cmpstr(t, ==, times[i].text);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(sizes); i++) {
		g_autofree char *s = ferry_timeline_format_bytes(sizes[i].n);
		g_assert_cmpstr(s, ==, sizes[i].text);
	}
}

/* How the gateway proved itself, as the engine reports it, in words; certificates add the
 * signature scheme. */
static void
test_auth_methods(void)
{
	static const struct {
		const char *details, *summary, *line;
	} cases[] = {
		{"{'method': <'certificate'>, 'peer': <'vpn.example.com'>, "
	         "'signature': <'RSASSA-PSS SHA-384'>}", "Gateway authenticated by certificate", "Signature: RSASSA-PSS SHA-384"    },
		{"{'method': <'EAP-only'>, 'peer': <'vpn.example.com'>}",
	         "Gateway authenticated by the EAP method alone (EAP-only, RFC 5998)",	                    "Gateway identity: vpn.example.com"},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(FerryTimelineRows) rows = ferry_timeline_rows_new();
		const FerryTimelineRow *row;

		feed(rows, connect_ok, 6); /* up to the IKE_AUTH response */
		feed_one(rows, "authenticated", 0.013, cases[i].details);
		row = row_at(rows, 1, FERRY_TIMELINE_STEP_IKE_AUTH, FERRY_TIMELINE_DONE);
		g_assert_cmpstr(row->summary, ==, cases[i].summary);
		g_assert_true(has_line(row, cases[i].line));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/gui/timeline-rows/connect", test_connect);
	g_test_add_func("/ferry/gui/timeline-rows/ke-retry", test_ke_retry);
	g_test_add_func("/ferry/gui/timeline-rows/auth-failed", test_auth_failed);
	g_test_add_func("/ferry/gui/timeline-rows/auth-methods", test_auth_methods);
	g_test_add_func("/ferry/gui/timeline-rows/timeout", test_timeout);
	g_test_add_func("/ferry/gui/timeline-rows/error-first", test_error_first);
	g_test_add_func("/ferry/gui/timeline-rows/child-refused", test_child_refused);
	g_test_add_func("/ferry/gui/timeline-rows/rekey", test_rekey);
	g_test_add_func("/ferry/gui/timeline-rows/dpd", test_dpd);
	g_test_add_func("/ferry/gui/timeline-rows/down-then-again", test_down_then_again);
	g_test_add_func("/ferry/gui/timeline-rows/nat-cookie", test_nat_cookie);
	g_test_add_func("/ferry/gui/timeline-rows/describe", test_describe);
	g_test_add_func("/ferry/gui/timeline-rows/format", test_format);
	return g_test_run();
}
