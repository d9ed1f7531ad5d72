"""The connection newsletters are sent through, and the moment a message counts as sent.

Sending is idempotent per recipient (newsletters/sending.py): a `Delivery` is marked
sent by a conditional UPDATE (pending → sent) that only one sender can win. The question
is *when*. Marked before sending, a worker killed mid-send leaves readers without the
edition; marked after, a worker killed between the server's "250 OK" and the UPDATE
sends them a second copy when it restarts.

Over SMTP the window can be closed almost entirely: a message is the SMTP server's only
once it has read the final "." of DATA. `IdempotentSMTPBackend` (Django's SMTP backend,
with a hook in smtplib's DATA step) sends the message, then marks it sent, then sends the
final ".". Killed before the mark, the server drops the half-sent message and the restart
sends it; killed after, the kernel still delivers the bytes already written. Only a kill
in the microseconds between the UPDATE and writing five bytes can lose one message; none
can duplicate one. If the mark finds the delivery already sent (another worker), the
connection is dropped mid-DATA, so the server discards the message.

Other backends (django-anymail's HTTP APIs, the console) have no such moment: for them
the mark comes just before the call, so a worker killed during the call can leave that
one reader without the edition, but never sends twice.
"""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Callable

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend


class AlreadySent(Exception):
    """The delivery was marked sent by someone else: this copy must not go out."""


class _HookedDataMixin:
    """smtplib's DATA with a call between the message and its final "." (see above)."""

    before_end_of_data: Callable[[], None] | None = None

    def connect(self, *args, **kwargs):
        reply = super().connect(*args, **kwargs)
        # The final "." goes in a write of its own: without TCP_NODELAY, Nagle's algorithm
        # and the server's delayed ACK would hold it back some 40 ms per message.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return reply

    def data(self, msg):
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        quoted = smtplib._quote_periods(msg)
        if quoted[-2:] != smtplib.bCRLF:
            quoted += smtplib.bCRLF
        self.send(quoted)
        if self.before_end_of_data is not None:
            self.before_end_of_data()  # may raise AlreadySent: the final "." is never sent
        self.send(b"." + smtplib.bCRLF)
        return self.getreply()


class _HookedSMTP(_HookedDataMixin, smtplib.SMTP):
    pass


class _HookedSMTPSSL(_HookedDataMixin, smtplib.SMTP_SSL):
    pass


class IdempotentSMTPBackend(DjangoSMTPBackend):
    """Django's SMTP backend (same settings), whose messages count as sent at the final "."."""

    @property
    def connection_class(self):
        return _HookedSMTPSSL if self.use_ssl else _HookedSMTP

    def abandon(self) -> None:
        """Drop the connection without QUIT (it may be mid-DATA): the server discards
        what it had of the message."""
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None


def newsletter_connection():
    """The backend newsletters go through: NEWSROOM_NEWSLETTER_EMAIL_BACKEND (an e-mail
    service through django-anymail), else EMAIL_BACKEND; Django's SMTP backend becomes
    the idempotent one."""
    backend = get_connection(settings.NEWSROOM_NEWSLETTER_EMAIL_BACKEND or None)
    if type(backend) is DjangoSMTPBackend:
        return IdempotentSMTPBackend()
    return backend


def marks_at_end_of_data(backend) -> bool:
    return isinstance(backend, IdempotentSMTPBackend)
