"""``manage.py generate_district --compounds N``: a synthetic district for benchmarks.

See ``gongzhi.core.demo.generator``. Prints the time of each stage and the counts.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongzhi.core.demo.generator import GeneratorError, generate


class Command(BaseCommand):
    help = "生成一个用于压力测试的区:街道、社区、小区、房屋、人员、产权、居住及组织任职。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--compounds", type=int, required=True, help="小区数")
        parser.add_argument("--rooms-per-compound", type=int, default=500, help="每小区房屋数")
        parser.add_argument("--seed", type=int, default=1, help="随机种子(同一种子生成同样的数据)")
        parser.add_argument("--name", default=None, help="区的名称(默认“基准测试区<种子>”)")
        parser.add_argument("--batch-size", type=int, default=5000, help="每批插入的行数")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        try:
            district, report = generate(
                compounds=options["compounds"],
                rooms_per_compound=options["rooms_per_compound"],
                seed=options["seed"],
                name=options["name"],
                batch_size=options["batch_size"],
                progress=self.stdout.write,
            )
        except GeneratorError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write("阶段用时:")
        for stage, seconds in report.seconds.items():
            self.stdout.write(f"  {stage}: {seconds:.1f} 秒")
        self.stdout.write("数量:")
        self.stdout.write("  " + ",".join(f"{key} {value}" for key, value in report.counts.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成“{district.name}”({district.path}),共用时 "
                f"{time.perf_counter() - started:.1f} 秒。"
            )
        )
