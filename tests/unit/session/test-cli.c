/* test-cli.c - the `ferry` command: help, exit codes, profile and secrets errors, and
 * connect against a silent gateway in a private namespace (CLI-CONTRACT.md) */
#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "io-test-netns.h"

#define CANARY "canary-91c4b2-psk"

typedef struct {
	int status;
	char *out;
	char *err;
} Result;

static void
result_clear(Result *r)
{
	g_free(r->out);
	g_free(r->err);
}

static void
child_setup(gpointer data)
{
	setsid(); /* no controlling terminal: the secrets prompt has nobody to ask */
}

/* Run ferry with `args` (NULL-terminated) and extra environment `env` (may be NULL). */
static void
run_ferry(Result *r, const char *const *args, const char *const *env)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(GStrv) envp = g_get_environ();
	g_autoptr(GError) error = NULL;
	int wait_status = 0;

	g_ptr_array_add(argv, (char *)FERRY_CLI_PATH);
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (char *)args[i]);
	g_ptr_array_add(argv, NULL);
	for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
		envp = g_environ_setenv(envp, env[i], env[i + 1], TRUE);
	g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, child_setup,
	                           NULL, &r->out, &r->err, &wait_status, &error));
	g_assert_no_error(error);
	g_assert_true(WIFEXITED(wait_status));
	r->status = WEXITSTATUS(wait_status);
}

static char *
write_file(const char *dir, const char *name, const char *text, int mode)
{
	char *path = g_build_filename(dir, name, NULL);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_assert_cmpint(chmod(path, mode), ==, 0);
	return path;
}

static void
assert_error_line(const Result *r)
{
	/* One line on stderr: "ferry: <what failed>: <why>; <what to do>". */
	g_assert_true(g_str_has_prefix(r->err, "ferry: "));
	g_assert_nonnull(strchr(r->err, '\n'));
	g_assert_null(strstr(r->err, CANARY));
	g_assert_null(strstr(r->out, CANARY));
}

/* Every stdout line is one JSON object with "time" and "event". */
static void
assert_json_lines(const char *out)
{
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);

	g_assert_true(g_str_has_suffix(out, "}\n"));
	for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++) {
		g_assert_true(g_str_has_prefix(lines[i], "{\"time\":"));
		g_assert_true(g_str_has_suffix(lines[i], "}"));
		g_assert_nonnull(strstr(lines[i], ",\"event\":\""));
	}
}

static void
test_help(void)
{
	static const char *const codes[] = {"  0 ", "  2 ", "  3 ", "  4 ", "  5 ",
	                                    "  6 ", "  7 ", "  8 ", "  9 ", "  130 "};
	Result r = {0};

	run_ferry(&r, (const char *[]){"--help", NULL}, NULL);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(strstr(r.out, "connect --profile FILE|NAME [--secrets FILE] [--json]"));
	for (gsize i = 0; i < G_N_ELEMENTS(codes); i++)
		g_assert_nonnull(strstr(r.out, codes[i]));
	g_assert_cmpstr(r.err, ==, "");
	result_clear(&r);

	run_ferry(&r, (const char *[]){"connect", "--help", NULL}, NULL);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(strstr(r.out, "--secrets"));
	g_assert_nonnull(strstr(r.out, "--no-dns"));
	result_clear(&r);
}

static void
test_version(void)
{
	Result r = {0};

	run_ferry(&r, (const char *[]){"--version", NULL}, NULL);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_cmpstr(r.out, ==, "ferry " PACKAGE_VERSION "\n");
	result_clear(&r);
}

