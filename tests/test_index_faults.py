"""The compiled index survives faults: every case ends with correct answers, no exception.

A truncated, corrupted or stale index file, a cache folder that cannot be written, a disk that
fills up during the rebuild, two processes rebuilding at once, an interrupt in the middle of a
rebuild, and an index damaged after it was opened. After each, `is-opioid fentanyl` is still
"yes" (and a few other answers are right), no temporary file is left behind, and nothing is
written outside SUBQ_CACHE_DIR.
"""

from __future__ import annotations

import errno
import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import substance_cli.kb.index as store_mod
from substance_cli.kb.files import shipped_root
from substance_cli.kb.index import Store

SUBQ = shutil.which("subq", path=str(Path(sys.executable).parent)) or shutil.which("subq")
needs_subq = pytest.mark.skipif(SUBQ is None, reason="the subq command is not installed")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty SUBQ_CACHE_DIR for this test only."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SUBQ_CACHE_DIR", str(folder))
    return folder


def assert_answers(cli) -> None:
    """Correct answers from every part of the index: names, classes, relations, FTS, pairs."""
    r = cli("is-opioid", "fentanyl", "--json")
    assert r.code == 0, r.err
    assert r.json()["verdict"] == "yes"
    for result in (r, cli("is-opioid", "ketamine", "--json")):
        assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert cli("is-opioid", "ketamine", "--json").json()["verdict"] == "no"
    assert cli("is", "Narcan", "opioid", "--json").json()["verdict"] == "antagonist"
    hits = cli("search", "nmda", "receptor", "--json").json()["items"]
    assert "ketamine" in [h["id"] for h in hits]
    mix = cli("mix", "fentanyl", "alprazolam", "--json")
    assert mix.code == 0 and mix.json()["worst"] in ("dangerous", "unsafe"), mix.err


def open_ro(path: Path) -> sqlite3.Connection:
    """Open a database read-only, its path quoted properly as a URI."""
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def index_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("index-*.sqlite")) if cache.is_dir() else []


def strays(cache: Path) -> list[str]:
    """Anything in the cache folder that is not a finished index (temp files, journals)."""
    if not cache.is_dir():
        return []
    return sorted(p.name for p in cache.iterdir()
                  if not (p.name.startswith("index-") and p.name.endswith(".sqlite")))


def build(cli, cache: Path) -> Path:
    """Answer once, so the index is built; return its path."""
    assert cli("is-opioid", "fentanyl", "--json").code == 0
    (path,) = index_files(cache)
    return path


def store() -> Store:
    return Store([shipped_root()])


def assert_index_good(cache: Path) -> None:
    """One index file, sound, used as it is by the next run (no rebuild, not memory)."""
    files = index_files(cache)
    assert len(files) == 1, files
    db = open_ro(files[0])
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()
    from substance_cli.answers.verdict import is_class

    s = store()
    assert (s.location, s.rebuilt) == (str(files[0]), False)
    assert is_class(s, "fentanyl", "opioid")["verdict"] == "yes"
    assert "ketamine" in [row[1] for row in s.search("nmda receptor")]
    assert s.location == str(files[0])  # every query was answered by the file itself
    assert strays(cache) == []


# -- damaged files ----------------------------------------------------------------------------

@pytest.mark.parametrize("keep", ["0", "100", "4096", "3 pages", "half", "all but one page"])
def test_truncated_index(cli, cache, keep):
    path = build(cli, cache)
    size = path.stat().st_size
    keep_bytes = {"0": 0, "100": 100, "4096": 4096, "3 pages": 3 * 4096, "half": size // 2,
                  "all but one page": size - 4096}[keep]
    with open(path, "r+b") as fh:
        fh.truncate(keep_bytes)
    assert_answers(cli)
    assert_index_good(cache)  # rebuilt and replaced, not left damaged


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_index_of_random_bytes(cli, cache, seed):
    path = build(cli, cache)
    path.write_bytes(random.Random(seed).randbytes(path.stat().st_size))
    assert_answers(cli)
    assert_index_good(cache)


def _wipe_root_page(path: Path, table: str) -> None:
    """Zero the root page of `table`: SQLite sees a page of no known type (corruption)."""
    db = sqlite3.connect(path)
    row = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    if not row or not row[0]:
        pytest.skip(f"this index has no table {table!r}")
    with open(path, "r+b") as fh:
        fh.seek((row[0] - 1) * page_size)
        fh.write(bytes(page_size))


@pytest.mark.parametrize("table", ["entries", "names", "relations", "fts_data", "pairs",
                                   "sources", "names_norm"])
