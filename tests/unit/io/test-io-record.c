/* test-io-record.c - the crash record: a session killed with SIGKILL leaves resolv.conf,
 * routes and a TUN device behind, and the next ferry's cleanup puts everything back
 *
 * The DNS cases need no privileges (resolv.conf is a file in a temporary directory).  The
 * routes case runs in a private network namespace:
 *
 *     [ ferry0 (TUN, persistent) ]     [ veth0 203.0.113.1/24 ] --- [ veth1 ]
 *                                       default via 203.0.113.254
 *     the "session" adds the gateway's host route 198.51.100.2 via 203.0.113.254 and
 *     0.0.0.0/1 + 128.0.0.0/1 via ferry0, then dies by SIGKILL.
 */
#include "config.h"

#include <arpa/inet.h>
#include <linux/if_tun.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "io-dns.h"
#include "io-netlink.h"
#include "io-record.h"
#include "io-test-netns.h"
#include "io-tun.h"

#define ORIGINAL "# the machine's own resolver\nnameserver 192.0.2.53\nsearch example.org\n"

typedef struct {
	char *dir;    /* scratch */
	char *run;    /* the record directory */
	char *resolv; /* "resolv.conf" */
} Fixture;

static void
fixture_set_up(Fixture *f, gconstpointer data)
{
	f->dir = g_dir_make_tmp("ferry-record-XXXXXX", NULL);
	g_assert_nonnull(f->dir);
	f->run = g_build_filename(f->dir, "run", NULL);
	f->resolv = g_build_filename(f->dir, "resolv.conf", NULL);
}

static void
remove_tree(const char *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const char *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree char *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			remove_tree(child);
		else
			g_assert_cmpint(unlink(child), ==, 0);
	}
	g_assert_cmpint(rmdir(path), ==, 0);
}

static void
fixture_tear_down(Fixture *f, gconstpointer data)
{
	remove_tree(f->dir);
	g_free(f->dir);
	g_free(f->run);
	g_free(f->resolv);
}

static guint
count_records(const char *run)
{
	g_autoptr(GDir) dir = g_dir_open(run, 0, NULL);
	guint n = 0;

	while (dir != NULL && g_dir_read_name(dir) != NULL)
		n++;
	return n;
}

static char *
record_path(const char *run, pid_t pid)
{
	return g_strdup_printf("%s/%d" IO_RECORD_SUFFIX, run, (int)pid);
}

static char *
join_lines(GPtrArray *done)
{
	g_ptr_array_add(done, NULL);
	g_ptr_array_set_size(done, done->len - 1);
	return g_strjoinv("\n", (char **)done->pdata);
}

static void
assert_contains(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle) == NULL)
		g_error("\"%s\" not found in:\n%s", needle, haystack);
}

/* --- the record file itself --- */

