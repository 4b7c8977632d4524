/* test-esp-replay.c - numbered boundary tables for the anti-replay window (RFC 4303 §3.4.3)
 * and the ESN high-order-bit inference (RFC 4303 App. A2), for several window sizes */
#include <glib.h>

#include "esp-replay.h"

typedef enum {
	STEP_ACCEPT, /* check passes, then commit (the ICV verified) */
	STEP_REJECT, /* check fails */
	STEP_FORGED, /* check passes, ICV fails: no commit */
} StepKind;

typedef struct {
	uint32_t seq; /* low 32 bits, as on the wire */
	StepKind kind;
	uint64_t full; /* inferred sequence number expected for ACCEPT/FORGED */
} Step;

#define ACCEPT(s, f)                                                                               \
	{                                                                                          \
		(uint32_t)(s), STEP_ACCEPT, (uint64_t)(f)                                          \
	}
#define FORGED(s, f)                                                                               \
	{                                                                                          \
		(uint32_t)(s), STEP_FORGED, (uint64_t)(f)                                          \
	}
#define REJECT(s)                                                                                  \
	{                                                                                          \
		(uint32_t)(s), STEP_REJECT, 0                                                      \
	}

static const uint32_t window_sizes[] = {32, 64, 1024, 4096};

static void
run_steps(EspReplay *r, const Step *steps, size_t n, const char *table)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t full = 0;
		bool ok = esp_replay_check(r, steps[i].seq, &full);
		bool want = steps[i].kind != STEP_REJECT;

		if (ok != want)
			g_error("%s, window %u, step %zu (seq 0x%08x): %s, expected %s", table,
			        r->size, i + 1, steps[i].seq, ok ? "accepted" : "rejected",
			        want ? "accept" : "reject");
		if (!ok)
			continue;
		if (full != steps[i].full)
			g_error("%s, window %u, step %zu (seq 0x%08x): inferred "
			        "0x%" G_GINT64_MODIFIER "x, expected 0x%" G_GINT64_MODIFIER "x",
			        table, r->size, i + 1, steps[i].seq, full, steps[i].full);
		if (steps[i].kind == STEP_ACCEPT)
			esp_replay_commit(r, full);
	}
}

/* 32-bit sequence numbers: window edges, far jumps, no wrap. */
static void
test_table_32bit(void)
{
	for (size_t k = 0; k < G_N_ELEMENTS(window_sizes); k++) {
		const uint64_t w = window_sizes[k];
		const uint64_t max = G_MAXUINT32;
		const Step steps[] = {
			/*  1 */ REJECT(0), /* RFC 4303 §2.2: never sent */
			/*  2 */ ACCEPT(1, 1),
			/*  3 */ REJECT(1),
			/*  4 */ ACCEPT(2, 2),
			/*  5 */ ACCEPT(4, 4),
			/*  6 */ ACCEPT(3, 3),
			/*  7 */ REJECT(3),
			/*  8 */ ACCEPT(w + 1, w + 1), /* window now [2, w + 1] */
			/*  9 */ REJECT(1),            /* just left of the window */
			/* 10 */ REJECT(2),            /* left edge, already seen */
			/* 11 */ ACCEPT(5, 5),         /* inside, new */
			/* 12 */ REJECT(5),
			/* 13 */ REJECT(w + 1), /* top itself */
			/* 14 */ ACCEPT(w, w),
			/* 15 */ ACCEPT(3 * w, 3 * w),         /* far jump: window [2w + 1, 3w] */
			/* 16 */ REJECT(2 * w),                /* one left of the edge */
			/* 17 */ ACCEPT(2 * w + 1, 2 * w + 1), /* the left edge */
			/* 18 */ REJECT(2 * w + 1),
			/* 19 */ ACCEPT(3 * w - 1, 3 * w - 1),
			/* 20 */ FORGED(3 * w + 1, 3 * w + 1), /* ICV failed: window must not move
		                                                */
			/* 21 */ ACCEPT(2 * w + 2, 2 * w + 2), /* still inside */
			/* 22 */ ACCEPT(3 * w + 1, 3 * w + 1), /* the forged number was not marked
		                                                */
			/* 23 */ REJECT(3 * w + 1),
			/* 24 */ ACCEPT(max, max), /* jump to the last 32-bit number */
			/* 25 */ REJECT(max),
			/* 26 */ REJECT(max - w), /* one left of the edge */
			/* 27 */ ACCEPT(max - w + 1, max - w + 1),
			/* 28 */ REJECT(1), /* no wrap without ESN (RFC 4303 §3.3.3) */
			/* 29 */ REJECT(0),
		};
		EspReplay r;

		esp_replay_init(&r, (uint32_t)w, false);
		run_steps(&r, steps, G_N_ELEMENTS(steps), "32-bit");
	}
}

