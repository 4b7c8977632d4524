/* ferry-error.h - the FERRY_ERROR domain and its codes */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FERRY_ERROR (ferry_error_quark())

typedef enum {
	FERRY_ERROR_CONFIG,          /* bad profile or secret file: message names the key */
	FERRY_ERROR_RESOLVE,         /* gateway name did not resolve */
	FERRY_ERROR_TIMEOUT,         /* gateway did not answer within the retransmission budget */
	FERRY_ERROR_NO_PROPOSAL,     /* no common proposal: message shows both sides' offers */
	FERRY_ERROR_AUTH_FAILED,     /* the gateway rejected our authentication */
	FERRY_ERROR_PEER_AUTH,       /* we rejected the gateway's authentication */
	FERRY_ERROR_PEER_NOTIFY,     /* the gateway sent another error notify or deleted the SA */
	FERRY_ERROR_TS_UNACCEPTABLE, /* traffic selectors refused */
	FERRY_ERROR_CERT,            /* certificate problem */
	FERRY_ERROR_IO,              /* local system error (TUN, socket, routes) */
	FERRY_ERROR_CANCELLED,       /* the user interrupted */
	FERRY_ERROR_PROTOCOL,        /* the gateway broke the protocol */
} FerryErrorCode;

GQuark ferry_error_quark(void);

G_END_DECLS
