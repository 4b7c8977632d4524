/* main.c - nm-ferry-service: the program NetworkManager starts for a Ferry VPN connection */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include <glib-unix.h>

#include "ferry.h"
#include "nm-ferry-keys.h"
#include "nm-ferry-service.h"

/* Grace period after "finished" so the last StateChanged signals reach NetworkManager. */
#define FINISH_DELAY_MS 200

typedef struct {
	int level;       /* syslog level NetworkManager asked for (NM_VPN_LOG_LEVEL) */
	gboolean syslog; /* NM_VPN_LOG_SYSLOG=1 */
} LogConfig;

static LogConfig log_config = {LOG_NOTICE, FALSE};

static int
syslog_level(GLogLevelFlags level)
{
	if (level & G_LOG_LEVEL_ERROR)
		return LOG_CRIT;
	if (level & G_LOG_LEVEL_CRITICAL)
		return LOG_ERR;
	if (level & G_LOG_LEVEL_WARNING)
		return LOG_WARNING;
	if (level & G_LOG_LEVEL_MESSAGE)
		return LOG_NOTICE;
	if (level & G_LOG_LEVEL_INFO)
		return LOG_INFO;
	return LOG_DEBUG;
}

/* NetworkManager decides the verbosity (STYLE.md §9: no switch that may show secrets, and
 * nothing secret is ever logged). */
static GLogWriterOutput
write_log(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
	const char *message = NULL, *domain = NULL;
	int prio = syslog_level(level);

	if (prio > log_config.level)
		return G_LOG_WRITER_HANDLED;
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
			message = fields[i].value;
		else if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0)
			domain = fields[i].value;
	}
	if (!message)
		return G_LOG_WRITER_UNHANDLED;
	if (log_config.syslog)
		syslog(prio, "%s: %s", domain ? domain : "nm-ferry", message);
	else
		fprintf(stderr, "nm-ferry[%d] <%d> %s: %s\n", (int)getpid(), prio,
		        domain ? domain : "nm-ferry", message);
	return G_LOG_WRITER_HANDLED;
}

static void
setup_logging(gboolean debug)
{
	const char *level = g_getenv("NM_VPN_LOG_LEVEL");
	const char *use_syslog = g_getenv("NM_VPN_LOG_SYSLOG");

	if (level) {
		gint64 v = g_ascii_strtoll(level, NULL, 10);

		log_config.level = (int)CLAMP(v, 0, LOG_DEBUG);
	}
	if (debug)
		log_config.level = LOG_DEBUG;
	log_config.syslog = use_syslog ? g_strcmp0(use_syslog, "1") == 0 : !debug;
	/* Without a syslog socket (containers, test labs) the reasons would be lost. */
	if (log_config.syslog && !g_file_test("/dev/log", G_FILE_TEST_EXISTS))
		log_config.syslog = FALSE;
	if (log_config.syslog)
		openlog("nm-ferry", LOG_PID, LOG_DAEMON);
	if (log_config.level >= LOG_DEBUG)
		g_setenv("G_MESSAGES_DEBUG", "all", TRUE);
	g_log_set_writer_func(write_log, NULL, NULL);
}

static gboolean
quit_cb(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

static void
finished_cb(NMFerryService *service, gpointer data)
{
	g_timeout_add(FINISH_DELAY_MS, quit_cb, data);
}

/* libnm asks to quit as soon as the plugin is STOPPED (it watches NetworkManager); a session
 * still sending DELETE finishes first and "finished" follows. */
static void
libnm_quit_cb(NMVpnServicePlugin *plugin, gpointer data)
{
	if (nm_ferry_service_is_idle(NM_FERRY_SERVICE(plugin)))
		g_timeout_add(FINISH_DELAY_MS, quit_cb, data);
}

typedef struct {
	GMainLoop *loop;
	NMFerryService *service;
} App;

/* SIGTERM/SIGINT: end a running connection cleanly (DELETE), then quit on "finished". */
static gboolean
signal_cb(gpointer data)
{
	App *app = data;
	NMVpnServiceState state = NM_VPN_SERVICE_STATE_UNKNOWN;

	g_object_get(app->service, NM_VPN_SERVICE_PLUGIN_STATE, &state, NULL);
	if (state != NM_VPN_SERVICE_STATE_STARTING && state != NM_VPN_SERVICE_STATE_STARTED) {
		g_main_loop_quit(app->loop);
		return G_SOURCE_CONTINUE;
	}
	g_info("signal received, disconnecting");
	nm_vpn_service_plugin_disconnect(NM_VPN_SERVICE_PLUGIN(app->service), NULL);
	return G_SOURCE_CONTINUE;
}

/* Undo what a ferry killed or crashed in this namespace left behind (ferry.h), and say so. */
static void
cleanup_leftovers(void)
{
	g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;

	if (!ferry_session_cleanup_leftovers(NULL, done, &error))
		g_message("cannot look for what an earlier ferry left behind: %s", error->message);
	for (guint i = 0; i < done->len; i++)
		g_message("%s", (char *)g_ptr_array_index(done, i));
}

int
main(int argc, char **argv)
{
	g_autofree char *bus_name = NULL;
	g_autofree char *tun_name = NULL;
	gboolean persist = FALSE, debug = FALSE;
	GOptionEntry entries[] = {
		{"persist", 0, 0, G_OPTION_ARG_NONE, &persist,
	         "Do not quit when the connection ends", NULL},
		{"debug",        0, 0, G_OPTION_ARG_NONE, &debug, "Log protocol details to stderr", NULL},
		{"bus-name", 0, 0, G_OPTION_ARG_STRING, &bus_name, "D-Bus name to own", "NAME"},
		{"tun-name",     0, 0, G_OPTION_ARG_STRING, &tun_name,
	         "TUN device name or template (default ferry%d)", "NAME"},
		{NULL  },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(NMFerryService) service = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	App app;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(ctx, "Ferry IKEv2 VPN service for NetworkManager.");
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		fprintf(stderr, "nm-ferry-service: %s\n", error->message);
		return EXIT_FAILURE;
	}
	setup_logging(debug);
	cleanup_leftovers();
	if (!bus_name)
		bus_name = g_strdup(NM_FERRY_VPN_SERVICE_TYPE);
	if (!g_dbus_is_name(bus_name)) {
		g_warning("'%s' is not a D-Bus name", bus_name);
		return EXIT_FAILURE;
	}
	service = nm_ferry_service_new(bus_name, &error);
	if (!service) {
		g_warning("cannot start the service on %s: %s", bus_name, error->message);
		return EXIT_FAILURE;
	}
	if (tun_name)
		nm_ferry_service_set_tun_name(service, tun_name);
	loop = g_main_loop_new(NULL, FALSE);
	if (!persist) {
		g_signal_connect(service, "quit", G_CALLBACK(libnm_quit_cb), loop);
		g_signal_connect(service, "finished", G_CALLBACK(finished_cb), loop);
	}
	app.loop = loop;
	app.service = service;
	g_unix_signal_add(SIGTERM, signal_cb, &app);
	g_unix_signal_add(SIGINT, signal_cb, &app);
	g_info("service started on %s", bus_name);
	g_main_loop_run(loop);
	/* Failure and StateChanged may still sit in the send queue. */
	g_dbus_connection_flush_sync(
		nm_vpn_service_plugin_get_connection(NM_VPN_SERVICE_PLUGIN(service)), NULL, NULL);
	return EXIT_SUCCESS;
}
