"""``publish watch``: change detection without real time, a session in-process, and the command
end to end (an edit, a source error, Ctrl-C), with and without audio."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest
from audiotools import slowed_publish
from conftest import ROOT
from support import processes

from pipeline import cli
from pipeline.formats import registry as writers
from pipeline.request import Request
from pipeline.watch import Session, Watcher

Capture = pytest.CaptureFixture[str]

#: Generous: the CI machine is shared and loaded.
TIMEOUT = 180.0

SOURCE = """---
title: Watched
lang: en
identifier: urn:uuid:00000000-0000-4000-8000-0000000000cc
---

# Opening

The first paragraph says what the document is about.

The second paragraph says a little more.
"""

#: A 1×1 red PNG, and the same with one more byte (still a PNG to every reader used here).
RED = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)


class Clock:
    """Time that passes only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept = 0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += 1


def _write(path: Path, text: str, mtime_s: int) -> None:
    """Write and give the file a modification time of its own (as seconds apart would)."""
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_s * 10**9, mtime_s * 10**9))


def _watcher(clock: Clock, *paths: Path) -> Watcher:
    return Watcher(paths, interval=0.0625, settle=0.125, clock=clock, sleep=clock.sleep)


def _changes(watcher: Watcher, clock: Clock, steps: int, writes: dict[int, Path]) -> list[int]:
    """Poll ``steps`` times, an interval apart, running ``writes[step]``'s edit first; return
    the steps at which a change was reported."""
    found = []
    for step in range(steps):
        if step in writes:
            path = writes[step]
            _write(path, path.read_text(encoding="utf-8") + f"edit {step}\n", 1000 + step)
        if watcher.poll():
            found.append(step)
        clock.sleep(watcher.interval)
    return found


# ----------------------------------------------------------------- change detection


