#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/helpers/ntp_peer.py - a scripted NTP server on 127.0.0.1 for check_ntp_time's hostile cases.

    ntp_peer.py MODE PORT [PIDFILE]

MODE is how it answers each request:
  good        a correct NTPv4 server reply, stratum 2, this host's clock
  ahead       the same, 100 s ahead of this host's clock
  leap        LI 3 (alarm), stratum 2: a server that says its time is not to be used
  stratum16   stratum 16 (unsynchronised), LI 0
  kod         a kiss-o'-death: stratum 0, LI 3, kiss code RATE
  deny        a kiss-o'-death DENY
  garbage     48 random bytes
  short       the first 20 bytes of a good reply
  origin      a good reply whose origin timestamp is not the request's (stale or forged)
  client      a reply with mode 3 (client), not 4
  otherport   a good reply sent from another port of this host (a connected client never sees it)
  silent      reads requests and never answers
  once        a good reply to the first request, silence after it
Runs until killed; writes its pid to PIDFILE once the socket is bound.
"""
import os
import socket
import struct
import sys
import time

NTP_EPOCH = 2208988800


def ntp_ts(t):
    sec = int(t)
    frac = int((t - sec) * 4294967296.0) & 0xFFFFFFFF
    return ((sec + NTP_EPOCH) & 0xFFFFFFFF) << 32 | frac


def reply(req, mode, now):
    li, stratum, refid, vmode = 0, 2, b"LOCL", 4
    if mode == "ahead":
        now += 100.0
    elif mode == "leap":
        li = 3
    elif mode == "stratum16":
        stratum = 16
    elif mode in ("kod", "deny"):
        li, stratum, refid = 3, 0, b"RATE" if mode == "kod" else b"DENY"
    elif mode == "client":
        vmode = 3
    origin = req[40:48]
    if mode == "origin":
        origin = struct.pack("!Q", struct.unpack("!Q", origin)[0] ^ 0x5A5A5A5A)
    head = struct.pack("!BBbbII4s", li << 6 | 4 << 3 | vmode, stratum, 6, -20, 0, 0, refid)
    ts = struct.pack("!Q", ntp_ts(now - 1.0))
    return head + ts + origin + struct.pack("!QQ", ntp_ts(now), ntp_ts(now))


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind(("127.0.0.1", 0))
    if len(sys.argv) > 3:
        with open(sys.argv[3], "w") as f:
            f.write(str(os.getpid()))
    answered = 0
    while True:
        req, peer = s.recvfrom(2048)
        if mode == "silent" or len(req) < 48 or (mode == "once" and answered):
            continue
        answered += 1
        if mode == "garbage":
            s.sendto(os.urandom(48), peer)
            continue
        out = reply(req, mode, time.time())
        if mode == "short":
            out = out[:20]
        (other if mode == "otherport" else s).sendto(out, peer)


if __name__ == "__main__":
    main()
