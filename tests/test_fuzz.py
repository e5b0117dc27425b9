"""Property-based tests: every command, fed arbitrary text, fails politely or answers cleanly.

Whatever a person (or a script) types, subq must never print a traceback, must exit with a
documented code (70, "internal error", is a failure here), must keep stderr to a line or
two, must print valid JSON when asked for it, and must never let typed text or knowledge text
put a control character (ESC, other C0/C1 controls, DEL) on the terminal.

The main test runs at least 10,000 generated command lines per run. Examples are
derandomized (the same inputs on every run) and no example database is written, so a failure
reproduces exactly and the test leaves nothing behind in the repository.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from substance_cli.cli.runner import run

FIXTURES = Path(__file__).parent / "fixtures" / "validation"
SUBQ = shutil.which("subq", path=str(Path(sys.executable).parent)) or shutil.which("subq")

#: C0 controls except tab and newline, DEL, and C1 controls: never raw in plain or JSON output.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Bidi overrides and isolates, which `substance_cli.text.clean` also removes.
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
#: What the Rich renderer itself may emit: colour (SGR) and OSC 8 hyperlinks.
RICH_SGR = re.compile(r"\x1b\[[0-9;]*m")
RICH_LINK = re.compile(r"\x1b\]8;([^\x1b\x07]*)\x1b\\")
EXIT_CODES = {0, 1, 2, 3, 4}
#: Hosts that only ever appear in generated input: they must never become a link.
EVIL_HOSTS = ("evil.example", "x.invalid")

BASE = dict(deadline=None, derandomize=True, database=None, print_blob=True,
            suppress_health_check=list(HealthCheck))


def invoke(*args: str) -> tuple[int, str, str]:
    """`subq ARGS` in-process, exactly as the `cli` fixture runs it (stdout is not a TTY)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(args))
    return code, out.getvalue(), err.getvalue()


# -- strategies ------------------------------------------------------------------------------

#: Every Unicode category, surrogates (what undecodable argv bytes become) included.
ANY_CHAR = st.characters(exclude_categories=())
TRICKS = [
    "", " ", "  \t ", "\n", "\r\n", "\t",
    "--json", "--plain", "--format", "-x", "--", "-", "-h", "--help", "-q", "--quiet",
    "--knowledge", "-k", "--no-pager", "--limit", "-n", "0", "-1", "=", "--json=1",
    "[red]x[/red]", "[link=http://x.invalid]y", "[link=https://evil.example]click[/link]",
    "[bold red]X[/]", "[/]", "[", "]", "\\[red]", ":smile:", "${HOME}", "$(id)", "`id`",
    "%s%n%x", "{0}", "{}", "'", '"', "\\", "\\x1b", "../../etc/passwd", "/", ".", "~",
    "\x1b[31mred\x1b[0m", "\x1b[2J\x1b[H", "\x1b]0;title\x07",
    "\x1b]8;;http://x.invalid\x1b\\click\x1b]8;;\x1b\\",
    "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", "\x1bP+q\x1b\\", "\x1b[?1049h",
    "\x9b31m", "\x9d8;;https://evil.example\x9c", "\x90q\x9c", "\x85", "\x7f", "\x00", "\x08",
    "\u202eevil", "\u2066x\u2069", "\u200b", "\ufeff", "\ufffd", "\U0001f600", "e\u0301",
    "\ud800", "\udc9b", "ﬁ", "İ", "ß", "Σ",
    "fentanyl", "ketamine", "heroin", "Narcan", "special k", "xanax", "alcohol", "opioid",
    "benzodiazepine", "narcotic", "opioids", "us", "uk", "urine", "hair", "substance",
    "how long does xanax stay in your system", "is ketamine an opioid", "help",
    "fentanyl-withdrawal-timeline",
]
LONG = st.sampled_from(["x", "é", "\x1b[31m", "[red]", "fentanyl ", "\u202e", "\U0001f600",
                        "-", " ", "\x85", "a\x00"]).map(lambda s: (s * 10_000)[:10_000])
