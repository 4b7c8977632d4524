/* test-esp-natt.c - classification of port-4500 datagrams (RFC 3948 §2.1-2.3) */
#include <string.h>

#include <glib.h>

#include "esp-natt.h"

typedef struct {
	const char *name;
	const uint8_t *data;
	size_t len;
	EspNattKind kind;
	size_t off;
} Case;

static void
test_classify(void)
{
	static const uint8_t keepalive[] = {0xff};
	static const uint8_t one_zero[] = {0x00};
	static const uint8_t one_fe[] = {0xfe};
	static const uint8_t two_ff[] = {0xff, 0xff};
	static const uint8_t three[] = {0x00, 0x00, 0x00};
	static const uint8_t marker_only[] = {0, 0, 0, 0};
	static const uint8_t ike[] = {0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55};
	static const uint8_t esp[] = {0xc0, 0x01, 0x02, 0x03, 0, 0, 0, 1, 0xaa};
	static const uint8_t esp_hdr_only[] = {0, 0, 0, 1, 0, 0, 0, 1};
	static const uint8_t esp_short[] = {0, 0, 0, 1, 0, 0, 0};
	static const uint8_t spi_ff[] = {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 9};
	const Case cases[] = {
		{"empty",                     keepalive,    0,                    ESP_NATT_INVALID,   0},
		{"keepalive",                 keepalive,    1,                    ESP_NATT_KEEPALIVE, 0},
		{"one zero octet",            one_zero,     1,                    ESP_NATT_INVALID,   0},
		{"one 0xfe octet",            one_fe,       1,                    ESP_NATT_INVALID,   0},
		{"two 0xff octets",           two_ff,       2,                    ESP_NATT_INVALID,   0},
		{"three octets",              three,        3,                    ESP_NATT_INVALID,   0},
		{"marker without message",    marker_only,  4,                    ESP_NATT_INVALID,   0},
		{"ike",                       ike,          sizeof(ike),          ESP_NATT_IKE,       4},
		{"esp",                       esp,          sizeof(esp),          ESP_NATT_ESP,       0},
		{"esp header only",           esp_hdr_only, sizeof(esp_hdr_only), ESP_NATT_ESP,       0},
		{"esp without full sequence", esp_short,    sizeof(esp_short),    ESP_NATT_INVALID,   0},
		{"spi all ones",              spi_ff,       sizeof(spi_ff),       ESP_NATT_ESP,       0},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		size_t off = 99;
		EspNattKind kind = esp_natt_classify(cases[i].data, cases[i].len, &off);

		if (kind != cases[i].kind || off != cases[i].off)
			g_error("case %zu (%s): got %s at %zu, expected %s at %zu", i + 1,
			        cases[i].name, esp_natt_kind_to_string(kind), off,
			        esp_natt_kind_to_string(cases[i].kind), cases[i].off);
	}
}

static void
test_build(void)
{
	uint8_t buf[8];
	size_t off;

	memset(buf, 0xaa, sizeof(buf));
	g_assert_cmpuint(esp_natt_keepalive_build(buf, 0), ==, 0);
	g_assert_cmpuint(buf[0], ==, 0xaa);
	g_assert_cmpuint(esp_natt_keepalive_build(buf, sizeof(buf)), ==, 1);
	g_assert_cmpuint(buf[0], ==, 0xff);
	g_assert_cmpuint(buf[1], ==, 0xaa);
	g_assert_cmpint(esp_natt_classify(buf, 1, &off), ==, ESP_NATT_KEEPALIVE);

	memset(buf, 0xaa, sizeof(buf));
	g_assert_cmpuint(esp_natt_marker_build(buf, 3), ==, 0);
	g_assert_cmpuint(buf[0], ==, 0xaa);
	g_assert_cmpuint(esp_natt_marker_build(buf, sizeof(buf)), ==, 4);
	g_assert_cmpuint(buf[4], ==, 0xaa);
	g_assert_cmpint(esp_natt_classify(buf, 5, &off), ==, ESP_NATT_IKE);
	g_assert_cmpuint(off, ==, 4);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/esp/natt/classify", test_classify);
	g_test_add_func("/ferry/esp/natt/build", test_build);
	return g_test_run();
}