static void
test_usage(void)
{
	/* Arguments separated by spaces; secrets never come from the command line. */
	static const char *const cases[] = {
		"",
		"frobnicate",
		"connect",
		"connect --bogus",
		"connect --profile x extra",
		"connect --psk secret",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_auto(GStrv) args = g_strsplit(cases[i], " ", -1);
		Result r = {0};

		if (args[0] != NULL && args[0][0] == '\0')
			g_clear_pointer(&args[0], g_free);
		run_ferry(&r, (const char *const *)args, NULL);
		g_assert_cmpint(r.status, ==, 2);
		g_assert_true(g_str_has_prefix(r.err, "ferry: "));
		g_assert_nonnull(strstr(r.err, "--help"));
		result_clear(&r);
	}
}

static void
test_bad_profile(void)
{
	g_autofree char *dir = g_dir_make_tmp("ferry-cli-XXXXXX", NULL);
	g_autofree char *profile =
		write_file(dir, "bad.conf",
	                   "[profile]\nname=bad\ngateway=198.51.100.2\n"
	                   "auth=psk\nike-proposals=aes256gcm17-prfsha256-x25519\n",
	                   0644);
	g_autofree char *secrets = write_file(dir, "secrets", "[secrets]\npsk=" CANARY "\n", 0600);
	g_autofree char *missing = g_build_filename(dir, "missing.conf", NULL);
	Result r = {0};

	run_ferry(&r, (const char *[]){"connect", "--profile", profile, "--secrets", secrets, NULL},
	          NULL);
	g_assert_cmpint(r.status, ==, 3);
	assert_error_line(&r);
	g_assert_nonnull(strstr(r.err, profile));
	g_assert_nonnull(strstr(r.err, "ike-proposals"));
	g_assert_cmpstr(r.out, ==, "");
	result_clear(&r);

	/* The same with --json: the error as an event too, with its exit code. */
	run_ferry(&r,
	          (const char *[]){"connect", "--json", "--profile", profile, "--secrets", secrets,
	                           NULL},
	          NULL);
	g_assert_cmpint(r.status, ==, 3);
	assert_json_lines(r.out);
	g_assert_nonnull(strstr(r.out, "\"event\":\"error\""));
	g_assert_nonnull(strstr(r.out, "\"exit\":3"));
	result_clear(&r);

	run_ferry(&r, (const char *[]){"connect", "--profile", missing, NULL}, NULL);
	g_assert_cmpint(r.status, ==, 3);
	g_assert_nonnull(strstr(r.err, missing));
	result_clear(&r);

	g_assert_cmpint(unlink(profile), ==, 0);
	g_assert_cmpint(unlink(secrets), ==, 0);
	g_assert_cmpint(rmdir(dir), ==, 0);
}

static const char good_profile[] = "[profile]\nname=cli-test\ngateway=198.51.100.2\nauth=psk\n"
				   "local-id=client@example.net\nremote-id=gw.example.net\n";

static void
test_secrets_refused(void)
{
	g_autofree char *dir = g_dir_make_tmp("ferry-cli-XXXXXX", NULL);
	g_autofree char *profile = write_file(dir, "p.conf", good_profile, 0644);
	g_autofree char *secrets = write_file(dir, "secrets", "[secrets]\npsk=" CANARY "\n", 0644);
	Result r = {0};

	/* Readable by others: refused before anything else happens. */
	run_ferry(&r, (const char *[]){"connect", "--profile", profile, "--secrets", secrets, NULL},
	          NULL);
	g_assert_cmpint(r.status, ==, 3);
	assert_error_line(&r);
	g_assert_nonnull(strstr(r.err, secrets));
	result_clear(&r);

	/* No secrets file and no terminal to ask on. */
	run_ferry(&r, (const char *[]){"connect", "--profile", profile, NULL}, NULL);
	g_assert_cmpint(r.status, ==, 3);
	assert_error_line(&r);
	g_assert_nonnull(strstr(r.err, "terminal"));
	result_clear(&r);

	g_assert_cmpint(unlink(profile), ==, 0);
	g_assert_cmpint(unlink(secrets), ==, 0);
	g_assert_cmpint(rmdir(dir), ==, 0);
}

