/* ike-registry.c - names for the IANA numbers listed in ike-registry.h */
#include <stddef.h>

#include "ike-registry.h"

#define NAME_CASE(n, v)                                                                            \
	case v:                                                                                    \
		return #n;

#define DEFINE_NAME_FUNC(func, LIST)                                                               \
	const char *func(unsigned v)                                                               \
	{                                                                                          \
		switch (v) {                                                                       \
			LIST(NAME_CASE)                                                            \
		default:                                                                           \
			return NULL;                                                               \
		}                                                                                  \
	}

DEFINE_NAME_FUNC(ike_exchange_name, IKE_EXCHANGE_LIST)
DEFINE_NAME_FUNC(ike_payload_name, IKE_PAYLOAD_LIST)
DEFINE_NAME_FUNC(ike_transform_name, IKE_TRANSFORM_LIST)
DEFINE_NAME_FUNC(ike_encr_name, IKE_ENCR_LIST)
DEFINE_NAME_FUNC(ike_prf_name, IKE_PRF_LIST)
DEFINE_NAME_FUNC(ike_integ_name, IKE_INTEG_LIST)
DEFINE_NAME_FUNC(ike_ke_name, IKE_KE_LIST)
DEFINE_NAME_FUNC(ike_esn_name, IKE_ESN_LIST)
DEFINE_NAME_FUNC(ike_proto_name, IKE_PROTO_LIST)
DEFINE_NAME_FUNC(ike_id_name, IKE_ID_LIST)
DEFINE_NAME_FUNC(ike_cert_name, IKE_CERT_LIST)
DEFINE_NAME_FUNC(ike_auth_name, IKE_AUTH_LIST)
DEFINE_NAME_FUNC(ike_ts_name, IKE_TS_LIST)
DEFINE_NAME_FUNC(ike_cfg_name, IKE_CFG_LIST)
DEFINE_NAME_FUNC(ike_cp_attr_name, IKE_CP_ATTR_LIST)
DEFINE_NAME_FUNC(ike_notify_name, IKE_NOTIFY_LIST)
DEFINE_NAME_FUNC(ike_hash_name, IKE_HASH_LIST)

const char *
ike_transform_id_name(unsigned type, unsigned id)
{
	switch (type) {
	case IKE_TRANSFORM_ENCR:
		return ike_encr_name(id);
	case IKE_TRANSFORM_PRF:
		return ike_prf_name(id);
	case IKE_TRANSFORM_INTEG:
		return ike_integ_name(id);
	case IKE_TRANSFORM_KE:
		return ike_ke_name(id);
	case IKE_TRANSFORM_ESN:
		return ike_esn_name(id);
	default:
		return NULL;
	}
}
