/* profile-secrets.c - the 0600 secrets keyfile ([secrets] psk=, password=, ...)
 *
 * Parsed by hand rather than with GKeyFile so that every copy of a secret sits in a buffer we
 * wipe: GKeyFile keeps its own unwiped copies.  The syntax is the keyfile subset GLib writes:
 * "[group]" lines, "key=value" lines, '#' comments, and the escapes \s \n \t \r \\.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>

#include "ferry-error.h"
#include "ferry-profile.h"

#define SECRETS_FILE_MAX (64 * 1024)

static const char *const secret_keys[] = {"psk", "password", "key-passphrase", "pin"};

static FerrySecret *const *
secret_slots(const FerryProfileSecrets *s, gsize i)
{
	FerrySecret *const *slots[] = {&s->psk, &s->password, &s->key_passphrase, &s->pin};

	return slots[i];
}

/* Unescapes in place; returns FALSE on an unknown escape. */
static gboolean
unescape(char *s)
{
	char *out = s;

	for (char *p = s; *p; p++) {
		if (*p != '\\') {
			*out++ = *p;
			continue;
		}
		switch (*++p) {
		case 's':
			*out++ = ' ';
			break;
		case 'n':
			*out++ = '\n';
			break;
		case 't':
			*out++ = '\t';
			break;
		case 'r':
			*out++ = '\r';
			break;
		case '\\':
			*out++ = '\\';
			break;
		default:
			return FALSE;
		}
	}
	ferry_wipe(out, strlen(out));
	*out = '\0';
	return TRUE;
}

static gboolean
parse_line(FerryProfileSecrets *secrets, char *line, gboolean *in_group, GError **error)
{
	char *eq, *key, *value;

	line = g_strstrip(line);
	if (!*line || *line == '#')
		return TRUE;
	if (*line == '[') {
		*in_group = strcmp(line, "[" FERRY_PROFILE_SECRETS_GROUP "]") == 0;
		return TRUE;
	}
	eq = strchr(line, '=');
	if (!eq) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "a line that is neither [group] nor key=value");
		return FALSE;
	}
	if (!*in_group)
		return TRUE;
	*eq = '\0';
	key = g_strstrip(line);
	value = g_strstrip(eq + 1);
	if (!unescape(value)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: invalid escape sequence",
		            key);
		return FALSE;
	}
	if (!ferry_profile_secrets_set(secrets, key, *value ? value : NULL, error))
		return FALSE;
	return TRUE;
}

FerryProfileSecrets *
ferry_profile_secrets_load_from_data(const char *data,
                                     gsize len,
                                     const char *source,
                                     GError **error)
{
	g_autoptr(FerryProfileSecrets) secrets = ferry_profile_secrets_new();
	FerrySecret *copy = ferry_secret_new_from(data, len);
	gboolean in_group = FALSE;
	gboolean ok = TRUE;
	guint lineno = 0;
	char *line, *next;

	if (!copy || memchr(data, '\0', len)) {
		ferry_secret_free(copy);
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: not a text file",
		            source ? source : "secrets");
		return NULL;
	}
	for (line = (char *)copy->data; ok && line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		ok = parse_line(secrets, line, &in_group, error);
	}
	ferry_secret_free(copy);
	if (!ok) {
		g_prefix_error(error, "%s:%u: ", source ? source : "secrets", lineno);
		return NULL;
	}
	return g_steal_pointer(&secrets);
}

static gboolean
read_private_file(const char *path, FerrySecret **out, GError **error)
{
	struct stat st;
	FerrySecret *buf;
	ssize_t n;
	int errsv;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		errsv = errno;
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: %s", path,
		            g_strerror(errsv));
		return FALSE;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > SECRETS_FILE_MAX) {
		close(fd);
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "%s: not a regular file of at most %d bytes", path, SECRETS_FILE_MAX);
		return FALSE;
	}
	if (st.st_mode & 077) {
		close(fd);
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "%s: secrets file is accessible by group or others (mode %04o); run "
		            "`chmod 600 %s`",
		            path, (unsigned)(st.st_mode & 07777), path);
		return FALSE;
	}
	buf = ferry_secret_new((size_t)st.st_size);
	n = read(fd, buf->data, buf->len);
	errsv = errno;
	close(fd);
	if (n != (ssize_t)buf->len) {
		ferry_secret_free(buf);
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: short read: %s", path,
		            n < 0 ? g_strerror(errsv) : "file changed while reading");
		return FALSE;
	}
	*out = buf;
	return TRUE;
}

FerryProfileSecrets *
ferry_profile_secrets_load(const char *path, GError **error)
{
	FerrySecret *buf = NULL;
	FerryProfileSecrets *secrets;

	if (!read_private_file(path, &buf, error))
		return NULL;
	secrets = ferry_profile_secrets_load_from_data((const char *)buf->data, buf->len, path,
	                                               error);
	ferry_secret_free(buf);
	return secrets;
}

static void
append_escaped(GString *out, const FerrySecret *s)
{
	for (gsize i = 0; i < s->len; i++) {
		char c = (char)s->data[i];

		if (c == ' ' && (i == 0 || i == s->len - 1))
			g_string_append(out, "\\s");
		else if (c == '\n')
			g_string_append(out, "\\n");
		else if (c == '\t')
			g_string_append(out, "\\t");
		else if (c == '\r')
			g_string_append(out, "\\r");
		else if (c == '\\')
			g_string_append(out, "\\\\");
		else
			g_string_append_c(out, c);
	}
}

char *
ferry_profile_secrets_to_data(const FerryProfileSecrets *secrets, gsize *len)
{
	/* Sized up front so the GString never reallocates and leaves an unwiped copy. */
	gsize cap = 64;
	GString *out;

	for (gsize i = 0; i < G_N_ELEMENTS(secret_keys); i++) {
		const FerrySecret *s = *secret_slots(secrets, i);

		cap += strlen(secret_keys[i]) + 2 + (s ? 2 * s->len : 0);
	}
	out = g_string_sized_new(cap);
	g_string_append(out, "[" FERRY_PROFILE_SECRETS_GROUP "]\n");
	for (gsize i = 0; i < G_N_ELEMENTS(secret_keys); i++) {
		const FerrySecret *s = *secret_slots(secrets, i);

		if (!s)
			continue;
		g_string_append_printf(out, "%s=", secret_keys[i]);
		append_escaped(out, s);
		g_string_append_c(out, '\n');
	}
	if (len)
		*len = out->len;
	return g_string_free(out, FALSE);
}

gboolean
ferry_profile_secrets_save(const FerryProfileSecrets *secrets, const char *path, GError **error)
{
	g_autoptr(GError) local = NULL;
	gsize len = 0;
	char *data;
	gboolean ok;

	for (gsize i = 0; i < G_N_ELEMENTS(secret_keys); i++) {
		const FerrySecret *s = *secret_slots(secrets, i);

		if (s && memchr(s->data, '\0', s->len)) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "%s: %s: contains a NUL byte, which a secrets file cannot hold",
			            path, secret_keys[i]);
			return FALSE;
		}
	}
	data = ferry_profile_secrets_to_data(secrets, &len);
	ok = g_file_set_contents_full(path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
	                              &local);
	ferry_wipe(data, len);
	g_free(data);
	if (!ok)
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_IO, "%s", local->message);
	return ok;
}
