/* test-profile-store.c - the profile directory: save/import, list, find, replace, delete */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ferry-error.h"
#include "profile-store.h"
#include "profile-test-util.h"

static FerryProfile *
make_profile(const char *name, const char *gateway)
{
	FerryProfile *p = ferry_profile_new();

	p->name = g_strdup(name);
	p->gateway = g_strdup(gateway);
	return p;
}

static char *
in_dir(TmpDir *t, const char *file)
{
	return g_build_filename(t->dir, file, NULL);
}

static guint
file_mode(const char *path)
{
	struct stat st;

	g_assert_cmpint(g_stat(path, &st), ==, 0);
	return st.st_mode & 0777;
}

static void
test_default_dir(void)
{
	g_autofree char *dir = NULL;
	g_autoptr(FerryProfileStore) store = NULL;

	g_setenv(FERRY_PROFILE_DIR_ENV, "/tmp/ferry-test-profiles", TRUE);
	dir = ferry_profile_store_default_dir();
	g_assert_cmpstr(dir, ==, "/tmp/ferry-test-profiles");
	store = ferry_profile_store_new(NULL);
	g_assert_cmpstr(ferry_profile_store_get_dir(store), ==, "/tmp/ferry-test-profiles");
	g_unsetenv(FERRY_PROFILE_DIR_ENV);
	g_free(dir);
	dir = ferry_profile_store_default_dir();
	if (geteuid() == 0)
		g_assert_true(g_str_has_suffix(dir, "/etc/ferry"));
	else
		g_assert_true(g_str_has_prefix(dir, g_get_user_config_dir()));
}

