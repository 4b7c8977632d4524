/* ike-registry.h - IANA numbers of IKEv2, one X-macro list each (GLib-free)
 *
 * Every number the code uses comes from these lists; the same list produces the
 * enum and the name printed in logs and timelines, so the two never drift.
 * Source: IANA "Internet Key Exchange Version 2 (IKEv2) Parameters" registry,
 * RFC 7296 §3, RFC 7383, RFC 7427, RFC 5998, RFC 7634, RFC 8031, RFC 9370.
 */
#pragma once

#include <stdint.h>

/* Exchange types (RFC 7296 §3.1) */
#define IKE_EXCHANGE_LIST(X)                                                                       \
	X(IKE_SA_INIT, 34)                                                                         \
	X(IKE_AUTH, 35)                                                                            \
	X(CREATE_CHILD_SA, 36)                                                                     \
	X(INFORMATIONAL, 37)

/* Payload types (RFC 7296 §3.2) */
#define IKE_PAYLOAD_LIST(X)                                                                        \
	X(NONE, 0)                                                                                 \
	X(SA, 33)                                                                                  \
	X(KE, 34)                                                                                  \
	X(IDI, 35)                                                                                 \
	X(IDR, 36)                                                                                 \
	X(CERT, 37)                                                                                \
	X(CERTREQ, 38)                                                                             \
	X(AUTH, 39)                                                                                \
	X(NONCE, 40)                                                                               \
	X(NOTIFY, 41)                                                                              \
	X(DELETE, 42)                                                                              \
	X(VENDOR, 43)                                                                              \
	X(TSI, 44)                                                                                 \
	X(TSR, 45)                                                                                 \
	X(SK, 46)                                                                                  \
	X(CP, 47)                                                                                  \
	X(EAP, 48)                                                                                 \
	X(SKF, 53)

/* Transform types (RFC 7296 §3.3.2) */
#define IKE_TRANSFORM_LIST(X)                                                                      \
	X(ENCR, 1)                                                                                 \
	X(PRF, 2)                                                                                  \
	X(INTEG, 3)                                                                                \
	X(KE, 4)                                                                                   \
	X(ESN, 5)

/* Encryption algorithms (transform type 1) */
#define IKE_ENCR_LIST(X)                                                                           \
	X(3DES, 3)                                                                                 \
	X(NULL, 11)                                                                                \
	X(AES_CBC, 12)                                                                             \
	X(AES_CTR, 13)                                                                             \
	X(AES_CCM_8, 14)                                                                           \
	X(AES_CCM_12, 15)                                                                          \
	X(AES_CCM_16, 16)                                                                          \
	X(AES_GCM_8, 18)                                                                           \
	X(AES_GCM_12, 19)                                                                          \
	X(AES_GCM_16, 20)                                                                          \
	X(NULL_AUTH_AES_GMAC, 21)                                                                  \
	X(CHACHA20_POLY1305, 28)

/* Pseudorandom functions (transform type 2) */
#define IKE_PRF_LIST(X)                                                                            \
	X(HMAC_MD5, 1)                                                                             \
	X(HMAC_SHA1, 2)                                                                            \
	X(AES128_XCBC, 4)                                                                          \
	X(HMAC_SHA2_256, 5)                                                                        \
	X(HMAC_SHA2_384, 6)                                                                        \
	X(HMAC_SHA2_512, 7)                                                                        \
	X(AES128_CMAC, 8)

/* Integrity algorithms (transform type 3) */
#define IKE_INTEG_LIST(X)                                                                          \
	X(NONE, 0)                                                                                 \
	X(HMAC_MD5_96, 1)                                                                          \
	X(HMAC_SHA1_96, 2)                                                                         \
	X(AES_XCBC_96, 5)                                                                          \
	X(HMAC_SHA2_256_128, 12)                                                                   \
	X(HMAC_SHA2_384_192, 13)                                                                   \
	X(HMAC_SHA2_512_256, 14)

/* Key exchange methods (transform type 4, formerly D-H groups) */
#define IKE_KE_LIST(X)                                                                             \
	X(NONE, 0)                                                                                 \
	X(MODP_1024, 2)                                                                            \
	X(MODP_1536, 5)                                                                            \
	X(MODP_2048, 14)                                                                           \
	X(MODP_3072, 15)                                                                           \
	X(MODP_4096, 16)                                                                           \
	X(ECP_256, 19)                                                                             \
	X(ECP_384, 20)                                                                             \
	X(ECP_521, 21)                                                                             \
	X(CURVE25519, 31)                                                                          \
	X(CURVE448, 32)

