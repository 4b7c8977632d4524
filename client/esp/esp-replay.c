/* esp-replay.c - anti-replay window with extended sequence numbers (RFC 4303 §3.4.3, App. A)
 *
 * The bitmap is a ring of ESP_REPLAY_WINDOW_MAX bits: sequence number s lives at bit
 * s % ESP_REPLAY_WINDOW_MAX.  Only the `size` newest numbers up to `top` are consulted, and
 * the bits a forward move skips over are cleared, so any window size up to the ring's full
 * width is exact.
 */
#include <string.h>

#include "esp-replay.h"

#define RING_BITS  ESP_REPLAY_WINDOW_MAX
#define WORD_BITS  64
#define RING_WORDS (RING_BITS / WORD_BITS)

/* Window used only to infer the high-order bits when anti-replay is disabled: a packet is
 * placed in whichever 2^32 subspace puts it within 2^31 of the highest one seen. */
#define ESN_INFER_WINDOW_DISABLED (UINT32_C(1) << 31)

void
esp_replay_init(EspReplay *r, uint32_t size, bool esn)
{
	memset(r, 0, sizeof(*r));
	r->size = size > ESP_REPLAY_WINDOW_MAX ? ESP_REPLAY_WINDOW_MAX : size;
	r->esn = esn;
}

/* RFC 4303 App. A2.2: the receiver's guess of Seqh from Tl, Th, W and the received Seql.
 * Returns false when the guess would fall before sequence number 0. */
static bool
infer_high(const EspReplay *r, uint32_t seql, uint32_t *seqh)
{
	uint32_t tl = (uint32_t)r->top;
	uint32_t th = (uint32_t)(r->top >> 32);
	uint32_t w = r->size ? r->size : ESN_INFER_WINDOW_DISABLED;
	uint32_t bottom = tl - w + 1; /* modulo 2^32 on purpose */

	if (tl >= w - 1) {
		/* Case A: the window lies within one subspace. */
		*seqh = seql >= bottom ? th : th + 1;
		return true;
	}
	/* Case B: the window spans two subspaces; `bottom` wrapped into the previous one. */
	if (seql >= bottom) {
		if (th == 0)
			return false;
		*seqh = th - 1;
		return true;
	}
	*seqh = th;
	return true;
}

static bool
test_bit(const EspReplay *r, uint64_t seq)
{
	uint32_t bit = (uint32_t)(seq % RING_BITS);

	return (r->bitmap[bit / WORD_BITS] >> (bit % WORD_BITS)) & 1;
}

static void
set_bit(EspReplay *r, uint64_t seq)
{
	uint32_t bit = (uint32_t)(seq % RING_BITS);

	r->bitmap[bit / WORD_BITS] |= UINT64_C(1) << (bit % WORD_BITS);
}

/* Clear the bits of `count` sequence numbers starting at `from`, a word at a time. */
static void
clear_bits(EspReplay *r, uint64_t from, uint64_t count)
{
	if (count >= RING_BITS) {
		memset(r->bitmap, 0, sizeof(r->bitmap));
		return;
	}
	while (count > 0) {
		uint32_t bit = (uint32_t)(from % RING_BITS);
		uint32_t off = bit % WORD_BITS;
		uint64_t chunk = WORD_BITS - off;
		uint64_t mask;

		if (chunk > count)
			chunk = count;
		mask = chunk == WORD_BITS ? ~UINT64_C(0) : ((UINT64_C(1) << chunk) - 1) << off;
		r->bitmap[bit / WORD_BITS] &= ~mask;
		from += chunk;
		count -= chunk;
	}
}

bool
esp_replay_check(const EspReplay *r, uint32_t seq_low, uint64_t *seq_full)
{
	uint32_t seqh = 0;
	uint64_t seq;

	if (r->esn && !infer_high(r, seq_low, &seqh))
		return false;
	seq = (uint64_t)seqh << 32 | seq_low;
	*seq_full = seq;

	/* RFC 4303 §2.2: the first packet carries 1; 0 is never sent. */
	if (seq == 0)
		return false;
	if (seq > r->top)
		return true;
	if (r->size == 0)
		return true;
	/* RFC 4303 §3.4.3: left of the window, or inside it and already received. */
	if (r->top - seq >= r->size)
		return false;
	return !test_bit(r, seq);
}

void
esp_replay_commit(EspReplay *r, uint64_t seq_full)
{
	if (seq_full > r->top) {
		clear_bits(r, r->top + 1, seq_full - r->top);
		r->top = seq_full;
	} else if (r->top - seq_full >= RING_BITS) {
		/* Checked packets never get here; the ring must not alias a newer number. */
		return;
	}
	set_bit(r, seq_full);
}
