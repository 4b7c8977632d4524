/* io-udp.c - gateway name resolution and the IKE / NAT-T UDP sockets */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ferry-error.h"
#include "ferry-fd.h"
#include "io-udp.h"

/* Larger socket buffers let the datapath absorb bursts between batched reads. */
#define UDP_SOCKET_BUFFER (4 * 1024 * 1024)

struct _IoUdp {
	int family;
	/* owned */
	int fd[IO_UDP_N_SOCKETS];
	IoAddr local[IO_UDP_N_SOCKETS];
	IoAddr remote[IO_UDP_N_SOCKETS];
};

void
io_addr_from_sockaddr(IoAddr *addr, const struct sockaddr *sa)
{
	memset(addr, 0, sizeof(*addr));
	addr->family = sa->sa_family;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
		memcpy(addr->addr, &sin->sin_addr, 4);
		addr->port = ntohs(sin->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
		memcpy(addr->addr, &sin6->sin6_addr, 16);
		addr->port = ntohs(sin6->sin6_port);
	}
}

char *
io_addr_to_string(const IoAddr *addr)
{
	g_autoptr(GInetAddress) inet = g_inet_address_new_from_bytes(
		addr->addr, addr->family == AF_INET6 ? G_SOCKET_FAMILY_IPV6 : G_SOCKET_FAMILY_IPV4);
	return g_inet_address_to_string(inet);
}

static void
resolved_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	const char *host = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	GList *list = g_resolver_lookup_by_name_finish(G_RESOLVER(source), result, &error);

	if (list == NULL) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		g_task_return_new_error(task, FERRY_ERROR, FERRY_ERROR_RESOLVE,
		                        "cannot resolve gateway \"%s\": %s", host, error->message);
		return;
	}
	/* getaddrinfo() already ordered the list by RFC 6724 preference: take the first. */
	g_task_return_pointer(task, g_object_ref(list->data), g_object_unref);
	g_resolver_free_addresses(list);
}

void
io_udp_resolve_async(const char *host,
                     GCancellable *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer user_data)
{
	GTask *task = g_task_new(NULL, cancellable, callback, user_data);
	g_autoptr(GInetAddress) literal = g_inet_address_new_from_string(host);
	g_autoptr(GResolver) resolver = NULL;

	g_task_set_source_tag(task, io_udp_resolve_async);
	g_task_set_task_data(task, g_strdup(host), g_free);
	if (literal != NULL) {
		g_task_return_pointer(task, g_steal_pointer(&literal), g_object_unref);
		g_object_unref(task);
		return;
	}
	resolver = g_resolver_get_default();
	g_resolver_lookup_by_name_async(resolver, host, cancellable, resolved_cb, task);
}

GInetAddress *
io_udp_resolve_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

static socklen_t
fill_sockaddr(struct sockaddr_storage *ss, GInetAddress *addr, guint16 port)
{
	g_autoptr(GSocketAddress) sa = g_inet_socket_address_new(addr, port);
	gssize len = g_socket_address_get_native_size(sa);

	memset(ss, 0, sizeof(*ss));
	g_socket_address_to_native(sa, ss, sizeof(*ss), NULL);
	return (socklen_t)len;
}

static gboolean
set_errno_error(GError **error, int errsv, const char *what, guint16 port)
{
	g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errsv), "%s (UDP port %u): %s", what,
	            port, g_strerror(errsv));
	return FALSE;
}