/* Extended sequence numbers (transform type 5) */
#define IKE_ESN_LIST(X)                                                                            \
	X(NO, 0)                                                                                   \
	X(YES, 1)

/* Transform attribute types (RFC 7296 §3.3.5) */
#define IKE_ATTR_LIST(X) X(KEY_LENGTH, 14)

/* Security protocol identifiers (RFC 7296 §3.3.1) */
#define IKE_PROTO_LIST(X)                                                                          \
	X(NONE, 0)                                                                                 \
	X(IKE, 1)                                                                                  \
	X(AH, 2)                                                                                   \
	X(ESP, 3)

/* Identification types (RFC 7296 §3.5) */
#define IKE_ID_LIST(X)                                                                             \
	X(IPV4_ADDR, 1)                                                                            \
	X(FQDN, 2)                                                                                 \
	X(RFC822_ADDR, 3)                                                                          \
	X(IPV6_ADDR, 5)                                                                            \
	X(DER_ASN1_DN, 9)                                                                          \
	X(DER_ASN1_GN, 10)                                                                         \
	X(KEY_ID, 11)

/* Certificate encodings (RFC 7296 §3.6) */
#define IKE_CERT_LIST(X)                                                                           \
	X(PKCS7_X509, 1)                                                                           \
	X(X509_SIGNATURE, 4)                                                                       \
	X(CRL, 7)                                                                                  \
	X(RAW_RSA_KEY, 11)                                                                         \
	X(HASH_URL_X509, 12)                                                                       \
	X(HASH_URL_BUNDLE, 13)

/* Authentication methods (RFC 7296 §3.8, RFC 7427) */
#define IKE_AUTH_LIST(X)                                                                           \
	X(RSA_SIG, 1)                                                                              \
	X(PSK, 2)                                                                                  \
	X(DSS_SIG, 3)                                                                              \
	X(ECDSA_SHA256_P256, 9)                                                                    \
	X(ECDSA_SHA384_P384, 10)                                                                   \
	X(ECDSA_SHA512_P521, 11)                                                                   \
	X(GENERIC_SECURE_PASSWORD, 12)                                                             \
	X(NULL_AUTH, 13)                                                                           \
	X(DIGITAL_SIGNATURE, 14)

/* Traffic selector types (RFC 7296 §3.13.1) */
#define IKE_TS_LIST(X)                                                                             \
	X(IPV4_ADDR_RANGE, 7)                                                                      \
	X(IPV6_ADDR_RANGE, 8)

/* Configuration payload types and attributes (RFC 7296 §3.15, RFC 8598) */
#define IKE_CFG_LIST(X)                                                                            \
	X(REQUEST, 1)                                                                              \
	X(REPLY, 2)                                                                                \
	X(SET, 3)                                                                                  \
	X(ACK, 4)

#define IKE_CP_ATTR_LIST(X)                                                                        \
	X(INTERNAL_IP4_ADDRESS, 1)                                                                 \
	X(INTERNAL_IP4_NETMASK, 2)                                                                 \
	X(INTERNAL_IP4_DNS, 3)                                                                     \
	X(INTERNAL_IP4_NBNS, 4)                                                                    \
	X(INTERNAL_IP4_DHCP, 6)                                                                    \
	X(APPLICATION_VERSION, 7)                                                                  \
	X(INTERNAL_IP6_ADDRESS, 8)                                                                 \
	X(INTERNAL_IP6_DNS, 10)                                                                    \
	X(INTERNAL_IP6_DHCP, 12)                                                                   \
	X(INTERNAL_IP4_SUBNET, 13)                                                                 \
	X(SUPPORTED_ATTRIBUTES, 14)                                                                \
	X(INTERNAL_IP6_SUBNET, 15)                                                                 \
	X(INTERNAL_DNS_DOMAIN, 25)                                                                 \
	X(INTERNAL_DNSSEC_TA, 26)                                                                  \
	X(UNITY_DEF_DOMAIN, 28674)                                                                 \
	X(UNITY_SPLITDNS_NAME, 28675)

