/* esp-natt.h - UDP encapsulation of ESP on port 4500: telling ESP, IKE and NAT keepalives
 * apart (RFC 3948) (GLib-free)
 *
 * The socket layer reads a datagram from port 4500 and asks what it is; it never adds or
 * strips a UDP header here, only the non-ESP marker in front of IKE messages.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define ESP_NATT_PORT 4500
/* RFC 3948 §2.2: four zero octets where an ESP packet has its (never zero) SPI. */
#define ESP_NATT_NON_ESP_MARKER_LEN 4
/* RFC 3948 §2.3: a NAT-keepalive is one octet, 0xFF. */
#define ESP_NATT_KEEPALIVE_BYTE 0xFF
#define ESP_NATT_KEEPALIVE_LEN  1
/* RFC 3948 §4: the keepalive interval when nothing else is sent (default 20 s). */
#define ESP_NATT_KEEPALIVE_INTERVAL 20 /* seconds */

typedef enum {
	ESP_NATT_INVALID,   /* too short, or a one-octet datagram other than 0xFF: drop */
	ESP_NATT_KEEPALIVE, /* RFC 3948 §2.3: ignore */
	ESP_NATT_IKE,       /* non-ESP marker: the IKE message follows it */
	ESP_NATT_ESP,       /* SPI != 0: an ESP packet starting at offset 0 */
} EspNattKind;

const char *esp_natt_kind_to_string(EspNattKind kind);

/* Classify a datagram received on port 4500 (RFC 3948 §2.1-2.3).  *payload_off is where the
 * IKE message (after the marker) or the ESP packet starts; 0 for the other kinds. */
EspNattKind esp_natt_classify(const uint8_t *dgram, size_t len, size_t *payload_off);

/* Write the keepalive octet; returns its length (1), or 0 if cap is 0. */
size_t esp_natt_keepalive_build(uint8_t *buf, size_t cap);

/* Write the non-ESP marker; returns ESP_NATT_NON_ESP_MARKER_LEN, or 0 if cap is too small. */
size_t esp_natt_marker_build(uint8_t *buf, size_t cap);
