#!/usr/bin/env python3
"""Helpers for gongzhi's message catalogues (gongzhi/locale/<lang>/LC_MESSAGES/django.po).

Simplified Chinese is the source language: every msgid is Chinese, and the catalogues
translate it into traditional Chinese (zh_Hant) and English (en). See docs/i18n.md.

    python scripts/i18n.py check           # untranslated / fuzzy / placeholder counts; exit 1 if any
    python scripts/i18n.py hant            # fill empty zh_Hant msgstr from msgid with OpenCC s2t
    python scripts/i18n.py hant --all      # ... and redo the non-empty ones too
    python scripts/i18n.py untranslated en # list the msgids still to translate (JSON)
    python scripts/i18n.py apply en FILE   # fill msgstr from a JSON object {msgid: msgstr}

`check`, `untranslated` and `apply` need only the standard library (the project venv is
enough); `hant` needs OpenCC (`pip install opencc-python-reimplemented`, a dev tool only,
kept out of the project's dependencies). The .po files are edited in place: only the
msgstr lines (and the fuzzy flag) of the entries that change are rewritten, so the rest
keeps gettext's own layout.

In `apply`, a msgstr is a string, or a list of strings for a msgid_plural entry (one
for English's singular and plural form each); a key "context\\u0004msgid" selects an
entry with a msgctxt.
Run compilemessages afterwards (cd gongzhi && ../manage.py compilemessages).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "gongzhi" / "locale"
LANGS = ("en", "zh_Hant")

# %(name)s, %s, %d, {n}, {name}, {0}: what must come through a translation unchanged.
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[sdifr]|\{[A-Za-z_0-9]*\}"
)
# Parts OpenCC must not touch: placeholders, HTML tags, entities.
PROTECTED = re.compile(PLACEHOLDER.pattern + r"|<[^>]*>|&[#A-Za-z0-9]+;")

_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


def unquote(text: str) -> str:
    """The value of one C-quoted .po string literal, e.g. '"a\\nb"' -> 'a\nb'."""
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a quoted string: {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def quote(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    return '"' + text.replace("\n", "\\n") + '"'


@dataclass
class Entry:
    start: int  # first line (comments included) in the file
    end: int = 0  # one past the last line
    flags: list[str] = field(default_factory=list)
    flag_line: int | None = None
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # index -> text (0 when not plural)
    msgstr_lines: tuple[int, int] = (0, 0)  # [first, last) lines of the msgstr part
    obsolete: bool = False
    previous_lines: list[int] = field(default_factory=list)  # "#|" lines (msgmerge's old msgid)

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def parse(text: str) -> tuple[list[str], list[Entry]]:
    """The file's lines and its entries (header included, as the entry whose msgid is '')."""
    lines = text.split("\n")
    entries: list[Entry] = []
    entry: Entry | None = None
    part: str | None = None  # which field continuation lines belong to
    index = 0

    def finish(i: int) -> None:
        nonlocal entry
        if entry is not None:
            entry.end = i
            entries.append(entry)
            entry = None

    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            finish(i)
            part = None
            continue
        if line.startswith("#~"):
            if entry is None:
                entry = Entry(start=i, obsolete=True)
            entry.obsolete = True
            continue
        if line.startswith("#"):
            if entry is not None and part is not None:  # a comment after the strings: new entry
                finish(i)
            if entry is None:
                entry = Entry(start=i)
            part = None
            if line.startswith("#|"):
                entry.previous_lines.append(i)
            if line.startswith("#,"):
                entry.flags = [f.strip() for f in line[2:].split(",") if f.strip()]
                entry.flag_line = i
            continue
        if entry is None:
            entry = Entry(start=i)
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = unquote(line)
        else:
            value = unquote(rest)
            if keyword == "msgctxt" and part is not None:  # a new entry without a blank line
                finish(i)
                entry = Entry(start=i)
            part = keyword
            if keyword.startswith("msgstr"):
                match = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
                if not match:
                    raise ValueError(f"line {i + 1}: bad keyword {keyword!r}")
                index = int(match.group(1) or 0)
                if not entry.msgstr:
                    entry.msgstr_lines = (i, i + 1)
                entry.msgstr[index] = ""
            elif keyword not in ("msgid", "msgid_plural", "msgctxt"):
                raise ValueError(f"line {i + 1}: unknown keyword {keyword!r}")
        if part == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        elif part == "msgid":
            entry.msgid += value
        elif part == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        elif part and part.startswith("msgstr"):
            entry.msgstr[index] += value
            entry.msgstr_lines = (entry.msgstr_lines[0], i + 1)
        else:
            raise ValueError(f"line {i + 1}: string outside an entry")
    finish(len(lines))
    return lines, [e for e in entries if not e.obsolete and (e.msgid or e.msgstr)]


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def load(lang: str) -> tuple[list[str], list[Entry]]:
    return parse(po_path(lang).read_text(encoding="utf-8"))