static void
test_file(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(IoRecord) record = io_record_new(f->run, &error);
	g_autofree char *path = record_path(f->run, getpid());
	g_autofree char *text = NULL;
	g_autofree char *netns = io_record_netns_id();
	g_autofree char *pid_line = g_strdup_printf("pid=%d\n", (int)getpid());
	struct stat st;

	g_assert_no_error(error);
	g_assert_cmpstr(io_record_get_path(record), ==, path);
	g_assert_cmpint(stat(f->run, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0700);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS)); /* nothing before a save */

	io_record_set_tun(record, "ferry7", 42);
	g_assert_true(io_record_save(record, &error));
	g_assert_no_error(error);
	g_assert_cmpint(stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	g_assert_cmpint(st.st_uid, ==, geteuid());
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	assert_contains(text, pid_line);
	assert_contains(text, "starttime=");
	assert_contains(text, netns);
	assert_contains(text, "[tun]\nname=ferry7\nifindex=42\n");
	g_assert_cmpuint(count_records(f->run), ==, 1); /* no temporary file left */

	/* Our own record is never cleaned up from under us. */
	{
		g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func(g_free);
		g_assert_true(io_record_cleanup(f->run, done, &error));
		g_assert_cmpuint(done->len, ==, 0);
		g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
	}
	io_record_remove(record);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

/* A directory others may write is not trusted with what goes back into resolv.conf. */
static void
test_untrusted_dir(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(IoRecord) record = NULL;
	g_autofree char *missing = g_build_filename(f->dir, "never-made", NULL);

	/* No directory at all: no ferry ran, nothing to do. */
	g_assert_true(io_record_cleanup(missing, done, &error));
	g_assert_no_error(error);

	g_assert_cmpint(mkdir(f->run, 0700), ==, 0);
	g_assert_cmpint(chmod(f->run, 0777), ==, 0);
	record = io_record_new(f->run, &error);
	g_assert_null(record);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
	g_clear_error(&error);
	g_assert_false(io_record_cleanup(f->run, done, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
	assert_contains(error->message, f->run);
	g_assert_cmpuint(done->len, ==, 0);
}

/* --- resolv.conf after SIGKILL --- */

typedef enum {
	BEFORE_FILE,    /* a regular file */
	BEFORE_SYMLINK, /* a link into someone else's files */
	BEFORE_ABSENT,  /* none */
} Before;

typedef struct {
	Before before;
	gboolean changed_after;  /* someone rewrote the file after the crash */
	gboolean other_netns;    /* the record says another network namespace */
	gboolean loose_mode;     /* the record is readable by others */
	const char *expect_line; /* NULL: nothing done, the record stays */
} KillCase;

/* Numbered as the test paths. */
static const KillCase kill_cases[] = {
	{BEFORE_FILE,    FALSE, FALSE, FALSE, "restored "},
	{BEFORE_SYMLINK, FALSE, FALSE, FALSE, "restored "},
	{BEFORE_ABSENT,  FALSE, FALSE, FALSE, "restored "},
	{BEFORE_FILE,    TRUE,  FALSE, FALSE, "left "    },
	{BEFORE_FILE,    FALSE, TRUE,  FALSE, NULL       },
	{BEFORE_FILE,    FALSE, FALSE, TRUE,  NULL       },
};

/* In a child: a session's DNS step with a record, then death without any cleanup.  The
 * pipe says when resolv.conf is ours; the child waits for a byte (or EOF) before dying. */
static pid_t
spawn_session(Fixture *f, int *ready_fd, int *go_fd)
{
	int ready[2], go[2];
	pid_t pid;

	g_assert_cmpint(pipe(ready), ==, 0);
	g_assert_cmpint(pipe(go), ==, 0);
	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		static const char *const servers[] = {"203.0.113.53", "2001:db8:c0::53", NULL};
		static const char *const domains[] = {"corp.example", NULL};
		IoRecord *record = io_record_new(f->run, NULL);
		IoDns *dns = io_dns_new(f->resolv, NULL, FALSE);
		char c;

		close(ready[0]);
		close(go[1]);
		if (record == NULL)
			_exit(1);
		io_dns_set_record(dns, record);
		if (!io_dns_apply(dns, 7, "ferry0", servers, domains, NULL, TRUE, NULL))
			_exit(2);
		if (write(ready[1], "u", 1) != 1)
			_exit(3);
		(void)read(go[0], &c, 1);
		raise(SIGKILL);
		_exit(4);
	}
	close(ready[1]);
	close(go[0]);
	*ready_fd = ready[0];
	*go_fd = go[1];
	return pid;
}

static void
kill_session(pid_t pid, int go_fd)
{
	int status = 0;

	close(go_fd);
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFSIGNALED(status));
	g_assert_cmpint(WTERMSIG(status), ==, SIGKILL);
}

static void
prepare_before(Fixture *f, Before before)
{
	g_autofree char *target = g_build_filename(f->dir, "resolved-stub.conf", NULL);

	switch (before) {
	case BEFORE_FILE:
		g_assert_true(g_file_set_contents(f->resolv, ORIGINAL, -1, NULL));
		break;
	case BEFORE_SYMLINK:
		g_assert_true(g_file_set_contents(target, ORIGINAL, -1, NULL));
		g_assert_cmpint(symlink(target, f->resolv), ==, 0);
		break;
	case BEFORE_ABSENT:
		break;
	}
}

static void
assert_as_before(Fixture *f, Before before)
{
	g_autofree char *target = g_build_filename(f->dir, "resolved-stub.conf", NULL);
	g_autofree char *text = NULL;
	g_autofree char *link = NULL;

	switch (before) {
	case BEFORE_FILE:
		g_assert_false(g_file_test(f->resolv, G_FILE_TEST_IS_SYMLINK));
		g_assert_true(g_file_get_contents(f->resolv, &text, NULL, NULL));
		g_assert_cmpstr(text, ==, ORIGINAL);
		break;
	case BEFORE_SYMLINK:
		link = g_file_read_link(f->resolv, NULL);
		g_assert_cmpstr(link, ==, target);
		g_assert_true(g_file_get_contents(target, &text, NULL, NULL));
		g_assert_cmpstr(text, ==, ORIGINAL); /* the target was never written */
		break;
	case BEFORE_ABSENT:
		g_assert_false(g_file_test(f->resolv, G_FILE_TEST_EXISTS));
		break;
	}
}

/* Rewrite one key of the dead session's record (as the test's own tampering). */
static void
edit_record(const char *path, const char *group, const char *key, const char *value)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree char *data = NULL;

	g_assert_true(g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL));
	g_key_file_set_string(kf, group, key, value);
	data = g_key_file_to_data(kf, NULL, NULL);
	g_assert_true(g_file_set_contents(path, data, -1, NULL));
	g_assert_cmpint(chmod(path, 0600), ==, 0);
}

