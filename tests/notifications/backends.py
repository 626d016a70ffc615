"""An email backend for tests that stands in for an SMTP server: it keeps what it accepted
and can be told to refuse an address, to fail for a while, or to "crash" the worker (raise
SystemExit, which nothing catches) just before or just after it accepts a message."""

import smtplib
import threading

from django.core.mail.backends.base import BaseEmailBackend

accepted = []  # EmailMessage objects, in the order the "server" accepted them
refuse = {}  # address -> (code, text): refused at RCPT, as an SMTP server would
script = []  # one action per send, consumed in order: "crash_before", "crash_after", an exception
down = threading.Event()  # set: the server cannot be reached at all
_lock = threading.Lock()


def reset():
    accepted.clear()
    refuse.clear()
    script.clear()
    down.clear()


class ScriptedBackend(BaseEmailBackend):
    def open(self):
        if down.is_set():
            raise ConnectionRefusedError(111, "Connection refused")
        return True

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            with _lock:
                action = script.pop(0) if script else None
            if action == "crash_before":
                raise SystemExit("worker killed before the server accepted")
            if isinstance(action, Exception):
                raise action
            (address,) = message.to
            if address in refuse:
                raise smtplib.SMTPRecipientsRefused({address: refuse[address]})
            with _lock:
                accepted.append(message)
            sent += 1
            if action == "crash_after":
                raise SystemExit("worker killed after the server accepted")
        return sent


def message_ids():
    return [m.extra_headers["Message-ID"] for m in accepted]
