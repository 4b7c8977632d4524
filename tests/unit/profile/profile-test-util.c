/* profile-test-util.c - fixtures shared by the profile tests */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ferry-error.h"
#include "profile-test-util.h"

static void
remove_tree(const char *path)
{
	g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *child = g_build_filename(path, name, NULL);

		if (g_file_test(child, G_FILE_TEST_IS_DIR))
			remove_tree(child);
		else
			g_assert_cmpint(g_unlink(child), ==, 0);
	}
	g_assert_cmpint(g_rmdir(path), ==, 0);
}

void
tmpdir_setup(TmpDir *t, gconstpointer data)
{
	t->dir = g_dir_make_tmp("ferry-profile-XXXXXX", NULL);
	g_assert_nonnull(t->dir);
}

void
tmpdir_teardown(TmpDir *t, gconstpointer data)
{
	remove_tree(t->dir);
	g_free(t->dir);
}

static char *
build_path(const char *first, va_list ap)
{
	g_autoptr(GPtrArray) parts = g_ptr_array_new();
	g_autofree char *base = g_test_build_filename(G_TEST_DIST, "unit", "profile", "data", NULL);

	g_ptr_array_add(parts, base);
	for (const char *p = first; p; p = va_arg(ap, const char *))
		g_ptr_array_add(parts, (gpointer)p);
	g_ptr_array_add(parts, NULL);
	return g_build_filenamev((char **)parts->pdata);
}

char *
test_data_path(const char *first, ...)
{
	va_list ap;
	char *path;

	va_start(ap, first);
	path = build_path(first, ap);
	va_end(ap);
	return path;
}

GBytes *
test_data_read(const char *first, ...)
{
	g_autofree char *path = NULL;
	g_autoptr(GError) error = NULL;
	char *data = NULL;
	gsize len = 0;
	va_list ap;

	va_start(ap, first);
	path = build_path(first, ap);
	va_end(ap);
	g_file_get_contents(path, &data, &len, &error);
	g_assert_no_error(error);
	return g_bytes_new_take(data, len);
}

GPtrArray *
test_import_ok(const char *format_dir, const char *name, guint n)
{
	g_autofree char *path = test_data_path(format_dir, name, NULL);
	g_autofree char *anchors = test_data_path("certs", "ca.pem", NULL);
	FerryImportOptions opts = {.anchors_file = anchors};
	g_autoptr(GError) error = NULL;
	GPtrArray *out = ferry_import_file(path, &opts, &error);

	g_assert_no_error(error);
	g_assert_nonnull(out);
	g_assert_cmpuint(out->len, ==, n);
	for (guint i = 0; i < out->len; i++) {
		FerryImport *im = g_ptr_array_index(out, i);

		g_assert_cmpstr(im->source, ==, path);
		g_assert_true(ferry_profile_validate(im->profile, NULL));
	}
	return out;
}

char *
test_import_error(const char *text, gsize len, const FerryImportOptions *options)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) out =
		ferry_import_data((const guint8 *)text, len, "in.file", options, &error);

	g_assert_null(out);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_true(g_str_has_prefix(error->message, "in.file: "));
	return g_strdup(error->message + strlen("in.file: "));
}

void
test_assert_fields(GPtrArray *list, const char *const *fields)
{
	g_autoptr(GString) got = g_string_new(NULL);
	g_autoptr(GString) want = g_string_new(NULL);

	for (guint i = 0; list && i < list->len; i++) {
		const char *item = g_ptr_array_index(list, i);
		const char *colon = strstr(item, ": ");

		g_assert_nonnull(colon);
		g_assert_cmpuint(strlen(colon), >, 2); /* every entry says why */
		g_string_append_printf(got, "%.*s;", (int)(colon - item), item);
	}
	for (guint i = 0; fields[i]; i++)
		g_string_append_printf(want, "%s;", fields[i]);
	g_assert_cmpstr(got->str, ==, want->str);
}

void
test_assert_secret(const FerrySecret *s, const char *want)
{
	if (!want) {
		g_assert_null(s);
		return;
	}
	g_assert_nonnull(s);
	g_assert_cmpmem(s->data, s->len, want, strlen(want));
}

void
test_assert_attachment(
	const FerryImport *im, guint i, FerryAttachmentRole role, const char *name, gboolean secret)
{
	const FerryAttachment *a;

	g_assert_cmpuint(i, <, im->attachments->len);
	a = g_ptr_array_index(im->attachments, i);
	g_assert_cmpint(a->role, ==, role);
	g_assert_cmpstr(a->name, ==, name);
	g_assert_cmpint(a->secret, ==, secret);
	g_assert_cmpuint(g_bytes_get_size(a->data), >, 0);
}
