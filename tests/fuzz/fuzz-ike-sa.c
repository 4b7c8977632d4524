/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-ike-sa.c - libFuzzer harness for the IKE engine's handling of what a gateway sends
 *
 * Each input drives one fresh IkeSa (fixed configuration and random stream, see
 * fuzz-ike-sa.h) from ike_sa_connect() through the input's records: datagrams, time and
 * commands.  The seed corpus holds whole conversations recorded from the unit tests'
 * scripted responder (gen-ike-sa-corpus.c), so mutations reach IKE_AUTH, CREATE_CHILD_SA and
 * INFORMATIONAL handling behind valid keys.  Whatever arrives, the engine must not crash,
 * leak or read out of bounds, and must keep its events well formed.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz-ike-sa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sink;

static void
send_cb(gpointer user_data, const uint8_t *data, gsize len)
{
	/* Touch every byte so a sanitizer sees uninitialised or freed output. */
	for (gsize i = 0; i < len; i++)
		sink += data[i];
}

static void
event_cb(gpointer user_data, const IkeEvent *e)
{
	if (e->payloads)
		sink += strlen(e->payloads);
	if (e->text)
		sink += strlen(e->text);
	if (e->error && (e->error->domain == 0 || !e->error->message))
		abort();
	if (e->child && e->type == IKE_EVENT_CHILD_INSTALL && !e->child->in.enc_key)
		abort();
	if (e->config && e->config->dns)
		sink += e->config->dns->len;
}

static const IkeSaCallbacks callbacks = {send_cb, event_cb};

static void
run_command(IkeSa *sa, uint8_t cmd, gint64 now)
{
	switch (cmd % 4) {
	case 0:
		ike_sa_rekey_child(sa, now);
		break;
	case 1:
		ike_sa_rekey_ike(sa, now);
		break;
	case 2:
		ike_sa_check_liveness(sa, now);
		break;
	default:
		ike_sa_disconnect(sa, now);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzIkeRng rng = {0};
	FuzzIkeConfig c;
	IkeSa *sa;
	gint64 now = 1000 * G_USEC_PER_SEC;

	crypto_rng_set_source(fuzz_ike_rng_fill, &rng);
	fuzz_ike_config_init(&c);
	sa = ike_sa_new(&c.cfg, &callbacks, NULL, NULL);
	if (!sa)
		abort();
	ike_sa_connect(sa, now);
	while (size >= 3) {
		uint8_t op = data[0];
		size_t len = (size_t)data[1] << 8 | data[2];
		uint8_t *copy;

		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		/* An exact-size heap copy, so reads past the datagram are caught. */
		copy = malloc(len ? len : 1);
		memcpy(copy, data, len);
		now += 1000;
		if (op % 3 == FUZZ_IKE_RECEIVE)
			ike_sa_receive(sa, copy, len, now);
		else if (op % 3 == FUZZ_IKE_TICK)
			ike_sa_tick(sa, now += (gint64)(len ? copy[0] : 1) * G_USEC_PER_SEC);
		else if (len)
			run_command(sa, copy[0], now);
		free(copy);
		data += len;
		size -= len;
	}
	/* Let every timer run out: retransmissions, DPD, rekeying, the final give-up. */
	for (int i = 0; i < 64 && ike_sa_get_deadline(sa) != G_MAXINT64; i++) {
		now = MAX(now, ike_sa_get_deadline(sa));
		ike_sa_tick(sa, now);
	}
	ike_sa_free(sa);
	fuzz_ike_config_clear(&c);
	crypto_rng_set_source(NULL, NULL);
	return 0;
}
