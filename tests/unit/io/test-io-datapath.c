/* test-io-datapath.c - the ESP datapath thread with real SAs, both ways, drops and rekeys
 *
 * Most cases stand the TUN device and the outer socket in with datagram socketpairs: the
 * test plays the kernel on one side and the gateway on the other, sealing and opening with
 * mirror SAs.  The last case runs over a real TUN device in a private namespace:
 *
 *   UDP socket 203.0.113.130:7000 --(route 198.51.100.0/24)--> ferry0 --> datapath
 *        ^                                                                  |
 *        +---- ferry0 <-- datapath <-- socketpair <-- test "gateway" <------+
 */
#include "config.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

#include "esp-seal.h"
#include "ferry-secret.h"
#include "ike-registry.h"
#include "io-datapath.h"
#include "io-test-netns.h"
#include "io-tun.h"

#define SPI_A_IN  0x1000a001u /* datapath's inbound = gateway's outbound */
#define SPI_A_OUT 0x2000a002u /* datapath's outbound = gateway's inbound */
#define SPI_B_IN  0x1000b001u
#define SPI_B_OUT 0x2000b002u
#define BUF       4096
#define HEADROOM  64

typedef struct {
	const char *name;
	CryptoXformAlg alg;
} AlgCase;

static const AlgCase algs[] = {
	{"aes-gcm-16-256",     {IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE}          },
	{"aes-gcm-16-128",     {IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE}          },
	{"aes-cbc-256-sha256", {IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_256_128}},
	{"aes-cbc-128-sha512", {IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_512_256}},
};

/* One direction's keys, derived from a seed. */
typedef struct {
	FerrySecret *enc, *integ;
} Keys;

typedef struct {
	CryptoXformAlg alg;
	int tun[2];   /* [0] the datapath's "TUN", [1] the test as kernel */
	int outer[2]; /* [0] the datapath's socket, [1] the test as gateway */
	IoDatapath *dp;
	EspSa *gw_out; /* seals what the datapath's inbound SA opens */
	EspSa *gw_in;  /* opens what the datapath's outbound SA seals */
} Fixture;

static void
keys_init(Keys *k, const CryptoXformAlg *alg, uint8_t seed)
{
	CryptoXformSizes sizes;

	g_assert_cmpint(crypto_xform_sizes(alg, &sizes), ==, CRYPTO_OK);
	k->enc = ferry_secret_new(sizes.enc_key_len);
	for (gsize i = 0; i < k->enc->len; i++)
		k->enc->data[i] = (uint8_t)(seed + 5 * i);
	k->integ = NULL;
	if (sizes.integ_key_len > 0) {
		k->integ = ferry_secret_new(sizes.integ_key_len);
		for (gsize i = 0; i < k->integ->len; i++)
			k->integ->data[i] = (uint8_t)(seed ^ (11 * i + 3));
	}
}

static void
keys_clear(Keys *k)
{
	ferry_secret_free(k->enc);
	ferry_secret_free(k->integ);
}

static EspSa *
new_sa(const CryptoXformAlg *alg, EspDir dir, uint32_t spi, uint8_t seed)
{
	Keys k;
	EspSaParams p = {
		.proto = ESP_PROTO_ESP,
		.mode = ESP_MODE_TUNNEL,
		.dir = dir,
		.spi = spi,
		.alg = *alg,
		.esn = TRUE,
		.replay_window = 64,
	};
	EspSa *sa = NULL;

	keys_init(&k, alg, seed);
	p.enc_key = k.enc;
	p.integ_key = k.integ;
	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_OK);
	keys_clear(&k);
	return sa;
}

/* The datapath's SA pair for (spi_in, spi_out) and the gateway's mirror of it. */
static void
install_pair(Fixture *f, uint32_t spi_in, uint32_t spi_out, uint8_t seed)
{
	io_datapath_install(f->dp, new_sa(&f->alg, ESP_DIR_IN, spi_in, seed),
	                    new_sa(&f->alg, ESP_DIR_OUT, spi_out, seed + 100));
	io_datapath_sync(f->dp);
	g_clear_pointer(&f->gw_out, esp_sa_free);
	g_clear_pointer(&f->gw_in, esp_sa_free);
	f->gw_out = new_sa(&f->alg, ESP_DIR_OUT, spi_in, seed);
	f->gw_in = new_sa(&f->alg, ESP_DIR_IN, spi_out, seed + 100);
}

