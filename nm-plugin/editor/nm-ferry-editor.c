/* nm-ferry-editor.c - NMFerryEditor: nm-ferry-dialog.ui bound to the key table */
#include "config.h"

#include <string.h>

#include "ferry-profile.h"
#include "nm-ferry-editor.h"
#include "nm-ferry-keys.h"

#define UI_RESOURCE "/org/freedesktop/network-manager-ferry/nm-ferry-dialog.ui"

/* The secret-flag chooser's rows, in .ui order. */
static const NMSettingSecretFlags flag_rows[] = {
	NM_SETTING_SECRET_FLAG_NONE,
	NM_SETTING_SECRET_FLAG_AGENT_OWNED,
	NM_SETTING_SECRET_FLAG_NOT_SAVED,
	NM_SETTING_SECRET_FLAG_NOT_REQUIRED,
};

struct _NMFerryEditor {
	GObject parent;

	/* owned */
	GtkBuilder *builder;
	GtkWidget *widget;
	NMSettingVpn *original; /* a copy of the connection's setting: keys we do not show */
	GtkWidget *marked;      /* the widget flagged by the last validation error */
};

static void editor_iface_init(NMVpnEditorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(NMFerryEditor,
                              nm_ferry_editor,
                              G_TYPE_OBJECT,
                              G_IMPLEMENT_INTERFACE(NM_TYPE_VPN_EDITOR, editor_iface_init))

static GObject *
find_widget(NMFerryEditor *self, const char *key, const char *suffix)
{
	g_autofree char *id = g_strconcat(key, suffix, NULL);

	return gtk_builder_get_object(self->builder, id);
}

static FerryAuthMethod
current_auth(NMFerryEditor *self)
{
	guint selected = gtk_drop_down_get_selected(GTK_DROP_DOWN(find_widget(self, "auth", "")));

	return selected == GTK_INVALID_LIST_POSITION ? FERRY_AUTH_EAP_MSCHAPV2
	                                             : (FerryAuthMethod)selected;
}

/* Whether a key means anything for an authentication method; the others are hidden and
 * not saved, so switching methods leaves no stray credentials behind. */
static gboolean
key_relevant(const char *key, FerryAuthMethod auth)
{
	gboolean cert = auth == FERRY_AUTH_CERT || auth == FERRY_AUTH_EAP_TLS ||
	                auth == FERRY_AUTH_CERT_EAP;
	gboolean eap = auth == FERRY_AUTH_EAP_MSCHAPV2 || auth == FERRY_AUTH_EAP_TLS ||
	               auth == FERRY_AUTH_CERT_EAP;
	static const char *const cert_keys[] = {"client-cert",    "client-key",
	                                        "client-pkcs12",  "client-pkcs11-uri",
	                                        "key-passphrase", "pin"};

	if (strcmp(key, "psk") == 0)
		return auth == FERRY_AUTH_PSK;
	if (strcmp(key, "password") == 0)
		return auth == FERRY_AUTH_EAP_MSCHAPV2 || auth == FERRY_AUTH_CERT_EAP;
	if (strcmp(key, "eap-identity") == 0)
		return eap;
	/* RFC 5998: for a login that is EAP alone */
	if (strcmp(key, "eap-only") == 0)
		return auth == FERRY_AUTH_EAP_MSCHAPV2 || auth == FERRY_AUTH_EAP_TLS;
	for (gsize i = 0; i < G_N_ELEMENTS(cert_keys); i++) {
		if (strcmp(key, cert_keys[i]) == 0)
			return cert;
	}
	return TRUE;
}

static void
update_visibility(NMFerryEditor *self)
{
	static const char *const parts[] = {"", "-label", "-flags", "-choose"};
	FerryAuthMethod auth = current_auth(self);
	const NMFerryKey *keys;
	guint n;

	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++) {
		gboolean show = key_relevant(keys[i].name, auth);

		for (gsize p = 0; p < G_N_ELEMENTS(parts); p++) {
			GObject *w = find_widget(self, keys[i].name, parts[p]);

			if (w)
				gtk_widget_set_visible(GTK_WIDGET(w), show);
		}
	}
}

/* --- one value in, one value out -------------------------------------------------- */

static guint
choice_index(const NMFerryKey *k, const char *value)
{
	for (guint i = 0; value && k->choices && k->choices[i]; i++) {
		if (g_ascii_strcasecmp(k->choices[i], value) == 0)
			return i;
	}
	return 0;
}

