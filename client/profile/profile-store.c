/* profile-store.c - the profile directory: one .profile (+ .secrets, + imported files) each */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ferry-error.h"
#include "profile-store.h"

#define PROFILE_SUFFIX ".profile"
#define SECRETS_SUFFIX ".secrets"
/* Longest file base name derived from a profile name. */
#define BASENAME_MAX 64

struct _FerryProfileStore {
	char *dir;
};

typedef struct {
	FerryProfile *profile;
	char *path; /* settings file */
	char *base; /* file base name */
} Entry;

static void
entry_free(gpointer data)
{
	Entry *e = data;

	ferry_profile_free(e->profile);
	g_free(e->path);
	g_free(e->base);
	g_free(e);
}

char *
ferry_profile_store_default_dir(void)
{
	const char *env = g_getenv(FERRY_PROFILE_DIR_ENV);

	if (env && *env)
		return g_strdup(env);
	if (geteuid() == 0)
		return g_build_filename(FERRY_SYSCONFDIR, "ferry", NULL);
	return g_build_filename(g_get_user_config_dir(), "ferry", NULL);
}

FerryProfileStore *
ferry_profile_store_new(const char *dir)
{
	FerryProfileStore *store = g_new0(FerryProfileStore, 1);

	store->dir = dir ? g_strdup(dir) : ferry_profile_store_default_dir();
	return store;
}

void
ferry_profile_store_free(FerryProfileStore *store)
{
	if (!store)
		return;
	g_free(store->dir);
	g_free(store);
}

const char *
ferry_profile_store_get_dir(const FerryProfileStore *store)
{
	return store->dir;
}

/* All loadable profiles; unloadable files go to @problems. */
static GPtrArray *
read_entries(FerryProfileStore *store, GPtrArray *problems, GError **error)
{
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(entry_free);
	g_autoptr(GError) local = NULL;
	g_autoptr(GDir) dir = g_dir_open(store->dir, 0, &local);
	const char *name;

	if (!dir) {
		if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return g_steal_pointer(&entries);
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_IO, "%s", local->message);
		return NULL;
	}
	while ((name = g_dir_read_name(dir))) {
		g_autoptr(GError) load_error = NULL;
		Entry *e;

		if (!g_str_has_suffix(name, PROFILE_SUFFIX) || name[0] == '.')
			continue;
		e = g_new0(Entry, 1);
		e->path = g_build_filename(store->dir, name, NULL);
		e->base = g_strndup(name, strlen(name) - strlen(PROFILE_SUFFIX));
		e->profile = ferry_profile_load(e->path, &load_error);
		if (!e->profile) {
			if (problems)
				g_ptr_array_add(problems, g_strdup(load_error->message));
			entry_free(e);
			continue;
		}
		g_ptr_array_add(entries, e);
	}
	return g_steal_pointer(&entries);
}

static gint
compare_entries(gconstpointer a, gconstpointer b)
{
	const Entry *x = *(Entry *const *)a, *y = *(Entry *const *)b;
	gint r = g_utf8_collate(x->profile->name, y->profile->name);

	return r ? r : strcmp(x->base, y->base);
}

GPtrArray *
ferry_profile_store_list(FerryProfileStore *store, GPtrArray **problems, GError **error)
{
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) entries = read_entries(store, found, error);
	GPtrArray *out;

	if (!entries)
		return NULL;
	g_ptr_array_sort(entries, compare_entries);
	out = g_ptr_array_new_with_free_func((GDestroyNotify)ferry_profile_free);
	for (guint i = 0; i < entries->len; i++) {
		Entry *e = g_ptr_array_index(entries, i);

		g_ptr_array_add(out, g_steal_pointer(&e->profile));
	}
	if (problems)
		*problems = g_steal_pointer(&found);
	return out;
}

static Entry *
find_entry(GPtrArray *entries, const char *key)
{
	/* UUID first, then name, then file base name. */
	for (int pass = 0; pass < 3; pass++) {
		for (guint i = 0; i < entries->len; i++) {
			Entry *e = g_ptr_array_index(entries, i);
			const char *v = pass == 0   ? e->profile->uuid
			                : pass == 1 ? e->profile->name
			                            : e->base;

			if (pass == 0 ? g_ascii_strcasecmp(v, key) == 0 : strcmp(v, key) == 0)
				return e;
		}
	}
	return NULL;
}

