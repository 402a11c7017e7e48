"""Helpers for the scheduler, flag and notification tests: a fixed `now`, an SMTP sink, users' e-mails."""

import socketserver
import threading
import time
from datetime import date, datetime
from datetime import time as dtime
from email import message_from_bytes, policy

from sqlalchemy import select

from app.core.timeutil import local_to_utc
from app.deadlines.models import Clock, Stage
from app.extensions import db
from app.flags.models import Flag


def at(day: date, hour: int = 10) -> datetime:
    """The naive-UTC instant of ``hour`` o'clock, Vietnam time, on ``day`` (what the jobs take as now)."""
    return local_to_utc(datetime.combine(day, dtime(hour)))


def clock(case=None, stage: Stage = Stage.RESOLUTION, petition=None) -> Clock:
    key = (Clock.case_id == case.id) if case is not None else (Clock.petition_id == petition.id)
    return db.session.scalars(select(Clock).where(key, Clock.stage == stage)).one()


def active_flags(**where) -> list[Flag]:
    """The active flags matching ``where`` (column=value), freshly read."""
    db.session.expire_all()
    stmt = select(Flag).where(Flag.cleared_at.is_(None))
    for name, value in where.items():
        stmt = stmt.where(getattr(Flag, name) == value)
    return list(db.session.scalars(stmt.order_by(Flag.id)))


def all_flags() -> list[Flag]:
    db.session.expire_all()
    return list(db.session.scalars(select(Flag).order_by(Flag.id)))


class SmtpSink:
    """A tiny SMTP server on 127.0.0.1 (random port) that keeps what it receives, for smtplib clients.

    ``reject`` holds addresses refused at RCPT (550); ``delay`` slows each DATA down, so that two
    concurrent senders interleave.
    """

    def __init__(self, reject=(), delay: float = 0.0):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.reject = set(reject)
        self.delay = delay
        self.lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def send(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                self.send("220 sink ESMTP")
                mail_from, rcpts = None, []
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    line = raw.decode("utf-8", "replace").strip()
                    verb = line[:4].upper()
                    if verb == "EHLO":
                        self.send("250-sink")
                        self.send("250 8BITMIME")
                    elif verb == "HELO":
                        self.send("250 sink")
                    elif verb == "MAIL":
                        mail_from, rcpts = line.split(":", 1)[1].strip().strip("<>"), []
                        self.send("250 OK")
                    elif verb == "RCPT":
                        addr = line.split(":", 1)[1].strip().strip("<>")
                        if addr in sink.reject:
                            self.send("550 No such user")
                        else:
                            rcpts.append(addr)
                            self.send("250 OK")
                    elif verb == "DATA":
                        self.send("354 End data with <CR><LF>.<CR><LF>")
                        chunks = []
                        while True:
                            chunk = self.rfile.readline()
                            if chunk in (b".\r\n", b""):
                                break
                            chunks.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                        if sink.delay:
                            time.sleep(sink.delay)
                        with sink.lock:
                            sink.messages.append((mail_from, rcpts, b"".join(chunks)))
                        self.send("250 OK queued")
                    elif verb in ("RSET", "NOOP"):
                        self.send("250 OK")
                    elif verb == "QUIT":
                        self.send("221 Bye")
                        return
                    else:
                        self.send("502 Command not implemented")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def parsed(self):
        """The received messages as email.message.EmailMessage objects."""
        with self.lock:
            return [message_from_bytes(data, policy=policy.default) for _, _, data in self.messages]

    def notification_ids(self) -> list[int]:
        return sorted(int(m["X-TiepDan-Notification"]) for m in self.parsed())


def set_emails(world, **emails) -> None:
    """Give users e-mail addresses (username=address) and commit."""
    for username, address in emails.items():
        world.users[username].email = address
    db.session.commit()
