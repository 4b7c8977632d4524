/* io-dns.c - DNS through systemd-resolved or a saved and restored resolv.conf */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry-fd.h"
#include "io-dns.h"

#define RESOLVED_NAME   "org.freedesktop.resolve1"
#define RESOLVED_PATH   "/org/freedesktop/resolve1"
#define RESOLVED_IFACE  "org.freedesktop.resolve1.Manager"
#define DBUS_TIMEOUT_MS 5000

typedef enum {
	SAVED_ABSENT,
	SAVED_FILE,
	SAVED_SYMLINK,
} SavedKind;

struct _IoDns {
	char *path;
	gboolean use_resolved;
	IoDnsBackend backend;
	int ifindex;
	/* owned */
	GDBusConnection *bus;
	SavedKind saved_kind;
	GBytes *saved;    /* SAVED_FILE: the exact bytes */
	char *saved_link; /* SAVED_SYMLINK: the link target */
	char *written;    /* what we wrote, to recognise it on restore */
	/* borrowed */
	IoRecord *record;
};

#define RECORD_GROUP "dns"

static const char *const saved_kind_names[] = {
	[SAVED_ABSENT] = "absent",
	[SAVED_FILE] = "file",
	[SAVED_SYMLINK] = "symlink",
};

static gboolean
set_errno_error(GError **error, int errsv, const char *what, const char *path)
{
	g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errsv), "cannot %s %s: %s", what, path,
	            g_strerror(errsv));
	return FALSE;
}

IoDns *
io_dns_new(const char *resolv_conf, GDBusConnection *bus, gboolean use_resolved)
{
	IoDns *dns = g_new0(IoDns, 1);

	dns->path = g_strdup(resolv_conf != NULL ? resolv_conf : IO_DNS_RESOLV_CONF);
	dns->use_resolved = use_resolved;
	dns->bus = bus != NULL ? g_object_ref(bus) : NULL;
	dns->ifindex = -1;
	return dns;
}

void
io_dns_free(IoDns *dns)
{
	if (dns == NULL)
		return;
	if (dns->backend != IO_DNS_NONE)
		g_debug("dns: freed while still applied to %s", dns->path);
	g_clear_object(&dns->bus);
	g_clear_pointer(&dns->saved, g_bytes_unref);
	g_free(dns->saved_link);
	g_free(dns->written);
	g_free(dns->path);
	g_free(dns);
}

void
io_dns_set_record(IoDns *dns, IoRecord *record)
{
	dns->record = record;
}

/* Write what restore needs to the record before the change it undoes. */
static void
save_record(IoDns *dns, IoDnsBackend backend)
{
	g_autoptr(GError) error = NULL;
	GKeyFile *kf;

	if (dns->record == NULL)
		return;
	kf = io_record_get_keyfile(dns->record);
	g_key_file_remove_group(kf, RECORD_GROUP, NULL);
	if (backend == IO_DNS_RESOLVED) {
		g_key_file_set_string(kf, RECORD_GROUP, "backend", "resolved");
		g_key_file_set_integer(kf, RECORD_GROUP, "ifindex", dns->ifindex);
	} else if (backend == IO_DNS_FILE) {
		g_autofree char *written =
			g_base64_encode((const guchar *)dns->written, strlen(dns->written));

		g_key_file_set_string(kf, RECORD_GROUP, "backend", "file");
		g_key_file_set_string(kf, RECORD_GROUP, "path", dns->path);
		g_key_file_set_string(kf, RECORD_GROUP, "saved-kind",
		                      saved_kind_names[dns->saved_kind]);
		if (dns->saved_kind == SAVED_SYMLINK)
			g_key_file_set_string(kf, RECORD_GROUP, "saved-link", dns->saved_link);
		if (dns->saved_kind == SAVED_FILE) {
			gsize len = 0;
			const guchar *data = g_bytes_get_data(dns->saved, &len);
			g_autofree char *saved = g_base64_encode(data, len);

			g_key_file_set_string(kf, RECORD_GROUP, "saved", saved);
		}
		g_key_file_set_string(kf, RECORD_GROUP, "written", written);
	}
	if (!io_record_save(dns->record, &error))
		g_message("DNS will not be restored after a crash: %s", error->message);
}

IoDnsBackend
io_dns_get_backend(const IoDns *dns)
{
	return dns->backend;
}

char *
io_dns_format_resolv_conf(const char *ifname,
                          const char *const *servers,
                          const char *const *domains)
{
	GString *text = g_string_new(NULL);

	g_string_append_printf(text,
	                       IO_DNS_MARKER
	                       " for the VPN tunnel on %s.\n"
	                       "# The previous file is put back when the tunnel goes down.\n",
	                       ifname);
	for (guint i = 0; servers != NULL && servers[i] != NULL; i++)
		g_string_append_printf(text, "nameserver %s\n", servers[i]);
	if (domains != NULL && domains[0] != NULL) {
		g_string_append(text, "search");
		for (guint i = 0; domains[i] != NULL; i++)
			g_string_append_printf(text, " %s", domains[i]);
		g_string_append_c(text, '\n');
	}
	return g_string_free(text, FALSE);
}

