"""One SMTP server, named by one URL (`MAGNETIQ_SMTP_URL`), and what its answers mean.

`smtp://user:pass@host:587` sends with STARTTLS (required whenever a password is given);
`smtps://user:pass@host:465` uses TLS from the start; `smtp://localhost:1025` without a
password may stay plain (a local relay or the demo's mail catcher).
"""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

TIMEOUT_SECONDS = 30


class SmtpConfigError(ValueError):
    """MAGNETIQ_SMTP_URL cannot be used; the message says why."""


class TemporaryFailure(Exception):
    """Try again later: a 4xx answer, a refused or dropped connection, a timeout."""


class PermanentFailure(Exception):
    """Do not try again: a 5xx answer (no such mailbox, refused as spam, …)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    implicit_tls: bool
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> "SmtpSettings":
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise SmtpConfigError(
                "MAGNETIQ_SMTP_URL must look like smtp://user:password@host:587 (STARTTLS) "
                "or smtps://user:password@host:465 (TLS)"
            )
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 587)
        except ValueError as error:
            raise SmtpConfigError(f"MAGNETIQ_SMTP_URL has a bad port: {error}") from error
        return cls(parts.hostname, port, parts.scheme == "smtps",
                   unquote(parts.username) if parts.username else None,
                   unquote(parts.password) if parts.password else None)  # fmt: skip

    def connect(self) -> smtplib.SMTP:
        """A connection ready to send; TemporaryFailure when the server cannot be reached."""
        context = ssl.create_default_context()
        try:
            if self.implicit_tls:
                connection = smtplib.SMTP_SSL(self.host, self.port, timeout=TIMEOUT_SECONDS,
                                              context=context)  # fmt: skip
            else:
                connection = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS)
                connection.ehlo()
                if connection.has_extn("starttls"):
                    connection.starttls(context=context)
                    connection.ehlo()
                elif self.password:
                    connection.close()
                    raise PermanentFailure("the server offers no STARTTLS; the password is not sent in the clear")  # fmt: skip
            if self.username:
                connection.login(self.username, self.password or "")
        except smtplib.SMTPAuthenticationError as error:
            raise PermanentFailure(f"sign-in refused: {error.smtp_code}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(f"cannot reach {self.host}:{self.port}: {error}") from error
        return connection


def send(connection: smtplib.SMTP, message: EmailMessage) -> None:
    """Hand one message to the server, sorting any failure into temporary or permanent."""
    try:
        refused = connection.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        code, reason = next(iter(error.recipients.values()))
        raise failure(code, reason) from error
    except smtplib.SMTPResponseException as error:
        raise failure(error.smtp_code, error.smtp_error) from error
    except (smtplib.SMTPException, OSError) as error:  # dropped connection, timeout
        raise TemporaryFailure(str(error) or type(error).__name__) from error
    if refused:  # some recipients refused: we send to one, so this is that one
        code, reason = next(iter(refused.values()))
        raise failure(code, reason)


def failure(code: int, reason) -> Exception:
    text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    kind = PermanentFailure if 500 <= code < 600 else TemporaryFailure
    return kind(f"{code} {text}"[:500])
