/* io-udp.h - the UDP sockets that carry IKE (and, on port 4500, ESP) to one gateway
 *
 * Two sockets, both connect()ed to the gateway so the kernel filters other senders:
 * IO_UDP_IKE to the gateway's port 500 from local port 500 when it is free (else an
 * ephemeral port), and IO_UDP_NATT to port 4500 from local 4500 when free.  On the NAT-T
 * socket IKE messages carry the 4-byte non-ESP marker (RFC 3948 §2.2), ESP shares the same
 * socket (so one NAT mapping serves both) and the 0xFF NAT keepalive keeps the mapping alive
 * (RFC 3948 §2.3).
 */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "esp-natt.h"

G_BEGIN_DECLS

#define IO_UDP_PORT_IKE     500
#define IO_UDP_PORT_NATT    ESP_NATT_PORT
#define IO_UDP_MAX_DATAGRAM 65535

typedef enum {
	IO_UDP_IKE,  /* plain IKE, port 500 */
	IO_UDP_NATT, /* IKE with the non-ESP marker and ESP-in-UDP, port 4500 */
	IO_UDP_N_SOCKETS,
} IoUdpSocket;

/* An address as plain bytes: what the IKE engine hashes for NAT detection. */
typedef struct {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint16_t port;
} IoAddr;

/* What a datagram read from a socket turned out to be. */
typedef enum {
	IO_UDP_RECV_NONE,      /* nothing (more) to read */
	IO_UDP_RECV_IKE,       /* an IKE message (marker stripped on NAT-T) */
	IO_UDP_RECV_KEEPALIVE, /* a NAT keepalive: ignore */
	IO_UDP_RECV_ESP,       /* ESP on the NAT-T socket: belongs to the datapath */
	IO_UDP_RECV_INVALID,   /* too short to be anything on the NAT-T socket: drop */
} IoUdpRecv;

typedef struct _IoUdp IoUdp;

/* Resolve a gateway host name (or literal address).  The error is FERRY_ERROR_RESOLVE and
 * names the host. */
void io_udp_resolve_async(const char *host,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data);
/* (transfer full) */
GInetAddress *io_udp_resolve_finish(GAsyncResult *result, GError **error);

/* Open and connect both sockets.  (transfer full) */
IoUdp *io_udp_new(GInetAddress *gateway, guint16 ike_port, guint16 natt_port, GError **error);
void io_udp_free(IoUdp *udp);

int io_udp_get_fd(const IoUdp *udp, IoUdpSocket which);
int io_udp_get_family(const IoUdp *udp);
void io_udp_get_local(const IoUdp *udp, IoUdpSocket which, IoAddr *addr);
void io_udp_get_remote(const IoUdp *udp, IoUdpSocket which, IoAddr *addr);

/* A raw socket for IP protocol 50, connected to the gateway: ESP without UDP encapsulation
 * (RFC 4303 directly over IP), when no NAT was detected.  On IPv4 reads include the IP
 * header.  The caller owns the fd; -1 with an error. */
int io_udp_open_esp(const IoUdp *udp, GError **error);

/* Send one IKE message, adding the non-ESP marker on IO_UDP_NATT.  A failed send is like a
 * lost datagram (retransmission covers it): FALSE with the error for the caller to log. */
gboolean
io_udp_send_ike(IoUdp *udp, IoUdpSocket which, const uint8_t *data, gsize len, GError **error);
gboolean io_udp_send_keepalive(IoUdp *udp, GError **error);

/* Read one datagram (non-blocking) into buf; the IKE message (without marker) or ESP packet is
 * at buf[*off .. *off + *len).  ICMP errors reported on the socket are skipped (they prove
 * nothing, RFC 7296 §2.21.4); datagrams on IO_UDP_NATT are told apart by esp_natt_classify(). */
IoUdpRecv
io_udp_recv(IoUdp *udp, IoUdpSocket which, uint8_t *buf, gsize cap, gsize *off, gsize *len);

void io_addr_from_sockaddr(IoAddr *addr, const struct sockaddr *sa);
/* (transfer full) "198.51.100.1" or "2001:db8::1" */
char *io_addr_to_string(const IoAddr *addr);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(IoUdp, io_udp_free)

G_END_DECLS
