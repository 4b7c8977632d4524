/* esp-sa.c - lifecycle, counters and lifetimes of one datapath SA (RFC 4301 §4.4.2.1) */
#include <stdlib.h>

#include "esp-ah.h"
#include "esp-ip.h"
#include "esp-sa-private.h"

const char *
esp_status_to_string(EspStatus st)
{
	switch (st) {
	case ESP_OK:
		return "ok";
	case ESP_ERR_TRUNCATED:
		return "truncated";
	case ESP_ERR_SPI:
		return "unknown SPI";
	case ESP_ERR_REPLAY:
		return "replayed";
	case ESP_ERR_INTEGRITY:
		return "integrity check failed";
	case ESP_ERR_PADDING:
		return "bad padding";
	case ESP_ERR_NEXT_HEADER:
		return "bad next header";
	case ESP_ERR_LENGTH:
		return "bad length";
	case ESP_ERR_SEQ_EXHAUSTED:
		return "sequence numbers exhausted";
	case ESP_ERR_LIFETIME:
		return "hard lifetime reached";
	case ESP_ERR_CRYPTO:
		return "crypto failure";
	case ESP_ERR_UNSUPPORTED:
		return "unsupported";
	case ESP_ERR_NOMEM:
		return "out of memory";
	case ESP_ERR_IP_HEADER:
		return "IP header not protectable";
	case ESP_STATUS_COUNT:
		break;
	}
	return "unknown";
}

static bool
is_family(uint8_t family)
{
	return family == 4 || family == 6;
}

/* RFC 4302 §2.6: AH carries only an integrity algorithm.  It protects the carrier's header,
 * which in tunnel mode we write ourselves, so the endpoints must be known (RFC 4301
 * §5.1.2.1); inbound they bind the SA to its peer.  RFC 3948 has no UDP encapsulation for
 * AH: the carrier is IP protocol 51. */
static EspStatus
check_ah_params(const EspSaParams *p)
{
	if ((p->enc_key && p->enc_key->len != 0) || !p->integ_key ||
	    p->alg.encr_id != CRYPTO_XFORM_ENCR_NONE)
		return ESP_ERR_UNSUPPORTED;
	if (!is_family(p->src.family) || p->src.family != p->dst.family)
		return ESP_ERR_UNSUPPORTED;
	return ESP_OK;
}

static EspStatus
check_params(const EspSaParams *p)
{
	if (p->proto != ESP_PROTO_ESP && p->proto != ESP_PROTO_AH)
		return ESP_ERR_UNSUPPORTED;
	if (p->mode != ESP_MODE_TUNNEL && p->mode != ESP_MODE_TRANSPORT)
		return ESP_ERR_UNSUPPORTED;
	if (p->dir != ESP_DIR_IN && p->dir != ESP_DIR_OUT)
		return ESP_ERR_UNSUPPORTED;
	/* RFC 4303 §2.1: 0 is reserved for local use and never on the wire. */
	if (p->spi == 0)
		return ESP_ERR_SPI;
	if (p->proto == ESP_PROTO_AH)
		return check_ah_params(p);
	if (!p->enc_key)
		return ESP_ERR_CRYPTO;
	return ESP_OK;
}

static EspStatus
status_from_crypto(CryptoStatus st)
{
	switch (st) {
	case CRYPTO_OK:
		return ESP_OK;
	case CRYPTO_ERR_UNSUPPORTED:
		return ESP_ERR_UNSUPPORTED;
	case CRYPTO_ERR_NOMEM:
		return ESP_ERR_NOMEM;
	case CRYPTO_ERR_AUTH:
		return ESP_ERR_INTEGRITY;
	case CRYPTO_ERR_LENGTH:
		return ESP_ERR_LENGTH;
	case CRYPTO_ERR_KEY_LENGTH:
	case CRYPTO_ERR_INVALID_PEER:
	case CRYPTO_ERR_BACKEND:
		break;
	}
	return ESP_ERR_CRYPTO;
}