/* ESN: high-order bits inferred across the 2^32 boundary (RFC 4303 App. A2.2, cases A/B). */
static void
test_table_esn(void)
{
	for (size_t k = 0; k < G_N_ELEMENTS(window_sizes); k++) {
		const uint64_t w = window_sizes[k];
		const uint64_t sub = G_GUINT64_CONSTANT(1) << 32;
		const uint64_t e = sub - 1 - w / 2;
		const Step steps[] = {
			/*  1 */ REJECT(0),       /* case B at Th = 0: full number 0 */
			/*  2 */ REJECT(sub - 1), /* case B at Th = 0: would be before 0 */
			/*  3 */ ACCEPT(1, 1),
			/*  4 */ ACCEPT(sub / 2, sub / 2), /* case A, same subspace */
			/*  5 */ ACCEPT(e, e),
			/*  6 */ ACCEPT(sub - 1, sub - 1),
			/*  7 */ ACCEPT(0, sub), /* case A, Seql below the window: Th + 1 */
			/*  8 */ REJECT(0),      /* case B: Th, seen */
			/*  9 */ ACCEPT(sub - 2, sub - 2),         /* case B: Th - 1, inside, new */
			/* 10 */ REJECT(sub - 1),                  /* case B: Th - 1, seen */
			/* 11 */ REJECT(e),                        /* case B: Th - 1, seen */
			/* 12 */ FORGED(sub - w, 2 * sub - w),     /* below the edge reads as Th */
			/* 13 */ ACCEPT(sub - w + 1, sub - w + 1), /* the left edge: Th - 1 */
			/* 14 */ ACCEPT(5, sub + 5),
			/* 15 */ ACCEPT(w + 10, sub + w + 10), /* case A again, in subspace 1 */
			/* 16 */ FORGED(sub - 1, 2 * sub - 1), /* case A: at/above the edge: Th */
			/* 17 */ FORGED(10, 2 * sub + 10),     /* case A: below the edge: Th + 1 */
			/* 18 */ ACCEPT(11, sub + 11),         /* the left edge */
			/* 19 */ REJECT(11),
			/* 20 */ REJECT(w + 10),               /* top, seen */
			/* 21 */ ACCEPT(sub - 1, 2 * sub - 1), /* far jump to the end of subspace 1
		                                                */
			/* 22 */ ACCEPT(3, 2 * sub + 3),       /* into subspace 2: case B */
			/* 23 */ ACCEPT(sub - w + 4, 2 * sub - w + 4), /* left edge, in subspace 1
		                                                        */
			/* 24 */ FORGED(sub - w + 3, 3 * sub - w + 3), /* below the edge reads as Th
		                                                        */
			/* 25 */ REJECT(sub - 1),                      /* Th - 1, seen */
			/* 26 */ ACCEPT(2, 2 * sub + 2),
			/* 27 */ REJECT(3),
		};
		EspReplay r;

		esp_replay_init(&r, (uint32_t)w, true);
		run_steps(&r, steps, G_N_ELEMENTS(steps), "ESN");
	}
}