static void
test_profiles(void)
{
	g_autofree char *dir = g_dir_make_tmp("ferry-cli-XXXXXX", NULL);
	g_autofree char *store = g_build_filename(dir, "store", NULL);
	g_autofree char *file = write_file(dir, "corp.conf", good_profile, 0644);
	g_autofree char *exported = g_build_filename(dir, "corp.exported.conf", NULL);
	g_autofree char *stored = NULL;
	Result r = {0};

	run_ferry(&r, (const char *[]){"import", file, "--profile-dir", store, NULL}, NULL);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(strstr(r.out, "imported 'cli-test' (keyfile)"));
	result_clear(&r);
	/* The same UUID again replaces it, and says so. */
	run_ferry(&r, (const char *[]){"import", file, "--profile-dir", store, NULL}, NULL);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(strstr(r.out, "replaced the stored profile 'cli-test'"));
	result_clear(&r);

	run_ferry(&r, (const char *[]){"list", "--profile-dir", store, NULL}, NULL);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(strstr(r.out, "cli-test"));
	g_assert_nonnull(strstr(r.out, "198.51.100.2"));
	result_clear(&r);

	/* A secrets file beside it: never shown, never exported to stdout. */
	stored = write_file(store, "cli-test.secrets", "[secrets]\npsk=" CANARY "\n", 0600);
	run_ferry(&r, (const char *[]){"show", "cli-test", "--profile-dir", store, NULL}, NULL);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(strstr(r.out, "gateway=198.51.100.2"));
	g_assert_null(strstr(r.out, CANARY));
	result_clear(&r);
	run_ferry(&r,
	          (const char *[]){"export", "cli-test", "--format", "keyfile", "--profile-dir",
	                           store, NULL},
	          NULL);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(strstr(r.out, "198.51.100.2"));
	g_assert_null(strstr(r.out, CANARY));
	result_clear(&r);
	run_ferry(&r,
	          (const char *[]){"export", "cli-test", "--format", "keyfile", "--with-secrets",
	                           "--profile-dir", store, NULL},
	          NULL);
	g_assert_cmpint(r.status, ==, 2);
	result_clear(&r);
	run_ferry(&r,
	          (const char *[]){"export", "cli-test", "--format", "keyfile", "--output",
	                           exported, "--profile-dir", store, NULL},
	          NULL);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_true(g_file_test(exported, G_FILE_TEST_IS_REGULAR));
	result_clear(&r);
	/* .sswan has no place for a pre-shared key: a clear refusal naming the field. */
	run_ferry(&r,
	          (const char *[]){"export", "cli-test", "--format", "sswan", "--profile-dir",
	                           store, NULL},
	          NULL);
	g_assert_cmpint(r.status, ==, 3);
	g_assert_nonnull(strstr(r.err, "auth"));
	result_clear(&r);
	run_ferry(&r,
	          (const char *[]){"export", "cli-test", "--format", "pdf", "--profile-dir", store,
	                           NULL},
	          NULL);
	g_assert_cmpint(r.status, ==, 2);
	result_clear(&r);

	run_ferry(&r, (const char *[]){"delete", "cli-test", "--profile-dir", store, NULL}, NULL);
	g_assert_cmpint(r.status, ==, 0);
	result_clear(&r);
	g_assert_false(g_file_test(stored, G_FILE_TEST_EXISTS));
	run_ferry(&r, (const char *[]){"show", "cli-test", "--profile-dir", store, NULL}, NULL);
	g_assert_cmpint(r.status, ==, 3);
	g_assert_nonnull(strstr(r.err, "cli-test"));
	result_clear(&r);
	run_ferry(&r,
	          (const char *[]){"import", "/nonexistent/x.sswan", "--profile-dir", store, NULL},
	          NULL);
	g_assert_cmpint(r.status, ==, 3);
	g_assert_nonnull(strstr(r.err, "/nonexistent/x.sswan"));
	result_clear(&r);

	g_assert_cmpint(unlink(file), ==, 0);
	g_assert_cmpint(unlink(exported), ==, 0);
	g_assert_cmpint(rmdir(store), ==, 0);
	g_assert_cmpint(rmdir(dir), ==, 0);
}