/* --- systemd-resolved --- */

/* resolved runs in the initial network namespace; a link index from any other means
 * another link there. */
static gboolean
in_initial_netns(void)
{
	struct stat self, init;

	if (stat("/proc/self/ns/net", &self) < 0 || stat("/proc/1/ns/net", &init) < 0)
		return FALSE;
	return self.st_ino == init.st_ino && self.st_dev == init.st_dev;
}

static gboolean
find_resolved(IoDns *dns)
{
	g_autoptr(GVariant) reply = NULL;
	gboolean has_owner = FALSE;

	if (!dns->use_resolved)
		return FALSE;
	if (dns->bus == NULL) {
		if (!in_initial_netns())
			return FALSE;
		dns->bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, NULL);
		if (dns->bus == NULL)
			return FALSE;
	}
	reply = g_dbus_connection_call_sync(
		dns->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
		"NameHasOwner", g_variant_new("(s)", RESOLVED_NAME), G_VARIANT_TYPE("(b)"),
		G_DBUS_CALL_FLAGS_NONE, DBUS_TIMEOUT_MS, NULL, NULL);
	if (reply != NULL)
		g_variant_get(reply, "(b)", &has_owner);
	return has_owner;
}

static gboolean
call_resolved(IoDns *dns, const char *method, GVariant *args, GError **error)
{
	g_autoptr(GVariant) reply = NULL;

	reply = g_dbus_connection_call_sync(dns->bus, RESOLVED_NAME, RESOLVED_PATH, RESOLVED_IFACE,
	                                    method, args, NULL, G_DBUS_CALL_FLAGS_NONE,
	                                    DBUS_TIMEOUT_MS, NULL, error);
	if (reply == NULL) {
		g_prefix_error(error, "systemd-resolved %s: ", method);
		return FALSE;
	}
	return TRUE;
}

static gboolean
apply_resolved(IoDns *dns,
               int ifindex,
               const char *const *servers,
               const char *const *domains,
               const char *const *routing_domains,
               gboolean default_route,
               GError **error)
{
	GVariantBuilder addrs, doms;

	g_variant_builder_init(&addrs, G_VARIANT_TYPE("a(iay)"));
	for (guint i = 0; servers != NULL && servers[i] != NULL; i++) {
		g_autoptr(GInetAddress) inet = g_inet_address_new_from_string(servers[i]);
		int family;

		if (inet == NULL) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			            "\"%s\" is not an IP address", servers[i]);
			g_variant_builder_clear(&addrs);
			return FALSE;
		}
		family = g_inet_address_get_family(inet) == G_SOCKET_FAMILY_IPV6 ? AF_INET6
		                                                                 : AF_INET;
		g_variant_builder_add(&addrs, "(i@ay)", family,
		                      g_variant_new_fixed_array(
					      G_VARIANT_TYPE_BYTE, g_inet_address_to_bytes(inet),
					      g_inet_address_get_native_size(inet), 1));
	}
	g_variant_builder_init(&doms, G_VARIANT_TYPE("a(sb)"));
	for (guint i = 0; domains != NULL && domains[i] != NULL; i++)
		g_variant_builder_add(&doms, "(sb)", domains[i], FALSE);
	for (guint i = 0; routing_domains != NULL && routing_domains[i] != NULL; i++)
		g_variant_builder_add(&doms, "(sb)", routing_domains[i], TRUE);
	if (default_route)
		g_variant_builder_add(&doms, "(sb)", ".", TRUE); /* "~.": route every query here */

	if (!call_resolved(dns, "SetLinkDNS", g_variant_new("(ia(iay))", ifindex, &addrs), error)) {
		g_variant_builder_clear(&doms);
		return FALSE;
	}
	if (!call_resolved(dns, "SetLinkDomains", g_variant_new("(ia(sb))", ifindex, &doms),
	                   error)) {
		g_autoptr(GError) ignored = NULL;
		call_resolved(dns, "RevertLink", g_variant_new("(i)", ifindex), &ignored);
		return FALSE;
	}
	return TRUE;
}

/* --- resolv.conf --- */

