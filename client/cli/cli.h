/* cli.h - what the files of the `ferry` command share */
#pragma once

#include "ferry.h"

G_BEGIN_DECLS

/* Exit codes (CLI-CONTRACT.md, README, `ferry --help`). */
#define CLI_EXIT_OK            0
#define CLI_EXIT_NOT_CONNECTED 1 /* ferry status: no connection running */
#define CLI_EXIT_USAGE         2
#define CLI_EXIT_CONFIG        3
#define CLI_EXIT_UNREACHABLE   4
#define CLI_EXIT_NO_PROPOSAL   5
#define CLI_EXIT_AUTH_FAILED   6
#define CLI_EXIT_PEER_AUTH     7
#define CLI_EXIT_PROTOCOL      8
#define CLI_EXIT_LOCAL         9
#define CLI_EXIT_INTERRUPTED   130

/* cli-connect.c */
int cli_connect(int argc, char **argv);

/* cli-cleanup.c: `ferry cleanup`, and the check at the start of `ferry connect`. */
int cli_cleanup(int argc, char **argv);
void cli_cleanup_before_connect(void);
gboolean cli_cleanup_leftovers(GPtrArray *done, GError **error);
/* $FERRY_RUN_DIR or NULL (the default, /run/ferry). */
const char *cli_run_dir(void);

/* cli-status.c: the running session's status file and `ferry status`. */
typedef struct _CliStatus CliStatus;
/* NULL when the run directory cannot be made (the status is then not shown). */
CliStatus *cli_status_new(const FerryProfile *profile);
/* Removes the file. */
void cli_status_free(CliStatus *status);
void cli_status_write(CliStatus *status);
void cli_status_event(CliStatus *status, const FerryEvent *event);
void cli_status_set_stats(CliStatus *status, const FerrySessionStats *stats);
int cli_status(int argc, char **argv);
/* Remove the status files that killed ferries left in this namespace. */
void cli_status_remove_stale(void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CliStatus, cli_status_free)

/* cli-profiles.c: import, list, show, export, delete; -1 for another command. */
int cli_profiles(int argc, char **argv);

/* What the command was doing when an error ended it: the advice depends on it (a local
 * system error while reading the profile store is not a TUN problem). */
typedef enum {
	CLI_CONTEXT_FILES,    /* profiles, secrets and other files the user named */
	CLI_CONTEXT_TERMINAL, /* asking for a secret on the terminal */
	CLI_CONTEXT_SESSION,  /* a connection: TUN device, sockets, routes, DNS */
	CLI_CONTEXT_CLEANUP,  /* undoing what a dead ferry left behind */
} CliContext;

/* cli-exit.c */
int cli_exit_code(const GError *error);
/* Print "ferry: <what failed>: <why>; <what to do>" on stderr. */
void cli_print_error(const GError *error, CliContext context);
/* The "<what to do>" part, NULL when the message says enough. */
const char *cli_error_advice(const GError *error, CliContext context);
/* Print a usage error and return CLI_EXIT_USAGE. */
int cli_usage_error(const char *format, ...) G_GNUC_PRINTF(1, 2);

/* cli-json.c: one event as one JSON line (with "exit" added to errors). (transfer full) */
char *cli_json_event(const FerryEvent *event, int exit_code);
/* JSON string literal of @text, quotes included, appended to @out. */
void cli_json_append_string(GString *out, const char *text);

/* cli-text.c: one event as one human line, NULL for events not shown. (transfer full) */
char *cli_text_event(const FerryEvent *event);

/* cli-secrets.c: the secrets file, or a no-echo prompt on the terminal. */
FerryProfileSecrets *
cli_secrets_load(const FerryProfile *profile, const char *path, GError **error);

G_END_DECLS