/* Every number in 1..2w received, then a jump of d: the bits the jump passes over share ring
 * slots with numbers seen before and must read as new. */
static void
test_jump_clears(void)
{
	for (size_t k = 0; k < G_N_ELEMENTS(window_sizes); k++) {
		const uint64_t w = window_sizes[k];
		const uint64_t jumps[] = {1, 2, 63, 64, 65, w / 2, w - 1, w, w + 1, 3 * w};

		for (size_t j = 0; j < G_N_ELEMENTS(jumps); j++) {
			const uint64_t top = 2 * w + jumps[j];
			EspReplay r;
			uint64_t full;

			esp_replay_init(&r, (uint32_t)w, false);
			for (uint64_t s = 1; s <= 2 * w; s++) {
				g_assert_true(esp_replay_check(&r, (uint32_t)s, &full));
				esp_replay_commit(&r, full);
			}
			g_assert_true(esp_replay_check(&r, (uint32_t)top, &full));
			esp_replay_commit(&r, full);
			for (uint64_t s = top > 2 * w + 3 ? top - w - 3 : 1; s <= top + 3; s++) {
				bool want = s > 2 * w && s != top && s + w > top;

				if (esp_replay_check(&r, (uint32_t)s, &full) != want)
					g_error("window %u, jump %" G_GUINT64_FORMAT
					        ", seq %" G_GUINT64_FORMAT ": expected %s",
					        r.size, jumps[j], s, want ? "accept" : "reject");
			}
		}
	}
}

/* Window 0: anti-replay off (RFC 4303 §3.4.3 lets the receiver disable it); ESN inference
 * still places a number within 2^31 of the highest one. */
static void
test_disabled(void)
{
	const uint64_t sub = G_GUINT64_CONSTANT(1) << 32;
	const Step plain[] = {
		/* 1 */ REJECT(0),
		/* 2 */ ACCEPT(7, 7),
		/* 3 */ ACCEPT(7, 7),
		/* 4 */ ACCEPT(1, 1),
	};
	const Step esn[] = {
		/* 1 */ ACCEPT(5, 5),
		/* 2 */ REJECT(sub - 1), /* would be before 0 */
		/* 3 */ ACCEPT(sub / 2 + 4, sub / 2 + 4),
		/* 4 */ ACCEPT(sub - 1, sub - 1),
		/* 5 */ ACCEPT(3, sub + 3),
		/* 6 */ ACCEPT(sub - 2, sub - 2),
		/* 7 */ ACCEPT(sub / 2 + 2, sub + sub / 2 + 2),
	};
	EspReplay r;

	esp_replay_init(&r, 0, false);
	run_steps(&r, plain, G_N_ELEMENTS(plain), "disabled");
	esp_replay_init(&r, 0, true);
	run_steps(&r, esn, G_N_ELEMENTS(esn), "disabled ESN");
}

static void
test_clamp(void)
{
	EspReplay r;
	uint64_t full;

	esp_replay_init(&r, ESP_REPLAY_WINDOW_MAX + 1000, false);
	g_assert_cmpuint(r.size, ==, ESP_REPLAY_WINDOW_MAX);
	esp_replay_commit(&r, 1);
	esp_replay_commit(&r, ESP_REPLAY_WINDOW_MAX + 1);
	g_assert_false(esp_replay_check(&r, 1, &full));
	g_assert_true(esp_replay_check(&r, 2, &full));
	g_assert_false(esp_replay_check(&r, ESP_REPLAY_WINDOW_MAX + 1, &full));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/esp/replay/table-32bit", test_table_32bit);
	g_test_add_func("/ferry/esp/replay/table-esn", test_table_esn);
	g_test_add_func("/ferry/esp/replay/jump-clears", test_jump_clears);
	g_test_add_func("/ferry/esp/replay/disabled", test_disabled);
	g_test_add_func("/ferry/esp/replay/clamp", test_clamp);
	return g_test_run();
}