/* A local system error gets advice that fits what was being done: a profile store that cannot
 * be read or created is no TUN problem. */
static void
test_io_advice_files(void)
{
	g_autofree char *dir = g_dir_make_tmp("ferry-cli-XXXXXX", NULL);
	g_autofree char *file = write_file(dir, "corp.conf", good_profile, 0644);
	/* Below a regular file: neither readable as a directory nor creatable. */
	g_autofree char *store = g_build_filename(file, "store", NULL);
	Result r = {0};

	run_ferry(&r, (const char *[]){"list", "--profile-dir", store, NULL}, NULL);
	g_assert_cmpint(r.status, ==, 9);
	assert_error_line(&r);
	g_assert_nonnull(strstr(r.err, store));
	g_assert_nonnull(strstr(r.err, "; check that the file or directory named above exists"));
	g_assert_null(strstr(r.err, "/dev/net/tun"));
	g_assert_null(strstr(r.err, "root"));
	result_clear(&r);

	run_ferry(&r, (const char *[]){"import", file, "--profile-dir", store, NULL}, NULL);
	g_assert_cmpint(r.status, ==, 9);
	assert_error_line(&r);
	g_assert_nonnull(strstr(r.err, "; check that the file or directory named above exists"));
	g_assert_null(strstr(r.err, "/dev/net/tun"));
	result_clear(&r);

	/* connect by the name of a stored profile: the store's error, with the store's advice. */
	run_ferry(&r,
	          (const char *[]){"connect", "--profile", "corp", "--profile-dir", store, NULL},
	          NULL);
	g_assert_cmpint(r.status, ==, 9);
	assert_error_line(&r);
	g_assert_null(strstr(r.err, "/dev/net/tun"));
	result_clear(&r);

	g_assert_cmpint(unlink(file), ==, 0);
	g_assert_cmpint(rmdir(dir), ==, 0);
}

/* `ferry cleanup`: what a killed ferry recorded (io-record.h's format, written here by hand as
 * a killed session leaves it) is undone and reported; then nothing is left. */
