/* io-record.c - a session's on-disk record of its system changes, and undoing dead ones' */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry-fd.h"
#include "io-dns.h"
#include "io-netlink.h"
#include "io-record.h"

#define RECORD_MAX_BYTES (1024 * 1024) /* resolv.conf twice and some routes fit well */

struct _IoRecord {
	/* owned */
	char *dir;
	char *path;
	GKeyFile *kf;
};

static gboolean
set_errno_error(GError **error, int errsv, const char *what, const char *path)
{
	g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errsv), "cannot %s %s: %s", what, path,
	            g_strerror(errsv));
	return FALSE;
}

char *
io_record_netns_id(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st) < 0)
		return NULL;
	return g_strdup_printf("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT, (guint64)st.st_dev,
	                       (guint64)st.st_ino);
}

/* Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. */
static gboolean
read_starttime(pid_t pid, guint64 *starttime)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
	g_autofree char *text = NULL;
	g_auto(GStrv) fields = NULL;
	const char *after;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return FALSE;
	after = strrchr(text, ')'); /* the command name may hold spaces and parentheses */
	if (after == NULL)
		return FALSE;
	fields = g_strsplit(after + 2, " ", 0);
	/* After the name come fields 3, 4, ...: the start time is the 20th of them. */
	if (g_strv_length(fields) < 20)
		return FALSE;
	return g_ascii_string_to_unsigned(fields[19], 10, 0, G_MAXUINT64, starttime, NULL);
}

/* Our own directory: a directory (not a link), ours, writable by nobody else. */
static gboolean
check_dir(const char *dir, GError **error)
{
	struct stat st;
	int errsv;

	if (lstat(dir, &st) < 0) {
		errsv = errno;
		return set_errno_error(error, errsv, "use", dir);
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
		            "%s is not a directory that only its owner (uid %u) may write", dir,
		            (guint)geteuid());
		return FALSE;
	}
	return TRUE;
}

IoRecord *
io_record_new(const char *dir, GError **error)
{
	g_autoptr(IoRecord) record = g_new0(IoRecord, 1);
	g_autofree char *netns = io_record_netns_id();
	guint64 starttime = 0;
	int errsv;

	record->dir = g_strdup(dir != NULL ? dir : IO_RECORD_DIR);
	if (mkdir(record->dir, 0700) < 0) {
		errsv = errno;
		if (errsv != EEXIST) {
			set_errno_error(error, errsv, "create", record->dir);
			return NULL;
		}
	}
	if (!check_dir(record->dir, error))
		return NULL;
	record->path = g_strdup_printf("%s/%d" IO_RECORD_SUFFIX, record->dir, (int)getpid());
	record->kf = g_key_file_new();
	g_key_file_set_integer(record->kf, "session", "pid", (int)getpid());
	if (read_starttime(getpid(), &starttime))
		g_key_file_set_uint64(record->kf, "session", "starttime", starttime);
	if (netns != NULL)
		g_key_file_set_string(record->kf, "session", "netns", netns);
	return g_steal_pointer(&record);
}

void
io_record_free(IoRecord *record)
{
	if (record == NULL)
		return;
	g_clear_pointer(&record->kf, g_key_file_free);
	g_free(record->path);
	g_free(record->dir);
	g_free(record);
}

GKeyFile *
io_record_get_keyfile(IoRecord *record)
{
	return record->kf;
}

const char *
io_record_get_path(const IoRecord *record)
{
	return record->path;
}

void
io_record_set_tun(IoRecord *record, const char *name, int ifindex)
{
	g_key_file_set_string(record->kf, "tun", "name", name);
	g_key_file_set_integer(record->kf, "tun", "ifindex", ifindex);
}

static gboolean
write_all(int fd, const char *data, gsize len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FALSE;
		data += n;
		len -= (gsize)n;
	}
	return TRUE;
}

