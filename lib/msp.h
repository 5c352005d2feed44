/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp.h - everything a plugin includes.  Include it after system headers:
 * it ends with banned.h, which poisons unsafe libc calls.
 */
#ifndef MSP_H
#define MSP_H

#include "msp_age.h"
#include "msp_buf.h"
#include "msp_error.h"
#include "msp_exec.h"
#include "msp_extraopts.h"
#include "msp_file.h"
#include "msp_meminfo.h"
#include "msp_mount.h"
#include "msp_mountsel.h"
#include "msp_num.h"
#include "msp_perf.h"
#include "msp_plugin.h"
#include "msp_proc.h"
#include "msp_range.h"
#include "msp_regex.h"
#include "msp_render.h"
#include "msp_result.h"
#include "msp_state.h"
#include "msp_time.h"

#include "banned.h"

#endif
