/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_extraopts.h - --extra-opts=[section][@file], monitoring-plugins style.
 *
 * The ini file holds "[section]" headers and "key=value" (or bare "key")
 * lines; ';' and '#' start comments; blanks around keys and values are
 * trimmed; a value may be wrapped in double quotes.  Each key of the chosen
 * section becomes "--key=value" (or "--key").  Without "@file" the default
 * files are searched in order: $MP_CONFIG_FILE, then each directory of
 * $NAGIOS_CONFIG_PATH (":"-separated) for plugins.ini, nagios-plugins.ini and
 * monitoring-plugins.ini, then /etc/nagios/plugins.ini,
 * /usr/local/nagios/etc/plugins.ini, /usr/local/etc/nagios/plugins.ini,
 * /etc/opt/nagios/plugins.ini, /etc/nagios-plugins.ini,
 * /usr/local/etc/nagios-plugins.ini, /etc/opt/nagios-plugins.ini and
 * /etc/monitoring-plugins/monitoring-plugins.ini.  The first file found
 * (readable) is the one read, as in the reference.  Without a section the
 * plugin's name is the section.  A missing section is an error (as in the
 * reference), so a typo never silently drops thresholds.  When the search
 * finds no file, or the file found lacks the section, the message lists
 * the paths tried before, in order ("cannot find an --extra-opts file:
 * tried '...', '...'", "no section 'S' in 'F', the first --extra-opts file
 * found; tried before it: '...'"), as many as fit in a message, then "and N
 * more"; a path that is there but unreadable is followed by the reason.
 */
#ifndef MSP_EXTRAOPTS_H
#define MSP_EXTRAOPTS_H

#include "msp_error.h"

/*
 * Expand every --extra-opts occurrence in argv.  On success *ret_argv is a
 * new NULL-terminated vector (caller frees with msp_extraopts_free) where
 * the options read from files come right after argv[0], followed by the
 * remaining original arguments, and *ret_argc its length.
 * Returns 0 or MSP_E* with a message.
 */
int msp_extraopts_expand(int argc, char **argv, const char *plugin, int *ret_argc, char ***ret_argv,
			 struct msp_error *err);

/*
 * The search, for the man page: the file names looked for in each
 * $NAGIOS_CONFIG_PATH directory and the fixed paths, in order; each list
 * ends with NULL.
 */
extern const char *const msp_extraopts_dir_files[];
extern const char *const msp_extraopts_default_files[];

/* Free a vector made by msp_extraopts_expand (accepts NULL). */
void msp_extraopts_free(char **argv);

/*
 * Read section from the ini file path and append "--key=value" strings to
 * the vector (*vec, *n).  Returns 1 when the section was found, 0 when
 * the file has no such section, or MSP_E* (file unreadable, syntax).
 * Only a regular file of at most 1 MiB is read: a FIFO, a terminal or
 * /dev/stdin is refused ("cannot read 'PATH': not a regular file") without
 * waiting for it, so a misconfigured path cannot hang the plugin.  The
 * runner calls this inside the plugin's deadline.
 */
int msp_extraopts_read(const char *path, const char *section, char ***vec, int *n, struct msp_error *err);

#endif
