/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_clamav.h - what check_clamav's files share (check_clamav.c: options
 * and probe; check_clamav_db.c: the database files; check_clamav_parse.c: the
 * freshclam log and clamd's replies; check_clamav_eval.c: evaluate) and what
 * its unit test drives.
 */
#ifndef CHECK_CLAMAV_H
#define CHECK_CLAMAV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msp.h"

/* A ClamAV database container (.cvd/.cld/.cud) starts with a header of this many bytes. */
#define CHECK_CLAMAV_HEADER_SIZE 512

/* The databases freshclam maintains, in the order they are reported. */
enum check_clamav_dbid {
	CHECK_CLAMAV_DAILY = 0,
	CHECK_CLAMAV_MAIN,
	CHECK_CLAMAV_BYTECODE,
	CHECK_CLAMAV_NDB,
};

/* Largest reply we read from clamd (PONG, a VERSION line, a scan result). */
#define CHECK_CLAMAV_REPLY_MAX 1024

/* How much of the end of a freshclam log is read. */
#define CHECK_CLAMAV_LOG_TAIL (256 * 1024)

struct check_clamav_config {
	/* From the option table; strings point into argv (or are the table's defaults). */
	const char *db_dir;        /* --db-dir */
	const char *warn;          /* -w text (its default when not given) */
	const char *crit;          /* -c text */
	bool warn_given, crit_given;
	double max_future;         /* --max-future, seconds */
	bool want[CHECK_CLAMAV_NDB]; /* --databases; all three by default */
	bool databases_given;
	bool no_databases;         /* --databases none */
	const char *socket;        /* --socket PATH */
	const char *host;          /* -H */
	unsigned port;             /* -p */
	bool port_given;
	int family;                /* 0, 4 or 6 */
	bool loaded_vs_disk;       /* --loaded-vs-disk */
	bool eicar;                /* --eicar */
	const char *freshclam_log; /* --freshclam-log FILE */

	/* Filled by finish. */
	struct msp_age_policy age; /* on the daily database's age in seconds */
};

/* The header fields a check needs. */
struct check_clamav_header {
	uint64_t version;    /* "daily 27500" */
	uint64_t sigs;       /* number of signatures */
	uint64_t flevel;     /* functionality level required */
	int64_t build_time;  /* seconds since the epoch */
	char builder[64];    /* printable ASCII */
	char md5[40];        /* the MD5 field as written ("X" when there is none), cut at 39 */
};

enum check_clamav_db_status {
	CHECK_CLAMAV_DB_UNREAD = 0, /* not wanted or not looked at */
	CHECK_CLAMAV_DB_OK,         /* header read and parsed */
	CHECK_CLAMAV_DB_MISSING,    /* none of name.cvd .cld .cud exists */
	CHECK_CLAMAV_DB_BAD,        /* a file exists but cannot be read or its header is malformed */
};

struct check_clamav_db {
	enum check_clamav_db_status status;
	char file[16];       /* the file judged, e.g. "daily.cld" */
	char problem[320];   /* why it is BAD */
	char verified[80];   /* what of the body was checked, when OK */
	struct check_clamav_header h;
};

enum check_clamav_daemon_status {
	CHECK_CLAMAV_DAEMON_UNCHECKED = 0,
	CHECK_CLAMAV_DAEMON_UP,   /* answered PONG */
	CHECK_CLAMAV_DAEMON_DOWN, /* cannot connect, no answer, a wrong answer */
};

enum check_clamav_eicar {
	CHECK_CLAMAV_EICAR_UNCHECKED = 0,
	CHECK_CLAMAV_EICAR_FOUND,  /* "stream: <name> FOUND" */
	CHECK_CLAMAV_EICAR_MISSED, /* "stream: OK": the scanner detected nothing */
	CHECK_CLAMAV_EICAR_FAILED, /* no answer or an error reply */
};

struct check_clamav_daemon {
	enum check_clamav_daemon_status status;
	char where[160];      /* "socket '/run/clamav/clamd.ctl'" or "127.0.0.1:3310" */
	char problem[320];    /* why DOWN */
	double response_time; /* seconds for PING, when UP */
	bool has_version;     /* VERSION answered and parsed */
	char version_problem[320]; /* why not */
	char engine[32];      /* "1.4.6" */
	bool has_loaded;      /* VERSION named a loaded daily version */
	uint64_t loaded;      /* that version */
	int64_t loaded_time;  /* its build time from the reply, 0 when unparsed */
	enum check_clamav_eicar eicar;
	char eicar_reply[200]; /* the signature name, or what went wrong */
};

