/* io-datapath.c - the ESP datapath thread and its handover doors to the control thread */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "esp-natt.h"
#include "esp-seal.h"
#include "ferry-fd.h"
#include "io-datapath.h"
#include "io-udp.h"

#define SLOT_SIZE     (IO_DATAPATH_HEADROOM + IO_UDP_MAX_DATAGRAM + IO_DATAPATH_TAILROOM)
#define SEND_STALL_MS 100 /* how long a full socket buffer may hold up a batch */
#define IP_PROTO_IPIP 4   /* RFC 4303 §2.6: next header of an inner IPv4 packet */
#define IP_PROTO_IPV6 41  /* ... and of an inner IPv6 packet */
#define IP_PROTO_ESP  50

typedef enum {
	OP_INSTALL,
	OP_RETIRE,
} SaOpKind;

typedef struct {
	SaOpKind kind;
	EspSa *in, *out;
	uint32_t spi_in, spi_out;
} SaOp;

typedef struct {
	gsize len;
	uint8_t *data; /* IO_UDP_MAX_DATAGRAM bytes */
} IkeSlot;

struct _IoDatapath {
	IoDatapathConfig config;
	GThread *thread;
	int wake_fd;      /* control -> datapath */
	int notify_fd;    /* datapath -> control */
	int soft_expired; /* atomic */

	/* shared, under lock */
	GMutex lock;
	GCond applied;
	GArray *ops; /* SaOp */
	guint64 ops_queued, ops_applied;
	gboolean stop;
	IkeSlot ike[IO_DATAPATH_IKE_QUEUE];
	guint ike_head, ike_count;

	/* the datapath thread's own */
	EspSa *inbound[IO_DATAPATH_MAX_INBOUND];
	guint n_inbound;
	EspSa *outbound;
	gboolean soft_reported;
	gint64 last_send_us;
	uint8_t *tun_slots;
	uint8_t *outer_slots;
	struct mmsghdr rx_msgs[IO_DATAPATH_BATCH], tx_msgs[IO_DATAPATH_BATCH];
	struct iovec rx_iov[IO_DATAPATH_BATCH], tx_iov[IO_DATAPATH_BATCH];

	/* written by the datapath thread only, read by anyone */
	IoDatapathStats stats;
};

/* Single writer: a relaxed atomic store is enough for readers to see whole values. */
static inline void
count(guint64 *counter, guint64 n)
{
	__atomic_store_n(counter, *counter + n, __ATOMIC_RELAXED);
}

