/* nm-ferry-auth-dialog.h - which secrets a Ferry connection needs, and the auth-dialog replies
 *
 * The GTK-free half of nm-ferry-auth-dialog: from the connection's vpn.data and vpn.secrets
 * (read from the secret agent on stdin) it decides which secrets to ask for, and formats the
 * answers of NetworkManager's auth-dialog protocol: the external-UI keyfile (nmcli,
 * GNOME Shell prompt) and the "key\nvalue\n" list of the normal mode.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	char *key;   /* vpn.secrets key: "psk", "password", ... */
	char *label; /* what the user is asked for */
	char *value; /* the known value or NULL; wiped on free */
	gboolean should_ask;
	gboolean agent_owned; /* kept in the user's keyring (NM_SETTING_SECRET_FLAG_AGENT_OWNED) */
} NMFerryAuthSecret;

typedef struct {
	char *name;         /* connection name (-n) */
	char *uuid;         /* connection uuid (-u) */
	char *message;      /* from a "x-vpn-message:" hint: why we ask again; NULL */
	GPtrArray *secrets; /* NMFerryAuthSecret, in table order */
} NMFerryAuthRequest;

/**
 * nm_ferry_auth_request_new:
 * @data: (element-type utf8 utf8): vpn.data as the agent sent it
 * @secrets: (element-type utf8 utf8): vpn.secrets as the agent sent it
 * @hints: (nullable): -t hints: secret keys to ask for ("psk" or "vpn.psk"), and
 *   "x-vpn-message:TEXT"; when any names a secret, exactly those are asked for
 * @reprompt: -r: the previous secrets were wrong, ask again
 *
 * Returns: (transfer full): the secrets the connection needs, or NULL with @error when the
 * connection's settings are invalid.
 */
NMFerryAuthRequest *nm_ferry_auth_request_new(const char *name,
                                              const char *uuid,
                                              GHashTable *data,
                                              GHashTable *secrets,
                                              const char *const *hints,
                                              gboolean reprompt,
                                              GError **error);
void nm_ferry_auth_request_free(NMFerryAuthRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NMFerryAuthRequest, nm_ferry_auth_request_free)

/* TRUE when some secret has should_ask set. */
gboolean nm_ferry_auth_request_needs_input(const NMFerryAuthRequest *request);

/* (transfer full) The external-UI keyfile ([VPN Plugin UI] Version=2, one group per secret);
 * wipe before freeing (it carries known values). */
char *nm_ferry_auth_request_to_external_ui(const NMFerryAuthRequest *request);
/* (transfer full) The normal-mode answer: "key\nvalue\n" per known secret, then "\n\n". */
char *nm_ferry_auth_request_to_reply(const NMFerryAuthRequest *request);

G_END_DECLS
