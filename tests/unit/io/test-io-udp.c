/* test-io-udp.c - IKE/NAT-T sockets: marker, keepalive, port choice, name resolution
 *
 * Socket tests run in a private namespace where lo carries 198.51.100.2, the "gateway",
 * listening on ports 5000 (as its 500) and 5001 (as its 4500) so the client may take the
 * real local ports 500 and 4500.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "ferry-error.h"
#include "io-test-netns.h"
#include "io-udp.h"

#define GW_ADDR      "198.51.100.2"
#define GW_IKE_PORT  5000
#define GW_NATT_PORT 5001

static int
gateway_socket(guint16 port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	inet_pton(AF_INET, GW_ADDR, &sin.sin_addr);
	g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
	return fd;
}

static void
setup_gateway(int *ike, int *natt)
{
	io_test_netns_enter();
	g_free(io_test_run("ip addr add " GW_ADDR "/32 dev lo"));
	*ike = gateway_socket(GW_IKE_PORT);
	*natt = gateway_socket(GW_NATT_PORT);
}

static IoUdp *
open_client(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GInetAddress) gw = g_inet_address_new_from_string(GW_ADDR);
	IoUdp *udp = io_udp_new(gw, GW_IKE_PORT, GW_NATT_PORT, &error);

	g_assert_no_error(error);
	return udp;
}

/* Receive one datagram at the gateway and remember who sent it. */
static gssize
gateway_recv(int fd, guint8 *buf, gsize cap, struct sockaddr_in *from)
{
	socklen_t len = sizeof(*from);

	return recvfrom(fd, buf, cap, 0, (struct sockaddr *)from, &len);
}

static IoUdpRecv
client_recv_wait(IoUdp *udp, IoUdpSocket which, guint8 *buf, gsize cap, gsize *off, gsize *len)
{
	for (int i = 0; i < 200; i++) {
		IoUdpRecv kind = io_udp_recv(udp, which, buf, cap, off, len);
		if (kind != IO_UDP_RECV_NONE)
			return kind;
		g_usleep(5000);
	}
	return IO_UDP_RECV_NONE;
}

static void
test_send_receive(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(IoUdp) udp = NULL;
	const guint8 msg[] = {0x11, 0x22, 0x33, 0x44, 0x55};
	const guint8 esp[] = {0xc1, 0xa2, 0xb3, 0xc4, 0, 0, 0, 1, 0xee};
	guint8 buf[2048], with_marker[sizeof(msg) + 4] = {0};
	struct sockaddr_in from_ike, from_natt;
	IoAddr local, remote;
	g_autofree char *text = NULL;
	gsize off, len;
	int gw_ike, gw_natt;

	if (io_test_netns_run_in_child())
		return;
	setup_gateway(&gw_ike, &gw_natt);
	udp = open_client();

	io_udp_get_local(udp, IO_UDP_IKE, &local);
	io_udp_get_remote(udp, IO_UDP_IKE, &remote);
	g_assert_cmpint(local.family, ==, AF_INET);
	g_assert_cmpuint(local.port, ==, IO_UDP_PORT_IKE);
	g_assert_cmpuint(remote.port, ==, GW_IKE_PORT);
	text = io_addr_to_string(&remote);
	g_assert_cmpstr(text, ==, GW_ADDR);
	io_udp_get_local(udp, IO_UDP_NATT, &local);
	g_assert_cmpuint(local.port, ==, IO_UDP_PORT_NATT);

	/* Port 500: the message as is. */
	g_assert_true(io_udp_send_ike(udp, IO_UDP_IKE, msg, sizeof(msg), &error));
	g_assert_cmpint(gateway_recv(gw_ike, buf, sizeof(buf), &from_ike), ==, sizeof(msg));
	g_assert_cmpmem(buf, sizeof(msg), msg, sizeof(msg));
	g_assert_cmpuint(ntohs(from_ike.sin_port), ==, IO_UDP_PORT_IKE);

	/* Port 4500: RFC 3948 §2.2 non-ESP marker first. */
	memcpy(with_marker + 4, msg, sizeof(msg));
	g_assert_true(io_udp_send_ike(udp, IO_UDP_NATT, msg, sizeof(msg), &error));
	g_assert_cmpint(gateway_recv(gw_natt, buf, sizeof(buf), &from_natt), ==,
	                sizeof(with_marker));
	g_assert_cmpmem(buf, sizeof(with_marker), with_marker, sizeof(with_marker));
	g_assert_cmpuint(ntohs(from_natt.sin_port), ==, IO_UDP_PORT_NATT);

	/* RFC 3948 §2.3 keepalive: one 0xFF octet, from the NAT-T port. */
	g_assert_true(io_udp_send_keepalive(udp, &error));
	g_assert_cmpint(gateway_recv(gw_natt, buf, sizeof(buf), &from_natt), ==, 1);
	g_assert_cmpuint(buf[0], ==, 0xff);

	/* Replies: plain IKE on 500, marker-stripped IKE, keepalive and ESP on 4500. */
	sendto(gw_ike, msg, sizeof(msg), 0, (struct sockaddr *)&from_ike, sizeof(from_ike));
	g_assert_cmpint(client_recv_wait(udp, IO_UDP_IKE, buf, sizeof(buf), &off, &len), ==,
	                IO_UDP_RECV_IKE);
	g_assert_cmpmem(buf + off, len, msg, sizeof(msg));
	sendto(gw_natt, with_marker, sizeof(with_marker), 0, (struct sockaddr *)&from_natt,
	       sizeof(from_natt));
	g_assert_cmpint(client_recv_wait(udp, IO_UDP_NATT, buf, sizeof(buf), &off, &len), ==,
	                IO_UDP_RECV_IKE);
	g_assert_cmpmem(buf + off, len, msg, sizeof(msg));
	sendto(gw_natt, "\xff", 1, 0, (struct sockaddr *)&from_natt, sizeof(from_natt));
	g_assert_cmpint(client_recv_wait(udp, IO_UDP_NATT, buf, sizeof(buf), &off, &len), ==,
	                IO_UDP_RECV_KEEPALIVE);
	sendto(gw_natt, esp, sizeof(esp), 0, (struct sockaddr *)&from_natt, sizeof(from_natt));
	g_assert_cmpint(client_recv_wait(udp, IO_UDP_NATT, buf, sizeof(buf), &off, &len), ==,
	                IO_UDP_RECV_ESP);
	g_assert_cmpmem(buf + off, len, esp, sizeof(esp));
	sendto(gw_natt, "\0\0", 2, 0, (struct sockaddr *)&from_natt, sizeof(from_natt));
	g_assert_cmpint(client_recv_wait(udp, IO_UDP_NATT, buf, sizeof(buf), &off, &len), ==,
	                IO_UDP_RECV_INVALID);
	g_assert_cmpint(io_udp_recv(udp, IO_UDP_NATT, buf, sizeof(buf), &off, &len), ==,
	                IO_UDP_RECV_NONE);
	close(gw_ike);
	close(gw_natt);
}

