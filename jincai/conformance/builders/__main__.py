"""``python -m jincai.conformance.builders [--check]`` — see the package docstring."""

from __future__ import annotations

import sys

from jincai.conformance import builders


def main(argv: list[str]) -> int:
    if "--check" in argv:
        problems = builders.drift()
        for rel, what in problems:
            print(f"{what:8} {rel}")
        if problems:
            print(f"套件与生成结果不一致 the suite drifted from its builder: {len(problems)} files; run python -m jincai.conformance.builders", file=sys.stderr)
            return 1
        print("套件是最新的 the suite is up to date")
        return 0
    written, removed = builders.write()
    print(f"写入 wrote {written} files, 删除 removed {removed} stale files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
