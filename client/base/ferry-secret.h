/* ferry-secret.h - wipe-on-free buffers for keys, PSKs and passwords (GLib-free)
 *
 * A FerrySecret is the only place a secret lives.  Its pages are excluded from
 * core dumps (MADV_DONTDUMP) and locked in memory where the system allows; free
 * wipes it with a write the compiler cannot elide.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ferry-span.h"

typedef struct {
	size_t len;
	uint8_t *data;
} FerrySecret;

/* Zero-filled secret of `len` bytes; NULL only when memory is exhausted. */
FerrySecret *ferry_secret_new(size_t len);
FerrySecret *ferry_secret_new_from(const void *data, size_t len);
/* A copy of a NUL-terminated string, without the NUL (data[len] is still 0). */
FerrySecret *ferry_secret_new_from_string(const char *str);
FerrySecret *ferry_secret_dup(const FerrySecret *s);
void ferry_secret_free(FerrySecret *s);

static inline FerrySpan
ferry_secret_span(const FerrySecret *s)
{
	return s ? FERRY_SPAN(s->data, s->len) : FERRY_SPAN_EMPTY;
}

/* Overwrite `len` bytes with zeros in a way the optimiser keeps. */
void ferry_wipe(void *p, size_t len);
/* Constant-time comparison of two equal-length buffers. */
bool ferry_memeq_ct(const void *a, const void *b, size_t len);
