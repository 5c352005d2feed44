#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/contract/contract.py - check one built plugin against the plugin contract.

Usage:
  contract.py [--plugins DIR] [--cases FILE] [-q] PLUGIN_OR_CONTRACT_FILE
  contract.py --export-cases DIR [--cases FILE]

The first form checks one plugin (check_users, or tests/contract/check_users.contract,
as make check passes it) against /work/shared/DESIGN.md's contract, section 1 and 2:
standard options, bad and hostile arguments, every case of tests/cli/conformance.cases
that names the plugin in every output format (line 1, perfdata grammar, the JSON schema
in tests/contract/output.schema.json, prometheus exposition, stderr, size cap, exit
codes) and the timeout (-t 1 ends a blocking run within 1.5 s with the chosen state).
Settings per plugin: tests/contract/<plugin>.contract (see tests/contract/README.md).

The second form runs every plugin's setup into DIR and writes DIR/conformance.cases
with $TMP and the other variables expanded, for tools that read the case list without
expanding it (the shared plugin-conformance tool in .ci/run).

Exit status: 0 passed, 1 something broke the contract, 77 the plugin is not built,
99 the settings or the case list are wrong.
"""
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import schema  # noqa: E402  (tests/contract/schema.py, the JSON Schema subset we use)

STATES = ("OK", "WARNING", "CRITICAL", "UNKNOWN")
HANG_SECS = 20.0
OUTPUT_CAP = 8192
TIMEOUT_LIMIT = float(os.environ.get("CONTRACT_TIMEOUT_LIMIT", "1.5"))
FORMATS = ("nagios", "multi-line", "json", "prometheus", "table")
UOMS = ("", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c")
NUM = r"-?(?:[0-9]+(?:\.[0-9]+)?)"
RANGE_RE = re.compile(r"^@?(?:~|" + NUM + r")?(?::(?:" + NUM + r")?)?$")
NUM_RE = re.compile("^" + NUM + "$")
VALUE_RE = re.compile(r"^(" + NUM + r"|U)([a-zA-Z%]*)$")
SERVICE_RE = re.compile(r"^([A-Z][A-Z0-9_]*(?: [A-Z0-9_]+)*) (OK|WARNING|CRITICAL|UNKNOWN)(?=$|[ :])")
HOSTILE = ["", "x" * 4096, b"\xff\xfe\x80", "%n%s%n%s", "a\nb", "-5"]


class Settings:
    """What tests/contract/<plugin>.contract says (see README.md)."""

    def __init__(self, name):
        self.name = name
        self.service = None
        self.services = []
        self.setup = None
        self.slow = None
        self.slow_state = True
        self.no_slow = None
        self.stray = ["stray-argument"]
        self.stray_reason = None
        self.thresholds = None


def load_settings(path, name):
    s = Settings(name)
    if not os.path.exists(path):
        raise ValueError("no %s: every plugin needs one (tests/contract/README.md)" % path)
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key, _, rest = line.partition(" ")
            rest = rest.strip()
            if key == "service":
                s.services = rest.split()
                s.service = s.services[0] if s.services else None
            elif key == "setup":
                s.setup = rest
            elif key in ("slow", "slow-own-state"):
                s.slow = rest
                s.slow_state = key == "slow"
            elif key == "no-slow":
                s.no_slow = rest
            elif key == "stray":
                s.stray = shlex.split(rest)
            elif key == "thresholds":
                s.thresholds = rest.split()
            elif key == "no-stray":
                s.stray, s.stray_reason = None, rest
            else:
                raise ValueError("%s:%d: unknown setting %r" % (path, n, key))
    if (s.slow is None) == (s.no_slow is None):
        raise ValueError("%s: give exactly one of 'slow ARGS' and 'no-slow REASON'" % path)
    return s


class Result:
    def __init__(self, rc, out, err, secs, why):
        self.rc, self.out, self.err, self.secs, self.why = rc, out, err, secs, why


def run(argv, env):
    """Run argv (str or bytes items); kill its process group after HANG_SECS."""
    start = time.monotonic()
    try:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, start_new_session=True)
    except OSError as e:
        return Result(None, b"", b"", 0.0, "could not run: %s" % e)
    why = None
    try:
        out, err = p.communicate(timeout=HANG_SECS)
    except subprocess.TimeoutExpired:
        why = "hung: did not end within %d s (killed)" % HANG_SECS
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
    secs = time.monotonic() - start
    try:
        os.killpg(p.pid, signal.SIGKILL)  # whatever it left in its group
    except OSError:
        pass
    if why is None and p.returncode < 0:
        why = "crashed: killed by signal %d" % -p.returncode
    return Result(p.returncode, out, err, secs, why)


def show(args):
    parts = []
    for a in args:
        if isinstance(a, bytes):
            a = a.decode("utf-8", "backslashreplace")
        if len(a) > 40:
            a = a[:12] + "...(%d bytes)" % len(a)
        parts.append(shlex.quote(a).replace("\n", "\\n"))
    return " ".join(parts)


# ------------------------------------------------------------------ perfdata

def split_perf(text):
    """Perfdata items of text; a quoted label may hold blanks ('' is a quote)."""
    items, cur, i = [], "", 0
    while i < len(text):
        ch = text[i]
        if ch == " ":
            if cur:
                items.append(cur)
            cur, i = "", i + 1
            continue
        if ch == "'" and cur == "":
            j = i + 1
            while j < len(text):
                if text[j] == "'" and text[j + 1:j + 2] == "'":
                    j += 2
                elif text[j] == "'":
                    break
                else:
                    j += 1
            cur, i = text[i:j + 1], j + 1
            continue
        cur, i = cur + ch, i + 1
    if cur:
        items.append(cur)
    return items


def perf_problem(item):
    """None when item is 'label'=value[UOM];[warn];[crit];[min];[max], else why not."""
    if item.startswith("'"):
        m = re.match(r"^'((?:[^']|'')+)'=(.*)$", item)
        if not m:
            return "bad quoted label"
        label, rest = m.group(1).replace("''", "'"), m.group(2)
        if not re.search(r"[ ='\"]", label):
            return "label %r is quoted without need" % label
    else:
        label, eq, rest = item.partition("=")
        if not eq or not label:
            return "no label=value"
        if re.search(r"[ ']", label):
            return "label %r needs quotes" % label
    fields = rest.split(";")
    if len(fields) > 5:
        return "more than value;warn;crit;min;max"
    m = VALUE_RE.match(fields[0])
    if not m:
        return "value %r is not a number (no exponent, '.' decimal point)" % fields[0]
    if m.group(2) not in UOMS:
        return "UOM %r is not one of %s" % (m.group(2), " ".join(u or "none" for u in UOMS))
    if m.group(2) in ("B", "c") and "." in m.group(1):
        return "a count or byte value %r has a fraction" % fields[0]
    for name, f in zip(("warn", "crit"), fields[1:3]):
        if f and not RANGE_RE.match(f):
            return "%s %r is not a range" % (name, f)
    for name, f in zip(("min", "max"), fields[3:5]):
        if f and not NUM_RE.match(f):
            return "%s %r is not a number" % (name, f)
    return None


def perf_problems(text):
    return ["perfdata %r: %s" % (it[:80], why) for it in split_perf(text)
            for why in [perf_problem(it)] if why]


# ------------------------------------------------------------------ outputs

def text_problems(r, allow_stderr=False):
    """What every run must keep, whatever the format."""
    if r.why:
        return [r.why]
    probs = []
    if r.rc not in (0, 1, 2, 3):
        probs.append("exit code %d is not 0..3" % r.rc)
    if r.err and not allow_stderr:
        probs.append("wrote to stderr without -v: %r" % r.err[:160])
    if len(r.out) > OUTPUT_CAP:
        probs.append("printed %d bytes, over the 8 KiB cap" % len(r.out))
    if not r.out.strip():
        probs.append("printed nothing on stdout")
    elif not r.out.endswith(b"\n"):
        probs.append("output does not end with a newline")
    try:
        r.out.decode("utf-8")
    except UnicodeDecodeError as e:
        probs.append("output is not UTF-8: %s" % e)
    return probs


def first_line_problems(line, rc, services):
    m = SERVICE_RE.match(line)
    if not m:
        return ["line 1 is not '<SERVICE> <STATE> ...': %r" % line[:120]]
    probs = []
    if services and m.group(1) not in services:
        probs.append("service word %r, want %s" % (m.group(1), " or ".join(services)))
    if rc in (0, 1, 2, 3) and m.group(2) != STATES[rc]:
        probs.append("line 1 says %s, exit code %d" % (m.group(2), rc))
    return probs


def nagios_problems(r, services, allow_stderr=False):
    probs = text_problems(r, allow_stderr)
    if r.why or not r.out.strip():
        return probs
    text = r.out.decode("utf-8", "replace")
    lines = text.rstrip("\n").split("\n")
    head, bar, perf = lines[0].partition("|")
    probs += first_line_problems(head, r.rc, services)
    if "|" in perf:
        probs.append("more than one '|' on line 1")
    probs += perf_problems(perf)
    for n, ln in enumerate(lines[1:], 2):
        if "|" in ln:
            probs.append("'|' on line %d (perfdata belong on line 1): %r" % (n, ln[:100]))
            break
    if re.search(r"[\x00-\x09\x0b-\x1f\x7f]", text):
        probs.append("control character in the output")
    human = "\n".join([head] + lines[1:])
    if re.search(r"(^|\s)\$", human):
        probs.append("'$' starts a word (an Icinga macro)")
    return probs


def usage_problems(r, service):
    """A usage error: exit 3, '<SERVICE> UNKNOWN - what', at most a 'Usage:' line after it."""
    probs = text_problems(r)
    if r.why or not r.out.strip():
        return probs
    if r.rc != 3:
        probs.append("exit %d, want 3 (UNKNOWN)" % r.rc)
    lines = r.out.decode("utf-8", "replace").rstrip("\n").split("\n")
    if not lines[0].startswith("%s UNKNOWN - " % service) or len(lines[0]) <= len(service) + 11:
        probs.append("line 1 is not '%s UNKNOWN - <what is wrong>': %r" % (service, lines[0][:120]))
    extra = [ln for ln in lines[1:] if not ln.startswith("Usage: ")]
    if extra or len(lines) > 2:
        probs.append("%d lines, want one (and a 'Usage:' hint): %r" % (len(lines), r.out[:200]))
    if "|" in lines[0]:
        probs.append("a usage error has perfdata or a stray '|'")
    if re.search(r"[\x00-\x09\x0b-\x1f\x7f]", r.out.decode("utf-8", "replace")):
        probs.append("control character in the output")
    return probs


def json_problems(r, name, service, want_rc):
    probs = text_problems(r)
    if r.why or not r.out.strip():
        return probs
    try:
        doc = json.loads(r.out.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        return probs + ["--output-format=json is not JSON: %s" % e]
    probs += ["json: " + p for p in schema.validate(doc, SCHEMA)]
    if not isinstance(doc, dict):
        return probs
    if r.rc in (0, 1, 2, 3) and (doc.get("exit_code") != r.rc or doc.get("state") != STATES[r.rc]):
        probs.append("json says %r/%r, the process exited %d" % (doc.get("state"), doc.get("exit_code"), r.rc))
    if want_rc is not None and r.rc != want_rc:
        probs.append("json run exited %d, the nagios run %d" % (r.rc, want_rc))
    services = service if isinstance(service, list) else [service]
    if doc.get("plugin") != name or doc.get("service") not in services:
        probs.append("json plugin/service %r/%r, want %s/%s" % (doc.get("plugin"), doc.get("service"), name,
                                                                " or ".join(services)))
    return probs


PROM_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*)\} '
                         r'(-?[0-9]+(?:\.[0-9]+)?|NaN|[+-]Inf)$')


def prometheus_problems(r, name, want_rc):
    probs = text_problems(r)
    if r.why or not r.out.strip():
        return probs
    typed, state = set(), None
    for ln in r.out.decode("utf-8", "replace").rstrip("\n").split("\n"):
        m = re.match(r"^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$", ln)
        if m:
            if m.group(1) == "TYPE":
                if m.group(2) in typed or m.group(3) != "gauge":
                    probs.append("prometheus: bad or repeated TYPE line %r" % ln)
                typed.add(m.group(2))
            continue
        if ln == "# output truncated":
            continue
        m = PROM_SAMPLE.match(ln)
        if not m:
            probs.append("prometheus line does not parse: %r" % ln[:120])
            continue
        if m.group(1) not in typed:
            probs.append("prometheus sample before its TYPE: %r" % ln[:80])
        if m.group(1) == "msp_check_state" and 'plugin="%s"' % name in m.group(2) and "check=" not in m.group(2):
            state = m.group(3)
    if state is None:
        probs.append("prometheus: no msp_check_state{plugin=\"%s\"} sample" % name)
    elif r.rc in (0, 1, 2, 3) and state != str(r.rc):
        probs.append("prometheus msp_check_state %s, exit code %d" % (state, r.rc))
    if want_rc is not None and r.rc != want_rc:
        probs.append("prometheus run exited %d, the nagios run %d" % (r.rc, want_rc))
    return probs


def multiline_problems(r, want_rc):
    probs = text_problems(r)
    if r.why or not r.out.strip():
        return probs
    lines = r.out.decode("utf-8", "replace").rstrip("\n").split("\n")
    m = re.match(r"^\[(OK|WARNING|CRITICAL|UNKNOWN)\] - ", lines[0])
    if not m:
        probs.append("multi-line line 1 is not '[STATE] - ...': %r" % lines[0][:100])
    elif r.rc in (0, 1, 2, 3) and m.group(1) != STATES[r.rc]:
        probs.append("multi-line line 1 says %s, exit code %d" % (m.group(1), r.rc))
    if len(lines) > 1 and lines[-1].startswith("|"):
        probs += perf_problems(lines[-1][1:])
    if want_rc is not None and r.rc != want_rc:
        probs.append("multi-line run exited %d, the nagios run %d" % (r.rc, want_rc))
    return probs


def table_problems(r, services, want_rc):
    probs = text_problems(r)
    if r.why or not r.out.strip():
        return probs
    first = r.out.decode("utf-8", "replace").split("\n")[0]
    probs += first_line_problems(first, r.rc, services)
    if "|" in first or "\x1b" in r.out.decode("utf-8", "replace"):
        probs.append("table line 1 has perfdata, or colour off a terminal: %r" % first[:100])
    if want_rc is not None and r.rc != want_rc:
        probs.append("table run exited %d, the nagios run %d" % (r.rc, want_rc))
    return probs


with open(os.path.join(HERE, "output.schema.json"), encoding="utf-8") as _f:
    SCHEMA = json.load(_f)


# ------------------------------------------------------------------ checker

class Checker:
    def __init__(self, name, path, settings, quiet, var):
        self.name, self.path, self.s, self.quiet, self.var = name, path, settings, quiet, var
        self.checks = self.failed = self.skipped = 0
        self.service = settings.service
        self.env = dict(os.environ, LC_ALL="C")
        self.env.pop("MSP_COLOR", None)

    def report(self, what, probs):
        self.checks += 1
        if probs:
            self.failed += 1
            print("FAIL  %s: %s" % (what, "; ".join(dict.fromkeys(probs))))
        elif not self.quiet:
            print("ok    %s" % what)

    def skip(self, what, why):
        self.skipped += 1
        print("skip  %s: %s" % (what, why))

    def run(self, args):
        return run([self.path] + list(args), self.env)

    def services(self):
        return self.s.services or [self.service]

    # -- the service word, from the plugin's own usage error
    def learn_service(self):
        r = self.run(["--no-such-option-xyz"])
        m = re.match(r"^([A-Z][A-Z0-9_]*(?: [A-Z0-9_]+)*) UNKNOWN - ", r.out.decode("utf-8", "replace"))
        if not m:
            self.report("service word", ["an unknown option printed %r, not '<SERVICE> UNKNOWN - ...'" % r.out[:120]])
            return False
        if self.service and m.group(1) != self.service:
            self.report("service word", ["plugin says %r, %s.contract says %r" % (m.group(1), self.name, self.service)])
            return False
        self.service = m.group(1)
        return True

    def check_help_version(self):
        for opt in ("-h", "--help"):
            r = self.run([opt])
            probs = text_problems(r)
            text = r.out.decode("utf-8", "replace")
            if r.rc != 3:
                probs.append("exit %s, want 3" % r.rc)
            if "Usage" not in text:
                probs.append("no 'Usage' on stdout")
            for std in ("--help", "--version", "--verbose", "--timeout", "--timeout-result", "--output-format"):
                if std not in text:
                    probs.append("--help does not name %s" % std)
            self.report(opt, probs)
        for opt in ("-V", "--version"):
            r = self.run([opt])
            probs = text_problems(r)
            lines = r.out.decode("utf-8", "replace").rstrip("\n").split("\n")
            if r.rc != 3:
                probs.append("exit %s, want 3" % r.rc)
            if len(lines) != 1 or not re.search(r"\b%s\b.*[0-9]+\.[0-9]+" % re.escape(self.name), lines[0]):
                probs.append("want one line with the name and a version: %r" % r.out[:120])
            self.report(opt, probs)

    def check_standard_on(self, case):
        """-v, -t, --timeout-result and every --output-format on a working case."""
        base = self.run(case.args)
        want = base.rc
        probs = nagios_problems(base, self.services())
        if case.want is not None and want != case.want:
            probs.append("exit %s, want %d: %r" % (want, case.want, base.out[:160]))
        self.report("sample run %s" % show(case.args), probs)
        variants = [(["-v"], True), (["-vvv"], True), (["-t", "9"], False), (["--timeout=9"], False),
                    (["-t", "9:critical"], False), (["-t", "9:WARNING"], False),
                    (["--timeout-result=critical"], False), (["--output-format=nagios"], False),
                    (["--extra-opts=contract@" + self.var["INI"]], False),
                    (["--output-format", "NAGIOS"], False)]
        for extra, verbose in variants:
            r = self.run(case.args + extra)
            probs = nagios_problems(r, self.services(), allow_stderr=verbose)
            if r.rc != want:
                probs.append("exit %s, without %s %s" % (r.rc, show(extra), want))
            self.report("sample %s" % show(extra), probs)
        fmt = {"multi-line": lambda r: multiline_problems(r, want),
               "json": lambda r: json_problems(r, self.name, self.service, want),
               "prometheus": lambda r: prometheus_problems(r, self.name, want),
               "table": lambda r: table_problems(r, self.services(), want)}
        for f, check in fmt.items():
            self.report("sample --output-format=%s" % f, check(self.run(case.args + ["--output-format=" + f])))

    def usage_case(self, args, what=None):
        self.report(what or "bad argument %s" % show(args), usage_problems(self.run(args), self.service))

    def unknown_short(self):
        text = self.run(["--help"]).out.decode("utf-8", "replace")
        used = set(re.findall(r"(?:^|[\s,\[/])-([A-Za-z0-9])\b", text))
        for c in "jJqQyYzZoOgGbB":
            if c not in used:
                return "-" + c
        return None

    def check_bad_args(self, sample):
        base = sample.args
        short = self.unknown_short()
        if short:
            self.usage_case(base + [short])
        self.usage_case(base + ["--no-such-option-xyz"])
        self.usage_case(base + ["--no-such-option-xyz=1"])
        r = self.run(base + ["--output-format=json", "--no-such-option-xyz"])
        probs = json_problems(r, self.name, self.service, None)
        self.report("bad argument in json", probs + ([] if r.rc == 3 else ["exit %s, want 3" % r.rc]))
        r = self.run(base + ["--output-format=prometheus", "--no-such-option-xyz"])
        probs = prometheus_problems(r, self.name, None)
        self.report("bad argument in prometheus", probs + ([] if r.rc == 3 else ["exit %s, want 3" % r.rc]))
        self.usage_case(base + [b"--\xff\xfe", "x"])
        self.usage_case(base + ["--%n%s"])
        for opt in ("-t", "--timeout", "--output-format", "--timeout-result"):
            self.usage_case(base + [opt], "missing value %s" % opt)
        self.usage_case(base + ["--output-format=no-such-format"])
        for where in ("contract-bad@" + self.var["INI"], "no-such-section@" + self.var["INI"],
                      "@" + self.var["FIFO"], "@" + self.var["INI"] + ".missing"):
            self.usage_case(base + ["--extra-opts=" + where], "--extra-opts=%s" % where.replace(self.var["INI"], "INI"))
        self.usage_case(base + ["--timeout-result=maybe"])
        self.usage_case(base + ["-t", "5:maybe"])
        for v in HOSTILE + ["0", "86401", "1.5x"]:
            self.usage_case(base + ["-t", v], "hostile -t %s" % show([v]))
        for v in HOSTILE:
            self.usage_case(base + ["--output-format", v], "hostile --output-format %s" % show([v]))
        if self.s.stray is None:
            self.skip("stray positional argument", self.s.stray_reason)
        else:
            self.usage_case(base + self.s.stray, "stray positional argument %s" % show(self.s.stray))
        for opt in self.threshold_options():
            for v in ["x" * 4096, b"\xff\xfe\x80", "%n%s%n%s", "a\nb", "10:5", "@", "5x"]:
                self.usage_case(base + [opt, v], "hostile %s %s" % (opt, show([v])))
            for v in ("", "-5", "-1:-2"):
                r = self.run(base + [opt, v])
                self.report("robust %s %s" % (opt, show([v])), nagios_problems(r, self.services()))

    def threshold_options(self):
        """-w and -c when --help calls them --warning and --critical, or what the settings say."""
        if self.s.thresholds is not None:
            return self.s.thresholds
        text = self.run(["--help"]).out.decode("utf-8", "replace")
        return [o for o, name in (("-w", "warning"), ("-c", "critical"))
                if re.search(r"(?m)^\s*%s, --%s[= ]" % (o, name), text)]

    def check_coverage(self, plugdir):
        """Every built plugin has a tests/contract/<plugin>.contract, listed in Makefile.am's TESTS."""
        src = os.environ.get("top_srcdir") or os.path.dirname(os.path.dirname(HERE))
        try:
            with open(os.path.join(src, "Makefile.am"), encoding="utf-8") as f:
                listed = set(re.findall(r"tests/contract/(check_[a-z0-9_]+)\.contract", f.read()))
        except OSError as e:
            self.report("coverage", ["cannot read Makefile.am: %s" % e])
            return
        built = [p for p in os.listdir(plugdir) if p.startswith("check_") and "." not in p
                 and os.access(os.path.join(plugdir, p), os.X_OK)]
        probs = ["%s has no tests/contract/%s.contract" % (p, p) for p in sorted(built)
                 if not os.path.exists(os.path.join(HERE, p + ".contract"))]
        probs += ["tests/contract/%s.contract is not in Makefile.am's TESTS" % p
                  for p in sorted(built) if p not in listed]
        self.report("coverage: every built plugin has a contract test", probs)

    def check_case(self, case):
        r = self.run(case.args)
        probs = nagios_problems(r, self.services())
        if case.want is not None and r.rc != case.want:
            probs.append("exit %s, want %d: %r" % (r.rc, case.want, r.out[:160]))
        self.report("case %s" % case.text, probs)
        j = self.run(case.args + ["--output-format=json"])
        self.report("case %s [json]" % case.text, json_problems(j, self.name, self.services(), r.rc))
        p = self.run(case.args + ["--output-format=prometheus"])
        self.report("case %s [prometheus]" % case.text, prometheus_problems(p, self.name, r.rc))

    def check_timeout(self, args):
        if self.s.slow is None:
            self.skip("timeout", "no blocking case: " + self.s.no_slow)
            return
        runs = [(["-t", "1"], None, "nagios"), (["-t", "1:critical"], 2, "nagios"),
                (["-t", "1", "--timeout-result=warning", "--output-format=json"], 1, "json"),
                (["--timeout=1:ok", "--output-format=prometheus"], 0, "prometheus")]
        results = [None] * len(runs)

        def one(i):
            results[i] = self.run(args + runs[i][0])
        threads = [threading.Thread(target=one, args=(i,)) for i in range(len(runs))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for (extra, want, fmt), r in zip(runs, results):
            self.report("timeout %s %s (%.2f s)" % (show(args), show(extra), r.secs),
                        self.timeout_problems(r, want, fmt))

    def timeout_problems(self, r, want, fmt):
        if fmt == "json":
            probs = json_problems(r, self.name, self.service, None)
        elif fmt == "prometheus":
            probs = prometheus_problems(r, self.name, None)
        else:
            probs = nagios_problems(r, self.services())
        if r.secs > TIMEOUT_LIMIT:
            probs.append("ended after %.2f s, over %.1f s" % (r.secs, TIMEOUT_LIMIT))
        if want is None and r.rc not in (2, 3):
            probs.append("exit %s: a timeout is CRITICAL or UNKNOWN by default" % r.rc)
        elif want is not None and self.s.slow_state and r.rc != want:
            probs.append("exit %s, the timeout state asked for is %s" % (r.rc, STATES[want]))
        if fmt == "nagios" and self.s.slow_state and b"timed out" not in r.out.split(b"\n")[0]:
            probs.append("line 1 does not say it timed out: %r" % r.out[:120])
        return probs


# ------------------------------------------------------------------ cases

class Case:
    def __init__(self, text, want, args):
        self.text, self.want, self.args = text, want, args


def expand(word, var):
    def sub(m):
        key = m.group(1) or m.group(2)
        if key not in var:
            raise ValueError("unknown variable $%s" % key)
        return var[key]
    return re.sub(r"\$\{([A-Za-z_]+)\}|\$([A-Za-z_]+)", sub, word)


def load_cases(path, name, var, text=None):
    """The cases of path (or of text, named path) that run plugin name, variables expanded."""
    cases = []
    if text is None:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        want = None
        m = re.match(r"^rc=([0-3])\s+", line)
        if m:
            want, line = int(m.group(1)), line[m.end():]
        try:
            words = shlex.split(line)
        except ValueError as e:
            raise ValueError("%s:%d: %s" % (path, n, e))
        if not words or words[0] != name:
            continue
        try:
            args = [expand(w, var) for w in words[1:]]
        except ValueError as e:
            raise ValueError("%s:%d: %s" % (path, n, e))
        cases.append(Case(line, want, args))
    return cases


class Helpers:
    """What cases and slow runs may name besides $TMP: $HANG (a program that sleeps),
    $FIFO (a named pipe nobody writes), $SOCK (a unix socket that accepts and never
    answers), $PWFILE (a file with one line), $top_srcdir, $top_builddir, $PLUGINDIR."""

    def __init__(self, plugdir, base=None):
        if base:
            self.dir = os.path.join(base, ".contract")
            os.mkdir(self.dir)
        else:
            self.dir = tempfile.mkdtemp(prefix="msp-contract.")
        self.tmp = os.path.join(self.dir, "tmp")
        os.mkdir(self.tmp)
        hang = os.path.join(self.dir, "hang")
        with open(hang, "w") as f:
            f.write("#!/bin/sh\necho started\nexec sleep 60\n")
        os.chmod(hang, 0o755)
        fifo = os.path.join(self.dir, "fifo")
        os.mkfifo(fifo)
        ini = os.path.join(self.dir, "extra.ini")
        with open(ini, "w") as f:
            f.write("[contract]\ntimeout=9\n[contract-bad]\nno-such-option-xyz=1\n")
        pw = os.path.join(self.dir, "pwfile")
        with open(pw, "w") as f:
            f.write("secret\n")
        self.sock_path = os.path.join(self.dir, "sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(self.sock_path)
        self.sock.listen(64)
        src = os.environ.get("top_srcdir") or os.path.dirname(os.path.dirname(HERE))
        build = os.environ.get("top_builddir") or os.path.dirname(os.path.abspath(plugdir))
        self.var = {"TMP": self.tmp, "HANG": hang, "FIFO": fifo, "SOCK": self.sock_path, "PWFILE": pw, "INI": ini,
                    "top_srcdir": os.path.abspath(src), "top_builddir": os.path.abspath(build),
                    "PLUGINDIR": os.path.abspath(plugdir)}

    def setup(self, script, tmp):
        """Run a setup script (path relative to top_srcdir) with TMP=tmp; None or why it failed."""
        path = os.path.join(self.var["top_srcdir"], script)
        env = dict(os.environ, TMP=tmp, top_srcdir=self.var["top_srcdir"],
                   top_builddir=self.var["top_builddir"], PLUGINDIR=self.var["PLUGINDIR"], LC_ALL="C")
        p = subprocess.run(["bash", path], env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
        if p.returncode != 0:
            return "setup %s failed (exit %d): %s" % (script, p.returncode, p.stderr[-300:].decode("utf-8", "replace"))
        return None

    def close(self):
        self.sock.close()
        subprocess.run(["rm", "-rf", self.dir])


def default_cases():
    src = os.environ.get("top_srcdir") or os.path.dirname(os.path.dirname(HERE))
    return os.path.join(src, "tests", "cli", "conformance.cases")


def check_plugin(target, plugdir, cases_path, quiet):
    name = os.path.basename(target)
    if name.endswith(".contract"):
        name = name[:-len(".contract")]
    path = os.path.join(plugdir, name)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        print("skip %s: not built in %s" % (name, plugdir))
        return 77
    start = time.monotonic()
    helpers = Helpers(plugdir)
    try:
        settings = load_settings(os.path.join(HERE, name + ".contract"), name)
        if settings.setup:
            why = helpers.setup(settings.setup, helpers.tmp)
            if why:
                print("ERROR %s: %s" % (name, why))
                return 99
        cases = load_cases(cases_path, name, helpers.var)
        if not cases:
            raise ValueError("%s has no case for %s" % (cases_path, name))
        slow = [expand(w, helpers.var) for w in shlex.split(settings.slow)] if settings.slow else None
    except (ValueError, OSError) as e:
        print("ERROR %s: %s" % (name, e))
        helpers.close()
        return 99
    c = Checker(name, path, settings, quiet, helpers.var)
    try:
        if c.learn_service():
            sample = next((k for k in cases if k.want in (0, 1, 2)), cases[0])
            c.check_help_version()
            c.check_standard_on(sample)
            c.check_bad_args(sample)
            for k in cases:
                c.check_case(k)
            c.check_timeout(slow)
            c.check_coverage(plugdir)
    finally:
        helpers.close()
    print("contract %s: %d checks, %d failed, %d skipped, %.1f s"
          % (name, c.checks, c.failed, c.skipped, time.monotonic() - start))
    return 1 if c.failed else 0


def export_cases(outdir, plugdir, cases_path):
    """Every case with its variables expanded (each plugin's setup run in outdir/<plugin>)."""
    os.makedirs(outdir, exist_ok=True)
    helpers = Helpers(plugdir, outdir)
    helpers.sock.close()
    lines, done = [], {}
    with open(cases_path, encoding="utf-8") as f:
        raw_lines = [ln.strip() for ln in f if ln.strip() and not ln.strip().startswith("#")]
    for line in raw_lines:
        m = re.match(r"^(rc=[0-3]\s+)?(\S+)", line)
        name = m.group(2)
        if name not in done:
            tmp = os.path.join(outdir, name)
            os.makedirs(tmp, exist_ok=True)
            s = load_settings(os.path.join(HERE, name + ".contract"), name)
            if s.setup:
                why = helpers.setup(s.setup, tmp)
                if why:
                    raise ValueError(why)
            done[name] = dict(helpers.var, TMP=tmp)
        for k in load_cases(cases_path, name, done[name], text=line):
            lines.append(("rc=%d " % k.want if k.want is not None else "") + shlex.join([name] + k.args))
    with open(os.path.join(outdir, "conformance.cases"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return 0


def main(argv):
    args = argv[1:]
    opts = {"--plugins": os.environ.get("PLUGINDIR", "plugins"), "--cases": default_cases(),
            "--export-cases": None}
    quiet, targets = False, []
    while args:
        a = args.pop(0)
        if a in opts and args:
            opts[a] = args.pop(0)
        elif a == "-q":
            quiet = True
        elif a.startswith("-"):
            print(__doc__)
            return 99
        else:
            targets.append(a)
    if opts["--export-cases"]:
        return export_cases(opts["--export-cases"], opts["--plugins"], opts["--cases"])
    if len(targets) != 1:
        print(__doc__)
        return 99
    return check_plugin(targets[0], opts["--plugins"], opts["--cases"], quiet)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
