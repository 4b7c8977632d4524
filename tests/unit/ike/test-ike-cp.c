/* test-ike-cp.c - configuration payload request and reply (RFC 7296 §3.15, RFC 8598) */
#include <string.h>

#include "ferry-error.h"
#include "ike-cp.h"

static void
test_request(void)
{
	IkeCpPayload cp;

	ike_cp_build_request(TRUE, FALSE, &cp);
	g_assert_cmpuint(cp.cfg_type, ==, IKE_CFG_REQUEST);
	g_assert_cmpuint(cp.n_attrs, ==, 3);
	g_assert_cmpuint(cp.attrs[0].type, ==, IKE_CP_ATTR_INTERNAL_IP4_ADDRESS);
	g_assert_cmpuint(cp.attrs[1].type, ==, IKE_CP_ATTR_INTERNAL_IP4_DNS);
	g_assert_cmpuint(cp.attrs[2].type, ==, IKE_CP_ATTR_INTERNAL_DNS_DOMAIN);
	for (guint i = 0; i < cp.n_attrs; i++)
		g_assert_cmpuint(cp.attrs[i].value.len, ==, 0);
	ike_cp_build_request(TRUE, TRUE, &cp);
	g_assert_cmpuint(cp.n_attrs, ==, 5);
	g_assert_cmpuint(cp.attrs[2].type, ==, IKE_CP_ATTR_INTERNAL_IP6_ADDRESS);
	g_assert_cmpuint(cp.attrs[3].type, ==, IKE_CP_ATTR_INTERNAL_IP6_DNS);
	ike_cp_build_request(FALSE, TRUE, &cp);
	g_assert_cmpuint(cp.n_attrs, ==, 3);
	g_assert_cmpuint(cp.attrs[0].type, ==, IKE_CP_ATTR_INTERNAL_IP6_ADDRESS);
}

#define ATTR(t, ...)                                                                               \
	((IkeCpAttr){IKE_CP_ATTR_##t, FERRY_SPAN(((const uint8_t[]){__VA_ARGS__}),                 \
	                                         sizeof((const uint8_t[]){__VA_ARGS__}))})
#define ATTR_S(t, s) ((IkeCpAttr){IKE_CP_ATTR_##t, FERRY_SPAN(s, strlen(s))})

