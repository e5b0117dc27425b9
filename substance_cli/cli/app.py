"""The command line: wires arguments to the Python API and to one renderer.

No facts are decided here and nothing is formatted here; each command parses its arguments,
asks the API (`substance_cli.api.Knowledge`, the same one programs and `subq mcp` use) for
plain data, and hands that to `render.emit`.
"""


from typing import Annotated

import typer

from substance_cli import FORMAT_VERSION, __version__
from substance_cli.cli.session import open_knowledge
from substance_cli.common.errors import ExitCode
from substance_cli.render.emit import Format, emit

EPILOG = (
    "Exit codes: 0 answered; 1 with --quiet, the answer was not yes; 2 usage error; "
    "3 name not found (suggestions on stderr); 4 knowledge invalid; 70 internal error; "
    "74 output could not be written."
)

app = typer.Typer(
    name="subq",
    help="Offline, sourced answers about psychoactive substances.\n\n"
    "Try: subq is-opioid ketamine | subq compare heroin methadone | "
    "subq mix fentanyl alprazolam | subq ask \"how long does xanax stay in your system\" | "
    "subq help-now",
    epilog=EPILOG,
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _complete_substance(incomplete: str) -> list[str]:
    from substance_cli.cli.session import complete

    return complete(incomplete, ("substance",))


def _complete_any(incomplete: str) -> list[str]:
    from substance_cli.cli.session import complete

    return complete(incomplete, ("substance", "class", "topic"))


def _complete_class(incomplete: str) -> list[str]:
    from substance_cli.cli.session import complete

    return complete(incomplete, ("class",))


JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document (docs/json.md).")]
PlainOpt = Annotated[bool, typer.Option("--plain", help="Plain text: no colour, no boxes.")]
FormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format (default: rich on a terminal, "
                 "plain otherwise).", case_sensitive=False),
]
KnowledgeOpt = Annotated[
    list[str] | None,
    typer.Option("--knowledge", "-k", metavar="DIR",
                 help="Extra knowledge folder (repeatable); same ids replace shipped ones. "
                 "Also SUBQ_KNOWLEDGE_PATH."),
]
PagerOpt = Annotated[bool, typer.Option("--no-pager", help="Never page long answers.")]
QuietOpt = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="Print nothing; exit 0 if the answer is yes, else 1."),
]
Substance = Annotated[str, typer.Argument(help="Generic, brand or street name.", metavar="NAME",
                                          autocompletion=_complete_substance)]
Substances = Annotated[list[str], typer.Argument(help="Two or more names.", metavar="NAME...",
                                                 autocompletion=_complete_substance)]
AnyName = Annotated[str, typer.Argument(help="A substance, class or topic.", metavar="NAME",
                                        autocompletion=_complete_any)]
ClassName = Annotated[str, typer.Argument(help="A class: opioid, benzodiazepine, stimulant, "
                                          "narcotic, controlled-substance ...", metavar="CLASS",
                                          autocompletion=_complete_class)]


def _fmt(json_: bool, plain: bool, fmt: Format | None) -> Format | None:
    if json_:
        return Format.json
    if fmt:
        return fmt
    return Format.plain if plain else None


def _version(value: bool) -> None:
    if value:
        print(f"subq {__version__} (knowledge format {FORMAT_VERSION})")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version,
                                          is_eager=True, help="Show the version.")] = False,
) -> None:
    """Offline, sourced answers about psychoactive substances."""
    if ctx.invoked_subcommand is None:
        from substance_cli.cli.admin import guide

        guide()


@app.command("is")
def is_(name: Substance, class_name: ClassName, json_: JsonOpt = False,
        plain: PlainOpt = False, fmt: FormatOpt = None, quiet: QuietOpt = False,
        knowledge: KnowledgeOpt = None, no_pager: PagerOpt = False) -> None:
    """Is a substance a member of a class? Yes, no, atypical or antagonist.

    Example: subq is pregabalin opioid
    """
    answer = open_knowledge(knowledge).is_class(name, class_name)
    if quiet:
        raise typer.Exit(ExitCode.OK if answer["verdict"] == "yes" else ExitCode.NOT_YES)
    emit(answer, _fmt(json_, plain, fmt), no_pager)


