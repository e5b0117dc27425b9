"""subq as a Model Context Protocol server (`subq mcp`, stdio): the same sourced answers for
an AI assistant, through the official MCP Python SDK (`pip install "subq[mcp]"`).

Every tool is one method of the Python API (`substance_cli.api.Knowledge`), so a tool's
structured result is exactly the `--json` document of the matching command (docs/json.md),
sources, review status and disclaimer included. Its text content is the same answer drawn
as Markdown (numbered sources and the disclaimer at the end): what the model reads, at about
60% of the JSON's length. Topics (and any card) are also resources, `subq://topic/{id}`.

A bad argument or an unknown name is an error *result* (`isError`), with the message and the
suggestions, never a crash of the server. Only `subq mcp` imports this module, and only this
module imports `mcp`: the plain install and every other command never pay for the SDK.
docs/mcp.md describes the tools and how to add the server to an assistant.
"""

# No `from __future__ import annotations` here: the SDK reads each tool's annotations at
# registration, and some of them (the region list) are built inside `build_server`.
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from substance_cli import JSON_VERSION, __version__
from substance_cli.common.errors import SubqError, UsageError

if TYPE_CHECKING:
    from substance_cli.api import Knowledge

TextFormat = Literal["markdown", "json"]

INSTRUCTIONS = """\
subq answers questions about psychoactive substances (medicines, alcohol, illicit and new
drugs) from an offline knowledge base in which every fact cites its sources. It serves people
in or near recovery, their families, clinicians and harm-reduction workers.

- If anything suggests someone may be in danger now (an overdose, not breathing or breathing
  very slowly, cannot be woken, blue or grey lips, a seizure, thoughts of suicide or
  self-harm), call `help_now` first and give the emergency number and first steps before
  anything else.
- Every answer has numbered `sources` and a `disclaimer`: cite the sources you rely on and
  pass the disclaimer on. Do not add facts the answer does not hold; say what it leaves open.
- Names may be generic, brand or street names ("Lyrica", "special k"). An unknown or ambiguous
  name returns an error with suggestions or candidates: ask which one was meant.
- Where an answer lists a command such as `subq show fentanyl-withdrawal-timeline`, the
  `show` tool with that name opens it (also the resource subq://topic/{id}).
- `ask` takes a whole question in plain English; the other tools are for when you know what
  is asked.
"""

_SOURCED = (" The result cites numbered sources and ends with a disclaimer (information, "
            "not medical advice): pass both on.")
_READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True,
                             open_world_hint=False)

Name = Annotated[str, Field(min_length=1, max_length=200, description=(
    "A generic, brand or street name, e.g. 'ketamine', 'Lyrica', 'special k', 'Narcan'."))]
AnyName = Annotated[str, Field(min_length=1, max_length=200, description=(
    "A substance (generic, brand or street name), a class (e.g. 'opioid', "
    "'benzodiazepine') or a topic id (e.g. 'fentanyl-withdrawal-timeline')."))]
SubjectName = Annotated[str, Field(min_length=1, max_length=200, description=(
    "A substance (generic, brand or street name) or a class, e.g. 'fentanyl', 'opioid'."))]
ClassName = Annotated[str, Field(min_length=1, max_length=200, description=(
    "A class: opioid, benzodiazepine, stimulant, narcotic, controlled-substance, ..."))]
Names = Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(
    min_length=2, max_length=10, description=(
        "Two to ten substance names (generic, brand or street), or classes; "
        "e.g. ['fentanyl', 'alprazolam'] or ['alcohol', 'benzodiazepine']."))]
Specimen = Annotated[Literal["urine", "blood", "saliva", "hair", "breath", "sweat"] | None,
                     Field(description="Only this kind of test; leave out for all.")]


def _region_help(regions: list[str]) -> str:
    return ("Region for help lines: " + ", ".join(regions)
            + ". Leave out for the server's default (--region or SUBQ_REGION, else us).")


class Answers:
    """Turns API calls into MCP results: the answer as text and as structured content, or an
    error result carrying the typed error."""

    def __init__(self, kb: "Knowledge", text: TextFormat = "markdown"):
        self.kb = kb
        self.text = text

    def render(self, doc: dict[str, Any]) -> str:
        """The answer as the text the model reads: Markdown (default) or the JSON itself.

        Lists, search hits and related entries state no facts, so their JSON has no sources
        and no disclaimer; the text still ends with the disclaimer, so that whatever the
        model quotes from subq comes with it.
        """
        from substance_cli.render.emit import to_json

        if self.text == "json":
            return to_json(doc)
        from substance_cli.render.blocks import build
        from substance_cli.render.markdown import markdown

        text = markdown(build({"type": "ask", **doc} if "intent" in doc else doc))
        if not (doc.get("disclaimer") or (doc.get("answer") or {}).get("disclaimer")):
            from substance_cli.answers.base import DISCLAIMER

            text += f"\n_{DISCLAIMER}_\n"
        return text

    def result(self, call: Callable[[], dict[str, Any]]) -> CallToolResult:
        """Run one API call; an error a user can act on becomes an `isError` result."""
        try:
            doc = call()
        except SubqError as exc:
            return error_result(exc)
        return CallToolResult(content=[TextContent(type="text", text=self.render(doc))],
                              structured_content=doc)


