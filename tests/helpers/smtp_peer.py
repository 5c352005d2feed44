#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/helpers/smtp_peer.py - a scripted SMTP server for the check_smtp tests.

    smtp_peer.py MODE PORT [--log FILE] [--tls CERT KEY] [--implicit]
                 [--user NAME --password SECRET] [--host 127.0.0.1]

Listens on 127.0.0.1:PORT (or a unix socket when PORT starts with /) and serves
every connection in a thread until killed.  MODE:

    ok          "220 mail.msp.test ESMTP ready"; EHLO advertises STARTTLS (with --tls,
                before it) and AUTH LOGIN PLAIN; HELO, LHLO, MAIL, RCPT, RSET, NOOP,
                VRFY, STARTTLS, AUTH LOGIN / PLAIN (checking --user/--password: 235
                or 535) and QUIT (221, close) are answered; anything else is 502
    banner421   "421 mail.msp.test service not available", then close
    banner554   "554 mail.msp.test no SMTP service here", then read and drop
    quitfail    as ok, but QUIT is answered "500 no" and the line stays open
    quitclose   as ok, but QUIT closes without an answer
    multiline   a three-line 220 banner ("220-..." twice, then "220 ...")
    garbage     binary garbage with line ends instead of a banner, then silence
    noehlo      as ok, but EHLO is "502 command not implemented" (HELO works)

With --tls CERT KEY, STARTTLS (advertised in EHLO) switches to TLS; with
--implicit too, every connection starts with the TLS handshake (SMTPS).
--log FILE appends every command line received (one per line, as repr), so a
test can check the order of commands and that secrets arrive as sent.
"""
import base64
import socket
import ssl
import sys
import threading

OPTS = {"log": None, "tls": None, "implicit": False, "user": "monitor", "password": "s3cret", "host": "127.0.0.1"}


def log(line):
    if OPTS["log"]:
        with open(OPTS["log"], "a") as f:
            f.write(repr(line) + "\n")


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def send(self, text):
        self.sock.sendall(text.encode() + b"\r\n")

    def line(self):
        while b"\n" not in self.buf:
            d = self.sock.recv(4096)
            if not d:
                return None
            self.buf += d
        ln, self.buf = self.buf.split(b"\n", 1)
        ln = ln.rstrip(b"\r").decode("latin-1")
        log(ln)
        return ln


def ehlo_lines(tls_active):
    lines = ["mail.msp.test greets you"]
    if OPTS["tls"] and not tls_active and not OPTS["implicit"]:
        lines.append("STARTTLS")
    lines += ["AUTH LOGIN PLAIN", "SIZE 10240000", "8BITMIME"]
    return lines


def auth(c, words):
    kind = words[1].upper() if len(words) > 1 else ""
    if kind == "LOGIN":
        c.send("334 " + base64.b64encode(b"Username:").decode())
        user = c.line()
        c.send("334 " + base64.b64encode(b"Password:").decode())
        pw = c.line()
        try:
            ok = (base64.b64decode(user or "").decode() == OPTS["user"]
                  and base64.b64decode(pw or "").decode() == OPTS["password"])
        except ValueError:
            ok = False
    elif kind == "PLAIN":
        resp = words[2] if len(words) > 2 else None
        if resp is None:
            c.send("334 ")
            resp = c.line()
        try:
            parts = base64.b64decode(resp or "").split(b"\0")
            ok = len(parts) == 3 and parts[1].decode() == OPTS["user"] and parts[2].decode() == OPTS["password"]
        except ValueError:
            ok = False
    else:
        c.send("504 5.5.4 unrecognized authentication type")
        return
    c.send("235 2.7.0 authentication successful" if ok else "535 5.7.8 authentication credentials invalid")


def dialogue(c, mode):
    tls_active = OPTS["implicit"]
    while True:
        ln = c.line()
        if ln is None:
            return
        words = ln.split()
        verb = words[0].upper() if words else ""
        if verb == "EHLO" and mode == "noehlo":
            c.send("502 5.5.1 command not implemented")
        elif verb in ("EHLO", "LHLO"):
            lines = ehlo_lines(tls_active)
            for l in lines[:-1]:
                c.send("250-" + l)
            c.send("250 " + lines[-1])
        elif verb == "HELO":
            c.send("250 mail.msp.test")
        elif verb == "STARTTLS" and OPTS["tls"] and not tls_active:
            c.send("220 2.0.0 ready to start TLS")
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*OPTS["tls"])
            c.sock = ctx.wrap_socket(c.sock, server_side=True)
            c.buf = b""
            tls_active = True
        elif verb == "AUTH":
            auth(c, words)
        elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
            c.send("250 2.0.0 ok")
        elif verb == "VRFY":
            c.send("252 2.0.0 cannot verify, will accept")
        elif verb == "QUIT":
            if mode == "quitfail":
                c.send("500 no")
                continue
            if mode != "quitclose":
                c.send("221 2.0.0 bye")
            return
        else:
            c.send("502 5.5.2 command not recognized")


def serve(sock, mode):
    c = Conn(sock)
    try:
        sock.settimeout(60)
        if OPTS["implicit"]:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*OPTS["tls"])
            c.sock = ctx.wrap_socket(sock, server_side=True)
        if mode == "banner421":
            c.send("421 4.3.2 mail.msp.test service not available")
            return
        if mode == "banner554":
            c.send("554 5.3.2 mail.msp.test no SMTP service here")
            while c.line() is not None:
                pass
            return
        if mode == "garbage":
            c.sock.sendall(b"\x00\xff\xfe garbage \x1b[2J\r\n\x01\x02\x03 more\r\n")
            while c.sock.recv(4096):
                pass
            return
        if mode == "multiline":
            c.send("220-mail.msp.test ESMTP")
            c.send("220-second line")
        c.send("220 mail.msp.test ESMTP ready")
        dialogue(c, mode)
    except (OSError, ssl.SSLError):
        pass
    finally:
        try:
            c.sock.close()
        except OSError:
            pass


def main():
    args = sys.argv[1:]
    for name in ("log", "user", "password", "host"):
        if "--" + name in args:
            i = args.index("--" + name)
            OPTS[name] = args[i + 1]
            del args[i:i + 2]
    if "--tls" in args:
        i = args.index("--tls")
        OPTS["tls"] = (args[i + 1], args[i + 2])
        del args[i:i + 3]
    if "--implicit" in args:
        args.remove("--implicit")
        OPTS["implicit"] = True
    mode, port = args[0], args[1]
    if port.startswith("/"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(port)
    else:
        fam = socket.AF_INET6 if ":" in OPTS["host"] else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((OPTS["host"], int(port)))
    s.listen(64)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, mode), daemon=True).start()


if __name__ == "__main__":
    main()