PIECE = st.one_of(st.sampled_from(TRICKS), st.text(ANY_CHAR, max_size=6))
TEXT = st.one_of(
    st.text(ANY_CHAR),                   # unicode of every category, controls included
    st.text(),                           # the default alphabet
    st.sampled_from(TRICKS),             # option-like strings, markup, escapes, real names
    st.lists(PIECE, max_size=5).map("".join),  # the same, embedded in noise
    LONG,                                # 10,000 characters
)

FORMATS = {
    "default": [],  # stdout is not a terminal: plain
    "plain": ["--plain"],
    "markdown": ["--format", "markdown"],
    "rich": ["--format", "rich"],
    "json": ["--json"],
}

def _words(text: str, limit: int = 60) -> str:
    """At most `limit` words: `search` slows down with the square of the number of (repeated)
    words, a known bug tested apart (test_search_time_grows_linearly_with_words), which
    would otherwise make a run of 10,000 inputs take many minutes."""
    words = text.split()
    return text if len(words) <= limit else " ".join(words[:limit])


#: Each command with its arguments made from three generated texts (a, b, c).
COMMANDS = {
    "is": lambda a, b, c: ["is", a, b],
    "is-opioid": lambda a, b, c: ["is-opioid", a],
    "show": lambda a, b, c: ["show", a],
    "compare": lambda a, b, c: ["compare", a, b],
    "compare3": lambda a, b, c: ["compare", a, b, c],
    "related": lambda a, b, c: ["related", a],
    "list": lambda a, b, c: ["list", "--class", a],
    "search": lambda a, b, c: ["search", _words(a), _words(b)],
    "search-limit": lambda a, b, c: ["search", "--limit", b, _words(a)],
    "mix": lambda a, b, c: ["mix", a, b, c],
    "interactions": lambda a, b, c: ["interactions", a, b],
    "ask": lambda a, b, c: ["ask", a, b],
    "ask-explain": lambda a, b, c: ["ask", "--explain", "--region", b, a],
    "help-now": lambda a, b, c: ["help-now", "--region", a],
    "detection": lambda a, b, c: ["detection", a, "--specimen", b],
    "withdrawal": lambda a, b, c: ["withdrawal", a],
    "naloxone": lambda a, b, c: ["naloxone", a],
    "legal": lambda a, b, c: ["legal", a],
    "schema": lambda a, b, c: ["schema", a],
    "validate-missing": lambda a, b, c: ["validate", "/nonexistent-subq-folder/" + a],
    "unknown-command": lambda a, b, c: [a, b],
}
def _argv(name: str, fmt: str, texts: list[str]) -> list[str]:
    rest = COMMANDS[name](*texts)
    if name == "unknown-command":
        return rest
    return [rest[0], *FORMATS[fmt], *rest[1:]]


#: Options that take a value: the word after them is that value, never a flag.
VALUED = {"--class", "-c", "--region", "-r", "--specimen", "-s", "--format", "-f", "--limit",
          "-n", "--knowledge", "-k", "--max-age"}


def _flags(argv: list[str]) -> list[str]:
    """The words click reads as flags: before any `--`, and not the value of an option."""
    flags, skip = [], False
    for word in argv[1:]:
        if word == "--":
            break
        if skip:
            skip = False
            continue
        if word in VALUED:
            skip = True
        flags.append(word)
    return flags


