/* test-nm-auth-dialog.c - nm-ferry-auth-dialog: what it asks for, and the protocol run headless */
#include "config.h"

#include <string.h>

#include "nm-ferry-auth-dialog.h"
#include "nm-ferry-keys.h"

static const char *dialog_path;

/* "k=v\n..." -> table */
static GHashTable *
table(const char *items)
{
	GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_auto(GStrv) lines = g_strsplit(items ? items : "", "\n", -1);

	for (guint i = 0; lines[i]; i++) {
		const char *eq = strchr(lines[i], '=');

		if (eq)
			g_hash_table_insert(t, g_strndup(lines[i], eq - lines[i]),
			                    g_strdup(eq + 1));
	}
	return t;
}

typedef struct {
	const char *data, *secrets;
	const char *hints; /* ' '-separated */
	gboolean reprompt;
	const char *expect; /* "key:ask" / "key:known" for each secret, ' '-separated */
} RequestCase;

static const RequestCase request_cases[] = {
	{"gateway=198.51.100.1\nauth=psk",                                         NULL,                        NULL,                  FALSE, "psk:ask"                          },
	{"gateway=198.51.100.1\nauth=psk",                                         "psk=canary-psk-0123456789", NULL,                  FALSE, "psk:known"                        },
	{"gateway=198.51.100.1\nauth=psk",                                         "psk=canary-psk-0123456789", NULL,                  TRUE,  "psk:ask"                          },
	{"gateway=198.51.100.1\nauth=psk\npsk-flags=2",                            "psk=canary-psk-0123456789", NULL,                  FALSE,
         "psk:ask"																			       },
	{"gateway=198.51.100.1\nauth=psk\npsk-flags=4",                            NULL,                        NULL,                  FALSE, ""                                 },
	{"gateway=198.51.100.1",						   NULL,                        NULL,                  FALSE, "password:ask"                     },
	{"gateway=198.51.100.1\nauth=cert\nclient-cert=/c.pem\nclient-key=/k.pem", NULL,                        NULL,
         FALSE,															       ""				 },
	{"gateway=198.51.100.1\nauth=cert+eap\nclient-pkcs12=/a.p12",              "password=canary-pw",        NULL,
         FALSE,															       "password:known key-passphrase:ask"},
 /* hints from SecretsRequired: exactly those, asked again */
	{"gateway=198.51.100.1\nauth=cert+eap\nclient-pkcs12=/a.p12",              "password=canary-pw",
         "vpn.password x-vpn-message:Wrong password",										  FALSE, "password:ask"                     },
	{"gateway=198.51.100.1\nauth=psk",                                         "psk=canary-psk-0123456789", "x-vpn-message:Hello",
         FALSE,															       "psk:known"                        },
};

static void
test_request(gconstpointer data)
{
	const RequestCase *c = data;
	g_autoptr(GHashTable) d = table(c->data);
	g_autoptr(GHashTable) s = table(c->secrets);
	g_auto(GStrv) hints = c->hints ? g_strsplit(c->hints, " ", -1) : NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(NMFerryAuthRequest) r =
		nm_ferry_auth_request_new("Corp", "0f8b3b1e-3c7a-4d2e-9b7f-5d6a1e2c3b4a", d, s,
	                                  (const char *const *)hints, c->reprompt, &error);
	g_autoptr(GString) got = g_string_new(NULL);

	g_assert_no_error(error);
	for (guint i = 0; i < r->secrets->len; i++) {
		const NMFerryAuthSecret *x = r->secrets->pdata[i];

		g_string_append_printf(got, "%s%s:%s", i ? " " : "", x->key,
		                       x->should_ask ? "ask" : "known");
	}
	g_assert_cmpstr(got->str, ==, c->expect);
	g_assert_cmpint(nm_ferry_auth_request_needs_input(r), ==, strstr(c->expect, "ask") != NULL);
	if (c->hints && strstr(c->hints, "x-vpn-message:"))
		g_assert_nonnull(r->message);
}

static void
test_request_invalid(void)
{
	g_autoptr(GHashTable) d = table("gateway=198.51.100.1\nmtu=12x");
	g_autoptr(GError) error = NULL;
	g_autoptr(NMFerryAuthRequest) r =
		nm_ferry_auth_request_new("Corp", NULL, d, NULL, NULL, FALSE, &error);

	g_assert_null(r);
	g_assert_true(g_str_has_prefix(error->message, "mtu: "));
}

