/* main.c - nm-ferry-auth-dialog: asks for a Ferry connection's secrets for a secret agent
 *
 * NetworkManager's agents (GNOME Shell, nm-applet, nmcli) run it as
 *   nm-ferry-auth-dialog -u UUID -n NAME -s SERVICE [-i] [-r] [-t HINT]... [--external-ui-mode]
 * with the connection's vpn.data/vpn.secrets on stdin.  --external-ui-mode only describes
 * what to ask (the agent prompts) and never initialises GTK, so it works without a display.
 * Secrets the flags mark agent-owned are looked up in, and saved to, the user's keyring
 * under NetworkManager's own libsecret schema, where GNOME's agent finds them too.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gtk/gtk.h>
#include <libsecret/secret.h>
#include <NetworkManager.h>

#include "ferry-secret.h"
#include "nm-ferry-auth-dialog.h"
#include "nm-ferry-keys.h"

/* NetworkManager's schema for connection secrets (libnm-core's keyring attributes). */
static const SecretSchema nm_secret_schema = {
	"org.freedesktop.NetworkManager.Connection",
	SECRET_SCHEMA_DONT_MATCH_NAME,
	{
          {"connection-uuid", SECRET_SCHEMA_ATTRIBUTE_STRING},
          {"setting-name", SECRET_SCHEMA_ATTRIBUTE_STRING},
          {"setting-key", SECRET_SCHEMA_ATTRIBUTE_STRING},
          {NULL, 0},
	  },
};

static gboolean
have_session_bus(void)
{
	g_autofree char *address = g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SESSION, NULL, NULL);

	return address != NULL;
}

/* Fills agent-owned secrets the agent did not send from the user's keyring. */
static void
lookup_keyring(const char *uuid, GHashTable *data, GHashTable *secrets)
{
	const NMFerryKey *keys;
	guint n;

	if (!uuid || !have_session_bus())
		return;
	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++) {
		g_autofree char *flags_key = NULL;
		const char *flags;
		char *value;

		if (keys[i].type != NM_FERRY_KEY_SECRET ||
		    g_hash_table_contains(secrets, keys[i].name))
			continue;
		flags_key = g_strconcat(keys[i].name, NM_FERRY_FLAGS_SUFFIX, NULL);
		flags = g_hash_table_lookup(data, flags_key);
		if (!flags || !(atoi(flags) & NM_SETTING_SECRET_FLAG_AGENT_OWNED))
			continue;
		value = secret_password_lookup_sync(
			&nm_secret_schema, NULL, NULL, "connection-uuid", uuid, "setting-name",
			NM_SETTING_VPN_SETTING_NAME, "setting-key", keys[i].name, NULL);
		if (value) {
			g_hash_table_insert(secrets, g_strdup(keys[i].name), g_strdup(value));
			secret_password_free(value);
		}
	}
}

static void
store_keyring(const NMFerryAuthRequest *r, const NMFerryAuthSecret *s)
{
	g_autofree char *label = g_strdup_printf("VPN %s secret for %s", s->key, r->name);
	g_autoptr(GError) error = NULL;

	if (!r->uuid || !have_session_bus())
		return;
	if (!secret_password_store_sync(&nm_secret_schema, SECRET_COLLECTION_DEFAULT, label,
	                                s->value, NULL, &error, "connection-uuid", r->uuid,
	                                "setting-name", NM_SETTING_VPN_SETTING_NAME, "setting-key",
	                                s->key, NULL))
		g_printerr("nm-ferry-auth-dialog: cannot save %s in the keyring: %s\n", s->key,
		           error->message);
}

/* --- the GTK 4 dialog (normal mode with interaction only) ----------------------------- */

typedef struct {
	GMainLoop *loop;
	gboolean ok;
} DialogRun;

static void
button_clicked_cb(GtkButton *button, gpointer data)
{
	DialogRun *run = data;

	run->ok = GPOINTER_TO_INT(g_object_get_data(G_OBJECT(button), "ok"));
	g_main_loop_quit(run->loop);
}

static gboolean
close_request_cb(GtkWindow *window, gpointer data)
{
	DialogRun *run = data;

	run->ok = FALSE;
	g_main_loop_quit(run->loop);
	return TRUE;
}

