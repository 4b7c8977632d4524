/* ferry-fd.h - fd cleanup (g_autofd needs GLib 2.76; Debian 12 has 2.74) */
#pragma once

#include <errno.h>
#include <unistd.h>

static inline void
ferry_fd_closep(int *fd)
{
	if (fd && *fd >= 0) {
		int saved = errno;
		close(*fd);
		*fd = -1;
		errno = saved;
	}
}

#define ferry_autofd __attribute__((cleanup(ferry_fd_closep)))