/* Runs the real program with no display and no session bus; returns its stdout. */
static char *
run_dialog(const char *stdin_text, const char *const *extra_args, int *status)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
		G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
		G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;
	char *out = NULL;
	g_autofree char *err = NULL;

	g_ptr_array_add(argv, (gpointer)dialog_path);
	g_ptr_array_add(argv, "-u");
	g_ptr_array_add(argv, "0f8b3b1e-3c7a-4d2e-9b7f-5d6a1e2c3b4a");
	g_ptr_array_add(argv, "-n");
	g_ptr_array_add(argv, "Corp");
	g_ptr_array_add(argv, "-s");
	g_ptr_array_add(argv, NM_FERRY_VPN_SERVICE_TYPE);
	for (guint i = 0; extra_args && extra_args[i]; i++)
		g_ptr_array_add(argv, (gpointer)extra_args[i]);
	g_ptr_array_add(argv, NULL);
	/* Headless: GTK would abort without a display, so success proves it was not used. */
	g_subprocess_launcher_unsetenv(launcher, "DISPLAY");
	g_subprocess_launcher_unsetenv(launcher, "WAYLAND_DISPLAY");
	g_subprocess_launcher_unsetenv(launcher, "DBUS_SESSION_BUS_ADDRESS");
	g_subprocess_launcher_setenv(launcher, "XDG_RUNTIME_DIR", "/nonexistent", TRUE);
	proc = g_subprocess_launcher_spawnv(launcher, (const char *const *)argv->pdata, &error);
	g_assert_no_error(error);
	g_subprocess_communicate_utf8(proc, stdin_text, NULL, &out, &err, &error);
	g_assert_no_error(error);
	*status = g_subprocess_get_exit_status(proc);
	if (*status != 0)
		g_test_message("stderr: %s", err);
	return out;
}

static void
test_external_ui(void)
{
	const char *args[] = {"-i", "--external-ui-mode", NULL};
	g_autofree char *out = NULL;
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_autofree char *value = NULL, *label = NULL, *title = NULL;
	int status;

	out = run_dialog("DATA_KEY=gateway\nDATA_VAL=198.51.100.1\n\n"
	                 "DATA_KEY=auth\nDATA_VAL=psk\n\n"
	                 "DATA_KEY=psk-flags\nDATA_VAL=2\n\n"
	                 "SECRET_KEY=psk\nSECRET_VAL=canary-psk-0123456789\n\n"
	                 "DONE\n\n",
	                 args, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_true(g_key_file_load_from_data(kf, out, -1, G_KEY_FILE_NONE, &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_key_file_get_integer(kf, "VPN Plugin UI", "Version", NULL), ==, 2);
	title = g_key_file_get_string(kf, "VPN Plugin UI", "Title", NULL);
	g_assert_nonnull(strstr(title, "Corp"));
	value = g_key_file_get_string(kf, "psk", "Value", NULL);
	g_assert_cmpstr(value, ==, "canary-psk-0123456789");
	label = g_key_file_get_string(kf, "psk", "Label", NULL);
	g_assert_cmpstr(label, ==, "Pre-shared key");
	g_assert_true(g_key_file_get_boolean(kf, "psk", "IsSecret", NULL));
	/* psk-flags=2: "ask every time" */
	g_assert_true(g_key_file_get_boolean(kf, "psk", "ShouldAsk", NULL));
	g_assert_false(g_key_file_has_group(kf, "password"));
}

/* Normal mode without interaction: the known secrets, a blank line, then wait for QUIT. */
static void
test_normal_mode(void)
{
	g_autofree char *out = NULL;
	int status;

	out = run_dialog("DATA_KEY=gateway\nDATA_VAL=198.51.100.1\n\n"
	                 "SECRET_KEY=password\nSECRET_VAL=canary-password\n\n"
	                 "DONE\n\nQUIT\n\n",
	                 NULL, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpstr(out, ==, "password\ncanary-password\n\n\n");
}

static void
test_bad_arguments(void)
{
	const char *args[] = {"-s", "org.freedesktop.NetworkManager.openvpn", NULL};
	g_autofree char *out = NULL;
	int status;

	out = run_dialog("DONE\n\n", args, &status);
	g_assert_cmpint(status, !=, 0);
	out = (g_free(out), run_dialog("DATA_KEY=mtu\nDATA_VAL=12x\n\nDONE\n\n", NULL, &status));
	g_assert_cmpint(status, !=, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_assert_cmpint(argc, ==, 2);
	dialog_path = argv[1];
	for (gsize i = 0; i < G_N_ELEMENTS(request_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/nm/auth-dialog/request/%" G_GSIZE_FORMAT, i);

		g_test_add_data_func(path, &request_cases[i], test_request);
	}
	g_test_add_func("/ferry/nm/auth-dialog/request/invalid", test_request_invalid);
	g_test_add_func("/ferry/nm/auth-dialog/external-ui-headless", test_external_ui);
	g_test_add_func("/ferry/nm/auth-dialog/normal-mode", test_normal_mode);
	g_test_add_func("/ferry/nm/auth-dialog/bad-arguments", test_bad_arguments);
	return g_test_run();
}
