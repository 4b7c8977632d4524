/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-ike-message.h - the fixed SK key shared by the harness and its seed generator */
#pragma once

#include <stdint.h>

#include "crypto-xform.h"
#include "ike-registry.h"

/* AES-GCM-16-256: 32 key bytes and the 4-byte salt (RFC 5282 §7.1) */
#define FUZZ_IKE_ALG                                                                               \
	{                                                                                          \
		IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE                                           \
	}

static const uint8_t fuzz_ike_enc_key[36] = {
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb,
	0xfc, 0xfd, 0xfe, 0xff, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7,
	0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef, 0x0f, 0x1e, 0x2d, 0x3c,
};
