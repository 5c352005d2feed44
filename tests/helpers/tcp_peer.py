#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/helpers/tcp_peer.py - scripted TCP (or UDP) peers for the network plugin tests.

    tcp_peer.py MODE PORT [ARG] [--log FILE] [--udp] [--host 127.0.0.1] [--tls CERT KEY]

Listens on 127.0.0.1:PORT (or ::1 with --host ::1; a PORT starting with '/' is a
unix socket path) and serves every connection
in a thread until killed, in one of these modes:

    banner TEXT   send TEXT (with \\r \\n \\t escapes) at once, then read
                  what the client sends until it closes (at most 60 s)
    reply TEXT    wait for the client's first bytes, then send TEXT, then
                  read until the client closes
    silent        accept and never send anything (read and drop)
    trickle TEXT  send TEXT one byte per second
    flood MB      send MB megabytes of garbage (no newline), then close
    close         close at once (an empty answer)
    full          never accept, with the accept queue filled by two connections of
                  its own: further SYNs are dropped, a connect hangs (a black hole)

--log FILE appends what every client sent (repr, one line per connection),
so a test can check the send and quit strings.  With --udp the peer answers
each datagram per the mode (banner/reply: TEXT; silent: nothing).  With --tls
every connection does a TLS handshake first (CERT and KEY: PEM files), then
the mode runs over TLS (a banner server such as IMAPS).
"""
import socket
import sys
import threading
import time


def unescape(s):
    return s.encode().decode("unicode_escape").encode("latin-1")


def drain(conn, log, first=b""):
    got = bytearray(first)
    conn.settimeout(60)
    try:
        while True:
            d = conn.recv(65536)
            if not d:
                break
            got += d
    except OSError:
        pass
    if log:
        with open(log, "a") as f:
            f.write(repr(bytes(got)) + "\n")


def serve(conn, mode, arg, log):
    try:
        if mode == "banner":
            conn.sendall(unescape(arg))
            drain(conn, log)
        elif mode == "reply":
            conn.settimeout(60)
            first = conn.recv(65536)
            conn.sendall(unescape(arg))
            drain(conn, log, first)
        elif mode == "silent":
            drain(conn, log)
        elif mode == "trickle":
            for b in unescape(arg):
                conn.sendall(bytes([b]))
                time.sleep(1)
            drain(conn, log)
        elif mode == "flood":
            chunk = b"x" * 65536
            for _ in range(int(arg) * 16):
                conn.sendall(chunk)
        elif mode == "close":
            pass
    except OSError:
        pass
    finally:
        conn.close()


def udp(sock, mode, arg, log):
    while True:
        data, addr = sock.recvfrom(65536)
        if log:
            with open(log, "a") as f:
                f.write(repr(data) + "\n")
        if mode in ("banner", "reply"):
            sock.sendto(unescape(arg), addr)


def main():
    args = sys.argv[1:]
    log = None
    host = "127.0.0.1"
    use_udp = False
    if "--log" in args:
        i = args.index("--log")
        log = args[i + 1]
        del args[i:i + 2]
    if "--host" in args:
        i = args.index("--host")
        host = args[i + 1]
        del args[i:i + 2]
    tls = None
    if "--tls" in args:
        i = args.index("--tls")
        import ssl
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args[i + 1], args[i + 2])
        del args[i:i + 3]
    if "--udp" in args:
        args.remove("--udp")
        use_udp = True
    mode, port = args[0], args[1]
    arg = args[2] if len(args) > 2 else ""
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    if use_udp:
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind((host, int(port)))
        udp(s, mode, arg, log)
        return
    if port.startswith("/"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(port)
    else:
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, int(port)))
    if mode == "full":
        s.listen(0)
        fillers = []
        for _ in range(3):
            c = socket.socket(s.family, socket.SOCK_STREAM)
            c.setblocking(False)
            try:
                c.connect(s.getsockname())
            except OSError:
                pass
            fillers.append(c)
        while True:
            time.sleep(3600)
    s.listen(64)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=handshake_and_serve, args=(conn, tls, mode, arg, log), daemon=True).start()


def handshake_and_serve(conn, tls, mode, arg, log):
    if tls is not None:
        try:
            conn.settimeout(30)
            conn = tls.wrap_socket(conn, server_side=True)
        except OSError:
            conn.close()
            return
    serve(conn, mode, arg, log)


if __name__ == "__main__":
    main()