static void
test_dns_after_kill(Fixture *f, gconstpointer data)
{
	const KillCase *c = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *during = NULL;
	g_autofree char *during2 = NULL;
	g_autofree char *lines = NULL;
	g_autofree char *path = NULL;
	int ready_fd, go_fd;
	char byte;
	pid_t pid;

	prepare_before(f, c->before);
	pid = spawn_session(f, &ready_fd, &go_fd);
	g_assert_cmpint(read(ready_fd, &byte, 1), ==, 1);
	close(ready_fd);
	path = record_path(f->run, pid);

	/* While it lives, nothing is touched. */
	g_assert_true(io_record_cleanup(f->run, done, &error));
	g_assert_cmpuint(done->len, ==, 0);
	kill_session(pid, go_fd);

	/* SIGKILL: the session's resolv.conf and its record stay. */
	g_assert_true(g_file_get_contents(f->resolv, &during, NULL, NULL));
	assert_contains(during, IO_DNS_MARKER);
	assert_contains(during, "nameserver 203.0.113.53\n");
	g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));

	if (c->changed_after)
		g_assert_true(g_file_set_contents(f->resolv, "nameserver 192.0.2.99\n", -1, NULL));
	if (c->other_netns)
		edit_record(path, "session", "netns", "1:2");
	if (c->loose_mode)
		g_assert_cmpint(chmod(path, 0644), ==, 0);

	g_assert_true(io_record_cleanup(f->run, done, &error));
	g_assert_no_error(error);
	lines = join_lines(done);
	g_test_message("cleanup: %s", lines);
	if (c->expect_line == NULL) {
		g_assert_cmpuint(done->len, ==, 0);
		g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
		g_assert_cmpint(unlink(path), ==, 0);
		g_assert_true(g_file_get_contents(f->resolv, &during2, NULL, NULL));
		g_assert_cmpstr(during2, ==, during); /* untouched */
		return;
	}
	g_assert_cmpuint(done->len, ==, 1);
	assert_contains(lines, c->expect_line);
	assert_contains(lines, f->resolv);
	assert_contains(lines, "ferry pid");
	g_assert_cmpuint(count_records(f->run), ==, 0);
	if (c->changed_after) {
		g_autofree char *text = NULL;
		g_assert_true(g_file_get_contents(f->resolv, &text, NULL, NULL));
		g_assert_cmpstr(text, ==, "nameserver 192.0.2.99\n");
	} else {
		assert_as_before(f, c->before);
	}

	/* Done once: a second cleanup finds nothing. */
	g_ptr_array_set_size(done, 0);
	g_assert_true(io_record_cleanup(f->run, done, &error));
	g_assert_cmpuint(done->len, ==, 0);
}

/* --- routes and a TUN device after SIGKILL, in a namespace --- */

static char *
routes(void)
{
	g_autofree char *v4 = io_test_run("ip -4 route show table all");
	g_autofree char *v6 = io_test_run("ip -6 route show table all");
	return g_strconcat(v4, v6, NULL);
}

static void
run_routes_session(const char *run)
{
	IoTun *tun = io_tun_open("ferry0", NULL);
	IoRecord *record = io_record_new(run, NULL);
	IoNetlink *nl = io_netlink_new(NULL);
	uint8_t gw[4], any[4] = {0}, excluded[4];

	if (tun == NULL || record == NULL || nl == NULL)
		_exit(1);
	/* A persistent device outlives the process: the case the [tun] group is for. */
	if (ioctl(io_tun_get_fd(tun), TUNSETPERSIST, 1) < 0 || !io_tun_set_up(tun, TRUE, NULL))
		_exit(2);
	io_record_set_tun(record, io_tun_get_name(tun), io_tun_get_ifindex(tun));
	if (!io_record_save(record, NULL))
		_exit(3);
	io_netlink_set_record(nl, record);
	inet_pton(AF_INET, "198.51.100.2", gw);
	inet_pton(AF_INET, "198.51.100.128", excluded);
	if (!io_netlink_add_host_exception(nl, AF_INET, gw, NULL) ||
	    !io_netlink_add_exception(nl, AF_INET, excluded, 25, NULL) ||
	    !io_netlink_add_route(nl, io_tun_get_ifindex(tun), AF_INET, any, 0, NULL, NULL))
		_exit(4);
	raise(SIGKILL);
	_exit(5);
}

