#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/helpers/icmp_unreach.py - answer ICMP echo requests on lo with an ICMP error.

    icmp_unreach.py TYPE CODE [PIDFILE]

Runs as root inside the private network namespace of the integration tests, with
net.ipv4.icmp_echo_ignore_all=1 so the kernel itself stays silent: every IPv4 echo request
seen on a raw socket is answered by an ICMP message TYPE/CODE (3/1: host unreachable, 11/0:
time to live exceeded) from 127.0.0.1, quoting the request's IP header and first 8 bytes as a
router would.  A pinger then gets the error on its socket's error queue (IP_RECVERR).
"""
import os
import socket
import struct
import sys


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def main():
    icmp_type, code = int(sys.argv[1]), int(sys.argv[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    if len(sys.argv) > 3:
        with open(sys.argv[3], "w") as f:
            f.write(str(os.getpid()))
    while True:
        pkt, _ = s.recvfrom(2048)
        ihl = (pkt[0] & 0xF) * 4
        if len(pkt) < ihl + 8 or pkt[ihl] != 8:  # echo requests only
            continue
        quoted = pkt[: ihl + 8]
        body = struct.pack("!BBHI", icmp_type, code, 0, 0) + quoted
        body = body[:2] + struct.pack("!H", checksum(body)) + body[4:]
        s.sendto(body, ("127.0.0.1", 0))


if __name__ == "__main__":
    main()