static gboolean
ask_user(NMFerryAuthRequest *r)
{
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_autoptr(GPtrArray) entries = g_ptr_array_new();
	DialogRun run = {loop, FALSE};
	g_autofree char *title = g_strdup_printf("Authenticate VPN %s", r->name ? r->name : "");
	GtkWidget *window, *grid, *buttons, *ok, *cancel, *intro;
	int row = 0;

	if (!gtk_init_check()) {
		g_printerr("nm-ferry-auth-dialog: no display to ask on\n");
		return FALSE;
	}
	window = gtk_window_new();
	gtk_window_set_title(GTK_WINDOW(window), title);
	gtk_window_set_modal(GTK_WINDOW(window), TRUE);
	grid = gtk_grid_new();
	g_object_set(grid, "margin-start", 18, "margin-end", 18, "margin-top", 18, "margin-bottom",
	             18, "row-spacing", 8, "column-spacing", 12, NULL);
	intro = gtk_label_new(r->message ? r->message : "Secrets are required to connect.");
	gtk_label_set_wrap(GTK_LABEL(intro), TRUE);
	gtk_grid_attach(GTK_GRID(grid), intro, 0, row++, 2, 1);
	for (guint i = 0; i < r->secrets->len; i++) {
		NMFerryAuthSecret *s = r->secrets->pdata[i];
		GtkWidget *entry;

		if (!s->should_ask)
			continue;
		entry = gtk_password_entry_new();
		gtk_password_entry_set_show_peek_icon(GTK_PASSWORD_ENTRY(entry), TRUE);
		gtk_editable_set_text(GTK_EDITABLE(entry), s->value ? s->value : "");
		g_object_set_data(G_OBJECT(entry), "secret", s);
		gtk_grid_attach(GTK_GRID(grid), gtk_label_new(s->label), 0, row, 1, 1);
		gtk_grid_attach(GTK_GRID(grid), entry, 1, row++, 1, 1);
		g_ptr_array_add(entries, entry);
	}
	buttons = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	gtk_widget_set_halign(buttons, GTK_ALIGN_END);
	cancel = gtk_button_new_with_mnemonic("_Cancel");
	ok = gtk_button_new_with_mnemonic("C_onnect");
	g_object_set_data(G_OBJECT(ok), "ok", GINT_TO_POINTER(1));
	gtk_box_append(GTK_BOX(buttons), cancel);
	gtk_box_append(GTK_BOX(buttons), ok);
	gtk_grid_attach(GTK_GRID(grid), buttons, 0, row, 2, 1);
	gtk_window_set_child(GTK_WINDOW(window), grid);
	gtk_window_set_default_widget(GTK_WINDOW(window), ok);
	g_signal_connect(ok, "clicked", G_CALLBACK(button_clicked_cb), &run);
	g_signal_connect(cancel, "clicked", G_CALLBACK(button_clicked_cb), &run);
	g_signal_connect(window, "close-request", G_CALLBACK(close_request_cb), &run);
	gtk_window_present(GTK_WINDOW(window));
	g_main_loop_run(loop);
	for (guint i = 0; run.ok && i < entries->len; i++) {
		NMFerryAuthSecret *s = g_object_get_data(entries->pdata[i], "secret");
		const char *text = gtk_editable_get_text(GTK_EDITABLE(entries->pdata[i]));

		if (s->value)
			ferry_wipe(s->value, strlen(s->value));
		g_free(s->value);
		s->value = *text ? g_strdup(text) : NULL;
		if (s->value && s->agent_owned)
			store_keyring(r, s);
	}
	gtk_window_destroy(GTK_WINDOW(window));
	return run.ok;
}

/* --- main ------------------------------------------------------------------------- */

static void
print_and_wipe(char *text)
{
	fputs(text, stdout);
	fflush(stdout);
	ferry_wipe(text, strlen(text));
	g_free(text);
}

/* The agent sends "QUIT" when it has read our answer. */
static void
wait_for_quit(void)
{
	char line[256];

	while (fgets(line, sizeof(line), stdin)) {
		if (strncmp(line, "QUIT", 4) == 0)
			break;
	}
}

int
main(int argc, char **argv)
{
	g_autofree char *uuid = NULL, *name = NULL, *service = NULL;
	g_auto(GStrv) hints = NULL;
	gboolean interaction = FALSE, reprompt = FALSE, external_ui = FALSE;
	GOptionEntry entries[] = {
		{"reprompt", 'r', 0, G_OPTION_ARG_NONE, &reprompt, "Ask even for known secrets",
	         NULL},
		{"uuid",         'u', 0, G_OPTION_ARG_STRING, &uuid, "Connection UUID", "UUID"},
		{"name", 'n', 0, G_OPTION_ARG_STRING, &name, "Connection name", "NAME"},
		{"service",       's', 0, G_OPTION_ARG_STRING, &service, "VPN service type", "SERVICE"},
		{"allow-interaction",     'i', 0, G_OPTION_ARG_NONE, &interaction,
	         "The user may be asked", NULL},
		{"external-ui-mode",         0, 0, G_OPTION_ARG_NONE, &external_ui,
	         "Describe the secrets for the agent's own prompt", NULL},
		{"hint",     't', 0, G_OPTION_ARG_STRING_ARRAY, &hints, "Secret to ask for", "HINT"},
		{NULL   },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("- Ferry VPN secrets");
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) data = NULL;
	g_autoptr(GHashTable) secrets = NULL;
	g_autoptr(NMFerryAuthRequest) request = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	/* Parsing must not touch GTK: no gtk_get_option_group(). */
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		g_printerr("nm-ferry-auth-dialog: %s\n", error->message);
		return EXIT_FAILURE;
	}
	if (!uuid || !name || g_strcmp0(service, NM_FERRY_VPN_SERVICE_TYPE) != 0) {
		g_printerr("nm-ferry-auth-dialog: need -u UUID -n NAME -s %s\n",
		           NM_FERRY_VPN_SERVICE_TYPE);
		return EXIT_FAILURE;
	}
	if (!nm_vpn_service_plugin_read_vpn_details(0, &data, &secrets)) {
		g_printerr("nm-ferry-auth-dialog: cannot read the connection from stdin\n");
		return EXIT_FAILURE;
	}
	lookup_keyring(uuid, data, secrets);
	request = nm_ferry_auth_request_new(name, uuid, data, secrets, (const char *const *)hints,
	                                    reprompt, &error);
	if (!request) {
		g_printerr("nm-ferry-auth-dialog: %s\n", error->message);
		return EXIT_FAILURE;
	}
	if (external_ui) {
		print_and_wipe(nm_ferry_auth_request_to_external_ui(request));
		return EXIT_SUCCESS;
	}
	if (nm_ferry_auth_request_needs_input(request) && interaction && !ask_user(request))
		return EXIT_FAILURE;
	print_and_wipe(nm_ferry_auth_request_to_reply(request));
	wait_for_quit();
	return EXIT_SUCCESS;
}
