/* cli-exit.c - exit codes and the one-line error message of the `ferry` command */
#include "config.h"

#include <stdio.h>

#include "cli.h"

int
cli_exit_code(const GError *error)
{
	if (error == NULL)
		return CLI_EXIT_OK;
	if (error->domain != FERRY_ERROR)
		return CLI_EXIT_LOCAL;
	switch ((FerryErrorCode)error->code) {
	case FERRY_ERROR_CONFIG:
		return CLI_EXIT_CONFIG;
	case FERRY_ERROR_RESOLVE:
	case FERRY_ERROR_TIMEOUT:
		return CLI_EXIT_UNREACHABLE;
	case FERRY_ERROR_NO_PROPOSAL:
		return CLI_EXIT_NO_PROPOSAL;
	case FERRY_ERROR_AUTH_FAILED:
		return CLI_EXIT_AUTH_FAILED;
	case FERRY_ERROR_PEER_AUTH:
		return CLI_EXIT_PEER_AUTH;
	case FERRY_ERROR_PEER_NOTIFY:
	case FERRY_ERROR_TS_UNACCEPTABLE:
	case FERRY_ERROR_CERT:
	case FERRY_ERROR_PROTOCOL:
		return CLI_EXIT_PROTOCOL;
	case FERRY_ERROR_IO:
		return CLI_EXIT_LOCAL;
	case FERRY_ERROR_CANCELLED:
		return CLI_EXIT_INTERRUPTED;
	}
	return CLI_EXIT_PROTOCOL;
}

/* FERRY_ERROR_IO: a local system error, whose remedy depends on what was being done. */
static const char *
io_advice(CliContext context)
{
	switch (context) {
	case CLI_CONTEXT_FILES:
		return "check that the file or directory named above exists and that you may "
		       "read and write it";
	case CLI_CONTEXT_TERMINAL:
		return "run ferry from a terminal, or give the secrets with --secrets FILE";
	case CLI_CONTEXT_SESSION:
		return "check that ferry runs as root and the system has /dev/net/tun";
	case CLI_CONTEXT_CLEANUP:
		return "run ferry cleanup as root";
	}
	return NULL;
}

const char *
cli_error_advice(const GError *error, CliContext context)
{
	/* A bare system error (a profile directory, a file) says enough by itself; only a
	 * refused permission has an obvious remedy. */
	if (error->domain != FERRY_ERROR)
		return g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED)
		               ? "run ferry as root, or check the file's permissions"
		               : NULL;
	switch ((FerryErrorCode)error->code) {
	case FERRY_ERROR_CONFIG:
		return "correct the file and try again";
	case FERRY_ERROR_RESOLVE:
		return "check the gateway name and this machine's DNS";
	case FERRY_ERROR_TIMEOUT:
		return "check the gateway address and that UDP ports 500 and 4500 reach it";
	case FERRY_ERROR_NO_PROPOSAL:
		return "make ike-proposals/esp-proposals match what the gateway accepts";
	case FERRY_ERROR_AUTH_FAILED:
		return "check your credentials (pre-shared key, password or certificate) and "
		       "local-id with the gateway's administrator";
	case FERRY_ERROR_PEER_AUTH:
		return "check remote-id and what the gateway is trusted by (pre-shared key, "
		       "ca-certs "
		       "or server-cert); the gateway may not be who it claims";
	case FERRY_ERROR_PEER_NOTIFY:
	case FERRY_ERROR_TS_UNACCEPTABLE:
	case FERRY_ERROR_CERT:
	case FERRY_ERROR_PROTOCOL:
		return "the gateway's log tells more";
	case FERRY_ERROR_IO:
		return io_advice(context);
	case FERRY_ERROR_CANCELLED:
		return NULL;
	}
	return NULL;
}

void
cli_print_error(const GError *error, CliContext context)
{
	const char *hint = cli_error_advice(error, context);

	if (hint != NULL)
		fprintf(stderr, "ferry: %s; %s\n", error->message, hint);
	else
		fprintf(stderr, "ferry: %s\n", error->message);
	fflush(stderr);
}

int
cli_usage_error(const char *format, ...)
{
	g_autofree char *message = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	fprintf(stderr, "ferry: %s; see 'ferry --help'\n", message);
	return CLI_EXIT_USAGE;
}