static void
test_cleanup(void)
{
	static const char written[] = "# Generated by Ferry for the VPN tunnel on ferry0.\n"
				      "nameserver 203.0.113.53\n";
	static const char original[] = "nameserver 192.0.2.53\n";
	g_autofree char *dir = g_dir_make_tmp("ferry-cli-XXXXXX", NULL);
	g_autofree char *run = g_build_filename(dir, "run", NULL);
	g_autofree char *resolv = write_file(dir, "resolv.conf", written, 0644);
	g_autofree char *record = NULL;
	g_autofree char *text = NULL;
	g_autofree char *b64_written = g_base64_encode((const guchar *)written, strlen(written));
	g_autofree char *b64_original = g_base64_encode((const guchar *)original, strlen(original));
	const char *const env[] = {"FERRY_RUN_DIR", run, NULL};
	struct stat st;
	Result r = {0};
	pid_t dead;
	int status;

	run_ferry(&r, (const char *[]){"cleanup", NULL}, env);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_cmpstr(r.out, ==, "nothing left behind by an earlier ferry\n");
	result_clear(&r);

	dead = fork();
	if (dead == 0)
		_exit(0);
	g_assert_cmpint(waitpid(dead, &status, 0), ==, dead);
	g_assert_cmpint(stat("/proc/self/ns/net", &st), ==, 0);
	g_assert_cmpint(mkdir(run, 0700), ==, 0);
	text = g_strdup_printf("[session]\npid=%d\nnetns=%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT
	                       "\n[dns]\nbackend=file\npath=%s\nsaved-kind=file\nsaved=%s\n"
	                       "written=%s\n",
	                       (int)dead, (guint64)st.st_dev, (guint64)st.st_ino, resolv,
	                       b64_original, b64_written);
	record = g_strdup_printf("%s/%d.session", run, (int)dead);
	g_free(write_file(run, strrchr(record, '/') + 1, text, 0600));

	run_ferry(&r, (const char *[]){"cleanup", NULL}, env);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_true(g_str_has_prefix(r.out, "restored "));
	g_assert_nonnull(strstr(r.out, resolv));
	g_assert_nonnull(strstr(r.out, "ended without cleaning up"));
	result_clear(&r);
	g_clear_pointer(&text, g_free);
	g_assert_true(g_file_get_contents(resolv, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, original);
	g_assert_false(g_file_test(record, G_FILE_TEST_EXISTS));

	/* A record directory others may write is refused, with advice for this command. */
	g_assert_cmpint(chmod(run, 0777), ==, 0);
	run_ferry(&r, (const char *[]){"cleanup", NULL}, env);
	g_assert_cmpint(r.status, ==, 9);
	assert_error_line(&r);
	g_assert_nonnull(strstr(r.err, run));
	g_assert_null(strstr(r.err, "/dev/net/tun"));
	result_clear(&r);

	run_ferry(&r, (const char *[]){"cleanup", "extra", NULL}, env);
	g_assert_cmpint(r.status, ==, 2);
	result_clear(&r);

	g_assert_cmpint(rmdir(run), ==, 0);
	g_assert_cmpint(unlink(resolv), ==, 0);
	g_assert_cmpint(rmdir(dir), ==, 0);
}

/* --- against a silent gateway, in a namespace --- */

typedef struct {
	char *dir, *profile, *secrets;
} Files;

static void
silent_gateway(Files *f)
{
	io_test_netns_enter();
	g_free(io_test_run("ip link add veth0 type veth peer name veth1"));
	g_free(io_test_run("ip addr add 198.51.100.1/24 dev veth0"));
	g_free(io_test_run("ip link set veth0 up"));
	g_free(io_test_run("ip link set veth1 up"));
	f->dir = g_dir_make_tmp("ferry-cli-XXXXXX", NULL);
	f->profile = write_file(f->dir, "p.conf", good_profile, 0644);
	f->secrets = write_file(f->dir, "secrets", "[secrets]\npsk=" CANARY "\n", 0600);
}

static void
files_clear(Files *f)
{
	g_assert_cmpint(unlink(f->profile), ==, 0);
	g_assert_cmpint(unlink(f->secrets), ==, 0);
	g_assert_cmpint(rmdir(f->dir), ==, 0);
	g_free(f->profile);
	g_free(f->secrets);
	g_free(f->dir);
}

static void
test_unreachable(void)
{
	static const char *const env[] = {"FERRY_RETRANSMIT_TRIES", "2",
	                                  "FERRY_RETRANSMIT_TIMEOUT_MS", "100", NULL};
	Files f = {0};
	Result r = {0};
	gint64 t0;

	if (io_test_netns_run_in_child())
		return;
	silent_gateway(&f);

	t0 = g_get_monotonic_time();
	run_ferry(&r,
	          (const char *[]){"connect", "--json", "--no-dns", "--profile", f.profile,
	                           "--secrets", f.secrets, NULL},
	          env);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 5 * G_USEC_PER_SEC);
	g_assert_cmpint(r.status, ==, 4);
	assert_error_line(&r);
	g_assert_nonnull(strstr(r.err, "198.51.100.2"));
	assert_json_lines(r.out);
	g_assert_nonnull(strstr(r.out, "\"event\":\"sent\""));
	g_assert_nonnull(strstr(r.out, "\"exchange\":\"IKE_SA_INIT\""));
	g_assert_nonnull(strstr(r.out, "\"retransmit\":true"));
	g_assert_nonnull(strstr(r.out, "\"code\":\"unreachable\""));
	g_assert_nonnull(strstr(r.out, "\"exit\":4"));
	g_assert_nonnull(strstr(r.out, "\"reason\":\"error\""));
	result_clear(&r);

	/* Human output: one "[seconds] what happened" line per event. */
	run_ferry(&r,
	          (const char *[]){"connect", "--no-dns", "--profile", f.profile, "--secrets",
	                           f.secrets, NULL},
	          env);
	g_assert_cmpint(r.status, ==, 4);
	g_assert_true(g_str_has_prefix(r.out, "["));
	g_assert_nonnull(strstr(r.out, "] IKE_SA_INIT sent (msg 0, "));
	g_assert_nonnull(strstr(r.out, "] IKE_SA_INIT sent again (msg 0, "));
	g_assert_nonnull(strstr(r.out, "] tunnel down: error"));
	result_clear(&r);

	/* A stored profile by name, with its stored secrets: no prompt. */
	{
		g_autofree char *store = g_build_filename(f.dir, "store", NULL);
		g_autofree char *stored_secrets = NULL;

		run_ferry(&r, (const char *[]){"import", f.profile, "--profile-dir", store, NULL},
		          NULL);
		g_assert_cmpint(r.status, ==, 0);
		result_clear(&r);
		stored_secrets =
			write_file(store, "cli-test.secrets", "[secrets]\npsk=" CANARY "\n", 0600);
		run_ferry(&r,
		          (const char *[]){"connect", "--no-dns", "--profile", "cli-test",
		                           "--profile-dir", store, NULL},
		          env);
		g_assert_cmpint(r.status, ==, 4);
		assert_error_line(&r);
		result_clear(&r);
		run_ferry(&r, (const char *[]){"delete", "cli-test", "--profile-dir", store, NULL},
		          NULL);
		g_assert_cmpint(r.status, ==, 0);
		result_clear(&r);
		g_assert_cmpint(rmdir(store), ==, 0);
	}
	g_assert_cmpuint(if_nametoindex("ferry0"), ==, 0);
	files_clear(&f);
}

