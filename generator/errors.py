"""Build failures that name what is at fault: table, row, slug, language, template line."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentError(Exception):
    """One problem with one piece of content or one template."""

    message: str
    table: str | None = None
    row_id: int | None = None
    slug: str | None = None
    lang: str | None = None
    template: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = []
        if self.table:
            where.append(
                f"{self.table} row {self.row_id}" + (f" ('{self.slug}')" if self.slug else "")
            )
        if self.lang:
            where.append(f"language {self.lang}")
        if self.template:
            where.append(f"template {self.template}" + (f" line {self.line}" if self.line else ""))
        return (", ".join(where) + ": " if where else "") + self.message


class BuildError(Exception):
    """The build stopped; `output/` was left exactly as it was."""

    def __init__(self, problems: list[ContentError] | list[str], summary: str = "build failed"):
        self.problems = [str(problem) for problem in problems]
        self.content_errors = [p for p in problems if isinstance(p, ContentError)]  # where, too
        super().__init__(f"{summary}: {len(self.problems)} problem(s); first: {self.problems[0]}")