/* Write in place: keeps inode, mode and owner, and works on a bind-mounted file. */
static gboolean
write_in_place(const char *path, const void *data, gsize len, GError **error)
{
	ferry_autofd int fd =
		open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	const uint8_t *p = data;
	int errsv;

	if (fd < 0) {
		errsv = errno;
		return set_errno_error(error, errsv, "write", path);
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			errsv = errno;
			if (errsv == EINTR)
				continue;
			return set_errno_error(error, errsv, "write", path);
		}
		p += n;
		len -= (gsize)n;
	}
	if (fsync(fd) < 0) {
		errsv = errno;
		return set_errno_error(error, errsv, "write", path);
	}
	return TRUE;
}

static gboolean
save_resolv_conf(IoDns *dns, GError **error)
{
	struct stat st;
	char *contents = NULL;
	gsize len = 0;
	int errsv;

	if (lstat(dns->path, &st) < 0) {
		errsv = errno;
		if (errsv != ENOENT)
			return set_errno_error(error, errsv, "read", dns->path);
		dns->saved_kind = SAVED_ABSENT;
		return TRUE;
	}
	if (S_ISLNK(st.st_mode)) {
		dns->saved_link = g_file_read_link(dns->path, error);
		if (dns->saved_link == NULL)
			return FALSE;
		dns->saved_kind = SAVED_SYMLINK;
		return TRUE;
	}
	if (!g_file_get_contents(dns->path, &contents, &len, error))
		return FALSE;
	dns->saved = g_bytes_new_take(contents, len);
	dns->saved_kind = SAVED_FILE;
	return TRUE;
}

static gboolean
apply_file(IoDns *dns,
           const char *ifname,
           const char *const *servers,
           const char *const *domains,
           GError **error)
{
	int errsv;

	if (!save_resolv_conf(dns, error))
		return FALSE;
	dns->written = io_dns_format_resolv_conf(ifname, servers, domains);
	save_record(dns, IO_DNS_FILE);
	/* A symlink points into someone else's files (resolved, resolvconf): replace the link,
	 * never its target. */
	if (dns->saved_kind == SAVED_SYMLINK && unlink(dns->path) < 0) {
		errsv = errno;
		return set_errno_error(error, errsv, "replace", dns->path);
	}
	if (!write_in_place(dns->path, dns->written, strlen(dns->written), error)) {
		if (dns->saved_kind == SAVED_SYMLINK)
			(void)symlink(dns->saved_link, dns->path);
		return FALSE;
	}
	return TRUE;
}

static gboolean
still_ours(IoDns *dns)
{
	g_autofree char *current = NULL;
	struct stat st;

	if (lstat(dns->path, &st) < 0 || !S_ISREG(st.st_mode))
		return FALSE;
	if (!g_file_get_contents(dns->path, &current, NULL, NULL))
		return FALSE;
	return g_strcmp0(current, dns->written) == 0;
}

/* *left_alone: the file was no longer what we wrote, so it stays as it is. */
static gboolean
restore_file(IoDns *dns, gboolean *left_alone, GError **error)
{
	gsize len = 0;
	const void *data;
	int errsv;

	*left_alone = !still_ours(dns);
	if (*left_alone)
		return TRUE;
	switch (dns->saved_kind) {
	case SAVED_ABSENT:
		if (unlink(dns->path) < 0) {
			errsv = errno;
			return set_errno_error(error, errsv, "remove", dns->path);
		}
		return TRUE;
	case SAVED_SYMLINK:
		if (unlink(dns->path) < 0 || symlink(dns->saved_link, dns->path) < 0) {
			errsv = errno;
			return set_errno_error(error, errsv, "restore the symlink", dns->path);
		}
		return TRUE;
	case SAVED_FILE:
		data = g_bytes_get_data(dns->saved, &len);
		return write_in_place(dns->path, data, len, error);
	}
	return TRUE;
}

gboolean
io_dns_apply(IoDns *dns,
             int ifindex,
             const char *ifname,
             const char *const *servers,
             const char *const *domains,
             const char *const *routing_domains,
             gboolean default_route,
             GError **error)
{
	g_return_val_if_fail(dns->backend == IO_DNS_NONE, FALSE);

	if (find_resolved(dns)) {
		dns->ifindex = ifindex;
		save_record(dns, IO_DNS_RESOLVED);
		if (!apply_resolved(dns, ifindex, servers, domains, routing_domains, default_route,
		                    error))
			return FALSE;
		dns->ifindex = ifindex;
		dns->backend = IO_DNS_RESOLVED;
		g_debug("dns: applied through systemd-resolved on link %d", ifindex);
		return TRUE;
	}
	if (!apply_file(dns, ifname, servers, domains, error))
		return FALSE;
	dns->backend = IO_DNS_FILE;
	g_debug("dns: wrote %s", dns->path);
	return TRUE;
}

