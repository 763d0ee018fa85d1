"""``manage.py load_demo``: the five compounds of the articles, with a demo account per role.

Running it again does nothing (the demo is found and left alone). ``--reset`` wipes the
database and loads the demo afresh, but only when the database holds nothing except the
demo (no other district, no other account); otherwise it refuses.
"""

from __future__ import annotations

import unicodedata

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from gongzhi.audit import sealing
from gongzhi.core import demo
from gongzhi.core.demo.context import DEMO_PASSWORD


class Command(BaseCommand):
    help = "载入演示数据:五篇报道中的五个小区及各角色的演示账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="清空数据库并重新载入演示数据(仅当数据库中只有演示数据时)。",
        )

    def handle(self, *args, reset: bool = False, **options) -> None:
        if reset and demo.is_loaded():
            others = demo.only_demo_data()
            if others:
                raise CommandError(
                    "数据库中还有演示以外的数据,拒绝清空:"
                    + ";".join(others)
                    + "。请改用一个新的数据库。"
                )
            self.stdout.write("清空数据库(只有演示数据)……")
            with sealing.flush_past_seals(connection):  # the demo's own audit log and ballots
                call_command("flush", interactive=False, verbosity=0)
        try:
            result = demo.load()
        except demo.DemoConflict as exc:
            raise CommandError(f"无法载入演示数据:{exc}") from exc
        if not result.loaded:
            self.stdout.write("演示数据已存在,未做任何改动(如需重建,使用 --reset)。")
            return
        self._table(result.accounts)
        self._counts(result.counts)
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入,用时 {result.seconds:.1f} 秒。"))

    def _table(self, accounts) -> None:
        rows = [("角色", "姓名", "手机号", "小区/范围")]
        accounts = sorted(accounts, key=lambda a: a.role.phone)
        rows += [(a.role.label, a.person.name, a.role.phone, a.where) for a in accounts]
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        self.stdout.write(f"演示账号(密码均为 {DEMO_PASSWORD}):")
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)))
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))

    def _counts(self, counts: dict) -> None:
        self.stdout.write("")
        self.stdout.write("小区            楼栋  房屋  户数  居民  业主  组织  任职")
        for name, c in counts["compounds"].items():
            self.stdout.write(
                f"{_pad(name, 14)}  {c['buildings']:>4}  {c['rooms']:>4}  {c['households']:>4}"
                f"  {c['residents']:>4}  {c['owners']:>4}  {c['bodies']:>4}  {c['memberships']:>4}"
            )
        self.stdout.write(
            f"组织 {counts['bodies']} 个,任职 {counts['memberships']} 条,"
            f"党员 {counts['party_members']} 名,账号 {counts['accounts']} 个。"
        )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
