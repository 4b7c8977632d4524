/* io-record.h - the on-disk record of what a session changed in the system, and the cleanup
 * after a ferry that died without undoing it
 *
 * SIGINT/SIGTERM let a session restore DNS and remove its routes itself; SIGKILL, a crash or a
 * power cut do not.  So before it changes anything outside its TUN device a session writes
 * what it is about to change, and how to undo it, to <dir>/<pid>.session (a keyfile, 0600, in
 * a directory of mode 0700 that only its owner may write: the record says which bytes go back
 * into resolv.conf).  The next ferry (connect, `ferry cleanup`, the NM service at start) undoes
 * the records whose process is gone:
 *
 *   [session] pid, starttime (of the process, so a reused PID is not taken for it), netns
 *             (device:inode of /proc/self/ns/net: /run is shared by every network namespace,
 *             and only the namespace a record was made in holds what it lists)
 *   [tun]     name, ifindex: the device goes away with its process unless it was made
 *             persistent; what is left is removed
 *   [dns]     see io-dns.h: resolv.conf's saved state and what Ferry wrote, or the resolved link
 *   [routes]  routes outside the TUN device (the gateway's host route, excluded subnets): they
 *             outlive the device, see io-netlink.h
 *
 * Writes are atomic (a temporary file, fsync, rename).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define IO_RECORD_DIR    "/run/ferry"
#define IO_RECORD_SUFFIX ".session"

typedef struct _IoRecord IoRecord;

/* Start this process's record in @dir (NULL = IO_RECORD_DIR), creating the directory with mode
 * 0700; nothing is written until io_record_save().  (transfer full) */
IoRecord *io_record_new(const char *dir, GError **error);
/* Frees without touching the file: io_record_remove() once everything is undone. */
void io_record_free(IoRecord *record);
/* (transfer none) */
GKeyFile *io_record_get_keyfile(IoRecord *record);
const char *io_record_get_path(const IoRecord *record);
/* Write the keyfile's current contents to the record file, atomically. */
gboolean io_record_save(IoRecord *record, GError **error);
/* The TUN device in the [tun] group (not saved yet). */
void io_record_set_tun(IoRecord *record, const char *name, int ifindex);
/* Everything listed is undone: remove the file. */
void io_record_remove(IoRecord *record);

/* Undo what dead ferry processes recorded in @dir (NULL = IO_RECORD_DIR) for this network
 * namespace, and remove their records.  One line per thing done ("restored /etc/resolv.conf
 * ...") is appended to @done (element type char *, owned by the array).  Records of live
 * processes, of other namespaces, or not owned by us with mode 0600 are left alone.  FALSE
 * only when @dir exists but cannot be trusted or read; undo failures become lines in @done. */
gboolean io_record_cleanup(const char *dir, GPtrArray *done, GError **error);

/* The network namespace this process is in, as "device:inode"; NULL if unknown. (transfer
 * full) */
char *io_record_netns_id(void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(IoRecord, io_record_free)

G_END_DECLS
