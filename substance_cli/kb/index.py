"""The compiled knowledge index: YAML is parsed once, answers read SQLite.

A question costs a few indexed look-ups whether the knowledge holds a hundred entries or ten
thousand. The index is rebuilt when any knowledge file changes (path, size, mtime), or the
package or format version does; it is written to a temporary file and renamed into place, so a
crash, an interrupt or a second process never leaves a half-written index behind. When the
cache folder cannot be written, or the index turns out to be damaged, the index is built in
memory instead and the answer is still correct.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from substance_cli import FORMAT_VERSION, __version__
from substance_cli.common.text import fold
from substance_cli.common.words import SCHEDULES
from substance_cli.kb.files import FileInfo, list_files, scan_summary

if TYPE_CHECKING:
    from substance_cli.kb.loader import KnowledgeSet

ENV_CACHE = "SUBQ_CACHE_DIR"
MAX_SEARCH_WORDS = 32
INDEX_VERSION = 13
_CODE_VERSION = (f"{__version__}|{FORMAT_VERSION}|{INDEX_VERSION}|"
                 f"{sys.version_info[0]}.{sys.version_info[1]}")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE entries (kind TEXT, id TEXT, name TEXT, path TEXT, tier TEXT, data TEXT,
                      PRIMARY KEY (kind, id));
CREATE TABLE names (norm TEXT, kind TEXT, id TEXT, type TEXT, label TEXT);
CREATE TABLE aliases (id TEXT, data TEXT);
CREATE TABLE relations (substance TEXT, class TEXT, relation TEXT, name TEXT);
CREATE TABLE legal (substance TEXT PRIMARY KEY, us_schedule TEXT, us_narcotic INTEGER);
CREATE TABLE links (src_kind TEXT, src_id TEXT, dst TEXT, why TEXT, name TEXT);
CREATE TABLE ingredients (product TEXT, substance TEXT);
CREATE TABLE pairs (a TEXT, b TEXT, data TEXT);
CREATE TABLE sources (key TEXT PRIMARY KEY, data TEXT);
CREATE TABLE problems (path TEXT, line INTEGER, col INTEGER, code TEXT, message TEXT);
CREATE TABLE parsed (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, payload TEXT);
CREATE VIRTUAL TABLE fts USING fts5(kind UNINDEXED, id UNINDEXED, name, lead, target, action,
    facts, body, tokenize = 'porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE fts_main USING fts5(name, lead, target, action,
    tokenize = 'porter unicode61 remove_diacritics 2');
CREATE TABLE search_boost (rowid INTEGER PRIMARY KEY, boost REAL);
"""
_INDEXES = """
CREATE INDEX names_norm ON names (norm);
CREATE INDEX aliases_id ON aliases (id);
CREATE INDEX relations_class ON relations (class, relation, substance, name);
CREATE INDEX relations_substance ON relations (substance);
CREATE INDEX links_dst ON links (dst);
CREATE INDEX ingredients_substance ON ingredients (substance);
CREATE INDEX pairs_ab ON pairs (a, b);
"""