static void
start_outer(
	Fixture *f, const CryptoXformAlg *alg, int tun_fd, IoDatapathOuter outer, guint keepalive_s)
{
	g_autoptr(GError) error = NULL;
	IoDatapathConfig config = {.outer = outer, .keepalive_s = keepalive_s};

	f->alg = *alg;
	if (tun_fd < 0) {
		g_assert_cmpint(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, f->tun), ==, 0);
		tun_fd = f->tun[0];
	} else {
		f->tun[0] = f->tun[1] = -1;
	}
	g_assert_cmpint(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, f->outer), ==, 0);
	config.tun_fd = tun_fd;
	config.outer_fd = f->outer[0];
	f->dp = io_datapath_new(&config, &error);
	g_assert_no_error(error);
}

static void
start(Fixture *f, const CryptoXformAlg *alg, int tun_fd, guint keepalive_s)
{
	start_outer(f, alg, tun_fd, IO_DATAPATH_OUTER_UDP, keepalive_s);
}

static void
stop(Fixture *f)
{
	io_datapath_free(f->dp);
	g_clear_pointer(&f->gw_out, esp_sa_free);
	g_clear_pointer(&f->gw_in, esp_sa_free);
	for (int i = 0; i < 2; i++) {
		if (f->tun[i] >= 0)
			close(f->tun[i]);
		close(f->outer[i]);
	}
}

/* Wait up to 2 s for a datagram on fd. */
static gssize
recv_wait(int fd, uint8_t *buf, gsize cap)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	if (poll(&pfd, 1, 2000) != 1)
		return -1;
	return recv(fd, buf, cap, MSG_DONTWAIT);
}

static gboolean
nothing_arrives(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, 100) == 0;
}

/* A fake inner packet: version nibble, then a counter pattern. */
static gsize
make_inner(uint8_t *p, int version, guint n, gsize len)
{
	for (gsize i = 0; i < len; i++)
		p[i] = (uint8_t)(n * 7 + i);
	p[0] = (uint8_t)(version << 4 | 5);
	return len;
}

static void
stats(Fixture *f, IoDatapathStats *s)
{
	io_datapath_sync(f->dp);
	io_datapath_get_stats(f->dp, s);
}

/* Wait until the datapath has counted `want` of some counter (it runs on its own time). */
#define WAIT_FOR(f, s, expr)                                                                       \
	G_STMT_START                                                                               \
	{                                                                                          \
		for (int i__ = 0; i__ < 200; i__++) {                                              \
			stats((f), &(s));                                                          \
			if (expr)                                                                  \
				break;                                                             \
			g_usleep(10000);                                                           \
		}                                                                                  \
		g_assert_true(expr);                                                               \
	}                                                                                          \
	G_STMT_END

/* TUN -> datapath (seal) -> outer -> gateway opens: the inner packet comes out intact. */
static void
send_outbound(Fixture *f, const uint8_t *inner, gsize len, uint8_t want_nh, uint32_t want_spi)
{
	uint8_t buf[BUF];
	size_t off, out_len;
	uint8_t nh;
	gssize n;

	g_assert_cmpint(send(f->tun[1], inner, len, 0), ==, (gssize)len);
	n = recv_wait(f->outer[1], buf, sizeof(buf));
	g_assert_cmpint(n, >, 8);
	g_assert_cmpuint(esp_packet_spi(buf, (gsize)n), ==, want_spi);
	g_assert_cmpint(esp_open(f->gw_in, buf, (gsize)n, &off, &out_len, &nh), ==, ESP_OK);
	g_assert_cmpuint(nh, ==, want_nh);
	g_assert_cmpmem(buf + off, out_len, inner, len);
}

/* Gateway seals -> outer -> datapath (open) -> TUN: returns the sealed datagram's length. */
static gsize
seal_inbound(EspSa *sa, const uint8_t *inner, gsize len, uint8_t nh, uint8_t *esp)
{
	uint8_t buf[BUF];
	size_t off, out_len;

	memcpy(buf + HEADROOM, inner, len);
	g_assert_cmpint(esp_seal(sa, buf, sizeof(buf), HEADROOM, len, nh, &off, &out_len), ==,
	                ESP_OK);
	memcpy(esp, buf + off, out_len);
	return out_len;
}

