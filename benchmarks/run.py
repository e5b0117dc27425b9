"""Start-up, scale, rebuild, memory and completion benchmarks for the installed `subq`.

    python benchmarks/run.py [--rounds 7] [--smoke] [--subq PATH] [--scale-dir DIR]

Every case is a fresh `subq` process, timed with time.perf_counter around subprocess.run
(stdout and stderr to DEVNULL) and run alternately with its floor, several rounds; the table
shows medians and ratios, and whether each target holds. Floors use the interpreter that runs
`subq`: A = `python -c "import typer"`, B = the same plus rich.console, rich.table and
rich.panel. Scale cases run with `--knowledge` pointing at 10,000 generated substances
(benchmarks/generate.py) and are compared with the same case on the shipped knowledge alone.

The index lives in a fixed SUBQ_CACHE_DIR in a temporary folder. It is warmed before timing;
the first run after a knowledge change (which rebuilds the index) is measured separately. A
timed sample during which the index was rebuilt anyway (the knowledge changed while the
benchmark ran) is discarded and run again.

This is a benchmark, not a test: it exits 0 whatever the numbers, and non-zero only when the
`subq` command cannot be run. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
FLOOR_A = "import typer"
FLOOR_B = "import typer, rich.console, rich.table, rich.panel"
# The same imports, leaving with os._exit as subq does: no interpreter shutdown. Reported for
# transparency beside the targets, which use the floors above.
NO_SHUTDOWN = "; import os; os._exit(0)"
MEMORY_LIMIT_MIB = 80
REBUILD_LIMIT_S = 15.0
MAX_RETRIES = 3
# Runs argv[2:] as a child, then writes "maxrss exit-code seconds" to argv[1].
RSS_WRAPPER = """import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
with open(sys.argv[1], "w") as fh:
    fh.write(f"{usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {elapsed}")