static void
signal_fd(int fd)
{
	uint64_t one = 1;

	while (write(fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
}

static void
drain_fd(int fd)
{
	uint64_t value;

	while (read(fd, &value, sizeof(value)) < 0 && errno == EINTR)
		;
}

/* --- SA table (datapath thread) --- */

static EspSa *
find_inbound(IoDatapath *dp, uint32_t spi)
{
	for (guint i = 0; i < dp->n_inbound; i++) {
		if (esp_sa_get_spi(dp->inbound[i]) == spi)
			return dp->inbound[i];
	}
	return NULL;
}

static void
remove_inbound(IoDatapath *dp, guint index)
{
	esp_sa_free(dp->inbound[index]);
	memmove(&dp->inbound[index], &dp->inbound[index + 1],
	        (dp->n_inbound - index - 1) * sizeof(dp->inbound[0]));
	dp->n_inbound--;
}

static void
apply_op(IoDatapath *dp, const SaOp *op)
{
	if (op->kind == OP_INSTALL) {
		if (op->in != NULL) {
			if (dp->n_inbound == IO_DATAPATH_MAX_INBOUND)
				remove_inbound(dp,
				               0); /* the oldest; the engine retires long before */
			dp->inbound[dp->n_inbound++] = op->in;
		}
		if (op->out != NULL) {
			g_clear_pointer(&dp->outbound, esp_sa_free);
			dp->outbound = op->out;
			dp->soft_reported = FALSE;
		}
		return;
	}
	for (guint i = 0; op->spi_in != 0 && i < dp->n_inbound; i++) {
		if (esp_sa_get_spi(dp->inbound[i]) == op->spi_in) {
			remove_inbound(dp, i);
			break;
		}
	}
	if (op->spi_out != 0 && dp->outbound != NULL && esp_sa_get_spi(dp->outbound) == op->spi_out)
		g_clear_pointer(&dp->outbound, esp_sa_free);
}

/* Apply queued updates; FALSE when the thread is asked to stop. */
static gboolean
apply_ops(IoDatapath *dp)
{
	gboolean stop;

	g_mutex_lock(&dp->lock);
	for (guint i = 0; i < dp->ops->len; i++)
		apply_op(dp, &g_array_index(dp->ops, SaOp, i));
	g_array_set_size(dp->ops, 0);
	dp->ops_applied = dp->ops_queued;
	g_cond_broadcast(&dp->applied);
	stop = dp->stop;
	g_mutex_unlock(&dp->lock);
	return !stop;
}

/* --- inbound: outer socket -> esp_open -> TUN --- */

static void
queue_ike(IoDatapath *dp, const uint8_t *data, gsize len)
{
	gboolean queued = FALSE;

	g_mutex_lock(&dp->lock);
	if (dp->ike_count < IO_DATAPATH_IKE_QUEUE) {
		IkeSlot *slot = &dp->ike[(dp->ike_head + dp->ike_count) % IO_DATAPATH_IKE_QUEUE];
		memcpy(slot->data, data, len);
		slot->len = len;
		dp->ike_count++;
		queued = TRUE;
	}
	g_mutex_unlock(&dp->lock);
	if (queued) {
		count(&dp->stats.ike_in, 1); /* before the control thread can look */
		signal_fd(dp->notify_fd);
	} else {
		count(&dp->stats.ike_dropped, 1);
	}
}

static void
open_one(IoDatapath *dp, uint8_t *pkt, gsize len)
{
	EspSa *sa = find_inbound(dp, esp_packet_spi(pkt, len));
	size_t inner_off, inner_len;
	uint8_t next_header;
	EspStatus st;

	if (sa == NULL) {
		count(&dp->stats.dropped_in[ESP_ERR_SPI], 1);
		return;
	}
	st = esp_open(sa, pkt, len, &inner_off, &inner_len, &next_header);
	if (st != ESP_OK) {
		count(&dp->stats.dropped_in[st < ESP_STATUS_COUNT ? st : ESP_ERR_CRYPTO], 1);
		return;
	}
	if (write(dp->config.tun_fd, pkt + inner_off, inner_len) < 0) {
		count(&dp->stats.tun_errors, 1);
		return;
	}
	count(&dp->stats.packets_in, 1);
	count(&dp->stats.bytes_in, inner_len);
}

static void
process_outer(IoDatapath *dp, uint8_t *buf, gsize len)
{
	size_t off = 0;
	gsize ihl;

	switch (dp->config.outer) {
	case IO_DATAPATH_OUTER_UDP:
		switch (esp_natt_classify(buf, len, &off)) {
		case ESP_NATT_KEEPALIVE:
			count(&dp->stats.keepalives_in, 1);
			return;
		case ESP_NATT_IKE:
			queue_ike(dp, buf + off, len - off);
			return;
		case ESP_NATT_ESP:
			open_one(dp, buf, len);
			return;
		case ESP_NATT_INVALID:
			count(&dp->stats.dropped_in[ESP_ERR_TRUNCATED], 1);
			return;
		}
		return;
	case IO_DATAPATH_OUTER_RAW4:
		/* A raw IPv4 socket hands us the IP header too. */
		ihl = len > 0 ? (gsize)(buf[0] & 0x0f) * 4 : 0;
		if (len < 20 || ihl < 20 || ihl > len || buf[9] != IP_PROTO_ESP) {
			count(&dp->stats.dropped_in[ESP_ERR_TRUNCATED], 1);
			return;
		}
		open_one(dp, buf + ihl, len - ihl);
		return;
	case IO_DATAPATH_OUTER_RAW6:
		open_one(dp, buf, len);
		return;
	}
}

static void
receive_outer(IoDatapath *dp)
{
	int n;

	for (guint i = 0; i < IO_DATAPATH_BATCH; i++) {
		dp->rx_iov[i].iov_base = dp->outer_slots + (gsize)i * SLOT_SIZE;
		dp->rx_iov[i].iov_len = SLOT_SIZE;
		memset(&dp->rx_msgs[i].msg_hdr, 0, sizeof(dp->rx_msgs[i].msg_hdr));
		dp->rx_msgs[i].msg_hdr.msg_iov = &dp->rx_iov[i];
		dp->rx_msgs[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(dp->config.outer_fd, dp->rx_msgs, IO_DATAPATH_BATCH, MSG_DONTWAIT, NULL);
	/* Errors here are EAGAIN or an ICMP error reported once on the connected socket. */
	for (int i = 0; i < n; i++) {
		if (dp->rx_msgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
			count(&dp->stats.outer_errors, 1);
			continue;
		}
		process_outer(dp, dp->rx_iov[i].iov_base, dp->rx_msgs[i].msg_len);
	}
}

/* --- outbound: TUN -> esp_seal -> outer socket --- */

static gboolean
wait_writable(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	int n;

	do {
		n = poll(&pfd, 1, SEND_STALL_MS);
	} while (n < 0 && errno == EINTR);
	return n > 0;
}

static void
send_batch(IoDatapath *dp, guint n)
{
	guint sent = 0;
	int r, errsv;

	for (guint i = 0; i < n; i++) {
		memset(&dp->tx_msgs[i].msg_hdr, 0, sizeof(dp->tx_msgs[i].msg_hdr));
		dp->tx_msgs[i].msg_hdr.msg_iov = &dp->tx_iov[i];
		dp->tx_msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (sent < n) {
		r = sendmmsg(dp->config.outer_fd, dp->tx_msgs + sent, n - sent, 0);
		if (r > 0) {
			sent += (guint)r;
			continue;
		}
		errsv = errno;
		if (errsv == EINTR)
			continue;
		if ((errsv == EAGAIN || errsv == EWOULDBLOCK) && wait_writable(dp->config.outer_fd))
			continue;
		if (errsv == EAGAIN || errsv == EWOULDBLOCK) {
			count(&dp->stats.outer_errors, n - sent);
			break;
		}
		/* A pending ICMP error or an oversized datagram: this one is lost. */
		count(&dp->stats.outer_errors, 1);
		sent++;
	}
	if (n > 0)
		dp->last_send_us = g_get_monotonic_time();
}

static gboolean
seal_one(IoDatapath *dp, uint8_t *slot, gsize len, guint index)
{
	size_t off, out_len;
	uint8_t version = len > 0 ? slot[IO_DATAPATH_HEADROOM] >> 4 : 0;
	uint8_t next_header;
	EspStatus st;

	if (version == 4) {
		next_header = IP_PROTO_IPIP;
	} else if (version == 6) {
		next_header = IP_PROTO_IPV6;
	} else {
		count(&dp->stats.dropped_out[ESP_ERR_NEXT_HEADER], 1);
		return FALSE;
	}
	if (dp->outbound == NULL) {
		count(&dp->stats.dropped_out[ESP_ERR_SPI], 1);
		return FALSE;
	}
	st = esp_seal(dp->outbound, slot, SLOT_SIZE, IO_DATAPATH_HEADROOM, len, next_header, &off,
	              &out_len);
	if (st != ESP_OK) {
		count(&dp->stats.dropped_out[st < ESP_STATUS_COUNT ? st : ESP_ERR_CRYPTO], 1);
		return FALSE;
	}
	if (!dp->soft_reported && esp_sa_soft_expired(dp->outbound)) {
		dp->soft_reported = TRUE;
		__atomic_store_n(&dp->soft_expired, 1, __ATOMIC_RELEASE);
		signal_fd(dp->notify_fd);
	}
	dp->tx_iov[index].iov_base = slot + off;
	dp->tx_iov[index].iov_len = out_len;
	count(&dp->stats.packets_out, 1);
	count(&dp->stats.bytes_out, len);
	return TRUE;
}

static void
read_tun(IoDatapath *dp)
{
	guint n = 0;
	ssize_t r;

	for (guint i = 0; i < IO_DATAPATH_BATCH; i++) {
		uint8_t *slot = dp->tun_slots + (gsize)i * SLOT_SIZE;

		r = read(dp->config.tun_fd, slot + IO_DATAPATH_HEADROOM,
		         SLOT_SIZE - IO_DATAPATH_HEADROOM - IO_DATAPATH_TAILROOM);
		if (r <= 0)
			break; /* EAGAIN: the queue is empty */
		if (seal_one(dp, slot, (gsize)r, n))
			n++;
	}
	send_batch(dp, n);
}

/* --- the thread --- */

/* RFC 3948 §2.3: a keepalive when nothing else was sent during the interval. */
static int
keepalive_timeout_ms(IoDatapath *dp)
{
	gint64 due, now;
	uint8_t keepalive[ESP_NATT_KEEPALIVE_LEN];
	size_t len = esp_natt_keepalive_build(keepalive, sizeof(keepalive));

	if (dp->config.outer != IO_DATAPATH_OUTER_UDP || dp->config.keepalive_s == 0)
		return -1;
	due = dp->last_send_us + (gint64)dp->config.keepalive_s * G_USEC_PER_SEC;
	now = g_get_monotonic_time();
	if (now >= due) {
		if (send(dp->config.outer_fd, keepalive, len, 0) == (ssize_t)len)
			count(&dp->stats.keepalives_out, 1);
		else
			count(&dp->stats.outer_errors, 1);
		dp->last_send_us = now;
		due = now + (gint64)dp->config.keepalive_s * G_USEC_PER_SEC;
	}
	return (int)((due - now + 999) / 1000);
}

static gpointer
run_datapath(gpointer data)
{
	IoDatapath *dp = data;
	struct pollfd pfd[3] = {
		{.fd = dp->wake_fd,         .events = POLLIN},
		{.fd = dp->config.outer_fd, .events = POLLIN},
		{.fd = dp->config.tun_fd,   .events = POLLIN},
	};
	sigset_t all;

	/* Signals belong to the main loop's thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	dp->last_send_us = g_get_monotonic_time();

	for (;;) {
		int n = poll(pfd, G_N_ELEMENTS(pfd), keepalive_timeout_ms(dp));

		if (n < 0)
			continue; /* EINTR */
		if ((pfd[1].revents | pfd[2].revents) & POLLNVAL) {
			g_warning("datapath: a file descriptor was closed under it; stopping");
			break;
		}
		if (pfd[0].revents & POLLIN) {
			drain_fd(dp->wake_fd);
			if (!apply_ops(dp))
				break;
		}
		if (pfd[1].revents & (POLLIN | POLLERR))
			receive_outer(dp);
		if (pfd[2].revents & POLLIN)
			read_tun(dp);
	}
	return NULL;
}

IoDatapath *
io_datapath_new(const IoDatapathConfig *config, GError **error)
{
	IoDatapath *dp;
	int errsv;

	g_return_val_if_fail(config != NULL && config->tun_fd >= 0 && config->outer_fd >= 0, NULL);

	dp = g_new0(IoDatapath, 1);
	dp->config = *config;
	g_mutex_init(&dp->lock);
	g_cond_init(&dp->applied);
	dp->ops = g_array_new(FALSE, FALSE, sizeof(SaOp));
	dp->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	dp->notify_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (dp->wake_fd < 0 || dp->notify_fd < 0) {
		errsv = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errsv),
		            "cannot create the datapath's event fds: %s", g_strerror(errsv));
		io_datapath_free(dp);
		return NULL;
	}
	dp->tun_slots = g_malloc((gsize)IO_DATAPATH_BATCH * SLOT_SIZE);
	dp->outer_slots = g_malloc((gsize)IO_DATAPATH_BATCH * SLOT_SIZE);
	for (guint i = 0; i < IO_DATAPATH_IKE_QUEUE; i++)
		dp->ike[i].data = g_malloc(IO_UDP_MAX_DATAGRAM);

	dp->thread = g_thread_try_new("ferry-datapath", run_datapath, dp, error);
	if (dp->thread == NULL) {
		io_datapath_free(dp);
		return NULL;
	}
	return dp;
}

void
io_datapath_free(IoDatapath *dp)
{
	if (dp == NULL)
		return;
	if (dp->thread != NULL) {
		g_mutex_lock(&dp->lock);
		dp->stop = TRUE;
		g_mutex_unlock(&dp->lock);
		signal_fd(dp->wake_fd);
		g_thread_join(dp->thread);
	}
	/* Updates never applied still own their SAs. */
	for (guint i = 0; dp->ops != NULL && i < dp->ops->len; i++) {
		SaOp *op = &g_array_index(dp->ops, SaOp, i);
		g_clear_pointer(&op->in, esp_sa_free);
		g_clear_pointer(&op->out, esp_sa_free);
	}
	while (dp->n_inbound > 0)
		remove_inbound(dp, dp->n_inbound - 1);
	g_clear_pointer(&dp->outbound, esp_sa_free);
	g_clear_pointer(&dp->ops, g_array_unref);
	for (guint i = 0; i < IO_DATAPATH_IKE_QUEUE; i++)
		g_free(dp->ike[i].data);
	g_free(dp->tun_slots);
	g_free(dp->outer_slots);
	ferry_fd_closep(&dp->wake_fd);
	ferry_fd_closep(&dp->notify_fd);
	g_mutex_clear(&dp->lock);
	g_cond_clear(&dp->applied);
	g_free(dp);
}

static void
queue_op(IoDatapath *dp, const SaOp *op)
{
	g_mutex_lock(&dp->lock);
	g_array_append_val(dp->ops, *op);
	dp->ops_queued++;
	g_mutex_unlock(&dp->lock);
	signal_fd(dp->wake_fd);
}

void
io_datapath_install(IoDatapath *dp, EspSa *in, EspSa *out)
{
	SaOp op = {.kind = OP_INSTALL, .in = in, .out = out};

	g_return_if_fail(dp != NULL);
	queue_op(dp, &op);
}

void
io_datapath_retire(IoDatapath *dp, uint32_t spi_in, uint32_t spi_out)
{
	SaOp op = {.kind = OP_RETIRE, .spi_in = spi_in, .spi_out = spi_out};

	g_return_if_fail(dp != NULL);
	queue_op(dp, &op);
}

void
io_datapath_sync(IoDatapath *dp)
{
	guint64 target;

	g_mutex_lock(&dp->lock);
	target = dp->ops_queued;
	while (dp->ops_applied < target)
		g_cond_wait(&dp->applied, &dp->lock);
	g_mutex_unlock(&dp->lock);
}

int
io_datapath_get_notify_fd(const IoDatapath *dp)
{
	return dp->notify_fd;
}

void
io_datapath_ack_notify(IoDatapath *dp)
{
	drain_fd(dp->notify_fd);
}

gsize
io_datapath_pop_ike(IoDatapath *dp, uint8_t *buf, gsize cap)
{
	gsize len = 0;

	g_mutex_lock(&dp->lock);
	while (dp->ike_count > 0 && len == 0) {
		IkeSlot *slot = &dp->ike[dp->ike_head];
		if (slot->len <= cap && slot->len > 0) {
			memcpy(buf, slot->data, slot->len);
			len = slot->len;
		}
		dp->ike_head = (dp->ike_head + 1) % IO_DATAPATH_IKE_QUEUE;
		dp->ike_count--;
	}
	g_mutex_unlock(&dp->lock);
	return len;
}

gboolean
io_datapath_take_soft_expired(IoDatapath *dp)
{
	return __atomic_exchange_n(&dp->soft_expired, 0, __ATOMIC_ACQUIRE) != 0;
}

void
io_datapath_get_stats(IoDatapath *dp, IoDatapathStats *stats)
{
	const guint64 *src = (const guint64 *)&dp->stats;
	guint64 *dst = (guint64 *)stats;

	G_STATIC_ASSERT(sizeof(IoDatapathStats) % sizeof(guint64) == 0);
	for (gsize i = 0; i < sizeof(IoDatapathStats) / sizeof(guint64); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

guint64
io_datapath_stats_dropped(const IoDatapathStats *stats)
{
	guint64 total = 0;

	for (guint i = 0; i < ESP_STATUS_COUNT; i++)
		total += stats->dropped_in[i] + stats->dropped_out[i];
	return total;
}