gboolean
io_dns_restore(IoDns *dns, GError **error)
{
	IoDnsBackend backend = dns->backend;
	gboolean left_alone = FALSE;

	dns->backend = IO_DNS_NONE;
	switch (backend) {
	case IO_DNS_NONE:
		return TRUE;
	case IO_DNS_RESOLVED:
		if (!call_resolved(dns, "RevertLink", g_variant_new("(i)", dns->ifindex), error))
			return FALSE;
		save_record(dns, IO_DNS_NONE);
		return TRUE;
	case IO_DNS_FILE:
		if (!restore_file(dns, &left_alone, error))
			return FALSE;
		save_record(dns, IO_DNS_NONE); /* undone: nothing for a later cleanup */
		if (left_alone)
			g_message("%s was changed by someone else while the tunnel was up; "
			          "leaving it",
			          dns->path);
		return TRUE;
	}
	return TRUE;
}

/* --- after a crash --- */

static gboolean
saved_kind_from_string(const char *name, SavedKind *kind)
{
	for (gsize i = 0; i < G_N_ELEMENTS(saved_kind_names); i++) {
		if (g_strcmp0(name, saved_kind_names[i]) == 0) {
			*kind = (SavedKind)i;
			return TRUE;
		}
	}
	return FALSE;
}

/* An IoDns as the dead session had it after writing resolv.conf; NULL if the group is bad. */
static IoDns *
dns_from_record(GKeyFile *kf)
{
	g_autofree char *path = g_key_file_get_string(kf, RECORD_GROUP, "path", NULL);
	g_autofree char *kind = g_key_file_get_string(kf, RECORD_GROUP, "saved-kind", NULL);
	g_autofree char *written = g_key_file_get_string(kf, RECORD_GROUP, "written", NULL);
	g_autofree char *saved = g_key_file_get_string(kf, RECORD_GROUP, "saved", NULL);
	g_autoptr(IoDns) dns = NULL;
	gsize len = 0;
	guchar *bytes;

	if (path == NULL || !g_path_is_absolute(path) || written == NULL)
		return NULL;
	dns = io_dns_new(path, NULL, FALSE);
	if (!saved_kind_from_string(kind, &dns->saved_kind))
		return NULL;
	bytes = g_base64_decode(written, &len);
	dns->written = g_strndup((const char *)bytes, len);
	g_free(bytes);
	if (dns->saved_kind == SAVED_FILE) {
		if (saved == NULL)
			return NULL;
		bytes = g_base64_decode(saved, &len);
		dns->saved = g_bytes_new_take(bytes, len);
	} else if (dns->saved_kind == SAVED_SYMLINK) {
		dns->saved_link = g_key_file_get_string(kf, RECORD_GROUP, "saved-link", NULL);
		if (dns->saved_link == NULL)
			return NULL;
	}
	return g_steal_pointer(&dns);
}

static void
undo_file(GKeyFile *kf, GPtrArray *done)
{
	g_autoptr(IoDns) dns = dns_from_record(kf);
	g_autoptr(GError) error = NULL;
	gboolean left_alone = FALSE;

	if (dns == NULL) {
		g_ptr_array_add(done, g_strdup("could not read the saved DNS settings"));
		return;
	}
	if (!restore_file(dns, &left_alone, &error))
		g_ptr_array_add(done, g_strdup_printf("could not restore %s: %s", dns->path,
		                                      error->message));
	else if (left_alone)
		g_ptr_array_add(done, g_strdup_printf("left %s alone: it was changed after Ferry "
		                                      "wrote it",
		                                      dns->path));
	else
		g_ptr_array_add(done, g_strdup_printf("restored %s", dns->path));
}

static void
undo_resolved(GKeyFile *kf, GPtrArray *done)
{
	int ifindex = g_key_file_get_integer(kf, RECORD_GROUP, "ifindex", NULL);
	g_autoptr(IoDns) dns = io_dns_new(NULL, NULL, TRUE);
	g_autoptr(GError) error = NULL;
	char name[IF_NAMESIZE];

	/* resolved forgets a link's settings when the link goes: only one still there (a
	 * persistent device) needs reverting. */
	if (ifindex <= 0 || if_indextoname((unsigned)ifindex, name) == NULL || !find_resolved(dns))
		return;
	if (call_resolved(dns, "RevertLink", g_variant_new("(i)", ifindex), &error))
		g_ptr_array_add(done, g_strdup_printf("reverted the DNS settings of %s in "
		                                      "systemd-resolved",
		                                      name));
	else
		g_ptr_array_add(done, g_strdup(error->message));
}

void
io_dns_undo_record(GKeyFile *kf, GPtrArray *done)
{
	g_autofree char *backend = g_key_file_get_string(kf, RECORD_GROUP, "backend", NULL);

	if (g_strcmp0(backend, "file") == 0)
		undo_file(kf, done);
	else if (g_strcmp0(backend, "resolved") == 0)
		undo_resolved(kf, done);
}