static void
widget_set(GObject *w, const NMFerryKey *k, const char *value)
{
	if (GTK_IS_DROP_DOWN(w)) {
		gtk_drop_down_set_selected(GTK_DROP_DOWN(w), choice_index(k, value));
	} else if (GTK_IS_CHECK_BUTTON(w)) {
		gboolean on = k->type == NM_FERRY_KEY_ENUM
		                      ? choice_index(k, value) == 1
		                      : value && (g_ascii_strcasecmp(value, "yes") == 0 ||
		                                  g_ascii_strcasecmp(value, "true") == 0);

		gtk_check_button_set_active(GTK_CHECK_BUTTON(w), on);
	} else if (GTK_IS_SPIN_BUTTON(w)) {
		gtk_spin_button_set_value(GTK_SPIN_BUTTON(w),
		                          value ? g_ascii_strtod(value, NULL) : 0.0);
	} else if (GTK_IS_EDITABLE(w)) {
		gtk_editable_set_text(GTK_EDITABLE(w), value ? value : "");
	}
}

/* (transfer full) the widget's value in vpn.data syntax; "" for nothing. */
static char *
widget_get(GObject *w, const NMFerryKey *k)
{
	if (GTK_IS_DROP_DOWN(w)) {
		guint i = gtk_drop_down_get_selected(GTK_DROP_DOWN(w));

		return g_strdup(i == GTK_INVALID_LIST_POSITION ? "" : k->choices[i]);
	}
	if (GTK_IS_CHECK_BUTTON(w)) {
		gboolean on = gtk_check_button_get_active(GTK_CHECK_BUTTON(w));

		if (k->type == NM_FERRY_KEY_ENUM)
			return g_strdup(k->choices[on ? 1 : 0]);
		return g_strdup(on ? "yes" : "no");
	}
	if (GTK_IS_SPIN_BUTTON(w)) {
		/* Take what was typed even if it was not confirmed with Enter. */
		gtk_spin_button_update(GTK_SPIN_BUTTON(w));
		return g_strdup_printf("%d", gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(w)));
	}
	if (GTK_IS_EDITABLE(w))
		return g_strstrip(g_strdup(gtk_editable_get_text(GTK_EDITABLE(w))));
	return g_strdup("");
}

static guint
flags_row(NMSettingSecretFlags flags)
{
	if (flags & NM_SETTING_SECRET_FLAG_NOT_REQUIRED)
		return 3;
	if (flags & NM_SETTING_SECRET_FLAG_NOT_SAVED)
		return 2;
	if (flags & NM_SETTING_SECRET_FLAG_AGENT_OWNED)
		return 1;
	return 0;
}

/* --- connection -> widgets ------------------------------------------------------- */

static void
load_connection(NMFerryEditor *self, NMConnection *connection)
{
	NMSettingVpn *s_vpn = connection ? nm_connection_get_setting_vpn(connection) : NULL;
	const NMFerryKey *keys;
	guint n;

	self->original = s_vpn ? NM_SETTING_VPN(nm_setting_duplicate(NM_SETTING(s_vpn)))
	                       : NM_SETTING_VPN(nm_setting_vpn_new());
	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++) {
		const NMFerryKey *k = &keys[i];
		GObject *w = find_widget(self, k->name, "");
		const char *value;

		g_return_if_fail(w != NULL);
		if (k->type == NM_FERRY_KEY_SECRET) {
			NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;

			value = nm_setting_vpn_get_secret(self->original, k->name);
			nm_setting_get_secret_flags(NM_SETTING(self->original), k->name, &flags,
			                            NULL);
			gtk_drop_down_set_selected(
				GTK_DROP_DOWN(find_widget(self, k->name, "-flags")),
				flags_row(flags));
			widget_set(w, k, value);
			continue;
		}
		value = nm_setting_vpn_get_data_item(self->original, k->name);
		/* Absent, remote-id-match is strict exactly when remote-id is set. */
		if (!value && strcmp(k->name, "remote-id-match") == 0)
			value = nm_setting_vpn_get_data_item(self->original, "remote-id") ? "strict"
			                                                                  : "loose";
		widget_set(w, k, value ? value : k->default_value);
	}
	update_visibility(self);
}

/* --- widgets -> connection ------------------------------------------------------- */

static gboolean
is_secret_flags_key(const char *key)
{
	const NMFerryKey *k;
	g_autofree char *base = NULL;

	if (!g_str_has_suffix(key, NM_FERRY_FLAGS_SUFFIX))
		return FALSE;
	base = g_strndup(key, strlen(key) - strlen(NM_FERRY_FLAGS_SUFFIX));
	k = nm_ferry_keys_lookup(base);
	return k && k->type == NM_FERRY_KEY_SECRET;
}

