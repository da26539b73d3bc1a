"""Special files (FIFOs, sockets, devices, folders) are never read as input nor replaced by an output."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from toolkit.catalogs import load_catalog
from toolkit.cli import cli
from toolkit.errors import CatalogError, OutputError
from toolkit.fsutil import (
    FileTooLargeError,
    NotRegularFileError,
    read_regular,
    read_regular_text,
    write_output,
)

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX feature")


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def test_read_regular_reads_a_file_and_follows_links(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_bytes(b"a: 1\r\nb: 2\r\n")
    (tmp_path / "link.yml").symlink_to(path)
    assert read_regular(tmp_path / "link.yml") == b"a: 1\r\nb: 2\r\n"
    assert read_regular_text(path) == "a: 1\nb: 2\n", "newlines as Path.read_text gives them"
    assert read_regular(path, max_bytes=12) == b"a: 1\r\nb: 2\r\n"
    with pytest.raises(FileTooLargeError, match="larger than 11 bytes"):
        read_regular(path, max_bytes=11)


def unix_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> socket.socket:
    """A listening socket file ``tmp_path/sock`` (bound by a relative name: socket paths must be short)."""
    listener = socket.socket(socket.AF_UNIX)
    with monkeypatch.context() as here:
        here.chdir(tmp_path)
        listener.bind("sock")
    return listener


def test_read_regular_refuses_special_files_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deadline: None
) -> None:
    listener = unix_socket(tmp_path, monkeypatch)
    kinds = {
        fifo(tmp_path / "pipe.yml"): "a FIFO",
        tmp_path / "sock": "a socket",
        Path("/dev/null"): "a character device",
        tmp_path: "a folder",
    }
    for path, kind in kinds.items():
        with pytest.raises(NotRegularFileError) as caught:
            read_regular(path)
        assert isinstance(caught.value, OSError)
        assert str(caught.value) == f"is not a regular file ({kind}); remove it or replace it with one"
        assert caught.value.filename == str(path)
    listener.close()


def test_answers_file_that_is_a_fifo_is_refused(tmp_path: Path, deadline: None) -> None:
    answers = fifo(tmp_path / "answers.yml")
    result = CliRunner().invoke(cli, ["init", "--no-input", "--answers", str(answers), str(tmp_path / "c")])
    assert result.exit_code == 2, result.output
    assert f"{answers}: cannot read the answers file: is not a regular file (a FIFO)" in result.stderr
    assert not (tmp_path / "c").exists()


def test_repository_catalog_that_is_a_fifo_is_a_finding(tmp_path: Path, deadline: None) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "valid-minimal" / "repo", repo)
    (repo / "controls").mkdir(exist_ok=True)
    fifo(repo / "controls" / "x.yml")
    result = CliRunner().invoke(cli, ["check", str(repo), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "catalog-invalid" in result.stdout
    assert "is not a regular file (a FIFO)" in result.stdout


def test_a_catalog_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = EXAMPLES / "catalog-invalid" / "repo" / "controls" / "demo.yml"
    path = tmp_path / "demo.yml"
    shutil.copyfile(source, path)
    opened: list[str] = []
    real_open = os.open

    def open_(name: Any, *args: Any, **kwargs: Any) -> int:
        opened.append(str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    real_read_text = Path.read_text

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        opened.append(str(self))
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    with pytest.raises(CatalogError, match=r"demo\.yml:12:"):
        load_catalog(path)
    assert opened.count(str(path)) == 1


# --- outputs -------------------------------------------------------------------------------------------


def is_char_device(path: str | Path) -> bool:
    return stat.S_ISCHR(Path(path).stat().st_mode)


def null_devices(tmp_path: Path) -> list[Path]:
    """/dev/null, and as root a private copy of it (a character device that a test may lose)."""
    devices = [Path("/dev/null")]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        private = tmp_path / "null"
        os.mknod(private, stat.S_IFCHR | 0o666, Path("/dev/null").stat().st_rdev)
        devices.insert(0, private)
    return devices


@pytest.mark.parametrize("command", [["check"], ["soa", "--format", "csv"]])
def test_output_to_a_character_device_keeps_the_device(tmp_path: Path, command: list[str]) -> None:
    repo = EXAMPLES / "valid-minimal" / "repo"
    for device in null_devices(tmp_path):
        result = CliRunner().invoke(cli, [*command, str(repo), "-o", str(device)])
        assert result.exit_code == 0, result.output
        assert is_char_device(device), f"{device} was replaced by a regular file"
        assert device.stat().st_rdev == Path("/dev/null").stat().st_rdev
    assert not [p.name for p in Path("/dev").glob(".null.*")], "no temporary file left in /dev"


def test_output_dash_is_standard_output() -> None:
    repo = EXAMPLES / "valid-minimal" / "repo"
    check = CliRunner().invoke(cli, ["check", str(repo), "-o", "-", "--format", "json"])
    assert check.exit_code == 0, check.output
    assert check.stdout.lstrip().startswith("{") and '"passed": true' in check.stdout
    soa = CliRunner().invoke(cli, ["soa", str(repo), "-o", "-"])
    assert soa.exit_code == 0, soa.output
    assert soa.stdout.startswith("#") or "|" in soa.stdout, "markdown by default"
    assert not Path("-").exists()


def test_output_to_a_fifo_reaches_its_reader(tmp_path: Path, deadline: None) -> None:
    pipe = fifo(tmp_path / "report.json")
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    repo = EXAMPLES / "valid-minimal" / "repo"
    try:
        for _ in range(200):  # wait until the reader has the FIFO open
            result = CliRunner().invoke(cli, ["check", str(repo), "-o", str(pipe)])
            if result.exit_code != 2:
                break
            threading.Event().wait(0.01)
    finally:
        reader.join(timeout=10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert b'"passed": true' in received[0]


def test_output_to_a_fifo_nobody_reads_is_refused_at_once(tmp_path: Path, deadline: None) -> None:
    pipe = fifo(tmp_path / "report.json")
    result = CliRunner().invoke(cli, ["check", str(EXAMPLES / "valid-minimal" / "repo"), "-o", str(pipe)])
    assert result.exit_code == 2, result.output
    assert f"{pipe}: cannot write: a FIFO that nobody reads" in result.stderr
    assert stat.S_ISFIFO(pipe.lstat().st_mode)


def test_output_to_a_folder_or_socket_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(OutputError, match="it is a folder, not a file"):
        write_output(tmp_path, "report")
    listener = unix_socket(tmp_path, monkeypatch)
    with pytest.raises(OutputError, match="it is a socket, not a file"):
        write_output(tmp_path / "sock", "report")
    listener.close()
    assert stat.S_ISSOCK((tmp_path / "sock").lstat().st_mode)


def test_output_to_a_regular_file_is_still_atomic(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")
    write_output(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert not [p.name for p in tmp_path.iterdir() if p.name != "report.txt"], "no temporary file left"