FerryProfile *
ferry_profile_store_find(FerryProfileStore *store,
                         const char *name_or_uuid,
                         char **path,
                         GError **error)
{
	g_autoptr(GPtrArray) entries = read_entries(store, NULL, error);
	Entry *e;
	FerryProfile *p;

	if (!entries)
		return NULL;
	e = find_entry(entries, name_or_uuid);
	if (!e) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "no profile '%s' in %s",
		            name_or_uuid, store->dir);
		return NULL;
	}
	p = g_steal_pointer(&e->profile);
	if (path)
		*path = g_strdup(e->path);
	return p;
}

static char *
secrets_path(const char *profile_path)
{
	gsize n = strlen(profile_path) - strlen(PROFILE_SUFFIX);

	return g_strdup_printf("%.*s%s", (int)n, profile_path, SECRETS_SUFFIX);
}

FerryProfileSecrets *
ferry_profile_store_load_secrets(FerryProfileStore *store,
                                 const FerryProfile *profile,
                                 GError **error)
{
	g_autofree char *path = NULL;
	g_autofree char *spath = NULL;
	g_autoptr(FerryProfile) found =
		ferry_profile_store_find(store, profile->uuid, &path, error);

	if (!found)
		return NULL;
	spath = secrets_path(path);
	if (!g_file_test(spath, G_FILE_TEST_EXISTS))
		return ferry_profile_secrets_new();
	return ferry_profile_secrets_load(spath, error);
}

/* "Corp VPN (Berlin)" -> "corp-vpn-berlin" */
static char *
slug_of(const char *name)
{
	GString *s = g_string_new(NULL);
	gboolean dash = FALSE;

	for (const char *p = name; *p && s->len < BASENAME_MAX; p++) {
		if (g_ascii_isalnum(*p)) {
			if (dash && s->len)
				g_string_append_c(s, '-');
			g_string_append_c(s, g_ascii_tolower(*p));
			dash = FALSE;
		} else {
			dash = TRUE;
		}
	}
	if (s->len == 0)
		g_string_append(s, "profile");
	return g_string_free(s, FALSE);
}

static gboolean
base_taken(FerryProfileStore *store, GPtrArray *entries, const char *base)
{
	g_autofree char *file = g_strconcat(base, PROFILE_SUFFIX, NULL);
	g_autofree char *path = g_build_filename(store->dir, file, NULL);

	for (guint i = 0; i < entries->len; i++) {
		const Entry *e = g_ptr_array_index(entries, i);

		if (strcmp(e->base, base) == 0)
			return TRUE;
	}
	/* also a file we could not load: never overwrite it */
	return g_file_test(path, G_FILE_TEST_EXISTS);
}

static char *
choose_base(FerryProfileStore *store, GPtrArray *entries, const char *name)
{
	g_autofree char *slug = slug_of(name);
	char *base = g_strdup(slug);

	for (guint i = 2; base_taken(store, entries, base); i++) {
		g_free(base);
		base = g_strdup_printf("%s-%u", slug, i);
	}
	return base;
}

/* Files beside the profile that an earlier import wrote ("base.*" in the store). */
static gboolean
is_own_file(FerryProfileStore *store, const char *base, const char *path)
{
	g_autofree char *prefix = NULL;

	if (!path)
		return FALSE;
	prefix = g_strdup_printf("%s/%s.", store->dir, base);
	return g_str_has_prefix(path, prefix) && !strchr(path + strlen(prefix), '/');
}

static void
remove_own_files(FerryProfileStore *store,
                 const char *base,
                 const FerryProfile *old,
                 const FerryProfile *keep)
{
	const char *singles[] = {old->server_cert, old->client_pkcs12, old->client_cert,
	                         old->client_key};
	g_autoptr(GPtrArray) paths = g_ptr_array_new();

	for (gsize i = 0; i < G_N_ELEMENTS(singles); i++)
		g_ptr_array_add(paths, (gpointer)singles[i]);
	for (guint i = 0; old->ca_certs && old->ca_certs[i]; i++)
		g_ptr_array_add(paths, old->ca_certs[i]);
	for (guint i = 0; i < paths->len; i++) {
		const char *path = g_ptr_array_index(paths, i);
		gboolean kept = FALSE;

		if (!is_own_file(store, base, path))
			continue;
		if (keep) {
			kept = g_strcmp0(keep->server_cert, path) == 0 ||
			       g_strcmp0(keep->client_pkcs12, path) == 0 ||
			       (keep->ca_certs &&
			        g_strv_contains((const char *const *)keep->ca_certs, path));
		}
		if (!kept)
			(void)g_unlink(path);
	}
}

