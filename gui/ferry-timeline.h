/* ferry-timeline.h - FerryTimeline: the negotiation drawn as a vertical timeline of steps
 *
 * Draws the rows of a FerryTimelineRows (ferry-timeline-rows.h): one step per row with a
 * status dot on a line, its time since connect, the IKE messages sent and received, the
 * algorithms in plain words and by their IANA names, and an error in place when it failed.
 */
#pragma once

#include <gtk/gtk.h>

#include "ferry-timeline-rows.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TIMELINE (ferry_timeline_get_type())
G_DECLARE_FINAL_TYPE(FerryTimeline, ferry_timeline, FERRY, TIMELINE, GtkWidget)

GtkWidget *ferry_timeline_new(void);

/* Redraws from @rows (borrowed; read at once, not kept).  NULL or no rows: the placeholder. */
void ferry_timeline_update(FerryTimeline *self, const FerryTimelineRows *rows);

/* The text the widgets show, one block per step (a line per label), for tests and the
 * FERRY_GUI_DUMP_TIMELINE hook.  (transfer full) */
char *ferry_timeline_dup_text(FerryTimeline *self);

G_END_DECLS
