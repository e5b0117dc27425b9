"""The installed command in a real terminal (tmux): colour, width, pager and completion.

Skipped, with the reason, only where tmux is not installed; CI installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
SUBQ = shutil.which("subq", path=str(BIN))
pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(SUBQ is None, reason="the subq command is not installed"),
]
ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")


class Terminal:
    """One tmux session of a given size running bash with the project's venv on PATH."""

    def __init__(self, width: int, height: int, tmp: Path):
        self.socket = f"subq-test-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
               "SUBQ_CACHE_DIR": str(tmp / "cache"), "TERM": "xterm-256color",
               "PAGER": "less", "LESS": "-R", "HOME": str(tmp), "PS1": "$ "}
        env.pop("NO_COLOR", None)
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        self.env = env
        self.tmux("new-session", "-d", "-x", str(width), "-y", str(height),
                  "bash --norc --noprofile")
        self.tmux("set-option", "-g", "status", "off")
        self.run_line(f"cd {tmp}")

    def tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], env=self.env,
                             capture_output=True, text=True, timeout=20)
        return out.stdout

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def run_line(self, line: str) -> None:
        self.send(line, "Enter")

    def screen(self, escapes: bool = False) -> str:
        args = ["capture-pane", "-p", "-J"] + (["-e"] if escapes else [])
        return self.tmux(*args)

    def wait_for(self, pattern: str, timeout: float = 15, escapes: bool = False) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen(escapes)
            if re.search(pattern, text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"{pattern!r} never appeared; screen:\n{self.screen()}")

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def term(tmp_path):
    made: list[Terminal] = []

    def make(width: int, height: int) -> Terminal:
        t = Terminal(width, height, tmp_path)
        made.append(t)
        return t

    yield make
    for t in made:
        t.close()


@pytest.mark.parametrize(("width", "height"), [(80, 24), (120, 40)])
def test_colour_and_width(term, width, height):
    t = term(width, height)
    t.run_line("clear; subq is-opioid ketamine --no-pager; echo DONE-$?")
    t.wait_for(r"DONE-0")
    coloured = t.screen(escapes=True)
    assert "\x1b[" in coloured, "no colour on a terminal"
    for line in t.screen().splitlines():
        assert len(line) <= width, f"line wider than {width}: {line!r}"


@pytest.mark.parametrize("names", ["heroin methadone buprenorphine",
                                   "heroin methadone buprenorphine fentanyl kratom"])
def test_compare_fits_80_columns_and_keeps_safety_rows(term, tmp_path, names):
    t = term(80, 24)
    t.run_line(f"clear; COLUMNS=80 subq compare {names} --format rich --no-pager > rich.txt; "
               "echo DONE-$?")
    t.wait_for(r"DONE-0")
    text = ANSI.sub("", (tmp_path / "rich.txt").read_text(encoding="utf-8"))
    for line in text.splitlines():
        assert len(line) <= 80, line
    for row in ("Dependence", "Overdose risk", "Naloxone", "Withdrawal"):
        assert row in text
    assert "* marks rows where they differ" in text


def test_pager_engages_for_a_long_answer_and_quits_on_q(term):
    t = term(80, 24)
    t.run_line("clear; subq show fentanyl; echo AFTER-$?")
    t.wait_for(r"\(END\)|:\s*$|lines \d")
    assert "AFTER-" not in t.screen(), "the answer did not stop in a pager"
    t.send("q")
    t.wait_for(r"AFTER-0")


def test_piped_output_has_no_escape_codes(term, tmp_path):
    t = term(80, 24)
    t.run_line("subq is-opioid ketamine | cat > piped.txt; echo DONE-$?")
    t.wait_for(r"DONE-0")
    assert "\x1b" not in (tmp_path / "piped.txt").read_text(encoding="utf-8")


def test_bash_completion_offers_substance_names(term):
    t = term(120, 40)
    t.run_line('eval "$(subq --show-completion bash)"; echo READY')
    t.wait_for("READY")
    t.run_line("clear")
    t.send("subq is-opioid ket", "Tab", "Tab")
    screen = t.wait_for(r"ketamine", timeout=20)
    assert "subq is-opioid ketamine" in screen or "ketamine-" in screen or "ketamine" in screen
    t.send("C-c")


@pytest.mark.parametrize("pager", ["false", "no-such-pager-installed", "exit 3"])
def test_a_failing_pager_never_costs_the_answer(term, pager):
    """PAGER that fails, is missing or is not even a command: the answer is printed anyway."""
    t = term(80, 24)
    t.run_line(f"clear; PAGER='{pager}' subq show fentanyl; echo DONE-$?")
    screen = t.wait_for(r"DONE-\d")
    assert "DONE-0" in screen
    assert "not medical advice" in screen  # the end of the answer reached the terminal
