#!/usr/bin/env python3
"""Regenerates core's command metadata resource from a running reference redis-server.

Usage: tools/gen-command-metadata.py PORT

Writes the RESP3 replies of COMMAND INFO and COMMAND DOCS (in that order, byte for byte as the
server sent them) to core/src/main/resources/io/cachalot/core/command/meta/redis-commands.resp3.
Cachalot reads arity, flags and key positions from it, and serves it back for COMMAND INFO/DOCS
of the commands it implements. Run it against the reference version (redis-server 7.0.15).
"""
import os
import socket
import sys


class Reader:
    def __init__(self, sock):
        self.sock, self.buf, self.pos = sock, b"", 0

    def _fill(self):
        data = self.sock.recv(1 << 20)
        if not data:
            raise EOFError("connection closed")
        self.buf += data

    def _line(self):
        while True:
            i = self.buf.find(b"\r\n", self.pos)
            if i >= 0:
                line = self.buf[self.pos:i]
                self.pos = i + 2
                return line
            self._fill()

    def value(self):
        """Consumes one RESP3 value and returns its raw bytes."""
        start = self.pos
        self._skip()
        return self.buf[start:self.pos]

    def _skip(self):
        line = self._line()
        t, rest = line[:1], line[1:]
        if t in (b"*", b"~", b">"):
            for _ in range(int(rest)):
                self._skip()
        elif t == b"%":
            for _ in range(2 * int(rest)):
                self._skip()
        elif t in (b"$", b"="):
            n = int(rest)
            if n >= 0:
                while len(self.buf) < self.pos + n + 2:
                    self._fill()
                self.pos += n + 2


def main():
    port = int(sys.argv[1])
    s = socket.create_connection(("127.0.0.1", port))
    r = Reader(s)
    s.sendall(b"HELLO 3\r\n")
    r.value()
    s.sendall(b"INFO server\r\n")
    info = r.value()
    s.sendall(b"COMMAND INFO\r\n")
    cmd_info = r.value()
    s.sendall(b"COMMAND DOCS\r\n")
    cmd_docs = r.value()
    version = [l for l in info.split(b"\r\n") if l.startswith(b"redis_version:")]
    out = os.path.join(os.path.dirname(__file__), "..", "core", "src", "main", "resources",
                       "io", "cachalot", "core", "command", "meta", "redis-commands.resp3")
    with open(out, "wb") as f:
        f.write(cmd_info)
        f.write(cmd_docs)
    print("wrote", os.path.normpath(out), "from", version[0].decode() if version else "?")


if __name__ == "__main__":
    main()