@app.command("is-opioid")
def is_opioid(name: Substance, json_: JsonOpt = False, plain: PlainOpt = False,
              fmt: FormatOpt = None, quiet: QuietOpt = False, knowledge: KnowledgeOpt = None,
              no_pager: PagerOpt = False) -> None:
    """Is it an opioid? The answer, the facts behind it, its sources.

    Example: subq is-opioid ketamine
    """
    is_(name, "opioid", json_, plain, fmt, quiet, knowledge, no_pager)


@app.command()
def show(name: AnyName, json_: JsonOpt = False, plain: PlainOpt = False,
         fmt: FormatOpt = None, knowledge: KnowledgeOpt = None,
         no_pager: PagerOpt = False) -> None:
    """The whole card of a substance, class or topic.

    Example: subq show fentanyl-withdrawal-timeline
    """
    emit(open_knowledge(knowledge).show(name), _fmt(json_, plain, fmt), no_pager)


@app.command()
def compare(names: Substances, json_: JsonOpt = False, plain: PlainOpt = False,
            fmt: FormatOpt = None, knowledge: KnowledgeOpt = None,
            no_pager: PagerOpt = False) -> None:
    """Substances side by side, marking where they differ, with their interaction.

    Example: subq compare heroin methadone buprenorphine
    """
    emit(open_knowledge(knowledge).compare(names), _fmt(json_, plain, fmt), no_pager)


@app.command()
def related(name: AnyName, json_: JsonOpt = False, plain: PlainOpt = False,
            fmt: FormatOpt = None, knowledge: KnowledgeOpt = None,
            no_pager: PagerOpt = False) -> None:
    """Related topics and substances, each with the command that opens it.

    Example: subq related ketamine
    """
    emit(open_knowledge(knowledge).related(name), _fmt(json_, plain, fmt), no_pager)


@app.command("list")
def list_(class_name: Annotated[str | None, typer.Option(
              "--class", "-c", help="Only substances related to this class.",
              autocompletion=_complete_class)] = None,
          tier: Annotated[str | None, typer.Option(
              "--tier", help="Only full cards (card) or only legal-reference entries "
              "(reference: rows of the US schedules, legal facts only).")] = None,
          json_: JsonOpt = False, plain: PlainOpt = False, fmt: FormatOpt = None,
          knowledge: KnowledgeOpt = None, no_pager: PagerOpt = False) -> None:
    """Every substance, one per line (id, name), or the members of a class.

    Example: subq list --class benzodiazepine --tier card
    """
    emit(open_knowledge(knowledge).listing(class_name, tier), _fmt(json_, plain, fmt),
         no_pager)


@app.command()
def classes(json_: JsonOpt = False, plain: PlainOpt = False, fmt: FormatOpt = None,
            knowledge: KnowledgeOpt = None, no_pager: PagerOpt = False) -> None:
    """Every class, one per line.

    Example: subq classes
    """
    emit(open_knowledge(knowledge).list_kind("class"), _fmt(json_, plain, fmt), no_pager)


@app.command()
def topics(json_: JsonOpt = False, plain: PlainOpt = False, fmt: FormatOpt = None,
           knowledge: KnowledgeOpt = None, no_pager: PagerOpt = False) -> None:
    """Every topic, one per line.

    Example: subq topics
    """
    emit(open_knowledge(knowledge).list_kind("topic"), _fmt(json_, plain, fmt), no_pager)


@app.command()
def search(words: Annotated[list[str], typer.Argument(help="Words to look for.",
                                                      metavar="WORDS...")],
           limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=100)] = 10,
           json_: JsonOpt = False, plain: PlainOpt = False, fmt: FormatOpt = None,
           knowledge: KnowledgeOpt = None, no_pager: PagerOpt = False) -> None:
    """Ranked full-text search over all knowledge.

    Example: subq search nmda receptor
    """
    emit(open_knowledge(knowledge).search(" ".join(words), limit), _fmt(json_, plain, fmt),
         no_pager)


