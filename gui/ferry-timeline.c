/* ferry-timeline.c - FerryTimeline: the negotiation drawn as a vertical timeline of steps */
#include "config.h"

#include <glib/gi18n.h>

#include "ferry-timeline.h"

struct _FerryTimeline {
	GtkWidget parent_instance;

	/* template */
	GtkStack *stack;
	GtkWidget *steps;
};

G_DEFINE_FINAL_TYPE(FerryTimeline, ferry_timeline, GTK_TYPE_WIDGET)

/* The timeline's own look: status dots on a line (libadwaita's named colours). */
static const char timeline_css[] =
	".ferry-timeline .step-dot { min-width: 24px; min-height: 24px; border-radius: 12px;"
	"  font-weight: bold; font-size: 13px; color: @window_bg_color;"
	"  background-color: alpha(@window_fg_color, 0.3); }"
	".ferry-timeline .step-dot.done { background-color: @success_color; }"
	".ferry-timeline .step-dot.active { background-color: @accent_bg_color;"
	"  color: @accent_fg_color; }"
	".ferry-timeline .step-dot.failed { background-color: @error_bg_color;"
	"  color: @error_fg_color; }"
	".ferry-timeline .step-line { min-width: 2px; margin-top: 4px;"
	"  background-color: alpha(@window_fg_color, 0.15); }"
	".ferry-timeline .step-title { font-weight: bold; }"
	".ferry-timeline .step-time { font-feature-settings: \"tnum\"; }"
	".ferry-timeline .step-iana { font-family: monospace; font-size: 0.85em; }"
	".ferry-timeline .step-message { font-size: 0.9em; font-feature-settings: \"tnum\"; }"
	".ferry-timeline .step-arrow.sent { color: @accent_color; font-weight: bold; }"
	".ferry-timeline .step-arrow.received { color: @success_color; font-weight: bold; }"
	".ferry-timeline .step-error { color: @error_color; font-weight: bold; }"
	/* FerryStatusPanel's state dot */
	".ferry-state-dot { font-size: 20px; color: alpha(@window_fg_color, 0.3); }"
	".ferry-state-dot.connected { color: @success_color; }"
	".ferry-state-dot.connecting { color: @accent_color; }"
	".ferry-state-dot.failed { color: @error_color; }";

