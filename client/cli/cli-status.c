/* cli-status.c - `ferry status`: what the running `ferry connect` sessions are doing
 *
 * Each `ferry connect` keeps <run dir>/<pid>.status (a keyfile, mode 0600, in the directory of
 * the crash records, io-record.h) up to date from its timeline, and every second with the
 * traffic counters while the tunnel is up; it removes the file when it ends.  `ferry status`
 * shows the files of live processes in this network namespace.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define GROUP         "status"
#define STATUS_SUFFIX ".status"
#define DEFAULT_DIR   "/run/ferry"

struct _CliStatus {
	char *path;
	GKeyFile *kf;
};

static const char *
run_dir(void)
{
	return cli_run_dir() != NULL ? cli_run_dir() : DEFAULT_DIR;
}

static char *
netns_id(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st) < 0)
		return NULL;
	return g_strdup_printf("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT, (guint64)st.st_dev,
	                       (guint64)st.st_ino);
}

CliStatus *
cli_status_new(const FerryProfile *profile)
{
	g_autofree char *netns = netns_id();
	CliStatus *status;

	/* Without the directory there is no status to show; the tunnel works regardless. */
	if (g_mkdir_with_parents(run_dir(), 0700) < 0)
		return NULL;
	status = g_new0(CliStatus, 1);
	status->path = g_strdup_printf("%s/%d" STATUS_SUFFIX, run_dir(), (int)getpid());
	status->kf = g_key_file_new();
	g_key_file_set_integer(status->kf, GROUP, "pid", (int)getpid());
	if (netns != NULL)
		g_key_file_set_string(status->kf, GROUP, "netns", netns);
	g_key_file_set_string(status->kf, GROUP, "profile", profile->name ? profile->name : "");
	g_key_file_set_string(status->kf, GROUP, "gateway", profile->gateway);
	g_key_file_set_string(status->kf, GROUP, "phase", "connecting");
	g_key_file_set_int64(status->kf, GROUP, "started", g_get_real_time() / G_USEC_PER_SEC);
	cli_status_write(status);
	return status;
}

void
cli_status_free(CliStatus *status)
{
	if (status == NULL)
		return;
	(void)unlink(status->path);
	g_key_file_free(status->kf);
	g_free(status->path);
	g_free(status);
}