static void
receive_inbound(Fixture *f, const uint8_t *inner, gsize len, uint8_t nh)
{
	uint8_t esp[BUF], got[BUF];
	gsize esp_len = seal_inbound(f->gw_out, inner, len, nh, esp);

	g_assert_cmpint(send(f->outer[1], esp, esp_len, 0), ==, (gssize)esp_len);
	g_assert_cmpint(recv_wait(f->tun[1], got, sizeof(got)), ==, (gssize)len);
	g_assert_cmpmem(got, len, inner, len);
}

static void
test_both_ways(gconstpointer data)
{
	const AlgCase *c = data;
	Fixture f = {0};
	IoDatapathStats s;
	uint8_t inner[1500];
	guint64 bytes_out = 0, bytes_in = 0;

	start(&f, &c->alg, -1, 0);
	install_pair(&f, SPI_A_IN, SPI_A_OUT, 1);
	for (guint i = 0; i < 20; i++) {
		gsize len = make_inner(inner, i % 2 ? 6 : 4, i, 40 + i * 67);
		send_outbound(&f, inner, len, i % 2 ? 41 : 4, SPI_A_OUT);
		bytes_out += len;
	}
	for (guint i = 0; i < 20; i++) {
		gsize len = make_inner(inner, i % 2 ? 4 : 6, i + 50, 1400 - i * 50);
		receive_inbound(&f, inner, len, i % 2 ? 4 : 41);
		bytes_in += len;
	}
	WAIT_FOR(&f, s, s.packets_in == 20); /* counted right after the write to the TUN */
	g_assert_cmpuint(s.packets_out, ==, 20);
	g_assert_cmpuint(s.bytes_out, ==, bytes_out);
	g_assert_cmpuint(s.packets_in, ==, 20);
	g_assert_cmpuint(s.bytes_in, ==, bytes_in);
	g_assert_cmpuint(io_datapath_stats_dropped(&s), ==, 0);
	g_assert_cmpuint(s.tun_errors + s.outer_errors, ==, 0);
	stop(&f);
}

static void
test_drops(void)
{
	Fixture f = {0};
	IoDatapathStats s;
	uint8_t inner[200], esp[BUF], other[BUF];
	gsize len, esp_len;
	EspSa *stranger;

	start(&f, &algs[0].alg, -1, 0);

	/* No outbound SA yet: counted, nothing sent. */
	len = make_inner(inner, 4, 1, sizeof(inner));
	g_assert_cmpint(send(f.tun[1], inner, len, 0), ==, (gssize)len);
	WAIT_FOR(&f, s, s.dropped_out[ESP_ERR_SPI] == 1);
	g_assert_true(nothing_arrives(f.outer[1]));

	install_pair(&f, SPI_A_IN, SPI_A_OUT, 1);
	/* Not an IP packet. */
	len = make_inner(inner, 5, 2, sizeof(inner));
	g_assert_cmpint(send(f.tun[1], inner, len, 0), ==, (gssize)len);
	WAIT_FOR(&f, s, s.dropped_out[ESP_ERR_NEXT_HEADER] == 1);

	/* A good packet, then the same again (replay), then a tampered one. */
	len = make_inner(inner, 4, 3, sizeof(inner));
	esp_len = seal_inbound(f.gw_out, inner, len, 4, esp);
	g_assert_cmpint(send(f.outer[1], esp, esp_len, 0), ==, (gssize)esp_len);
	g_assert_cmpint(recv_wait(f.tun[1], other, sizeof(other)), ==, (gssize)len);
	g_assert_cmpint(send(f.outer[1], esp, esp_len, 0), ==, (gssize)esp_len);
	WAIT_FOR(&f, s, s.dropped_in[ESP_ERR_REPLAY] == 1);
	esp_len = seal_inbound(f.gw_out, inner, len, 4, esp);
	esp[esp_len - 3] ^= 0x40;
	g_assert_cmpint(send(f.outer[1], esp, esp_len, 0), ==, (gssize)esp_len);
	WAIT_FOR(&f, s, s.dropped_in[ESP_ERR_INTEGRITY] == 1);

	/* An SPI nobody installed, and a datagram too short to be anything. */
	stranger = new_sa(&f.alg, ESP_DIR_OUT, 0x0bad0bad, 9);
	esp_len = seal_inbound(stranger, inner, len, 4, esp);
	esp_sa_free(stranger);
	g_assert_cmpint(send(f.outer[1], esp, esp_len, 0), ==, (gssize)esp_len);
	WAIT_FOR(&f, s, s.dropped_in[ESP_ERR_SPI] == 1);
	g_assert_cmpint(send(f.outer[1], "\x01\x02", 2, 0), ==, 2);
	WAIT_FOR(&f, s, s.dropped_in[ESP_ERR_TRUNCATED] == 1);

	/* Nothing of it reached the TUN side; the good packet was counted once. */
	g_assert_true(nothing_arrives(f.tun[1]));
	WAIT_FOR(&f, s, s.packets_in == 1);
	g_assert_cmpuint(s.packets_out, ==, 0);
	g_assert_cmpuint(io_datapath_stats_dropped(&s), ==, 6);
	stop(&f);
}