static void
test_ephemeral_fallback(void)
{
	g_autoptr(IoUdp) udp = NULL;
	IoAddr local;
	int gw_ike, gw_natt, squatter;

	if (io_test_netns_run_in_child())
		return;
	setup_gateway(&gw_ike, &gw_natt);
	/* Someone else holds local port 500 (any address). */
	squatter = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	{
		struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(500)};
		g_assert_cmpint(bind(squatter, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
	}
	udp = open_client();
	io_udp_get_local(udp, IO_UDP_IKE, &local);
	g_assert_cmpuint(local.port, !=, 0);
	g_assert_cmpuint(local.port, !=, IO_UDP_PORT_IKE);
	io_udp_get_local(udp, IO_UDP_NATT, &local);
	g_assert_cmpuint(local.port, ==, IO_UDP_PORT_NATT);
	close(squatter);
	close(gw_ike);
	close(gw_natt);
}

static void
resolved_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GAsyncResult **out = user_data;

	*out = g_object_ref(result);
}

static GInetAddress *
resolve(const char *host, GError **error)
{
	GAsyncResult *result = NULL;
	GInetAddress *addr;

	io_udp_resolve_async(host, NULL, resolved_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	addr = io_udp_resolve_finish(result, error);
	g_object_unref(result);
	return addr;
}

static void
test_resolve(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GInetAddress) literal = NULL;
	g_autoptr(GInetAddress) literal6 = NULL;
	g_autoptr(GInetAddress) name = NULL;
	g_autoptr(GInetAddress) missing = NULL;
	g_autofree char *text = NULL;

	if (io_test_netns_run_in_child())
		return;
	/* No route anywhere: a real lookup fails fast and stays off the network. */
	io_test_netns_enter();

	literal = resolve("198.51.100.7", &error);
	g_assert_no_error(error);
	text = g_inet_address_to_string(literal);
	g_assert_cmpstr(text, ==, "198.51.100.7");
	literal6 = resolve("2001:db8::7", &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_inet_address_get_family(literal6), ==, G_SOCKET_FAMILY_IPV6);

	name = resolve("localhost", &error);
	g_assert_no_error(error);
	g_assert_true(g_inet_address_get_is_loopback(name));

	missing = resolve("gateway.ferry-test.invalid", &error);
	g_assert_null(missing);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_RESOLVE);
	g_assert_nonnull(strstr(error->message, "\"gateway.ferry-test.invalid\""));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/io/udp/send-receive", test_send_receive);
	g_test_add_func("/ferry/io/udp/ephemeral-fallback", test_ephemeral_fallback);
	g_test_add_func("/ferry/io/udp/resolve", test_resolve);
	return g_test_run();
}