"""

# (label, arguments, floor, limit): the cases on the shipped knowledge.
CASES: list[tuple[str, list[str], str, float]] = [
    ("is-opioid --json", ["is-opioid", "ketamine", "--json"], "A", 1.25),
    ("is-opioid --plain", ["is-opioid", "ketamine", "--plain"], "A", 1.25),
    ("is-opioid --format rich", ["is-opioid", "ketamine", "--format", "rich"], "B", 1.2),
    ("compare --plain", ["compare", "ketamine", "morphine", "--plain"], "A", 1.2),
    ("compare --format rich", ["compare", "ketamine", "morphine", "--format", "rich"], "B", 1.2),
    ("related --plain", ["related", "ketamine", "--plain"], "A", 1.2),
    ("related --format rich", ["related", "ketamine", "--format", "rich"], "B", 1.2),
    ("ask --plain", ["ask", "is ketamine an opioid", "--plain"], "A", 1.2),
    ("ask --format rich", ["ask", "is ketamine an opioid", "--format", "rich"], "B", 1.2),
    ("search --json", ["search", "nmda receptor", "--json"], "A", 1.3),
    ("mix 5 --plain", ["mix", "fentanyl", "alprazolam", "tramadol", "sertraline", "alcohol",
                       "--plain"], "A", 1.3),
]
SCALE_LIMIT = 1.2
COMPLETION_LIMIT = 1.2
COMPLETION_WORDS = "subq is-opioid ket"


# -- processes -----------------------------------------------------------------------------

@dataclass
class Cmd:
    """One command line with its environment overrides."""

    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)


class Runner:
    def __init__(self, cache: Path, python: str):
        self.cache = cache
        self.python = python
        env = dict(os.environ)
        for name in ("SUBQ_KNOWLEDGE_PATH", "SUBQ_REGION", "PYTHONPROFILEIMPORTTIME",
                     "_SUBQ_COMPLETE", "COMP_WORDS", "COMP_CWORD"):
            env.pop(name, None)
        env.update({"SUBQ_CACHE_DIR": str(cache), "COLUMNS": "100", "LINES": "40"})
        # Compiled bytecode is cached as in a normal install, but in a private folder: with
        # PYTHONDONTWRITEBYTECODE set and stale .pyc files beside the sources, every run would
        # otherwise compile the changed modules again; and the source tree is not written to.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(cache.parent / "pycache")
        self.base_env = env
        self.discarded = 0
        self.contaminated = 0

    def env(self, cmd: Cmd) -> dict[str, str]:
        return {**self.base_env, **cmd.env}

    def time_once(self, cmd: Cmd) -> tuple[float, int]:
        """Wall time in ms and exit code of one fresh process."""
        env = self.env(cmd)
        start = time.perf_counter()
        proc = subprocess.run(cmd.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env=env, check=False)
        return (time.perf_counter() - start) * 1000.0, proc.returncode

    def time_rss(self, cmd: Cmd, stderr: bool = False) -> tuple[float, float | None, int, str]:
        """Wall ms, max RSS in MiB of this one process (None where unsupported), exit, stderr.

        The process is started through a tiny forking wrapper (RSS_WRAPPER): Linux carries a
        parent's peak RSS into a child across fork and exec, so waiting on a child of this
        (much larger) script directly would report this script's size, not subq's.
        """
        env = self.env(cmd)
        err = subprocess.PIPE if stderr else subprocess.DEVNULL
        if not hasattr(os, "fork"):
            start = time.perf_counter()
            proc = subprocess.run(cmd.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=err, env=env, check=False)
            text = proc.stderr.decode("utf-8", "replace") if stderr else ""
            return (time.perf_counter() - start) * 1000.0, None, proc.returncode, text
        report = self.cache.parent / "rss-report.txt"
        proc = subprocess.run([self.python, "-S", "-c", RSS_WRAPPER, str(report), *cmd.argv],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                              env=env, check=False)
        maxrss, code, elapsed = report.read_text().split()
        report.unlink()
        scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
        text = proc.stderr.decode("utf-8", "replace") if stderr else ""
        return float(elapsed) * 1000.0, int(maxrss) * scale / 2**20, int(code), text

    def index_state(self) -> dict[str, tuple[int, int]]:
        out = {}
        for p in self.cache.glob("index-*.sqlite"):
            try:
                st = p.stat()
            except OSError:
                continue
            out[p.name] = (st.st_mtime_ns, st.st_size)
        return out

    def pair(self, case: Cmd, floor: Cmd, case_first: bool) -> tuple[float, float]:
        """One (case, floor) sample, redone when the index was rebuilt during it."""
        for attempt in range(MAX_RETRIES + 1):
            before = self.index_state()
            if case_first:
                c, _ = self.time_once(case)
                f, _ = self.time_once(floor)
            else:
                f, _ = self.time_once(floor)
                c, _ = self.time_once(case)
            if self.index_state() == before:
                return c, f
            if attempt < MAX_RETRIES:
                self.discarded += 1
                # Knowledge changed under us: let the index settle, then measure again.
                self.time_once(case)
                self.time_once(floor)
        self.contaminated += 1
        return c, f


# -- finding subq --------------------------------------------------------------------------

def find_subq(given: str | None) -> Path | None:
    if given:
        return Path(given)
    exe = Path(sys.executable)
    for name in ("subq", "subq.exe"):
        if (exe.parent / name).is_file():
            return exe.parent / name
    found = shutil.which("subq")
    return Path(found) if found else None


def interpreter_of(subq: Path) -> str:
    """The Python that runs `subq` (its shebang), so floors import the same packages."""
    try:
        with open(subq, "rb") as fh:
            first = fh.readline(500).decode("utf-8", "replace").strip()
    except OSError:
        return sys.executable
    if first.startswith("#!"):
        parts = first[2:].split()
        if parts and "python" in Path(parts[0]).name and Path(parts[0]).is_file():
            return parts[0]
        if len(parts) > 1 and Path(parts[0]).name == "env" and "python" in parts[1]:
            found = shutil.which(parts[1])
            if found:
                return found
    return sys.executable


def machine(python: str, runner: Runner) -> dict[str, str]:
    code = ("import json, platform, sys, typer; from importlib.metadata import version as v; "
            "print(json.dumps({'python': platform.python_version(), "
            "'implementation': platform.python_implementation(), "
            "'typer': typer.__version__, 'rich': v('rich'), 'subq': v('subq')}))")
    proc = subprocess.run([python, "-c", code], capture_output=True, text=True,
                          env=runner.base_env, check=False)
    try:
        info = json.loads(proc.stdout)
    except ValueError:
        info = {"python": "?", "implementation": "?", "typer": "?", "rich": "?", "subq": "?"}
    info["platform"] = platform.platform()
    info["cpus"] = str(os.cpu_count())
    info["machine"] = platform.machine()
    return info


def load_generator():
    sys.dont_write_bytecode = True  # no benchmarks/__pycache__ left behind
    spec = importlib.util.spec_from_file_location("subq_bench_generate", HERE / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- reporting -----------------------------------------------------------------------------

@dataclass
class Row:
    label: str
    value: float
    versus: str
    floor: float
    ratio: float
    limit: float
    samples: int

    @property
    def ok(self) -> bool:
        return self.ratio <= self.limit


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def print_rows(title: str, rows: list[Row]) -> None:
    print(f"\n{title}")
    head = f"  {'case':<38} {'median ms':>10}  {'vs':<34} {'floor ms':>9} {'ratio':>6}  " \
           f"{'target':>7}  ok"
    print(head)
    print("  " + "-" * (len(head) - 2))
    for r in rows:
        print(f"  {r.label:<38} {r.value:>10.1f}  {r.versus:<34} {r.floor:>9.1f} "
              f"{r.ratio:>6.2f}  {'<= ' + format(r.limit, 'g'):>7}  "
              f"{'yes' if r.ok else 'MISS'}")


def floors_ms(name: str, rows: list[Row]) -> float:
    """The median of floor `name` as measured beside the answer cases."""
    values = [r.floor for r in rows if r.versus.startswith(name)]
    return median(values)


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


# -- main ----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds (default 7)")
    parser.add_argument("--smoke", action="store_true", help="one round: a quick check")
    parser.add_argument("--subq", help="the subq command (default: next to this Python)")
    parser.add_argument("--scale-dir", type=Path, help="folder for the generated knowledge "
                        "(reused when it already holds the same number of substances; "
                        "default: a temporary folder)")
    parser.add_argument("--substances", type=int, default=10000,
                        help="generated substances for the scale cases (default 10000)")
    parser.add_argument("--regenerate", action="store_true",
                        help="regenerate --scale-dir even when it looks complete")
    parser.add_argument("--no-scale", action="store_true",
                        help="skip the generated-knowledge cases (scale, rebuild, memory, "
                        "completion)")
    args = parser.parse_args(argv)
    rounds = 1 if args.smoke else max(1, args.rounds)
    # A terminated run still removes its temporary folder (see the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    subq = find_subq(args.subq)
    if subq is None:
        print("run.py: cannot find the subq command; pass --subq PATH", file=sys.stderr)
        return 2
    python = interpreter_of(subq)
    work = Path(tempfile.mkdtemp(prefix="subq-bench-"))
    cache = work / "cache"
    cache.mkdir()
    runner = Runner(cache, python)
    try:
        proc = subprocess.run([str(subq), "info", "--json"], capture_output=True, text=True,
                              env=runner.base_env, check=False)
        info = json.loads(proc.stdout) if proc.returncode == 0 else None
    except (OSError, ValueError):
        info = None
    if not info:
        print(f"run.py: cannot run {subq} info --json", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
        return 2
    # Warm the bytecode cache with every code path the cases use, then empty the index cache
    # (these runs built it) so that the first timed run measures a cold index build.
    for _, case_args, _, _ in CASES:
        subprocess.run([str(subq), *case_args], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=runner.base_env, check=False)
    for stale in cache.iterdir():
        stale.unlink()
    try:
        run_all(args, rounds, subq, python, work, runner, info)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def run_all(args, rounds: int, subq: Path, python: str, work: Path, runner: Runner,
            info: dict) -> None:
    shipped = Path(info["knowledge"][0])
    m = machine(python, runner)
    floors = {"A": Cmd([python, "-c", FLOOR_A]), "B": Cmd([python, "-c", FLOOR_B])}
    floor_names = {"A": "A (import typer)", "B": "B (typer + rich)"}
    quick_floors = {"A": Cmd([python, "-c", FLOOR_A + NO_SHUTDOWN]),
                    "B": Cmd([python, "-c", FLOOR_B + NO_SHUTDOWN])}
    quick_samples: dict[str, list[float]] = {"A": [], "B": []}

    def sq(*a: str, env: dict[str, str] | None = None) -> Cmd:
        return Cmd([str(subq), *a], env or {})

    # Cold build of the shipped index, then warm everything once.
    t_cold, rss_cold, _, _ = runner.time_rss(sq("is-opioid", "ketamine", "--json"))
    log(f"shipped knowledge: first run (index build) {t_cold:.0f} ms")
    for cmd in floors.values():
        runner.time_once(cmd)
    shipped_cmds = {label: sq(*a) for label, a, _, _ in CASES}
    for cmd in shipped_cmds.values():
        ms, rc = runner.time_once(cmd)
        if rc != 0:
            log(f"warning: {' '.join(cmd.argv[1:])} exited {rc}")

    comparisons: list[tuple[str, Cmd, str, Cmd, float, str]] = []
    for label, _, floor, limit in CASES:
        comparisons.append((label, shipped_cmds[label], floor_names[floor], floors[floor],
                            limit, "answer"))

    scale: dict[str, object] = {}
    if not args.no_scale:
        scale = prepare_scale(args, runner, subq, shipped, work)
        gen = str(scale["dir"])
        for label, a, _, _ in CASES:
            comparisons.append((label + " @scale", sq(*a, "--knowledge", gen), label + " (shipped)",
                                shipped_cmds[label], SCALE_LIMIT, "scale"))
        comp_env = {"_SUBQ_COMPLETE": "complete_bash", "COMP_WORDS": COMPLETION_WORDS,
                    "COMP_CWORD": "2"}
        comparisons.append(("completion 'ket' (shipped, info)", sq(env=comp_env),
                            floor_names["A"], floors["A"], COMPLETION_LIMIT, "info"))
        comparisons.append(("completion 'ket' @scale", sq(env={**comp_env,
                            "SUBQ_KNOWLEDGE_PATH": gen}), floor_names["A"], floors["A"],
                            COMPLETION_LIMIT, "completion"))
        for _, cmd, _, _, _, _ in comparisons:
            runner.time_once(cmd)  # warm: nothing below should rebuild

    samples: dict[str, tuple[list[float], list[float]]] = {c[0]: ([], []) for c in comparisons}
    for r in range(rounds):
        log(f"round {r + 1}/{rounds}")
        for name, cmd in quick_floors.items():
            quick_samples[name].append(runner.time_once(cmd)[0])
        for label, cmd, _, floor, _, _ in comparisons:
            c, f = runner.pair(cmd, floor, case_first=bool(r % 2))
            samples[label][0].append(c)
            samples[label][1].append(f)

    def rows(group: str) -> list[Row]:
        out = []
        for label, _, versus, _, limit, g in comparisons:
            if g != group:
                continue
            cs, fs = samples[label]
            out.append(Row(label, median(cs), versus, median(fs), median(cs) / median(fs),
                           limit, len(cs)))
        return out

    memory: list[tuple[str, float | None]] = []
    if scale:
        log("memory: one fresh process per answer at scale")
        memory.append(("floor A (reference, not a target)", runner.time_rss(floors["A"])[1]))
        for label, cmd, _, _, _, g in comparisons:
            if g in ("scale", "completion"):
                for _ in range(MAX_RETRIES + 1):
                    before = runner.index_state()
                    _, rss, _, _ = runner.time_rss(cmd)
                    if runner.index_state() == before:
                        break  # else the index was rebuilt during it: measure again
                memory.append((label, rss))

    # -- print ---------------------------------------------------------------------------
    print("subq benchmarks")
    print(f"machine: {m['platform']} ({m['machine']}), {m['cpus']} CPUs")
    print(f"python:  {m['implementation']} {m['python']} ({python})")
    print(f"typer {m['typer']}, rich {m['rich']}, subq {m['subq']} ({subq})")
    counts = info.get("counts", {})
    print(f"shipped knowledge: {counts.get('substance')} substances, {counts.get('class')} "
          f"classes, {counts.get('topic')} topics ({shipped})")
    print(f"rounds: {rounds}; medians of fresh processes; ratio = median / median of its "
          "floor, run alternately; bytecode cached (private PYTHONPYCACHEPREFIX)")

    all_rows: list[Row] = []
    answer_rows = rows("answer")
    all_rows += answer_rows
    print_rows("Answers on the shipped knowledge (floor A = python -c 'import typer', "
               "B = A + rich.console/table/panel)", answer_rows)
    held: list[tuple[str, bool]] = [(r.label, r.ok) for r in answer_rows]
    quick = {k: median(v) for k, v in quick_samples.items()}
    print("\nFor transparency (not targets): subq leaves with os._exit once its output is "
          "flushed,\nskipping the interpreter shutdown that the floors above pay "
          f"(A: {floors_ms('A', answer_rows) - quick['A']:.1f} ms, "
          f"B: {floors_ms('B', answer_rows) - quick['B']:.1f} ms here). Against floors that "
          "skip it too:")
    for r in answer_rows:
        key = "B" if r.versus.startswith("B") else "A"
        print(f"  {r.label:<38} {r.value:>10.1f}  {key + ' without shutdown':<34} "
              f"{quick[key]:>9.1f} {r.value / quick[key]:>6.2f}")
    if scale:
        n = scale["n"]
        scale_rows = rows("scale")
        print_rows(f"Scale: the same answers with --knowledge holding {n} generated substances, "
                   "vs shipped alone", scale_rows)
        held += [(r.label, r.ok) for r in scale_rows]
        comp_rows = rows("info") + rows("completion")
        print_rows("Shell completion of substance names (bash protocol, "
                   f"COMP_WORDS='{COMPLETION_WORDS}')", comp_rows)
        held += [(r.label, r.ok) for r in comp_rows if "info" not in r.label]

        print(f"\nIndex builds (first run after a knowledge change; {n} generated substances)")
        print(f"  shipped only, empty cache:          {t_cold / 1000:>7.2f} s   "
              f"max RSS {_mib(rss_cold)}")
        print(f"  generated, empty cache:             {scale['cold_s']:>7.2f} s   "
              f"max RSS {_mib(scale['cold_rss'])}   ("
              + (f"generation took {scale['gen_s']:.1f} s)" if scale["gen_s"]
                 else "reused the generated folder)"))
        rb = scale["rebuild_s"]
        rb_med = median(rb)  # type: ignore[arg-type]
        ok = rb_med <= REBUILD_LIMIT_S
        held.append(("rebuild after touching one file", ok))
        print(f"  generated, one file touched:        {rb_med:>7.2f} s   "
              f"max RSS {_mib(max(scale['rebuild_rss'] or [None], key=lambda x: x or 0))}   "
              f"median of {len(rb)}: {', '.join(f'{x:.2f}' for x in rb)}  "  # type: ignore
              f"target <= {REBUILD_LIMIT_S:g} s  {'yes' if ok else 'MISS'}")
        if scale["not_rebuilt"]:
            print(f"  note: {scale['not_rebuilt']} of those runs left the index file unchanged "
                  "(no rebuild seen)")
        if scale["warnings"]:
            print(f"  note: the build warned about {scale['warnings']} problem(s) in the "
                  "generated files (subq validate shows them)")

        print(f"\nPeak memory (max RSS of one fresh process, target <= {MEMORY_LIMIT_MIB} MiB)")
        for label, rss in memory:
            ok = rss is None or rss <= MEMORY_LIMIT_MIB
            reference = label.startswith("floor")
            if rss is not None and not reference:
                held.append((f"memory {label}", ok))
            mark = "" if reference else ("yes" if ok else "MISS")
            print(f"  {label:<38} {_mib(rss):>10}  {mark}")

    if runner.discarded or runner.contaminated:
        print(f"\nnote: {runner.discarded} sample pair(s) were measured again because the "
              "index was rebuilt during them (knowledge files changed while benchmarking)"
              + (f"; {runner.contaminated} still include a rebuild" if runner.contaminated
                 else ""))
    misses = [label for label, ok in held if not ok]
    print(f"\ntargets held: {len(held) - len(misses)} of {len(held)}")
    for label in misses:
        print(f"  MISS: {label}")


def _mib(value: object) -> str:
    return "n/a" if value is None else f"{value:.1f} MiB"


def prepare_scale(args, runner: Runner, subq: Path, shipped: Path, work: Path) \
        -> dict[str, object]:
    n = args.substances
    folder = args.scale_dir or (work / "generated")
    existing = len(list((folder / "substances").glob("gen-*.yaml")))
    gen_s = 0.0
    if args.regenerate or existing != n or not (folder / "sources" / "generated.yaml").is_file():
        log(f"generating {n} substances into {folder}")
        start = time.perf_counter()
        load_generator().generate(folder, n, 1, shipped)
        gen_s = time.perf_counter() - start
    else:
        log(f"reusing {existing} generated substances in {folder}")
    gen = str(folder.resolve())
    probe = Cmd([str(subq), "is-opioid", "ketamine", "--json", "--knowledge", gen])

    log("first run on the generated knowledge (empty cache: full index build)")
    cold_ms, cold_rss, rc, err = runner.time_rss(probe, stderr=True)
    if rc != 0:
        log(f"warning: the first run at scale exited {rc}: {err.strip()[:500]}")
    warnings = sum(1 for line in err.splitlines() if line.startswith("subq: warning:"))

    touched = sorted((folder / "substances").glob("gen-*.yaml"))[0]
    rebuild_s: list[float] = []
    rebuild_rss: list[float | None] = []
    not_rebuilt = 0
    for i in range(1 if args.smoke else min(3, max(1, args.rounds))):
        os.utime(touched)  # a new mtime: the next run must rebuild the index
        log(f"rebuild after touching {touched.name} ({i + 1})")
        before = runner.index_state()
        ms, rss, _, _ = runner.time_rss(probe)
        if runner.index_state() == before:
            log("warning: the index file did not change: was it really rebuilt?")
            not_rebuilt += 1
        rebuild_s.append(ms / 1000.0)
        rebuild_rss.append(rss)
    return {"dir": gen, "n": n, "gen_s": gen_s, "cold_s": cold_ms / 1000.0,
            "cold_rss": cold_rss, "rebuild_s": rebuild_s, "rebuild_rss": rebuild_rss,
            "warnings": warnings, "not_rebuilt": not_rebuilt}


if __name__ == "__main__":
    sys.exit(main())