def test_index_with_a_damaged_page(cli, cache, table):
    """The header, schema and meta survive, so the fingerprint still matches; the damage
    shows only when a query reads the page."""
    path = build(cli, cache)
    _wipe_root_page(path, table)
    assert_answers(cli)
    assert strays(cache) == []


@pytest.mark.parametrize("how", ["overwritten", "cut short"])
def test_index_with_a_damaged_record(cli, cache, how):
    path = build(cli, cache)
    db = sqlite3.connect(path)
    (blob,) = db.execute("SELECT data FROM entries WHERE kind = 'substance' "
                         "AND id = 'fentanyl'").fetchone()
    size = len(blob)
    new = random.Random(0).randbytes(size) if how == "overwritten" else blob[: size // 2]
    db.execute("UPDATE entries SET data = ? WHERE kind = 'substance' AND id = 'fentanyl'",
               (new,))
    db.commit()
    db.close()
    assert_answers(cli)


def test_index_with_a_table_missing(cli, cache):
    """Right fingerprint, but a table the answers need is gone."""
    path = build(cli, cache)
    db = sqlite3.connect(path)
    db.execute("DROP TABLE names")
    db.commit()
    db.close()
    assert_answers(cli)


@pytest.mark.parametrize("damage", ["pages", "table dropped"])
def test_damaged_index_is_repaired_by_the_next_run(cli, cache, damage):
    path = build(cli, cache)
    if damage == "pages":
        _wipe_root_page(path, "names")
    else:
        db = sqlite3.connect(path)
        db.execute("DROP TABLE names")
        db.commit()
        db.close()
    assert_answers(cli)
    assert_answers(cli)
    assert_index_good(cache)


# -- stale and foreign files ------------------------------------------------------------------

def _write_db(path: Path, sql: str, rows: list[tuple[str, str]] = ()) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript(sql)
    db.executemany("INSERT INTO meta VALUES (?, ?)", rows)
    db.commit()
    db.close()


@pytest.mark.parametrize("kind", ["other version", "other version, old code", "no meta rows",
                                  "foreign database"])
def test_stale_or_foreign_index(cli, cache, kind):
    path = build(cli, cache)
    path.unlink()
    if kind == "other version":
        _write_db(path, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);",
                  [("fingerprint", "0.0.1|0|1|0|0"), ("files", "3")])
    elif kind == "other version, old code":
        _write_db(path, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
                  "CREATE TABLE parsed (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, "
                  "payload TEXT);", [("fingerprint", "old"), ("code", "0.0.1|0|1")])
    elif kind == "no meta rows":
        _write_db(path, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE notes (text TEXT)")
        db.execute("INSERT INTO notes VALUES ('not a subq index')")
        db.commit()
        db.close()
    assert_answers(cli)
    assert_index_good(cache)


def test_stale_index_of_this_version(cli, cache):
    """A knowledge file changed since the index was built (same program): rebuilt."""
    path = build(cli, cache)
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = 'stale' WHERE key = 'fingerprint'")
    db.commit()
    db.close()
    assert_answers(cli)
    assert_index_good(cache)


def _stale_with_damaged_parse_cache(path: Path, how: str) -> None:
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "parsed" not in tables:
        db.close()
        pytest.skip("this index keeps no per-file parse cache")
    rowid, payload = db.execute("SELECT rowid, payload FROM parsed ORDER BY rowid "
                                "LIMIT 1 OFFSET 5").fetchone()
    if how == "payload cut short":
        new = payload[: len(payload) // 2]
    elif how == "one byte flipped":
        new = bytearray(payload.encode() if isinstance(payload, str) else payload)
        new[4] ^= 0x01
        new = bytes(new)
    else:  # "payload as text"
        new = json.dumps({"data": None})
    db.execute("UPDATE parsed SET payload = ? WHERE rowid = ?", (new, rowid))
    db.execute("UPDATE meta SET value = 'stale' WHERE key = 'fingerprint'")
    db.commit()
    db.close()


@pytest.mark.parametrize("how", ["payload cut short", "one byte flipped", "payload as text"])
def test_stale_index_with_a_damaged_parse_cache(cli, cache, how):
    path = build(cli, cache)
    _stale_with_damaged_parse_cache(path, how)
    assert_answers(cli)
    assert_index_good(cache)


# -- a cache folder that cannot be written ------------------------------------------------------

@pytest.mark.parametrize("where", ["below a regular file", "is a regular file",
                                   "index path is a folder"])
def test_unwritable_cache_folder(cli, tmp_path, monkeypatch, where):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder\n")
    if where == "below a regular file":
        folder = blocker / "cache"
    elif where == "is a regular file":
        folder = blocker
    else:
        folder = tmp_path / "cache"
    monkeypatch.setenv("SUBQ_CACHE_DIR", str(folder))
    if where == "index path is a folder":
        path = build(cli, folder)  # learn where the index goes, then put a folder there
        path.unlink()
        path.mkdir()
    assert_answers(cli)
    s = store()
    assert s.location == ":memory:"
    assert s.get("substance", "fentanyl") is not None
    assert blocker.read_text() == "not a folder\n"
    if folder.is_dir():
        assert strays(folder) == [], strays(folder)


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS, errno.EDQUOT],
                         ids=["EACCES", "EROFS", "EDQUOT"])
