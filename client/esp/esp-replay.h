/* esp-replay.h - anti-replay window with extended sequence numbers (RFC 4303 §3.4.3, App. A)
 * (GLib-free)
 *
 * Check before the ICV is verified, commit only after it verified, so forged packets cannot
 * move the window.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define ESP_REPLAY_WINDOW_MAX 4096 /* bits */

typedef struct {
	uint64_t top;      /* highest authenticated sequence number (full 64 bits with ESN) */
	uint32_t size;     /* window size in packets, <= ESP_REPLAY_WINDOW_MAX */
	bool esn;
	uint64_t bitmap[ESP_REPLAY_WINDOW_MAX / 64];
} EspReplay;

void esp_replay_init(EspReplay *r, uint32_t size, bool esn);
/* From the 32 bits on the wire, infer the full sequence number (RFC 4303 App. A2) and
 * tell whether it is acceptable (not seen, not left of the window). */
bool esp_replay_check(const EspReplay *r, uint32_t seq_low, uint64_t *seq_full);
/* Record an authenticated sequence number. */
void esp_replay_commit(EspReplay *r, uint64_t seq_full);
