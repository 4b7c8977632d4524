/* ferry-timeline-rows.c - a session's timeline events folded into the steps the GUI shows */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-timeline-rows.h"

struct _FerryTimelineRows {
	/* owned */
	GPtrArray *rows;       /* FerryTimelineRow */
	GPtrArray *config;     /* char *: what the gateway assigned, for the CHILD_SA row */
	char *traffic_summary; /* the traffic row's first line, before the counters */
	/* borrowed */
	FerryTimelineRow *rekey; /* the rekey under way */
	gboolean authenticated;
	gboolean up;
	gboolean ended;   /* "down" seen: the next event starts a new attempt */
	guint64 stats[5]; /* the last counters: bytes in, out, packets in, out, dropped */
};

/* ---------------------------------------------------------------------------------------- */
/* Plain words for the registry's names (client/wire/ike-registry.h, ike-proposal.c). */

typedef struct {
	const char *name;  /* registry name, or its prefix when it ends in '_' */
	const char *words; /* "%s" stands for the rest after a prefix */
} Word;

static const Word words[] = {
	{"AES_GCM_16_",         "AES-GCM-%s"                },
	{"AES_GCM_12_",         "AES-GCM-%s (12-byte ICV)"  },
	{"AES_GCM_8_",          "AES-GCM-%s (8-byte ICV)"   },
	{"AES_CCM_16_",         "AES-CCM-%s"                },
	{"AES_CCM_12_",         "AES-CCM-%s (12-byte ICV)"  },
	{"AES_CCM_8_",          "AES-CCM-%s (8-byte ICV)"   },
	{"AES_CBC_",            "AES-CBC-%s"                },
	{"AES_CTR_",            "AES-CTR-%s"                },
	{"NULL_AUTH_AES_GMAC_", "AES-GMAC-%s, no encryption"},
	{"CHACHA20_POLY1305",   "ChaCha20-Poly1305"         },
	{"3DES",                "3DES"                      },
	{"NULL",                "no encryption"             },
	{"PRF_HMAC_SHA2_256",   "PRF HMAC-SHA2-256"         },
	{"PRF_HMAC_SHA2_384",   "PRF HMAC-SHA2-384"         },
	{"PRF_HMAC_SHA2_512",   "PRF HMAC-SHA2-512"         },
	{"PRF_HMAC_SHA1",       "PRF HMAC-SHA1"             },
	{"PRF_HMAC_MD5",        "PRF HMAC-MD5"              },
	{"PRF_AES128_XCBC",     "PRF AES-XCBC"              },
	{"PRF_AES128_CMAC",     "PRF AES-CMAC"              },
	{"HMAC_SHA2_256_128",   "HMAC-SHA2-256"             },
	{"HMAC_SHA2_384_192",   "HMAC-SHA2-384"             },
	{"HMAC_SHA2_512_256",   "HMAC-SHA2-512"             },
	{"HMAC_SHA1_96",        "HMAC-SHA1"                 },
	{"HMAC_MD5_96",         "HMAC-MD5"                  },
	{"AES_XCBC_96",         "AES-XCBC"                  },
	{"CURVE25519",          "Curve25519"                },
	{"CURVE_25519",         "Curve25519"                },
	{"CURVE448",            "Curve448"                  },
	{"CURVE_448",           "Curve448"                  },
	{"ECP_256",             "NIST P-256"                },
	{"ECP_384",             "NIST P-384"                },
	{"ECP_521",             "NIST P-521"                },
	{"MODP_",               "%s-bit MODP"               },
	{"ESN",		 "extended sequence numbers" },
	{"EXT_SEQ",             "extended sequence numbers" },
	{"NO_ESN",              NULL			},
	{"NO_EXT_SEQ",          NULL                        },
};

