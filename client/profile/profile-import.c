/* profile-import.c - import records, format detection, attachments, exporter dispatch */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>

#include "ferry-error.h"
#include "profile-import.h"

static void
attachment_free(gpointer p)
{
	FerryAttachment *a = p;

	g_free(a->name);
	g_bytes_unref(a->data);
	g_free(a);
}

FerryImport *
ferry_import_new(const char *source, FerryImportFormat format)
{
	FerryImport *import = g_new0(FerryImport, 1);

	import->profile = ferry_profile_new();
	import->secrets = ferry_profile_secrets_new();
	import->attachments = g_ptr_array_new_with_free_func(attachment_free);
	import->unmapped = g_ptr_array_new_with_free_func(g_free);
	import->source = g_strdup(source);
	import->format = format;
	return import;
}

void
ferry_import_free(FerryImport *import)
{
	if (!import)
		return;
	ferry_profile_free(import->profile);
	ferry_profile_secrets_free(import->secrets);
	g_ptr_array_unref(import->attachments);
	g_ptr_array_unref(import->unmapped);
	g_free(import->source);
	g_free(import->signer);
	g_free(import);
}

void
ferry_import_add_unmapped(FerryImport *import, const char *field, const char *fmt, ...)
{
	g_autofree char *why = NULL;
	va_list ap;

	va_start(ap, fmt);
	why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(import->unmapped, g_strdup_printf("%s: %s", field, why));
}

static gboolean
name_taken(const FerryImport *import, const char *name)
{
	for (guint i = 0; i < import->attachments->len; i++) {
		const FerryAttachment *a = g_ptr_array_index(import->attachments, i);

		if (strcmp(a->name, name) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
append_to_list(char ***list, const char *value)
{
	guint n = *list ? g_strv_length(*list) : 0;

	*list = g_renew(char *, *list, n + 2);
	(*list)[n] = g_strdup(value);
	(*list)[n + 1] = NULL;
}

void
ferry_import_add_attachment(FerryImport *import,
                            FerryAttachmentRole role,
                            const char *name,
                            GBytes *data,
                            gboolean secret)
{
	FerryAttachment *a = g_new0(FerryAttachment, 1);
	FerryProfile *p = import->profile;
	g_autofree char *unique = g_strdup(name);
	const char *dot = strrchr(name, '.');

	/* "ca.pem", "ca-2.pem", ... */
	for (guint i = 2; name_taken(import, unique); i++) {
		g_free(unique);
		unique = g_strdup_printf("%.*s-%u%s", dot ? (int)(dot - name) : (int)strlen(name),
		                         name, i, dot ? dot : "");
	}
	a->role = role;
	a->name = g_steal_pointer(&unique);
	a->data = g_bytes_ref(data);
	a->secret = secret;
	g_ptr_array_add(import->attachments, a);

	switch (role) {
	case FERRY_ATTACHMENT_CA_CERT:
		append_to_list(&p->ca_certs, a->name);
		break;
	case FERRY_ATTACHMENT_SERVER_CERT:
		g_free(p->server_cert);
		p->server_cert = g_strdup(a->name);
		break;
	case FERRY_ATTACHMENT_CLIENT_PKCS12:
		g_free(p->client_pkcs12);
		p->client_pkcs12 = g_strdup(a->name);
		break;
	}
}

static void
replace_value(char **slot, const char *from, const char *to)
{
	if (*slot && strcmp(*slot, from) == 0) {
		g_free(*slot);
		*slot = g_strdup(to);
	}
}

gboolean
ferry_import_write_attachments(FerryImport *import,
                               const char *dir,
                               const char *basename,
                               GError **error)
{
	FerryProfile *p = import->profile;

	for (guint i = 0; i < import->attachments->len; i++) {
		const FerryAttachment *a = g_ptr_array_index(import->attachments, i);
		g_autofree char *file = g_strdup_printf("%s.%s", basename, a->name);
		g_autofree char *path = g_build_filename(dir, file, NULL);
		g_autoptr(GError) local = NULL;
		gsize len = 0;
		const char *data = g_bytes_get_data(a->data, &len);

		if (!g_file_set_contents_full(path, data, (gssize)len,
		                              G_FILE_SET_CONTENTS_CONSISTENT,
		                              a->secret ? 0600 : 0644, &local)) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_IO, "%s", local->message);
			return FALSE;
		}
		for (guint j = 0; p->ca_certs && p->ca_certs[j]; j++)
			replace_value(&p->ca_certs[j], a->name, path);
		replace_value(&p->server_cert, a->name, path);
		replace_value(&p->client_pkcs12, a->name, path);
	}
	return TRUE;
}

const char *
ferry_import_format_to_string(FerryImportFormat format)
{
	switch (format) {
	case FERRY_IMPORT_FORMAT_AUTO:
		return "auto";
	case FERRY_IMPORT_FORMAT_KEYFILE:
		return "keyfile";
	case FERRY_IMPORT_FORMAT_SSWAN:
		return "sswan";
	case FERRY_IMPORT_FORMAT_MOBILECONFIG:
		return "mobileconfig";
	case FERRY_IMPORT_FORMAT_NM:
		return "networkmanager";
	}
	return "unknown";
}

static gboolean
has_vpn_group(const guint8 *data, gsize len)
{
	static const char group[] = "[vpn]";
	const char *p = (const char *)data;
	const char *end = p + len;

	/* A line "[vpn]" (NetworkManager's vpn setting group). */
	for (; p && p < end; p = memchr(p, '\n', (gsize)(end - p)), p = p ? p + 1 : NULL) {
		if ((gsize)(end - p) >= sizeof(group) - 1 &&
		    memcmp(p, group, sizeof(group) - 1) == 0)
			return TRUE;
	}
	return FALSE;
}

/* "[group name]" up to the end of the line: a keyfile, not a JSON array. */
static gboolean
is_group_line(const guint8 *p, gsize len)
{
	gsize i = 1;

	while (i < len && p[i] != ']' && p[i] != '\n' &&
	       (g_ascii_isalnum(p[i]) || p[i] == '-' || p[i] == '_' || p[i] == ' '))
		i++;
	if (i >= len || p[i] != ']' || i == 1)
		return FALSE;
	for (i++; i < len && p[i] != '\n'; i++) {
		if (!g_ascii_isspace(p[i]))
			return FALSE;
	}
	return TRUE;
}

FerryImportFormat
ferry_import_detect_format(const guint8 *data, gsize len, const char *source)
{
	gsize i = 0;

	if (len >= 8 && memcmp(data, "bplist00", 8) == 0)
		return FERRY_IMPORT_FORMAT_MOBILECONFIG;
	/* DER SEQUENCE: a CMS SignedData wrapping a profile */
	if (len >= 2 && data[0] == 0x30 && (data[1] & 0x80))
		return FERRY_IMPORT_FORMAT_MOBILECONFIG;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && g_ascii_isspace(data[i]))
		i++;
	if (i < len && (data[i] == '{' || (data[i] == '[' && !is_group_line(data + i, len - i))))
		return FERRY_IMPORT_FORMAT_SSWAN;
	if (i < len && data[i] == '<')
		return FERRY_IMPORT_FORMAT_MOBILECONFIG;
	if (has_vpn_group(data, len))
		return FERRY_IMPORT_FORMAT_NM;
	return FERRY_IMPORT_FORMAT_KEYFILE;
}

