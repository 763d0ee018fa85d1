"""Chinese is the source language: every user-visible string is marked for translation,
and the language switch changes the page's language."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "gongzhi"
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")

# The templates and modules of the web pages (others' apps check their own).
TEMPLATE_DIRS = [
    ROOT / "templates",
    ROOT / "core" / "templates",
    ROOT / "people" / "templates",
    ROOT / "places" / "templates",
    ROOT / "bodies" / "templates",
]
PY_FILES = [
    ROOT / "core" / "views.py",
    ROOT / "core" / "selectors.py",
    ROOT / "core" / "admin.py",
    ROOT / "core" / "templatetags" / "gongzhi_tags.py",
    ROOT / "people" / "views.py",
    ROOT / "people" / "forms.py",
    ROOT / "people" / "admin.py",
    ROOT / "places" / "views.py",
    ROOT / "bodies" / "views.py",
    ROOT / "bodies" / "forms.py",
]
# Language names stay in their own language, whatever the page's language is.
AUTONYMS = {"简", "繁", "简体中文", "繁體中文"}
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext"}

MARKED = [
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S),
    re.compile(r"\{%\s*trans(?:late)?\s+(\"[^\"]*\"|'[^']*').*?%\}", re.S),
    re.compile(r"\{#.*?#\}"),  # one line only, as in Django: a longer one is page text
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"_\((\"[^\"]*\"|'[^']*')\)"),
]


def unmarked_in_template(text: str) -> list[str]:
    for pattern in MARKED:
        text = pattern.sub("", text)
    return [line.strip() for line in text.splitlines() if CJK.search(line)]


def test_template_strings_are_all_marked_for_translation():
    templates = [p for d in TEMPLATE_DIRS for p in d.rglob("*.html")]
    assert len(templates) > 15
    problems = {
        str(p.relative_to(ROOT)): lines
        for p in templates
        if (lines := unmarked_in_template(p.read_text(encoding="utf-8")))
    }
    assert problems == {}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def unmarked_in_python(source: str) -> list[str]:
    tree = ast.parse(source)
    allowed = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in GETTEXT_NAMES:
                allowed.update(id(arg) for arg in node.args)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CJK.search(node.value)
        and id(node) not in allowed
        and node.value not in AUTONYMS
    ]


def test_python_strings_shown_to_users_are_all_marked_for_translation():
    problems = {
        str(p.relative_to(ROOT)): found
        for p in PY_FILES
        if (found := unmarked_in_python(p.read_text(encoding="utf-8")))
    }
    assert problems == {}


@pytest.mark.django_db
def test_switching_to_english_sets_cookie_and_page_language(client, cast):
    client.force_login(cast.resident)
    assert '<html lang="zh-hans">' in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/compounds/"})
    assert response.status_code == 302
    assert response["Location"] == "/compounds/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_language_switch_is_a_post_form_on_every_page(client):
    html = client.get("/login/").content.decode()
    form = html[html.index('<form class="lang-switch"') :]
    form = form[: form.index("</form>")]
    assert 'action="/i18n/setlang/"' in form and 'method="post"' in form
    for code in ("zh-hans", "zh-hant", "en"):
        assert f'value="{code}"' in form
    assert "csrfmiddlewaretoken" in form


@pytest.mark.django_db
def test_traditional_chinese_is_offered_and_kept(client):
    client.post("/i18n/setlang/", {"language": "zh-hant"})
    assert '<html lang="zh-hant">' in client.get("/").content.decode()