def messages(entries: list[Entry]) -> list[Entry]:
    """The entries to translate (all but the header)."""
    return [e for e in entries if e.msgid or e.msgctxt]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def placeholder_problems(entry: Entry) -> list[str]:
    """Each msgstr must carry exactly the placeholders of its msgid (msgstr[1:] those of
    msgid_plural; the English singular keeps the count too: "%(n)s home")."""
    problems = []
    for n, text in sorted(entry.msgstr.items()):
        if not text:
            continue
        source = entry.msgid if n == 0 or entry.msgid_plural is None else entry.msgid_plural
        if placeholders(text) != placeholders(source):
            problems.append(f"msgstr[{n}] {placeholders(text)} != msgid {placeholders(source)}")
    return problems


def display_width(text: str) -> int:
    """Columns a quoted .po string takes: CJK characters count two, as gettext counts them."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in quote(text))


def render_msgstr(entry: Entry, values: dict[int, str], width: int = 79) -> list[str]:
    """msgstr lines laid out roughly as msgmerge does: one line when it fits in width, else
    an empty first line and then chunks broken after spaces (or between CJK characters)
    and after newlines. makemessages re-lays the file out anyway."""
    out = []
    for n in sorted(values):
        keyword = "msgstr" if entry.msgid_plural is None else f"msgstr[{n}]"
        value = values[n]
        if "\n" not in value[:-1] and len(keyword) + 1 + display_width(value) <= width:
            out.append(f"{keyword} {quote(value)}")
            continue
        out.append(f'{keyword} ""')
        for piece in re.findall(r"[^\n]*\n|[^\n]+", value):
            while display_width(piece) > width:
                breaks = [
                    i + 1
                    for i, c in enumerate(piece[:-1])
                    if c == " " or (display_width(c) == 4 and display_width(piece[i + 1]) == 4)
                ]
                fitting = [i for i in breaks if display_width(piece[:i]) <= width]
                cut = max(fitting) if fitting else (min(breaks) if breaks else len(piece))
                out.append(quote(piece[:cut]))
                piece = piece[cut:]
            out.append(quote(piece))
    return out


def nplurals(entries: list[Entry]) -> int:
    """How many plural forms the header's Plural-Forms gives (2 when it gives none)."""
    header = next((e for e in entries if not e.msgid and e.msgctxt is None), None)
    match = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr.get(0, "") if header else "")
    return int(match.group(1)) if match else 2


HEADER_DEFAULTS = {
    "Project-Id-Version: PACKAGE VERSION\n": "Project-Id-Version: gongzhi\n",
    "Last-Translator: FULL NAME <EMAIL@ADDRESS>\n": "Last-Translator: gongzhi\n",
    "Language-Team: LANGUAGE <LL@li.org>\n": "Language-Team: gongzhi\n",
}


def _unfuzzy(entry: Entry) -> tuple[int, int, list[str]]:
    """The edit that drops "fuzzy" from the entry's flag line (and the line, if it empties)."""
    flags = [f for f in entry.flags if f != "fuzzy"]
    return entry.flag_line, entry.flag_line + 1, [f"#, {', '.join(flags)}"] if flags else []


TEMPLATE_COMMENT = [
    "# SOME DESCRIPTIVE TITLE.",
    "# Copyright (C) YEAR THE PACKAGE'S COPYRIGHT HOLDER",
    "# This file is distributed under the same license as the PACKAGE package.",
    "# FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.",
]
HEADER_TITLES = {"en": "English", "zh_Hant": "Traditional Chinese (繁體中文)"}


