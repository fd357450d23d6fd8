"""A test email backend that fails on demand, then behaves like locmem."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    #: Exceptions to raise, one per send, before sending normally.
    errors: ClassVar[list[BaseException]] = []

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if FlakyBackend.errors:
            raise FlakyBackend.errors.pop(0)
        return super().send_messages(messages)
