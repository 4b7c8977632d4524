/* profile-test-util.h - fixtures shared by the profile tests: temporary dirs, data files */
#pragma once

#include <glib.h>

#include "profile-import.h"

typedef struct {
	char *dir;
} TmpDir;

void tmpdir_setup(TmpDir *t, gconstpointer data);
void tmpdir_teardown(TmpDir *t, gconstpointer data);

/* tests/unit/profile/data/<parts...> */
char *test_data_path(const char *first, ...) G_GNUC_NULL_TERMINATED;
/* The contents of a data file; fails the test when unreadable. */
GBytes *test_data_read(const char *first, ...) G_GNUC_NULL_TERMINATED;

/* Imports a data file that must yield exactly @n records. */
GPtrArray *test_import_ok(const char *format_dir, const char *name, guint n);
/* Imports bytes that must fail; returns the error message. */
char *test_import_error(const char *text, gsize len, const FerryImportOptions *options);

/* Asserts the "FIELD: why" list has exactly these FIELDs, in order. */
void test_assert_fields(GPtrArray *list, const char *const *fields);
#define assert_fields(list, ...)                                                                   \
	G_STMT_START                                                                               \
	{                                                                                          \
		const char *const want__[] = {__VA_ARGS__, NULL};                                  \
		test_assert_fields(list, want__);                                                  \
	}                                                                                          \
	G_STMT_END
#define assert_no_fields(list) test_assert_fields(list, (const char *const[]){NULL})
#define assert_strv(list, ...)                                                                     \
	G_STMT_START                                                                               \
	{                                                                                          \
		const char *const want__[] = {__VA_ARGS__, NULL};                                  \
		g_assert_nonnull(list);                                                            \
		g_assert_cmpstrv((const char *const *)(list), want__);                             \
	}                                                                                          \
	G_STMT_END
/* The secret holds exactly this text. */
void test_assert_secret(const FerrySecret *s, const char *want);
/* Attachment @i has this role and name, and its bytes equal data file @file (NULL: skip). */
void test_assert_attachment(const FerryImport *im,
                            guint i,
                            FerryAttachmentRole role,
                            const char *name,
                            gboolean secret);