static void
test_reply(void)
{
	IkeCpPayload cp = {.cfg_type = IKE_CFG_REPLY};
	IkeConfig c = {0};
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	guint ignored = 99;
	guint n = 0;

	cp.attrs[n++] = ATTR(INTERNAL_IP4_ADDRESS, 198, 51, 100, 77);
	cp.attrs[n++] = ATTR(INTERNAL_IP4_ADDRESS, 198, 51, 100, 78); /* a second: ignored */
	cp.attrs[n++] = ATTR(INTERNAL_IP4_NETMASK, 255, 255, 255, 0);
	cp.attrs[n++] = ATTR(INTERNAL_IP4_DNS, 198, 51, 100, 53);
	cp.attrs[n++] = ATTR(INTERNAL_IP4_DNS, 198, 51, 100, 53); /* duplicate */
	cp.attrs[n++] = ATTR(INTERNAL_IP6_ADDRESS, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
	                     0, 0, 0, 0x77, 64);
	cp.attrs[n++] = ATTR(INTERNAL_IP6_DNS, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	                     0, 0x53);
	cp.attrs[n++] = ATTR(INTERNAL_IP4_SUBNET, 10, 0, 0, 0, 255, 0, 0, 0);
	cp.attrs[n++] = ATTR(INTERNAL_IP6_SUBNET, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0,
	                     0, 0, 0, 48);
	cp.attrs[n++] = ATTR_S(INTERNAL_DNS_DOMAIN, "corp.example");
	cp.attrs[n++] = ATTR_S(UNITY_SPLITDNS_NAME, "a.example b.example,corp.example");
	cp.attrs[n++] = ATTR(APPLICATION_VERSION, 'x'); /* not asked for: skipped silently */
	/* malformed: wrong lengths, a domain with a space or a NUL */
	cp.attrs[n++] = ATTR(INTERNAL_IP4_DNS, 1, 2, 3);
	cp.attrs[n++] = ATTR(INTERNAL_IP6_ADDRESS, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
	                     0, 0, 0, 0x77, 129);
	cp.attrs[n++] = ATTR_S(INTERNAL_DNS_DOMAIN, "bad domain");
	cp.attrs[n++] = ATTR(INTERNAL_DNS_DOMAIN, 'a', 0, 'b');
	cp.n_attrs = (uint8_t)n;

	g_assert_true(ike_cp_parse_reply(&cp, &c, &ignored, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(ignored, ==, 4);
	g_assert_true(c.has_ip4);
	g_assert_cmpmem(c.ip4, 4, ((uint8_t[]){198, 51, 100, 77}), 4);
	g_assert_cmpuint(c.ip4_prefix, ==, 24);
	g_assert_true(c.has_ip6);
	g_assert_cmpuint(c.ip6_prefix, ==, 64);
	g_assert_cmpuint(c.dns->len, ==, 2);
	g_assert_cmpstr(c.dns->pdata[0], ==, "198.51.100.53");
	g_assert_cmpstr(c.dns->pdata[1], ==, "2001:db8::53");
	g_assert_cmpuint(c.domains->len, ==, 3);
	g_assert_cmpstr(c.domains->pdata[0], ==, "corp.example");
	g_assert_cmpstr(c.domains->pdata[1], ==, "a.example");
	g_assert_cmpstr(c.domains->pdata[2], ==, "b.example");
	g_assert_cmpuint(c.subnets->len, ==, 2);
	g_assert_cmpstr(c.subnets->pdata[0], ==, "10.0.0.0/8");
	g_assert_cmpstr(c.subnets->pdata[1], ==, "2001:db8:1::/48");
	text = ike_config_to_string(&c);
	g_assert_cmpstr(text, ==,
	                "address 198.51.100.77/24, address 2001:db8::77/64, "
	                "DNS 198.51.100.53 2001:db8::53, domain corp.example a.example b.example, "
	                "subnet 10.0.0.0/8 2001:db8:1::/48");
	ike_config_clear(&c);
	g_assert_null(c.dns);
}

static void
test_reply_minimal(void)
{
	/* What strongSwan sends: address and DNS, no netmask (reference notes). */
	IkeCpPayload cp = {.cfg_type = IKE_CFG_REPLY, .n_attrs = 2};
	IkeConfig c = {0};
	g_autofree char *text = NULL;

	cp.attrs[0] = ATTR(INTERNAL_IP4_ADDRESS, 198, 51, 100, 1);
	cp.attrs[1] = ATTR(INTERNAL_IP4_DNS, 198, 51, 100, 53);
	g_assert_true(ike_cp_parse_reply(&cp, &c, NULL, NULL));
	g_assert_cmpuint(c.ip4_prefix, ==, 32);
	g_assert_false(c.has_ip6);
	text = ike_config_to_string(&c);
	g_assert_cmpstr(text, ==, "address 198.51.100.1/32, DNS 198.51.100.53");
	ike_config_clear(&c);
}

static void
test_not_a_reply(void)
{
	IkeCpPayload cp = {.cfg_type = IKE_CFG_SET};
	IkeConfig c = {0};
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;

	g_assert_false(ike_cp_parse_reply(&cp, &c, NULL, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
	text = ike_config_to_string(&c);
	g_assert_cmpstr(text, ==, "no attributes");
	ike_config_clear(&c);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/ike/cp/request", test_request);
	g_test_add_func("/ferry/ike/cp/reply", test_reply);
	g_test_add_func("/ferry/ike/cp/reply-minimal", test_reply_minimal);
	g_test_add_func("/ferry/ike/cp/not-a-reply", test_not_a_reply);
	return g_test_run();
}