static void
grow_buffers(int fd)
{
	int size = UDP_SOCKET_BUFFER;

	/* Best effort: the FORCE variants need CAP_NET_ADMIN, the plain ones are capped. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

/* Bind to `local_port` if we may and it is free, else to an ephemeral port; then connect. */
static int
open_socket(
	int family, guint16 local_port, GInetAddress *gateway, guint16 remote_port, GError **error)
{
	ferry_autofd int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sockaddr_storage ss = {0};
	socklen_t sslen;
	int errsv, one = 1;

	if (fd < 0) {
		errsv = errno;
		set_errno_error(error, errsv, "cannot create a socket", local_port);
		return -1;
	}
	if (family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));

	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons(local_port);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(local_port);
	sslen = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	if (bind(fd, (struct sockaddr *)&ss, sslen) < 0) {
		errsv = errno;
		g_debug("local UDP port %u unavailable (%s), using an ephemeral port", local_port,
		        g_strerror(errsv));
		if (family == AF_INET)
			((struct sockaddr_in *)&ss)->sin_port = 0;
		else
			((struct sockaddr_in6 *)&ss)->sin6_port = 0;
		if (bind(fd, (struct sockaddr *)&ss, sslen) < 0) {
			errsv = errno;
			set_errno_error(error, errsv, "cannot bind a socket", local_port);
			return -1;
		}
	}

	sslen = fill_sockaddr(&ss, gateway, remote_port);
	if (connect(fd, (struct sockaddr *)&ss, sslen) < 0) {
		g_autofree char *gw = g_inet_address_to_string(gateway);
		errsv = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errsv),
		            "cannot reach gateway %s port %u: %s", gw, remote_port,
		            g_strerror(errsv));
		return -1;
	}
	grow_buffers(fd);
	return g_steal_fd(&fd);
}

static void
read_endpoints(IoUdp *udp, IoUdpSocket which)
{
	struct sockaddr_storage ss = {0};
	socklen_t len = sizeof(ss);

	if (getsockname(udp->fd[which], (struct sockaddr *)&ss, &len) == 0)
		io_addr_from_sockaddr(&udp->local[which], (struct sockaddr *)&ss);
	len = sizeof(ss);
	if (getpeername(udp->fd[which], (struct sockaddr *)&ss, &len) == 0)
		io_addr_from_sockaddr(&udp->remote[which], (struct sockaddr *)&ss);
}

IoUdp *
io_udp_new(GInetAddress *gateway, guint16 ike_port, guint16 natt_port, GError **error)
{
	g_autoptr(IoUdp) udp = g_new0(IoUdp, 1);
	const guint16 local_ports[IO_UDP_N_SOCKETS] = {IO_UDP_PORT_IKE, IO_UDP_PORT_NATT};
	const guint16 remote_ports[IO_UDP_N_SOCKETS] = {ike_port, natt_port};

	g_return_val_if_fail(G_IS_INET_ADDRESS(gateway), NULL);
	udp->family =
		g_inet_address_get_family(gateway) == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET;
	udp->fd[IO_UDP_IKE] = udp->fd[IO_UDP_NATT] = -1;
	for (int i = 0; i < IO_UDP_N_SOCKETS; i++) {
		udp->fd[i] =
			open_socket(udp->family, local_ports[i], gateway, remote_ports[i], error);
		if (udp->fd[i] < 0)
			return NULL;
		read_endpoints(udp, (IoUdpSocket)i);
	}
	return g_steal_pointer(&udp);
}

int
io_udp_open_esp(const IoUdp *udp, GError **error)
{
	ferry_autofd int fd =
		socket(udp->family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ESP);
	struct sockaddr_storage ss = {0};
	const IoAddr *gw = &udp->remote[IO_UDP_IKE];
	socklen_t len;
	int errsv;

	if (fd < 0) {
		errsv = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errsv),
		            "cannot open a raw ESP socket: %s", g_strerror(errsv));
		return -1;
	}
	ss.ss_family = (sa_family_t)udp->family;
	if (udp->family == AF_INET) {
		memcpy(&((struct sockaddr_in *)&ss)->sin_addr, gw->addr, 4);
		len = sizeof(struct sockaddr_in);
	} else {
		memcpy(&((struct sockaddr_in6 *)&ss)->sin6_addr, gw->addr, 16);
		len = sizeof(struct sockaddr_in6);
	}
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		errsv = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errsv),
		            "cannot connect the raw ESP socket: %s", g_strerror(errsv));
		return -1;
	}
	grow_buffers(fd);
	return g_steal_fd(&fd);
}

