/* cli-cleanup.c - `ferry cleanup`, and the same check before every `ferry connect`: undo
 * what a ferry that was killed or crashed left behind (DNS, routes, a TUN device) */
#include "config.h"

#include <stdio.h>

#include "cli.h"

/* FERRY_RUN_DIR: where sessions keep their crash records (tests use their own). */
const char *
cli_run_dir(void)
{
	return g_getenv("FERRY_RUN_DIR");
}

gboolean
cli_cleanup_leftovers(GPtrArray *done, GError **error)
{
	if (!ferry_session_cleanup_leftovers(cli_run_dir(), done, error))
		return FALSE;
	cli_status_remove_stale();
	return TRUE;
}

void
cli_cleanup_before_connect(void)
{
	g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;

	/* Not fatal: the new session records its own changes either way. */
	if (!cli_cleanup_leftovers(done, &error))
		fprintf(stderr, "ferry: cannot look for what an earlier ferry left behind: %s\n",
		        error->message);
	for (guint i = 0; i < done->len; i++)
		fprintf(stderr, "ferry: %s\n", (char *)g_ptr_array_index(done, i));
	fflush(stderr);
}

int
cli_cleanup(int argc, char **argv)
{
	g_autoptr(GOptionContext) options = g_option_context_new(
		"- undo what a killed or crashed ferry left behind (DNS, routes, TUN device)");
	g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;

	if (!g_option_context_parse(options, &argc, &argv, &error))
		return cli_usage_error("cleanup: %s", error->message);
	if (argc > 1)
		return cli_usage_error("cleanup: unexpected argument '%s'", argv[1]);
	if (!cli_cleanup_leftovers(done, &error)) {
		cli_print_error(error, CLI_CONTEXT_CLEANUP);
		return cli_exit_code(error);
	}
	for (guint i = 0; i < done->len; i++)
		printf("%s\n", (char *)g_ptr_array_index(done, i));
	if (done->len == 0)
		printf("nothing left behind by an earlier ferry\n");
	return CLI_EXIT_OK;
}