GPtrArray *
ferry_import_keyfile(const guint8 *data, gsize len, const char *source, GError **error)
{
	g_autoptr(FerryImport) import = ferry_import_new(source, FERRY_IMPORT_FORMAT_KEYFILE);
	GPtrArray *out;

	ferry_profile_free(import->profile);
	import->profile = ferry_profile_load_from_data((const char *)data, len, source, error);
	if (!import->profile)
		return NULL;
	out = g_ptr_array_new_with_free_func((GDestroyNotify)ferry_import_free);
	g_ptr_array_add(out, g_steal_pointer(&import));
	return out;
}

GPtrArray *
ferry_import_data(const guint8 *data,
                  gsize len,
                  const char *source,
                  const FerryImportOptions *options,
                  GError **error)
{
	FerryImportFormat format = options ? options->format : FERRY_IMPORT_FORMAT_AUTO;

	if (!source)
		source = "profile";
	if (len > FERRY_IMPORT_MAX_SIZE) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "%s: larger than %d bytes, not a VPN profile", source,
		            FERRY_IMPORT_MAX_SIZE);
		return NULL;
	}
	if (format == FERRY_IMPORT_FORMAT_AUTO)
		format = ferry_import_detect_format(data, len, source);
	switch (format) {
	case FERRY_IMPORT_FORMAT_SSWAN:
		return ferry_import_sswan(data, len, source, error);
	case FERRY_IMPORT_FORMAT_MOBILECONFIG:
		return ferry_import_mobileconfig(data, len, source, options, error);
	case FERRY_IMPORT_FORMAT_NM:
		return ferry_import_nm(data, len, source, error);
	case FERRY_IMPORT_FORMAT_KEYFILE:
	case FERRY_IMPORT_FORMAT_AUTO:
		break;
	}
	return ferry_import_keyfile(data, len, source, error);
}

GPtrArray *
ferry_import_file(const char *path, const FerryImportOptions *options, GError **error)
{
	g_autoptr(GMappedFile) map = NULL;
	g_autoptr(GError) local = NULL;

	map = g_mapped_file_new(path, FALSE, &local);
	if (!map) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s", local->message);
		return NULL;
	}
	return ferry_import_data((const guint8 *)g_mapped_file_get_contents(map),
	                         g_mapped_file_get_length(map), path, options, error);
}

gboolean
ferry_export_format_from_string(const char *s, FerryExportFormat *format)
{
	if (g_strcmp0(s, "keyfile") == 0)
		*format = FERRY_EXPORT_KEYFILE;
	else if (g_strcmp0(s, "sswan") == 0)
		*format = FERRY_EXPORT_SSWAN;
	else if (g_strcmp0(s, "mobileconfig") == 0)
		*format = FERRY_EXPORT_MOBILECONFIG;
	else
		return FALSE;
	return TRUE;
}

GBytes *
ferry_export(const FerryProfile *profile,
             const FerryProfileSecrets *secrets,
             FerryExportFormat format,
             GPtrArray **dropped,
             GError **error)
{
	g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func(g_free);
	GBytes *out = NULL;
	gsize len = 0;
	char *text;

	if (!ferry_profile_validate(profile, error))
		return NULL;
	switch (format) {
	case FERRY_EXPORT_KEYFILE:
		text = ferry_profile_to_data(profile, &len);
		out = g_bytes_new_take(text, len);
		break;
	case FERRY_EXPORT_SSWAN:
		out = ferry_export_sswan(profile, secrets, lost, error);
		break;
	case FERRY_EXPORT_MOBILECONFIG:
		out = ferry_export_mobileconfig(profile, secrets, lost, error);
		break;
	}
	if (out && dropped)
		*dropped = g_steal_pointer(&lost);
	return out;
}