def update(lang: str, changes: dict[str, dict[int, str]], unfuzzy: set[str] = frozenset()) -> int:
    """Rewrite the msgstr of the entries named in changes (key -> {index: text}); drop the
    fuzzy flag of those and of the entries named in unfuzzy. A plural entry gets exactly the
    header's nplurals forms. Returns how many entries changed."""
    path = po_path(lang)
    lines, entries = parse(path.read_text(encoding="utf-8"))
    forms = nplurals(entries)
    edits: list[tuple[int, int, list[str]]] = []
    changed = 0
    for entry in entries:
        if not entry.msgid and entry.msgctxt is None:  # the header: fill in what is left blank
            header = entry.msgstr.get(0, "")
            fixed = header.replace("Language: \n", f"Language: {lang}\n")
            for default, value in HEADER_DEFAULTS.items():
                fixed = fixed.replace(default, value)
            fixed = fixed.replace(
                "PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\n",
                f"PO-Revision-Date: {time.strftime('%Y-%m-%d %H:%M%z')}\n",
            )
            if fixed != header:
                first, last = entry.msgstr_lines
                edits.append((first, last, render_msgstr(entry, {0: fixed})))
            if entry.fuzzy:
                edits.append(_unfuzzy(entry))
            continue
        if entry.key in changes:
            values = dict(entry.msgstr)
            values.update(changes[entry.key])
            if entry.msgid_plural is not None:
                last = values.get(max(values), "") if values else ""
                values = {n: values.get(n, last) for n in range(forms)}
            if values != entry.msgstr or entry.fuzzy:
                changed += 1
                first, last = entry.msgstr_lines
                edits.append((first, last, render_msgstr(entry, values)))
        if entry.fuzzy and (entry.key in changes or entry.key in unfuzzy):
            edits.append(_unfuzzy(entry))
            edits.extend((i, i + 1, []) for i in entry.previous_lines)
    for first, last, new in sorted(edits, reverse=True):
        lines[first:last] = new
    if lines[:4] == TEMPLATE_COMMENT:
        lines[:4] = [
            f"# {HEADER_TITLES.get(lang, lang)} catalogue of gongzhi (共治).",
            "# The source language is simplified Chinese; see docs/i18n.md.",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return changed


# --- commands ---------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    bad = 0
    if unknown := set(args.langs) - set(LANGS):
        print(f"unknown language: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    for lang in args.langs or LANGS:
        if not po_path(lang).exists():
            print(f"{lang}: {po_path(lang)} is missing")
            bad += 1
            continue
        _, entries = load(lang)
        header = next((e for e in entries if not e.msgid and e.msgctxt is None), None)
        msgs = messages(entries)
        untranslated = [e for e in msgs if not e.translated]
        fuzzy = [e for e in msgs if e.fuzzy]
        wrong = [(e, p) for e in msgs for p in placeholder_problems(e)]
        print(
            f"{lang}: {len(msgs)} messages, {len(msgs) - len(untranslated)} translated, "
            f"{len(untranslated)} untranslated, {len(fuzzy)} fuzzy, "
            f"{len(wrong)} placeholder mismatches"
            + (", fuzzy header" if header is not None and header.fuzzy else "")
        )
        for e in untranslated[: args.show]:
            print(f"  untranslated: {e.msgid!r}")
        for e in fuzzy[: args.show]:
            print(f"  fuzzy: {e.msgid!r}")
        for e, problem in wrong[: args.show]:
            print(f"  placeholders: {e.msgid!r}: {problem}")
        bad += len(untranslated) + len(fuzzy) + len(wrong)
        bad += bool(header is not None and header.fuzzy)
    return 1 if bad else 0


# OpenCC's s2t writes OpenCC's own standard characters. Where Taiwan's and Hong Kong's
# standard forms agree with each other but not with it (爲/為, 衆/眾, 覈/核, 纔/才), the
# regional form is used; where they differ (臺/台, 裏/裡, 啓/啟, 戶/户), s2t's is kept. No
# vocabulary is changed (that is s2twp's job, and not wanted: 登錄 stays 登錄).
# Then a few phrases that OpenCC segments wrongly in this catalogue are corrected:
FIXES = {
    "錶決": "表決",  # 查看表决结果: 看表 read as "look at a watch"
    "隻影響": "只影響",  # 只影响: "only", not the measure word
    "併發放": "並發放",  # 作废并发放新回执: "and issue", not 并发 "concurrent"
    "合並": "合併",  # 合并 "merge" is 合併 in every catalogue message
}


# Language names stay in their own language, whatever the page's language (autonyms).
KEEP = {"简体中文"}


class Converter:
    """Simplified -> traditional: OpenCC s2t, made Taiwan/Hong Kong-neutral (see FIXES)."""

    def __init__(self, opencc_module):
        self.s2t = opencc_module.OpenCC("s2t")
        self.tw = opencc_module.OpenCC("s2tw")
        self.hk = opencc_module.OpenCC("s2hk")

    def convert(self, text: str) -> str:
        standard = self.s2t.convert(text)
        tw, hk = self.tw.convert(text), self.hk.convert(text)
        if len(tw) == len(hk) == len(standard):
            standard = "".join(
                t if t == h != s else s for s, t, h in zip(standard, tw, hk, strict=True)
            )
        for wrong, right in FIXES.items():
            standard = standard.replace(wrong, right)
        return standard


def to_traditional(text: str, converter) -> str:
    """Convert the Chinese between the protected parts (placeholders, tags, entities)."""
    out, pos = [], 0
    for match in PROTECTED.finditer(text):
        out.append(converter.convert(text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(converter.convert(text[pos:]))
    return "".join(out)


def cmd_hant(args: argparse.Namespace) -> int:
    try:
        import opencc
    except ImportError:
        print("OpenCC is not installed: pip install opencc-python-reimplemented", file=sys.stderr)
        return 2
    converter = Converter(opencc)
    _, entries = load("zh_Hant")
    forms = nplurals(entries)
    changes = {}
    for entry in messages(entries):
        if entry.translated and not args.all and not entry.fuzzy:
            continue
        values = {}
        indexes = range(forms) if entry.msgid_plural is not None else [0]
        if entry.msgid in KEEP:
            changes[entry.key] = {n: entry.msgid for n in indexes}
            continue
        for n in indexes:
            source = entry.msgid if n == 0 or entry.msgid_plural is None else entry.msgid_plural
            values[n] = to_traditional(source, converter)
        changes[entry.key] = values
    changed = update("zh_Hant", changes)
    print(f"zh_Hant: {changed} messages filled by OpenCC s2t")
    return 0


def cmd_untranslated(args: argparse.Namespace) -> int:
    _, entries = load(args.lang)
    todo = {e.key: (e.msgid_plural or "") for e in messages(entries) if not e.translated or e.fuzzy}
    json.dump(todo, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    _, entries = load(args.lang)
    count = nplurals(entries)
    known = {e.key: e for e in messages(entries)}
    changes, problems = {}, []
    for key, value in data.items():
        entry = known.get(key)
        if entry is None:
            continue  # not (or no longer) in the catalogue
        forms = [value] if isinstance(value, str) else list(value)
        if entry.msgid_plural is None:
            values = {0: forms[0]}
        else:
            values = {n: forms[min(n, len(forms) - 1)] for n in range(count)}
        probe = Entry(start=0, msgid=entry.msgid, msgid_plural=entry.msgid_plural, msgstr=values)
        if wrong := placeholder_problems(probe):
            problems.append(f"{key!r}: {'; '.join(wrong)}")
            continue
        changes[key] = values
    changed = update(args.lang, changes)
    print(f"{args.lang}: {changed} messages changed, {len(problems)} refused")
    for p in problems:
        print("  placeholders:", p)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="report untranslated / fuzzy / placeholder problems")
    check.add_argument("langs", nargs="*", metavar="LANG", help=f"one of {', '.join(LANGS)}")
    check.add_argument("--show", type=int, default=20, help="list at most this many of each")
    check.set_defaults(func=cmd_check)
    hant = sub.add_parser("hant", help="fill zh_Hant from msgid with OpenCC s2t")
    hant.add_argument("--all", action="store_true", help="redo translated entries too")
    hant.set_defaults(func=cmd_hant)
    untr = sub.add_parser("untranslated", help="print the msgids still to translate, as JSON")
    untr.add_argument("lang", choices=LANGS)
    untr.set_defaults(func=cmd_untranslated)
    apply = sub.add_parser("apply", help="fill msgstr from a JSON object {msgid: msgstr}")
    apply.add_argument("lang", choices=LANGS)
    apply.add_argument("file")
    apply.set_defaults(func=cmd_apply)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
