"""`subq mcp` through a real client: the SDK's own `Client` starts the installed command over
stdio, lists the tools, calls each one, and compares the results with the CLI's `--json` (and
`--format markdown`) for the same question. Bad arguments must come back as error results
(`isError`) while the server keeps answering.

Skipped only when the MCP SDK is not importable (`pip install ".[test]"` installs it); the
test of `subq mcp` *without* the SDK runs either way.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "validation"
SUBQ = shutil.which("subq", path=str(Path(sys.executable).parent)) or shutil.which("subq")

needs_subq = pytest.mark.skipif(SUBQ is None, reason="the subq command is not installed")


@pytest.fixture
def sdk():
    """The MCP SDK, or a skip when it is not installed."""
    return pytest.importorskip("mcp", reason='the MCP SDK is not installed: pip install '
                                             '"subq[mcp]"')


def session(scenario, *args: str, env: dict[str, str] | None = None,
            errlog: Path | None = None) -> Any:
    """Run `scenario(client)` against a fresh `subq mcp ARGS` started by the SDK's client."""
    import anyio
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters, stdio_client

    full_env = {"SUBQ_CACHE_DIR": os.environ["SUBQ_CACHE_DIR"], **(env or {})}
    params = StdioServerParameters(command=SUBQ, args=["mcp", *args], env=full_env,
                                   cwd=str(ROOT.parent))

    async def main():
        with open(errlog or os.devnull, "w") as log:
            async with Client(stdio_client(params, errlog=log)) as client:
                return await scenario(client)

    return anyio.run(main)


#: (tool, arguments, the command line asking the same question)
SAME_AS_CLI: list[tuple[str, dict[str, Any], list[str]]] = [
    ("is_class", {"name": "ketamine"}, ["is-opioid", "ketamine"]),
    ("is_class", {"name": "pregabalin", "class_name": "opioid"}, ["is", "pregabalin", "opioid"]),
    ("show", {"name": "fentanyl"}, ["show", "fentanyl"]),
    ("show", {"name": "fentanyl-withdrawal-timeline"}, ["show", "fentanyl-withdrawal-timeline"]),
    ("compare", {"names": ["heroin", "methadone"]}, ["compare", "heroin", "methadone"]),
    ("mix", {"names": ["fentanyl", "alprazolam"]}, ["mix", "fentanyl", "alprazolam"]),
    ("related", {"name": "ketamine"}, ["related", "ketamine"]),
    ("detection", {"name": "opioid", "specimen": "urine"},
     ["detection", "opioid", "--specimen", "urine"]),
    ("withdrawal", {"name": "fentanyl"}, ["withdrawal", "fentanyl"]),
    ("naloxone", {"name": "xylazine"}, ["naloxone", "xylazine"]),
    ("legal", {"name": "kratom"}, ["legal", "kratom"]),
    ("search", {"query": "nmda receptor", "limit": 5}, ["search", "nmda", "receptor", "-n", "5"]),
    ("ask", {"question": "how long does xanax stay in your system"},
     ["ask", "--explain", "how long does xanax stay in your system"]),
    ("ask", {"question": "my friend took something and is not breathing", "region": "uk"},
     ["ask", "--explain", "--region", "uk", "my friend took something and is not breathing"]),
    ("help_now", {}, ["help-now"]),
    ("help_now", {"region": "au"}, ["help-now", "--region", "au"]),
    ("list_entries", {}, ["list"]),
    ("list_entries", {"kind": "substance", "class_name": "benzodiazepine"},
     ["list", "--class", "benzodiazepine"]),
    ("list_entries", {"kind": "class"}, ["classes"]),
    ("list_entries", {"kind": "topic"}, ["topics"]),
]
TOOLS = {"help_now", "ask", "is_class", "show", "compare", "mix", "related", "detection",
         "withdrawal", "naloxone", "legal", "search", "list_entries"}


@needs_subq
def test_every_tool_answers_as_the_cli_does(sdk, cli):
    async def scenario(client):
        listed = await client.list_tools()
        results = [await client.call_tool(name, args) for name, args, _ in SAME_AS_CLI]
        return listed, results

    listed, results = session(scenario)
    tools = {t.name: t for t in listed.tools}
    assert set(tools) == TOOLS
    assert {name for name, _, _ in SAME_AS_CLI} == TOOLS
    for tool in tools.values():
        assert len(tool.description) > 80 and tool.input_schema["type"] == "object"
        assert tool.annotations.read_only_hint is True
    for (name, args, cli_args), result in zip(SAME_AS_CLI, results, strict=True):
        where = f"{name}({args}) vs subq {' '.join(cli_args)}"
        assert not result.is_error, where
        expected = cli(*cli_args, "--json")
        assert expected.code == 0, expected.err
        assert result.structured_content == expected.json(), where
        text = result.content[0].text
        markdown = cli(*cli_args, "--format", "markdown").out
        assert text.startswith(markdown.rstrip("\n")), where
        assert "not medical advice" in text, where  # every text ends with the disclaimer
        doc = result.structured_content
        answer = doc.get("answer", doc)
        if answer["type"] not in ("list", "search", "related"):
            assert answer["sources"] and answer["disclaimer"], where


