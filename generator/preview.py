"""One page, webinar or whitepaper exactly as the build would render it, whatever its state:
the studio's preview.

The same loading, planning, Markdown, sanitiser and templates as a build, for one output, with
`noindex` added; nothing is written and no cache is touched.
"""

from datetime import datetime
from functools import partial

import jinja2

from database import connect

from .assets import fingerprinted_assets
from .builder import BuildPaths
from .errors import BuildError
from .i18n import load_catalogs
from .jobs import with_markdown
from .load import load_content, page_markdown
from .markup import to_html
from .render import TemplateKeys, make_environment
from .views import Planner

NOINDEX = "noindex, nofollow"


OUTPUTS = {
    "pages": "page_outputs",
    "webinars": "webinar_outputs",
    "whitepapers": "whitepaper_outputs",
}


def preview(paths: BuildPaths, table: str, row_id: int, lang: str, now: datetime,
            addresses: dict[str, str] | None = None) -> str:  # fmt: skip
    """The row's HTML in `lang`; BuildError says why it cannot be shown (a content problem,
    a template error, or no text in that language with the `omit` policy)."""
    conn = connect(paths.database)
    try:
        conn.execute("BEGIN")  # one snapshot, as in a build
        content = load_content(conn, now, addresses=addresses, preview=(table, row_id))
        environment = make_environment(paths.templates)
        planner = Planner(
            content,
            load_catalogs(paths.templates / "i18n", content.site.languages),
            fingerprinted_assets(paths.templates / "static", content.site.languages),
            TemplateKeys(environment).key,
            partial(page_markdown, conn),
        )
        if planner.problems:
            raise BuildError(planner.problems, "the content has errors")
        output = next(
            (o for o in getattr(planner, OUTPUTS[table])(lang) if o.origin.get("row_id") == row_id),
            None,
        )
        if output is None:
            raise BuildError(
                [f"it is not shown in {lang} (no text in that language)"],
                "nothing to preview",
            )
        view = output.make()
        view.context["head"] = {**view.context["head"], "robots": NOINDEX}
        body_html = None
        if view.body:
            (body,) = with_markdown([view.body], set(), planner.read_markdown)
            body_html = to_html(body.markdown)
        context = view.template_context(planner.chrome, body_html)
        try:
            return environment.get_template(output.template).render(context)
        except jinja2.TemplateError as error:
            raise BuildError(
                [f"template {output.template}: {error}"], "the template failed"
            ) from error
    finally:
        conn.close()  # the read transaction ends with it
