/* ferry-window.c - FerryWindow: the main window's widgets, list/detail switching and actions */
#include "config.h"

#include <glib/gi18n.h>

#include "ferry-window.h"

struct _FerryWindow {
	AdwApplicationWindow parent;

	/* owned */
	NMClient *client;

	/* borrowed (template children) */
	GtkStack *main_stack;
	AdwToastOverlay *toast_overlay;
	GtkBox *status_box;
};

G_DEFINE_FINAL_TYPE(FerryWindow, ferry_window, ADW_TYPE_APPLICATION_WINDOW)

void
ferry_window_import_path(FerryWindow *self, const char *path)
{
	g_return_if_fail(FERRY_IS_WINDOW(self));
	g_return_if_fail(path != NULL);
}

static void
ferry_window_dispose(GObject *object)
{
	FerryWindow *self = FERRY_WINDOW(object);

	g_clear_object(&self->client);
	gtk_widget_dispose_template(GTK_WIDGET(self), FERRY_TYPE_WINDOW);
	G_OBJECT_CLASS(ferry_window_parent_class)->dispose(object);
}

static void
ferry_window_class_init(FerryWindowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ferry_window_dispose;
	gtk_widget_class_set_template_from_resource(widget_class,
	                                            "/org/ferry_vpn/Ferry/ferry-window.ui");
	gtk_widget_class_bind_template_child(widget_class, FerryWindow, main_stack);
	gtk_widget_class_bind_template_child(widget_class, FerryWindow, toast_overlay);
	gtk_widget_class_bind_template_child(widget_class, FerryWindow, status_box);
}

static void
ferry_window_init(FerryWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}

FerryWindow *
ferry_window_new(FerryApplication *app, NMClient *client)
{
	FerryWindow *self = g_object_new(FERRY_TYPE_WINDOW, "application", app, NULL);

	self->client = client ? g_object_ref(client) : NULL;
	return self;
}