static void
load_css(void)
{
	static gboolean loaded;
	g_autoptr(GtkCssProvider) provider = NULL;
	GdkDisplay *display = gdk_display_get_default();

	if (loaded || display == NULL)
		return;
	loaded = TRUE;
	provider = gtk_css_provider_new();
	gtk_css_provider_load_from_data(provider, timeline_css, -1);
	gtk_style_context_add_provider_for_display(display, GTK_STYLE_PROVIDER(provider),
	                                           GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static GtkWidget *
new_label(const char *text, const char *css_class)
{
	GtkWidget *label = gtk_label_new(text);

	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_label_set_wrap(GTK_LABEL(label), TRUE);
	gtk_label_set_wrap_mode(GTK_LABEL(label), PANGO_WRAP_WORD_CHAR);
	if (css_class != NULL)
		gtk_widget_add_css_class(label, css_class);
	return label;
}

static const char *
status_symbol(const FerryTimelineRow *row)
{
	switch (row->status) {
	case FERRY_TIMELINE_DONE:
		return "✓";
	case FERRY_TIMELINE_FAILED:
		return "✕";
	case FERRY_TIMELINE_ACTIVE:
		return row->step == FERRY_TIMELINE_STEP_TRAFFIC ? "⇅" : "…";
	}
	return "";
}

/* "+4 ms", or "+4 ms · 8 ms" for a finished step that took time. */
static char *
format_when(const FerryTimelineRow *row)
{
	g_autofree char *start = ferry_timeline_format_time(row->start);
	g_autofree char *duration = NULL;
	double took = row->end - row->start;

	if (row->status == FERRY_TIMELINE_ACTIVE || took < 0.0005 ||
	    row->step == FERRY_TIMELINE_STEP_DPD)
		return g_steal_pointer(&start);
	/* "+8 ms" reads as a duration without its sign. */
	duration = ferry_timeline_format_time(took);
	return g_strdup_printf(_("%s · took %s"), start, duration + 1);
}

static GtkWidget *
build_message(const FerryTimelineMessage *m)
{
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	gboolean sent = m->direction == FERRY_TIMELINE_SENT;
	g_autofree char *bytes = ferry_timeline_format_bytes(m->bytes);
	g_autofree char *text = NULL;
	g_autofree char *at = ferry_timeline_format_time(m->time);
	GtkWidget *arrow = new_label(sent ? "→" : "←", "step-arrow");
	GtkWidget *time = new_label(at, "dim-label");

	if (sent)
		text = g_strdup_printf(m->retransmit ? _("sent again, message %u, %s")
		                                     : _("sent, message %u, %s"),
		                       m->message_id, bytes);
	else
		text = g_strdup_printf(_("received, message %u, %s"), m->message_id, bytes);
	gtk_widget_add_css_class(box, "step-message");
	gtk_widget_add_css_class(arrow, sent ? "sent" : "received");
	gtk_box_append(GTK_BOX(box), arrow);
	gtk_box_append(GTK_BOX(box), new_label(text, NULL));
	gtk_widget_set_hexpand(time, TRUE);
	gtk_label_set_xalign(GTK_LABEL(time), 1);
	gtk_box_append(GTK_BOX(box), time);
	return box;
}

static GtkWidget *
build_header(const FerryTimelineRow *row)
{
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
	g_autofree char *when = format_when(row);
	g_autofree char *title =
		row->count > 1 ? g_strdup_printf(_("%s (%u checks)"), row->title, row->count)
			       : g_strdup(row->title);
	GtkWidget *time = new_label(when, "step-time");

	gtk_box_append(GTK_BOX(box), new_label(title, "step-title"));
	gtk_widget_add_css_class(time, "dim-label");
	gtk_widget_set_hexpand(time, TRUE);
	gtk_widget_set_valign(time, GTK_ALIGN_BASELINE);
	gtk_label_set_xalign(GTK_LABEL(time), 1);
	gtk_label_set_wrap(GTK_LABEL(time), FALSE);
	gtk_box_append(GTK_BOX(box), time);
	return box;
}

static GtkWidget *
build_content(const FerryTimelineRow *row, gboolean last)
{
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 3);

	gtk_widget_set_hexpand(box, TRUE);
	gtk_widget_set_margin_bottom(box, last ? 0 : 18);
	gtk_box_append(GTK_BOX(box), build_header(row));
	if (row->summary != NULL && row->summary[0])
		gtk_box_append(GTK_BOX(box), new_label(row->summary, "step-summary"));
	if (row->iana != NULL && row->iana[0]) {
		GtkWidget *iana = new_label(row->iana, "step-iana");

		gtk_widget_add_css_class(iana, "dim-label");
		gtk_label_set_selectable(GTK_LABEL(iana), TRUE);
		gtk_box_append(GTK_BOX(box), iana);
	}
	for (guint i = 0; i < row->messages->len; i++)
		gtk_box_append(GTK_BOX(box), build_message(&g_array_index(
						     row->messages, FerryTimelineMessage, i)));
	for (guint i = 0; i < row->lines->len; i++) {
		GtkWidget *line = new_label(row->lines->pdata[i], "step-line-text");

		gtk_widget_add_css_class(line, "dim-label");
		gtk_box_append(GTK_BOX(box), line);
	}
	if (row->error != NULL) {
		GtkWidget *error = new_label(row->error, "step-error");

		gtk_label_set_selectable(GTK_LABEL(error), TRUE);
		gtk_box_append(GTK_BOX(box), error);
	}
	return box;
}

static GtkWidget *
build_step(const FerryTimelineRow *row, gboolean last)
{
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
	GtkWidget *gutter = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);
	GtkWidget *dot = gtk_label_new(status_symbol(row));
	GtkWidget *line = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);
	const char *status = ferry_timeline_status_to_string(row->status);

	gtk_widget_add_css_class(box, "step");
	gtk_widget_add_css_class(dot, "step-dot");
	gtk_widget_add_css_class(dot, status);
	gtk_widget_set_halign(dot, GTK_ALIGN_CENTER);
	gtk_widget_add_css_class(line, "step-line");
	gtk_widget_set_halign(line, GTK_ALIGN_CENTER);
	gtk_widget_set_vexpand(line, TRUE);
	gtk_widget_set_visible(line, !last);
	gtk_box_append(GTK_BOX(gutter), dot);
	gtk_box_append(GTK_BOX(gutter), line);
	gtk_box_append(GTK_BOX(box), gutter);
	gtk_box_append(GTK_BOX(box), build_content(row, last));
	return box;
}

