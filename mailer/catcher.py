"""`serve`'s mail catcher: a real SMTP server on a local port that keeps every message in a
Maildir instead of delivering it, so the demo's mail can be read in the studio (/admin/mail)."""

import mailbox
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller


class MaildirHandler:
    def __init__(self, folder: Path):
        self.maildir = mailbox.Maildir(folder, create=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.maildir.add(message_from_bytes(envelope.content, policy=policy.default))
        return "250 caught"


def start_catcher(folder: Path, host: str, port: int) -> Controller:
    """Started in a background thread; `stop()` it when done."""
    controller = Controller(MaildirHandler(folder), hostname=host, port=port)
    controller.start()
    return controller


def caught(folder: Path) -> list[tuple[str, object]]:
    """(key, message) of the caught mail, newest first."""
    box = mailbox.Maildir(folder, create=False, factory=None)
    messages = [
        (key, message_from_bytes(box.get_bytes(key), policy=policy.default)) for key in box.keys()
    ]
    return sorted(
        messages, key=lambda item: item[1]["Date"].datetime if item[1]["Date"] else 0, reverse=True
    )