/* The TUN device cannot be made: that advice names root and /dev/net/tun. */
static void
test_io_advice_session(void)
{
	Files f = {0};
	Result r = {0};

	if (io_test_netns_run_in_child())
		return;
	silent_gateway(&f);
	run_ferry(&r,
	          (const char *[]){"connect", "--no-dns", "--tun", "ferry-name-far-too-long",
	                           "--profile", f.profile, "--secrets", f.secrets, NULL},
	          NULL);
	g_assert_cmpint(r.status, ==, 9);
	assert_error_line(&r);
	g_assert_nonnull(strstr(r.err, "TUN device"));
	g_assert_nonnull(strstr(r.err, "; check that ferry runs as root and the system has "
	                               "/dev/net/tun\n"));
	result_clear(&r);
	files_clear(&f);
}

static void
test_interrupted(void)
{
	g_autoptr(GSubprocess) ferry = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GDataInputStream) lines = NULL;
	g_autofree char *first = NULL;
	g_autofree char *rest = NULL;
	Files f = {0};

	if (io_test_netns_run_in_child())
		return;
	silent_gateway(&f);
	ferry = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
	                         &error, FERRY_CLI_PATH, "connect", "--json", "--no-dns", "--tun",
	                         "fytest0", "--profile", f.profile, "--secrets", f.secrets, NULL);
	g_assert_no_error(error);
	lines = g_data_input_stream_new(g_subprocess_get_stdout_pipe(ferry));
	first = g_data_input_stream_read_line(lines, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(first);
	g_assert_cmpuint(if_nametoindex("fytest0"), !=, 0);

	/* Ctrl-C before the tunnel is up. */
	g_subprocess_send_signal(ferry, SIGINT);
	g_assert_true(g_subprocess_wait(ferry, NULL, &error));
	g_assert_true(g_subprocess_get_if_exited(ferry));
	g_assert_cmpint(g_subprocess_get_exit_status(ferry), ==, 130);
	rest = g_data_input_stream_read_upto(lines, "", 0, NULL, NULL, &error);
	g_assert_nonnull(strstr(rest, "\"code\":\"interrupted\""));
	g_assert_nonnull(strstr(rest, "\"exit\":130"));
	g_assert_nonnull(strstr(rest, "\"reason\":\"user\""));
	g_assert_cmpuint(if_nametoindex("fytest0"), ==, 0);
	files_clear(&f);
}