void
ferry_timeline_update(FerryTimeline *self, const FerryTimelineRows *rows)
{
	GtkWidget *child;
	guint n;

	g_return_if_fail(FERRY_IS_TIMELINE(self));

	while ((child = gtk_widget_get_first_child(self->steps)) != NULL)
		gtk_box_remove(GTK_BOX(self->steps), child);
	n = rows != NULL ? ferry_timeline_rows_get_n_rows(rows) : 0;
	for (guint i = 0; i < n; i++)
		gtk_box_append(GTK_BOX(self->steps),
		               build_step(ferry_timeline_rows_get_row(rows, i), i + 1 == n));
	gtk_stack_set_visible_child_name(self->stack, n > 0 ? "steps" : "placeholder");
}

/* Labels of a horizontal box on one line, of a vertical one on lines of their own. */
static void
collect_text(GtkWidget *widget, GString *out, gboolean one_line)
{
	if (!gtk_widget_get_visible(widget))
		return;
	if (GTK_IS_LABEL(widget)) {
		const char *text = gtk_label_get_text(GTK_LABEL(widget));

		if (text[0] == '\0')
			return;
		if (out->len && out->str[out->len - 1] != '\n')
			g_string_append_c(out, ' ');
		g_string_append(out, text);
		return;
	}
	for (GtkWidget *c = gtk_widget_get_first_child(widget); c != NULL;
	     c = gtk_widget_get_next_sibling(c)) {
		gboolean horizontal = GTK_IS_BOX(widget) &&
		                      gtk_orientable_get_orientation(GTK_ORIENTABLE(widget)) ==
		                              GTK_ORIENTATION_HORIZONTAL;

		collect_text(c, out, one_line || horizontal);
		if (!one_line && !horizontal && out->len && out->str[out->len - 1] != '\n')
			g_string_append_c(out, '\n');
	}
}

char *
ferry_timeline_dup_text(FerryTimeline *self)
{
	GString *out = g_string_new(NULL);

	g_return_val_if_fail(FERRY_IS_TIMELINE(self), NULL);

	for (GtkWidget *step = gtk_widget_get_first_child(self->steps); step != NULL;
	     step = gtk_widget_get_next_sibling(step)) {
		GtkWidget *content = gtk_widget_get_last_child(step);
		GtkWidget *dot = gtk_widget_get_first_child(gtk_widget_get_first_child(step));

		/* "✓ IKE_SA_INIT +1 ms · took 3 ms", then the step's lines */
		g_string_append(out, gtk_label_get_text(GTK_LABEL(dot)));
		collect_text(content, out, FALSE);
		if (out->len && out->str[out->len - 1] != '\n')
			g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

static void
ferry_timeline_dispose(GObject *object)
{
	gtk_widget_dispose_template(GTK_WIDGET(object), FERRY_TYPE_TIMELINE);
	G_OBJECT_CLASS(ferry_timeline_parent_class)->dispose(object);
}

static void
ferry_timeline_class_init(FerryTimelineClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ferry_timeline_dispose;
	gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
	gtk_widget_class_set_css_name(widget_class, "ferry-timeline");
	gtk_widget_class_set_template_from_resource(widget_class,
	                                            "/org/ferry_vpn/Ferry/ferry-timeline.ui");
	gtk_widget_class_bind_template_child(widget_class, FerryTimeline, stack);
	gtk_widget_class_bind_template_child(widget_class, FerryTimeline, steps);
}

static void
ferry_timeline_init(FerryTimeline *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	gtk_widget_add_css_class(GTK_WIDGET(self), "ferry-timeline");
	load_css();
}

GtkWidget *
ferry_timeline_new(void)
{
	return g_object_new(FERRY_TYPE_TIMELINE, NULL);
}
