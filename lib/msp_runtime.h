/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_runtime.h - internal to the runner (msp_plugin.c, msp_option.c,
 * msp_help.c, msp_runtime.c); plugins do not include it.
 *
 * The process-wide state the signal handlers read (plain data only) and
 * the async-signal-safe output and exit paths.
 */
#ifndef MSP_RUNTIME_H
#define MSP_RUNTIME_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

/* The labels after plugin="..." in every prometheus sample, the timeout's too: name="value",... */
#define MSP_PROM_LABELS_MAX 1024

extern const char *msp_g_service;
extern const char *msp_g_plugin;
extern volatile sig_atomic_t msp_g_timeout_state;
extern volatile sig_atomic_t msp_g_format;
extern char msp_g_prom_labels[MSP_PROM_LABELS_MAX];
extern double msp_g_start; /* msp_time_mono() when msp_main() began */

/* Write all of p to fd; false when any of it could not be written. */
bool msp_rt_write_all(int fd, const char *p, size_t n);

/* Write out to stdout and _exit with state, or with UNKNOWN when stdout took less than all of it. */
__attribute__((noreturn)) void msp_rt_write_and_exit(const char *out, size_t n, int state);

/* Print a one-line result (signal-safe) in the current format and _exit with state. */
__attribute__((noreturn)) void msp_rt_emergency_exit(int state, const char *what, const char *detail);

/* Kill every tracked child and orphaned descendant. */
void msp_rt_kill_children(void);

/* (Re-)arm the deadline secs seconds from msp_g_start (a passed one fires at once); stop it. */
void msp_rt_arm_deadline(unsigned secs);
void msp_rt_disarm_deadline(void);

/* Fill closed descriptors 0..2 with /dev/null (stdout read-only: writing the result fails, exit 3). */
void msp_rt_plug_std_fds(void);

/* The alarm, SIGTERM/SIGINT/SIGHUP, SIGPIPE ignored, and fatal signals (not under sanitizers). */
void msp_rt_install_handlers(void);

#endif
