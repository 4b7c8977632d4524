/* cli-profiles.c - `ferry import|list|show|export|delete`: the profile store from the shell */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ferry-fd.h"
#include "profile-import.h"
#include "profile-store.h"

static char *profile_dir;

/* clang-format off */
static const GOptionEntry store_entries[] = {
	{"profile-dir", 0, 0, G_OPTION_ARG_FILENAME, &profile_dir,
	 "Profile directory (default: $FERRY_PROFILE_DIR, else /etc/ferry for root, "
	 "$XDG_CONFIG_HOME/ferry for others)", "DIR"},
	{NULL},
};
/* clang-format on */

/* Parse a subcommand's options; FALSE (with *code set) on a usage error or --help. */
static gboolean
parse(const char *command,
      const char *parameters,
      const GOptionEntry *entries,
      int *argc,
      char ***argv,
      guint n_args,
      int *code)
{
	g_autoptr(GOptionContext) options = g_option_context_new(parameters);
	g_autoptr(GError) error = NULL;

	g_option_context_add_main_entries(options, store_entries, NULL);
	if (entries != NULL)
		g_option_context_add_main_entries(options, entries, NULL);
	if (!g_option_context_parse(options, argc, argv, &error)) {
		*code = cli_usage_error("%s: %s", command, error->message);
		return FALSE;
	}
	if ((guint)*argc != n_args + 1) {
		*code = cli_usage_error("%s: expected %s", command, parameters);
		return FALSE;
	}
	return TRUE;
}

static FerryProfileStore *
open_store(void)
{
	return ferry_profile_store_new(profile_dir);
}

static int
fail(const GError *error)
{
	cli_print_error(error, CLI_CONTEXT_FILES);
	return cli_exit_code(error);
}

/* --- import --- */

static gboolean
parse_import_format(const char *text, FerryImportFormat *format)
{
	static const struct {
		const char *name;
		FerryImportFormat format;
	} formats[] = {
		{"auto",           FERRY_IMPORT_FORMAT_AUTO        },
		{"keyfile",        FERRY_IMPORT_FORMAT_KEYFILE     },
		{"sswan",          FERRY_IMPORT_FORMAT_SSWAN       },
		{"mobileconfig",   FERRY_IMPORT_FORMAT_MOBILECONFIG},
		{"networkmanager", FERRY_IMPORT_FORMAT_NM          },
		{"nm",             FERRY_IMPORT_FORMAT_NM          },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(formats); i++) {
		if (g_strcmp0(text, formats[i].name) == 0) {
			*format = formats[i].format;
			return TRUE;
		}
	}
	return FALSE;
}

static void
report_import(const FerryImport *import, const FerryProfile *replaced, const char *dir)
{
	printf("imported '%s' (%s) into %s\n", import->profile->name,
	       ferry_import_format_to_string(import->format), dir);
	if (replaced != NULL)
		printf("  replaced the stored profile '%s' with the same UUID %s\n", replaced->name,
		       replaced->uuid);
	if (import->signer != NULL)
		printf("  signed by %s (%s)\n", import->signer,
		       import->signer_trusted ? "signature verified"
		                              : "UNVERIFIED: the signer is not trusted");
	if (!ferry_profile_secrets_is_empty(import->secrets))
		printf("  secrets stored beside it, readable by the owner only\n");
	for (guint i = 0; import->unmapped != NULL && i < import->unmapped->len; i++)
		printf("  not carried over: %s\n", (char *)g_ptr_array_index(import->unmapped, i));
}

static int
cmd_import(int argc, char **argv)
{
	g_autofree char *name = NULL;
	g_autofree char *format_text = NULL;
	g_autofree char *anchors = NULL;
	/* clang-format off */
	const GOptionEntry entries[] = {
		{"name", 0, 0, G_OPTION_ARG_STRING, &name, "Name of the imported profile", "NAME"},
		{"format", 0, 0, G_OPTION_ARG_STRING, &format_text,
		 "auto (default), keyfile, sswan, mobileconfig or networkmanager", "FORMAT"},
		{"anchors", 0, 0, G_OPTION_ARG_FILENAME, &anchors,
		 "Extra trust anchors (PEM) for signed .mobileconfig files", "FILE"},
		{NULL},
	};
	/* clang-format on */
	g_autoptr(FerryProfileStore) store = NULL;
	g_autoptr(GPtrArray) imports = NULL;
	g_autoptr(GError) error = NULL;
	FerryImportOptions options = {.format = FERRY_IMPORT_FORMAT_AUTO};
	int code;

	if (!parse("import", "FILE", entries, &argc, &argv, 1, &code))
		return code;
	if (format_text != NULL && !parse_import_format(format_text, &options.format))
		return cli_usage_error("import: unknown format '%s'", format_text);
	options.anchors_file = anchors;

	imports = ferry_import_file(argv[1], &options, &error);
	if (imports == NULL)
		return fail(error);
	if (name != NULL && imports->len != 1)
		return cli_usage_error("import: %s holds %u profiles; --name needs exactly one",
		                       argv[1], imports->len);
	store = open_store();
	for (guint i = 0; i < imports->len; i++) {
		FerryImport *import = g_ptr_array_index(imports, i);
		g_autoptr(FerryProfile) replaced = NULL;

		if (name != NULL) {
			g_free(import->profile->name);
			import->profile->name = g_strdup(name);
		}
		if (!ferry_profile_store_save_import(store, import, &replaced, &error))
			return fail(error);
		report_import(import, replaced, ferry_profile_store_get_dir(store));
	}
	return CLI_EXIT_OK;
}

/* --- list, show, delete --- */