static void
test_ike_and_keepalive(void)
{
	static const uint8_t ike[] = {0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66};
	Fixture f = {0};
	IoDatapathStats s;
	struct pollfd pfd;
	uint8_t buf[64];

	start(&f, &algs[0].alg, -1, 0);
	g_assert_cmpuint(io_datapath_pop_ike(f.dp, buf, sizeof(buf)), ==, 0);
	g_assert_cmpint(send(f.outer[1], "\xff", 1, 0), ==, 1);
	WAIT_FOR(&f, s, s.keepalives_in == 1);
	g_assert_cmpint(send(f.outer[1], ike, sizeof(ike), 0), ==, sizeof(ike));

	pfd = (struct pollfd){.fd = io_datapath_get_notify_fd(f.dp), .events = POLLIN};
	g_assert_cmpint(poll(&pfd, 1, 2000), ==, 1);
	io_datapath_ack_notify(f.dp);
	/* RFC 3948 §2.2: the marker is stripped, the message handed over unchanged. */
	g_assert_cmpuint(io_datapath_pop_ike(f.dp, buf, sizeof(buf)), ==, sizeof(ike) - 4);
	g_assert_cmpmem(buf, sizeof(ike) - 4, ike + 4, sizeof(ike) - 4);
	g_assert_cmpuint(io_datapath_pop_ike(f.dp, buf, sizeof(buf)), ==, 0);
	g_assert_false(io_datapath_take_soft_expired(f.dp));
	stats(&f, &s);
	g_assert_cmpuint(s.ike_in, ==, 1);
	g_assert_cmpuint(io_datapath_stats_dropped(&s), ==, 0);

	/* A full queue drops (and counts) the excess, keeping the oldest. */
	for (guint i = 0; i < IO_DATAPATH_IKE_QUEUE + 3; i++) {
		uint8_t msg[8] = {0, 0, 0, 0, (uint8_t)i};
		g_assert_cmpint(send(f.outer[1], msg, sizeof(msg), 0), ==, sizeof(msg));
	}
	WAIT_FOR(&f, s, s.ike_in + s.ike_dropped == IO_DATAPATH_IKE_QUEUE + 4);
	g_assert_cmpuint(s.ike_dropped, ==, 3);
	for (guint i = 0; i < IO_DATAPATH_IKE_QUEUE; i++) {
		g_assert_cmpuint(io_datapath_pop_ike(f.dp, buf, sizeof(buf)), ==, 4);
		g_assert_cmpuint(buf[0], ==, i);
	}
	stop(&f);
}

static void
test_keepalive_sent(void)
{
	Fixture f = {0};
	uint8_t buf[16];
	gint64 t0 = g_get_monotonic_time();
	IoDatapathStats s;

	start(&f, &algs[0].alg, -1, 1);
	/* RFC 3948 §2.3: one 0xFF octet after the interval without traffic. */
	g_assert_cmpint(recv_wait(f.outer[1], buf, sizeof(buf)), ==, 1);
	g_assert_cmpuint(buf[0], ==, 0xff);
	g_assert_cmpint(g_get_monotonic_time() - t0, >=, 900000);
	WAIT_FOR(&f, s, s.keepalives_out == 1); /* counted right after the send */
	stop(&f);
}

