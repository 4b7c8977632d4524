/* main.c - ferry-gui's entry point: sets up gettext and runs FerryApplication */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ferry-application.h"

int
main(int argc, char *argv[])
{
	g_autoptr(FerryApplication) app = NULL;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, FERRY_LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);

	app = ferry_application_new();
	return g_application_run(G_APPLICATION(app), argc, argv);
}