@app.command()
def mix(names: Substances, json_: JsonOpt = False, plain: PlainOpt = False,
        fmt: FormatOpt = None, knowledge: KnowledgeOpt = None,
        no_pager: PagerOpt = False) -> None:
    """Rate every pair: low risk, caution, unsafe, dangerous or unknown.

    Example: subq mix fentanyl alprazolam
    """
    emit(open_knowledge(knowledge).mix(names), _fmt(json_, plain, fmt), no_pager)


@app.command("interactions", hidden=False)
def interactions(names: Substances, json_: JsonOpt = False, plain: PlainOpt = False,
                 fmt: FormatOpt = None, knowledge: KnowledgeOpt = None,
                 no_pager: PagerOpt = False) -> None:
    """Same as `mix`: rate every pair of the named substances.

    Example: subq interactions alcohol ketamine
    """
    mix(names, json_, plain, fmt, knowledge, no_pager)


def _aspect(what: str, name: str, specimen: str | None, json_: bool, plain: bool,
            fmt: Format | None, knowledge: list[str] | None, no_pager: bool) -> None:
    kb = open_knowledge(knowledge)
    answer = kb.detection(name, specimen) if what == "detection" else getattr(kb, what)(name)
    emit(answer, _fmt(json_, plain, fmt), no_pager)


@app.command()
def detection(name: AnyName,
              specimen: Annotated[str | None, typer.Option(
                  "--specimen", "-s", help="urine, blood, saliva or hair.")] = None,
              json_: JsonOpt = False, plain: PlainOpt = False, fmt: FormatOpt = None,
              knowledge: KnowledgeOpt = None, no_pager: PagerOpt = False) -> None:
    """How long a substance (or each member of a class) shows up, by test type.

    Example: subq detection opioid --specimen urine
    """
    _aspect("detection", name, specimen, json_, plain, fmt, knowledge, no_pager)


@app.command()
def withdrawal(name: AnyName, json_: JsonOpt = False, plain: PlainOpt = False,
               fmt: FormatOpt = None, knowledge: KnowledgeOpt = None,
               no_pager: PagerOpt = False) -> None:
    """Withdrawal timeline and symptoms of a substance or class.

    Example: subq withdrawal fentanyl
    """
    _aspect("withdrawal", name, None, json_, plain, fmt, knowledge, no_pager)


@app.command()
def naloxone(name: Substance, json_: JsonOpt = False, plain: PlainOpt = False,
             fmt: FormatOpt = None, knowledge: KnowledgeOpt = None,
             no_pager: PagerOpt = False) -> None:
    """Does naloxone (Narcan) reverse it?

    Example: subq naloxone xylazine
    """
    _aspect("naloxone", name, None, json_, plain, fmt, knowledge, no_pager)


@app.command()
def legal(name: Substance, json_: JsonOpt = False, plain: PlainOpt = False,
          fmt: FormatOpt = None, knowledge: KnowledgeOpt = None,
          no_pager: PagerOpt = False) -> None:
    """US schedule, UK class and legal notes.

    Example: subq legal kratom
    """
    _aspect("legal", name, None, json_, plain, fmt, knowledge, no_pager)


@app.command()
def ask(words: Annotated[list[str], typer.Argument(help="The question, quoted or not.",
                                                 metavar="QUESTION...")],
        explain: Annotated[bool, typer.Option("--explain", help="Show which words decided "
                                              "the intent and the names.")] = False,
        region: Annotated[str | None, typer.Option("--region", "-r", help="For help lines "
                                                   "(or SUBQ_REGION).")] = None,
        json_: JsonOpt = False, plain: PlainOpt = False, fmt: FormatOpt = None,
        knowledge: KnowledgeOpt = None, no_pager: PagerOpt = False) -> None:
    """A question in plain English, answered by the matching command.

    Example: subq ask how long does xanax stay in your system
    """
    result = open_knowledge(knowledge, region).ask(" ".join(words), explain=explain)
    if json_ or fmt is Format.json:
        emit(result, Format.json)
    else:
        emit({"type": "ask", **result}, _fmt(json_, plain, fmt),
             no_pager or result["intent"] in ("help", "crisis"))
    # A name the knowledge lacks, or one meaning several drugs: exit 3, as `subq show` does.
    doc = result["answer"]
    if doc.get("type") == "clarify" and doc.get("reason") in ("unknown-name", "ambiguous"):
        raise typer.Exit(int(ExitCode.NOT_FOUND))


