/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_apt_pkg.cc - check_apt's upgrade simulation in process, through
 * libapt-pkg (see check_apt_pkg.h for what it prints and when it declines).
 *
 * Why: `apt-get -s upgrade` spends most of its time in its package manager
 * (pkgSimulate orders every install with a second dependency cache and looks
 * up each package's record in the compressed lists) to print lines check_apt
 * does not need in that order, and, where apt's package cache is off, in
 * building the cache from the lists.  The counts come from the dependency
 * cache after apt's resolver; that is what this file computes, with apt's
 * library, keeping a package cache of its own where apt keeps none.
 *
 * The flow is apt-get's for `upgrade`/`dist-upgrade` with -s, step by step:
 * configuration (files, then the words in order), cache and policy, dpkg
 * status applied, broken dependencies refused, the upgrade resolver, garbage
 * new installs dropped, -o APT::Get::Purge applied, then the counts.  Every
 * path that would end in an error or a prompt in apt-get is handed back so
 * that apt-get itself runs and reports it.
 *
 * No C++ exception leaves this file: every entry point catches all.
 */
#include <apt-pkg/algorithms.h>
#include <apt-pkg/cachefile.h>
#include <apt-pkg/configuration.h>
#include <apt-pkg/depcache.h>
#include <apt-pkg/error.h>
#include <apt-pkg/init.h>
#include <apt-pkg/metaindex.h>
#include <apt-pkg/pkgcache.h>
#include <apt-pkg/pkgsystem.h>
#include <apt-pkg/policy.h>
#include <apt-pkg/sourcelist.h>
#include <apt-pkg/upgrade.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <strings.h>
#include <memory>
#include <new>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "check_apt_pkg.h"

namespace {

const char PHASED_EXTRA[] = "APT::Get::Always-Include-Phased-Updates=true";

/* Why apt-get has to run instead; thrown inside, caught at the entry point. */
struct Decline {
	std::string why;
};

[[noreturn]] void decline(const std::string &why)
{
	throw Decline{ why };
}

/* The first message libapt-pkg reported, for -v; the others are dropped. */
std::string first_error(void)
{
	std::string first, msg;

	while (!_error->empty()) {
		_error->PopMessage(msg);
		if (first.empty())
			first = msg;
	}
	return first.empty() ? "no message" : first;
}

/* The package cache opened for the last words, kept for a second call (the phased simulation). */
struct Session {
	std::vector<std::string> words;
	std::unique_ptr<pkgCacheFile> file; /* only its package cache is used */
	std::unique_ptr<pkgPolicy> policy;
	std::unique_ptr<pkgDepCache> dep; /* declared last: destroyed before what it points to */
	std::string warnings;             /* reported while the cache was opened */
};
Session *session;
std::string cache_note; /* where the package cache is kept, for -v */

void drop_session(void)
{
	delete session;
	session = nullptr;
}

bool is_one_of(const std::string &w, std::initializer_list<const char *> names)
{
	for (const char *n : names)
		if (w == n)
			return true;
	return false;
}

/* "-o NAME=VALUE" as apt's command line sets it; a value without '=' is apt-get's error to report. */
void set_option(const std::string &item)
{
	size_t eq = item.find('=');

	if (eq == std::string::npos || eq == 0)
		decline("option '" + item + "' has no NAME=VALUE form");
	_config->Set(item.substr(0, eq), item.substr(eq + 1));
}

/* apt-get's -q, -qq, -q=N: the level, which decides what apt-get prints. */
void set_quiet(const std::string &w)
{
	size_t eq = w.find('=');

	if (eq != std::string::npos) {
		char *end = nullptr;
		long v = std::strtol(w.c_str() + eq + 1, &end, 10);

		if (end == w.c_str() + eq + 1 || *end || v < 0 || v > 100)
			decline("option '" + w + "' is not a quiet level");
		_config->Set("quiet", static_cast<int>(v));
		return;
	}
	if (w == "--quiet") {
		_config->Set("quiet", _config->FindI("quiet", 0) + 1);
		return;
	}
	for (size_t i = 1; i < w.size(); i++)
		if (w[i] != 'q')
			decline("option '" + w + "' is not handled in process");
	_config->Set("quiet", _config->FindI("quiet", 0) + static_cast<int>(w.size() - 1));
}

/* Long options that only set one boolean (apt-get's table); anything else is apt-get's to read. */
struct Flag {
	const char *opt;
	const char *item;
	bool value;
};
const Flag flags[] = {
	{ "--simulate", "APT::Get::Simulate", true },
	{ "--just-print", "APT::Get::Simulate", true },
	{ "--dry-run", "APT::Get::Simulate", true },
	{ "--recon", "APT::Get::Simulate", true },
	{ "--no-act", "APT::Get::Simulate", true },
	{ "-s", "APT::Get::Simulate", true },
	{ "-y", "APT::Get::Assume-Yes", true },
	{ "--yes", "APT::Get::Assume-Yes", true },
	{ "--assume-yes", "APT::Get::Assume-Yes", true },
	{ "-u", "APT::Get::Show-Upgraded", true },
	{ "--show-upgraded", "APT::Get::Show-Upgraded", true },
	{ "-V", "APT::Get::Show-Versions", true },
	{ "--verbose-versions", "APT::Get::Show-Versions", true },
	{ "--purge", "APT::Get::Purge", true },
	{ "--auto-remove", "APT::Get::AutomaticRemove", true },
	{ "--autoremove", "APT::Get::AutomaticRemove", true },
	{ "--with-new-pkgs", "APT::Get::Upgrade-Allow-New", true },
	{ "--no-install-recommends", "APT::Install-Recommends", false },
	{ "--install-recommends", "APT::Install-Recommends", true },
	{ "--install-suggests", "APT::Install-Suggests", true },
	{ "--no-install-suggests", "APT::Install-Suggests", false },
	{ "--ignore-hold", "APT::Ignore-Hold", true },
};

/* The words of OPTS, in order, into _config (after the configuration files). */
void apply_words(const std::vector<std::string> &words)
{
	for (size_t i = 0; i < words.size(); i++) {
		const std::string &w = words[i];
		const Flag *f =
			std::find_if(std::begin(flags), std::end(flags), [&w](const Flag &x) { return w == x.opt; });
		bool has_next = i + 1 < words.size();

		if (f != std::end(flags)) {
			_config->Set(f->item, f->value);
		} else if (is_one_of(w, { "-o", "--option" }) && has_next) {
			set_option(words[++i]);
		} else if (w.compare(0, 2, "-o") == 0 && w.size() > 2) {
			set_option(w.substr(2));
		} else if (w.compare(0, 9, "--option=") == 0) {
			set_option(w.substr(9));
		} else if (is_one_of(w, { "-c", "--config-file" }) && has_next) {
			if (!ReadConfigFile(*_config, words[++i]))
				decline("cannot read config file '" + words[i] + "': " + first_error());
		} else if (w.compare(0, 2, "-c") == 0 && w.size() > 2 && w[2] != '-') {
			if (!ReadConfigFile(*_config, w.substr(2)))
				decline("cannot read config file '" + w.substr(2) + "': " + first_error());
		} else if (w.compare(0, 14, "--config-file=") == 0) {
			if (!ReadConfigFile(*_config, w.substr(14)))
				decline("cannot read config file '" + w.substr(14) + "': " + first_error());
		} else if (is_one_of(w, { "-t", "--target-release", "--default-release" }) && has_next) {
			_config->Set("APT::Default-Release", words[++i]);
		} else if (w == "--quiet" || w.compare(0, 8, "--quiet=") == 0 ||
			   (w.size() >= 2 && w[0] == '-' && w[1] == 'q')) {
			set_quiet(w);
		} else {
			decline("option '" + w + "' is not handled in process");
		}
	}
}

/* Settings that make apt-get do more than this file does: apt-get runs then. */
void refuse_unusual_config(void)
{
	if (!_config->FindB("APT::Get::Simulate", false))
		decline("OPTS do not simulate (-s): apt-get really upgrades");
	if (_config->Tree("Binary::apt-get") != nullptr)
		decline("the configuration has Binary::apt-get settings");
	std::string solver = _config->Find("APT::Solver", "internal");
	if (solver != "internal")
		decline("APT::Solver is '" + solver + "'");
	for (const char *item : { "APT::Get::AutomaticRemove::Kernels", "APT::Get::Fix-Policy-Broken",
				  "APT::Get::Fix-Policy", "APT::Get::Print-URIs", "APT::Get::ReInstall" })
		if (_config->FindB(item, false))
			decline(std::string(item) + " is set");
	for (const char *item : { "APT::Install::Pre-Invoke", "APT::Install::Post-Invoke-Success" })
		if (_config->Exists(item))
			decline(std::string(item) + " is set (apt-get runs it)");
	/* libapt-pkg writes debug output straight to stdout and stderr: ours are the plugin's */
	const Configuration::Item *debug = _config->Tree("Debug");
	for (const Configuration::Item *i = debug ? debug->Child : nullptr; i; i = i->Next) {
		if (strcasecmp(i->Tag.c_str(), "NoLocking") == 0)
			continue;
		if (i->Child || _config->FindB("Debug::" + i->Tag, false))
			decline("Debug::" + i->Tag + " is set (apt would print its debug output)");
	}
}

/* A directory only we can write to: ours (euid), a real directory, not writable by group or others. */
bool private_dir(const std::string &dir, bool create)
{
	struct stat st;

	if (create && mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
		return false;
	return lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
	       (st.st_mode & 022) == 0 && (dir.compare(0, 9, "/var/tmp/") != 0 || (st.st_mode & 077) == 0);
}

/*
 * With apt's package cache switched off (Dir::Cache::pkgcache "", as Debian's
 * container images do) apt builds it from the lists on every run, most of the
 * cost.  We keep one: apt's own cache file, in apt's Dir::Cache when only we
 * can write there (root; the tests' private apt state), else in
 * /var/tmp/msp-plugins-UID (0700).  libapt-pkg checks it against every list
 * and the dpkg status (size, mtime) and the configuration before using it and
 * rebuilds it (written atomically) otherwise, as apt does with its own.
 * Returns what -v says about it.
 */
std::string keep_cache(void)
{
	static const char name[] = "msp-check_apt-pkgcache.bin";
	std::string dir = _config->FindDir("Dir::Cache");

	if (!_config->Find("Dir::Cache::pkgcache").empty())
		return "";
	if (dir.size() > 1 && dir.back() == '/')
		dir.pop_back();
	if (!private_dir(dir, false)) {
		dir = "/var/tmp/msp-plugins-" + std::to_string(geteuid());
		if (!private_dir(dir, true))
			return ", apt's package cache is off and no private directory for one";
	}
	_config->Set("Dir::Cache::pkgcache", dir + "/" + name);
	return ", package cache " + dir + "/" + name + " (apt's is off)";
}

/* A fresh libapt-pkg configuration: the files apt-get reads, then the words. */
void configure(const std::vector<std::string> &words, const char *extra)
{
	const char *env = std::getenv("APT_CONFIG");
	std::string saved = env ? env : "";
	bool ok;

	delete _config;
	_config = new Configuration;
	_error->Discard();
	_config->Set("Binary", "apt-get");
	/* apt-get runs with a clean environment (PATH and LC_ALL only): no $APT_CONFIG for it, none here. */
	if (env)
		unsetenv("APT_CONFIG");
	ok = pkgInitConfig(*_config);
	if (env)
		setenv("APT_CONFIG", saved.c_str(), 1);
	if (!ok)
		decline("cannot read apt's configuration: " + first_error());
	apply_words(words);
	if (extra)
		set_option(extra);
	refuse_unusual_config();
	if (!pkgInitSystem(*_config, _system))
		decline("cannot initialise apt's system: " + first_error());
	cache_note = keep_cache();
}

/* What apt-get prints on stderr at the end of the messages pending now (they are dropped). */
std::string pending_messages(void)
{
	std::ostringstream o;

	_error->DumpErrors(o, _config->FindI("quiet", 0) > 0 ? GlobalError::WARNING : GlobalError::DEBUG, false);
	return o.str();
}

/*
 * The warnings of opening the cache, as apt-get reports them.  apt-get builds
 * the cache (its own is off here): the warnings about sources listed twice
 * and the like come from that build.  A valid cache is opened without them
 * (libapt-pkg hides what its validity check reports), so they are asked for
 * again from the sources list, without repeating what the build said.
 */
std::string source_warnings(pkgCacheFile &file)
{
	std::string built = pending_messages(), again, line;
	pkgSourceList *list = file.GetSourceList();

	for (auto m = list->begin(); m != list->end(); ++m)
		(*m)->GetIndexTargets();
	if (_error->PendingError())
		decline("cannot read the sources list: " + first_error());
	std::istringstream in(pending_messages());
	while (std::getline(in, line))
		if (built.find(line + "\n") == std::string::npos)
			again += line + "\n";
	return built + again;
}

/*
 * The dependency cache for these words: the package cache is reused when
 * the last call had the same words and this one only adds the phased
 * option, which the policy and the dependency cache read (they are new).
 */
pkgDepCache &open_cache(const std::vector<std::string> &words, const char *extra)
{
	bool reuse = session && session->words == words && extra && std::strcmp(extra, PHASED_EXTRA) == 0;
	pkgCache *cache;

	if (reuse) {
		session->dep.reset();
		session->policy.reset();
		_error->Discard();
		set_option(extra);
	} else {
		drop_session();
		configure(words, extra);
		session = new Session{ words, std::unique_ptr<pkgCacheFile>(new pkgCacheFile), nullptr, nullptr, "" };
		if (!session->file->BuildCaches(nullptr, false) || _error->PendingError())
			decline("cannot open the package cache: " + first_error());
		session->warnings = source_warnings(*session->file);
	}
	cache = session->file->GetPkgCache();
	session->policy.reset(new pkgPolicy(cache));
	if (_error->PendingError() || !ReadPinFile(*session->policy) || !ReadPinDir(*session->policy))
		decline("cannot read apt's preferences: " + first_error());
	session->dep.reset(new pkgDepCache(cache, session->policy.get()));
	if (_error->PendingError() || !session->dep->Init(nullptr))
		decline("cannot build the dependency cache: " + first_error());
	return *session->dep;
}

/* CacheFile::CheckDeps of apt-get, without repairs: a broken system is apt-get's to report. */
void check_deps(pkgDepCache &dc)
{
	if (dc.DelCount() != 0 || dc.InstCount() != 0)
		decline("the cache has changes before the upgrade");
	if (!pkgApplyStatus(dc))
		decline("cannot apply the dpkg status: " + first_error());
	if (dc.BrokenCount() != 0)
		decline("the system has broken dependencies");
}

/* apt-get's DoAutomaticRemove: new installs that are already garbage are not installed. */
void drop_garbage(pkgDepCache &dc)
{
	bool autoremove = _config->FindB("APT::Get::AutomaticRemove", false);
	bool purge = _config->FindB("APT::Get::Purge", false);
	std::set<map_id_t> dropped;

	if (autoremove && !_config->FindB("APT::Get::Remove", true))
		decline("autoremove without APT::Get::Remove");
	dc.MarkAndSweep();
	for (pkgCache::PkgIterator p = dc.PkgBegin(); !p.end(); ++p) {
		if (!dc[p].Garbage)
			continue;
		if (autoremove) {
			if (p->CurrentVer != 0 && p->CurrentState != pkgCache::State::ConfigFiles)
				dc.MarkDelete(p, purge, 0, false);
			else
				dc.MarkKeep(p, false, false);
		} else if (dc[p].Install() && p->CurrentVer == 0) {
			dropped.insert(p->ID);
			dc.MarkDelete(p, false, 0, false);
		}
	}
	if (!dropped.empty() && (dc.BrokenCount() != 0 || dc.PolicyBrokenCount() != 0))
		decline("dropping garbage new installs broke dependencies (apt-get reinstates some)");
	if (dc.BrokenCount() != 0)
		decline("the autoremover broke dependencies");
}

/* The resolver of apt-get upgrade / dist-upgrade. */
void upgrade(pkgDepCache &dc, bool dist)
{
	int mode = APT::Upgrade::ALLOW_EVERYTHING;

	if (!dist)
		mode = _config->FindB("APT::Get::Upgrade-Allow-New", false) ?
			       APT::Upgrade::FORBID_REMOVE_PACKAGES :
			       APT::Upgrade::FORBID_REMOVE_PACKAGES | APT::Upgrade::FORBID_INSTALL_NEW_PACKAGES;
	if (_config->FindB("APT::Get::CallResolver", true) && !APT::Upgrade::Upgrade(dc, mode, nullptr))
		decline("the upgrade resolver failed: " + first_error());
	if (dc.BrokenCount() != 0 || _error->PendingError())
		decline("the upgrade leaves broken packages");
}

struct Plan {
	std::vector<std::string> kept;    /* upgradable before, neither upgraded nor removed */
	std::vector<std::string> actions; /* Inst/Remv/Purg lines */
	unsigned long upgraded = 0, installed = 0, reinstalled = 0, downgraded = 0;
	bool fail = false; /* what makes apt-get stop with -qq or -y: downgrades, held or essential changes */
};

/* "Inst NAME [CURRENT] (CANDIDATE RELEASE [ARCH])" as pkgSimulate describes a package. */
std::string inst_line(pkgDepCache &dc, pkgCache::PkgIterator p)
{
	std::string s = "Inst " + p.FullName(true);
	pkgCache::VerIterator cur = p.CurrentVer(), cand = dc[p].CandidateVerIter(dc);

	if (!cur.end())
		s += std::string(" [") + cur.VerStr() + "]";
	if (!cand.end())
		s += std::string(" (") + cand.VerStr() + " " + cand.RelStr() + ")";
	return s;
}

Plan collect(pkgDepCache &dc, const std::vector<bool> &upgradable)
{
	Plan pl;

	for (pkgCache::PkgIterator p = dc.PkgBegin(); !p.end(); ++p) {
		pkgDepCache::StateCache &st = dc[p];
		pkgCache::VerIterator cur = p.CurrentVer();

		if (st.NewInstall())
			pl.installed++;
		else if (st.Upgrade())
			pl.upgraded++;
		else if (st.Downgrade())
			pl.downgraded++;
		if (st.ReInstall())
			pl.reinstalled++;
		if (st.Downgrade() || (p->SelectedState == pkgCache::State::Hold && st.InstallVer != cur) ||
		    (st.Delete() && (p->Flags & (pkgCache::Flag::Essential | pkgCache::Flag::Important))))
			pl.fail = true;
		if (st.Delete())
			pl.actions.push_back(std::string((st.iFlags & pkgDepCache::Purge) ? "Purg " : "Remv ") +
					     p.FullName(true) +
					     (cur.end() ? "" : std::string(" [") + cur.VerStr() + "]"));
		else if (st.NewInstall() || st.Upgrade() || st.Downgrade() || st.ReInstall())
			pl.actions.push_back(inst_line(dc, p));
		if (p->CurrentVer != 0 && !st.Upgrade() && !st.Delete() && upgradable[p->ID])
			pl.kept.push_back(p.FullName(true));
	}
	std::sort(pl.kept.begin(), pl.kept.end());
	std::sort(pl.actions.begin(), pl.actions.end(),
		  [](const std::string &a, const std::string &b) { return a.compare(5, a.npos, b, 5, b.npos) < 0; });
	return pl;
}

/* What apt-get -s prints of it on stdout, by quiet level. */
std::string render(pkgDepCache &dc, const Plan &pl)
{
	std::ostringstream o;
	int quiet = _config->FindI("quiet", 0);

	if (quiet < 2) {
		o << "Reading package lists...\n";
		if (!pl.kept.empty()) {
			o << "The following packages have been kept back:\n ";
			for (const std::string &k : pl.kept)
				o << ' ' << k;
			o << '\n';
		}
		o << pl.upgraded << " upgraded, " << pl.installed << " newly installed, ";
		if (pl.reinstalled)
			o << pl.reinstalled << " reinstalled, ";
		if (pl.downgraded)
			o << pl.downgraded << " downgraded, ";
		o << dc.DelCount() << " to remove and " << pl.kept.size() << " not upgraded.\n";
		if (dc.BadCount() != 0)
			o << dc.BadCount() << " not fully installed or removed.\n";
	}
	for (const std::string &a : pl.actions)
		o << a << '\n';
	return o.str();
}

std::string simulate(const std::vector<std::string> &words, const char *extra, bool dist)
{
	pkgDepCache &dc = open_cache(words, extra);
	std::vector<bool> upgradable(dc.Head().PackageCount, false);

	check_deps(dc);
	dc.MarkAndSweep();
	for (pkgCache::PkgIterator p = dc.PkgBegin(); !p.end(); ++p)
		upgradable[p->ID] = p->CurrentVer != 0 && dc[p].Upgradable();
	upgrade(dc, dist);
	drop_garbage(dc);
	if (_config->FindB("APT::Get::Purge", false))
		for (pkgCache::PkgIterator p = dc.PkgBegin(); !p.end(); ++p)
			if (dc[p].Delete() && !dc[p].Purge())
				dc.MarkDelete(p, true);
	Plan pl = collect(dc, upgradable);
	if (dc.DelCount() != 0 && !_config->FindB("APT::Get::Remove", true))
		decline("packages need to be removed but APT::Get::Remove is off");
	if (pl.fail && (_config->FindI("quiet", 0) >= 2 || _config->FindB("APT::Get::Assume-Yes", false)) &&
	    !_config->FindB("APT::Get::Force-Yes", false))
		decline("the upgrade downgrades or changes held or essential packages (apt-get decides)");
	if (_error->PendingError())
		decline("libapt-pkg reported an error: " + first_error());
	return render(dc, pl);
}

char *dup(const std::string &s)
{
	char *p = static_cast<char *>(std::malloc(s.size() + 1));

	if (!p)
		throw std::bad_alloc();
	std::memcpy(p, s.c_str(), s.size() + 1);
	return p;
}

/* apt-get prints its warnings (and below -q its notices) on stderr at the end. */
std::string warnings(void)
{
	return session->warnings + pending_messages();
}

} /* namespace */

extern "C" int check_apt_pkg_run(char *const *words, size_t n, const char *extra, const char *verb,
				 struct check_apt_pkg_result *ret)
{
	*ret = check_apt_pkg_result{};
	try {
		std::vector<std::string> w(words, words + n);
		bool dist = std::strcmp(verb, "dist-upgrade") == 0;

		const char *preload = std::getenv("LD_PRELOAD");

		if (!dist && std::strcmp(verb, "upgrade") != 0)
			decline(std::string("verb '") + verb + "' is not handled in process");
		/*
		 * apt-get's steps and output differ between apt releases (2.7 lists phased
		 * updates apart): the flow here is apt 2.6's, compared with apt-get 2.6 by
		 * tests/integration/check_apt_pkg.sh.  Another libapt-pkg leaves it to apt-get.
		 */
		if (std::strncmp(pkgVersion, "2.6.", 4) != 0)
			decline(std::string("libapt-pkg ") + pkgVersion +
				" is not apt 2.6, whose apt-get this follows");
		/* memcheck flags libapt-pkg's own cache code (pkgCache::ReMap, apt-get too) and runs it 30x slower */
		if (preload && std::strstr(preload, "vgpreload"))
			decline("running under valgrind");
		std::string out = simulate(w, extra, dist);
		std::string err = warnings();
		ret->out = dup(out);
		ret->err = dup(err);
		ret->method =
			dup(std::string("libapt-pkg ") + verb + " simulation (apt " + pkgVersion + ")" + cache_note);
		return CHECK_APT_PKG_DONE;
	} catch (const Decline &d) {
		check_apt_pkg_result_release(ret);
		drop_session();
		_error->Discard();
		try {
			ret->why = dup(d.why);
		} catch (...) {
			return CHECK_APT_PKG_NOMEM;
		}
		return CHECK_APT_PKG_FALLBACK;
	} catch (const std::bad_alloc &) {
		check_apt_pkg_result_release(ret);
		drop_session();
		return CHECK_APT_PKG_NOMEM;
	} catch (...) {
		check_apt_pkg_result_release(ret);
		drop_session();
		ret->why = static_cast<char *>(std::malloc(sizeof("internal error in libapt-pkg")));
		if (!ret->why)
			return CHECK_APT_PKG_NOMEM;
		std::memcpy(ret->why, "internal error in libapt-pkg", sizeof("internal error in libapt-pkg"));
		return CHECK_APT_PKG_FALLBACK;
	}
}

extern "C" void check_apt_pkg_result_release(struct check_apt_pkg_result *r)
{
	std::free(r->out);
	std::free(r->err);
	std::free(r->method);
	std::free(r->why);
	*r = check_apt_pkg_result{};
}

extern "C" void check_apt_pkg_cleanup(void)
{
	try {
		drop_session();
		_error->Discard();
	} catch (...) {
	}
}