def test_a_touch_without_change_rebuilds_nothing(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    _write(source, SOURCE, 1000)
    clock = Clock()
    watcher = _watcher(clock, source)
    os.utime(source, ns=(2000 * 10**9, 2000 * 10**9))  # touch: a new stamp, the same bytes
    source.write_text(SOURCE, encoding="utf-8")  # a save without edits
    assert _changes(watcher, clock, 10, {}) == []


def test_a_change_is_reported_once_when_it_has_settled(tmp_path: Path) -> None:
    source, other = tmp_path / "doc.md", tmp_path / "doc.pls"
    _write(source, SOURCE, 1000)
    clock = Clock()
    watcher = _watcher(clock, source, other)
    found = _changes(watcher, clock, 12, {2: source})
    assert found == [4]  # seen at step 2, still at step 4: settled (2 intervals = settle)


def test_rapid_successive_writes_are_one_change(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    _write(source, SOURCE, 1000)
    clock = Clock()
    watcher = _watcher(clock, source)
    found = _changes(watcher, clock, 20, {1: source, 2: source, 3: source, 4: source})
    assert found == [6]  # one change, settle after the last write


def test_wait_returns_the_changed_file_and_a_deleted_file_is_a_change(tmp_path: Path) -> None:
    source, image = tmp_path / "doc.md", tmp_path / "a.png"
    _write(source, SOURCE, 1000)
    image.write_bytes(RED)
    clock = Clock()
    edits = iter([lambda: _write(source, SOURCE + "More.\n", 1001), image.unlink])

    def sleep(seconds: float) -> None:
        if clock.slept % 5 == 2:  # now and then, between polls, the next edit
            next(edits)()
        clock.sleep(seconds)

    watcher = Watcher([source, image], interval=0.0625, settle=0.125, clock=clock, sleep=sleep)
    assert watcher.wait() == {source}
    assert watcher.wait() == {image}
    assert watcher.poll() == frozenset()


def test_track_takes_a_new_input_as_it_is_and_forgets_an_old_one(tmp_path: Path) -> None:
    source, image = tmp_path / "doc.md", tmp_path / "a.png"
    _write(source, SOURCE, 1000)
    clock = Clock()
    watcher = _watcher(clock, source)
    image.write_bytes(RED)
    watcher.track([source, image])
    assert watcher.paths == {source, image}
    assert _changes(watcher, clock, 6, {}) == []  # an existing file newly watched: no change
    _write(image, "other bytes", 1001)
    assert _changes(watcher, clock, 6, {}) == [2]
    watcher.track([image])
    _write(source, "gone from the build", 1002)
    assert _changes(watcher, clock, 6, {}) == []


# ----------------------------------------------------------------- a session, in-process


def _session(source: Path, out: Path, formats: str = "html") -> Session:
    options: dict[str, object] = {"formats": formats, "sources": [str(source)]}
    return Session(Request((source,), out, options), writers.select(formats))


def test_a_new_image_becomes_an_input_and_its_change_rebuilds(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUBLISH_BUILD_CACHE", str(tmp_path / "builds"))
    source, image, out = tmp_path / "src" / "doc.md", tmp_path / "src" / "dot.png", tmp_path / "o"
    source.parent.mkdir()
    _write(source, SOURCE, 1000)
    session = _session(source, out)
    session.start()
    assert capsys.readouterr().out.startswith("built ")
    clock = Clock()
    watcher = _watcher(clock, *session.inputs)
    assert image not in watcher.paths

    image.write_bytes(RED)
    _write(source, SOURCE + "\n![A red dot](dot.png)\n", 1001)
    assert watcher.wait() == {source}
    assert session.update()
    watcher.track(session.inputs)
    assert image.resolve() in watcher.paths
    first = (out / "doc.html").read_bytes()

    image.write_bytes(RED + b"\0")
    assert watcher.wait() == {image.resolve()}
    assert session.update()
    assert (out / "doc.html").read_bytes() != first  # the new picture is embedded
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" in ")[0] for line in lines] == [f"rebuilt {source}"] * 2


def test_a_missing_image_is_watched_so_adding_it_rebuilds(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUBLISH_BUILD_CACHE", str(tmp_path / "builds"))
    source, image, out = tmp_path / "src" / "doc.md", tmp_path / "src" / "dot.png", tmp_path / "o"
    source.parent.mkdir()
    _write(source, SOURCE + "\n![A red dot](dot.png)\n", 1000)
    session = _session(source, out)
    session.start()
    err = capsys.readouterr().err
    assert "error I003" in err
    assert "publish: build failed: 1 error; earlier outputs are unchanged" in err
    assert not (out / "doc.html").exists()
    clock = Clock()
    watcher = _watcher(clock, *session.inputs)
    assert image.resolve() in watcher.paths

    image.write_bytes(RED)
    assert watcher.wait() == {image.resolve()}
    assert session.update()
    assert (out / "doc.html").exists()


def test_an_up_to_date_start_builds_nothing_nor_does_an_error_undone(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUBLISH_BUILD_CACHE", str(tmp_path / "builds"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the epoch is not the mtime
    source, out = tmp_path / "src" / "doc.md", tmp_path / "o"
    source.parent.mkdir()
    _write(source, SOURCE, 1000)
    _session(source, out).start()
    made = (out / "doc.html").stat().st_mtime_ns
    capsys.readouterr()

    session = _session(source, out)
    session.start()
    assert capsys.readouterr().out == f"up to date: {source} (2 outputs unchanged)\n"
    _write(source, SOURCE.replace("title: Watched", "title: [Watched"), 1001)
    assert not session.update()
    failed = "publish: build failed: 1 error; earlier outputs are unchanged"
    assert failed in capsys.readouterr().err
    _write(source, SOURCE, 1002)  # the error undone: what the manifest recorded
    assert not session.update()
    assert capsys.readouterr().out == f"up to date: {source} (2 outputs unchanged)\n"
    assert (out / "doc.html").stat().st_mtime_ns == made


def test_build_and_watch_fulfil_a_request_the_same_way(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One orchestration (``request.fulfil``): what ``publish build`` recorded, a watch
    session finds up to date, and what the session rebuilt, ``publish build`` leaves alone."""
    from support import run_cli

    monkeypatch.setenv("PUBLISH_BUILD_CACHE", str(tmp_path / "builds"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    source, out = tmp_path / "src" / "doc.md", tmp_path / "o"
    source.parent.mkdir()
    _write(source, SOURCE, 1000)
    command = ["build", source, "--out", out, "--formats", "html"]
    wrote = f"wrote {out / 'doc.html'}\nwrote {out / 'doc.accessibility.html'}\n"
    assert run_cli(command, capsys)[:2] == (0, wrote)

    args = cli._parser().parse_args([str(a) for a in command])
    session = Session(cli._request(args), writers.select("html"))
    session.start()
    assert capsys.readouterr().out == f"up to date: {source} (2 outputs unchanged)\n"
    _write(source, SOURCE + "\nEdited while watched.\n", 1001)
    assert session.update()
    assert capsys.readouterr().out.startswith(f"rebuilt {source} in ")
    unchanged = f"unchanged {out / 'doc.html'}\nunchanged {out / 'doc.accessibility.html'}\n"
    assert run_cli(command, capsys)[:2] == (0, unchanged)


def test_the_session_runs_the_writers_it_was_given_and_reads_counts_from_the_result(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No writer is wrapped: what was synthesised and encoded comes back in the build's
    result (``BuildResult.recordings``), which the summary line reports."""
    monkeypatch.setenv("PUBLISH_BUILD_CACHE", str(tmp_path / "builds"))
    monkeypatch.setenv("PUBLISH_SPEECH_CACHE", str(tmp_path / "speech"))
    monkeypatch.setenv("PUBLISH_COVER_CACHE", str(tmp_path / "covers"))
    source, out = tmp_path / "src" / "doc.md", tmp_path / "o"
    source.parent.mkdir()
    _write(source, SOURCE, 1000)
    chosen = writers.select("audio")
    session = Session(Request((source,), out, {"formats": "audio"}), chosen)
    assert session.writers == chosen and session.writers[0] is chosen[0]
    assert session.update(first=True)
    first = capsys.readouterr().out
    found = re.fullmatch(
        r"built \S+ in \d+\.\d{3} s: 6 files written, (\d+) utterances synthesised, "
        r"(\d+) of (\d+) segments encoded\n",
        first,
    )
    assert found, first
    assert int(found[1]) > 1 and found[2] == found[3]
    assert session.update(force=True)  # everything cached now
    assert capsys.readouterr().out.endswith(
        f"6 files written, 0 utterances synthesised, 0 of {found[3]} segments encoded\n"
    )


# ----------------------------------------------------------------- the command


class Watching:
    """A ``publish watch`` child process in its own process group, its lines read as they come."""

    def __init__(self, args: list[str], env: dict[str, str], script: str | None = None) -> None:
        start = ["-c", script] if script else ["-m", "pipeline"]
        self.process = subprocess.Popen(
            [sys.executable, *start, "watch", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), **env},
            start_new_session=True,  # a terminal job: Ctrl-C reaches the whole group
        )
        self.lines: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        assert self.process.stdout is not None and self.process.stderr is not None
        self.readers = [
            threading.Thread(target=self._read, args=(name, stream), daemon=True)
            for name, stream in (("out", self.process.stdout), ("err", self.process.stderr))
        ]
        for reader in self.readers:
            reader.start()

    def _read(self, name: str, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))
        self.lines.put(None)

    def expect(self, stream: str, pattern: str, timeout: float = TIMEOUT) -> re.Match[str]:
        """The next line on ``stream`` (out or err) that matches; fail if none comes in time."""
        deadline = time.monotonic() + timeout
        ended = 0
        while ended < 2:
            try:
                item = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if item is None:
                ended += 1
                continue
            name, line = item
            (self.out if name == "out" else self.err).append(line)
            found = re.search(pattern, line)
            if name == stream and found:
                return found
        pytest.fail(f"no {stream} line like {pattern!r}; out: {self.out}; err: {self.err[-20:]}")

    def descendants(self) -> set[int]:
        """Process ids of everything the watch started that is still running."""
        parents = {process.pid: process.parent for process in processes()}
        found: set[int] = set()
        frontier = {self.process.pid}
        while frontier:
            frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
            found |= frontier
        return found

    def interrupt(self, how: str = "Ctrl-C") -> tuple[int, str]:
        """Ctrl-C at the terminal (or SIGTERM to the watch alone); the exit status and
        everything written on standard error."""
        if how == "Ctrl-C":
            os.killpg(self.process.pid, signal.SIGINT)
        else:
            self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=60)
        for reader in self.readers:
            reader.join(timeout=10)
        while not self.lines.empty():
            item = self.lines.get()
            if item is not None:
                (self.out if item[0] == "out" else self.err).append(item[1])
        return status, "\n".join(self.err)

    def __enter__(self) -> Watching:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Kill the watch if it still runs; close its pipes."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for reader in self.readers:
            reader.join(timeout=10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def _alive(pids: set[int]) -> set[int]:
    found = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if "\nState:\tZ" not in state:
            found.add(pid)
    return found


def _gone(pids: set[int], wait: float = 10.0) -> bool:
    deadline = time.monotonic() + wait
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not _alive(pids)


@pytest.fixture
def folder(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A source in a folder of its own, an output folder, and caches under ``tmp_path``."""
    source = tmp_path / "src" / "doc.md"
    source.parent.mkdir()
    source.write_text(SOURCE, encoding="utf-8")
    env = {
        "PUBLISH_SPEECH_CACHE": str(tmp_path / "speech"),
        "PUBLISH_COVER_CACHE": str(tmp_path / "covers"),
        "PUBLISH_BUILD_CACHE": str(tmp_path / "builds"),
    }
    return source, tmp_path / "out", env


SUMMARY = r"^rebuilt (\S+) in (\d+\.\d{3}) s: (.*)$"


def test_watch_rebuilds_on_save_keeps_outputs_on_error_and_stops_on_ctrl_c(
    folder: tuple[Path, Path, dict[str, str]],
) -> None:
    source, out, env = folder
    args = [str(source), "--out", str(out), "--formats", "html,epub"]
    with Watching(args, env) as watching:
        watching.expect("out", r"^built .* in \d+\.\d{3} s: 3 files written$")
        # the source, its lexicon and four cover names, present or not
        watching.expect("out", rf"^watching 6 inputs of {re.escape(str(source))}; press Ctrl-C")
        page = out / "doc.html"
        before = page.read_bytes()

        source.write_text(SOURCE + "\nA third paragraph, saved later.\n", encoding="utf-8")
        found = watching.expect("out", SUMMARY)
        assert found.group(1) == str(source)
        assert found.group(3) == "3 files written"
        edited = page.read_bytes()
        assert edited != before
        assert b"A third paragraph, saved later." in edited
        epub = (out / "doc.epub").read_bytes()

        source.write_text(SOURCE.replace("title: Watched", "title: [Watched"), encoding="utf-8")
        watching.expect("err", rf"^{re.escape(str(source))}:\d+:\d+: error F001 ")
        watching.expect("err", r"^publish: build failed: 1 error; earlier outputs are unchanged$")
        assert page.read_bytes() == edited
        assert (out / "doc.epub").read_bytes() == epub

        source.write_text(SOURCE + "\nFixed, and a fourth paragraph.\n", encoding="utf-8")
        watching.expect("out", SUMMARY)
        assert b"a fourth paragraph" in page.read_bytes()

        children = watching.descendants()
        status, err = watching.interrupt()
    assert status == 130, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "publish: stopped watching"
    assert _gone(children), "the watch left a process running"
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no temporary files

    # its manifest is the one `publish build` keeps: the same command has nothing to do
    build = [sys.executable, "-m", "pipeline", "build", *args]
    done = subprocess.run(
        build, capture_output=True, text=True, env={**os.environ, **env}, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"unchanged {out / 'doc.html'}",
        f"unchanged {out / 'doc.accessibility.html'}",
        f"unchanged {out / 'doc.epub'}",
    ]


def test_sigterm_stops_the_watch_like_ctrl_c(folder: tuple[Path, Path, dict[str, str]]) -> None:
    source, out, env = folder
    with Watching([str(source), "--out", str(out), "--formats", "html"], env) as watching:
        watching.expect("out", r"^watching ")
        status, err = watching.interrupt("SIGTERM")
    assert status == 130, err
    assert err.splitlines() == ["publish: stopped watching"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--rate", "10"], "--rate 10 is outside 80-450 words per minute"),
        (["--formats", "pdf"], "unknown format 'pdf'"),
        (["--out", "SOURCE_FOLDER"], "contains the source"),
    ],
)
def test_a_wrong_command_is_a_usage_error_not_a_watch(
    *, extra: list[str], message: str, tmp_path: Path, capsys: Capture
) -> None:
    from support import run_cli

    source = tmp_path / "src" / "doc.md"
    source.parent.mkdir()
    source.write_text(SOURCE, encoding="utf-8")
    extra = [str(source.parent) if arg == "SOURCE_FOLDER" else arg for arg in extra]
    status, out, err = run_cli(["watch", source, "--out", tmp_path / "out", *extra], capsys)
    assert status == 2
    assert message in err
    assert "watching" not in out


def _helpers(pids: set[int]) -> set[int]:
    """The espeak-ng helper processes (``speech.zygote``) among ``pids``."""
    return {
        process.pid
        for process in processes()
        if process.pid in pids and "pipeline.audio.speech.zygote" in process.command
    }


def test_watch_with_audio_stays_warm_and_counts_what_it_redid(
    folder: tuple[Path, Path, dict[str, str]],
) -> None:
    source, out, env = folder
    args = [str(source), "--out", str(out), "--formats", "html,audio"]
    with Watching(args, env) as first:
        first.expect("out", r"^built .*: 8 files written, \d+ utterances synthesised, (\d+) of \1 ")
        first.expect("out", r"^watching ")
        first.interrupt()

    with Watching(args, env) as watching:  # now up to date: it builds nothing, but warms up
        watching.expect("out", rf"^up to date: {re.escape(str(source))} \(8 outputs unchanged\)$")
        watching.expect("out", r"^watching ")
        [helper] = _helpers(watching.descendants())  # started by the warm-up
        mp3 = (out / "doc.mp3").read_bytes()
        for number, word in enumerate(("little", "lot"), start=1):
            text = SOURCE.replace("a little more", f"a {word} more, edit {number}")
            source.write_text(text, encoding="utf-8")
            found = watching.expect("out", SUMMARY)
            assert re.fullmatch(
                r"8 files written, 1 utterance synthesised, 1 of (\d+) segments encoded",
                found.group(3),
            ), found.group(0)
            assert _helpers(watching.descendants()) == {helper}  # the same helper, reused
        assert (out / "doc.mp3").read_bytes() != mp3
        assert "edit 2" in (out / "doc.narration.txt").read_text(encoding="utf-8")
        children = watching.descendants()
        status, err = watching.interrupt()
    assert status == 130, err
    assert "Traceback" not in err
    assert _gone(children), "the speech helper or an encoder outlived the watch"


SLOWED = slowed_publish(0.3)


def test_ctrl_c_in_the_middle_of_a_rebuild_leaves_the_earlier_outputs(
    folder: tuple[Path, Path, dict[str, str]],
) -> None:
    source, out, env = folder
    args = [str(source), "--out", str(out), "--formats", "html,audio"]
    with Watching(args, env, script=SLOWED) as watching:
        watching.expect("out", r"^watching ")
        earlier = {p.name: p.read_bytes() for p in out.iterdir()}
        speech = Path(env["PUBLISH_SPEECH_CACHE"])
        entries = len(list(speech.rglob("*.wav")))
        more = "".join(f"\nNew paragraph {n} says something new.\n" for n in range(20))
        source.write_text(SOURCE + more, encoding="utf-8")
        deadline = time.monotonic() + TIMEOUT
        while len(list(speech.rglob("*.wav"))) < entries + 2:  # the rebuild is speaking
            assert watching.process.poll() is None
            assert time.monotonic() < deadline, "the rebuild did not start"
            time.sleep(0.05)
        children = watching.descendants()
        status, err = watching.interrupt()
    assert status == 130, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "publish: interrupted; earlier outputs are unchanged"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier  # nothing new, no leftovers
    assert _gone(children), "the speech helper or an encoder outlived the watch"


#: Starts a session on outputs that are up to date, then rebuilds after an edit; prints the
#: modules the rebuild imported.
FIRST_REBUILD = """
import json, sys
from pathlib import Path
from pipeline.formats import registry as writers
from pipeline.request import Request
from pipeline.watch import Session
source, out = Path(sys.argv[1]), Path(sys.argv[2])
writers.configure("audio", engine="pyttsx3", voice=None, rate=175)
request = Request((source,), out, {"formats": "html,audio"})
session = Session(request, writers.select("html,audio"))
session.start()
before = set(sys.modules)
text = source.read_text(encoding="utf-8")
source.write_text(text + f"\\nOne more sentence, {len(text)} characters after the first.\\n")
assert session.update()
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_the_first_rebuild_after_an_up_to_date_start_imports_nothing_heavy(
    folder: tuple[Path, Path, dict[str, str]],
) -> None:
    """The warm-up imports what a rebuild needs (``audio.writer.WARM``): keep it current."""
    source, out, env = folder
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    command = [sys.executable, "-c", FIRST_REBUILD, str(source), str(out)]
    for _ in range(2):  # the first run builds; the second starts up to date
        done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
        assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout
    imported = json.loads(done.stdout.splitlines()[-1])
    heavy = ("pipeline", "numpy", "mutagen", "markdown_it", "yaml", "PIL", "imageio_ffmpeg")
    heavy += ("num2words", "babel", "sentencex", "roman")  # reading the text (0.5-0.7 s)
    assert [name for name in imported if name.split(".")[0] in heavy] == []
