/* ferry-window-private.h - FerryWindow's instance struct, shared by ferry-window.c and
 * ferry-window-actions.c */
#pragma once

#include "ferry-profile-editor.h"
#include "ferry-profile-list.h"
#include "ferry-secret-store.h"
#include "ferry-window.h"

struct _FerryWindow {
	AdwApplicationWindow parent;

	/* owned */
	NMClient *client;
	FerryProfileList *list;
	FerrySecretStore *store;
	GSettings *settings;       /* NULL when the schema is not installed */
	NMConnection *pending_new; /* the unsaved connection the editor shows, or NULL */
	char *select_uuid;         /* select this connection when it appears */

	/* borrowed (template children) */
	AdwWindowTitle *window_title;
	GtkWidget *header_save_button;
	GtkStack *main_stack;
	GtkStack *detail_stack;
	AdwToastOverlay *toast_overlay;
	GtkListBox *list_box;
	GtkBox *status_box;
	GtkWidget *status_panel; /* FerryStatusPanel in status_box */
	GtkBox *editor_box;
	FerryProfileEditor *editor;
	AdwMessageDialog *dialog; /* the dialog on top, for tests */
};

/* ferry-window.c */
void ferry_window_toast(FerryWindow *self, const char *text);
void ferry_window_show_connection(FerryWindow *self, NMConnection *connection, gboolean is_new);
void ferry_window_select_uuid(FerryWindow *self, const char *uuid);
void ferry_window_update_pages(FerryWindow *self);

/* ferry-window-actions.c */
void ferry_window_install_actions(FerryWindow *self);
void ferry_window_update_actions(FerryWindow *self);
