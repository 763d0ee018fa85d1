"""Times in texts are the reader's (Asia/Shanghai), the hour the pages show.

The pages convert datetimes themselves; Python code that writes a time into a text (a
notice, a notification, a PDF, a CSV cell, a timeline note) must go through
``gongzhi.core.timefmt``. A result notice once said "于 2026-10-30 07:45 结束表决" (UTC)
while its result page said 15:45.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from gongzhi.core import timefmt

ROOT = Path(__file__).resolve().parents[2] / "gongzhi"

# Formatting a value that is already the reader's (a localtime()/localdate() call or one of
# the helpers) is fine anywhere.
LOCAL_CALLS = ("localtime", "localdate", "local")

# Formatted on purpose without a zone: (file, expression) → why.
EXEMPT = {
    ("demands/models/timeline.py", "now"): "a storage folder for uploads, never shown",
    ("lists/models.py", "now"): "a storage folder for uploads, never shown",
    ("core/demo/names.py", "birth"): "a date of birth (a date has no zone)",
}


def _is_local(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Attribute) and node.func.attr in LOCAL_CALLS)
        or (isinstance(node.func, ast.Name) and node.func.id in LOCAL_CALLS)
    )


def _offences(path: Path, root: Path = ROOT) -> list[str]:
    rel = path.relative_to(root).as_posix()
    if rel == "core/timefmt.py":
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        value = None
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = ast.unparse(node.format_spec)
            if "%" in spec:
                value = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "strftime"
        ):
            value = node.func.value
        if value is None or _is_local(value):
            continue
        if (rel, ast.unparse(value)) in EXEMPT:
            continue
        found.append(f"{rel}:{node.lineno}: {ast.unparse(value)}")
    return found


def test_no_time_is_formatted_outside_the_readers_zone():
    offences = [
        o
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
        for o in _offences(path)
    ]
    assert offences == [], "format times with gongzhi.core.timefmt:\n" + "\n".join(offences)


def test_the_sweep_catches_a_utc_format(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from django.utils import timezone\n"
        "def f(a):\n"
        '    return f"{a.closed_at:%Y-%m-%d %H:%M}", a.at.strftime("%H:%M"), '
        'f"{timezone.localtime(a.at):%H:%M}"\n',
        encoding="utf-8",
    )
    assert sorted(_offences(probe, tmp_path)) == ["probe.py:3: a.at", "probe.py:3: a.closed_at"]


def test_helpers_write_the_shanghai_hour(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    moment = dt.datetime(2026, 10, 29, 23, 45, 7, tzinfo=dt.UTC)
    assert timefmt.local_minute(moment) == "2026-10-30 07:45"
    assert timefmt.local_second(moment) == "2026-10-30 07:45:07"
    assert timefmt.local_day(moment) == "2026-10-30"
    assert timefmt.local_stamp(moment) == "20261030"
    assert timefmt.local_day(dt.date(2026, 1, 2)) == "2026-01-02"
    assert timefmt.local_minute(None) == ""