static void
test_empty(TmpDir *t, gconstpointer data)
{
	g_autofree char *missing = in_dir(t, "not-yet");
	g_autoptr(FerryProfileStore) store = ferry_profile_store_new(missing);
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GPtrArray) list = ferry_profile_store_list(store, &problems, NULL);
	g_autoptr(GError) error = NULL;
	g_autofree char *want = g_strdup_printf("no profile 'corp' in %s", missing);

	g_assert_cmpuint(list->len, ==, 0);
	g_assert_cmpuint(problems->len, ==, 0);
	g_assert_null(ferry_profile_store_find(store, "corp", NULL, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_cmpstr(error->message, ==, want);
	g_clear_error(&error);
	g_assert_false(ferry_profile_store_delete(store, "corp", &error));
	g_assert_cmpstr(error->message, ==, want);
}

static void
test_save_find_list(TmpDir *t, gconstpointer data)
{
	g_autoptr(FerryProfileStore) store = ferry_profile_store_new(t->dir);
	g_autoptr(FerryProfile) b = make_profile("Branch Office", "198.51.100.1");
	g_autoptr(FerryProfile) a = make_profile("Corp VPN (Berlin)", "vpn.example.com");
	g_autoptr(FerryProfileSecrets) s = ferry_profile_secrets_new();
	g_autoptr(FerryProfile) replaced = NULL;
	g_autoptr(GPtrArray) list = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	g_autofree char *want_path = in_dir(t, "corp-vpn-berlin.profile");
	g_autofree char *secrets_path = in_dir(t, "corp-vpn-berlin.secrets");
	g_autofree char *b_secrets = in_dir(t, "branch-office.secrets");
	const char *const keys[] = {a->uuid, "Corp VPN (Berlin)", "corp-vpn-berlin",
	                            g_ascii_strup(a->uuid, -1), NULL};

	ferry_profile_secrets_set(s, "password", "hunter2", NULL);
	g_assert_true(ferry_profile_store_save(store, a, s, &replaced, &error));
	g_assert_no_error(error);
	g_assert_null(replaced);
	g_assert_true(ferry_profile_store_save(store, b, NULL, NULL, &error));
	g_assert_cmpuint(file_mode(want_path), ==, 0644);
	g_assert_cmpuint(file_mode(secrets_path), ==, 0600);
	g_assert_false(g_file_test(b_secrets, G_FILE_TEST_EXISTS));

	for (guint i = 0; keys[i]; i++) {
		g_autoptr(FerryProfile) found =
			ferry_profile_store_find(store, keys[i], &path, &error);

		g_assert_no_error(error);
		g_assert_true(ferry_profile_equal(found, a));
		g_assert_cmpstr(path, ==, want_path);
		g_clear_pointer(&path, g_free);
	}
	g_free((char *)keys[3]);
	{
		g_autoptr(FerryProfileSecrets) back =
			ferry_profile_store_load_secrets(store, a, &error);
		g_autoptr(FerryProfileSecrets) none =
			ferry_profile_store_load_secrets(store, b, &error);

		g_assert_no_error(error);
		test_assert_secret(back->password, "hunter2");
		g_assert_true(ferry_profile_secrets_is_empty(none));
	}
	list = ferry_profile_store_list(store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(list->len, ==, 2);
	g_assert_cmpstr(((FerryProfile *)g_ptr_array_index(list, 0))->name, ==, "Branch Office");
	g_assert_cmpstr(((FerryProfile *)g_ptr_array_index(list, 1))->name, ==,
	                "Corp VPN (Berlin)");
}

static void
test_replace_and_conflicts(TmpDir *t, gconstpointer data)
{
	g_autoptr(FerryProfileStore) store = ferry_profile_store_new(t->dir);
	g_autoptr(FerryProfile) a = make_profile("corp", "vpn.example.com");
	g_autoptr(FerryProfile) a2 = NULL;
	g_autoptr(FerryProfile) other = make_profile("corp", "vpn2.example.com");
	g_autoptr(FerryProfile) slug_twin = make_profile("Corp!", "vpn3.example.com");
	g_autoptr(FerryProfile) replaced = NULL;
	g_autoptr(FerryProfile) found = NULL;
	g_autoptr(GPtrArray) list = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *want = NULL;
	g_autofree char *path = NULL;

	g_assert_true(ferry_profile_store_save(store, a, NULL, NULL, NULL));
	/* same UUID: replaced, and the old one is handed back */
	a2 = ferry_profile_copy(a);
	g_free(a2->gateway);
	a2->gateway = g_strdup("203.0.113.5");
	g_assert_true(ferry_profile_store_save(store, a2, NULL, &replaced, &error));
	g_assert_no_error(error);
	g_assert_nonnull(replaced);
	g_assert_cmpstr(replaced->gateway, ==, "vpn.example.com");
	found = ferry_profile_store_find(store, "corp", NULL, NULL);
	g_assert_cmpstr(found->gateway, ==, "203.0.113.5");

	/* same name, other UUID: refused, nothing written */
	want = g_strdup_printf("name: 'corp' is already used by another profile (uuid %s)",
	                       a->uuid);
	g_assert_false(ferry_profile_store_save(store, other, NULL, NULL, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_cmpstr(error->message, ==, want);
	g_clear_error(&error);

	/* a different name with the same file slug gets its own file */
	g_assert_true(ferry_profile_store_save(store, slug_twin, NULL, NULL, &error));
	g_clear_pointer(&found, ferry_profile_free);
	found = ferry_profile_store_find(store, slug_twin->uuid, &path, NULL);
	g_assert_true(g_str_has_suffix(path, "/corp-2.profile"));
	list = ferry_profile_store_list(store, NULL, NULL);
	g_assert_cmpuint(list->len, ==, 2);

	/* invalid profiles are refused before anything is written */
	g_clear_pointer(&a2->gateway, g_free);
	g_assert_false(ferry_profile_store_save(store, a2, NULL, NULL, &error));
	g_assert_cmpstr(error->message, ==,
	                "gateway: missing (the VPN server's host name or address)");
	g_clear_pointer(&found, ferry_profile_free);
	found = ferry_profile_store_find(store, "corp", NULL, NULL);
	g_assert_cmpstr(found->gateway, ==, "203.0.113.5");
}

static void
test_broken_file(TmpDir *t, gconstpointer data)
{
	g_autoptr(FerryProfileStore) store = ferry_profile_store_new(t->dir);
	g_autoptr(FerryProfile) a = make_profile("broken", "vpn.example.com");
	g_autofree char *bad = in_dir(t, "broken.profile");
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GPtrArray) list = NULL;
	g_autofree char *path = NULL;
	g_autoptr(FerryProfile) found = NULL;

	g_assert_true(g_file_set_contents(bad, "[profile]\nname=x\n", -1, NULL));
	list = ferry_profile_store_list(store, &problems, NULL);
	g_assert_cmpuint(list->len, ==, 0);
	g_assert_cmpuint(problems->len, ==, 1);
	g_assert_true(g_str_has_prefix(g_ptr_array_index(problems, 0), bad));
	/* the unreadable file is never overwritten by a new profile */
	g_assert_true(ferry_profile_store_save(store, a, NULL, NULL, NULL));
	found = ferry_profile_store_find(store, "broken", &path, NULL);
	g_assert_true(g_str_has_suffix(path, "/broken-2.profile"));
}

static void
test_import_replace_delete(TmpDir *t, gconstpointer data)
{
	g_autoptr(FerryProfileStore) store = ferry_profile_store_new(t->dir);
	g_autoptr(GPtrArray) first = test_import_ok("sswan", "cert.sswan", 1);
	g_autoptr(GPtrArray) again = test_import_ok("sswan", "cert.sswan", 1);
	FerryImport *im = g_ptr_array_index(first, 0);
	FerryImport *im2 = g_ptr_array_index(again, 0);
	g_autoptr(FerryProfile) replaced = NULL;
	g_autoptr(FerryProfile) found = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *p12 = in_dir(t, "branch-office.client.p12");
	g_autofree char *server = in_dir(t, "branch-office.server.pem");
	g_autofree char *profile = in_dir(t, "branch-office.profile");
	g_autoptr(GDir) dir = NULL;

	g_assert_true(ferry_profile_store_save_import(store, im, &replaced, &error));
	g_assert_no_error(error);
	g_assert_null(replaced);
	g_assert_cmpuint(file_mode(p12), ==, 0600);
	g_assert_cmpuint(file_mode(server), ==, 0644);
	found = ferry_profile_store_find(store, "Branch office", NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(found->client_pkcs12, ==, p12);
	g_assert_cmpstr(found->server_cert, ==, server);

	/* re-import with the same UUID replaces, keeping the file names */
	g_assert_true(ferry_profile_store_save_import(store, im2, &replaced, &error));
	g_assert_nonnull(replaced);
	g_assert_true(ferry_profile_equal(replaced, found));
	g_assert_true(g_file_test(p12, G_FILE_TEST_EXISTS));

	g_assert_true(ferry_profile_store_delete(store, "Branch office", &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(profile, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(p12, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(server, G_FILE_TEST_EXISTS));
	dir = g_dir_open(t->dir, 0, NULL);
	g_assert_null(g_dir_read_name(dir));
}

static void
test_import_secrets_kept(TmpDir *t, gconstpointer data)
{
	g_autoptr(FerryProfileStore) store = ferry_profile_store_new(t->dir);
	g_autoptr(GPtrArray) with = test_import_ok("sswan", "eap.sswan", 1);
	g_autoptr(GPtrArray) again = test_import_ok("sswan", "eap.sswan", 1);
	FerryImport *im2 = g_ptr_array_index(again, 0);
	g_autoptr(FerryProfileSecrets) s = NULL;

	g_assert_true(
		ferry_profile_store_save_import(store, g_ptr_array_index(with, 0), NULL, NULL));
	/* a re-import without secrets keeps the stored ones */
	ferry_profile_secrets_set(im2->secrets, "password", NULL, NULL);
	g_assert_true(ferry_profile_store_save_import(store, im2, NULL, NULL));
	s = ferry_profile_store_load_secrets(store, im2->profile, NULL);
	test_assert_secret(s->password, "correct horse battery staple");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/ferry/profile/store/default-dir", test_default_dir);
#define ADD(name, fn)                                                                              \
	g_test_add("/ferry/profile/store/" name, TmpDir, NULL, tmpdir_setup, fn, tmpdir_teardown)
	ADD("empty", test_empty);
	ADD("save-find-list", test_save_find_list);
	ADD("replace-and-conflicts", test_replace_and_conflicts);
	ADD("broken-file", test_broken_file);
	ADD("import-replace-delete", test_import_replace_delete);
	ADD("import-secrets-kept", test_import_secrets_kept);
	return g_test_run();
}
