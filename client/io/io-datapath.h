/* io-datapath.h - the ESP datapath thread: TUN <-> esp_seal/esp_open <-> outer socket
 *
 * Runs outside the GLib main loop on its own thread (DESIGN.md "Datapath").  Packets move
 * through buffers allocated once with headroom for the ESP header, with no allocation and no
 * lock per packet, and batched recvmmsg()/sendmmsg() on the outer socket.  The control
 * thread talks to it through two small doors:
 *  - SA updates (install, retire) go into a locked table and a wakeup fd; the datapath
 *    applies them between batches, so switching the outbound SA is atomic and a rekey loses
 *    no packet (the old inbound SA keeps decrypting until it is retired);
 *  - IKE messages that arrive on the NAT-T socket (non-ESP marker, RFC 3948 §2.2) go into a
 *    small queue, announced on the notify fd.  NAT keepalives are dropped silently.
 * Counters are single-writer 64-bit values the control thread may read at any time.
 */
#pragma once

#include <gio/gio.h>

#include "esp-sa.h"

G_BEGIN_DECLS

#define IO_DATAPATH_BATCH       32  /* datagrams per recvmmsg()/sendmmsg() */
#define IO_DATAPATH_HEADROOM    64  /* >= ESP header + the largest IV */
#define IO_DATAPATH_TAILROOM    320 /* >= 255 padding + trailer + the largest ICV */
#define IO_DATAPATH_MAX_INBOUND 16  /* inbound SAs alive at once (rekeys overlap) */
#define IO_DATAPATH_IKE_QUEUE   8   /* IKE datagrams waiting for the control thread */
#define IO_DATAPATH_KEEPALIVE_S 20  /* RFC 3948 §2.3 suggests 20 seconds */

typedef enum {
	IO_DATAPATH_OUTER_UDP,  /* ESP in UDP on the connected NAT-T socket (RFC 3948) */
	IO_DATAPATH_OUTER_RAW4, /* raw IPPROTO_ESP over IPv4: reads include the IPv4 header */
	IO_DATAPATH_OUTER_RAW6, /* raw IPPROTO_ESP over IPv6 */
} IoDatapathOuter;

typedef struct {
	int tun_fd;   /* borrowed: must stay open until io_datapath_free() */
	int outer_fd; /* borrowed, connected to the gateway */
	IoDatapathOuter outer;
	guint keepalive_s; /* NAT keepalive interval on OUTER_UDP; 0 = none */
} IoDatapathConfig;

typedef struct {
	guint64 packets_in, bytes_in;          /* inner packets written to the TUN device */
	guint64 packets_out, bytes_out;        /* inner packets sealed and sent */
	guint64 dropped_in[ESP_STATUS_COUNT];  /* ESP_ERR_SPI: no inbound SA with that SPI */
	guint64 dropped_out[ESP_STATUS_COUNT]; /* ESP_ERR_SPI: no outbound SA yet;
	                                         ESP_ERR_NEXT_HEADER: not an IP packet */
	guint64 tun_errors;                    /* writes to the TUN device that failed */
	guint64 outer_errors;                  /* sends that failed, truncated datagrams */
	guint64 ike_in, ike_dropped; /* IKE on the NAT-T socket; dropped when the queue is full */
	guint64 keepalives_in, keepalives_out;
} IoDatapathStats;

typedef struct _IoDatapath IoDatapath;

/* Start the thread.  (transfer full) */
IoDatapath *io_datapath_new(const IoDatapathConfig *config, GError **error);
/* Stop and join the thread, then free (and wipe) every SA. */
void io_datapath_free(IoDatapath *dp);

/* Hand over a Child SA: `in` (may be NULL) joins the inbound table, `out` (may be NULL)
 * replaces the outbound SA, which is freed.  Takes ownership of both. */
void io_datapath_install(IoDatapath *dp, EspSa *in, EspSa *out);
/* Remove the inbound SA with SPI `spi_in` and, if it is the current one, the outbound SA
 * with `spi_out` (0 = leave either alone). */
void io_datapath_retire(IoDatapath *dp, uint32_t spi_in, uint32_t spi_out);
/* Block until every update handed over before this call has been applied. */
void io_datapath_sync(IoDatapath *dp);

/* Readable when IKE messages are queued or an outbound SA crossed its soft lifetime. */
int io_datapath_get_notify_fd(const IoDatapath *dp);
/* Clear the notify fd; call before draining with the functions below. */
void io_datapath_ack_notify(IoDatapath *dp);
/* Copy the next queued IKE message (without the marker) into buf: its length, 0 when none
 * is queued (a message larger than cap is dropped). */
gsize io_datapath_pop_ike(IoDatapath *dp, uint8_t *buf, gsize cap);
/* TRUE once since the current outbound SA crossed a soft byte/packet lifetime. */
gboolean io_datapath_take_soft_expired(IoDatapath *dp);

void io_datapath_get_stats(IoDatapath *dp, IoDatapathStats *stats);
guint64 io_datapath_stats_dropped(const IoDatapathStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(IoDatapath, io_datapath_free)

G_END_DECLS