static void
test_rekey(void)
{
	Fixture f = {0};
	IoDatapathStats s;
	uint8_t inner[300], esp_old[BUF], got[BUF];
	gsize len, old_len;
	EspSa *old_gw_out;

	start(&f, &algs[2].alg, -1, 0);
	install_pair(&f, SPI_A_IN, SPI_A_OUT, 1);
	len = make_inner(inner, 4, 1, sizeof(inner));
	send_outbound(&f, inner, len, 4, SPI_A_OUT);
	receive_inbound(&f, inner, len, 4);

	/* The gateway still has a packet under the old SA in flight when the new one comes. */
	old_len = seal_inbound(f.gw_out, inner, len, 4, esp_old);
	old_gw_out = g_steal_pointer(&f.gw_out);
	install_pair(&f, SPI_B_IN, SPI_B_OUT, 2);

	/* Outbound switched at once; inbound accepts both. */
	send_outbound(&f, inner, len, 4, SPI_B_OUT);
	receive_inbound(&f, inner, len, 4);
	g_assert_cmpint(send(f.outer[1], esp_old, old_len, 0), ==, (gssize)old_len);
	g_assert_cmpint(recv_wait(f.tun[1], got, sizeof(got)), ==, (gssize)len);

	/* After the old SA is retired its packets are strangers. */
	io_datapath_retire(f.dp, SPI_A_IN, SPI_A_OUT);
	io_datapath_sync(f.dp);
	old_len = seal_inbound(old_gw_out, inner, len, 4, esp_old);
	g_assert_cmpint(send(f.outer[1], esp_old, old_len, 0), ==, (gssize)old_len);
	WAIT_FOR(&f, s, s.dropped_in[ESP_ERR_SPI] == 1);
	send_outbound(&f, inner, len, 4, SPI_B_OUT);
	receive_inbound(&f, inner, len, 4);

	/* Retiring the current outbound SA stops the outbound traffic. */
	io_datapath_retire(f.dp, SPI_B_IN, SPI_B_OUT);
	io_datapath_sync(f.dp);
	g_assert_cmpint(send(f.tun[1], inner, len, 0), ==, (gssize)len);
	WAIT_FOR(&f, s, s.dropped_out[ESP_ERR_SPI] == 1);
	WAIT_FOR(&f, s, s.packets_in == 4);
	g_assert_cmpuint(s.packets_out, ==, 3);
	esp_sa_free(old_gw_out);
	stop(&f);
}

/* ESP straight over IP (no NAT): reads from a raw IPv4 socket carry the IP header. */
static void
test_raw_ipv4(void)
{
	Fixture f = {0};
	IoDatapathStats s;
	uint8_t inner[120], esp[BUF], dgram[BUF], got[BUF];
	gsize len, esp_len;

	start_outer(&f, &algs[0].alg, -1, IO_DATAPATH_OUTER_RAW4, 1);
	install_pair(&f, SPI_A_IN, SPI_A_OUT, 3);
	len = make_inner(inner, 4, 1, sizeof(inner));
	send_outbound(&f, inner, len, 4, SPI_A_OUT); /* the kernel adds the IP header */

	esp_len = seal_inbound(f.gw_out, inner, len, 4, esp);
	memset(dgram, 0, 24);
	dgram[0] = 0x46; /* IHL 6: an option word to skip too */
	dgram[9] = 50;   /* ESP */
	memcpy(dgram + 24, esp, esp_len);
	g_assert_cmpint(send(f.outer[1], dgram, 24 + esp_len, 0), ==, (gssize)(24 + esp_len));
	g_assert_cmpint(recv_wait(f.tun[1], got, sizeof(got)), ==, (gssize)len);
	g_assert_cmpmem(got, len, inner, len);

	/* Not ESP, or a header longer than the datagram: dropped. */
	dgram[9] = 17;
	g_assert_cmpint(send(f.outer[1], dgram, 24 + esp_len, 0), ==, (gssize)(24 + esp_len));
	dgram[9] = 50;
	dgram[0] = 0x4f;
	g_assert_cmpint(send(f.outer[1], dgram, 40, 0), ==, 40);
	WAIT_FOR(&f, s, s.dropped_in[ESP_ERR_TRUNCATED] == 2);
	/* No keepalives without UDP encapsulation, whatever the interval says. */
	g_assert_cmpuint(s.keepalives_out, ==, 0);
	g_assert_cmpuint(s.packets_in, ==, 1);
	stop(&f);
}

/* --- over a real TUN device --- */

static guint16
ip_checksum(const uint8_t *p, gsize len)
{
	guint32 sum = 0;

	for (gsize i = 0; i + 1 < len; i += 2)
		sum += (guint32)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (guint16)~sum;
}

