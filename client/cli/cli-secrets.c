/* cli-secrets.c - the secrets of `ferry connect`: a private file or a no-echo prompt, never argv */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "ferry-fd.h"
#include "ferry-secret.h"

#define PROMPT_MAX 1024 /* bytes of a typed pre-shared key */

/* Read one line from the terminal with echo off, into a wiped-on-free buffer. */
static FerrySecret *
prompt(const char *question, GError **error)
{
	ferry_autofd int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	FerrySecret *line = NULL;
	struct termios saved, quiet;
	gsize len = 0;
	int errsv;

	if (tty < 0 || !isatty(tty)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "secrets: no --secrets file and no terminal to ask on");
		return NULL;
	}
	line = ferry_secret_new(PROMPT_MAX + 1);
	if (write(tty, question, strlen(question)) < 0 || tcgetattr(tty, &saved) < 0) {
		errsv = errno;
		ferry_secret_free(line);
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_IO, "cannot use the terminal: %s",
		            g_strerror(errsv));
		return NULL;
	}
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	(void)tcsetattr(tty, TCSAFLUSH, &quiet);
	while (len < PROMPT_MAX) {
		char c;
		ssize_t n = read(tty, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || c == '\n' || c == '\r')
			break;
		line->data[len++] = (uint8_t)c;
	}
	(void)tcsetattr(tty, TCSAFLUSH, &saved);
	(void)!write(tty, "\n", 1);
	line->data[len] = 0;
	line->len = len;
	return line;
}

FerryProfileSecrets *
cli_secrets_load(const FerryProfile *profile, const char *path, GError **error)
{
	g_autoptr(FerryProfileSecrets) secrets = NULL;
	g_autofree char *question = NULL;
	FerrySecret *typed;
	gboolean ok;

	if (path != NULL)
		return ferry_profile_secrets_load(path, error);
	secrets = ferry_profile_secrets_new();
	if (profile->auth != FERRY_AUTH_PSK)
		return g_steal_pointer(&secrets);

	question = g_strdup_printf("Pre-shared key for %s: ", profile->name);
	typed = prompt(question, error);
	if (typed == NULL)
		return NULL;
	ok = ferry_profile_secrets_set(secrets, "psk", (const char *)typed->data, error);
	ferry_secret_free(typed);
	return ok ? g_steal_pointer(&secrets) : NULL;
}