def error_result(exc: SubqError) -> CallToolResult:
    """An `isError` result: the one-line message (with what to try) for the model, and the
    error as data (`{"error", "message", "suggestions", ...}`) for programs."""
    from substance_cli.common.text import clean

    text = clean(exc.message)
    if exc.suggestions and not any(s in text for s in exc.suggestions[:1]):
        text += f" (try: {', '.join(exc.suggestions[:5])})"
    return CallToolResult(content=[TextContent(type="text", text=text)],
                          structured_content={"version": JSON_VERSION} | exc.as_dict(),
                          is_error=True)


def build_server(kb: "Knowledge", text: TextFormat = "markdown") -> MCPServer:
    """An MCP server answering from `kb`: one tool per answer, topics as resources."""
    answers = Answers(kb, text)
    result = answers.result
    regions = kb.regions()
    Region = Annotated[str | None, Field(max_length=40, description=_region_help(regions))]
    server: MCPServer = MCPServer(
        name="subq", title="subq: sourced answers about psychoactive substances",
        version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")

    def tool(title: str, description: str) -> Callable[[Callable[..., Any]], Any]:
        return server.tool(title=title, description=description, annotations=_READ_ONLY)

    # Tools are coroutines so that they run on the server's own thread: the knowledge holds
    # one SQLite connection, and each answer takes about a millisecond.

    @tool("Emergency: overdose steps and help lines", (
        "EMERGENCY HELP. Call this first, before any other tool, whenever a message suggests "
        "someone may be in danger now: an overdose or possible overdose, someone not "
        "breathing or breathing very slowly, unresponsive or cannot be woken, blue or grey "
        "lips, a seizure after taking something; or thoughts of suicide or self-harm; or a "
        "request for a crisis line, help line or treatment. Returns the region's emergency "
        "number, what to do in an opioid overdose (call for help, give naloxone, support "
        "breathing, recovery position, stay with them) and help lines, including crisis "
        "lines. Tell the person the emergency number and the first steps straight away."
        + _SOURCED))
    async def help_now(region: Region = None) -> CallToolResult:
        return result(lambda: kb.help_now(region))

    @tool("Ask a question in plain English", (
        "Answer a plain-English question about a psychoactive substance or medicine, e.g. "
        "'is lyrica an opioid', 'how long does xanax stay in your system', 'can I mix "
        "tramadol and alcohol', 'dual diagnosis vs co-occurring disorders'. The question is "
        "routed to the matching answer (verdict, comparison, interaction, detection, "
        "withdrawal, naloxone, legal status, a topic, or search); `intent` says which and "
        "`answer` holds it. Emergency wording returns the help_now answer (`emergency`: "
        "true)." + _SOURCED))
    async def ask(question: Annotated[str, Field(min_length=1, max_length=2000, description=(
                      "The question, in the asker's words."))],
                  region: Region = None) -> CallToolResult:
        return result(lambda: kb.ask(question, region, explain=True))

    @tool("Is a substance in a drug class?", (
        "Is a substance a member of a class (opioid, benzodiazepine, stimulant, narcotic, "
        "controlled-substance, ...)? `verdict` is yes, no, atypical (acts on the class's "
        "targets without being classed as one, e.g. kratom) or antagonist (blocks them, "
        "e.g. naloxone), with the reason, key facts (class, main action, US schedule, "
        "whether naloxone reverses it) and nuances." + _SOURCED))
    async def is_class(name: Name, class_name: ClassName = "opioid") -> CallToolResult:
        return result(lambda: kb.is_class(name, class_name))

    @tool("Card of a substance, class or topic", (
        "The whole card of a substance (names, classes, mechanism, uses, onset and "
        "duration, legal status, risks, naloxone, detection windows, withdrawal, dangerous "
        "combinations), of a class (definition, members) or of a topic (an article, e.g. "
        "'fentanyl-withdrawal-timeline'). `type` says which." + _SOURCED))
    async def show(name: AnyName) -> CallToolResult:
        return result(lambda: kb.show(name))

    @tool("Compare substances side by side", (
        "Two or more substances (or two or more classes) side by side: class, action, "
        "schedule, risks, detection, withdrawal, marking the rows that differ, with the "
        "rated interaction of every pair. E.g. heroin vs methadone vs buprenorphine."
        + _SOURCED))
    async def compare(names: Names) -> CallToolResult:
        return result(lambda: kb.compare(names))

    @tool("Risk of mixing substances", (
        "How risky is it to take these together? Rates every pair as dangerous, unsafe, "
        "caution, low-risk or unknown (unknown never means safe), worst first, with what "
        "happens, what to watch for, the rule that applied and its evidence. Use for any "
        "question about combining drugs, medicines or alcohol." + _SOURCED))
    async def mix(names: Names) -> CallToolResult:
        return result(lambda: kb.mix(names))

    @tool("Related topics and substances", (
        "Topics and substances related to an entry, each with why and the name to open it "
        "with the show tool." + _SOURCED.replace("cites numbered sources and ", "")))
    async def related(name: AnyName) -> CallToolResult:
        return result(lambda: kb.related(name))

    @tool("Detection windows (drug tests)", (
        "How long a substance, or each member of a class, can be detected, by kind of test "
        "(urine, blood, saliva, hair, ...), with the topic written about it." + _SOURCED))
    async def detection(name: SubjectName, specimen: Specimen = None) -> CallToolResult:
        return result(lambda: kb.detection(name, specimen))

    @tool("Withdrawal timeline and symptoms", (
        "When withdrawal from a substance (or each member of a class) starts, peaks and "
        "ends, and its symptoms and dangers." + _SOURCED))
    async def withdrawal(name: SubjectName) -> CallToolResult:
        return result(lambda: kb.withdrawal(name))

    @tool("Does naloxone (Narcan) reverse it?", (
        "Whether naloxone reverses an overdose of this substance (yes, partly, no), and what "
        "to do when it does not. In an emergency call help_now first." + _SOURCED))
    async def naloxone(name: SubjectName) -> CallToolResult:
        return result(lambda: kb.naloxone(name))

    @tool("Legal status", (
        "US federal schedule, whether it counts as a narcotic in US law, UK class and legal "
        "notes for a substance (or each member of a class)." + _SOURCED))
    async def legal(name: SubjectName) -> CallToolResult:
        return result(lambda: kb.legal(name))

    @tool("Full-text search", (
        "Ranked full-text search over every substance, class and topic, for questions the "
        "other tools do not fit. Each hit has an id to open with the show tool."))
    async def search(query: Annotated[str, Field(min_length=1, max_length=500, description=(
                         "Words to look for, e.g. 'nmda receptor'."))],
                     limit: Annotated[int, Field(ge=1, le=50, description=(
                         "How many hits, best first."))] = 10) -> CallToolResult:
        return result(lambda: kb.search(query, limit))

    @tool("List substances, classes, topics or regions", (
        "Every entry of one kind, as id and name: substances (optionally only those related "
        "to a class, with their verdict), classes, topics, or regions with help lines."))
    async def list_entries(
            kind: Annotated[Literal["substance", "class", "topic", "region"], Field(
                description="What to list.")] = "substance",
            class_name: Annotated[str | None, Field(max_length=200, description=(
                "With kind 'substance': only substances related to this class."))] = None,
            tier: Annotated[Literal["card", "reference"] | None, Field(description=(
                "With kind 'substance': only full cards, or only legal-reference entries "
                "(rows of the US schedules that hold legal facts only)."))] = None,
    ) -> CallToolResult:
        if kind == "substance":
            return result(lambda: kb.listing(class_name, tier))
        if class_name is not None or tier is not None:
            return error_result(UsageError("class_name and tier go with kind 'substance' only"))
        return result(lambda: kb.list_kind("resource" if kind == "region" else kind))

    _add_resources(server, answers)
    return server


def _add_resources(server: MCPServer, answers: Answers) -> None:
    """Every topic as a listed resource, and templates for any topic, substance or class."""
    from mcp.server.mcpserver.resources import FunctionResource

    kb = answers.kb
    mime = "application/json" if answers.text == "json" else "text/markdown"

    def reader(kind: str) -> Callable[[str], Any]:
        async def read(id: str) -> str:  # noqa: A002 - the URI template's variable
            try:
                doc = kb.show(id)
            except SubqError as exc:
                raise ResourceNotFoundError(exc.message) from None
            if doc["type"] != kind and not (kind == "substance" and doc["type"] == "product"):
                raise ResourceNotFoundError(f"no {kind} named {id!r}; it is a {doc['type']}")
            return answers.render(doc)

        read.__name__ = f"read_{kind}"
        return read

    for kind, what in (("topic", "A topic: an article with its sections and sources."),
                       ("substance", "The card of a substance (as the show tool)."),
                       ("class", "The card of a class (as the show tool).")):
        server.resource(f"subq://{kind}/{{id}}", name=kind, title=f"subq {kind}",
                        description=what, mime_type=mime)(reader(kind))
    read_topic = reader("topic")
    for ident, title in kb.store.listing("topic"):
        server.add_resource(FunctionResource(
            uri=f"subq://topic/{ident}", name=ident, title=title, mime_type=mime,
            description=f"Topic: {title}", fn=_bound(read_topic, ident)))


def _bound(read: Callable[[str], Any], ident: str) -> Callable[[], Any]:
    async def read_one() -> str:
        return await read(ident)

    return read_one


def serve(kb: "Knowledge", text: TextFormat = "markdown") -> None:
    """Answer MCP requests on stdin/stdout until the client closes the connection."""
    build_server(kb, text).run("stdio")
