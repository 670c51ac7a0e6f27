"""``python -m jincai.generate [--check]`` — rebuild every generated artifact from ``standards/``.

With ``--check`` nothing is written: the artifacts are regenerated in memory (protoc runs in a
temporary directory) and compared byte for byte; every drifted file is listed and the exit code is 1.
"""

from __future__ import annotations

import argparse
import sys

from jincai.errors import JincaiError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jincai.generate",
        description="从 standards/ 重新生成全部派生产物 / regenerate every derived artifact from standards/",
    )
    parser.add_argument("--check", action="store_true", help="只检查，不写入；有漂移时退出码 1 / check only; exit 1 on drift")
    args = parser.parse_args(argv)

    from jincai import generate

    try:
        if args.check:
            problems = generate.drift()
            if problems:
                print("生成的文件与 standards/ 不一致 / generated files drifted from standards/:", file=sys.stderr)
                for rel, what in problems:
                    print(f"  {what:8} {rel}", file=sys.stderr)
                print("运行 python -m jincai.generate 重新生成 / run python -m jincai.generate to regenerate", file=sys.stderr)
                return 1
            print(f"生成的文件均为最新 / all {len(generate.render_all())} generated files are up to date")
            return 0
        written, removed = generate.write_all()
        for rel in written:
            print(f"写入 wrote   {rel}")
        for rel in removed:
            print(f"删除 removed {rel}")
        if not written and not removed:
            print("无变化 / nothing changed")
        return 0
    except JincaiError as exc:
        print(f"错误 error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