/* `ferry status` while `ferry connect` tries a silent gateway, and after it ended. */
static void
test_status(void)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) ferry = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GDataInputStream) lines = NULL;
	g_autofree char *first = NULL;
	g_autofree char *run = NULL;
	g_autofree char *file = NULL;
	const char *env[] = {"FERRY_RUN_DIR", NULL, NULL};
	struct stat st;
	Files f = {0};
	Result r = {0};

	if (io_test_netns_run_in_child())
		return;
	silent_gateway(&f);
	run = g_build_filename(f.dir, "run", NULL);
	env[1] = run;

	run_ferry(&r, (const char *[]){"status", NULL}, env);
	g_assert_cmpint(r.status, ==, 1);
	g_assert_cmpstr(r.out, ==, "no ferry connection is running here\n");
	result_clear(&r);

	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE);
	g_subprocess_launcher_setenv(launcher, "FERRY_RUN_DIR", run, TRUE);
	ferry = g_subprocess_launcher_spawn(launcher, &error, FERRY_CLI_PATH, "connect", "--json",
	                                    "--no-dns", "--profile", f.profile, "--secrets",
	                                    f.secrets, NULL);
	g_assert_no_error(error);
	lines = g_data_input_stream_new(g_subprocess_get_stdout_pipe(ferry));
	first = g_data_input_stream_read_line(lines, NULL, NULL, &error);
	g_assert_nonnull(first);

	file = g_strdup_printf("%s/%s.status", run, g_subprocess_get_identifier(ferry));
	g_assert_cmpint(stat(file, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	run_ferry(&r, (const char *[]){"status", NULL}, env);
	g_assert_cmpint(r.status, ==, 0);
	g_test_message("%s", r.out);
	g_assert_true(g_str_has_prefix(r.out, "no tunnel yet: connecting for "));
	g_assert_nonnull(strstr(r.out, "(profile cli-test, pid "));
	g_assert_nonnull(strstr(r.out, "\n  gateway:    198.51.100.2 "));
	g_assert_nonnull(strstr(r.out, "\n  traffic:    in 0 packets"));
	result_clear(&r);

	g_subprocess_send_signal(ferry, SIGINT);
	g_assert_true(g_subprocess_wait(ferry, NULL, &error));
	g_assert_cmpint(g_subprocess_get_exit_status(ferry), ==, 130);
	g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS));
	run_ferry(&r, (const char *[]){"status", NULL}, env);
	g_assert_cmpint(r.status, ==, 1);
	result_clear(&r);
	g_assert_cmpint(rmdir(run), ==, 0);
	files_clear(&f);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/cli/help", test_help);
	g_test_add_func("/ferry/cli/version", test_version);
	g_test_add_func("/ferry/cli/usage", test_usage);
	g_test_add_func("/ferry/cli/bad-profile", test_bad_profile);
	g_test_add_func("/ferry/cli/secrets-refused", test_secrets_refused);
	g_test_add_func("/ferry/cli/profiles", test_profiles);
	g_test_add_func("/ferry/cli/io-advice/files", test_io_advice_files);
	g_test_add_func("/ferry/cli/io-advice/session", test_io_advice_session);
	g_test_add_func("/ferry/cli/cleanup", test_cleanup);
	g_test_add_func("/ferry/cli/unreachable", test_unreachable);
	g_test_add_func("/ferry/cli/interrupted", test_interrupted);
	g_test_add_func("/ferry/cli/status", test_status);
	return g_test_run();
}