def check(argv: list[str], fmt: str, code: int, out: str, err: str) -> None:
    """Every property a run must have, whatever its input."""
    where = f"subq {argv!r}\n-> exit {code}\nstdout: {out[:600]!r}\nstderr: {err[:600]!r}"
    assert "Traceback" not in out and "Traceback" not in err, where
    assert code in EXIT_CODES, where
    assert err.count("\n") <= 3, where
    assert not FORBIDDEN.search(err), where
    flags = _flags(argv)
    asked_help = any(w in ("-h", "--help") for w in flags)
    quiet = any(w in ("-q", "--quiet") for w in flags)
    doc = None
    if code == 0 and not asked_help and not quiet and (
            fmt == "json" or argv[0] == "schema" or "--json" in flags):
        doc = json.loads(out)  # a JSONDecodeError fails the test with the input shown
    if doc is None and out.lstrip().startswith(("{", "[")):
        with contextlib.suppress(ValueError):
            doc = json.loads(out)
    if doc is not None:
        # JSON escapes (\u001b) are text, not control characters: check the raw document.
        shown = json.dumps(doc, ensure_ascii=False)
        assert not FORBIDDEN.search(shown), where
        assert not BIDI.search(shown), where
        return
    visible = out
    if fmt == "rich":
        for url in RICH_LINK.findall(out):  # only the knowledge's own source links
            assert not any(h in url for h in EVIL_HOSTS), where
            assert url == ";" or re.fullmatch(r"(id=[^;]*)?;https?://\S+", url), where
        visible = RICH_LINK.sub("", RICH_SGR.sub("", out))
    assert not FORBIDDEN.search(visible), where
    assert not BIDI.search(visible), where


# -- the 10,000-input test -------------------------------------------------------------------

N_EXAMPLES = 10_000


@pytest.mark.slow
def test_every_command_survives_10000_arbitrary_inputs():
    """At least 10,000 generated command lines over every command and output format."""
    runs: list[str] = []

    @settings(max_examples=N_EXAMPLES, **BASE)
    @given(name=st.sampled_from(sorted(COMMANDS)), fmt=st.sampled_from(sorted(FORMATS)),
           texts=st.lists(TEXT, min_size=3, max_size=3))
    def prop(name: str, fmt: str, texts: list[str]) -> None:
        argv = _argv(name, fmt, texts)
        code, out, err = invoke(*argv)
        runs.append(name)
        check(argv, "default" if name == "unknown-command" else fmt, code, out, err)

    prop()
    assert len(runs) >= N_EXAMPLES, len(runs)
    assert set(runs) == set(COMMANDS), set(COMMANDS) - set(runs)


# -- validate and knowledge text, fuzzed -----------------------------------------------------

PASS_SUBSTANCE = (FIXTURES / "pass" / "substances" / "gizmo.yaml").read_text(encoding="utf-8")
PASS_SOURCES = (FIXTURES / "pass" / "sources" / "bib.yaml").read_text(encoding="utf-8")
PASS_CLASS = (FIXTURES / "pass" / "classes" / "widget.yaml").read_text(encoding="utf-8")


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar: printable characters as they are, the rest
    as escapes, so the control characters really reach the loader."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(ch)
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


INJECT = {
    "raw file": lambda t: t,
    "name": lambda t: PASS_SUBSTANCE.replace("name: Gizmo", "name: " + yaml_quoted(t)),
    "summary": lambda t: PASS_SUBSTANCE.replace(
        "text: A made-up substance for testing.", "text: " + yaml_quoted(t)),
    "plain scalar": lambda t: PASS_SUBSTANCE.replace(
        "note: It is a widget.", "note: " + " ".join(t.split())),
    "key": lambda t: PASS_SUBSTANCE + yaml_quoted(t) + ": 1\n",
    "brand": lambda t: PASS_SUBSTANCE.replace("[Gizmax]", "[" + yaml_quoted(t) + "]"),
    "id": lambda t: PASS_SUBSTANCE.replace("id: gizmo", "id: " + yaml_quoted(t)),
    "class": lambda t: PASS_SUBSTANCE.replace("class: widget", "class: " + yaml_quoted(t)),
    "relation": lambda t: PASS_SUBSTANCE.replace("relation: member",
                                                 "relation: " + yaml_quoted(t)),
    "date": lambda t: PASS_SUBSTANCE.replace("last_checked: 2026-11-01",
                                             "last_checked: " + yaml_quoted(t)),
}


def _write_knowledge(root: Path, substance: str) -> None:
    for sub in ("substances", "sources", "classes"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "sources" / "bib.yaml").write_text(PASS_SOURCES, encoding="utf-8")
    (root / "classes" / "widget.yaml").write_text(PASS_CLASS, encoding="utf-8")
    (root / "substances" / "gizmo.yaml").write_text(substance, encoding="utf-8",
                                                    errors="surrogatepass")


