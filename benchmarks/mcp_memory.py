"""Memory and time per call of `subq mcp` over one long session, through the SDK's own client.

    python benchmarks/mcp_memory.py [--calls 1000] [--subq PATH] [--transcript FILE]

Starts the installed `subq mcp` over stdio (as an assistant would), initialises, lists the
tools, then makes CALLS tool calls one after another, cycling through every tool with a mix of
questions (including a few that end in an error result). The server's resident memory (VmRSS
from /proc) is read after start-up, after one warm-up round of every tool, and at the end; the
target is growth of at most 10 MiB over the calls. `--transcript` also writes a JSON-RPC
transcript of a short session (initialise, list tools, three calls) for docs/mcp.md.

A benchmark, not a test (tests/test_mcp.py runs a shorter version of the same loop): it exits
0 whatever the numbers, 1 only when the server cannot be run. Needs `pip install "subq[mcp]"`
and Linux (/proc) for the memory figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

LIMIT_MIB = 10.0

#: (tool, arguments): one round; repeated until the number of calls is reached.
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("is_class", {"name": "ketamine"}),
    ("is_class", {"name": "Lyrica", "class_name": "opioid"}),
    ("show", {"name": "fentanyl"}),
    ("show", {"name": "fentanyl-withdrawal-timeline"}),
    ("compare", {"names": ["heroin", "methadone", "buprenorphine"]}),
    ("mix", {"names": ["fentanyl", "alprazolam"]}),
    ("related", {"name": "ketamine"}),
    ("detection", {"name": "opioid", "specimen": "urine"}),
    ("withdrawal", {"name": "alcohol"}),
    ("naloxone", {"name": "xylazine"}),
    ("legal", {"name": "kratom"}),
    ("search", {"query": "nmda receptor", "limit": 5}),
    ("ask", {"question": "how long does xanax stay in your system"}),
    ("ask", {"question": "my friend took something and is not breathing"}),
    ("help_now", {"region": "uk"}),
    ("list_entries", {"kind": "topic"}),
    ("is_class", {"name": "ketamien"}),  # an error result: did you mean ketamine?
    ("mix", {"names": ["fentanyl"]}),  # an error result: the schema wants two names
]


def rss_mib(pid: int) -> float | None:
    """Resident memory of a process in MiB, or None where /proc is not available."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def child_pids(parent: int) -> list[int]:
    """Processes whose parent is `parent` (the SDK does not expose the server's pid)."""
    out = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            out.append(int(entry))
    return out


def find_subq(given: str | None) -> str | None:
    if given:
        return given
    here = Path(sys.executable).parent
    return shutil.which("subq", path=str(here)) or shutil.which("subq")


