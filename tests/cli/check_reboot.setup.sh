#!/bin/sh
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
printf '#!/bin/sh\necho "NEEDRESTART-VER: 3.6"\nexit 1\n' >"$TMP/nr-fails"
printf '#!/bin/sh\nexec sleep 60\n' >"$TMP/nr-hangs"
chmod +x "$TMP/nr-services" "$TMP/nr-garbage" "$TMP/nr-fails" "$TMP/nr-hangs"