/* Keys this editor does not show (a newer profile field) are kept as they were. */
static void
copy_unknown_keys(NMFerryEditor *self, NMSettingVpn *s_vpn)
{
	g_autofree const char **keys = nm_setting_vpn_get_data_keys(self->original, NULL);

	for (guint i = 0; keys && keys[i]; i++) {
		if (!nm_ferry_keys_lookup(keys[i]) && !is_secret_flags_key(keys[i]))
			nm_setting_vpn_add_data_item(
				s_vpn, keys[i],
				nm_setting_vpn_get_data_item(self->original, keys[i]));
	}
}

static void
collect_key(NMFerryEditor *self, const NMFerryKey *k, NMSettingVpn *s_vpn)
{
	GObject *w = find_widget(self, k->name, "");
	g_autofree char *value = widget_get(w, k);

	if (k->type == NM_FERRY_KEY_SECRET) {
		GtkDropDown *chooser = GTK_DROP_DOWN(find_widget(self, k->name, "-flags"));
		guint row = gtk_drop_down_get_selected(chooser);
		NMSettingSecretFlags flags = row < G_N_ELEMENTS(flag_rows)
		                                     ? flag_rows[row]
		                                     : NM_SETTING_SECRET_FLAG_NONE;

		nm_setting_set_secret_flags(NM_SETTING(s_vpn), k->name, flags, NULL);
		/* "Ask every time" and "not required" secrets are never stored. */
		if (*value && !(flags & (NM_SETTING_SECRET_FLAG_NOT_SAVED |
		                         NM_SETTING_SECRET_FLAG_NOT_REQUIRED)))
			nm_setting_vpn_add_secret(s_vpn, k->name, value);
		ferry_wipe(value, strlen(value));
		return;
	}
	if (!*value || (k->default_value && strcmp(value, k->default_value) == 0))
		return;
	nm_setting_vpn_add_data_item(s_vpn, k->name, value);
}

static void
clear_mark(NMFerryEditor *self)
{
	if (self->marked)
		gtk_widget_remove_css_class(self->marked, "error");
	g_clear_object(&self->marked);
}

/* Marks the widget of the key an error message starts with ("mtu: ..."). */
static void
mark_error(NMFerryEditor *self, const char *message)
{
	const char *colon = strchr(message, ':');
	g_autofree char *key = colon ? g_strndup(message, colon - message) : NULL;
	GObject *w = key ? find_widget(self, key, "") : NULL;

	if (!w || !GTK_IS_WIDGET(w))
		return;
	self->marked = g_object_ref(GTK_WIDGET(w));
	gtk_widget_add_css_class(self->marked, "error");
}

static gboolean
update_connection(NMVpnEditor *editor, NMConnection *connection, GError **error)
{
	NMFerryEditor *self = NM_FERRY_EDITOR(editor);
	g_autoptr(NMSettingVpn) s_vpn = NM_SETTING_VPN(nm_setting_vpn_new());
	g_autoptr(FerryProfile) profile = NULL;
	g_autoptr(GError) local = NULL;
	FerryAuthMethod auth = current_auth(self);
	const NMFerryKey *keys;
	guint n;

	clear_mark(self);
	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	copy_unknown_keys(self, s_vpn);
	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++) {
		if (key_relevant(keys[i].name, auth))
			collect_key(self, &keys[i], s_vpn);
	}
	profile = nm_ferry_keys_to_profile(s_vpn, nm_connection_get_id(connection),
	                                   nm_connection_get_uuid(connection), NULL, &local);
	if (!profile) {
		mark_error(self, local->message);
		g_set_error_literal(error, NM_CONNECTION_ERROR,
		                    NM_CONNECTION_ERROR_INVALID_PROPERTY, local->message);
		return FALSE;
	}
	/* Written the canonical way: defaults left out, lists normalised. */
	nm_ferry_keys_from_profile(profile, NULL, s_vpn);
	nm_connection_add_setting(connection, NM_SETTING(g_steal_pointer(&s_vpn)));
	return TRUE;
}

static GObject *
get_widget(NMVpnEditor *editor)
{
	return G_OBJECT(NM_FERRY_EDITOR(editor)->widget);
}

/* --- signals --------------------------------------------------------------------- */

static void
something_changed_cb(NMFerryEditor *self)
{
	g_signal_emit_by_name(self, "changed");
}

static void
auth_changed_cb(NMFerryEditor *self)
{
	update_visibility(self);
	something_changed_cb(self);
}