@needs_subq
def test_help_now_is_described_for_emergencies(sdk):
    async def scenario(client):
        return (await client.list_tools()), client.instructions

    listed, instructions = session(scenario)
    tool = next(t for t in listed.tools if t.name == "help_now")
    for words in ("overdose", "not breathing", "suicide", "self-harm", "first"):
        assert words in tool.description, words
    assert "help_now" in instructions and "sources" in instructions
    region = tool.input_schema["properties"]["region"]
    assert "uk" in region["description"] and "us" in region["description"]


BAD_CALLS: list[tuple[str, dict[str, Any], str]] = [
    ("is_class", {"name": "ketamien"}, "did you mean ketamine"),
    ("show", {"name": "china white"}, "can mean several things"),
    ("is_class", {"name": "ketamine", "class_name": "gizmoids"}, "no class named"),
    ("mix", {"names": ["fentanyl"]}, "at least 2"),
    ("mix", {"names": ["fentanyl", "fentanyl"]}, "two different"),
    ("mix", {"names": "fentanyl"}, "valid list"),
    ("compare", {"names": ["heroin", "opioid"]}, "classes with classes"),
    ("compare", {"names": [1, 2]}, "valid string"),
    ("show", {}, "required"),
    ("show", {"name": ""}, "at least 1"),
    ("show", {"name": "x" * 500}, "at most 200"),
    ("show", {"name": "\x1b[31mred\u202e"}, "no entry named"),
    ("search", {"query": "nmda", "limit": 0}, "greater than or equal to 1"),
    ("search", {"query": "nmda", "limit": "many"}, "valid integer"),
    ("detection", {"name": "fentanyl", "specimen": "toenail"}, "urine"),
    ("ask", {"question": "   "}, "needs a question"),
    ("list_entries", {"kind": "interaction"}, "substance"),
    ("list_entries", {"kind": "topic", "class_name": "opioid"}, "kind 'substance' only"),
    ("no_such_tool", {}, "Unknown tool"),
]


@needs_subq
def test_bad_arguments_are_error_results_and_the_server_keeps_answering(sdk, tmp_path):
    async def scenario(client):
        out = []
        for name, args, _ in BAD_CALLS:
            out.append(await client.call_tool(name, args))
        out.append(await client.call_tool("is_class", {"name": "fentanyl"}))
        return out

    log = tmp_path / "server-stderr.txt"
    results = session(scenario, errlog=log)
    for (name, args, words), result in zip(BAD_CALLS, results, strict=False):
        where = f"{name}({str(args)[:60]})"
        assert result.is_error, where
        assert words in result.content[0].text, (where, result.content[0].text)
        assert "\x1b" not in result.content[0].text and "\u202e" not in result.content[0].text
    not_found, ambiguous = results[0].structured_content, results[1].structured_content
    assert not_found["error"] == "not_found" and not_found["suggestions"][0] == "ketamine"
    assert ambiguous["error"] == "ambiguous"
    assert {"fentanyl", "heroin"} <= set(ambiguous["candidates"])
    assert results[3].structured_content is None  # the schema refused it: the SDK's error
    assert results[-1].structured_content["verdict"] == "yes"  # still answering
    assert "Traceback" not in log.read_text()


@needs_subq
def test_topics_are_resources(sdk, cli):
    from mcp.shared.exceptions import MCPError

    async def scenario(client):
        listed = await client.list_resources()
        templates = await client.list_resource_templates()
        topic = await client.read_resource("subq://topic/fentanyl-withdrawal-timeline")
        card = await client.read_resource("subq://substance/ketamine")
        errors = []
        for uri in ("subq://topic/fentanyl", "subq://topic/no-such-topic"):
            try:
                await client.read_resource(uri)
            except MCPError as exc:
                errors.append(str(exc))
        return listed, templates, topic, card, errors

    listed, templates, topic, card, errors = session(scenario)
    topics = cli("topics", "--json").json()["items"]
    assert {str(r.uri) for r in listed.resources} == {f"subq://topic/{t['id']}" for t in topics}
    assert {t.uri_template for t in templates.resource_templates} == {
        "subq://topic/{id}", "subq://substance/{id}", "subq://class/{id}"}
    assert topic.contents[0].text == cli("show", "fentanyl-withdrawal-timeline", "--format",
                                         "markdown").out
    assert topic.contents[0].mime_type == "text/markdown"
    assert card.contents[0].text.startswith("# Ketamine")
    assert len(errors) == 2 and "it is a substance" in errors[0]


