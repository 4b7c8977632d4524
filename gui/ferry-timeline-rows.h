/* ferry-timeline-rows.h - a session's timeline events folded into the steps the GUI shows
 *
 * The Session object of nm-ferry-service (nm-plugin/service/nm-ferry-service-state.h) sends
 * one event per fact (keys as in client/session/ferry-event.h).  FerryTimelineRows folds them
 * into the steps a person follows: IKE_SA_INIT, IKE_AUTH, CHILD_SA, protected traffic, then
 * rekeys, dead peer detection and the end; a failure marks the step it happened in.  No GTK
 * here: the widget (ferry-timeline.c) draws the rows, tests read them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	FERRY_TIMELINE_STEP_IKE_SA_INIT,
	FERRY_TIMELINE_STEP_IKE_AUTH,
	FERRY_TIMELINE_STEP_CHILD_SA,
	FERRY_TIMELINE_STEP_TRAFFIC,
	FERRY_TIMELINE_STEP_REKEY,
	FERRY_TIMELINE_STEP_DPD,
	FERRY_TIMELINE_STEP_DOWN,
	FERRY_TIMELINE_STEP_ERROR,
} FerryTimelineStep;

typedef enum {
	FERRY_TIMELINE_ACTIVE, /* under way */
	FERRY_TIMELINE_DONE,
	FERRY_TIMELINE_FAILED,
} FerryTimelineStatus;

typedef enum {
	FERRY_TIMELINE_SENT,
	FERRY_TIMELINE_RECEIVED,
} FerryTimelineDirection;

/* One IKE message of a step. */
typedef struct {
	FerryTimelineDirection direction;
	double time; /* seconds since connect */
	guint64 bytes;
	guint message_id;
	gboolean retransmit;
} FerryTimelineMessage;

typedef struct {
	FerryTimelineStep step;
	FerryTimelineStatus status;
	double start; /* seconds since connect: the step's first event */
	double end;   /* its last event */
	/* owned */
	char *title;      /* "IKE_SA_INIT", "Protected traffic" */
	char *summary;    /* plain words: "AES-GCM-256 · PRF HMAC-SHA2-256 · Curve25519" */
	char *iana;       /* the registry names: "AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519" */
	char *error;      /* why the step failed, NULL otherwise */
	GPtrArray *lines; /* char *: further facts ("Authentication: pre-shared key") */
	GArray *messages; /* FerryTimelineMessage */
	guint count;      /* events folded into a repeating step (DPD checks) */
} FerryTimelineRow;

typedef struct _FerryTimelineRows FerryTimelineRows;

FerryTimelineRows *ferry_timeline_rows_new(void);
void ferry_timeline_rows_free(FerryTimelineRows *rows);

/* Forgets everything (a new connection attempt). */
void ferry_timeline_rows_clear(FerryTimelineRows *rows);

/* Folds one event: @type as ferry_event_type_to_string() ("child-sa"), @time in seconds since
 * connect, @details a{sv} (NULL = none).  An event after "down" starts a new attempt. */
void ferry_timeline_rows_add_event(FerryTimelineRows *rows,
                                   const char *type,
                                   double time,
                                   GVariant *details);

/* Live counters of the protected traffic row (the Session's BytesIn... properties). */
void ferry_timeline_rows_set_stats(FerryTimelineRows *rows,
                                   guint64 bytes_in,
                                   guint64 bytes_out,
                                   guint64 packets_in,
                                   guint64 packets_out,
                                   guint64 dropped);

guint ferry_timeline_rows_get_n_rows(const FerryTimelineRows *rows);
/* (transfer none) */
const FerryTimelineRow *ferry_timeline_rows_get_row(const FerryTimelineRows *rows, guint index);
/* (transfer none) the first row of @step, NULL when there is none */
const FerryTimelineRow *ferry_timeline_rows_find(const FerryTimelineRows *rows,
                                                 FerryTimelineStep step);

/* Every row as text, one block per row: "IKE_SA_INIT [done] +0 ms\n  summary\n  ...\n";
 * what FERRY_GUI_DUMP_TIMELINE writes and the tests compare.  (transfer full) */
char *ferry_timeline_rows_to_text(const FerryTimelineRows *rows);

/* Plain words for a proposal of registry names, joined by " · ":
 * "AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519" -> "AES-GCM-256 · PRF HMAC-SHA2-256 · Curve25519".
 * Unknown names pass through.  (transfer full) */
char *ferry_timeline_describe_proposal(const char *proposal);

/* "1.2 KiB", "3.4 MiB" (transfer full) */
char *ferry_timeline_format_bytes(guint64 bytes);

/* "+12 ms", "+1.25 s" (transfer full) */
char *ferry_timeline_format_time(double seconds);

const char *ferry_timeline_status_to_string(FerryTimelineStatus status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(FerryTimelineRows, ferry_timeline_rows_free)

G_END_DECLS
