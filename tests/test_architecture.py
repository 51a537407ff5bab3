"""The map in README and docs holds: imports point one way between the parts."""

import ast

import pytest

from .conftest import REPO

# part -> parts it must never import (docs: README "How it fits together")
FORBIDDEN = {
    "database": {"generator", "capture", "studio", "service", "commands", "mailer"},
    "generator": {"capture", "studio", "service", "commands", "mailer"},
    "service": {"generator", "capture", "studio", "commands", "mailer"},
    "capture": {"generator", "studio", "commands", "mailer"},
    "studio": {"capture", "commands"},
    "mailer": {"capture", "studio", "commands"},
}


def imported_parts(path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_imports_point_one_way(part):
    files = sorted((REPO / part).rglob("*.py"))
    assert files
    wrong = {
        str(path.relative_to(REPO)): sorted(imported_parts(path) & FORBIDDEN[part])
        for path in files
    }
    assert {path: parts for path, parts in wrong.items() if parts} == {}


def test_the_public_service_serves_no_staff_page(client):
    assert client.get("/admin/login").status_code == 404
    assert client.get("/admin/").status_code == 404