void
cli_status_write(CliStatus *status)
{
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	g_autofree char *data = g_key_file_to_data(status->kf, &len, NULL);

	if (!g_file_set_contents_full(status->path, data, (gssize)len,
	                              G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
		g_debug("status: %s", error->message);
}

static void
set_list(GKeyFile *kf, const char *key, const FerryEvent *event)
{
	g_autofree const char **list = ferry_event_get_strv(event, key);

	if (list != NULL)
		g_key_file_set_string_list(kf, GROUP, key, list, g_strv_length((char **)list));
}

static void
set_string(GKeyFile *kf, const char *key, const FerryEvent *event, const char *detail)
{
	const char *value = ferry_event_get_string(event, detail);

	if (value != NULL)
		g_key_file_set_string(kf, GROUP, key, value);
}

void
cli_status_event(CliStatus *status, const FerryEvent *event)
{
	GKeyFile *kf = status->kf;
	g_autofree char *child = NULL;

	switch (event->type) {
	case FERRY_EVENT_STATE:
		set_string(kf, "ike-state", event, "state");
		break;
	case FERRY_EVENT_IKE_PROPOSAL:
		set_string(kf, "ike-proposal", event, "proposal");
		break;
	case FERRY_EVENT_NAT:
		g_key_file_set_boolean(kf, GROUP, "nat-local",
		                       ferry_event_get_boolean(event, "local"));
		g_key_file_set_boolean(kf, GROUP, "nat-remote",
		                       ferry_event_get_boolean(event, "remote"));
		break;
	case FERRY_EVENT_AUTHENTICATED:
		set_string(kf, "auth", event, "method");
		set_string(kf, "peer", event, "peer");
		break;
	case FERRY_EVENT_CHILD_SA:
		child = g_strdup_printf("%s %s %s",
		                        ferry_event_get_string(event, "protocol") ?: "?",
		                        ferry_event_get_string(event, "mode") ?: "?",
		                        ferry_event_get_string(event, "proposal") ?: "?");
		g_key_file_set_string(kf, GROUP, "child-sa", child);
		break;
	case FERRY_EVENT_UP:
		g_key_file_set_string(kf, GROUP, "phase", "up");
		g_key_file_set_int64(kf, GROUP, "up-since", g_get_real_time() / G_USEC_PER_SEC);
		set_string(kf, "tun", event, "tun");
		set_string(kf, "ip4", event, "ip4");
		set_string(kf, "ip6", event, "ip6");
		set_list(kf, "dns", event);
		set_list(kf, "routes", event);
		break;
	case FERRY_EVENT_REKEYED:
		g_key_file_set_integer(kf, GROUP, "rekeys",
		                       g_key_file_get_integer(kf, GROUP, "rekeys", NULL) + 1);
		break;
	case FERRY_EVENT_DOWN:
		g_key_file_set_string(kf, GROUP, "phase", "down");
		break;
	case FERRY_EVENT_SENT:
	case FERRY_EVENT_RECEIVED:
	case FERRY_EVENT_KE_RETRY:
	case FERRY_EVENT_COOKIE:
	case FERRY_EVENT_CONFIG:
	case FERRY_EVENT_DPD:
	case FERRY_EVENT_STATS:
	case FERRY_EVENT_ERROR:
		return; /* nothing the status shows */
	}
	cli_status_write(status);
}

void
cli_status_set_stats(CliStatus *status, const FerrySessionStats *stats)
{
	g_key_file_set_uint64(status->kf, GROUP, "packets-in", stats->packets_in);
	g_key_file_set_uint64(status->kf, GROUP, "packets-out", stats->packets_out);
	g_key_file_set_uint64(status->kf, GROUP, "bytes-in", stats->bytes_in);
	g_key_file_set_uint64(status->kf, GROUP, "bytes-out", stats->bytes_out);
	g_key_file_set_uint64(status->kf, GROUP, "dropped", stats->dropped);
	g_key_file_set_uint64(status->kf, GROUP, "keepalives-out", stats->keepalives_out);
	cli_status_write(status);
}

/* --- ferry status --- */

static char *
get(GKeyFile *kf, const char *key)
{
	char *value = g_key_file_get_string(kf, GROUP, key, NULL);

	return value != NULL ? value : g_strdup("-");
}

static char *
get_list(GKeyFile *kf, const char *key)
{
	g_auto(GStrv) list = g_key_file_get_string_list(kf, GROUP, key, NULL, NULL);

	return list != NULL && list[0] != NULL ? g_strjoinv(" ", list) : g_strdup("-");
}

static char *
format_duration(gint64 seconds)
{
	if (seconds < 0)
		seconds = 0;
	if (seconds < 60)
		return g_strdup_printf("%" G_GINT64_FORMAT " s", seconds);
	if (seconds < 3600)
		return g_strdup_printf("%" G_GINT64_FORMAT " min %" G_GINT64_FORMAT " s",
		                       seconds / 60, seconds % 60);
	return g_strdup_printf("%" G_GINT64_FORMAT " h %" G_GINT64_FORMAT " min", seconds / 3600,
	                       seconds % 3600 / 60);
}

static const char *
nat_text(GKeyFile *kf)
{
	gboolean local = g_key_file_get_boolean(kf, GROUP, "nat-local", NULL);
	gboolean remote = g_key_file_get_boolean(kf, GROUP, "nat-remote", NULL);

	if (!g_key_file_has_key(kf, GROUP, "nat-local", NULL))
		return "none seen (ESP directly)";
	if (local)
		return remote ? "on both sides (UDP 4500)" : "in front of us (UDP 4500)";
	return remote ? "in front of the gateway (UDP 4500)" : "none seen, UDP 4500 forced";
}

static void
print_status(GKeyFile *kf)
{
	g_autofree char *phase = get(kf, "phase");
	g_autofree char *tun = get(kf, "tun");
	g_autofree char *profile = get(kf, "profile");
	g_autofree char *gateway = get(kf, "gateway");
	g_autofree char *peer = get(kf, "peer");
	g_autofree char *auth = get(kf, "auth");
	g_autofree char *ike = get(kf, "ike-proposal");
	g_autofree char *child = get(kf, "child-sa");
	g_autofree char *ip4 = get(kf, "ip4");
	g_autofree char *ip6 = get(kf, "ip6");
	g_autofree char *dns = get_list(kf, "dns");
	g_autofree char *routes = get_list(kf, "routes");
	g_autofree char *ike_state = get(kf, "ike-state");
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	gint64 since = g_key_file_get_int64(kf, GROUP, "up-since", NULL);
	g_autofree char *duration = format_duration(
		now - (since != 0 ? since : g_key_file_get_int64(kf, GROUP, "started", NULL)));

	printf("%s: %s for %s (profile %s, pid %d)\n",
	       strcmp(tun, "-") != 0 ? tun : "no tunnel yet", phase, duration, profile,
	       g_key_file_get_integer(kf, GROUP, "pid", NULL));
	printf("  gateway:    %s (%s, %s)\n", gateway, peer, auth);
	printf("  IKE SA:     %s, state %s\n", ike, ike_state);
	printf("  Child SA:   %s\n", child);
	printf("  NAT:        %s\n", nat_text(kf));
	printf("  addresses:  %s %s\n", ip4, ip6);
	printf("  DNS:        %s\n", dns);
	printf("  routes:     %s\n", routes);
	printf("  traffic:    in %" G_GUINT64_FORMAT " packets, %" G_GUINT64_FORMAT
	       " bytes; out %" G_GUINT64_FORMAT " packets, %" G_GUINT64_FORMAT
	       " bytes; dropped %" G_GUINT64_FORMAT "\n",
	       g_key_file_get_uint64(kf, GROUP, "packets-in", NULL),
	       g_key_file_get_uint64(kf, GROUP, "bytes-in", NULL),
	       g_key_file_get_uint64(kf, GROUP, "packets-out", NULL),
	       g_key_file_get_uint64(kf, GROUP, "bytes-out", NULL),
	       g_key_file_get_uint64(kf, GROUP, "dropped", NULL));
	printf("  keepalives: %" G_GUINT64_FORMAT " sent\n",
	       g_key_file_get_uint64(kf, GROUP, "keepalives-out", NULL));
	printf("  rekeys:     %d\n", g_key_file_get_integer(kf, GROUP, "rekeys", NULL));
}

/* A status file of a live process in this namespace, written by our user. */
static GKeyFile *
load_live(const char *path, const char *netns)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree char *recorded = NULL;
	struct stat st;
	int pid;

	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    !g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL))
		return NULL;
	pid = g_key_file_get_integer(kf, GROUP, "pid", NULL);
	recorded = g_key_file_get_string(kf, GROUP, "netns", NULL);
	if (pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH) || g_strcmp0(recorded, netns) != 0)
		return NULL;
	return g_steal_pointer(&kf);
}

