"""Render the CLI as a newcomer sees it at 80 columns into docs/screenshots/terminal-*.png.

    python scripts/terminal_screenshots.py [--out docs/screenshots]

Each command runs in a fresh process with COLUMNS=80 and colour forced, on a store of the
bundled example corpus made in a temporary folder. The output (ANSI) is drawn by rich as an
SVG terminal and Debian's chromium turns the SVG into a PNG, so the picture is exactly what
an 80-column terminal shows.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.text import Text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "src" / "newstrace" / "examples" / "corpus"


def run(args: list[str], cwd: Path) -> str:
    env = dict(os.environ, COLUMNS="80", LINES="50", FORCE_COLOR="1", TERM="xterm-256color")
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "newstrace", *args]
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return proc.stdout + proc.stderr


def to_png(title: str, ansi: str, out: Path, chromium: str) -> None:
    console = Console(record=True, width=80, file=io.StringIO(), force_terminal=True)
    console.print(Text.from_ansi(ansi), end="")
    svg = out.with_suffix(".svg")
    svg.write_text(console.export_svg(title=title), encoding="utf-8")
    size = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg.read_text(encoding="utf-8"))
    width, height = (int(float(v)) + 1 for v in size.groups()) if size else (1000, 800)
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--window-size={width},{height}", f"--screenshot={out}", svg.as_uri()],
        check=True, capture_output=True,
    )  # fmt: skip
    svg.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("error: chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = str(work / "example.db")
        trace = run(["trace", "--example", "--db", db], work)
        listing = re.sub(r"\x1b\[[0-9;]*m", "", run(["stories", "--db", db], work))
        story_id = re.search(r"\bs[0-9a-f]{11}\b", listing)
        shots = {
            "terminal-trace": ("newstrace trace --example", trace),
            "terminal-stories": ("newstrace stories", run(["stories", "--db", db], work)),
            "terminal-compare": (
                "newstrace compare 01-northgate-wire.txt 04-morning-ledger.txt",
                run(["compare", str(EXAMPLES / "01-northgate-wire.txt"),
                     str(EXAMPLES / "04-morning-ledger.txt")], work),
            ),
        }  # fmt: skip
        if story_id:
            sid = story_id.group(0)
            shots["terminal-story"] = (
                f"newstrace story {sid}",
                run(["story", sid, "--db", db], work),
            )
        for name, (title, text) in shots.items():
            to_png(title, text, args.out / f"{name}.png", chromium)
            print(f"wrote {args.out / (name + '.png')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
