"""Ready to publish: the sdist and wheel build offline without warnings, carry the license and the metadata PyPI
shows, the sdist holds every file of the repository, and tests run from an unpacked sdist."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import offline_uv
from mcp_server_clockify import __version__

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()

# Test files that read the repository's other files (README, scripts, .env.example, the catalogue, reference
# data, pyproject.toml): run from the unpacked sdist, they show that it carries what the tests need.
FROM_SDIST = [
    "tests/test_readme.py",
    "tests/test_tool_list.py",
    "tests/test_inventory.py",
    "tests/test_config.py",
    "tests/test_serve_script.py",
    "tests/test_stdio_eof.py",
    "tests/test_doctor.py",
]


@pytest.fixture(scope="module")
def dist() -> tuple[Path, str]:
    """`python -m build` (the sdist, then the wheel built from the unpacked sdist), offline; and its log."""
    out = offline_uv.dist()
    return out, (out.parent / "log.txt").read_text()


def wheel(out: Path) -> Path:
    [found] = out.glob(f"mcp_server_clockify-{__version__}-py3-none-any.whl")
    return found


def sdist(out: Path) -> Path:
    [found] = out.glob(f"mcp_server_clockify-{__version__}.tar.gz")
    return found


def test_build_is_clean(dist: tuple[Path, str]) -> None:
    _, log = dist
    assert not re.search(r"deprecat|SetuptoolsWarning|warning: no files found", log, re.I), log


def test_wheel_metadata_is_what_pypi_shows(dist: tuple[Path, str]) -> None:
    with zipfile.ZipFile(wheel(dist[0])) as whl:
        names = whl.namelist()
        info = f"mcp_server_clockify-{__version__}.dist-info"
        meta = Parser().parsestr(whl.read(f"{info}/METADATA").decode())
    assert meta["Name"] == "mcp-server-clockify"
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert f"{info}/licenses/LICENSE" in names
    assert "mcp_server_clockify/py.typed" in names and "mcp_server_clockify/catalogue.json" in names
    assert meta["Requires-Python"] == ">=3.11"
    assert meta["Description-Content-Type"] == "text/markdown"
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert set(urls) >= {"Homepage", "Repository", "Issues", "Changelog"}
    assert all(u.startswith("https://") for u in urls.values())
    classifiers = meta.get_all("Classifier")
    assert "Programming Language :: Python :: 3.11" in classifiers and "Typing :: Typed" in classifiers
    assert not [c for c in classifiers if c.startswith("License ::")], "PEP 639: the license expression replaces them"
    entry_points = zipfile.ZipFile(wheel(dist[0])).read(f"{info}/entry_points.txt").decode()
    assert "mcp-server-clockify = mcp_server_clockify.cli:main" in entry_points


def test_license_file_is_mit() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text


def test_readme_renders_on_pypi_with_absolute_links_only() -> None:
    """PyPI shows README.md as the project page: a relative link there points nowhere."""
    targets = re.findall(r"\]\(([^)\s]+)\)", README)
    relative = [t for t in targets if not t.startswith(("https://", "http://", "#", "mailto:"))]
    assert not relative


def test_sdist_holds_every_file_of_the_repository(dist: tuple[Path, str]) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (this is the unpacked sdist itself)")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    with tarfile.open(sdist(dist[0])) as tar:
        held = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    missing = [f for f in tracked if f not in held and (ROOT / f).exists()]
    assert not missing


def test_tests_run_from_the_unpacked_sdist(dist: tuple[Path, str], tmp_path: Path) -> None:
    with tarfile.open(sdist(dist[0])) as tar:
        tar.extractall(tmp_path, filter="data")
    unpacked = tmp_path / f"mcp_server_clockify-{__version__}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOCKIFY_", "PYTEST_"))}
    env["PYTHONPATH"] = str(unpacked / "src")  # the sdist's own code, not the checkout's editable install
    where = subprocess.run(
        [sys.executable, "-c", "import mcp_server_clockify as m; print(m.__file__)"],
        env=env,
        cwd=unpacked,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(unpacked)), where
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *FROM_SDIST],
        env=env,
        cwd=unpacked,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    summary = proc.stdout.strip().splitlines()[-1]
    assert re.search(r"\d+ passed", summary) and "skipped" not in summary, summary