void
io_udp_free(IoUdp *udp)
{
	if (udp == NULL)
		return;
	for (int i = 0; i < IO_UDP_N_SOCKETS; i++)
		ferry_fd_closep(&udp->fd[i]);
	g_free(udp);
}

int
io_udp_get_fd(const IoUdp *udp, IoUdpSocket which)
{
	return udp->fd[which];
}

int
io_udp_get_family(const IoUdp *udp)
{
	return udp->family;
}

void
io_udp_get_local(const IoUdp *udp, IoUdpSocket which, IoAddr *addr)
{
	*addr = udp->local[which];
}

void
io_udp_get_remote(const IoUdp *udp, IoUdpSocket which, IoAddr *addr)
{
	*addr = udp->remote[which];
}

gboolean
io_udp_send_ike(IoUdp *udp, IoUdpSocket which, const uint8_t *data, gsize len, GError **error)
{
	uint8_t marker[ESP_NATT_NON_ESP_MARKER_LEN];
	struct iovec iov[2];
	struct msghdr msg = {.msg_iov = iov};
	int errsv;

	if (which == IO_UDP_NATT) {
		iov[msg.msg_iovlen].iov_base = marker;
		iov[msg.msg_iovlen++].iov_len = esp_natt_marker_build(marker, sizeof(marker));
	}
	iov[msg.msg_iovlen].iov_base = (void *)data;
	iov[msg.msg_iovlen++].iov_len = len;
	if (sendmsg(udp->fd[which], &msg, 0) < 0) {
		errsv = errno;
		return set_errno_error(error, errsv, "cannot send an IKE message",
		                       udp->local[which].port);
	}
	return TRUE;
}

gboolean
io_udp_send_keepalive(IoUdp *udp, GError **error)
{
	uint8_t keepalive[ESP_NATT_KEEPALIVE_LEN];
	size_t len = esp_natt_keepalive_build(keepalive, sizeof(keepalive));
	int errsv;

	if (send(udp->fd[IO_UDP_NATT], keepalive, len, 0) < 0) {
		errsv = errno;
		return set_errno_error(error, errsv, "cannot send a NAT keepalive",
		                       udp->local[IO_UDP_NATT].port);
	}
	return TRUE;
}

IoUdpRecv
io_udp_recv(IoUdp *udp, IoUdpSocket which, uint8_t *buf, gsize cap, gsize *off, gsize *len)
{
	size_t payload_off = 0;
	guint soft_errors = 0;
	ssize_t n;
	int errsv;

	for (;;) {
		n = recv(udp->fd[which], buf, cap, MSG_DONTWAIT | MSG_TRUNC);
		if (n >= 0)
			break;
		errsv = errno;
		if (errsv == EINTR)
			continue;
		if (errsv == EAGAIN || errsv == EWOULDBLOCK)
			return IO_UDP_RECV_NONE;
		/* ICMP errors (port or host unreachable) surface here once on a connected
		 * socket; they are not proof of anything (RFC 7296 §2.21.4): keep reading. */
		g_debug("UDP port %u: %s", udp->local[which].port, g_strerror(errsv));
		if (++soft_errors > 8)
			return IO_UDP_RECV_NONE;
	}
	if ((gsize)n > cap) {
		g_debug("UDP port %u: %zd-byte datagram truncated, dropped", udp->local[which].port,
		        n);
		return IO_UDP_RECV_NONE;
	}
	*off = 0;
	*len = (gsize)n;
	if (which == IO_UDP_IKE)
		return IO_UDP_RECV_IKE;
	switch (esp_natt_classify(buf, (gsize)n, &payload_off)) {
	case ESP_NATT_KEEPALIVE:
		return IO_UDP_RECV_KEEPALIVE;
	case ESP_NATT_IKE:
		*off = payload_off;
		*len -= payload_off;
		return IO_UDP_RECV_IKE;
	case ESP_NATT_ESP:
		return IO_UDP_RECV_ESP;
	case ESP_NATT_INVALID:
		break;
	}
	return IO_UDP_RECV_INVALID;
}
