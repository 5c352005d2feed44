#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A misbehaving clamd for tests/integration/check_clamav.sh.

Usage: check_clamav_peer.py READYFILE MODE ADDRESS [MODE ADDRESS]...
  ADDRESS  a unix socket path, or tcp:PORT (127.0.0.1; 0 = any free port)
  MODE     silent   accept, read, never answer
           garbage  answer every command with a line that is not clamd's
           huge     answer with one endless line (megabytes, no terminator)
           trickle  answer 'PONG' one byte every 2 seconds, never the NUL
           pong     answer PONG, then VERSION with no database loaded, and
                    every scan with 'stream: OK' (a scanner that detects nothing)
           refuse   bind the unix socket but never listen (connections are refused)
           trailing answer PING like clamd, VERSION and INSTREAM (EICAR found) with
                    more bytes after the reply's NUL (two replies in one)
           pongjunk answer 'PONG', its NUL, then 'garbage'
           noscan   answer PING and VERSION like clamd, never answer INSTREAM
           unterminated  answer 'PONG' and close without the NUL
One process serves every MODE ADDRESS pair (python starts once).  Writes one line
'MODE ADDRESS PORT' per pair to READYFILE when all accept connections.  Runs until killed.
"""
import os
import socket
import sys
import threading
import time


def read_stream(conn, data):
    """Read INSTREAM chunks (after the command in data) up to the zero-length one."""
    buf = data[10:]
    while True:
        if len(buf) >= 4:
            n = int.from_bytes(buf[:4], "big")
            if n == 0:
                return
            if len(buf) >= 4 + n:
                buf = buf[4 + n:]
                continue
        more = conn.recv(4096)
        if not more:
            return
        buf += more


def serve(conn, mode):
    try:
        conn.settimeout(60)
        data = conn.recv(4096)
        if mode == "silent":
            time.sleep(3600)
        elif mode == "garbage":
            conn.sendall(b"220 smtp.example.net ESMTP ready\r\n\x1b[31m|$HOME\x00")
        elif mode == "huge":
            chunk = b"A" * 65536
            for _ in range(256):
                conn.sendall(chunk)
        elif mode == "trickle":
            for c in b"PONG":
                conn.sendall(bytes([c]))
                time.sleep(2)
            time.sleep(3600)
        elif mode == "trailing":
            if data.startswith(b"zPING"):
                conn.sendall(b"PONG\x00")
            elif data.startswith(b"zVERSION"):
                conn.sendall(b"ClamAV 1.4.6/27500/Sat Nov 28 03:00:00 2026\x00\x00")
            elif data.startswith(b"zINSTREAM"):
                read_stream(conn, data)
                conn.sendall(b"stream: Eicar-Signature FOUND\x00stream: OK\x00")
        elif mode == "pongjunk":
            conn.sendall(b"PONG\x00garbage")
        elif mode == "noscan":
            if data.startswith(b"zPING"):
                conn.sendall(b"PONG\x00")
            elif data.startswith(b"zVERSION"):
                conn.sendall(b"ClamAV 1.4.6/27500/Sat Nov 28 03:00:00 2026\x00")
            else:
                time.sleep(3600)
        elif mode == "unterminated":
            conn.sendall(b"PONG")
        elif mode == "pong":
            if data.startswith(b"zPING"):
                conn.sendall(b"PONG\x00")
            elif data.startswith(b"zVERSION"):
                conn.sendall(b"ClamAV 1.4.6\x00")
            elif data.startswith(b"zINSTREAM"):
                # Read the chunks up to the zero-length one, then say the stream is clean.
                read_stream(conn, data)
                conn.sendall(b"stream: OK\x00")
    except OSError:
        pass
    finally:
        conn.close()


def listen(mode, address):
    if address.startswith("tcp:"):
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", int(address[4:])))
        port = srv.getsockname()[1]
    else:
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if os.path.exists(address):
            os.unlink(address)
        srv.bind(address)
        port = 0
    if mode != "refuse":
        srv.listen(16)
    return srv, port


def accept_loop(srv, mode):
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, mode), daemon=True).start()


def main():
    ready = sys.argv[1]
    pairs = list(zip(sys.argv[2::2], sys.argv[3::2]))
    lines = []
    keep = []
    for mode, address in pairs:
        srv, port = listen(mode, address)
        keep.append(srv)
        lines.append("%s %s %d\n" % (mode, address, port))
        if mode != "refuse":
            threading.Thread(target=accept_loop, args=(srv, mode), daemon=True).start()
    with open(ready + ".tmp", "w") as f:
        f.writelines(lines)
    os.rename(ready + ".tmp", ready)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