def _dump(value: Any) -> str:
    """Serialise a record for the index as JSON: readable with any SQLite tool, and not tied
    to one Python version (marshal was ~1-2 ms faster per answer; docs/performance.md)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _load(text: str | bytes) -> Any:
    return json.loads(text)


def cache_dir() -> Path:
    """Where the index lives: SUBQ_CACHE_DIR, else the platform's user cache folder.

    The three common platforms are worked out here, exactly as platformdirs does
    (`user_cache_dir("subq", appauthor=False)`), because importing platformdirs costs every
    answer about 3.5 ms (it imports tempfile and random); other platforms ask it.
    """
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env).expanduser()
    if sys.platform.startswith("linux") or sys.platform == "darwin":
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        if os.path.isabs(xdg):
            return Path(xdg) / "subq"
        home = "~/.cache" if sys.platform != "darwin" else "~/Library/Caches"
        return Path(os.path.expanduser(home)) / "subq"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA", "").strip():
        return Path(os.path.normpath(os.environ["LOCALAPPDATA"])) / "subq" / "Cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("subq", appauthor=False))


def fingerprint(roots: list[Path], summary: tuple[int, ...] | None = None) -> str:
    """Changes whenever a knowledge file or folder, a root, the package or format does.

    `summary` is the file scan (`files.scan_summary`) when the caller already has it for
    exactly these roots (the entry point may compute it on a second core: cli/prescan.py).
    """
    from zlib import crc32

    roots_text = "\0".join(os.path.realpath(r) for r in roots)
    if summary is None:
        summary = scan_summary(roots)
    sums = "|".join(map(str, summary))
    return f"{_CODE_VERSION}|{crc32(roots_text.encode())}|{sums}"


class Store:
    """Read access to the compiled index, rebuilding it when needed."""

    def __init__(self, roots: list[Path], *, summary: tuple[int, ...] | None = None,
                 progress: Callable[[str, int, int], None] | None = None):
        self.roots = roots
        self.progress = progress
        self.fingerprint = fingerprint(roots, summary)
        self._files: list[FileInfo] | None = None
        self.location: str = ":memory:"
        self.rebuilt = False
        self._memo: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._whole: dict[str, dict[str, dict[str, Any]]] = {}
        self.db = self._open()

    # -- opening and building -------------------------------------------------------------

    @property
    def files(self) -> list[FileInfo]:
        """The knowledge files, listed only when the index has to be (re)built."""
        if self._files is None:
            self._files = list_files(self.roots)
        return self._files

    def _index_path(self) -> Path:
        from zlib import adler32, crc32

        text = "|".join(os.path.realpath(r) for r in self.roots).encode()
        return cache_dir() / f"index-{crc32(text):08x}{adler32(text):08x}.sqlite"

    def _open(self) -> sqlite3.Connection:
        path = self._index_path()
        if path.is_file():
            try:
                db = _connect_ro(path)
                row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
                if row and row[0] == self.fingerprint:
                    self.location = str(path)
                    return db
                db.close()
            except sqlite3.DatabaseError:
                pass  # damaged or foreign: rebuilt below
        return self._rebuild(path)

    def _load_knowledge(self, previous: Path | None = None) -> tuple[KnowledgeSet, dict[str, Any]]:
        """Load the knowledge, reusing per-file results of `previous` index where unchanged."""
        from substance_cli.kb.loader import load

        parsed: dict[str, Any] = {}
        ks = load(self.roots, files=self.files, cache=_previous_parse(previous),
                  parsed_out=parsed, progress=self.progress)
        return ks, parsed

    def _rebuild(self, path: Path, reuse: bool = True) -> sqlite3.Connection:
        """Build a new index file and rename it into place; in memory if that fails."""
        self.rebuilt = True
        ks, parsed = self._load_knowledge(path if reuse else None)
        tmp_name = None
        db = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            import tempfile

            fd, tmp_name = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=path.parent)
            os.close(fd)
            db = sqlite3.connect(tmp_name)
            _fill(db, ks, self.fingerprint, self.progress, parsed)
            db.close()
            db = None
            os.replace(tmp_name, path)
            tmp_name = None
            self.location = str(path)
            return _connect_ro(path)
        except (OSError, sqlite3.Error):
            # Unwritable cache folder, full disk, ...: answer from memory this time.
            memory = sqlite3.connect(":memory:")
            _fill(memory, ks, self.fingerprint, None)
            self.location = ":memory:"
            return memory
        finally:
            if db is not None:
                with contextlib.suppress(sqlite3.Error):
                    db.close()
            if tmp_name:
                for leftover in (tmp_name, tmp_name + "-journal"):
                    with contextlib.suppress(OSError):
                        os.unlink(leftover)

    def _query(self, sql: str, args: tuple[Any, ...] = (),
               decode: tuple[int, ...] = ()) -> list[Any]:
        """Rows of a query, with the columns in `decode` turned back into records.

        Damage SQLite reports (a bad page) and damage it cannot see (a record's bytes changed)
        are handled alike: the index is built again, from the YAML files, and the query is
        answered from the new one.
        """
        for attempt in (1, 2):
            try:
                rows = self.db.execute(sql, args).fetchall()
                if decode:
                    rows = [tuple(_load(v) if i in decode else v for i, v in enumerate(r))
                            for r in rows]
                return rows
            except (sqlite3.DatabaseError, ValueError, EOFError, TypeError):
                if attempt == 2:
                    raise
                self._memo.clear()
                self._whole.clear()
                with contextlib.suppress(sqlite3.Error):
                    self.db.close()
                self.db = self._rebuild(self._index_path(), reuse=False)
        raise AssertionError("unreachable")

    # -- reading --------------------------------------------------------------------------

    def get(self, kind: str, ident: str) -> dict[str, Any] | None:
        """One entry's record; remembered, because one answer asks for some entries twice."""
        key = (kind, ident)
        if key not in self._memo:
            rows = self._query("SELECT data FROM entries WHERE kind = ? AND id = ?", key, (0,))
            self._memo[key] = rows[0][0] if rows else None
        return self._memo[key]

    def get_many(self, kind: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._query(f"SELECT id, data FROM entries WHERE kind = ? AND id IN ({marks})",
                           (kind, *ids), (1,))
        return dict(rows)

    def all_of(self, kind: str) -> dict[str, dict[str, Any]]:
        """Every entry of a kind (classes, topics: the few kinds read whole); remembered."""
        if kind not in self._whole:
            self._whole[kind] = dict(self._query(
                "SELECT id, data FROM entries WHERE kind = ? ORDER BY id", (kind,), (1,)))
        return self._whole[kind]

    def listing(self, kind: str) -> list[tuple[str, str]]:
        """(id, name) of every entry of a kind, sorted by name."""
        return [(i, n) for i, n, _ in self.tiered_listing(kind)]

    def tiered_listing(self, kind: str, tier: str | None = None) -> list[tuple[str, str, str]]:
        """(id, name, tier) of every entry of a kind, or of one tier, sorted by name."""
        where, args = ("kind = ?", (kind,)) if tier is None else \
            ("kind = ? AND tier = ?", (kind, tier))
        return [(i, n, t) for i, n, t in self._query(
            f"SELECT id, name, tier FROM entries WHERE {where} ORDER BY name COLLATE NOCASE",
            args)]

    def aliases_of(self, ident: str) -> list[dict[str, Any]]:
        """The items of `names/` files (brand and street-name lists) that name `ident`."""
        return [r[0] for r in self._query("SELECT data FROM aliases WHERE id = ? ORDER BY rowid",
                                          (ident,), (0,))]

    def lookup(self, norm: str) -> list[tuple[str, str, str, str]]:
        """(kind, id, type, label) of every entry that has the folded name `norm`."""
        return self._query("SELECT kind, id, type, label FROM names WHERE norm = ?", (norm,))

    def names(self, kinds: tuple[str, ...] = ("substance", "class", "topic")) \
            -> list[tuple[str, str, str]]:
        """(norm, kind, id) of every name, for fuzzy suggestions and completion."""
        marks = ",".join("?" * len(kinds))
        return self._query(f"SELECT norm, kind, id FROM names WHERE kind IN ({marks})", kinds)

    def one_word_names(self, kinds: tuple[str, ...], shortest: int, longest: int) \
            -> list[tuple[str, str, str]]:
        """(norm, kind, id) of one-word names `shortest` to `longest` characters long: `ask`
        matches a misspelt word only against names about as long as it."""
        marks = ",".join("?" * len(kinds))
        return self._query(f"SELECT norm, kind, id FROM names WHERE kind IN ({marks}) AND "
                           "length(norm) BETWEEN ? AND ? AND instr(norm, ' ') = 0",
                           (*kinds, shortest, longest))

    def names_starting(self, prefix: str, limit: int = 200) -> list[tuple[str, str]]:
        """(label, kind) of names that start with `prefix`, for shell completion."""
        hi = prefix + "\U0010ffff"
        return self._query("SELECT DISTINCT label, kind FROM names WHERE norm >= ? AND norm < ? "
                           "AND type IN ('id', 'name', 'generic', 'brand', 'plural', 'alias') "
                           "ORDER BY norm LIMIT ?", (prefix, hi, limit))

    def relations_to(self, classes: list[str]) -> list[tuple[str, str, str]]:
        """(substance, class, relation) for every substance related to one of `classes`."""
        if not classes:
            return []
        marks = ",".join("?" * len(classes))
        return self._query(f"SELECT substance, class, relation FROM relations "
                           f"WHERE class IN ({marks})", tuple(classes))

    def members_named(self, classes: list[str], exclude: str, limit: int) \
            -> list[tuple[str, str, str]]:
        """(id, name, class) of up to `limit` members of `classes`, by id (the index order, so
        a class of thousands is not sorted on every answer): class siblings."""
        if not classes:
            return []
        marks = ",".join("?" * len(classes))
        return self._query(
            f"SELECT substance, name, class FROM relations WHERE class IN ({marks}) "
            f"AND relation = 'member' AND substance != ? ORDER BY substance LIMIT ?",
            (*classes, exclude, limit))

    def legal_members(self, column: str) -> list[str]:
        """Substances a derived class counts: scheduled (us_schedule) or narcotic."""
        if column == "us_narcotic":
            rows = self._query("SELECT substance FROM legal WHERE us_narcotic = 1")
        else:
            marks = ",".join("?" * len(SCHEDULES))
            rows = self._query(f"SELECT substance FROM legal WHERE us_schedule IN ({marks})",
                               SCHEDULES)
        return [r[0] for r in rows]

    def links_to(self, ident: str, limit: int = 1000) -> list[tuple[str, str, str, str]]:
        """(kind, id, why, name) of up to `limit` entries whose `related` or `about` points at
        `ident`: topics first, then by name."""
        return self._query(
            "SELECT src_kind, src_id, why, name FROM links WHERE dst = ? "
            "ORDER BY src_kind != 'topic', name COLLATE NOCASE LIMIT ?", (ident, limit))

    def products_with(self, substance: str) -> list[str]:
        return [r[0] for r in self._query(
            "SELECT product FROM ingredients WHERE substance = ?", (substance,))]

    def pairs(self, a: str, b: str) -> list[dict[str, Any]]:
        rows = self._query("SELECT data FROM pairs WHERE (a = ? AND b = ?) OR (a = ? AND b = ?)",
                           (a, b, b, a), (0,))
        return [r[0] for r in rows]

    def pairs_involving(self, ids: list[str]) -> list[dict[str, Any]]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._query(f"SELECT data FROM pairs WHERE a IN ({marks}) OR b IN ({marks})",
                           (*ids, *ids), (0,))
        return [r[0] for r in rows]

    def sources(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        rows = self._query(f"SELECT key, data FROM sources WHERE key IN ({marks})", tuple(keys),
                           (1,))
        return dict(rows)

    def search(self, text: str, limit: int = 10) -> list[tuple[str, str, str, str]]:
        """(kind, id, name, snippet) ranked by BM25; `text` is matched word by word."""
        # Each distinct word once, and no more than MAX_SEARCH_WORDS: the ranking cost grows
        # with the square of the terms, and a pasted paragraph must not take seconds.
        words = list(dict.fromkeys(w for w in fold(text).split() if w))[:MAX_SEARCH_WORDS]
        if not words:
            return []
        quoted = ['"' + w.replace('"', "") + '"' for w in words]
        any_word = " OR ".join(quoted)
        snips = ", ".join(f"snippet(fts, {c}, '{_MARK}', '', ' … ', 12)" for c in (3, 5, 6, 7))
        sql = (f"SELECT fts.kind, fts.id, fts.name, {snips} "
               "FROM fts LEFT JOIN (SELECT rowid AS r, bm25(fts_main, "
               f"{_MAIN_WEIGHTS}) AS s FROM fts_main WHERE fts_main MATCH ?) AS m "
               "ON m.r = fts.rowid LEFT JOIN search_boost AS b ON b.rowid = fts.rowid "
               "WHERE fts MATCH ? "
               f"ORDER BY bm25(fts, 0, 0, {_WEIGHTS}) + {_MAIN_SHARE} * coalesce(m.s, 0) "
               f"- {_BOOST_SHARE} * coalesce(b.boost, 0) LIMIT ?")
        # Entries holding every word first; then any word, so a typo'd extra word still helps.
        # (The main-fields score is computed only for rows holding every word there: over
        # every row holding any word it cost ~10 ms at 10,000 entries; docs/performance.md.)
        every_word = " AND ".join(quoted)
        rows = self._query(sql, (every_word, every_word, limit))
        if len(rows) < limit and len(quoted) > 1:
            seen = {(r[0], r[1]) for r in rows}
            rows += [r for r in self._query(sql, (any_word, any_word, limit))
                     if (r[0], r[1]) not in seen][: limit - len(rows)]
        return [(k, i, n.split("\n", 1)[0], _best_snippet(snippets))
                for k, i, n, *snippets in rows]

    def has_term(self, word: str) -> bool:
        """True when `word` (or a word with its stem) appears anywhere in the knowledge:
        `ask` uses it to tell real words from misspelt or unknown names."""
        word = fold(word).replace('"', "")
        if not word:
            return False
        return bool(self._query("SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1",
                                (f'"{word}"',)))

    def problems(self) -> list[tuple[str, int, int, str, str]]:
        return self._query("SELECT path, line, col, code, message FROM problems")

    def count_pairs(self) -> int:
        return self._query("SELECT count(*) FROM pairs")[0][0]

    def count_sources(self) -> int:
        return self._query("SELECT count(*) FROM sources")[0][0]

    def count(self, kind: str, tier: str | None = None) -> int:
        """How many entries of a kind (and of a tier: card or reference) the index holds."""
        if tier:
            return self._query("SELECT count(*) FROM entries WHERE kind = ? AND tier = ?",
                               (kind, tier))[0][0]
        return self._query("SELECT count(*) FROM entries WHERE kind = ?", (kind,))[0][0]


def _best_snippet(snippets: list[str]) -> str:
    """The first snippet that shows a matched word (summary, action, facts, then the rest),
    else the summary's beginning."""
    for text in snippets:
        if text and _MARK in text:
            return text.replace(_MARK, "")
    return next((t for t in snippets if t), "")


def _connect_ro(path: Path) -> sqlite3.Connection:
    """Open an index read-only. The path goes into a file: URI, so it is percent-encoded:
    a cache folder named `c?v=1` must not be read as a query string."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


_PARSED_KEYS = {"data", "problems", "refs", "anchors"}


def _previous_parse(path: Path | None) -> dict[str, Any] | None:
    """Per-file parse results kept in an earlier index, or None if it cannot be read.

    A damaged result is dropped (its file is parsed again), never trusted.
    """
    if path is None or not path.is_file():
        return None
    try:
        old = _connect_ro(path)
        try:
            version = old.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()
            if not version or version[0] != _CODE_VERSION:
                return None  # parsed by another version of the checks
            rows = old.execute("SELECT path, size, mtime, payload FROM parsed").fetchall()
        finally:
            old.close()
    except sqlite3.Error:
        return None  # damaged or foreign: parse everything again
    out = {}
    for p, size, mtime, payload in rows:
        try:
            parsed = _load(payload)
        except (ValueError, EOFError, TypeError):
            continue
        if isinstance(parsed, dict) and set(parsed) == _PARSED_KEYS:
            out[p] = (size, mtime, parsed)
    return out


def _fill(db: sqlite3.Connection, ks: KnowledgeSet, fp: str,
          progress: Callable[[str, int, int], None] | None,
          parsed: dict[str, Any] | None = None) -> None:
    """Write a whole `KnowledgeSet` (and the per-file parse cache) into an empty database."""
    db.executescript(_SCHEMA)
    all_entries = [e for kind in ks.entries.values() for e in kind.values()]
    total = len(all_entries)
    with db:
        for n, entry in enumerate(all_entries, 1):
            _insert_entry(db, entry.kind, entry.id, entry.data, entry.path)
            if progress and n % 250 == 0:
                progress("indexing", n, total)
        db.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?)", _alias_rows(ks))
        db.executemany("INSERT INTO aliases VALUES (?, ?)",
                       [(t, _dump(item)) for item in ks.aliases
                        for t in item.get("refers_to") or []])
        _fill_boost(db)
        db.executemany("INSERT INTO pairs VALUES (?, ?, ?)",
                       [(p["a"], p["b"], _dump(p)) for p in ks.interactions])
        db.executemany("INSERT INTO sources VALUES (?, ?)",
                       [(k, _dump(v)) for k, v in ks.sources.items()])
        db.executemany("INSERT INTO problems VALUES (?, ?, ?, ?, ?)",
                       [(p.path, p.line, p.column, p.code, p.message) for p in ks.problems])
        db.executemany("INSERT INTO parsed VALUES (?, ?, ?, ?)",
                       [(p, size, mtime, _dump(payload))
                        for p, (size, mtime, payload) in (parsed or {}).items()])
        db.executemany("INSERT INTO meta VALUES (?, ?)",
                       [("fingerprint", fp), ("files", str(ks.files)),
                        ("code", _CODE_VERSION)])
        db.executescript(_INDEXES)
    if progress:
        progress("indexing", total, total)


def _alias_rows(ks: KnowledgeSet) -> list[tuple[str, str, str, str, str]]:
    """Rows of the names table for `names/` files: a name meaning several entries is stored
    as ambiguous for each, so that it answers with the candidates."""
    kinds = {ident: kind for kind in ("class", "substance")
             for ident in ks.entries.get(kind, {})}
    rows = []
    for item in ks.aliases:
        targets = [t for t in item.get("refers_to") or [] if t in kinds]
        typ = "ambiguous" if len(item.get("refers_to") or []) > 1 else item["type"]
        rows += [(fold(item["name"]), kinds[t], t, typ, item["name"]) for t in targets]
    return rows


def _fill_boost(db: sqlite3.Connection) -> None:
    """search_boost: ln(1 + how many entries link to each entry), a measure of how central it
    is, added to the search ranking (`_BOOST_SHARE`)."""
    import math

    counts = dict(db.execute("SELECT dst, count(DISTINCT src_kind || ' ' || src_id) FROM links "
                             "GROUP BY dst"))
    db.executemany("INSERT INTO search_boost VALUES (?, ?)",
                   [(row, math.log1p(counts.get(ident, 0)))
                    for row, ident in db.execute("SELECT rowid, id FROM fts").fetchall()])


def _insert_entry(db: sqlite3.Connection, kind: str, ident: str, data: dict[str, Any],
                  path: str) -> None:
    from substance_cli.kb.loader import entry_names

    name = data.get("name") or data.get("title") or ident
    db.execute("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)",
               (kind, ident, name, path, data.get("tier") or "card", _dump(data)))
    db.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?)",
                   [(fold(label), kind, ident, typ, label)
                    for label, typ in entry_names(kind, data)])
    for rel in data.get("related") or []:
        db.execute("INSERT INTO links VALUES (?, ?, ?, ?, ?)",
                   (kind, ident, rel["ref"], rel.get("why") or "", name))
    for about in data.get("about") or []:
        db.execute("INSERT INTO links VALUES (?, ?, ?, ?, ?)", (kind, ident, about, "", name))
    if kind == "substance":
        db.executemany("INSERT INTO relations VALUES (?, ?, ?, ?)",
                       [(ident, c["class"], c["relation"], name)
                        for c in data.get("classes") or []])
        db.executemany("INSERT INTO ingredients VALUES (?, ?)",
                       [(ident, i["substance"]) for i in data.get("ingredients") or []])
        legal = data.get("legal") or {}
        db.execute("INSERT INTO legal VALUES (?, ?, ?)",
                   (ident, legal.get("us_schedule"), 1 if legal.get("us_narcotic") else 0))
    main = (_names_text(name, data), _lead(data), _target(data), _action(data))
    row = db.execute("INSERT INTO fts VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (kind, ident, *main, _flat(data, _FACTS), _body(data))).lastrowid
    db.execute("INSERT INTO fts_main (rowid, name, lead, target, action) VALUES (?, ?, ?, ?, ?)",
               (row, _names_text(name, data, _MAIN_NAMES), *main[1:]))


#: Search ranking weights of the full-text columns (bm25, higher counts more): names, what
#: the entry is (summary, definition, listed questions), what it does (main action, targets,
#: classes), then everything else (nuance, risks, notes). Measured on
#: tests/data/search-relevance.tsv (docs/ask.md): a word in a card's main action must count
#: more than the same word in a footnote, and a long card must not lose to a short one only
#: because it says more.
_WEIGHTS = "8.0, 4.0, 8.0, 4.0, 2.0, 0.5"
#: SQLite's bm25 divides by the length of the whole entry, so a long card loses to a short
#: one however its columns are weighted. The short "what it is and does" columns are indexed
#: a second time on their own (fts_main) and their score is added, with this share.
_MAIN_WEIGHTS = "2.0, 1.0, 2.0, 1.0"
#: The names that count in fts_main: the entry's own, not every street name and misspelling
#: (a substance with many names must not rank lower for what it does).
_MAIN_NAMES = ("generic", "brands")
_MAIN_SHARE = 2.0
#: How much being central counts: ln(1 + entries that link here) (search_boost), so that
#: ketamine, which many cards point to, comes before a drug that mentions NMDA in passing.
_BOOST_SHARE = 2.0
#: Snippet markers, removed before the snippet is shown (they pick the column that matched).
_MARK = "\x02"
#: Fields of the "facts" column: what it is used for, its risks, what stopping is like.
_FACTS = ("uses", "risks", "withdrawal", "membership")
#: Fields that have a column of their own, left out of the body so a word counts once.
_OWN_COLUMN = ("summary", "definition", "mechanism", "questions", "names", "aliases",
               "classes", "targets", "title", "name", *_FACTS)


def _names_text(name: str, data: dict[str, Any], groups: tuple[str, ...] | None = None) -> str:
    parts = [name]
    parts.extend(n for g, group in (data.get("names") or {}).items()
                 if groups is None or g in groups for n in group or [])
    parts.extend(data.get("aliases") or [])
    return "\n".join(p for p in parts if isinstance(p, str))


def _lead(data: dict[str, Any]) -> str:
    """The few fields that say what an entry is: weighted above the rest in search."""
    parts = [(data.get(k) or {}).get("text", "") for k in ("summary", "definition")]
    parts.extend(data.get("questions") or [])
    return "\n".join(p for p in parts if isinstance(p, str))


def _target(data: dict[str, Any]) -> str:
    """The main target and the classes: a short field, so one word in it counts a lot."""
    mech = data.get("mechanism") or {}
    parts = [f"{t.get('target', '')} {t.get('action', '')}" for t in mech.get("targets") or []
             if isinstance(t, dict) and t.get("primary")]
    parts.extend(str(t) for t in data.get("targets") or [])
    parts.extend(str(c.get("class", "")).replace("-", " ") for c in data.get("classes") or []
                 if isinstance(c, dict) and c.get("relation") == "member")
    return "\n".join(p for p in parts if isinstance(p, str))


def _action(data: dict[str, Any]) -> str:
    """What an entry does: the main action and every target."""
    mech = data.get("mechanism") or {}
    parts = [mech.get("summary", "")]
    parts.extend(f"{t.get('target', '')} {t.get('action', '')}" for t in mech.get("targets")
                 or [] if isinstance(t, dict))
    return "\n".join(p for p in parts if isinstance(p, str))


def _flat(data: dict[str, Any], keys: tuple[str, ...]) -> str:
    """The text of some top-level fields, flattened."""
    return "\n".join(_body(data[k], top=False) for k in keys if data.get(k))


def _body(data: Any, top: bool = True) -> str:
    """The rest of an entry's text (all of `data` when not `top`), flattened for search."""
    parts: list[str] = []

    def walk(value: Any, key: str = "", depth: int = 0) -> None:
        if key in ("sources", "review", "id") or top and depth == 1 and key in _OWN_COLUMN:
            return
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, k, depth + 1)
        elif isinstance(value, list):
            for v in value:
                walk(v, key, depth)

    walk(data)
    return "\n".join(parts)

