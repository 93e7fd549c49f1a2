"""./scripts/serve installs only when it must (no .venv, an unsuitable Python, pyproject.toml newer than the
install) and otherwise starts at once without pip, so it works with no package index reachable.

Each test runs the real script in a copy of the checkout's layout. `pip` inside the copy's .venv is a stand-in
that records its arguments (and, like the real one, installs the console script), and `python3` on PATH makes
that .venv: what is checked is what the script decides to run, not pip itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]

FAKE_PIP = """\
import os, sys
from pathlib import Path
venv = Path(sys.prefix)
with open(os.environ["PIP_LOG"], "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
script = venv / "bin" / "mcp-server-clockify"
script.write_text("#!/bin/sh\\necho started \\"$@\\" CLOCKIFY_SANDBOX=$CLOCKIFY_SANDBOX\\n")
script.chmod(0o755)
"""

# `python3` as a user's PATH offers it: a real interpreter, whose `-m venv` makes a venv with the pip stand-in.
FAKE_PYTHON3 = f"""\
#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  "{sys.executable}" -m venv --without-pip "$3" || exit 1
  site=$("$3/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  mkdir -p "$site/pip" && cp "$FAKE_PIP" "$site/pip/__main__.py" && touch "$site/pip/__init__.py"
  exit 0
fi
exec "{sys.executable}" "$@"
"""


def checkout(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "serve", repo / "scripts" / "serve")
    shutil.copy2(ROOT / "pyproject.toml", repo / "pyproject.toml")
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "fake_pip.py").write_text(FAKE_PIP)
    (tools / "python3").write_text(FAKE_PYTHON3)
    (tools / "python3").chmod(0o755)
    env = {
        "PATH": f"{tools}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PIP_LOG": str(tmp_path / "pip.log"),
        "FAKE_PIP": str(tools / "fake_pip.py"),
    }
    return repo, env


def serve(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(repo / "scripts" / "serve"), *args], env=env, capture_output=True, text=True, timeout=120
    )


def pip_calls(env: dict[str, str]) -> list[str]:
    log = Path(env["PIP_LOG"])
    return log.read_text().splitlines() if log.exists() else []


def test_first_run_installs_then_later_runs_start_without_pip(tmp_path: Path) -> None:
    repo, env = checkout(tmp_path)
    first = serve(repo, env, "--version")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "started --version CLOCKIFY_SANDBOX=auto"
    assert pip_calls(env) == ["install --quiet --disable-pip-version-check -e ."]
    for _ in range(2):
        again = serve(repo, env, "--sandbox")
        assert again.returncode == 0, again.stderr
        assert again.stdout.strip() == "started --sandbox CLOCKIFY_SANDBOX=auto"
    assert len(pip_calls(env)) == 1, "a complete .venv was reinstalled"
    assert again.stderr == ""


def test_pyproject_newer_than_the_install_reinstalls_once(tmp_path: Path) -> None:
    repo, env = checkout(tmp_path)
    serve(repo, env)
    earlier = time.time() - 60  # the install happened a minute before pyproject.toml was edited
    os.utime(repo / ".venv" / ".installed", (earlier, earlier))
    (repo / "pyproject.toml").touch()
    assert serve(repo, env).returncode == 0
    assert serve(repo, env).returncode == 0
    assert len(pip_calls(env)) == 2


def test_a_venv_from_an_unsuitable_python_is_recreated(tmp_path: Path) -> None:
    repo, env = checkout(tmp_path)
    old = repo / ".venv" / "bin"
    old.mkdir(parents=True)
    # What a .venv made by Python 3.9 answers to the version check (its interpreter is real but too old).
    (old / "python").write_text("#!/bin/sh\nexit 1\n")
    (old / "python").chmod(0o755)
    (old / "mcp-server-clockify").write_text("#!/bin/sh\necho old venv\n")
    (old / "mcp-server-clockify").chmod(0o755)
    (repo / ".venv" / ".installed").touch()
    run = serve(repo, env)
    assert run.returncode == 0, run.stderr
    assert "unsuitable Python; recreating it" in run.stderr
    assert run.stdout.startswith("started")
    assert len(pip_calls(env)) == 1
    assert (repo / ".venv" / "pyvenv.cfg").exists()


def test_a_venv_whose_interpreter_is_gone_is_recreated(tmp_path: Path) -> None:
    repo, env = checkout(tmp_path)
    serve(repo, env)
    python = repo / ".venv" / "bin" / "python"
    python.unlink()
    python.symlink_to(tmp_path / "uninstalled-python3.11")
    run = serve(repo, env)
    assert run.returncode == 0, run.stderr
    assert len(pip_calls(env)) == 2
