/* ike-ts.h - traffic selectors: construction, narrowing checks, rendering (RFC 7296 §2.9) */
#pragma once

#include <glib.h>

#include "ike-sa.h"

G_BEGIN_DECLS

/* The whole address space of one family, all protocols and ports: 0.0.0.0-255.255.255.255
 * or ::-ffff:...:ffff.  FALSE for another family. */
gboolean ike_ts_set_full(IkeTs *ts, int family);
/* A single address, all protocols and ports. */
gboolean ike_ts_set_addr(IkeTs *ts, const IkeAddr *addr);
/* A prefix (10.0.0.0/8); FALSE when `prefix` exceeds the family's width. */
gboolean ike_ts_set_prefix(IkeTs *ts, int family, const uint8_t *addr, guint prefix);

/* Address length of a TS type (4 or 16), 0 for an unknown type. */
gsize ike_ts_addr_len(const IkeTs *ts);
/* Well-formed: known type, start <= end for addresses and ports. */
gboolean ike_ts_is_valid(const IkeTs *ts);
/* Is every packet `inner` matches also matched by `outer`?  (Narrowing, RFC 7296 §2.9.) */
gboolean ike_ts_is_subset(const IkeTs *inner, const IkeTs *outer);
/* RFC 7296 §2.9: a responder may only narrow.  TRUE when `got` is non-empty and every one of
 * its selectors is valid and inside one of `offered`. */
gboolean
ike_ts_check_narrowed(const IkeTs *got, guint n_got, const IkeTs *offered, guint n_offered);

/* "10.0.0.0/8", "198.51.100.10-198.51.100.20", "::/0", with "[tcp/443]" when narrowed to a
 * protocol or ports. (transfer full) */
char *ike_ts_to_string(const IkeTs *ts);
/* Joined with ", ". (transfer full) */
char *ike_ts_list_to_string(const IkeTs *ts, guint n);

G_END_DECLS
