/* cli-connect.c - `ferry connect`: one session in the foreground, until a signal or the end */
#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "profile-store.h"

typedef struct {
	FerrySession *session;
	GMainLoop *loop;
	CliStatus *status; /* nullable */
	gboolean json;
	int exit_code;
} Connect;

#define STATUS_INTERVAL_S 1 /* traffic counters in the status file */

static void
timeline_cb(FerrySession *session, FerryEvent *event, gpointer user_data)
{
	Connect *c = user_data;
	g_autofree char *line = NULL;

	if (c->status != NULL)
		cli_status_event(c->status, event);
	if (c->json)
		line = cli_json_event(event, cli_exit_code(ferry_session_get_error(session)));
	else
		line = cli_text_event(event);
	if (line == NULL)
		return;
	fputs(line, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

static void
state_changed_cb(FerrySession *session, guint state, gpointer user_data)
{
	Connect *c = user_data;

	if (state != FERRY_SESSION_DOWN)
		return;
	c->exit_code = cli_exit_code(ferry_session_get_error(session));
	if (ferry_session_get_error(session) != NULL)
		cli_print_error(ferry_session_get_error(session), CLI_CONTEXT_SESSION);
	g_main_loop_quit(c->loop);
}

static gboolean
status_due_cb(gpointer user_data)
{
	Connect *c = user_data;
	FerrySessionStats stats;

	if (ferry_session_get_state(c->session) == FERRY_SESSION_UP) {
		ferry_session_get_stats(c->session, &stats);
		cli_status_set_stats(c->status, &stats);
	}
	return G_SOURCE_CONTINUE;
}

static gboolean
signalled_cb(gpointer user_data)
{
	Connect *c = user_data;

	ferry_session_disconnect(c->session);
	return G_SOURCE_CONTINUE;
}

/* Test and tuning knobs from the environment: FERRY_RETRANSMIT_TRIES, _TIMEOUT_MS. */
static void
apply_environment(FerrySession *session)
{
	const char *tries = g_getenv("FERRY_RETRANSMIT_TRIES");
	const char *base = g_getenv("FERRY_RETRANSMIT_TIMEOUT_MS");
	guint64 t = 0, b = 0;

	if (tries != NULL)
		g_ascii_string_to_unsigned(tries, 10, 1, 20, &t, NULL);
	if (base != NULL)
		g_ascii_string_to_unsigned(base, 10, 10, 60000, &b, NULL);
	if (t != 0 || b != 0)
		ferry_session_set_retransmit(session, (guint)t, (guint)b);
}

/* A file when @name is one (or looks like a path), else a stored profile of that name. */
static FerryProfile *
load_profile(const char *name,
             const char *profile_dir,
             FerryProfileSecrets **stored_secrets,
             GError **error)
{
	g_autoptr(FerryProfileStore) store = NULL;
	FerryProfile *profile;

	if (g_file_test(name, G_FILE_TEST_EXISTS) || strchr(name, '/') != NULL)
		return ferry_profile_load(name, error);
	store = ferry_profile_store_new(profile_dir);
	profile = ferry_profile_store_find(store, name, NULL, error);
	if (profile != NULL) {
		*stored_secrets = ferry_profile_store_load_secrets(store, profile, error);
		if (*stored_secrets == NULL)
			g_clear_pointer(&profile, ferry_profile_free);
	}
	return profile;
}

/* Report an error that ends the command before any session ran. */
static int
fail_early(const GError *error, CliContext context, gboolean json)
{
	int code = cli_exit_code(error);

	if (json) {
		g_autoptr(FerryEvent) event = NULL;
		GVariantDict d;
		g_autofree char *line = NULL;

		g_variant_dict_init(&d, NULL);
		g_variant_dict_insert(&d, "code", "s",
		                      code == CLI_EXIT_CONFIG ? "bad-profile" : "local");
		g_variant_dict_insert(&d, "message", "s", error->message);
		event = ferry_event_new(FERRY_EVENT_ERROR, 0, g_variant_dict_end(&d));
		line = cli_json_event(event, code);
		puts(line);
		fflush(stdout);
	}
	cli_print_error(error, context);
	return code;
}

int
cli_connect(int argc, char **argv)
{
	g_autoptr(GOptionContext) options = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(FerryProfile) profile = NULL;
	g_autoptr(FerryProfileSecrets) secrets = NULL;
	g_autoptr(FerrySession) session = NULL;
	g_autofree char *profile_arg = NULL;
	g_autofree char *secrets_arg = NULL;
	g_autofree char *tun = NULL;
	g_autofree char *profile_dir = NULL;
	gboolean json = FALSE, no_dns = FALSE;
	CliContext context = CLI_CONTEXT_FILES;
	g_autoptr(CliStatus) status = NULL;
	guint status_source = 0;
	Connect c = {0};
	/* clang-format off */
	const GOptionEntry entries[] = {
		{"profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile_arg,
		 "Profile keyfile, or the name of a stored profile", "FILE|NAME"},
		{"secrets", 's', 0, G_OPTION_ARG_FILENAME, &secrets_arg,
		 "Secrets keyfile ([secrets] psk=...), readable by its owner only", "FILE"},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json,
		 "One JSON object per event on stdout", NULL},
		{"tun", 0, 0, G_OPTION_ARG_STRING, &tun,
		 "TUN device name (default ferry%d)", "NAME"},
		{"no-dns", 0, 0, G_OPTION_ARG_NONE, &no_dns,
		 "Leave the DNS configuration alone", NULL},
		{"profile-dir", 0, 0, G_OPTION_ARG_FILENAME, &profile_dir,
		 "Where stored profiles live (see ferry --help)", "DIR"},
		{NULL},
	};
	/* clang-format on */

	options = g_option_context_new("- connect and stay in the foreground until Ctrl-C");
	g_option_context_add_main_entries(options, entries, NULL);
	g_option_context_set_summary(options, "Secrets are read from --secrets or asked for on "
	                                      "the terminal, never taken from the command line.");
	if (!g_option_context_parse(options, &argc, &argv, &error))
		return cli_usage_error("connect: %s", error->message);
	if (argc > 1)
		return cli_usage_error("connect: unexpected argument '%s'", argv[1]);
	if (profile_arg == NULL)
		return cli_usage_error("connect: --profile is required");

	profile = load_profile(profile_arg, profile_dir, &secrets, &error);
	/* --secrets wins; a stored profile's own secrets come next; then the prompt. */
	if (profile != NULL && (secrets_arg != NULL || secrets == NULL ||
	                        (profile->auth == FERRY_AUTH_PSK && secrets->psk == NULL))) {
		g_clear_pointer(&secrets, ferry_profile_secrets_free);
		if (secrets_arg == NULL)
			context = CLI_CONTEXT_TERMINAL;
		secrets = cli_secrets_load(profile, secrets_arg, &error);
	}
	if (secrets != NULL)
		session = ferry_session_new(profile, secrets, &error);
	if (session == NULL)
		return fail_early(error, context, json);
	g_clear_pointer(&secrets, ferry_profile_secrets_free);

	ferry_session_set_tun_name(session, tun);
	ferry_session_set_run_dir(session, cli_run_dir());
	ferry_session_set_apply_dns(session, !no_dns);
	apply_environment(session);

	c.session = session;
	c.json = json;
	c.loop = g_main_loop_new(NULL, FALSE);
	g_signal_connect(session, "timeline", G_CALLBACK(timeline_cb), &c);
	g_signal_connect(session, "state-changed", G_CALLBACK(state_changed_cb), &c);
	g_unix_signal_add(SIGINT, signalled_cb, &c);
	g_unix_signal_add(SIGTERM, signalled_cb, &c);
	g_unix_signal_add(SIGHUP, signalled_cb, &c);

	cli_cleanup_before_connect();
	status = cli_status_new(profile);
	c.status = status;
	if (status != NULL)
		status_source = g_timeout_add_seconds(STATUS_INTERVAL_S, status_due_cb, &c);
	if (!ferry_session_connect(session, &error)) {
		g_main_loop_unref(c.loop);
		g_clear_handle_id(&status_source, g_source_remove);
		return fail_early(error, CLI_CONTEXT_SESSION, json);
	}
	g_main_loop_run(c.loop);
	g_main_loop_unref(c.loop);
	g_clear_handle_id(&status_source, g_source_remove);
	return c.exit_code;
}
