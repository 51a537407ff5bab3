"""The services' configuration (capture and studio), read once from the environment."""

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from database import OperationError, database_path
from database.setup import media_directory

RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour)\s*$")
DEFAULT_RATE_LIMIT = "20/minute"
DEFAULT_LOGIN_RATE_LIMIT = "10/minute"


class ConfigError(OperationError):
    """The service cannot start with this configuration; the message says what to set."""


def checked_rate(name: str, value: str) -> str:
    if not RATE.match(value):
        raise ConfigError(f"{name}={value!r} is not <count>/<second|minute|hour>, e.g. 20/minute")
    count, unit = RATE.match(value).groups()
    return f"{count}/{unit}"


@dataclass(frozen=True)
class Config:
    database: Path
    media: Path
    secret_key: str
    rate_limit: str = DEFAULT_RATE_LIMIT
    login_rate_limit: str = DEFAULT_LOGIN_RATE_LIMIT
    extra_origins: tuple[str, ...] = ()
    download_ttl_seconds: int = 24 * 3600
    max_body_bytes: int = 64 * 1024
    min_fill_ms: int = 2000
    busy_timeout_ms: int = 5000
    production: bool = True
    trusted_proxies: int = 0
    testing: bool = False
    # Replace the stored site_url / capture_url settings (a local preview on other ports).
    site_url: str | None = None
    capture_url: str | None = None
    smtp_url: str | None = None  # MAGNETIQ_SMTP_URL; unset: mail stays queued (mailer/smtp.py)
    mail_per_second: float = 10.0  # MAGNETIQ_MAIL_PER_SECOND: the worker's sending rate
    mail_catcher: Path | None = None  # MAGNETIQ_MAIL_CATCHER: `serve`'s caught mail (a Maildir)
    studio_url: str | None = None  # MAGNETIQ_STUDIO_URL: where staff links in mail lead
    deploy_command: str | None = (
        None  # MAGNETIQ_DEPLOY_COMMAND: run after each build (generator/runner.py)
    )
    deploy_timeout: float = (
        900.0  # MAGNETIQ_DEPLOY_TIMEOUT: seconds before a deploy counts as failed
    )

    @classmethod
    def from_environment(cls, **overrides) -> "Config":
        env = os.environ
        production = env.get("MAGNETIQ_ENV", "production") != "development"
        secret = env.get("MAGNETIQ_SECRET_KEY", "")
        if not secret:
            if production:
                raise ConfigError(
                    "MAGNETIQ_SECRET_KEY is not set; it signs download links. Generate one with "
                    "`python -c 'import secrets; print(secrets.token_urlsafe(32))'` "
                    "(MAGNETIQ_ENV=development allows a random key per start)"
                )
            secret = secrets.token_urlsafe(32)
        elif len(secret) < 16:
            raise ConfigError("MAGNETIQ_SECRET_KEY must have at least 16 characters")
        db = database_path()
        values = dict(
            database=db,
            media=media_directory(db),
            secret_key=secret,
            rate_limit=checked_rate(
                "MAGNETIQ_RATE_LIMIT", env.get("MAGNETIQ_RATE_LIMIT", DEFAULT_RATE_LIMIT)
            ),
            login_rate_limit=checked_rate(
                "MAGNETIQ_LOGIN_RATE_LIMIT",
                env.get("MAGNETIQ_LOGIN_RATE_LIMIT", DEFAULT_LOGIN_RATE_LIMIT),
            ),
            extra_origins=tuple(
                o.strip().rstrip("/")
                for o in env.get("MAGNETIQ_CORS_ORIGINS", "").split(",")
                if o.strip()
            ),
            production=production,
            trusted_proxies=int(env.get("MAGNETIQ_TRUSTED_PROXIES", "0")),
            smtp_url=env.get("MAGNETIQ_SMTP_URL") or None,
            mail_per_second=float(env.get("MAGNETIQ_MAIL_PER_SECOND", "10")),
            mail_catcher=Path(env["MAGNETIQ_MAIL_CATCHER"])
            if env.get("MAGNETIQ_MAIL_CATCHER")
            else None,
            studio_url=env.get("MAGNETIQ_STUDIO_URL", "").rstrip("/") or None,
            deploy_command=env.get("MAGNETIQ_DEPLOY_COMMAND") or None,
            deploy_timeout=float(env.get("MAGNETIQ_DEPLOY_TIMEOUT", "900")),
        )
        values.update(overrides)
        return cls(**values)