/* Plain words for one registry name; "" to leave it out; NULL when unknown. */
static char *
describe_name(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(words); i++) {
		const Word *w = &words[i];
		gsize n = strlen(w->name);

		if (w->name[n - 1] == '_') {
			const char *mark = strstr(w->words, "%s");

			if (strncmp(name, w->name, n) != 0 || name[n] == '\0' || mark == NULL)
				continue;
			return g_strdup_printf("%.*s%s%s", (int)(mark - w->words), w->words,
			                       name + n, mark + 2);
		}
		if (strcmp(name, w->name) == 0)
			return g_strdup(w->words ? w->words : "");
	}
	return NULL;
}

char *
ferry_timeline_describe_proposal(const char *proposal)
{
	g_auto(GStrv) parts = NULL;
	GString *text = g_string_new(NULL);

	if (proposal == NULL)
		return g_string_free(text, FALSE);
	parts = g_strsplit(proposal, "/", -1);
	for (guint i = 0; parts[i]; i++) {
		g_autofree char *one = describe_name(parts[i]);

		if (one != NULL && one[0] == '\0')
			continue;
		if (text->len)
			g_string_append(text, " · ");
		g_string_append(text, one != NULL ? one : parts[i]);
	}
	return g_string_free(text, FALSE);
}

static const char *
describe_auth_method(const char *method)
{
	if (method == NULL)
		return "";
	if (g_ascii_strcasecmp(method, "PSK") == 0)
		return _("pre-shared key");
	if (g_ascii_strcasecmp(method, "certificate") == 0)
		return _("certificate");
	if (g_ascii_strcasecmp(method, "EAP-only") == 0)
		return _("the EAP method alone (EAP-only, RFC 5998)");
	return method;
}

