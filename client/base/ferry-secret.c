/* ferry-secret.c - wipe-on-free secret buffers */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <gnutls/gnutls.h>

#include "ferry-secret.h"

void
ferry_wipe(void *p, size_t len)
{
	if (p && len)
		gnutls_memset(p, 0, len);
}

bool
ferry_memeq_ct(const void *a, const void *b, size_t len)
{
	return gnutls_memcmp(a, b, len) == 0;
}

FerrySecret *
ferry_secret_new(size_t len)
{
	FerrySecret *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	/* One spare byte keeps string secrets NUL-terminated. */
	s->data = calloc(1, len + 1);
	if (!s->data) {
		free(s);
		return NULL;
	}
	s->len = len;
	/* Best effort: keep secrets out of swap and core files. */
	(void)mlock(s->data, len + 1);
	(void)madvise((void *)((uintptr_t)s->data & ~(uintptr_t)4095), len + 1, MADV_DONTDUMP);
	return s;
}

FerrySecret *
ferry_secret_new_from(const void *data, size_t len)
{
	FerrySecret *s = ferry_secret_new(len);

	if (s && len)
		memcpy(s->data, data, len);
	return s;
}

FerrySecret *
ferry_secret_new_from_string(const char *str)
{
	return ferry_secret_new_from(str, str ? strlen(str) : 0);
}

FerrySecret *
ferry_secret_dup(const FerrySecret *s)
{
	return s ? ferry_secret_new_from(s->data, s->len) : NULL;
}

void
ferry_secret_free(FerrySecret *s)
{
	if (!s)
		return;
	ferry_wipe(s->data, s->len + 1);
	(void)munlock(s->data, s->len + 1);
	free(s->data);
	free(s);
}
