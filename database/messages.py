"""Messages for people from the shared rules, kept as an English template and its values apart.

The CLI, the build and the capture service print them as they are (`str`); the studio
translates the template into the staff member's language and fills it in there (gettext). The
templates are found for the catalogs by the keyword `Message`.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Message:
    template: str
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template % self.values if self.values else self.template
