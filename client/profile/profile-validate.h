/* profile-validate.h - syntax checks shared by validation and the importers */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A DNS host name (RFC 1123 §2.1 letters, digits, '-', plus '_'), optionally ending in '.'. */
gboolean profile_is_dns_name(const char *s);
/* An IPv4 or IPv6 literal. */
gboolean profile_is_ip_address(const char *s);
/* "address/prefix" (host bits ignored) or "first-last" of one family; the outputs (may be
 * NULL) receive the first and last address covered. */
gboolean profile_parse_subnet(const char *s, GInetAddress **first, GInetAddress **last);

G_END_DECLS
