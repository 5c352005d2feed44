#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/helpers/dns_peer.py - a scripted DNS server over UDP for the check_dns tests.

    dns_peer.py PORT [--host 127.0.0.1] [--mode MODE]

Answers every datagram on HOST:PORT until killed.  Without --mode the first
label of the question picks the answer, so one peer serves every case:

    servfail.*  rcode SERVFAIL        refused.*  rcode REFUSED
    formerr.*   rcode FORMERR         notimp.*   rcode NOTIMP
    noaa.*      A 127.0.0.40, the authoritative bit clear
    aa.*        A 127.0.0.41, the authoritative bit set
    empty.*     NOERROR with no answer (NODATA)
    silent.*    no answer at all
    garbage.*   16 bytes that are no DNS message
    wrongid.*   an answer with another query id (a spoof: to be ignored)
    records.*   SOA, NS, MX, SRV and TXT records (one of each; TXT with a control
                byte and a '|'), whatever the type asked
    anything else: NXDOMAIN

--mode MODE answers every question as that first label would (silent:
a listener that never answers; garbage: a server that answers garbage).
"""
import socket
import struct
import sys


def question_end(msg):
    """Offset just past the question's QTYPE/QCLASS, and the first label (lower case)."""
    off, first = 12, None
    while off < len(msg):
        n = msg[off]
        if n == 0:
            return off + 5, first or ""
        if first is None:
            first = msg[off + 1:off + 1 + n].decode("ascii", "replace").lower()
        off += 1 + n
    raise ValueError("truncated question")


def reply(msg, rcode, aa, answer_ip=None, qid=None):
    end, _ = question_end(msg)
    q = msg[12:end]
    (oid,) = struct.unpack("!H", msg[:2])
    rd = msg[2] & 0x01
    flags = 0x8000 | (0x0400 if aa else 0) | (rd << 8) | 0x0080 | rcode
    an = 0
    body = q
    qtype = struct.unpack("!H", msg[end - 4:end - 2])[0]
    if answer_ip and qtype in (1, 255):
        an = 1
        body += struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(answer_ip)
    return struct.pack("!HHHHHH", oid if qid is None else (oid ^ 0x5555), flags, 1, an, 0, 0) + body


def name(text):
    out = b""
    for label in text.split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def rr(rtype, rdata):
    return struct.pack("!HHHIH", 0xC00C, rtype, 1, 60, len(rdata)) + rdata


def records(msg):
    end, _ = question_end(msg)
    (oid,) = struct.unpack("!H", msg[:2])
    rrs = [
        rr(6, name("ns.peer.example") + name("hostmaster.peer.example") + struct.pack("!IIIII", 2026120801, 3600, 600, 86400, 60)),
        rr(2, name("ns.peer.example")),
        rr(15, struct.pack("!H", 10) + name("mail.peer.example")),
        rr(33, struct.pack("!HHH", 1, 2, 5060) + name("sip.peer.example")),
        rr(16, b"\x05hello\x05a|b\x01c"),
    ]
    return struct.pack("!HHHHHH", oid, 0x8580, 1, len(rrs), 0, 0) + msg[12:end] + b"".join(rrs)


def answer(msg, mode):
    _, first = question_end(msg)
    what = mode or first
    table = {"servfail": 2, "refused": 5, "formerr": 1, "notimp": 4}
    if what == "silent":
        return None
    if what == "garbage":
        return b"\x00\x01garbage\xff\xfe\xfd-dns"
    if what in table:
        return reply(msg, table[what], False)
    if what == "noaa":
        return reply(msg, 0, False, "127.0.0.40")
    if what == "aa":
        return reply(msg, 0, True, "127.0.0.41")
    if what == "empty":
        return reply(msg, 0, True)
    if what == "records":
        return records(msg)
    if what == "wrongid":
        return reply(msg, 0, True, "127.0.0.42", qid=True)
    return reply(msg, 3, True)


def main(argv):
    port, host, mode = int(argv[1]), "127.0.0.1", None
    args = argv[2:]
    while args:
        if args[0] == "--host":
            host, args = args[1], args[2:]
        elif args[0] == "--mode":
            mode, args = args[1], args[2:]
        else:
            sys.exit("dns_peer.py: unknown argument " + args[0])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, port))
    while True:
        msg, peer = s.recvfrom(4096)
        try:
            out = answer(msg, mode)
        except (ValueError, struct.error, IndexError):
            continue
        if out is not None:
            s.sendto(out, peer)


if __name__ == "__main__":
    main(sys.argv)