@app.command("help-now")
def help_now(region: Annotated[str | None, typer.Option(
                 "--region", "-r", help="us, uk, ca, ie, au, nz (or SUBQ_REGION).")] = None,
             json_: JsonOpt = False, plain: PlainOpt = False, fmt: FormatOpt = None,
             knowledge: KnowledgeOpt = None, no_pager: PagerOpt = False) -> None:
    """What to do in an overdose, then help lines for your region.

    Example: subq help-now --region uk
    """
    doc = open_knowledge(knowledge, region).help_now()
    if doc.get("warning"):  # an unknown region still gets the steps: warn, never fail
        import sys

        print(f"subq: warning: {doc['warning']}", file=sys.stderr)
    emit(doc, _fmt(json_, plain, fmt), True)


@app.command()
def mcp(region: Annotated[str | None, typer.Option(
            "--region", "-r", help="Default region for help lines (or SUBQ_REGION).")] = None,
        text: Annotated[str, typer.Option(
            "--text", help="What the model reads in each result: markdown (the answer as "
            "`--format markdown` draws it) or json (the `--json` document). The structured "
            "result is always the JSON.")] = "markdown",
        knowledge: KnowledgeOpt = None) -> None:
    """Serve the answers to an AI assistant: a Model Context Protocol server on stdio.

    Needs the MCP SDK: pip install "subq[mcp]". Add {"command": "subq", "args": ["mcp"]}
    to the assistant's mcpServers (docs/mcp.md).

    Example: subq mcp --region uk
    """
    from substance_cli.cli.session import serve_mcp

    serve_mcp(knowledge, region, text)


@app.command()
def validate(dirs: Annotated[list[str] | None, typer.Argument(
                 help="Knowledge folders (default: every folder in use).",
                 metavar="DIR...")] = None,
             json_: JsonOpt = False,
             max_age: Annotated[int, typer.Option(
                 "--max-age", help="Warn when facts were last checked more than this many "
                 "days ago.")] = 730) -> None:
    """Check knowledge files; report every problem as path:line:column: CODE message.

    Example: subq validate ./my-clinic-knowledge
    """
    from substance_cli.cli.admin import run_validate

    raise typer.Exit(run_validate(dirs or [], json_, max_age))


@app.command()
def info(json_: JsonOpt = False, knowledge: KnowledgeOpt = None) -> None:
    """Where the knowledge and the index are, and how much the knowledge holds.

    Example: subq info
    """
    from substance_cli.cli.admin import print_info

    print_info(open_knowledge(knowledge).info(), json_)


@app.command()
def schema(kind: Annotated[str, typer.Argument(
               help="substance, class, topic, interaction, resource, source or names.",
               metavar="KIND")]
           = "substance") -> None:
    """Print the JSON Schema of one kind of knowledge file, for editors.

    Example: subq schema substance > substance.schema.json
    """
    from substance_cli.cli.admin import print_schema

    print_schema(kind)


new_app = typer.Typer(help="Start a new knowledge file from a commented template.\n\n"
                      "Example: subq new substance \"Clinic Drug\"", no_args_is_help=True)
app.add_typer(new_app, name="new")


@new_app.command("substance")
def new_substance(
    name: Annotated[str, typer.Argument(help="Display name, e.g. \"Clinic Drug\".",
                                        metavar="NAME")],
    folder: Annotated[str, typer.Option("--dir", "-d", help="Knowledge folder to write "
                                        "into (default: the current folder).")] = ".",
) -> None:
    """Write substances/<id>.yaml with every field explained; fill the TODOs, then validate.

    Example: subq new substance "Clinic Drug" --dir ./my-knowledge
    """
    from pathlib import Path

    from substance_cli.kb.templates import new_substance as write

    path = write(name, Path(folder))
    print(f"wrote {path}; fill in the TODOs, then run: subq validate {folder}")