/* Notify message types (RFC 7296 §3.10.1 and later RFCs).  Errors are < 16384. */
#define IKE_NOTIFY_LIST(X)                                                                         \
	X(UNSUPPORTED_CRITICAL_PAYLOAD, 1)                                                         \
	X(INVALID_IKE_SPI, 4)                                                                      \
	X(INVALID_MAJOR_VERSION, 5)                                                                \
	X(INVALID_SYNTAX, 7)                                                                       \
	X(INVALID_MESSAGE_ID, 9)                                                                   \
	X(INVALID_SPI, 11)                                                                         \
	X(NO_PROPOSAL_CHOSEN, 14)                                                                  \
	X(INVALID_KE_PAYLOAD, 17)                                                                  \
	X(AUTHENTICATION_FAILED, 24)                                                               \
	X(SINGLE_PAIR_REQUIRED, 34)                                                                \
	X(NO_ADDITIONAL_SAS, 35)                                                                   \
	X(INTERNAL_ADDRESS_FAILURE, 36)                                                            \
	X(FAILED_CP_REQUIRED, 37)                                                                  \
	X(TS_UNACCEPTABLE, 38)                                                                     \
	X(INVALID_SELECTORS, 39)                                                                   \
	X(TEMPORARY_FAILURE, 43)                                                                   \
	X(CHILD_SA_NOT_FOUND, 44)                                                                  \
	X(INITIAL_CONTACT, 16384)                                                                  \
	X(SET_WINDOW_SIZE, 16385)                                                                  \
	X(ADDITIONAL_TS_POSSIBLE, 16386)                                                           \
	X(IPCOMP_SUPPORTED, 16387)                                                                 \
	X(NAT_DETECTION_SOURCE_IP, 16388)                                                          \
	X(NAT_DETECTION_DESTINATION_IP, 16389)                                                     \
	X(COOKIE, 16390)                                                                           \
	X(USE_TRANSPORT_MODE, 16391)                                                               \
	X(HTTP_CERT_LOOKUP_SUPPORTED, 16392)                                                       \
	X(REKEY_SA, 16393)                                                                         \
	X(ESP_TFC_PADDING_NOT_SUPPORTED, 16394)                                                    \
	X(NON_FIRST_FRAGMENTS_ALSO, 16395)                                                         \
	X(MOBIKE_SUPPORTED, 16396)                                                                 \
	X(ADDITIONAL_IP4_ADDRESS, 16397)                                                           \
	X(ADDITIONAL_IP6_ADDRESS, 16398)                                                           \
	X(NO_ADDITIONAL_ADDRESSES, 16399)                                                          \
	X(UPDATE_SA_ADDRESSES, 16400)                                                              \
	X(COOKIE2, 16401)                                                                          \
	X(NO_NATS_ALLOWED, 16402)                                                                  \
	X(AUTH_LIFETIME, 16403)                                                                    \
	X(MULTIPLE_AUTH_SUPPORTED, 16404)                                                          \
	X(ANOTHER_AUTH_FOLLOWS, 16405)                                                             \
	X(REDIRECT_SUPPORTED, 16406)                                                               \
	X(REDIRECT, 16407)                                                                         \
	X(REDIRECTED_FROM, 16408)                                                                  \
	X(EAP_ONLY_AUTHENTICATION, 16417)                                                          \
	X(CHILDLESS_IKEV2_SUPPORTED, 16418)                                                        \
	X(IKEV2_MESSAGE_ID_SYNC_SUPPORTED, 16420)                                                  \
	X(IKEV2_FRAGMENTATION_SUPPORTED, 16430)                                                    \
	X(SIGNATURE_HASH_ALGORITHMS, 16431)

/* Hash algorithms for SIGNATURE_HASH_ALGORITHMS (RFC 7427 §7) */
#define IKE_HASH_LIST(X)                                                                           \
	X(SHA1, 1)                                                                                 \
	X(SHA2_256, 2)                                                                             \
	X(SHA2_384, 3)                                                                             \
	X(SHA2_512, 4)                                                                             \
	X(IDENTITY, 5)