@pytest.mark.slow
def test_validate_survives_arbitrary_file_content(tmp_path):
    """`subq validate DIR` on a folder whose file holds generated text anywhere."""
    root = tmp_path / "fuzz-knowledge"
    runs = []

    @settings(max_examples=100, **BASE)
    @given(where=st.sampled_from(sorted(INJECT)), text=TEXT, as_json=st.booleans())
    def prop(where: str, text: str, as_json: bool) -> None:
        _write_knowledge(root, INJECT[where](text))
        argv = ["validate", str(root), *(["--json"] if as_json else [])]
        code, out, err = invoke(*argv)
        runs.append(where)
        where_ = f"{argv} with {where}={text[:200]!r}\n{code}\n{out[:800]}\n{err[:800]}"
        assert "Traceback" not in out + err, where_
        assert code in (0, 4), where_
        assert not FORBIDDEN.search(err), where_
        if as_json:
            doc = json.loads(out)
            assert not FORBIDDEN.search(json.dumps(doc, ensure_ascii=False)), where_
            assert doc["errors"] == 0 or code == 4, where_
        else:
            assert not FORBIDDEN.search(out), where_
            for line in out.splitlines():
                assert re.match(r".+:\d+:\d+: SUBQ\d{3} |\d+ files checked: ", line), where_

    prop()
    assert len(runs) >= 100


@pytest.mark.slow
def test_answers_from_arbitrary_knowledge_text_are_inert(tmp_path):
    """A user knowledge folder whose substance holds generated text: answers from it (or
    the warning that left it out) carry no control character, in every format."""
    root = tmp_path / "fuzz-answers"
    runs = []

    @settings(max_examples=60, **BASE)
    @given(where=st.sampled_from(["name", "summary", "plain scalar", "brand", "raw file"]),
           text=TEXT, fmt=st.sampled_from(sorted(FORMATS)),
           command=st.sampled_from([("show", "gizmo"), ("is", "gizmo", "widget"),
                                    ("compare", "gizmo", "heroin"), ("search", "gizmo"),
                                    ("is-opioid", "fentanyl")]))
    def prop(where: str, text: str, fmt: str, command: tuple[str, ...]) -> None:
        _write_knowledge(root, INJECT[where](text))
        argv = [command[0], *FORMATS[fmt], *command[1:], "--knowledge", str(root)]
        code, out, err = invoke(*argv)
        runs.append(where)
        assert code in (0, 3), (argv, code, out[:300], err[:600])
        err_without_warnings = "\n".join(
            line for line in err.splitlines() if not line.startswith("subq: warning: "))
        assert err_without_warnings.count("\n") <= 1, err
        check(argv, fmt, code, out, err_without_warnings)
        assert not FORBIDDEN.search(err), err
        if command == ("is-opioid", "fentanyl"):
            assert code == 0, err  # a bad user file never stops answers from the rest

    prop()
    assert len(runs) >= 60


# -- echoed input ------------------------------------------------------------------------------

NASTY_NAME = "\x1b[31mzq\x9b1mxw\x1b]8;;https://evil.example\x1b\\vk\x07\x7f\u202e"


