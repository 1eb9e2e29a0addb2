"""``python -m tests.golden update`` rewrites the golden files from a fresh sample build; ``check`` only compares.

Run from the repository root (``make golden`` does). See ``tests/golden/__init__.py`` for what is stored and why.
"""

from __future__ import annotations

import sys

from tests.golden import current, differences, stored, update


def main(argv: list[str]) -> int:
    if argv not in (["update"], ["check"]):
        print("usage: python -m tests.golden update|check", file=sys.stderr)
        return 2
    files = current()
    if argv == ["check"]:
        diffs = differences(files, stored())
        print("\n\n".join(diffs) if diffs else "golden files match the build")
        return 1 if diffs else 0
    changed = update(files)
    print(f"{len(changed)} golden file(s) changed: {', '.join(changed)}" if changed else "golden files unchanged")
    print("review with `git diff tests/golden/` and commit the change on purpose")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
