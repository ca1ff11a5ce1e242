"""What `pip install .` installs (the Docker image does): every file the runtime packages read
at run time must be in the wheel, not only in the checkout an editable install points at."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT

RUNTIME_PACKAGES = ("schemas", "workers", "flows")


def _tracked(*paths: str) -> list[str]:
    return subprocess.run(
        ["git", "ls-files", *paths], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()


def test_the_wheel_holds_every_data_file_of_the_runtime_packages(tmp_path: Path) -> None:
    # Built from a copy of the tracked files: setuptools reuses a build/ folder it finds, which
    # would hide a file the package data leaves out.
    source = tmp_path / "src"
    for path in _tracked("pyproject.toml", "README.md", *RUNTIME_PACKAGES):
        (source / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, source / path)
    uv = str(Path(sys.executable).with_name("uv"))
    build = [uv, "build", "--wheel", "--no-build-isolation", "--python", sys.executable]
    subprocess.run(
        [*build, "-q", "-o", str(tmp_path), "."],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    data = [path for path in _tracked(*RUNTIME_PACKAGES) if not path.endswith(".py")]
    assert any(path.startswith("workers/entities/patterns/") for path in data)
    assert [path for path in data if path not in names] == []