@pytest.mark.parametrize("argv", [
    ("is-opioid", NASTY_NAME),
    ("is", NASTY_NAME, "opioid"),
    ("is", "fentanyl", NASTY_NAME),
    ("show", NASTY_NAME),
    ("compare", "heroin", NASTY_NAME),
    ("related", NASTY_NAME),
    ("mix", "fentanyl", NASTY_NAME),
    ("list", "--class", NASTY_NAME),
    ("detection", NASTY_NAME),
    ("withdrawal", NASTY_NAME),
    ("naloxone", NASTY_NAME),
    ("legal", NASTY_NAME),
    ("schema", NASTY_NAME),
    ("validate", "/nonexistent/" + NASTY_NAME),
    ("search", "--limit", NASTY_NAME, "x"),
    ("show", "--format", NASTY_NAME, "x"),
    ("is-opioid", "--" + NASTY_NAME),
    (NASTY_NAME,),
])
def test_input_echoed_in_error_messages_is_cleaned(cli, argv):
    """The error names what was typed, but with every control character taken out."""
    r = cli(*argv)
    assert r.code in (2, 3), (r.code, r.err)
    assert r.out == ""
    assert r.err.startswith("subq: error: ") and r.err.count("\n") == 1, r.err
    assert not FORBIDDEN.search(r.err), repr(r.err)
    # What is left of the name is still recognisable (cleaned or escaped, not dropped).
    assert "zq" in r.err, repr(r.err)


@pytest.mark.parametrize("argv", [
    ("is-opioid", NASTY_NAME),
    ("show", NASTY_NAME),
    ("schema", NASTY_NAME),
])
def test_input_echoed_by_subq_itself_has_no_bidi_override(cli, argv):
    r = cli(*argv)
    assert not BIDI.search(r.err), repr(r.err)


@pytest.mark.parametrize("argv", [
    ("is-opioid", "--\u202eevil"),
    ("is-opioid", "fentanyl", "\u202eevil"),
])
def test_usage_errors_have_no_bidi_override(cli, argv):
    """click's own messages (unknown option, extra argument) are cleaned like subq's."""
    r = cli(*argv)
    assert r.code == 2
    assert not BIDI.search(r.err), repr(r.err)


@pytest.mark.parametrize("argv", [
    ("search", "\x9b31mzz", "--json"),
    ("search", "ketamine\x7f", "--json"),
    ("ask", "\x9b31mzz", "--json"),
    ("ask", "is ketamine\x9b an opioid", "--json"),
])
def test_json_echo_is_cleaned(cli, argv):
    """JSON escapes only U+0000-U+001F; C1 controls and DEL in the echoed query would reach
    the terminal raw unless the text is cleaned first."""
    r = cli(*argv)
    assert r.code == 0, r.err
    r.json()
    assert not FORBIDDEN.search(r.out), [m for m in FORBIDDEN.findall(r.out)]
    assert not BIDI.search(r.out)


@pytest.mark.parametrize("argv", [
    ("validate", "x" * 300),
    ("is-opioid", "fentanyl", "--knowledge", "x" * 300),
])
def test_overlong_path_argument_is_a_usage_error(cli, argv):
    """A path longer than NAME_MAX (ENAMETOOLONG) is a usage error, not an internal one."""
    r = cli(*argv)
    assert r.code == 2, r.err[:300]
    assert "internal error" not in r.err


@pytest.mark.slow
def test_search_time_grows_linearly_with_words():
    def timed(n: int) -> float:
        start = time.perf_counter()
        code, _, err = invoke("search", " ".join(["fentanyl"] * n))
        assert code == 0, err
        return time.perf_counter() - start

    small = min(timed(32) for _ in range(3))
    big = timed(320)  # ten times the words: about ten times the time, at worst
    assert big < 25 * small + 0.5, f"32 words: {small:.2f}s, 320 words: {big:.2f}s"


@pytest.mark.skipif(SUBQ is None, reason="the subq command is not installed")
@pytest.mark.parametrize("command", [b"search", b"ask"])
def test_undecodable_argument_bytes_with_strict_utf8_stdout(tmp_path, command):
    """Bytes that are not UTF-8 become lone surrogates in argv; echoed into JSON they must
    not crash a strict UTF-8 stdout (the default in UTF-8 locales other than C.UTF-8)."""
    env = {**os.environ, "SUBQ_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONIOENCODING": "utf-8:strict"}
    r = subprocess.run([SUBQ, command, b"zz\x9bqq", b"--json"], cwd=tmp_path, env=env,
                       capture_output=True, timeout=120)
    assert r.returncode in EXIT_CODES, r.stderr.decode("utf-8", "replace")
    assert b"internal error" not in r.stderr
