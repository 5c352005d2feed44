/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * banned.h - functions this project must not call (after git's banned.h).
 *
 * Included by msp.h after the system headers, so a use of one of these in
 * our code fails to compile with a message naming the reason.
 */
#ifndef MSP_BANNED_H
#define MSP_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_msp_plugins

#undef sprintf
#define sprintf(...) BANNED(sprintf_use_snprintf_or_msp_buf_addf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf_use_vsnprintf)
#undef strcpy
#define strcpy(x, y) BANNED(strcpy_use_snprintf)
#undef strcat
#define strcat(x, y) BANNED(strcat_use_msp_buf)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy_use_snprintf)
#undef strncat
#define strncat(x, y, n) BANNED(strncat_use_msp_buf)
#undef strtok
#define strtok(x, y) BANNED(strtok_use_strtok_r)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi_use_msp_num_int64)
#undef atol
#define atol(x) BANNED(atol_use_msp_num_int64)
#undef atoll
#define atoll(x) BANNED(atoll_use_msp_num_int64)
#undef atof
#define atof(x) BANNED(atof_use_msp_num_double)
#undef system
#define system(x) BANNED(system_use_msp_exec_run)
#undef popen
#define popen(x, y) BANNED(popen_use_msp_exec_run)
#undef localtime
#define localtime(x) BANNED(localtime_use_msp_time_local)
#undef gmtime
#define gmtime(x) BANNED(gmtime_use_msp_time_utc)
#undef ctime
#define ctime(x) BANNED(ctime_use_strftime)
#undef asctime
#define asctime(x) BANNED(asctime_use_strftime)
#undef mktemp
#define mktemp(x) BANNED(mktemp_use_mkstemp)
#undef tmpnam
#define tmpnam(x) BANNED(tmpnam_use_mkstemp)

#endif
