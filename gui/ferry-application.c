/* ferry-application.c - FerryApplication: startup (NMClient, styles), windows, app actions */
#include "config.h"

#include <glib/gi18n.h>

#include "ferry-application.h"
#include "ferry-notify.h"
#include "ferry-secret-agent.h"
#include "ferry-tray.h"
#include "ferry-window.h"

struct _FerryApplication {
	AdwApplication parent;

	/* owned */
	NMClient *client;
	FerryNotify *notify;
	FerryTray *tray;
	FerrySecretAgent *agent;
	GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE(FerryApplication, ferry_application, ADW_TYPE_APPLICATION)

static FerryWindow *
ensure_window(FerryApplication *self)
{
	GtkWindow *window = gtk_application_get_active_window(GTK_APPLICATION(self));

	if (!window)
		window = GTK_WINDOW(ferry_window_new(self, self->client));
	return FERRY_WINDOW(window);
}

static void
import_activated_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	FerryApplication *self = user_data;
	FerryWindow *window = ensure_window(self);

	gtk_window_present(GTK_WINDOW(window));
	ferry_window_import_path(window, g_variant_get_string(parameter, NULL));
}

static void
new_activated_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	FerryWindow *window = ensure_window(user_data);

	gtk_window_present(GTK_WINDOW(window));
	gtk_widget_activate_action(GTK_WIDGET(window), "win.add", NULL);
}

/* app.connect(s)/app.disconnect(s): win.* for `gapplication action` and D-Bus callers. */
static void
forward_activated_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	FerryWindow *window = ensure_window(user_data);
	g_autofree char *name = g_strconcat("win.", g_action_get_name(G_ACTION(action)), NULL);

	gtk_widget_activate_action_variant(GTK_WIDGET(window), name, parameter);
}

static void
about_activated_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	GtkWindow *window = gtk_application_get_active_window(GTK_APPLICATION(user_data));

	adw_show_about_window(window, "application-name", _("Ferry"), "application-icon",
	                      FERRY_APP_ID, "version", PACKAGE_VERSION, "license-type",
	                      GTK_LICENSE_GPL_2_0, "comments",
	                      _("IKEv2/IPsec VPN connections for NetworkManager"), NULL);
}

static void
quit_activated_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	g_application_quit(G_APPLICATION(user_data));
}

static const GActionEntry app_actions[] = {
	{"import",     import_activated_cb,  "s",  NULL, NULL, {0}},
	{"new",        new_activated_cb,     NULL, NULL, NULL, {0}},
	{"connect",    forward_activated_cb, "s",  NULL, NULL, {0}},
	{"disconnect", forward_activated_cb, "s",  NULL, NULL, {0}},
	{"about",      about_activated_cb,   NULL, NULL, NULL, {0}},
	{"quit",       quit_activated_cb,    NULL, NULL, NULL, {0}},
};

static void
agent_registered_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	FerrySecretAgent *agent = ferry_secret_agent_new_finish(result, &error);

	if (!agent) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_message("not serving secrets to NetworkManager: %s", error->message);
		return;
	}
	FERRY_APPLICATION(user_data)->agent = agent;
}

static void
ferry_application_startup(GApplication *app)
{
	FerryApplication *self = FERRY_APPLICATION(app);
	g_autoptr(GError) error = NULL;
	static const char *const quit_accels[] = {"<Control>q", NULL};
	static const char *const import_accels[] = {"<Control>o", NULL};
	static const char *const add_accels[] = {"<Control>n", NULL};
	static const char *const save_accels[] = {"<Control>s", NULL};

	G_APPLICATION_CLASS(ferry_application_parent_class)->startup(app);

	g_action_map_add_action_entries(G_ACTION_MAP(self), app_actions, G_N_ELEMENTS(app_actions),
	                                self);
	gtk_application_set_accels_for_action(GTK_APPLICATION(self), "app.quit", quit_accels);
	gtk_application_set_accels_for_action(GTK_APPLICATION(self), "win.import-dialog",
	                                      import_accels);
	gtk_application_set_accels_for_action(GTK_APPLICATION(self), "win.add", add_accels);
	gtk_application_set_accels_for_action(GTK_APPLICATION(self), "win.save", save_accels);

	self->client = nm_client_new(NULL, &error);
	self->notify = ferry_notify_new(app, self->client);
	self->tray = ferry_tray_new(app, self->client);
	if (!self->client) {
		g_message("NetworkManager is not reachable: %s", error->message);
		return;
	}
	/* Serves the keyring's secrets to NetworkManager while the app runs. */
	{
		g_autoptr(FerrySecretStore) store = ferry_secret_store_libsecret_new();

		self->cancellable = g_cancellable_new();
		ferry_secret_agent_new_async(store, self->cancellable, agent_registered_cb, self);
	}
}

static void
ferry_application_activate(GApplication *app)
{
	gtk_window_present(GTK_WINDOW(ensure_window(FERRY_APPLICATION(app))));
}

static void
ferry_application_dispose(GObject *object)
{
	FerryApplication *self = FERRY_APPLICATION(object);

	g_clear_object(&self->notify);
	g_clear_object(&self->tray);
	if (self->cancellable)
		g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->agent);
	g_clear_object(&self->client);
	G_OBJECT_CLASS(ferry_application_parent_class)->dispose(object);
}

static void
ferry_application_class_init(FerryApplicationClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GApplicationClass *app_class = G_APPLICATION_CLASS(klass);

	object_class->dispose = ferry_application_dispose;
	app_class->startup = ferry_application_startup;
	app_class->activate = ferry_application_activate;
}

static void
ferry_application_init(FerryApplication *self)
{
}

FerryApplication *
ferry_application_new(void)
{
	return g_object_new(FERRY_TYPE_APPLICATION, "application-id", FERRY_APP_ID, "flags",
	                    G_APPLICATION_DEFAULT_FLAGS, "resource-base-path",
	                    "/org/ferry_vpn/Ferry", NULL);
}

NMClient *
ferry_application_get_client(FerryApplication *self)
{
	g_return_val_if_fail(FERRY_IS_APPLICATION(self), NULL);

	return self->client;
}
