"""The ``publish`` command.

Exit status: 0 success (warnings allowed), 1 errors in a source, a failed
check or a missing validator, 2 usage errors. Problems are printed one per
line as ``path:line:col: severity CODE message`` on standard error; a bad
source never produces a traceback.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__
from pipeline.diagnostics import Diagnostic, ExternalError, PipelineError, UsageError, summary

if TYPE_CHECKING:
    from pipeline.formats.registry import Writer
    from pipeline.request import Request

DEFAULT_SOURCE = Path("source/article.md")
DEFAULT_OUT = Path("outputs")

EXIT_OK, EXIT_SOURCE, EXIT_USAGE = 0, 1, 2


def _build_options(command: argparse.ArgumentParser) -> None:
    """The options of ``build`` and ``watch`` (the same build, so the same manifest)."""
    command.add_argument(
        "sources",
        nargs="*",
        type=Path,
        metavar="SOURCE",
        help=f"Markdown manuscripts (default: {DEFAULT_SOURCE})",
    )
    command.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"output folder (default: {DEFAULT_OUT}/)",
    )
    command.add_argument(
        "--formats",
        metavar="LIST",
        help="comma-separated formats to build (default: every available format but onix)",
    )
    command.add_argument("--strict", action="store_true", help="treat warnings as errors")
    command.add_argument(
        "--engine",
        metavar="NAME",
        help="speech engine for audio: piper (offline, neural), pyttsx3 (offline, espeak-ng, "
        "fast) or gtts (online). Default: piper where one of its voices reads the document "
        "language, else pyttsx3",
    )
    command.add_argument(
        "--voice",
        metavar="ID",
        help="voice id, or a Piper voice file path/to/voice.onnx (its .onnx.json beside it). "
        "Default: the engine's voice for the document language; see 'publish voices'",
    )
    command.add_argument(
        "--rate",
        type=int,
        default=175,
        metavar="WPM",
        help="speaking rate in words per minute (default: 175)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="publish",
        description="Build an EPUB 3, an accessible HTML page and narrated audio "
        "from one Markdown manuscript.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="build outputs from Markdown sources")
    _build_options(build)
    build.add_argument(
        "--check",
        action="store_true",
        help="then run the validators on what was built and write the conformance report",
    )
    build.add_argument(
        "--force",
        action="store_true",
        help="build even if nothing changed since the last build of these sources here",
    )

    watch = commands.add_parser(
        "watch",
        help="build, then rebuild whenever a source, image or lexicon changes",
        description="Build like 'publish build' (skipped when nothing changed), then stay "
        "up and rebuild each time an input of the build changes: the sources, their images, "
        "lexicons and cover files. One process, so a rebuild after an edit costs only what "
        "the edit changed. Each build prints its diagnostics and one summary line; a build "
        "that fails leaves the earlier outputs as they were. Ctrl-C stops (status 130).",
    )
    _build_options(watch)
    watch.add_argument(
        "--force",
        action="store_true",
        help="build at start even if nothing changed since the last build",
    )

    check = commands.add_parser(
        "check",
        help="run the validators on built outputs; write OUT/<stem>.report.html and .json",
        description="Run EPUBCheck, Ace, axe-core, the Nu HTML Checker and audio probes on "
        "the built artifacts and write a conformance report per document. Exit status 0 "
        "when every check passes, 1 when any fails or a validator is missing.",
    )
    check.add_argument(
        "out_dirs",
        nargs="*",
        type=Path,
        metavar="OUT",
        help=f"output folders to check (default: {DEFAULT_OUT}/)",
    )
    check.add_argument(
        "--source",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="the manuscript of a document, matched by stem; repeatable (default: the "
        "path recorded in OUT/<stem>.model.json, else source/<stem>.md)",
    )
    check.add_argument(
        "--install-validators",
        action="store_true",
        help="install the pinned Node validators (Ace, axe-core, vnu.jar) with npm ci into "
        "$PUBLISH_VALIDATORS, else $XDG_DATA_HOME/accessible-publish/validators "
        "(~/.local/share/...), and say what else is missing; then check OUT if given",
    )

    voices = commands.add_parser(
        "voices",
        help="list the speech engines' voices: id, language, quality, licence, installed",
    )
    voices.add_argument("--lang", metavar="TAG", help="only voices for this language (e.g. fr)")
    voices.add_argument(
        "--engine", metavar="NAME", help="only this engine's voices (default: every engine's)"
    )

    serve = commands.add_parser(
        "serve",
        help="preview OUT (default outputs/) over local HTTP with byte ranges, so the "
        "listen-along player can seek; opens its page",
    )
    serve.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT, metavar="OUT")
    serve.add_argument(
        "--port", type=int, default=8000, help="port (default 8000, else a free one)"
    )
    serve.add_argument("--no-open", action="store_true", help="do not open a browser")

    lint = commands.add_parser("lint", help="report problems in sources; write nothing")
    lint.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    lint.add_argument("--strict", action="store_true", help="treat warnings as errors")
    return parser


def _print(diagnostics: Sequence[Diagnostic]) -> None:
    for item in diagnostics:
        print(item, file=sys.stderr)


def _lint(args: argparse.Namespace) -> int:
    from pipeline.build import lint
    from pipeline.diagnostics import has_errors

    status = EXIT_OK
    for source in args.sources:
        found = lint(source, strict_mode=args.strict)
        _print(found)
        print(f"{source}: {summary(found)}", file=sys.stderr)
        if has_errors(found):
            status = EXIT_SOURCE
    return status


def _voices(args: argparse.Namespace) -> int:
    """One line per voice, tab-separated: engine, id, language, quality, licence, installed.

    gTTS's list is a table in its package (no request is made); a failing engine (espeak-ng
    missing) is reported and the others are still listed."""
    from pipeline.audio.speech import ENGINES, get_engine, matching

    names = [args.engine] if args.engine else list(ENGINES)
    shown = 0
    status = EXIT_OK
    print("engine\tvoice\tlanguage\tquality\tlicence\tinstalled")
    for name in names:
        engine = get_engine(name)
        try:
            voices = engine.voices()
        except (ExternalError, ImportError, OSError, RuntimeError) as exc:
            print(f"publish: {name}: cannot list voices: {exc}", file=sys.stderr)
            status = EXIT_SOURCE
            continue
        found = matching(voices, args.lang) if args.lang else voices
        for voice in found:
            installed = "yes" if voice.installed else "no"
            language = ",".join(voice.languages)
            print(f"{name}\t{voice.id}\t{language}\t{voice.quality}\t{voice.licence}\t{installed}")
        shown += len(found)
    if not shown:
        which = f"{args.engine} voice" if args.engine else "voice"
        print(f"publish: no {which} for '{args.lang}'", file=sys.stderr)
        return EXIT_SOURCE
    return status


def _check(out_dirs: Sequence[Path], sources: Sequence[Path] = ()) -> int:
    from pipeline.check.findings import printable
    from pipeline.check.run import run, write
    from pipeline.diagnostics import Severity

    status = EXIT_OK
    for report in run(out_dirs, sources=sources):
        for item in report.findings:
            if item.severity is Severity.ERROR:
                print(printable(str(item)), file=sys.stderr)
        for path in write(report):
            print(printable(f"wrote {path}"))
        counts = ", ".join(f"{n} {k}{'' if n == 1 else 's'}" for k, n in report.counts().items())
        formats = ", ".join(f"{k} {v}" for k, v in report.format_status().items())
        verdict = "pass" if report.passed else "FAIL"
        print(printable(f"{report.out_dir / report.stem}: {verdict} ({formats}; {counts})"))
        if not report.passed:
            status = EXIT_SOURCE
    return status


def _install_validators() -> int:
    """``publish check --install-validators``: npm ci into the validators folder, then name
    every other tool a check still lacks (Java, Chromium, Playwright), with its install command."""
    from pipeline.check import tools

    folder = tools.install_validators()
    print(f"publish: installed Ace by DAISY, axe-core and vnu.jar in {folder}")
    missing = tools.missing(
        tools.ace, tools.axe_script, tools.vnu_jar, tools.java, tools.chromium,
        tools.epubcheck_jar, tools.playwright, tools.ffmpeg,
    )  # fmt: skip
    for line in missing:
        print(f"publish: still missing: {line}", file=sys.stderr)
    if missing:
        return EXIT_SOURCE
    print("publish: every validator publish check runs is installed")
    return EXIT_OK


#: Python packages by the module they provide, where the two names differ.
PACKAGES = {"gtts": "gTTS", "piper": "piper-tts", "PIL": "Pillow", "yaml": "PyYAML"}


def _missing_module(exc: ModuleNotFoundError) -> str:
    """What to install when an import fails: an optional package (Playwright for ``check``,
    a speech engine's package) is named with its pip command instead of a traceback."""
    top = (exc.name or "").partition(".")[0]
    if not top or top == "pipeline":
        return f"this installation of publish is incomplete ({exc}); reinstall accessible-publish"
    package = PACKAGES.get(top, top)
    return f"the Python package {package} is not installed ({exc}): pip install {package}"


def _request(args: argparse.Namespace) -> Request:
    """The sources to build and the options their manifest records (``build`` and ``watch``
    alike, so that one's manifest serves the other)."""
    from pipeline.request import Request

    if args.rate < 80 or args.rate > 450:
        raise UsageError(f"--rate {args.rate} is outside 80-450 words per minute")
    sources = list(args.sources) or [DEFAULT_SOURCE]
    options: dict[str, object] = {
        "formats": args.formats,
        "engine": args.engine,
        "voice": args.voice,
        "rate": args.rate,
        "strict": args.strict,
        "sources": [str(source) for source in sources],
    }
    return Request(tuple(sources), args.out, options, strict=args.strict)


def _writers(args: argparse.Namespace) -> list[Writer]:
    from pipeline.formats.registry import configure, select

    configure("audio", engine=args.engine, voice=args.voice, rate=args.rate)
    return select(args.formats)


def _start_speech(args: argparse.Namespace) -> None:
    """When audio is among the formats, start the speech engine's helper before the heavy
    imports: espeak-ng's helper process then loads (about 50 ms) on the other core while this
    one imports and parses, and speaks the first utterance as soon as the script is known.
    If every utterance turns out to be cached, the helper just exits with the build."""
    wanted = {name.strip().lower() for name in (args.formats or "audio").split(",")}
    if "audio" not in wanted:
        return
    from pipeline.audio.speech import ENGINES, default_engine, prepare

    name = args.engine or default_engine(_declared_lang(args.sources or [DEFAULT_SOURCE]))
    factory = ENGINES.get(name)  # an unknown engine is reported by the build
    if factory is not None:
        prepare(factory())


def _declared_lang(sources: Sequence[Path]) -> str:
    """The first source's ``lang:`` as its front matter declares it (a glance at its first
    lines, before it is parsed): which engine to start early. ``en`` if none is found."""
    import re

    try:
        with sources[0].open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
    except OSError:
        return "en"
    found = re.search(r"^lang(?:uage)?:\s*['\"]?([A-Za-z-]+)", head, re.MULTILINE)
    return found.group(1) if found else "en"


def _build(args: argparse.Namespace) -> int:
    from pipeline.manifest import Recorded
    from pipeline.request import fulfil

    request = _request(args)

    def writers() -> list[Writer]:  # a build runs: the speech helper first, then the imports
        _start_speech(args)
        return _writers(args)

    try:
        done = fulfil(request, writers, force=args.force)
    except PipelineError as exc:
        _print(exc.diagnostics)
        print(
            f"publish: build failed: {summary(exc.diagnostics)}; nothing written", file=sys.stderr
        )
        return EXIT_SOURCE
    if isinstance(done, Recorded):
        for line in done.diagnostics:
            print(line, file=sys.stderr)
        for path in done.outputs:
            print(f"unchanged {path}")
    else:
        _print(done.diagnostics)
        _print_damaged()
        for path in done.written:
            print(f"wrote {path}")
    return _check([args.out], request.sources) if args.check else EXIT_OK


def _print_damaged() -> None:
    """One line for the cache entries a build found damaged and made again, if any."""
    cache = sys.modules.get("pipeline.audio.speech.cache")  # loaded only by audio builds
    damaged: list[Path] = getattr(cache, "DAMAGED", [])
    if damaged:
        print(
            f"publish: info: {len(damaged)} damaged cache "
            f"{'entry was' if len(damaged) == 1 else 'entries were'} made again "
            f"(the first: {damaged[0]})",
            file=sys.stderr,
        )
        damaged.clear()


def _watch(args: argparse.Namespace) -> int:
    from pipeline.watch import Session, run

    session = Session(_request(args), _writers(args))
    return run(session, force=args.force)


def _serve(args: argparse.Namespace) -> int:
    import webbrowser

    from pipeline.serve import serve

    folder: Path = args.out
    if not folder.is_dir():
        raise UsageError(f"no output folder {folder}: build first, or name the folder")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: expected 0 to 65535")
    try:
        serve(folder, port=args.port, open_page=None if args.no_open else webbrowser.open)
    except KeyboardInterrupt:  # the way to stop serving: not a failure
        print("publish: stopped serving", file=sys.stderr)
    return EXIT_OK


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so partial artifacts are removed on the way out."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``publish`` and return its exit status."""
    args = _parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        if args.command == "lint":
            return _lint(args)
        if args.command == "voices":
            return _voices(args)
        if args.command == "check":
            if args.install_validators:
                installed = _install_validators()
                if installed != EXIT_OK or not args.out_dirs:
                    return installed
            return _check(args.out_dirs or [DEFAULT_OUT], args.source)
        if args.command == "watch":
            return _watch(args)
        if args.command == "serve":
            return _serve(args)
        return _build(args)
    except UsageError as exc:
        print(f"publish: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ExternalError as exc:
        for line in str(exc).splitlines():  # several missing validators: one line each
            print(f"publish: error: {line}", file=sys.stderr)
        return EXIT_SOURCE
    except ModuleNotFoundError as exc:
        print(f"publish: error: {_missing_module(exc)}", file=sys.stderr)
        return EXIT_SOURCE
    except KeyboardInterrupt:
        print("publish: interrupted; earlier outputs are unchanged", file=sys.stderr)
        return 130
    except OSError as exc:
        where = f" '{exc.filename}'" if exc.filename else ""
        print(f"publish: error: cannot write{where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_SOURCE
    finally:
        signal.signal(signal.SIGTERM, previous)


def run() -> None:
    """Console-script entry point.

    numpy runs on one BLAS thread (set before numpy loads; the processes started inherit it):
    its only products here are small (the loudness weighting), and after each one OpenBLAS's
    idle threads spin, which took 0.1 s of CPU from the encoders in a 1.6 s audio build of
    the article.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    sys.exit(main())


if __name__ == "__main__":  # `python -m pipeline.cli`, as some launchers call a module
    run()
