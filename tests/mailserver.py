"""A real SMTP server for the tests (aiosmtpd), whose next answers a test can script."""

import email
from contextlib import contextmanager
from email import policy

from aiosmtpd.controller import Controller

from .servers import free_port


class Inbox:
    """Records every accepted message; `answers` are DATA replies to give first ("421 …",
    "550 …", or "drop" to cut the connection before answering)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.answers: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.answers:
            answer = self.answers.pop(0)
            if answer == "drop":
                server.transport.close()
            return answer if answer != "drop" else "451 gone"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def kinds(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]


@contextmanager
def smtp_server():
    """(inbox, smtp URL) of a server on a free local port, stopped afterwards."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()
