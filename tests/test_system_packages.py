"""scripts/install-system-packages, run against stub commands on a private PATH: with everything
present it installs nothing and contacts nothing; with something missing and no root it says
the install command and fails."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "install-system-packages"
FONTS = "\n".join(["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono"] + [f"Font {n}" for n in range(3000)])


def stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/bash\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def stub_machine(folder: Path, *, uid: int, present: set[str]) -> Path:
    """A PATH holding only stubs; apt-get, and anything that would reach a network, log calls."""
    calls = folder / "calls.log"
    for name in ("chromium", "pdftotext", "pdftoppm"):
        if name in present:
            stub(folder, name, "exit 0")
    if "fonts" in present:
        # long output, like a real font list: `fc-list | grep -q` would die of SIGPIPE here
        (folder / "fonts.txt").write_text(FONTS, encoding="utf-8")
        stub(folder, "fc-list", f'printf "%s\\n" "$(<{folder / "fonts.txt"})"')  # builtins only
    stub(folder, "id", f"echo {uid}")
    for name in ("apt-get", "apt", "curl", "wget"):
        stub(folder, name, f'echo "{name} $*" >> {calls}')
    return calls


def run(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["/bin/bash", str(SCRIPT)], env={"PATH": str(folder)}, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("uid", [0, 1000], ids=["root", "user"])
def test_everything_present_installs_nothing_and_contacts_nothing(tmp_path: Path, uid: int) -> None:
    calls = stub_machine(tmp_path, uid=uid, present={"chromium", "pdftotext", "pdftoppm", "fonts"})
    for _ in range(20):  # the SIGPIPE failure was random: try it many times
        result = run(tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout == result.stderr == ""
    assert not calls.exists(), calls.read_text()


def test_missing_package_without_root_prints_the_command_and_fails(tmp_path: Path) -> None:
    calls = stub_machine(tmp_path, uid=1000, present={"chromium", "fonts"})
    result = run(tmp_path)
    assert result.returncode != 0
    assert "sudo apt-get update && sudo apt-get install -y poppler-utils" in result.stderr
    assert not calls.exists()


def test_missing_package_as_root_installs_just_that(tmp_path: Path) -> None:
    calls = stub_machine(tmp_path, uid=0, present={"pdftotext", "pdftoppm", "fonts"})
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert calls.read_text().splitlines() == [
        "apt-get update -qq", "apt-get install -y -qq --no-install-recommends chromium"]