EspStatus
esp_sa_new(const EspSaParams *params, EspSa **out)
{
	const FerrySecret *enc = params->enc_key, *integ = params->integ_key;
	EspSa *sa;
	CryptoStatus cst;
	EspStatus st;

	*out = NULL;
	st = check_params(params);
	if (st != ESP_OK)
		return st;
	sa = calloc(1, sizeof(*sa));
	if (!sa)
		return ESP_ERR_NOMEM;
	sa->proto = params->proto;
	sa->mode = params->mode;
	sa->dir = params->dir;
	sa->spi = params->spi;
	sa->esn = params->esn;
	sa->soft_bytes = params->soft_bytes;
	sa->hard_bytes = params->hard_bytes;
	sa->soft_packets = params->soft_packets;
	sa->hard_packets = params->hard_packets;
	sa->src = params->src;
	sa->dst = params->dst;
	cst = crypto_xform_new(&params->alg, enc ? enc->data : NULL, enc ? enc->len : 0,
	                       integ ? integ->data : NULL, integ ? integ->len : 0, &sa->xform);
	if (cst != CRYPTO_OK) {
		free(sa);
		return status_from_crypto(cst);
	}
	sa->sizes = *crypto_xform_get_sizes(sa->xform);
	sa->align = sa->sizes.block_size > ESP_ALIGN ? sa->sizes.block_size : ESP_ALIGN;
	/* Our padding scheme needs the alignment to be a multiple of the block size. */
	if (sa->sizes.block_size == 0 || sa->align % sa->sizes.block_size != 0 || sa->align > 256) {
		esp_sa_free(sa);
		return ESP_ERR_UNSUPPORTED;
	}
	esp_replay_init(&sa->replay, params->replay_window, params->esn);
	*out = sa;
	return ESP_OK;
}

void
esp_sa_free(EspSa *sa)
{
	if (!sa)
		return;
	crypto_xform_free(sa->xform);
	free(sa);
}

uint32_t
esp_sa_get_spi(const EspSa *sa)
{
	return sa->spi;
}

const EspSaStats *
esp_sa_get_stats(const EspSa *sa)
{
	return &sa->stats;
}

bool
esp_sa_soft_expired(const EspSa *sa)
{
	return __atomic_load_n(&sa->soft_expired, __ATOMIC_RELAXED);
}

size_t
esp_sa_headroom(const EspSa *sa)
{
	if (sa->proto == ESP_PROTO_AH)
		return esp_ah_header_len(sa, 6) +
		       (sa->mode == ESP_MODE_TUNNEL ? ESP_IPV6_HEADER_LEN : 0);
	return ESP_HEADER_LEN + sa->sizes.iv_len;
}

size_t
esp_sa_tailroom(const EspSa *sa)
{
	if (sa->proto == ESP_PROTO_AH)
		return 0;
	return sa->align - 1 + ESP_TRAILER_LEN + sa->sizes.icv_len;
}

size_t
esp_sa_overhead(const EspSa *sa)
{
	return esp_sa_headroom(sa) + esp_sa_tailroom(sa);
}

uint64_t
esp_sa_get_seq_out(const EspSa *sa)
{
	return sa->seq_out;
}

bool
esp_sa_next_seq(const EspSa *sa, uint64_t *seq)
{
	uint64_t last = sa->esn ? UINT64_MAX : UINT32_MAX;

	if (sa->seq_out >= last)
		return false;
	*seq = sa->seq_out + 1;
	return true;
}

EspStatus
esp_sa_drop(EspSa *sa, EspStatus st)
{
	sa->stats.dropped[st]++;
	return st;
}

/* RFC 4301 §4.4.2.1: byte and packet lifetimes, soft for rekeying, hard for refusal. */
void
esp_sa_account(EspSa *sa, size_t bytes)
{
	sa->stats.packets++;
	sa->stats.bytes += bytes;
	if ((sa->soft_packets && sa->stats.packets >= sa->soft_packets) ||
	    (sa->soft_bytes && sa->stats.bytes >= sa->soft_bytes))
		__atomic_store_n(&sa->soft_expired, true, __ATOMIC_RELAXED);
}

bool
esp_sa_hard_reached(const EspSa *sa, size_t bytes)
{
	if (sa->hard_packets && sa->stats.packets >= sa->hard_packets)
		return true;
	if (sa->hard_bytes &&
	    (sa->stats.bytes >= sa->hard_bytes || bytes > sa->hard_bytes - sa->stats.bytes))
		return true;
	return false;
}