gboolean
io_record_save(IoRecord *record, GError **error)
{
	g_autofree char *tmp = g_strdup_printf("%s.new", record->path);
	gsize len = 0;
	g_autofree char *data = g_key_file_to_data(record->kf, &len, NULL);
	ferry_autofd int fd = -1;
	int errsv;

	(void)unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || !write_all(fd, data, len) || fsync(fd) < 0) {
		errsv = errno;
		(void)unlink(tmp);
		return set_errno_error(error, errsv, "write", tmp);
	}
	if (rename(tmp, record->path) < 0) {
		errsv = errno;
		(void)unlink(tmp);
		return set_errno_error(error, errsv, "write", record->path);
	}
	return TRUE;
}

void
io_record_remove(IoRecord *record)
{
	if (unlink(record->path) < 0 && errno != ENOENT)
		g_debug("record: cannot remove %s: %s", record->path, g_strerror(errno));
}

/* --- cleanup --- */

/* The record at @path if it is a regular file of ours with mode 0600, else NULL. */
static GKeyFile *
load_trusted(const char *path)
{
	ferry_autofd int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree char *data = NULL;
	struct stat st;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0 ||
	    st.st_size > RECORD_MAX_BYTES) {
		g_debug("record: %s is not ours alone; ignored", path);
		return NULL;
	}
	data = g_malloc((gsize)st.st_size + 1);
	n = read(fd, data, (gsize)st.st_size);
	if (n != st.st_size)
		return NULL;
	data[n] = '\0';
	if (!g_key_file_load_from_data(kf, data, (gsize)n, G_KEY_FILE_NONE, NULL))
		return NULL;
	return g_steal_pointer(&kf);
}

static gboolean
process_alive(GKeyFile *kf, int pid)
{
	guint64 recorded, now;

	if (pid <= 0)
		return FALSE;
	if (!read_starttime(pid, &now))
		return FALSE; /* no such process */
	recorded = g_key_file_get_uint64(kf, "session", "starttime", NULL);
	return recorded == 0 || recorded == now; /* without a start time: assume it is ours */
}

/* Undo one record of a dead process; lines to @done. */
static void
undo_record(GKeyFile *kf, int pid, GPtrArray *done)
{
	guint before = done->len;

	io_dns_undo_record(kf, done);
	io_netlink_undo_record(kf, done);
	for (guint i = before; i < done->len; i++) {
		char *line = g_ptr_array_index(done, i);
		done->pdata[i] = g_strdup_printf("%s (left by ferry pid %d, which ended without "
		                                 "cleaning up)",
		                                 line, pid);
		g_free(line);
	}
}

static void
cleanup_one(const char *dir, const char *name, const char *netns, GPtrArray *done)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *claimed = NULL;
	g_autofree char *recorded_netns = NULL;
	g_autoptr(GKeyFile) kf = NULL;
	int pid;

	kf = load_trusted(path);
	if (kf == NULL)
		return;
	pid = g_key_file_get_integer(kf, "session", "pid", NULL);
	if (pid == (int)getpid() || process_alive(kf, pid))
		return;
	recorded_netns = g_key_file_get_string(kf, "session", "netns", NULL);
	if (g_strcmp0(recorded_netns, netns) != 0) {
		g_debug("record: %s belongs to another network namespace", path);
		return;
	}
	/* Whoever renames it first undoes it: two ferries starting at once do it once. */
	claimed = g_strdup_printf("%s.cleanup-%d", path, (int)getpid());
	if (rename(path, claimed) < 0)
		return;
	undo_record(kf, pid, done);
	(void)unlink(claimed);
}

gboolean
io_record_cleanup(const char *dir, GPtrArray *done, GError **error)
{
	g_autoptr(GDir) listing = NULL;
	g_autofree char *netns = io_record_netns_id();
	const char *name;
	struct stat st;

	if (dir == NULL)
		dir = IO_RECORD_DIR;
	if (lstat(dir, &st) < 0 && errno == ENOENT)
		return TRUE; /* no ferry ever ran since boot */
	if (!check_dir(dir, error))
		return FALSE;
	listing = g_dir_open(dir, 0, error);
	if (listing == NULL)
		return FALSE;
	while ((name = g_dir_read_name(listing)) != NULL) {
		if (g_str_has_suffix(name, IO_RECORD_SUFFIX) && name[0] != '.')
			cleanup_one(dir, name, netns, done);
	}
	return TRUE;
}
