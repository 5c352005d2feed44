#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_reboot CLI cases: the recorded trees (tests/fixtures/check_reboot/README.md) in $TMP,
# and stand-ins for needrestart: one printing its recorded batch output, one printing
# something else, one failing, one that never ends.
set -e
fx="$top_srcdir/tests/fixtures/check_reboot"
for t in host_current host_kernel_pending container no_images; do
	cp -R "$fx/$t" "$TMP/$t"
done
chmod -R u+w "$TMP"
cat >"$TMP/nr-services" <<SH
#!/bin/sh
cat '$fx/needrestart_services.txt'
SH
printf '#!/bin/sh\necho "Scanning processes..."\n' >"$TMP/nr-garbage"
printf '#!/bin/sh\necho "NEEDRESTART-VER: 3.6"\necho >&2\necho "Error: cannot read /proc/1/maps" >&2\nexit 1\n' >"$TMP/nr-fails"
printf '#!/bin/sh\nexec sleep 60\n' >"$TMP/nr-hangs"
chmod +x "$TMP/nr-services" "$TMP/nr-garbage" "$TMP/nr-fails" "$TMP/nr-hangs"
# Trees where the flag or /boot cannot be examined (lstat/opendir fail with something else than ENOENT):
#   run_notdir  /run is a regular file (ENOTDIR)     run_loop   /run is a symlink to itself (ELOOP)
#   boot_loop   /boot is a symlink to itself (ELOOP) pkgs_dir   the flag is set, reboot-required.pkgs is a directory
for t in run_notdir run_loop boot_loop; do
	cp -R "$fx/host_current" "$TMP/$t"
done
chmod -R u+w "$TMP"
: >"$TMP/run_notdir/run"
ln -s run "$TMP/run_loop/run"
rm -rf "$TMP/boot_loop/boot"
ln -s boot "$TMP/boot_loop/boot"
cp -R "$fx/host_kernel_pending" "$TMP/pkgs_dir"
chmod -R u+w "$TMP/pkgs_dir"
rm -f "$TMP/pkgs_dir/run/reboot-required.pkgs"
mkdir "$TMP/pkgs_dir/run/reboot-required.pkgs"
# nr-long: needrestart batch output over check_reboot's 1 MiB cap, the service after the cut
cat >"$TMP/nr-long" <<'SH'
#!/bin/sh
echo "NEEDRESTART-VER: 3.6"
yes "NEEDRESTART-SESS: alice @ session #1 [long session line for the cap]" | head -n 20000
echo "NEEDRESTART-SVC: late.service"
SH
chmod +x "$TMP/nr-long"
# huge_maps: host_current with process 1's maps grown past check_reboot's 8 MiB cap (its first line
# repeated), a deleted library only after the cut: not "no process uses deleted libraries"
cp -R "$fx/host_current" "$TMP/huge_maps"
chmod -R u+w "$TMP/huge_maps"
line=$(head -n 1 "$fx/host_current/proc/1/maps")
yes "$line" | head -n 120000 >"$TMP/huge_maps/proc/1/maps"
grep ' (deleted)$' "$fx/host_kernel_pending/proc/4242/maps" >>"$TMP/huge_maps/proc/1/maps"
# Whose /proc/self/status check_reboot reads decides whether --libs-scan=auto scans (recorded
# status files, see the fixtures README):
#   current_nobody  host_current as uid 65534 without capabilities
#   pending_nobody  host_kernel_pending as uid 65534 (its sleep maps a deleted library)
#   pending_ptrace  host_kernel_pending as uid 65534 with CAP_SYS_PTRACE
#   root_hidden     host_current as root, with a process (2) whose maps cannot be read (a directory)
#   nobody_hidden   the same as uid 65534
for t in current_nobody:host_current:status_nobody pending_nobody:host_kernel_pending:status_nobody \
	pending_ptrace:host_kernel_pending:status_nobody_ptrace root_hidden:host_current:status_root \
	nobody_hidden:host_current:status_nobody; do
	IFS=: read -r name tree status <<T
$t
T
	cp -R "$fx/$tree" "$TMP/$name"
	chmod -R u+w "$TMP/$name"
	mkdir -p "$TMP/$name/proc/self"
	cp "$fx/$status.txt" "$TMP/$name/proc/self/status"
done
for t in root_hidden nobody_hidden; do
	mkdir -p "$TMP/$t/proc/2/maps"
	echo hidden >"$TMP/$t/proc/2/comm"
done