static gboolean
ensure_dir(FerryProfileStore *store, GError **error)
{
	if (g_mkdir_with_parents(store->dir, 0700) < 0) {
		int errsv = errno;

		g_set_error(error, FERRY_ERROR, FERRY_ERROR_IO, "%s: %s", store->dir,
		            g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

/* Finds where @profile goes: the file of the stored profile with its UUID, or a new one.
 * Refuses a name another profile already has. */
static gboolean
place_profile(FerryProfileStore *store,
              GPtrArray *entries,
              const FerryProfile *profile,
              Entry **old,
              char **base,
              GError **error)
{
	Entry *same_uuid = NULL;

	for (guint i = 0; i < entries->len; i++) {
		Entry *e = g_ptr_array_index(entries, i);

		if (g_ascii_strcasecmp(e->profile->uuid, profile->uuid) == 0)
			same_uuid = e;
		else if (strcmp(e->profile->name, profile->name) == 0) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "name: '%s' is already used by another profile (uuid %s)",
			            profile->name, e->profile->uuid);
			return FALSE;
		}
	}
	*old = same_uuid;
	*base = same_uuid ? g_strdup(same_uuid->base) : choose_base(store, entries, profile->name);
	return TRUE;
}

static gboolean
write_files(FerryProfileStore *store,
            const char *base,
            const FerryProfile *profile,
            const FerryProfileSecrets *secrets,
            GError **error)
{
	g_autofree char *file = g_strconcat(base, PROFILE_SUFFIX, NULL);
	g_autofree char *path = g_build_filename(store->dir, file, NULL);

	if (secrets && !ferry_profile_secrets_is_empty(secrets)) {
		g_autofree char *spath = secrets_path(path);

		if (!ferry_profile_secrets_save(secrets, spath, error))
			return FALSE;
	}
	return ferry_profile_save(profile, path, error);
}

static gboolean
save_common(FerryProfileStore *store,
            FerryImport *import,
            const FerryProfile *profile,
            const FerryProfileSecrets *secrets,
            FerryProfile **replaced,
            GError **error)
{
	g_autoptr(GPtrArray) entries = NULL;
	g_autofree char *base = NULL;
	Entry *old = NULL;

	if (replaced)
		*replaced = NULL;
	if (!ferry_profile_validate(profile, error))
		return FALSE;
	entries = read_entries(store, NULL, error);
	if (!entries || !place_profile(store, entries, profile, &old, &base, error))
		return FALSE;
	if (!ensure_dir(store, error))
		return FALSE;
	if (import) {
		if (!ferry_import_write_attachments(import, store->dir, base, error))
			return FALSE;
		profile = import->profile;
	}
	if (!write_files(store, base, profile, secrets, error))
		return FALSE;
	if (old) {
		remove_own_files(store, base, old->profile, profile);
		if (replaced)
			*replaced = g_steal_pointer(&old->profile);
	}
	return TRUE;
}

gboolean
ferry_profile_store_save(FerryProfileStore *store,
                         const FerryProfile *profile,
                         const FerryProfileSecrets *secrets,
                         FerryProfile **replaced,
                         GError **error)
{
	return save_common(store, NULL, profile, secrets, replaced, error);
}

gboolean
ferry_profile_store_save_import(FerryProfileStore *store,
                                FerryImport *import,
                                FerryProfile **replaced,
                                GError **error)
{
	return save_common(store, import, import->profile, import->secrets, replaced, error);
}

gboolean
ferry_profile_store_delete(FerryProfileStore *store, const char *name_or_uuid, GError **error)
{
	g_autoptr(GPtrArray) entries = read_entries(store, NULL, error);
	g_autofree char *spath = NULL;
	Entry *e;

	if (!entries)
		return FALSE;
	e = find_entry(entries, name_or_uuid);
	if (!e) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "no profile '%s' in %s",
		            name_or_uuid, store->dir);
		return FALSE;
	}
	if (g_unlink(e->path) < 0) {
		int errsv = errno;

		g_set_error(error, FERRY_ERROR, FERRY_ERROR_IO, "%s: %s", e->path,
		            g_strerror(errsv));
		return FALSE;
	}
	spath = secrets_path(e->path);
	(void)g_unlink(spath);
	remove_own_files(store, e->base, e->profile, NULL);
	return TRUE;
}
