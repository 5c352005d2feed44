/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * blockfs - mount a FUSE filesystem that never answers, for tests of
 * plugins that must not hang on a dead mount (check_disk).
 *
 * Usage: blockfs MOUNTPOINT
 *
 * Opens /dev/fuse, mounts it on MOUNTPOINT (type fuse.blockfs) with
 * mount(2) directly (no libfuse, no fusermount), prints "ready" on stdout
 * and then sleeps without ever reading a request.  Every stat(), statfs()
 * or open() below MOUNTPOINT therefore blocks, as on a FUSE daemon that
 * hangs or an NFS server that is gone.  The caller ends it with SIGTERM or
 * SIGKILL: closing /dev/fuse aborts the connection, the blocked calls fail
 * with ENOTCONN, and "umount -l MOUNTPOINT" removes the mount.
 *
 * Needs root (CAP_SYS_ADMIN).  Exit status: 77 when /dev/fuse or mount(2)
 * is unavailable (the caller skips), 1 on other errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char opts[128];
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: blockfs MOUNTPOINT\n");
		return 1;
	}
	fd = open("/dev/fuse", O_RDWR);
	if (fd < 0) {
		printf("cannot open /dev/fuse: %s\n", strerror(errno));
		return 77;
	}
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0", fd);
	if (mount("blockfs", argv[1], "fuse.blockfs", MS_NOSUID | MS_NODEV, opts) < 0) {
		printf("cannot mount a FUSE filesystem on %s: %s\n", argv[1], strerror(errno));
		return errno == EPERM || errno == ENODEV || errno == EACCES ? 77 : 1;
	}
	printf("ready\n");
	fflush(stdout);
	/* Hold the connection open and never read it: the kernel's requests wait forever. */
	for (;;)
		pause();
}
