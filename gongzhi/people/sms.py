"""Pluggable SMS senders. Settings name one by dotted path (SMS_SENDER)."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("gongzhi.sms")


class SmsSender(Protocol):
    def send(self, phone: str, message: str) -> None: ...


class LogSmsSender:
    """Writes the message to the log: the demo and tests need no SMS gateway."""

    def send(self, phone: str, message: str) -> None:
        logger.info("SMS to %s: %s", phone, message)


class MemorySmsSender:
    """Keeps messages in memory, for tests: ``MemorySmsSender.outbox``."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, message: str) -> None:
        self.outbox.append((phone, message))


def get_sender() -> SmsSender:
    return import_string(settings.SMS_SENDER)()