def test_cache_folder_refuses_the_temporary_file(cli, cache, monkeypatch, code):
    """As root nothing is read-only, so the refusal is simulated where the file is made."""
    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert_answers(cli)
    assert index_files(cache) == [] and strays(cache) == []


# -- a full disk during the rebuild -------------------------------------------------------------

def _is_temp(name: object) -> bool:
    return isinstance(name, str) and Path(name).name.startswith(".index-")


def test_full_disk_when_the_temporary_index_is_opened(cli, cache, monkeypatch):
    real = sqlite3.connect

    def connect(database, *args, **kwargs):
        if _is_temp(database):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(database, *args, **kwargs)

    monkeypatch.setattr(store_mod.sqlite3, "connect", connect)
    assert_answers(cli)
    assert store().location == ":memory:"
    assert index_files(cache) == [] and strays(cache) == []


def test_full_disk_when_the_index_is_renamed_into_place(cli, cache, monkeypatch):
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if _is_temp(os.fspath(src)):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(store_mod.os, "replace", replace)
    assert_answers(cli)
    assert store().location == ":memory:"
    assert index_files(cache) == [] and strays(cache) == []


@pytest.mark.parametrize("after", [1, 40, 400])
def test_full_disk_while_the_index_is_written(cli, cache, after):
    """SQLite reports a full disk as `database or disk is full` part-way through."""
    real = sqlite3.connect

    class FullDisk(sqlite3.Connection):
        statements = 0

        def _count(self) -> None:
            FullDisk.statements += 1
            if FullDisk.statements > after:
                raise sqlite3.OperationalError("database or disk is full")

        def execute(self, *args, **kwargs):
            self._count()
            return super().execute(*args, **kwargs)

        def executemany(self, *args, **kwargs):
            self._count()
            return super().executemany(*args, **kwargs)

        def executescript(self, *args, **kwargs):
            self._count()
            return super().executescript(*args, **kwargs)

    def connect(database, *args, **kwargs):
        if _is_temp(database):
            FullDisk.statements = 0
            return real(database, *args, factory=FullDisk, **kwargs)
        return real(database, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_mod.sqlite3, "connect", connect)
        assert_answers(cli)
        assert index_files(cache) == [] and strays(cache) == []
    assert_answers(cli)  # with room again, the index is built
    assert_index_good(cache)


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes then fail with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def _run_subq(*args: str, cache: Path, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "SUBQ_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1",
           **kwargs.pop("env", {})}
    return subprocess.run([SUBQ, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, **kwargs)


@needs_subq
def test_real_full_disk_still_answers(tmp_path):
    """A real process whose file writes fail part-way (RLIMIT_FSIZE): answers from memory."""
    cache = tmp_path / "cache"
    for _ in range(2):
        r = _run_subq("is-opioid", "fentanyl", "--json", cache=cache, cwd=tmp_path,
                      preexec_fn=_limit_file_size)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["verdict"] == "yes"
        assert "Traceback" not in r.stderr and r.stderr == ""
    assert index_files(cache) == []


@needs_subq
def test_real_full_disk_leaves_no_stray_files(tmp_path):
    cache = tmp_path / "cache"
    for _ in range(2):
        r = _run_subq("is-opioid", "fentanyl", "--json", cache=cache, cwd=tmp_path,
                      preexec_fn=_limit_file_size)
        assert r.returncode == 0, r.stderr
    assert strays(cache) == []


# -- concurrency and interrupts ------------------------------------------------------------------

@needs_subq
def test_processes_rebuilding_at_once(tmp_path):
    cache = tmp_path / "cache"
    env = {**os.environ, "SUBQ_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    commands = [["is-opioid", "fentanyl", "--json"], ["is-opioid", "fentanyl", "--json"],
                ["is", "ketamine", "opioid", "--json"], ["search", "nmda", "--json"]]
    procs = [subprocess.Popen([SUBQ, *c], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for c in commands]
    results = [p.communicate(timeout=180) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err and err == ""
        json.loads(out)
    assert json.loads(results[0][0])["verdict"] == "yes"
    assert json.loads(results[2][0])["verdict"] == "no"
    assert "ketamine" in [h["id"] for h in json.loads(results[3][0])["items"]]
    (path,) = index_files(cache)
    db = open_ro(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    assert strays(cache) == []
    # The index they left is the one the next run uses as it is.
    r = _run_subq("info", "--json", cache=cache, cwd=tmp_path)
    assert json.loads(r.stdout)["index"] == str(path)


def _interrupt_after_schema(db, *args, **kwargs):
    """Write the schema and some rows (committed), then be interrupted."""
    db.executescript(store_mod._SCHEMA)
    db.execute("INSERT INTO meta VALUES ('fingerprint', 'half-written')")
    db.commit()
    raise KeyboardInterrupt


@pytest.mark.parametrize("where", ["after a commit", "inside the transaction"])
def test_interrupt_in_the_middle_of_a_rebuild(cli, cache, where):
    with pytest.MonkeyPatch.context() as patch:
        if where == "after a commit":
            patch.setattr(store_mod, "_fill", _interrupt_after_schema)
        else:
            real = store_mod._insert_entry
            calls = [0]

            def insert(*args, **kwargs):
                calls[0] += 1
                if calls[0] == 50:
                    raise KeyboardInterrupt
                return real(*args, **kwargs)

            patch.setattr(store_mod, "_insert_entry", insert)
        r = cli("is-opioid", "fentanyl", "--json")
    assert r.code == 130
    assert r.out == ""
    assert r.err in ("", "subq: interrupted\n"), r.err
    assert index_files(cache) == []
    assert strays(cache) == []
    assert_answers(cli)
    assert_index_good(cache)


@needs_subq
def test_interrupt_in_a_real_process(tmp_path):
    """A real process interrupted inside the rebuild's transaction, then exiting."""
    cache = tmp_path / "cache"
    script = (
        "import sys\n"
        "import substance_cli.kb.index as s\n"
        "real, calls = s._insert_entry, [0]\n"
        "def insert(*a, **k):\n"
        "    calls[0] += 1\n"
        "    if calls[0] == 50:\n"
        "        raise KeyboardInterrupt\n"
        "    return real(*a, **k)\n"
        "s._insert_entry = insert\n"
        "from substance_cli.cli.runner import run\n"
        "sys.exit(run(['is-opioid', 'fentanyl', '--json']))\n")
    env = {**os.environ, "SUBQ_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    r = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 130, r.stderr
    assert "Traceback" not in r.stderr
    assert index_files(cache) == [] and strays(cache) == []
    r = _run_subq("is-opioid", "fentanyl", "--json", cache=cache, cwd=tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)["verdict"] == "yes"
    assert strays(cache) == [] and len(index_files(cache)) == 1


# -- damaged after it was opened ----------------------------------------------------------------

@pytest.mark.parametrize("how", ["overwritten in place", "truncated in place",
                                 "replaced by another file", "deleted"])
def test_index_damaged_after_opening(cli, cache, how):
    path = build(cli, cache)
    s = store()
    assert s.location == str(path) and not s.rebuilt
    assert s.get("substance", "fentanyl") is not None
    if how == "overwritten in place":
        with open(path, "r+b") as fh:
            fh.write(random.Random(0).randbytes(path.stat().st_size))
    elif how == "truncated in place":
        with open(path, "r+b") as fh:
            fh.truncate(0)
    elif how == "replaced by another file":
        other = path.with_name("other")
        other.write_bytes(random.Random(1).randbytes(path.stat().st_size))
        os.replace(other, path)
    else:
        path.unlink()
    from substance_cli.answers.verdict import is_class

    assert is_class(s, "fentanyl", "opioid")["verdict"] == "yes"
    assert is_class(s, "ketamine", "opioid")["verdict"] == "no"
    assert "ketamine" in [row[1] for row in s.search("nmda receptor")]
    if how in ("overwritten in place", "truncated in place"):
        # Store._query rebuilt the index (into the cache file, or in memory if it could not).
        assert s.rebuilt
    # And the next run, from the command line, is right too.
    assert_answers(cli)


def test_index_damaged_between_opening_and_answering(cli, cache):
    """Through the command line: the file is damaged right after `open_knowledge` returns."""
    import substance_cli.cli.app as cli_mod
    import substance_cli.cli.session as output_mod

    path = build(cli, cache)
    real = output_mod.open_knowledge
    opened_count = []

    def open_then_damage(*args, **kwargs):
        opened = real(*args, **kwargs)
        with open(path, "r+b") as fh:
            fh.write(b"\0" * path.stat().st_size)
        opened_count.append(1)
        return opened

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(output_mod, "open_knowledge", open_then_damage)
        patch.setattr(cli_mod, "open_knowledge", open_then_damage)
        r = cli("is-opioid", "fentanyl", "--json")
    assert opened_count, "the command did not open the knowledge through open_knowledge"
    assert r.code == 0, r.err
    assert r.json()["verdict"] == "yes"
    assert_answers(cli)
    assert_index_good(cache)


# -- nothing written outside the cache folder ---------------------------------------------------

def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder below `folder`, with size and mtime."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            out[str(p.relative_to(folder))] = (st.st_size, st.st_mtime_ns)
    return out


def _user_knowledge(root: Path) -> Path:
    fixtures = Path(__file__).parent / "fixtures" / "validation" / "pass"
    shutil.copytree(fixtures, root)
    return root


OURS = (".index-", "index-", "subq", "etilqs")  # etilqs_: SQLite's own temporary files


def test_nothing_is_written_outside_the_cache_folder(cli, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    home, tmpdir, cwd = tmp_path / "home", tmp_path / "tmp", tmp_path / "cwd"
    for d in (home, tmpdir, cwd):
        d.mkdir()
    user = _user_knowledge(tmp_path / "user-knowledge")
    monkeypatch.setenv("SUBQ_CACHE_DIR", str(cache))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", str(tmpdir))
    monkeypatch.chdir(cwd)
    system_tmp = Path("/tmp")
    before_tmp = set(os.listdir(system_tmp))
    watched = {"shipped knowledge": shipped_root(), "user knowledge": user, "home": home,
               "tmp": tmpdir, "cwd": cwd}
    before = {k: listing(v) for k, v in watched.items()}

    assert_answers(cli)
    for args in (["show", "gizmo", "--knowledge", str(user)], ["validate", str(user)],
                 ["validate"], ["info", "--json"], ["help-now", "--region", "uk"],
                 ["ask", "how", "long", "does", "xanax", "stay", "in", "your", "system"],
                 ["schema", "substance"], ["list", "--class", "opioid"]):
        r = cli(*args)
        assert r.code in (0, 4), (args, r.err)

    after = {k: listing(v) for k, v in watched.items()}
    for name in watched:
        assert after[name] == before[name], f"{name} changed: " + repr(
            set(after[name].items()) ^ set(before[name].items()))
    new_tmp = set(os.listdir(system_tmp)) - before_tmp
    assert not [n for n in new_tmp if n.startswith(OURS)], new_tmp
    assert strays(cache) == []
    assert len(index_files(cache)) == 2  # one for the shipped knowledge, one with the user's


@needs_subq
def test_a_real_process_writes_nothing_outside_the_cache_folder(tmp_path):
    cache = tmp_path / "cache"
    home, tmpdir, cwd, xdg = (tmp_path / n for n in ("home", "tmp", "cwd", "xdg"))
    for d in (home, tmpdir, cwd, xdg):
        d.mkdir()
    user = _user_knowledge(tmp_path / "user-knowledge")
    watched = {"shipped knowledge": shipped_root(), "user knowledge": user, "home": home,
               "tmp": tmpdir, "cwd": cwd, "xdg": xdg}
    before = {k: listing(v) for k, v in watched.items()}
    env = {"HOME": str(home), "TMPDIR": str(tmpdir), "XDG_CACHE_HOME": str(xdg)}
    for args in (["is-opioid", "fentanyl", "--json"], ["show", "gizmo", "-k", str(user)],
                 ["validate", str(user)], ["search", "nmda"]):
        r = _run_subq(*args, cache=cache, cwd=cwd, env=env)
        assert r.returncode == 0, (args, r.stderr)
    after = {k: listing(v) for k, v in watched.items()}
    for name in watched:
        assert after[name] == before[name], name
    assert strays(cache) == [] and len(index_files(cache)) == 2


@pytest.mark.parametrize("name", ["c?v=1", "d#frag", "e%41"])
def test_cache_folder_with_uri_characters(cli, tmp_path, monkeypatch, name):
    parent = tmp_path / "parent"
    parent.mkdir()
    cache = parent / name
    monkeypatch.setenv("SUBQ_CACHE_DIR", str(cache))
    for _ in range(2):
        r = cli("is-opioid", "fentanyl", "--json")
        assert r.code == 0 and r.json()["verdict"] == "yes", r.err
    assert sorted(os.listdir(parent)) == [name]  # nothing beside the cache folder
    assert_index_good(cache)
