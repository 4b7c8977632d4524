/* crypto-eap.h - EAP packets (RFC 3748 §4-5), EAP-MSCHAPv2 packets (draft-kamath-pppext-eap-
 * mschapv2-02 §2, RFC 2759 §4-6) and the EAP peer an IKEv2 initiator runs (RFC 7296 §2.16)
 * (GLib-free, bounds-checked: every packet here comes from the gateway)
 *
 * IKE_AUTH wiring: each EAP payload's data goes to crypto_eap_peer_process(), whose reply goes
 * into the next IKE_AUTH request's EAP payload.  On CRYPTO_EAP_PEER_SUCCESS (EAP-Success after
 * a verified MS-CHAPv2 authenticator response, or after an EAP-TLS handshake with a verified
 * server certificate), crypto_eap_peer_get_msk() is the key for both final AUTH payloads
 * (crypto_auth_psk() with the MSK as the shared key, RFC 7296 §2.16).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto-cert.h"
#include "crypto-eap-mschapv2.h"
#include "ferry-secret.h"
#include "ferry-span.h"

/* RFC 3748 §4: codes; §5: method types we know. */
#define CRYPTO_EAP_CODE_REQUEST  1
#define CRYPTO_EAP_CODE_RESPONSE 2
#define CRYPTO_EAP_CODE_SUCCESS  3
#define CRYPTO_EAP_CODE_FAILURE  4

#define CRYPTO_EAP_TYPE_IDENTITY     1
#define CRYPTO_EAP_TYPE_NOTIFICATION 2
#define CRYPTO_EAP_TYPE_NAK          3
#define CRYPTO_EAP_TYPE_TLS          13
#define CRYPTO_EAP_TYPE_MSCHAPV2     26
#define CRYPTO_EAP_TYPE_EXPANDED     254

/* MS-CHAPv2 OpCodes */
#define CRYPTO_MSCHAPV2_OP_CHALLENGE 1
#define CRYPTO_MSCHAPV2_OP_RESPONSE  2
#define CRYPTO_MSCHAPV2_OP_SUCCESS   3
#define CRYPTO_MSCHAPV2_OP_FAILURE   4

#define CRYPTO_EAP_HEADER_LEN   4
#define CRYPTO_EAP_IDENTITY_MAX 253  /* octets of a user name we send */
#define CRYPTO_EAP_TLS_FRAGMENT 1000 /* TLS octets per EAP-TLS packet we send */
/* Largest response: an EAP-TLS fragment with flags and length (more than MS-CHAPv2 needs). */
#define CRYPTO_EAP_RESPONSE_MAX (CRYPTO_EAP_HEADER_LEN + 1 + 1 + 4 + CRYPTO_EAP_TLS_FRAGMENT)

typedef enum {
	CRYPTO_EAP_OK = 0,
	CRYPTO_EAP_ERR_TRUNCATED, /* fewer octets than a header or than the Length field says */
	CRYPTO_EAP_ERR_LENGTH,    /* a Length field that disagrees with the data */
	CRYPTO_EAP_ERR_FORMAT,    /* a field with a value the format forbids */
	CRYPTO_EAP_ERR_SPACE,     /* output buffer too small, or an argument too long */
} CryptoEapStatus;

const char *crypto_eap_status_to_string(CryptoEapStatus st);

/* A decoded EAP packet; `data` borrows from the input (Type-Data, after the Type octet). */
typedef struct {
	uint8_t code;
	uint8_t id;
	uint8_t type; /* 0 for Success and Failure */
	FerrySpan data;
} CryptoEapPacket;

/* RFC 3748 §4: octets past Length are padding and ignored; Request/Response need a Type;
 * Success/Failure have Length 4. */
CryptoEapStatus crypto_eap_decode(const uint8_t *buf, size_t len, CryptoEapPacket *out);
/* Code, Identifier, Type and data -> out; Success/Failure take no type (pass 0, no data). */
CryptoEapStatus crypto_eap_encode(uint8_t code,
                                  uint8_t id,
                                  uint8_t type,
                                  const uint8_t *data,
                                  size_t data_len,
                                  uint8_t *out,
                                  size_t cap,
                                  size_t *out_len);

