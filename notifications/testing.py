"""Email backends for tests and benchmarks, not for production.

``MessageIdLogBackend`` appends one line per delivered email (its Message-ID)
to the file named by ``OUTBOX_TEST_MAILLOG``, so that several worker processes
can report every delivery to a test in another process. Each line is written
with a single ``write`` on an ``O_APPEND`` descriptor, which keeps lines from
different processes whole. ``OUTBOX_TEST_SEND_DELAY_MS`` makes each send take
that long, like a real provider's round trip; the line is written half-way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class MessageIdLogBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        path = os.environ["OUTBOX_TEST_MAILLOG"]
        delay = float(os.environ.get("OUTBOX_TEST_SEND_DELAY_MS", "0")) / 1000
        sent = 0
        for email in email_messages:
            # Half the time before the provider has the message, half after,
            # while its answer travels back: as with SMTP's final "250 OK",
            # a sender killed in that second half has delivered without
            # knowing it, which is where duplicates come from.
            time.sleep(delay / 2)
            message_id = email.extra_headers.get("Message-ID") or email.message()["Message-ID"]
            line = f"{message_id}\t{os.getpid()}\t{time.time():.6f}\n".encode()
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
            time.sleep(delay / 2)
            sent += 1
        return sent