enum check_clamav_update {
	CHECK_CLAMAV_UPDATE_NONE = 0, /* no finished attempt */
	CHECK_CLAMAV_UPDATE_OK,       /* up to date, or databases updated */
	CHECK_CLAMAV_UPDATE_FAILED,   /* "ERROR: Update failed." and the like */
};

/* What a freshclam log says about its last update attempts. */
struct check_clamav_freshclam {
	bool checked;
	char problem[320];         /* the log could not be read */
	unsigned attempts;         /* update runs seen in the part read */
	enum check_clamav_update result; /* of the last run that finished */
	int64_t result_time;       /* when that run started; 0 unknown (no LogTime) */
	char reason[200];          /* the last ERROR of a failed run */
	bool pending;              /* a later run has no result (running, or cut off) */
	int64_t pending_time;
};

struct check_clamav_sample {
	struct check_clamav_db db[CHECK_CLAMAV_NDB];
	struct check_clamav_daemon daemon;
	struct check_clamav_freshclam freshclam;
};

/* "daily", "main", "bytecode" (check_clamav_db.c). */
const char *check_clamav_db_name(enum check_clamav_dbid id);

/*
 * Parse a container header: len bytes at buf (len < 512 is a truncated
 * header).  Fills *ret on success; otherwise MSP_EINVAL with the reason.
 */
int check_clamav_parse_header(const char *buf, size_t len, struct check_clamav_header *ret, struct msp_error *err);

/* The most files a .cld's tar archive may hold (daily has a few dozen, bytecode about a hundred). */
#define CHECK_CLAMAV_TAR_MAX_FILES 4096

/*
 * Check the body of a container open on fd, positioned just after its
 * header h; file is its name ("daily.cld": the extension says the
 * layout).  .cvd and .cud: the MD5 of the body must match the header.
 * .cld: an uncompressed tar (freshclam's layout) is walked entry by entry
 * and every file's size and SHA-256 compared with the .info inside it; a
 * gzip'd .cld is checked by the header's MD5 when that matches, else only
 * for its gzip magic.  The digital signature is never checked.  0 with
 * what was checked in ret_verified (len bytes), or MSP_EINVAL (damaged),
 * MSP_ESYS (read error), MSP_ENOMEM with the reason.
 */
int check_clamav_verify_body(int fd, const char *file, const struct check_clamav_header *h, char *ret_verified,
			     size_t len, struct msp_error *err);

/*
 * Read the header of database id in dir: of name.cvd, name.cld and
 * name.cud the one with the highest version (then the latest build time)
 * is judged; a file that exists but is unreadable, has a malformed header
 * or a body that does not check out (check_clamav_verify_body) makes the
 * database BAD.  Fills *ret (never fails otherwise).
 */
void check_clamav_read_db(const char *dir, enum check_clamav_dbid id, struct check_clamav_db *ret);

/*
 * Parse a clamd VERSION reply ("ClamAV 1.4.6/27500/Sat Nov 28 01:42:23 2026",
 * or "ClamAV 1.4.6" when no database is loaded) into d's engine, has_loaded,
 * loaded and loaded_time.  0, or MSP_EINVAL when the reply is not a version.
 */
int check_clamav_parse_version(const char *reply, struct check_clamav_daemon *d, struct msp_error *err);

/*
 * Read a freshclam log (len bytes of its last part; a first partial line is
 * skipped when `partial`) into *ret.  A NUL byte (runs of them are left
 * by a crash) ends a line like a newline: reading goes on after it.  Times are local time as freshclam
 * writes them.  Never fails.
 */
void check_clamav_parse_freshclam(const char *text, size_t len, bool partial, struct check_clamav_freshclam *ret);

/*
 * Fill root from cfg, the sample and the wall clock `now`: one line per
 * database, the daemon, the EICAR test and freshclam; state, summary and
 * perfdata.  Returns 0 or MSP_ENOMEM.
 */
int check_clamav_evaluate(const struct check_clamav_config *cfg, const struct check_clamav_sample *s, int64_t now,
			  struct msp_result *root);

#endif