static int
cmd_list(int argc, char **argv)
{
	g_autoptr(FerryProfileStore) store = NULL;
	g_autoptr(GPtrArray) profiles = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) error = NULL;
	int code;

	if (!parse("list", "", NULL, &argc, &argv, 0, &code))
		return code;
	store = open_store();
	profiles = ferry_profile_store_list(store, &problems, &error);
	if (profiles == NULL)
		return fail(error);
	for (guint i = 0; problems != NULL && i < problems->len; i++)
		fprintf(stderr, "ferry: skipped %s\n", (char *)g_ptr_array_index(problems, i));
	if (profiles->len == 0) {
		printf("no profiles in %s\n", ferry_profile_store_get_dir(store));
		return CLI_EXIT_OK;
	}
	printf("%-24s %-32s %s\n", "NAME", "GATEWAY", "AUTH");
	for (guint i = 0; i < profiles->len; i++) {
		const FerryProfile *p = g_ptr_array_index(profiles, i);
		printf("%-24s %-32s %s\n", p->name, p->gateway,
		       ferry_auth_method_to_string(p->auth));
	}
	return CLI_EXIT_OK;
}

static int
cmd_show(int argc, char **argv)
{
	g_autoptr(FerryProfileStore) store = NULL;
	g_autoptr(FerryProfile) profile = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	g_autofree char *text = NULL;
	int code;

	if (!parse("show", "PROFILE", NULL, &argc, &argv, 1, &code))
		return code;
	store = open_store();
	profile = ferry_profile_store_find(store, argv[1], &path, &error);
	if (profile == NULL)
		return fail(error);
	/* Settings only: secrets never leave their file. */
	text = ferry_profile_to_data(profile, NULL);
	printf("# %s\n%s", path, text);
	return CLI_EXIT_OK;
}

static int
cmd_delete(int argc, char **argv)
{
	g_autoptr(FerryProfileStore) store = NULL;
	g_autoptr(GError) error = NULL;
	int code;

	if (!parse("delete", "PROFILE", NULL, &argc, &argv, 1, &code))
		return code;
	store = open_store();
	if (!ferry_profile_store_delete(store, argv[1], &error))
		return fail(error);
	printf("deleted '%s' from %s\n", argv[1], ferry_profile_store_get_dir(store));
	return CLI_EXIT_OK;
}

/* --- export --- */

/* Create @path with @mode (never following a symlink, never widening an existing file). */
static gboolean
write_output(const char *path, GBytes *bytes, int mode, GError **error)
{
	ferry_autofd int fd =
		open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	int errsv;

	if (fd < 0 || fchmod(fd, (mode_t)mode) < 0)
		goto failed;
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto failed;
		data += n;
		len -= (gsize)n;
	}
	return TRUE;
failed:
	errsv = errno;
	g_set_error(error, FERRY_ERROR, FERRY_ERROR_IO, "cannot write %s: %s", path,
	            g_strerror(errsv));
	return FALSE;
}

static int
cmd_export(int argc, char **argv)
{
	g_autofree char *format_text = NULL;
	g_autofree char *output = NULL;
	gboolean with_secrets = FALSE;
	/* clang-format off */
	const GOptionEntry entries[] = {
		{"format", 0, 0, G_OPTION_ARG_STRING, &format_text,
		 "sswan, mobileconfig or keyfile (required)", "FORMAT"},
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
		 "Write to FILE instead of standard output", "FILE"},
		{"with-secrets", 0, 0, G_OPTION_ARG_NONE, &with_secrets,
		 "Embed the stored secrets where the format has a place for them (needs --output; "
		 "the file is created readable by its owner only)", NULL},
		{NULL},
	};
	/* clang-format on */
	g_autoptr(FerryProfileStore) store = NULL;
	g_autoptr(FerryProfile) profile = NULL;
	g_autoptr(FerryProfileSecrets) secrets = NULL;
	g_autoptr(GPtrArray) dropped = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	FerryExportFormat format;
	int code;

	if (!parse("export", "PROFILE", entries, &argc, &argv, 1, &code))
		return code;
	if (format_text == NULL || !ferry_export_format_from_string(format_text, &format))
		return cli_usage_error("export: --format sswan|mobileconfig|keyfile is required");
	if (with_secrets && output == NULL)
		return cli_usage_error("export: --with-secrets needs --output FILE (secrets never "
		                       "go to standard output)");
	store = open_store();
	profile = ferry_profile_store_find(store, argv[1], NULL, &error);
	if (profile == NULL)
		return fail(error);
	if (with_secrets) {
		secrets = ferry_profile_store_load_secrets(store, profile, &error);
		if (secrets == NULL)
			return fail(error);
	}
	bytes = ferry_export(profile, secrets, format, &dropped, &error);
	if (bytes == NULL)
		return fail(error);
	for (guint i = 0; dropped != NULL && i < dropped->len; i++)
		fprintf(stderr, "ferry: export: %s cannot carry %s\n", format_text,
		        (char *)g_ptr_array_index(dropped, i));
	if (output != NULL) {
		if (!write_output(output, bytes, with_secrets ? 0600 : 0644, &error))
			return fail(error);
		return CLI_EXIT_OK;
	}
	fwrite(g_bytes_get_data(bytes, NULL), 1, g_bytes_get_size(bytes), stdout);
	fflush(stdout);
	return CLI_EXIT_OK;
}

int
cli_profiles(int argc, char **argv)
{
	const char *command = argv[0];

	if (g_str_equal(command, "import"))
		return cmd_import(argc, argv);
	if (g_str_equal(command, "list"))
		return cmd_list(argc, argv);
	if (g_str_equal(command, "show"))
		return cmd_show(argc, argv);
	if (g_str_equal(command, "export"))
		return cmd_export(argc, argv);
	if (g_str_equal(command, "delete"))
		return cmd_delete(argc, argv);
	return -1;
}