static void
test_routes_after_kill(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *before = NULL;
	g_autofree char *during = NULL;
	g_autofree char *after = NULL;
	g_autofree char *links = NULL;
	g_autofree char *lines = NULL;
	int status = 0;
	pid_t pid;

	if (io_test_netns_run_in_child())
		return;
	io_test_netns_enter();
	g_free(io_test_run("ip link add veth0 type veth peer name veth1"));
	g_free(io_test_run("ip addr add 203.0.113.1/24 dev veth0"));
	g_free(io_test_run("ip link set veth0 up"));
	g_free(io_test_run("ip link set veth1 up"));
	g_free(io_test_run("ip route add default via 203.0.113.254"));
	before = routes();

	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0)
		run_routes_session(f->run);
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFSIGNALED(status));

	/* The device persists (with its routes); the exceptions outlive any device. */
	during = routes();
	assert_contains(during, "198.51.100.2 via 203.0.113.254 dev veth0");
	assert_contains(during, "198.51.100.128/25 via 203.0.113.254 dev veth0");
	assert_contains(during, "0.0.0.0/1 dev ferry0");
	g_assert_cmpuint(if_nametoindex("ferry0"), !=, 0);

	g_assert_true(io_record_cleanup(f->run, done, &error));
	g_assert_no_error(error);
	lines = join_lines(done);
	g_test_message("cleanup: %s", lines);
	assert_contains(lines, "removed the route to 198.51.100.2/32");
	assert_contains(lines, "removed the route to 198.51.100.128/25");
	assert_contains(lines, "removed the TUN device ferry0");
	g_assert_cmpuint(done->len, ==, 3);
	g_assert_cmpuint(if_nametoindex("ferry0"), ==, 0);
	after = routes();
	g_assert_cmpstr(after, ==, before);
	links = io_test_run("ip -o link show");
	g_assert_null(strstr(links, "ferry0"));
	g_assert_cmpuint(count_records(f->run), ==, 0);
}

/* A clean end removes its record, and with it nothing is left to clean up. */
static void
test_clean_end(Fixture *f, gconstpointer data)
{
	static const char *const servers[] = {"203.0.113.53", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(IoRecord) record = io_record_new(f->run, &error);
	g_autoptr(IoDns) dns = io_dns_new(f->resolv, NULL, FALSE);
	g_autofree char *text = NULL;

	g_assert_true(g_file_set_contents(f->resolv, ORIGINAL, -1, NULL));
	io_dns_set_record(dns, record);
	g_assert_true(io_dns_apply(dns, 7, "ferry0", servers, NULL, NULL, TRUE, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(count_records(f->run), ==, 1);
	g_assert_true(io_dns_restore(dns, &error));
	io_record_remove(record);
	g_assert_cmpuint(count_records(f->run), ==, 0);
	g_assert_true(g_file_get_contents(f->resolv, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, ORIGINAL);
	g_assert_true(io_record_cleanup(f->run, done, &error));
	g_assert_cmpuint(done->len, ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/ferry/io/record/file", Fixture, NULL, fixture_set_up, test_file,
	           fixture_tear_down);
	g_test_add("/ferry/io/record/untrusted-dir", Fixture, NULL, fixture_set_up,
	           test_untrusted_dir, fixture_tear_down);
	g_test_add("/ferry/io/record/clean-end", Fixture, NULL, fixture_set_up, test_clean_end,
	           fixture_tear_down);
	for (gsize i = 0; i < G_N_ELEMENTS(kill_cases); i++) {
		g_autofree char *path = g_strdup_printf("/ferry/io/record/dns-after-kill/%zu", i);
		g_test_add(path, Fixture, &kill_cases[i], fixture_set_up, test_dns_after_kill,
		           fixture_tear_down);
	}
	g_test_add("/ferry/io/record/routes-after-kill", Fixture, NULL, fixture_set_up,
	           test_routes_after_kill, fixture_tear_down);
	return g_test_run();
}
