/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ike-payloads.h - the descriptor tables of ike-payloads.c, for ike-message.c and ike-sk.c */
#pragma once

#include <stdint.h>

#include "ferry-span.h"
#include "ike-field.h"

/* The generic payload header (RFC 7296 §3.2) with the body it frames. */
typedef struct {
	uint8_t next_payload;
	uint8_t flags; /* IKE_PAYLOAD_CRITICAL; the other bits are reserved */
	FerrySpan body;
} IkeGenericHeader;

extern const IkeStruct ike_header_struct;         /* IkeHeader */
extern const IkeStruct ike_generic_header_struct; /* IkeGenericHeader */

/* The body table of a payload type, or NULL for a type this codec does not know. */
const IkeStruct *ike_payload_struct(uint8_t type);
