/* esp-natt.c - classification of datagrams on UDP port 4500 (RFC 3948) */
#include <string.h>

#include "esp-natt.h"
#include "ferry-span.h"

/* RFC 3948 §2.1: SPI and sequence number must be present. */
#define ESP_MIN_HEADER 8

const char *
esp_natt_kind_to_string(EspNattKind kind)
{
	switch (kind) {
	case ESP_NATT_INVALID:
		return "invalid";
	case ESP_NATT_KEEPALIVE:
		return "keepalive";
	case ESP_NATT_IKE:
		return "ike";
	case ESP_NATT_ESP:
		return "esp";
	}
	return "unknown";
}

EspNattKind
esp_natt_classify(const uint8_t *dgram, size_t len, size_t *payload_off)
{
	*payload_off = 0;
	/* RFC 3948 §2.3: exactly one octet, 0xFF. */
	if (len == ESP_NATT_KEEPALIVE_LEN)
		return dgram[0] == ESP_NATT_KEEPALIVE_BYTE ? ESP_NATT_KEEPALIVE : ESP_NATT_INVALID;
	if (len < ESP_NATT_NON_ESP_MARKER_LEN)
		return ESP_NATT_INVALID;
	/* RFC 3948 §2.2: the marker occupies the SPI field, which ESP never sets to 0. */
	if (ferry_get_be32(dgram) == 0) {
		if (len == ESP_NATT_NON_ESP_MARKER_LEN)
			return ESP_NATT_INVALID;
		*payload_off = ESP_NATT_NON_ESP_MARKER_LEN;
		return ESP_NATT_IKE;
	}
	if (len < ESP_MIN_HEADER)
		return ESP_NATT_INVALID;
	return ESP_NATT_ESP;
}

size_t
esp_natt_keepalive_build(uint8_t *buf, size_t cap)
{
	if (cap < ESP_NATT_KEEPALIVE_LEN)
		return 0;
	buf[0] = ESP_NATT_KEEPALIVE_BYTE;
	return ESP_NATT_KEEPALIVE_LEN;
}

size_t
esp_natt_marker_build(uint8_t *buf, size_t cap)
{
	if (cap < ESP_NATT_NON_ESP_MARKER_LEN)
		return 0;
	memset(buf, 0, ESP_NATT_NON_ESP_MARKER_LEN);
	return ESP_NATT_NON_ESP_MARKER_LEN;
}