@needs_subq
def test_knowledge_folders_and_region_as_the_cli_reads_them(sdk, cli):
    async def scenario(client):
        return (await client.call_tool("show", {"name": "gizmo"}),
                await client.call_tool("help_now", {}))

    gizmo, help_ = session(scenario, "--knowledge", str(FIXTURES / "pass"), "--region", "uk")
    assert not gizmo.is_error and gizmo.structured_content["entry"]["id"] == "gizmo"
    assert help_.structured_content["region"]["id"] == "uk"
    gizmo, help_ = session(scenario, env={"SUBQ_KNOWLEDGE_PATH": str(FIXTURES / "pass"),
                                          "SUBQ_REGION": "ie"})
    assert gizmo.structured_content == cli("show", "gizmo", "--json", "--knowledge",
                                           str(FIXTURES / "pass")).json()
    assert help_.structured_content["region"]["id"] == "ie"


@needs_subq
def test_json_text_option(sdk, cli):
    import json

    async def scenario(client):
        return await client.call_tool("mix", {"names": ["alcohol", "heroin"]})

    result = session(scenario, "--text", "json")
    assert json.loads(result.content[0].text) == cli("mix", "alcohol", "heroin", "--json").json()


def test_without_the_sdk_subq_mcp_exits_2_with_one_line(tmp_path):
    """The entry point in a fresh interpreter where `import mcp` fails, as without the extra."""
    import subprocess

    code = ("import sys; sys.modules['mcp'] = None; sys.argv = ['subq', 'mcp']; "
            "from substance_cli.__main__ import main; main()")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=tmp_path, timeout=60, stdin=subprocess.DEVNULL,
                       env={**os.environ, "SUBQ_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == 'subq: error: subq mcp needs the MCP SDK: pip install "subq[mcp]"\n'


def test_bad_options_exit_2_before_serving(sdk, cli, tmp_path):
    r = cli("mcp", "--region", "zz")
    assert r.code == 2 and "known regions: " in r.err and len(r.err.splitlines()) == 1
    r = cli("mcp", "--knowledge", str(tmp_path / "missing"))
    assert r.code == 2 and "not a readable folder" in r.err
    r = cli("mcp", "--text", "html")
    assert r.code == 2 and "markdown or json" in r.err


@needs_subq
@pytest.mark.slow
def test_a_thousand_calls_in_one_session_keep_memory_flat(sdk):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import anyio
        from mcp_memory import LIMIT_MIB, measure
    finally:
        sys.path.pop(0)
    r = anyio.run(measure, SUBQ, 1000, {"SUBQ_CACHE_DIR": os.environ["SUBQ_CACHE_DIR"]})
    assert r["calls"] == 1000 and r["error_results"] > 0
    if r["rss_end_mib"] is None:
        pytest.skip("no /proc here: memory not measured")
    # Growth over the 1,000 calls, after one warm-up call of each tool (which imports what
    # answers need and fills the small per-entry caches: a few MiB, reported by the script).
    assert r["rss_end_mib"] - r["rss_warm_mib"] <= LIMIT_MIB, r


def test_fuzzed_arguments_never_crash_the_server(sdk):
    """Free text in every argument, in-process through the SDK's client: always a result,
    an error result at worst, never an exception."""
    import anyio
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from mcp import Client

    from substance_cli.api import Knowledge
    from substance_cli.mcp_server import build_server

    kb = Knowledge.open()
    server = build_server(kb)
    text = st.text(max_size=60)
    calls = st.one_of(
        st.tuples(st.sampled_from(["is_class", "show", "related", "detection", "withdrawal",
                                   "naloxone", "legal"]), st.fixed_dictionaries({"name": text})),
        st.tuples(st.sampled_from(["compare", "mix"]),
                  st.fixed_dictionaries({"names": st.lists(text, max_size=4)})),
        st.tuples(st.just("ask"), st.fixed_dictionaries({"question": text})),
        st.tuples(st.just("search"), st.fixed_dictionaries({"query": text})),
        st.tuples(st.just("help_now"), st.fixed_dictionaries({"region": text})),
        st.tuples(st.sampled_from(sorted(TOOLS)),
                  st.dictionaries(st.sampled_from(["name", "names", "query", "region", "limit",
                                                   "kind", "class_name", "specimen"]),
                                  st.one_of(text, st.integers(), st.none(), st.lists(text)))),
    )

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(calls, min_size=1, max_size=8))
    def check(batch):
        async def main():
            async with Client(server) as client:
                for name, args in batch:
                    result = await client.call_tool(name, args)
                    assert result.content and result.content[0].text
                    if not result.is_error:
                        assert isinstance(result.structured_content, dict)
        anyio.run(main)

    try:
        check()
    finally:
        kb.close()