/* IPv4 + UDP (checksum 0: none, RFC 768) from src:sport to dst:dport. */
static gsize
make_udp4(uint8_t *p,
          const char *src,
          guint16 sport,
          const char *dst,
          guint16 dport,
          const char *payload)
{
	gsize plen = strlen(payload), total = 20 + 8 + plen;
	guint16 sum;

	memset(p, 0, 28);
	p[0] = 0x45;
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[8] = 64;
	p[9] = 17;
	inet_pton(AF_INET, src, p + 12);
	inet_pton(AF_INET, dst, p + 16);
	sum = ip_checksum(p, 20);
	p[10] = (uint8_t)(sum >> 8);
	p[11] = (uint8_t)sum;
	p[20] = (uint8_t)(sport >> 8);
	p[21] = (uint8_t)sport;
	p[22] = (uint8_t)(dport >> 8);
	p[23] = (uint8_t)dport;
	p[24] = (uint8_t)((8 + plen) >> 8);
	p[25] = (uint8_t)(8 + plen);
	memcpy(p + 28, payload, plen);
	return total;
}

static void
test_real_tun(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(IoTun) tun = NULL;
	struct sockaddr_in local = {.sin_family = AF_INET, .sin_port = htons(7000)};
	struct sockaddr_in remote = {.sin_family = AF_INET, .sin_port = htons(7001)};
	Fixture f = {0};
	uint8_t buf[BUF], pkt[BUF], esp[BUF];
	size_t off, len;
	uint8_t nh;
	gssize n;
	int sock;

	if (io_test_netns_run_in_child())
		return;
	io_test_netns_enter();
	tun = io_tun_open(NULL, &error);
	g_assert_no_error(error);
	g_assert_true(io_tun_set_up(tun, TRUE, &error));
	g_free(io_test_run("ip addr add 203.0.113.130/32 dev ferry0"));
	g_free(io_test_run("ip route add 198.51.100.0/24 dev ferry0 src 203.0.113.130"));
	start(&f, &algs[0].alg, io_tun_get_fd(tun), 0);
	install_pair(&f, SPI_A_IN, SPI_A_OUT, 4);

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	inet_pton(AF_INET, "203.0.113.130", &local.sin_addr);
	inet_pton(AF_INET, "198.51.100.9", &remote.sin_addr);
	g_assert_cmpint(bind(sock, (struct sockaddr *)&local, sizeof(local)), ==, 0);

	/* Out: the kernel routes our datagram into the TUN; the gateway opens an IPv4/UDP packet.
	 */
	g_assert_cmpint(sendto(sock, "ping", 4, 0, (struct sockaddr *)&remote, sizeof(remote)), ==,
	                4);
	for (;;) {
		n = recv_wait(f.outer[1], buf, sizeof(buf));
		g_assert_cmpint(n, >, 0);
		g_assert_cmpint(esp_open(f.gw_in, buf, (gsize)n, &off, &len, &nh), ==, ESP_OK);
		if (buf[off + 9] == 17) /* skip IPv6 router solicitations and the like */
			break;
	}
	g_assert_cmpuint(nh, ==, 4);
	g_assert_cmpuint(len, ==, 20 + 8 + 4);
	g_assert_cmpmem(buf + off + 28, 4, "ping", 4);

	/* In: a sealed reply reaches the local socket through the TUN device. */
	len = make_udp4(pkt, "198.51.100.9", 7001, "203.0.113.130", 7000, "pong");
	n = (gssize)seal_inbound(f.gw_out, pkt, len, 4, esp);
	g_assert_cmpint(send(f.outer[1], esp, (gsize)n, 0), ==, n);
	g_assert_cmpint(recv_wait(sock, buf, sizeof(buf)), ==, 4);
	g_assert_cmpmem(buf, 4, "pong", 4);

	close(sock);
	stop(&f);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(algs); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/io/datapath/both-ways/%s", algs[i].name);
		g_test_add_data_func(path, &algs[i], test_both_ways);
	}
	g_test_add_func("/ferry/io/datapath/drops", test_drops);
	g_test_add_func("/ferry/io/datapath/ike-and-keepalive", test_ike_and_keepalive);
	g_test_add_func("/ferry/io/datapath/keepalive-sent", test_keepalive_sent);
	g_test_add_func("/ferry/io/datapath/rekey", test_rekey);
	g_test_add_func("/ferry/io/datapath/raw-ipv4", test_raw_ipv4);
	g_test_add_func("/ferry/io/datapath/real-tun", test_real_tun);
	return g_test_run();
}
