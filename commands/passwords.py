"""Where an admin password comes from: the environment, a prompt, or a generated one."""

import getpass
import os
import sys

from database import OperationError
from database.users import generate_password, password_problem

PASSWORD_VARIABLE = "MAGNETIQ_ADMIN_PASSWORD"


def obtain_password(email: str, *, allow_generated: bool) -> tuple[str, bool]:
    """Return (password, was_generated). Never falls back to a built-in password."""
    from_environment = os.environ.get(PASSWORD_VARIABLE)
    if from_environment:
        return checked(from_environment, email), False
    if sys.stdin.isatty():
        hint = " (empty: generate one)" if allow_generated else ""
        first = getpass.getpass(f"Password for {email}{hint}: ")
        if not first and allow_generated:
            return generate_password(), True
        if getpass.getpass("Repeat the password: ") != first:
            raise OperationError("the two passwords differ")
        return checked(first, email), False
    if allow_generated:
        return generate_password(), True
    raise OperationError(f"set {PASSWORD_VARIABLE} or run this command on a terminal")


def checked(password: str, email: str) -> str:
    problem = password_problem(password, [email])
    if problem:
        raise OperationError(problem)
    return password