static void
file_chosen_cb(GtkNativeDialog *dialog, int response, gpointer data)
{
	GtkEditable *entry = data;

	if (response == GTK_RESPONSE_ACCEPT) {
		g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
		g_autofree char *path = file ? g_file_get_path(file) : NULL;
		const char *old = gtk_editable_get_text(entry);

		/* ca-certs is a list: a chosen file is added to it. */
		if (path && *old && g_object_get_data(G_OBJECT(entry), "nm-ferry-list")) {
			g_autofree char *joined = g_strdup_printf("%s,%s", old, path);

			gtk_editable_set_text(entry, joined);
		} else if (path) {
			gtk_editable_set_text(entry, path);
		}
	}
	gtk_native_dialog_destroy(dialog);
	g_object_unref(dialog);
}

static void
choose_clicked_cb(GtkButton *button, gpointer data)
{
	GtkWidget *entry = data;
	GtkRoot *root = gtk_widget_get_root(GTK_WIDGET(button));
	GtkFileChooserNative *dialog = gtk_file_chooser_native_new(
		"Choose a file", GTK_IS_WINDOW(root) ? GTK_WINDOW(root) : NULL,
		GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");

	g_signal_connect(dialog, "response", G_CALLBACK(file_chosen_cb), entry);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(dialog));
}

/* One label column across the sections, so the fields line up. */
static void
align_labels(NMFerryEditor *self)
{
	g_autoptr(GtkSizeGroup) group = gtk_size_group_new(GTK_SIZE_GROUP_HORIZONTAL);
	const NMFerryKey *keys;
	guint n;

	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++) {
		GObject *label = find_widget(self, keys[i].name, "-label");

		if (label)
			gtk_size_group_add_widget(group, GTK_WIDGET(label));
	}
}

static void
connect_signals(NMFerryEditor *self)
{
	const NMFerryKey *keys;
	guint n;

	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++) {
		GObject *w = find_widget(self, keys[i].name, "");
		GObject *flags = find_widget(self, keys[i].name, "-flags");
		GObject *choose = find_widget(self, keys[i].name, "-choose");
		GCallback cb = strcmp(keys[i].name, "auth") == 0 ? G_CALLBACK(auth_changed_cb)
		                                                 : G_CALLBACK(something_changed_cb);

		if (GTK_IS_DROP_DOWN(w))
			g_signal_connect_swapped(w, "notify::selected", cb, self);
		else if (GTK_IS_CHECK_BUTTON(w))
			g_signal_connect_swapped(w, "toggled", cb, self);
		else if (GTK_IS_SPIN_BUTTON(w))
			g_signal_connect_swapped(w, "value-changed", cb, self);
		else if (GTK_IS_EDITABLE(w))
			g_signal_connect_swapped(w, "changed", cb, self);
		if (flags)
			g_signal_connect_swapped(flags, "notify::selected", cb, self);
		if (choose) {
			if (keys[i].type == NM_FERRY_KEY_LIST)
				g_object_set_data(w, "nm-ferry-list", GINT_TO_POINTER(1));
			g_signal_connect(choose, "clicked", G_CALLBACK(choose_clicked_cb), w);
		}
	}
}

/* --- GObject --------------------------------------------------------------------- */

static void
nm_ferry_editor_init(NMFerryEditor *self)
{
}

static void
nm_ferry_editor_dispose(GObject *object)
{
	NMFerryEditor *self = NM_FERRY_EDITOR(object);

	clear_mark(self);
	g_clear_object(&self->widget);
	g_clear_object(&self->builder);
	g_clear_object(&self->original);
	G_OBJECT_CLASS(nm_ferry_editor_parent_class)->dispose(object);
}

static void
nm_ferry_editor_class_init(NMFerryEditorClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = nm_ferry_editor_dispose;
}

static void
editor_iface_init(NMVpnEditorInterface *iface)
{
	iface->get_widget = get_widget;
	iface->update_connection = update_connection;
}

G_MODULE_EXPORT NMVpnEditor *
nm_vpn_editor_factory_ferry(NMVpnEditorPlugin *plugin, NMConnection *connection, GError **error)
{
	g_autoptr(NMFerryEditor) self = g_object_new(NM_FERRY_TYPE_EDITOR, NULL);

	self->builder = gtk_builder_new();
	if (!gtk_builder_add_from_resource(self->builder, UI_RESOURCE, error))
		return NULL;
	self->widget =
		g_object_ref(GTK_WIDGET(gtk_builder_get_object(self->builder, "ferry-editor")));
	g_object_set_data(G_OBJECT(self->widget), NM_FERRY_EDITOR_BUILDER_KEY, self->builder);
	load_connection(self, connection);
	align_labels(self);
	connect_signals(self);
	return NM_VPN_EDITOR(g_steal_pointer(&self));
}
