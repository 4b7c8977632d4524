/* io-dns.c - DNS through systemd-resolved or a saved and restored resolv.conf */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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
	/* A symlink points into someone else's files (resolved, resolvconf): replace the link,
	 * never its target. */
	if (dns->saved_kind == SAVED_SYMLINK && unlink(dns->path) < 0) {
		errsv = errno;
		return set_errno_error(error, errsv, "replace", dns->path);
	}
	dns->written = io_dns_format_resolv_conf(ifname, servers, domains);
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

static gboolean
restore_file(IoDns *dns, GError **error)
{
	gsize len = 0;
	const void *data;
	int errsv;

	if (!still_ours(dns)) {
		g_message("%s was changed by someone else while the tunnel was up; leaving it",
		          dns->path);
		return TRUE;
	}
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

	dns->backend = IO_DNS_NONE;
	switch (backend) {
	case IO_DNS_NONE:
		return TRUE;
	case IO_DNS_RESOLVED:
		return call_resolved(dns, "RevertLink", g_variant_new("(i)", dns->ifindex), error);
	case IO_DNS_FILE:
		return restore_file(dns, error);
	}
	return TRUE;
}
