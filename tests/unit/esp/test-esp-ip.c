/* test-esp-ip.c - the IP header chains AH and transport mode read (RFC 791, RFC 8200,
 * RFC 4302 §3.1.1): a numbered table of well-formed and malformed headers */
#include <string.h>

#include <glib.h>

#include "esp-ip.h"
#include "ferry-span.h"

#define BUF 512

typedef enum {
	SHAPE_V4,        /* 20-byte header, UDP */
	SHAPE_V4_OPTS,   /* IHL 6 (one NOP + padding) */
	SHAPE_V6,        /* base header, UDP */
	SHAPE_V6_HBH_DST /* hop-by-hop, destination options, UDP */
} Shape;

typedef struct {
	int n;
	const char *what;
	Shape shape;
	int byte;      /* byte to overwrite, -1 none */
	uint8_t value; /* its new value */
	size_t cut;    /* bytes missing from the buffer */
	uint8_t find;
	EspStatus want;
	size_t hdr_len; /* when ESP_OK */
	uint8_t proto;
} Row;

static const Row rows[] = {
	{1,  "v4 plain",                   SHAPE_V4,         -1, 0,    0,  0,  ESP_OK,            20, 17},
	{2,  "v4 options",                 SHAPE_V4_OPTS,    -1, 0,    0,  0,  ESP_OK,            24, 17},
	{3,  "v4 ihl 4",                   SHAPE_V4,         0,  0x44, 0,  0,  ESP_ERR_IP_HEADER, 0,  0 },
	{4,  "v4 ihl past buffer",         SHAPE_V4,         0,  0x4f, 0,  0,  ESP_ERR_TRUNCATED, 0,  0 },
	{5,  "v4 total < ihl",             SHAPE_V4,         3,  19,   0,  0,  ESP_ERR_IP_HEADER, 0,  0 },
	{6,  "v4 total > buffer",          SHAPE_V4,         3,  200,  0,  0,  ESP_ERR_TRUNCATED, 0,  0 },
	{7,  "v4 more fragments",          SHAPE_V4,         6,  0x20, 0,  0,  ESP_ERR_IP_HEADER, 0,  0 },
	{8,  "v4 fragment offset",         SHAPE_V4,         7,  0x01, 0,  0,  ESP_ERR_IP_HEADER, 0,  0 },
	{9,  "v4 DF is fine",              SHAPE_V4,         6,  0x40, 0,  0,  ESP_OK,            20, 17},
	{10, "v4 find AH, is UDP",         SHAPE_V4,         -1, 0,    0,  51, ESP_ERR_IP_HEADER, 0,  0 },
	{11, "v4 find AH",                 SHAPE_V4,         9,  51,   0,  51, ESP_OK,            20, 51},
	{12, "v4 19 bytes",                SHAPE_V4,         -1, 0,    31, 0,  ESP_ERR_TRUNCATED, 0,  0 },
	{13, "version 5",                  SHAPE_V4,         0,  0x55, 0,  0,  ESP_ERR_IP_HEADER, 0,  0 },
	{14, "v6 plain",                   SHAPE_V6,         -1, 0,    0,  0,  ESP_OK,            40, 17},
	{15, "v6 jumbogram",               SHAPE_V6,         5,  0,    0,  0,  ESP_ERR_IP_HEADER, 0,  0 },
	{16, "v6 payload past buffer",     SHAPE_V6,         4,  1,    0,  0,  ESP_ERR_TRUNCATED, 0,  0 },
	{17, "v6 39 bytes",                SHAPE_V6,         -1, 0,    33, 0,  ESP_ERR_TRUNCATED, 0,  0 },
	{18, "v6 ext headers",             SHAPE_V6_HBH_DST, -1, 0,    0,  0,  ESP_OK,            56, 17},
	{19, "v6 hop-by-hop not first",    SHAPE_V6_HBH_DST, 40, 0,    0,  0,  ESP_ERR_IP_HEADER, 0,  0 },
	{20, "v6 fragment header",         SHAPE_V6,         6,  44,   0,  0,  ESP_ERR_IP_HEADER, 0,  0 },
	{21, "v6 ext header past payload", SHAPE_V6_HBH_DST, 49, 200,  0,  0,  ESP_ERR_IP_HEADER, 0,
         0											      },
	{22, "v6 find ESP behind ext",     SHAPE_V6_HBH_DST, 48, 50,   0,  50, ESP_OK,            56, 50},
	{23, "v6 find ESP, is UDP",        SHAPE_V6_HBH_DST, -1, 0,    0,  50, ESP_ERR_IP_HEADER, 0,  0 },
	{24, "v6 find AH in front of HBH", SHAPE_V6_HBH_DST, 6,  51,   0,  51, ESP_OK,            40, 51},
};