/* An MS-CHAPv2 packet from the authenticator (EAP Request, type 26). */
typedef struct {
	uint8_t op_code;
	uint8_t ms_id;
	uint8_t challenge[CRYPTO_MSCHAPV2_CHALLENGE_LEN]; /* Challenge */
	FerrySpan name;                                   /* Challenge: authenticator's name */
	FerrySpan message;                                /* Success / Failure: the text */
} CryptoMschapv2Request;

CryptoEapStatus crypto_eap_mschapv2_decode_request(FerrySpan type_data, CryptoMschapv2Request *out);

/* The Failure text "E=691 R=0 C=... V=3 M=..." (RFC 2759 §6): its error code (0 if absent),
 * whether a retry is allowed, and the M= message (empty if absent). */
typedef struct {
	unsigned error;
	bool retry;
	FerrySpan message;
} CryptoMschapv2Failure;

void crypto_eap_mschapv2_parse_failure(FerrySpan text, CryptoMschapv2Failure *out);
/* Human text for an MS-CHAPv2 error code (RFC 2759 §6): 691 -> "wrong user name or password". */
const char *crypto_mschapv2_error_to_string(unsigned error);

/* ---- the peer ------------------------------------------------------------------------------ */

typedef enum {
	CRYPTO_EAP_PEER_CONTINUE,       /* send the response, wait for the next request */
	CRYPTO_EAP_PEER_SUCCESS,        /* EAP-Success after mutual authentication: MSK ready */
	CRYPTO_EAP_PEER_WRONG_PASSWORD, /* MS-CHAPv2 Failure E=691 */
	CRYPTO_EAP_PEER_REJECTED,       /* other MS-CHAPv2 Failure, or EAP-Failure */
	CRYPTO_EAP_PEER_BAD_SERVER,     /* the gateway did not authenticate itself */
	CRYPTO_EAP_PEER_UNSUPPORTED,    /* gateway insists on a method we do not have (Nak sent) */
	CRYPTO_EAP_PEER_MALFORMED,      /* undecodable or unexpected packet: drop it */
} CryptoEapPeerResult;

const char *crypto_eap_peer_result_to_string(CryptoEapPeerResult result);

typedef struct CryptoEapPeer CryptoEapPeer;

/* A peer answering Identity with `identity` and MS-CHAPv2 as `user_name` with `password`
 * (copied).  NULL when memory is exhausted or a name is longer than CRYPTO_EAP_IDENTITY_MAX. */
CryptoEapPeer *
crypto_eap_peer_new(const char *identity, const char *user_name, const FerrySecret *password);
/* A peer answering Identity with `identity` and doing EAP-TLS (RFC 5216) with `cred`; the
 * gateway's TLS certificate must chain to `trust` and name `server_name` (NULL: chain only).
 * `cred` and `trust` are borrowed and must outlive the peer. */
CryptoEapPeer *crypto_eap_peer_new_tls(const char *identity,
                                       const CryptoCredential *cred,
                                       const CryptoTrust *trust,
                                       const char *server_name);
void crypto_eap_peer_free(CryptoEapPeer *peer);

/* Handles one EAP packet from the gateway.  When *out_len > 0 on return, out holds the EAP
 * Response to send (cap >= CRYPTO_EAP_RESPONSE_MAX is always enough).  `text`/`text_cap`
 * (nullable) receive a message for the user on failure (the gateway's M= text, the error). */
CryptoEapPeerResult crypto_eap_peer_process(CryptoEapPeer *peer,
                                            const uint8_t *packet,
                                            size_t len,
                                            uint8_t *out,
                                            size_t cap,
                                            size_t *out_len,
                                            char *text,
                                            size_t text_cap);

/* (transfer none) The MSK after CRYPTO_EAP_PEER_SUCCESS (64 octets for MS-CHAPv2 and
 * EAP-TLS), else NULL. */
const FerrySecret *crypto_eap_peer_get_msk(const CryptoEapPeer *peer);