async def measure(subq: str, calls: int, env: dict[str, str]) -> dict[str, Any]:
    """One session of `calls` tool calls; memory and timings."""
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters, stdio_client

    before = set(child_pids(os.getpid()))
    params = StdioServerParameters(command=subq, args=["mcp"], env=env)
    with open(os.devnull, "w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            new = [p for p in child_pids(os.getpid()) if p not in before]
            pid = new[0] if len(new) == 1 else None
            tools = await client.list_tools()
            start_rss = rss_mib(pid) if pid else None
            for name, args in CALLS:  # warm-up: every tool once
                await client.call_tool(name, args)
            warm_rss = rss_mib(pid) if pid else None
            errors = 0
            t0 = time.perf_counter()
            for n in range(calls):
                name, args = CALLS[n % len(CALLS)]
                result = await client.call_tool(name, args)
                errors += bool(result.is_error)
            elapsed = time.perf_counter() - t0
            end_rss = rss_mib(pid) if pid else None
    return {"tools": len(tools.tools), "calls": calls, "error_results": errors,
            "seconds": elapsed, "ms_per_call": 1000 * elapsed / calls, "pid": pid,
            "rss_start_mib": start_rss, "rss_warm_mib": warm_rss, "rss_end_mib": end_rss}


class Recorder:
    """Every JSON-RPC message between the client and the server, in order."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def wrap(self, transport: Any) -> Any:
        from contextlib import asynccontextmanager

        recorder = self

        @asynccontextmanager
        async def recording():
            async with transport as (read_stream, write_stream):
                yield _Tap(read_stream, recorder, "<-"), _Tap(write_stream, recorder, "->")

        return recording()


class _Tap:
    """A stream wrapper that records each message it passes on."""

    def __init__(self, stream: Any, recorder: Recorder, arrow: str):
        self._stream, self._recorder, self._arrow = stream, recorder, arrow

    def _note(self, item: Any) -> None:
        message = getattr(item, "message", item)
        dump = getattr(message, "model_dump", None)
        data = dump(by_alias=True, exclude_none=True, mode="json") if dump else message
        self._recorder.lines.append(f"{self._arrow} {json.dumps(data, ensure_ascii=False)}")

    async def send(self, item: Any) -> None:
        self._note(item)
        await self._stream.send(item)

    async def receive(self) -> Any:
        item = await self._stream.receive()
        self._note(item)
        return item

    def __aiter__(self) -> Any:
        return self

    async def __anext__(self) -> Any:
        from anyio import EndOfStream

        try:
            return await self.receive()
        except EndOfStream:
            raise StopAsyncIteration from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    async def __aenter__(self) -> Any:
        await self._stream.__aenter__()
        return self

    async def __aexit__(self, *exc: Any) -> Any:
        return await self._stream.__aexit__(*exc)


async def transcript(subq: str, env: dict[str, str]) -> list[str]:
    """A short session, message by message: initialise, list tools, three calls."""
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters, stdio_client

    recorder = Recorder()
    params = StdioServerParameters(command=subq, args=["mcp"], env=env)
    with open(os.devnull, "w") as errlog:
        async with Client(recorder.wrap(stdio_client(params, errlog=errlog)),
                          mode="legacy") as client:
            await client.list_tools()
            await client.call_tool("is_class", {"name": "ketamine"})
            await client.call_tool("mix", {"names": ["fentanyl", "alprazolam"]})
            await client.call_tool("is_class", {"name": "ketamien"})
    return recorder.lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--subq", help="the subq command to run (default: next to python)")
    parser.add_argument("--transcript", help="also write a session transcript to this file")
    args = parser.parse_args(argv)
    try:
        import anyio
    except ImportError:
        print('needs the MCP SDK: pip install "subq[mcp]"', file=sys.stderr)
        return 1
    subq = find_subq(args.subq)
    if not subq:
        print("no subq command found", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="subq-mcp-bench-") as cache:
        env = {"SUBQ_CACHE_DIR": cache}
        import subprocess

        # Build the index first, so that the server starts as it does on any later day.
        subprocess.run([subq, "info"], env={**os.environ, **env}, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            r = anyio.run(measure, subq, args.calls, env)
            lines = anyio.run(transcript, subq, env) if args.transcript else None
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not crash
            print(f"could not run {subq} mcp: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
    print(f"subq mcp: {r['tools']} tools; {r['calls']} sequential tool calls in one session "
          f"({r['error_results']} of them error results, by design)")
    print(f"  time: {r['seconds']:.2f} s, {r['ms_per_call']:.2f} ms per call (client included)")
    if r["rss_start_mib"] is None:
        print("  memory: not measured (no /proc, or the server process was not found)")
    else:
        growth = r["rss_end_mib"] - r["rss_warm_mib"]
        print(f"  RSS after start-up {r['rss_start_mib']:.1f} MiB, after one warm-up round of "
              f"every tool {r['rss_warm_mib']:.1f} MiB, after the calls "
              f"{r['rss_end_mib']:.1f} MiB")
        print(f"  growth over the calls: {growth:+.1f} MiB (target <= {LIMIT_MIB:.0f} MiB: "
              f"{'yes' if growth <= LIMIT_MIB else 'NO'}); since start-up "
              f"{r['rss_end_mib'] - r['rss_start_mib']:+.1f} MiB")
    if lines is not None:
        Path(args.transcript).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"  transcript: {len(lines)} messages written to {args.transcript}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
