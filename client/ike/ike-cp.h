/* ike-cp.h - configuration payload: our request, the gateway's reply (RFC 7296 §2.19, §3.15) */
#pragma once

#include <glib.h>

#include "ike-sa.h"

G_BEGIN_DECLS

/* CFG_REQUEST for an address and DNS of each family asked for, plus INTERNAL_DNS_DOMAIN
 * (RFC 8598).  Attribute values are empty: we let the gateway choose. */
void ike_cp_build_request(gboolean ip4, gboolean ip6, IkeCpPayload *cp);

/* Parse a CFG_REPLY into `config` (cleared first).  Attributes of a wrong length are skipped
 * and counted in *n_ignored; the reply is peer input and never aborts.  FALSE with
 * FERRY_ERROR_PROTOCOL only when the payload is not a reply. */
gboolean
ike_cp_parse_reply(const IkeCpPayload *cp, IkeConfig *config, guint *n_ignored, GError **error);

/* "address 198.51.100.10/32, DNS 198.51.100.53, domain corp.example" (transfer full) */
char *ike_config_to_string(const IkeConfig *config);

G_END_DECLS