#define IKE_ENUM_IKE_EXCHANGE(n, v)  IKE_EXCHANGE_##n = v,
#define IKE_ENUM_IKE_PAYLOAD(n, v)   IKE_PAYLOAD_##n = v,
#define IKE_ENUM_IKE_TRANSFORM(n, v) IKE_TRANSFORM_##n = v,
#define IKE_ENUM_IKE_ENCR(n, v)      IKE_ENCR_##n = v,
#define IKE_ENUM_IKE_PRF(n, v)       IKE_PRF_##n = v,
#define IKE_ENUM_IKE_INTEG(n, v)     IKE_INTEG_##n = v,
#define IKE_ENUM_IKE_KE(n, v)        IKE_KE_##n = v,
#define IKE_ENUM_IKE_ESN(n, v)       IKE_ESN_##n = v,
#define IKE_ENUM_IKE_ATTR(n, v)      IKE_ATTR_##n = v,
#define IKE_ENUM_IKE_PROTO(n, v)     IKE_PROTO_##n = v,
#define IKE_ENUM_IKE_ID(n, v)        IKE_ID_##n = v,
#define IKE_ENUM_IKE_CERT(n, v)      IKE_CERT_##n = v,
#define IKE_ENUM_IKE_AUTH(n, v)      IKE_AUTH_##n = v,
#define IKE_ENUM_IKE_TS(n, v)        IKE_TS_##n = v,
#define IKE_ENUM_IKE_CFG(n, v)       IKE_CFG_##n = v,
#define IKE_ENUM_IKE_CP_ATTR(n, v)   IKE_CP_ATTR_##n = v,
#define IKE_ENUM_IKE_NOTIFY(n, v)    IKE_NOTIFY_##n = v,
#define IKE_ENUM_IKE_HASH(n, v)      IKE_HASH_##n = v,

/* Each declares `typedef enum {...} Type;` and `const char *ike_xxx_name(unsigned)`,
 * which returns the IANA name ("AES_GCM_16") or NULL for a number not in the list. */
typedef enum { IKE_EXCHANGE_LIST(IKE_ENUM_IKE_EXCHANGE) } IkeExchangeType;
typedef enum { IKE_PAYLOAD_LIST(IKE_ENUM_IKE_PAYLOAD) } IkePayloadType;
typedef enum { IKE_TRANSFORM_LIST(IKE_ENUM_IKE_TRANSFORM) } IkeTransformType;
typedef enum { IKE_ENCR_LIST(IKE_ENUM_IKE_ENCR) } IkeEncr;
typedef enum { IKE_PRF_LIST(IKE_ENUM_IKE_PRF) } IkePrf;
typedef enum { IKE_INTEG_LIST(IKE_ENUM_IKE_INTEG) } IkeInteg;
typedef enum { IKE_KE_LIST(IKE_ENUM_IKE_KE) } IkeKe;
typedef enum { IKE_ESN_LIST(IKE_ENUM_IKE_ESN) } IkeEsn;
typedef enum { IKE_ATTR_LIST(IKE_ENUM_IKE_ATTR) } IkeAttrType;
typedef enum { IKE_PROTO_LIST(IKE_ENUM_IKE_PROTO) } IkeProto;
typedef enum { IKE_ID_LIST(IKE_ENUM_IKE_ID) } IkeIdType;
typedef enum { IKE_CERT_LIST(IKE_ENUM_IKE_CERT) } IkeCertEncoding;
typedef enum { IKE_AUTH_LIST(IKE_ENUM_IKE_AUTH) } IkeAuthMethod;
typedef enum { IKE_TS_LIST(IKE_ENUM_IKE_TS) } IkeTsType;
typedef enum { IKE_CFG_LIST(IKE_ENUM_IKE_CFG) } IkeCfgType;
typedef enum { IKE_CP_ATTR_LIST(IKE_ENUM_IKE_CP_ATTR) } IkeCpAttrType;
typedef enum { IKE_NOTIFY_LIST(IKE_ENUM_IKE_NOTIFY) } IkeNotifyType;
typedef enum { IKE_HASH_LIST(IKE_ENUM_IKE_HASH) } IkeHashAlg;

const char *ike_exchange_name(unsigned v);
const char *ike_payload_name(unsigned v);
const char *ike_transform_name(unsigned v);
const char *ike_encr_name(unsigned v);
const char *ike_prf_name(unsigned v);
const char *ike_integ_name(unsigned v);
const char *ike_ke_name(unsigned v);
const char *ike_esn_name(unsigned v);
const char *ike_proto_name(unsigned v);
const char *ike_id_name(unsigned v);
const char *ike_cert_name(unsigned v);
const char *ike_auth_name(unsigned v);
const char *ike_ts_name(unsigned v);
const char *ike_cfg_name(unsigned v);
const char *ike_cp_attr_name(unsigned v);
const char *ike_notify_name(unsigned v);
const char *ike_hash_name(unsigned v);
/* Name of a transform ID of the given transform type (ENCR, PRF, ...). */
const char *ike_transform_id_name(unsigned type, unsigned id);

/* Notify types below this are errors (RFC 7296 §3.10.1). */
#define IKE_NOTIFY_ERROR_MAX 16383