static size_t
build(Shape shape, uint8_t *p)
{
	size_t n;

	memset(p, 0, BUF);
	switch (shape) {
	case SHAPE_V4:
	case SHAPE_V4_OPTS:
		n = shape == SHAPE_V4 ? 20 : 24;
		p[0] = (uint8_t)(0x40 | n / 4);
		ferry_put_be16(p + 2, (uint16_t)(n + 30));
		p[8] = 64;
		p[9] = 17;
		p[20] = 0x01; /* NOP, then end of list */
		return n + 30;
	case SHAPE_V6:
		p[0] = 0x60;
		ferry_put_be16(p + 4, 30);
		p[6] = 17;
		return 70;
	case SHAPE_V6_HBH_DST:
		p[0] = 0x60;
		ferry_put_be16(p + 4, 46);
		p[6] = 0;
		p[40] = 60; /* hop-by-hop: next is destination options, 8 bytes of PadN */
		p[42] = 1;
		p[43] = 4;
		p[48] = 17; /* destination options: next is UDP */
		p[50] = 1;
		p[51] = 4;
		return 86;
	}
	return 0;
}

static void
test_row(gconstpointer data)
{
	const Row *r = data;
	uint8_t p[BUF];
	size_t len = build(r->shape, p);
	EspIpInfo ip;

	if (r->byte >= 0)
		p[r->byte] = r->value;
	g_assert_cmpint(esp_ip_parse(p, len - r->cut, r->find, &ip), ==, r->want);
	if (r->want != ESP_OK)
		return;
	g_assert_cmpuint(ip.hdr_len, ==, r->hdr_len);
	g_assert_cmpuint(ip.proto, ==, r->proto);
	g_assert_cmpuint(p[ip.nh_off], ==, r->proto);
	g_assert_cmpuint(ip.total, ==, len);
}

/* RFC 1071: a header with its checksum verifies to all ones; esp_ip_set_total keeps it so. */
static void
test_checksum(void)
{
	uint8_t p[BUF];
	uint32_t sum = 0;

	build(SHAPE_V4_OPTS, p);
	g_assert_true(esp_ip_set_total(p, 4, 1000));
	g_assert_cmpuint(ferry_get_be16(p + 2), ==, 1000);
	for (size_t i = 0; i < 24; i += 2)
		sum += ferry_get_be16(p + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	g_assert_cmpuint(sum, ==, 0xffff);
	g_assert_false(esp_ip_set_total(p, 4, 70000));
	build(SHAPE_V6, p);
	g_assert_true(esp_ip_set_total(p, 6, 40));
	g_assert_cmpuint(ferry_get_be16(p + 4), ==, 0);
	g_assert_false(esp_ip_set_total(p, 6, 39));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/esp/ip/parse/%02d-%s", rows[i].n, rows[i].what);

		for (char *c = path; *c; c++) {
			if (*c == ' ' || *c == ',')
				*c = '-';
		}
		g_test_add_data_func(path, &rows[i], test_row);
	}
	g_test_add_func("/ferry/esp/ip/checksum", test_checksum);
	return g_test_run();
}