char *
ferry_timeline_format_bytes(guint64 bytes)
{
	if (bytes < 1024)
		return g_strdup_printf(_("%" G_GUINT64_FORMAT " bytes"), bytes);
	if (bytes < 1024 * 1024)
		return g_strdup_printf("%.1f KiB", bytes / 1024.0);
	if (bytes < 1024ull * 1024 * 1024)
		return g_strdup_printf("%.1f MiB", bytes / (1024.0 * 1024));
	return g_strdup_printf("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
}

char *
ferry_timeline_format_time(double seconds)
{
	if (seconds < 0)
		seconds = 0;
	if (seconds < 10)
		return g_strdup_printf("+%.0f ms", seconds * 1000);
	if (seconds < 600)
		return g_strdup_printf("+%.1f s", seconds);
	return g_strdup_printf("+%.0f min", seconds / 60);
}

const char *
ferry_timeline_status_to_string(FerryTimelineStatus status)
{
	switch (status) {
	case FERRY_TIMELINE_ACTIVE:
		return "active";
	case FERRY_TIMELINE_DONE:
		return "done";
	case FERRY_TIMELINE_FAILED:
		return "failed";
	}
	return "?";
}

/* ---------------------------------------------------------------------------------------- */
/* Rows. */

static void
free_row(gpointer data)
{
	FerryTimelineRow *row = data;

	g_free(row->title);
	g_free(row->summary);
	g_free(row->iana);
	g_free(row->error);
	g_ptr_array_unref(row->lines);
	g_array_unref(row->messages);
	g_free(row);
}

FerryTimelineRows *
ferry_timeline_rows_new(void)
{
	FerryTimelineRows *rows = g_new0(FerryTimelineRows, 1);

	rows->rows = g_ptr_array_new_with_free_func(free_row);
	rows->config = g_ptr_array_new_with_free_func(g_free);
	return rows;
}

void
ferry_timeline_rows_free(FerryTimelineRows *rows)
{
	if (rows == NULL)
		return;
	g_ptr_array_unref(rows->rows);
	g_ptr_array_unref(rows->config);
	g_free(rows->traffic_summary);
	g_free(rows);
}

void
ferry_timeline_rows_clear(FerryTimelineRows *rows)
{
	g_return_if_fail(rows != NULL);

	g_ptr_array_set_size(rows->rows, 0);
	g_ptr_array_set_size(rows->config, 0);
	g_clear_pointer(&rows->traffic_summary, g_free);
	rows->rekey = NULL;
	rows->authenticated = FALSE;
	rows->up = FALSE;
	rows->ended = FALSE;
	memset(rows->stats, 0, sizeof(rows->stats));
}

guint
ferry_timeline_rows_get_n_rows(const FerryTimelineRows *rows)
{
	g_return_val_if_fail(rows != NULL, 0);

	return rows->rows->len;
}

const FerryTimelineRow *
ferry_timeline_rows_get_row(const FerryTimelineRows *rows, guint index)
{
	g_return_val_if_fail(rows != NULL, NULL);
	g_return_val_if_fail(index < rows->rows->len, NULL);

	return rows->rows->pdata[index];
}

static FerryTimelineRow *
find_row(const FerryTimelineRows *rows, FerryTimelineStep step)
{
	for (guint i = 0; i < rows->rows->len; i++) {
		FerryTimelineRow *row = rows->rows->pdata[i];

		if (row->step == step)
			return row;
	}
	return NULL;
}

const FerryTimelineRow *
ferry_timeline_rows_find(const FerryTimelineRows *rows, FerryTimelineStep step)
{
	g_return_val_if_fail(rows != NULL, NULL);

	return find_row(rows, step);
}

static const char *
step_title(FerryTimelineStep step)
{
	switch (step) {
	case FERRY_TIMELINE_STEP_IKE_SA_INIT:
		return "IKE_SA_INIT";
	case FERRY_TIMELINE_STEP_IKE_AUTH:
		return "IKE_AUTH";
	case FERRY_TIMELINE_STEP_CHILD_SA:
		return "CHILD_SA";
	case FERRY_TIMELINE_STEP_TRAFFIC:
		return _("Protected traffic");
	case FERRY_TIMELINE_STEP_REKEY:
		return _("Rekey");
	case FERRY_TIMELINE_STEP_DPD:
		return _("Dead peer detection");
	case FERRY_TIMELINE_STEP_DOWN:
		return _("Disconnected");
	case FERRY_TIMELINE_STEP_ERROR:
		return _("Error");
	}
	return "";
}

/* Plain words for what a step is for, until it has its own facts. */
static const char *
step_purpose(FerryTimelineStep step)
{
	switch (step) {
	case FERRY_TIMELINE_STEP_IKE_SA_INIT:
		return _("Agreeing on algorithms and exchanging keys");
	case FERRY_TIMELINE_STEP_IKE_AUTH:
		return _("Proving identities");
	case FERRY_TIMELINE_STEP_CHILD_SA:
		return _("Setting up the tunnel's keys");
	case FERRY_TIMELINE_STEP_REKEY:
		return _("Replacing keys");
	default:
		return NULL;
	}
}

static FerryTimelineRow *
append_row(FerryTimelineRows *rows, FerryTimelineStep step, double time)
{
	FerryTimelineRow *row = g_new0(FerryTimelineRow, 1);

	row->step = step;
	row->status = FERRY_TIMELINE_ACTIVE;
	row->start = time;
	row->end = time;
	row->title = g_strdup(step_title(step));
	row->summary = g_strdup(step_purpose(step));
	row->lines = g_ptr_array_new_with_free_func(g_free);
	row->messages = g_array_new(FALSE, TRUE, sizeof(FerryTimelineMessage));
	g_ptr_array_add(rows->rows, row);
	return row;
}

static FerryTimelineRow *
ensure_row(FerryTimelineRows *rows, FerryTimelineStep step, double time)
{
	FerryTimelineRow *row = find_row(rows, step);

	return row != NULL ? row : append_row(rows, step, time);
}

static void
touch(FerryTimelineRow *row, double time)
{
	if (time > row->end)
		row->end = time;
}

static void
finish(FerryTimelineRow *row, double time)
{
	if (row == NULL || row->status != FERRY_TIMELINE_ACTIVE)
		return;
	row->status = FERRY_TIMELINE_DONE;
	touch(row, time);
}

static void
set_summary(FerryTimelineRow *row, const char *summary)
{
	g_free(row->summary);
	row->summary = g_strdup(summary);
}

static void
add_line(FerryTimelineRow *row, char *line /* (transfer full) */)
{
	g_ptr_array_add(row->lines, line);
}

static char *
join_strv(GVariant *details, const char *key, const char *separator)
{
	g_autofree const char **list = NULL;

	if (details == NULL)
		return NULL;
	if (!g_variant_lookup(details, key, "^a&s", &list) || list == NULL || list[0] == NULL)
		return NULL;
	return g_strjoinv(separator, (char **)list);
}

static const char *
lookup_string(GVariant *details, const char *key)
{
	const char *v = NULL;

	if (details != NULL && g_variant_lookup(details, key, "&s", &v))
		return v;
	return NULL;
}

static guint64
lookup_uint(GVariant *details, const char *key)
{
	guint64 t = 0;
	guint32 u = 0;

	if (details == NULL)
		return 0;
	if (g_variant_lookup(details, key, "t", &t))
		return t;
	if (g_variant_lookup(details, key, "u", &u))
		return u;
	return 0;
}

static gboolean
lookup_boolean(GVariant *details, const char *key)
{
	gboolean b = FALSE;

	if (details != NULL)
		g_variant_lookup(details, key, "b", &b);
	return b;
}

/* ---------------------------------------------------------------------------------------- */
/* Events. */

/* The row an IKE message belongs to; NULL for messages the timeline does not show
 * (INFORMATIONAL: liveness checks and deletes have their own events). */
static FerryTimelineRow *
row_of_exchange(FerryTimelineRows *rows, const char *exchange, double time)
{
	if (g_strcmp0(exchange, "IKE_SA_INIT") == 0)
		return ensure_row(rows, FERRY_TIMELINE_STEP_IKE_SA_INIT, time);
	if (g_strcmp0(exchange, "IKE_AUTH") == 0) {
		finish(find_row(rows, FERRY_TIMELINE_STEP_IKE_SA_INIT), time);
		return ensure_row(rows, FERRY_TIMELINE_STEP_IKE_AUTH, time);
	}
	if (g_strcmp0(exchange, "CREATE_CHILD_SA") == 0) {
		if (!rows->up)
			return ensure_row(rows, FERRY_TIMELINE_STEP_CHILD_SA, time);
		if (rows->rekey == NULL)
			rows->rekey = append_row(rows, FERRY_TIMELINE_STEP_REKEY, time);
		return rows->rekey;
	}
	return NULL;
}

static void
add_message(FerryTimelineRows *rows, FerryTimelineDirection direction, double time, GVariant *d)
{
	FerryTimelineRow *row = row_of_exchange(rows, lookup_string(d, "exchange"), time);
	FerryTimelineMessage m = {
		.direction = direction,
		.time = time,
		.bytes = lookup_uint(d, "bytes"),
		.message_id = (guint)lookup_uint(d, "message_id"),
		.retransmit = lookup_boolean(d, "retransmit"),
	};

	if (row == NULL)
		return;
	g_array_append_val(row->messages, m);
	touch(row, time);
}

static void
add_ike_proposal(FerryTimelineRows *rows, double time, GVariant *d)
{
	const char *proposal = lookup_string(d, "proposal");
	g_autofree char *plain = ferry_timeline_describe_proposal(proposal);
	FerryTimelineRow *row;

	if (rows->up) {
		/* An IKE SA rekey chose its algorithms. */
		if (rows->rekey == NULL)
			rows->rekey = append_row(rows, FERRY_TIMELINE_STEP_REKEY, time);
		add_line(rows->rekey, g_strdup_printf(_("IKE SA: %s (%s)"), plain, proposal));
		touch(rows->rekey, time);
		return;
	}
	row = ensure_row(rows, FERRY_TIMELINE_STEP_IKE_SA_INIT, time);
	set_summary(row, plain);
	g_free(row->iana);
	row->iana = g_strdup(proposal);
	finish(row, time);
}

static void
add_ke_retry(FerryTimelineRows *rows, double time, GVariant *d)
{
	FerryTimelineRow *row = ensure_row(rows, FERRY_TIMELINE_STEP_IKE_SA_INIT, time);
	const char *group = lookup_string(d, "group");
	g_autofree char *plain = ferry_timeline_describe_proposal(group);

	/* RFC 7296 §1.2: INVALID_KE_PAYLOAD names the group the responder wants. */
	add_line(row, g_strdup_printf(_("The gateway wants key exchange %s (%s): "
	                                "INVALID_KE_PAYLOAD, trying again"),
	                              plain, group != NULL ? group : "?"));
	touch(row, time);
}

static void
add_cookie(FerryTimelineRows *rows, double time)
{
	FerryTimelineRow *row = ensure_row(rows, FERRY_TIMELINE_STEP_IKE_SA_INIT, time);

	/* RFC 7296 §2.6 */
	add_line(row, g_strdup(_("The gateway asked for a cookie (COOKIE): trying again")));
	touch(row, time);
}

static void
add_nat(FerryTimelineRows *rows, double time, GVariant *d)
{
	FerryTimelineRow *row = ensure_row(rows, FERRY_TIMELINE_STEP_IKE_SA_INIT, time);
	gboolean local = lookup_boolean(d, "local"), remote = lookup_boolean(d, "remote");
	const char *where = local && remote ? _("on both sides")
	                    : local         ? _("on this side")
	                    : remote        ? _("at the gateway")
	                                    : NULL;

	/* RFC 7296 §2.23 */
	if (where != NULL)
		add_line(row,
		         g_strdup_printf(_("NAT detected %s: UDP port 4500 from now on"), where));
	else if (lookup_boolean(d, "forced"))
		add_line(row, g_strdup(_("UDP encapsulation forced: port 4500")));
	touch(row, time);
}

static void
add_authenticated(FerryTimelineRows *rows, double time, GVariant *d)
{
	FerryTimelineRow *row = ensure_row(rows, FERRY_TIMELINE_STEP_IKE_AUTH, time);
	const char *peer = lookup_string(d, "peer");
	const char *signature = lookup_string(d, "signature");

	rows->authenticated = TRUE;
	g_free(row->summary);
	row->summary = g_strdup_printf(_("Gateway authenticated by %s"),
	                               describe_auth_method(lookup_string(d, "method")));
	if (peer != NULL && peer[0])
		add_line(row, g_strdup_printf(_("Gateway identity: %s"), peer));
	if (signature != NULL && signature[0])
		add_line(row, g_strdup_printf(_("Signature: %s"), signature));
	finish(row, time);
}

static void
add_config(FerryTimelineRows *rows, GVariant *d)
{
	const char *ip4 = lookup_string(d, "ip4"), *ip6 = lookup_string(d, "ip6");
	g_autofree char *dns = join_strv(d, "dns", ", ");
	g_autofree char *domains = join_strv(d, "domains", ", ");

	g_ptr_array_set_size(rows->config, 0);
	if (ip4 != NULL || ip6 != NULL)
		g_ptr_array_add(rows->config,
		                g_strdup_printf(_("Virtual IP: %s%s%s"), ip4 ? ip4 : "",
		                                ip4 && ip6 ? ", " : "", ip6 ? ip6 : ""));
	if (dns != NULL)
		g_ptr_array_add(rows->config, g_strdup_printf(_("DNS: %s"), dns));
	if (domains != NULL)
		g_ptr_array_add(rows->config, g_strdup_printf(_("Search domains: %s"), domains));
}

static void
add_child_facts(FerryTimelineRow *row, GVariant *d)
{
	g_autofree char *local = join_strv(d, "ts_local", ", ");
	g_autofree char *remote = join_strv(d, "ts_remote", ", ");
	const char *mode = lookup_string(d, "mode");

	add_line(row, g_strdup_printf(_("%s %s mode, SPI in %s, out %s"),
	                              lookup_string(d, "protocol") ?: "ESP", mode ? mode : "tunnel",
	                              lookup_string(d, "spi_in") ?: "?",
	                              lookup_string(d, "spi_out") ?: "?"));
	if (local != NULL || remote != NULL)
		add_line(row, g_strdup_printf(_("Traffic selectors: %s ⇄ %s"), local ? local : "",
		                              remote ? remote : ""));
}

static void
add_child_sa(FerryTimelineRows *rows, double time, GVariant *d)
{
	const char *proposal = lookup_string(d, "proposal");
	g_autofree char *plain = ferry_timeline_describe_proposal(proposal);
	FerryTimelineRow *row;

	if (rows->up || find_row(rows, FERRY_TIMELINE_STEP_TRAFFIC) != NULL) {
		if (rows->rekey == NULL)
			rows->rekey = append_row(rows, FERRY_TIMELINE_STEP_REKEY, time);
		row = rows->rekey;
		add_line(row, g_strdup_printf(_("New CHILD SA: %s (%s)"), plain, proposal));
		add_child_facts(row, d);
		touch(row, time);
		return;
	}
	finish(find_row(rows, FERRY_TIMELINE_STEP_IKE_AUTH), time);
	row = ensure_row(rows, FERRY_TIMELINE_STEP_CHILD_SA, time);
	set_summary(row, plain);
	g_free(row->iana);
	row->iana = g_strdup(proposal);
	add_child_facts(row, d);
	for (guint i = 0; i < rows->config->len; i++)
		add_line(row, g_strdup(rows->config->pdata[i]));
	finish(row, time);
}

static void
update_traffic_summary(FerryTimelineRows *rows, GVariant *d)
{
	const char *tun = lookup_string(d, "tun");
	const char *ip4 = lookup_string(d, "ip4"), *ip6 = lookup_string(d, "ip6");
	GString *s = g_string_new(NULL);

	if (tun != NULL && tun[0])
		g_string_append_printf(s, _("Tunnel %s"), tun);
	if (ip4 != NULL && ip4[0])
		g_string_append_printf(s, "%s%s", s->len ? " · " : "", ip4);
	if (ip6 != NULL && ip6[0])
		g_string_append_printf(s, "%s%s", s->len ? " · " : "", ip6);
	g_free(rows->traffic_summary);
	rows->traffic_summary = g_string_free(s, FALSE);
}

static void
add_up(FerryTimelineRows *rows, double time, GVariant *d)
{
	FerryTimelineRow *row;
	g_autofree char *routes = join_strv(d, "routes", ", ");

	finish(find_row(rows, FERRY_TIMELINE_STEP_IKE_AUTH), time);
	finish(find_row(rows, FERRY_TIMELINE_STEP_CHILD_SA), time);
	rows->up = TRUE;
	row = ensure_row(rows, FERRY_TIMELINE_STEP_TRAFFIC, time);
	update_traffic_summary(rows, d);
	set_summary(row, rows->traffic_summary);
	if (routes != NULL)
		add_line(row, g_strdup_printf(_("Routes: %s"), routes));
	ferry_timeline_rows_set_stats(rows, rows->stats[0], rows->stats[1], rows->stats[2],
	                              rows->stats[3], rows->stats[4]);
}

static void
add_rekeyed(FerryTimelineRows *rows, double time, GVariant *d)
{
	const char *what = lookup_string(d, "what");
	FerryTimelineRow *row = rows->rekey;

	if (row == NULL)
		row = append_row(rows, FERRY_TIMELINE_STEP_REKEY, time);
	g_free(row->title);
	row->title = g_strdup_printf(_("Rekey %s"), what ? what : "");
	set_summary(row, g_strcmp0(what, "IKE_SA") == 0 ? _("New keys for the IKE SA")
	                                                : _("New keys for the tunnel"));
	finish(row, time);
	rows->rekey = NULL;
}

static void
add_dpd(FerryTimelineRows *rows, double time, GVariant *d)
{
	FerryTimelineRow *row = find_row(rows, FERRY_TIMELINE_STEP_DPD);
	const char *text = lookup_string(d, "text");
	guint index;

	/* One row for all checks, moved last: a long-lived tunnel checks forever. */
	if (row != NULL && g_ptr_array_find(rows->rows, row, &index)) {
		g_ptr_array_steal_index(rows->rows, index);
		g_ptr_array_add(rows->rows, row);
		row->start = time;
		touch(row, time);
	} else {
		row = append_row(rows, FERRY_TIMELINE_STEP_DPD, time);
	}
	row->count++;
	set_summary(row, text);
	/* Our check is answered by the gateway's reply; the gateway's is answered at once. */
	row->status = g_strcmp0(text, "liveness check sent") == 0 ? FERRY_TIMELINE_ACTIVE
	                                                          : FERRY_TIMELINE_DONE;
}

static FerryTimelineRow *
last_active(FerryTimelineRows *rows)
{
	for (guint i = rows->rows->len; i > 0; i--) {
		FerryTimelineRow *row = rows->rows->pdata[i - 1];

		if (row->status == FERRY_TIMELINE_ACTIVE && row->step != FERRY_TIMELINE_STEP_DPD)
			return row;
	}
	return NULL;
}

static void
add_error(FerryTimelineRows *rows, double time, GVariant *d)
{
	FerryTimelineRow *row = last_active(rows);
	const char *message = lookup_string(d, "message");

	if (row == NULL)
		row = append_row(rows,
		                 rows->authenticated && !rows->up &&
		                                 find_row(rows, FERRY_TIMELINE_STEP_CHILD_SA) ==
		                                         NULL
		                         ? FERRY_TIMELINE_STEP_CHILD_SA
		                         : FERRY_TIMELINE_STEP_ERROR,
		                 time);
	row->status = FERRY_TIMELINE_FAILED;
	g_free(row->error);
	row->error = g_strdup(message != NULL && message[0] ? message : _("Unknown error"));
	touch(row, time);
	if (row == rows->rekey)
		rows->rekey = NULL;
}

static void
add_down(FerryTimelineRows *rows, double time, GVariant *d)
{
	const char *reason = lookup_string(d, "reason");
	FerryTimelineRow *row;

	for (guint i = 0; i < rows->rows->len; i++) {
		FerryTimelineRow *r = rows->rows->pdata[i];

		if (r->status != FERRY_TIMELINE_ACTIVE)
			continue;
		/* A step cut short by the end failed, unless the user ended it or it was traffic.
		 */
		if (r->step == FERRY_TIMELINE_STEP_TRAFFIC || r->step == FERRY_TIMELINE_STEP_DPD ||
		    g_strcmp0(reason, "user") == 0)
			finish(r, time);
		else
			r->status = FERRY_TIMELINE_FAILED;
	}
	row = append_row(rows, FERRY_TIMELINE_STEP_DOWN, time);
	set_summary(row, g_strcmp0(reason, "user") == 0   ? _("Closed by the user")
	                 : g_strcmp0(reason, "peer") == 0 ? _("The gateway closed the connection")
	                                                  : _("Ended by an error"));
	row->status = g_strcmp0(reason, "error") == 0 ? FERRY_TIMELINE_FAILED : FERRY_TIMELINE_DONE;
	rows->rekey = NULL;
	rows->ended = TRUE;
}

void
ferry_timeline_rows_add_event(FerryTimelineRows *rows,
                              const char *type,
                              double time,
                              GVariant *details)
{
	g_return_if_fail(rows != NULL && type != NULL);
	g_return_if_fail(details == NULL || g_variant_is_of_type(details, G_VARIANT_TYPE_VARDICT));

	if (rows->ended && strcmp(type, "stats") != 0)
		ferry_timeline_rows_clear(rows);
	if (strcmp(type, "sent") == 0)
		add_message(rows, FERRY_TIMELINE_SENT, time, details);
	else if (strcmp(type, "received") == 0)
		add_message(rows, FERRY_TIMELINE_RECEIVED, time, details);
	else if (strcmp(type, "ike-proposal") == 0)
		add_ike_proposal(rows, time, details);
	else if (strcmp(type, "ke-retry") == 0)
		add_ke_retry(rows, time, details);
	else if (strcmp(type, "cookie") == 0)
		add_cookie(rows, time);
	else if (strcmp(type, "nat") == 0)
		add_nat(rows, time, details);
	else if (strcmp(type, "authenticated") == 0)
		add_authenticated(rows, time, details);
	else if (strcmp(type, "config") == 0)
		add_config(rows, details);
	else if (strcmp(type, "child-sa") == 0)
		add_child_sa(rows, time, details);
	else if (strcmp(type, "up") == 0)
		add_up(rows, time, details);
	else if (strcmp(type, "rekeyed") == 0)
		add_rekeyed(rows, time, details);
	else if (strcmp(type, "dpd") == 0)
		add_dpd(rows, time, details);
	else if (strcmp(type, "stats") == 0)
		ferry_timeline_rows_set_stats(
			rows, lookup_uint(details, "bytes_in"), lookup_uint(details, "bytes_out"),
			lookup_uint(details, "packets_in"), lookup_uint(details, "packets_out"),
			lookup_uint(details, "dropped"));
	else if (strcmp(type, "error") == 0)
		add_error(rows, time, details);
	else if (strcmp(type, "down") == 0)
		add_down(rows, time, details);
	/* "state" and types this build does not know add no row. */
}

void
ferry_timeline_rows_set_stats(FerryTimelineRows *rows,
                              guint64 bytes_in,
                              guint64 bytes_out,
                              guint64 packets_in,
                              guint64 packets_out,
                              guint64 dropped)
{
	FerryTimelineRow *row;
	g_autofree char *in = NULL, *out = NULL;

	g_return_if_fail(rows != NULL);

	rows->stats[0] = bytes_in;
	rows->stats[1] = bytes_out;
	rows->stats[2] = packets_in;
	rows->stats[3] = packets_out;
	rows->stats[4] = dropped;
	row = find_row(rows, FERRY_TIMELINE_STEP_TRAFFIC);
	if (row == NULL)
		return;
	in = ferry_timeline_format_bytes(bytes_in);
	out = ferry_timeline_format_bytes(bytes_out);
	/* The counters are the row's first line; the routes follow. */
	if (row->lines->len > 0 && g_str_has_prefix(row->lines->pdata[0], "↓"))
		g_ptr_array_remove_index(row->lines, 0);
	g_ptr_array_insert(row->lines, 0,
	                   g_strdup_printf(_("↓ %s in (%" G_GUINT64_FORMAT " packets) · ↑ %s out "
	                                     "(%" G_GUINT64_FORMAT " packets) · %" G_GUINT64_FORMAT
	                                     " dropped"),
	                                   in, packets_in, out, packets_out, dropped));
}

char *
ferry_timeline_rows_to_text(const FerryTimelineRows *rows)
{
	GString *s = g_string_new(NULL);

	g_return_val_if_fail(rows != NULL, NULL);

	for (guint i = 0; i < rows->rows->len; i++) {
		const FerryTimelineRow *row = rows->rows->pdata[i];
		g_autofree char *at = ferry_timeline_format_time(row->start);

		g_string_append_printf(s, "%s [%s] %s\n", row->title,
		                       ferry_timeline_status_to_string(row->status), at);
		if (row->summary != NULL && row->summary[0])
			g_string_append_printf(s, "  %s\n", row->summary);
		if (row->iana != NULL)
			g_string_append_printf(s, "  %s\n", row->iana);
		for (guint j = 0; j < row->messages->len; j++) {
			const FerryTimelineMessage *m =
				&g_array_index(row->messages, FerryTimelineMessage, j);
			g_autofree char *t = ferry_timeline_format_time(m->time);

			g_string_append_printf(
				s, "  %s %s%s msg %u, %" G_GUINT64_FORMAT " bytes %s\n",
				m->direction == FERRY_TIMELINE_SENT ? "→" : "←",
				m->direction == FERRY_TIMELINE_SENT ? "sent" : "received",
				m->retransmit ? " again" : "", m->message_id, m->bytes, t);
		}
		for (guint j = 0; j < row->lines->len; j++)
			g_string_append_printf(s, "  %s\n", (const char *)row->lines->pdata[j]);
		if (row->count > 1)
			g_string_append_printf(s, "  ×%u\n", row->count);
		if (row->error != NULL)
			g_string_append_printf(s, "  error: %s\n", row->error);
	}
	return g_string_free(s, FALSE);
}