void
cli_status_remove_stale(void)
{
	g_autoptr(GDir) dir = g_dir_open(run_dir(), 0, NULL);
	g_autofree char *netns = netns_id();
	const char *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree char *path = g_build_filename(run_dir(), name, NULL);
		g_autoptr(GKeyFile) kf = g_key_file_new();
		g_autofree char *recorded = NULL;
		int pid;

		if (!g_str_has_suffix(name, STATUS_SUFFIX) ||
		    !g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL))
			continue;
		pid = g_key_file_get_integer(kf, GROUP, "pid", NULL);
		recorded = g_key_file_get_string(kf, GROUP, "netns", NULL);
		if (pid > 0 && pid != (int)getpid() && kill(pid, 0) < 0 && errno == ESRCH &&
		    g_strcmp0(recorded, netns) == 0)
			(void)unlink(path);
	}
}

int
cli_status(int argc, char **argv)
{
	g_autoptr(GOptionContext) options =
		g_option_context_new("- show the running ferry connections");
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = NULL;
	g_autofree char *netns = netns_id();
	const char *name;
	guint shown = 0;

	if (!g_option_context_parse(options, &argc, &argv, &error))
		return cli_usage_error("status: %s", error->message);
	if (argc > 1)
		return cli_usage_error("status: unexpected argument '%s'", argv[1]);
	dir = g_dir_open(run_dir(), 0, NULL);
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree char *path = g_build_filename(run_dir(), name, NULL);
		g_autoptr(GKeyFile) kf = NULL;

		if (!g_str_has_suffix(name, STATUS_SUFFIX))
			continue;
		kf = load_live(path, netns);
		if (kf == NULL)
			continue;
		if (shown++ > 0)
			putchar('\n');
		print_status(kf);
	}
	if (shown == 0) {
		printf("no ferry connection is running here\n");
		return CLI_EXIT_NOT_CONNECTED;
	}
	return CLI_EXIT_OK;
}
