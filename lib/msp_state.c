/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_state.c - state names and ranking (see msp_state.h). */
#include <strings.h>

#include "msp_state.h"
#include "banned.h"

const char *msp_state_name(enum msp_state s)
{
	switch (s) {
	case MSP_STATE_OK:
		return "OK";
	case MSP_STATE_WARNING:
		return "WARNING";
	case MSP_STATE_CRITICAL:
		return "CRITICAL";
	case MSP_STATE_UNKNOWN:
		break;
	}
	return "UNKNOWN";
}

int msp_state_rank(enum msp_state s)
{
	switch (s) {
	case MSP_STATE_OK:
		return 0;
	case MSP_STATE_WARNING:
		return 1;
	case MSP_STATE_CRITICAL:
		return 3;
	case MSP_STATE_UNKNOWN:
		break;
	}
	return 2;
}

enum msp_state msp_state_worst(enum msp_state a, enum msp_state b)
{
	return msp_state_rank(b) > msp_state_rank(a) ? b : a;
}

int msp_state_parse(const char *s, enum msp_state *ret_state, struct msp_error *err)
{
	static const struct {
		const char *name;
		enum msp_state state;
	} names[] = {
		{ "ok", MSP_STATE_OK },		    { "0", MSP_STATE_OK },	  { "warning", MSP_STATE_WARNING },
		{ "warn", MSP_STATE_WARNING },	    { "1", MSP_STATE_WARNING },	  { "critical", MSP_STATE_CRITICAL },
		{ "crit", MSP_STATE_CRITICAL },	    { "2", MSP_STATE_CRITICAL },  { "unknown", MSP_STATE_UNKNOWN },
		{ "3", MSP_STATE_UNKNOWN },
	};

	for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*ret_state = names[i].state;
			return 0;
		}
	}
	return msp_error_set(err, MSP_EINVAL, "state '%.60s' is not OK, WARNING, CRITICAL or UNKNOWN", s ? s : "");
}
