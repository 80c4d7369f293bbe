"""Intake on SQLite and PostgreSQL: storage once, provenance each time, bad input coded."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from indicia import Case
from indicia.errors import ErrorCode, IntakeError
from tests.conftest import Backend


def test_same_bytes_are_stored_once_with_two_provenance_records(
    case: Case, make_files: Callable[..., Path]
) -> None:
    folder = make_files({"a.txt": "same bytes", "b/c.txt": "same bytes", "d.txt": "other"})
    report = case.add([folder], source_url="https://example.org/page", note="first pass")
    assert report.summary() == {"added": 2, "recollected": 1, "unchanged": 0, "failed": 0}
    docs = {d.sha256: d for d in case.documents()}
    assert len(docs) == 2
    shared = next(d for d in docs.values() if len(d.provenance) == 2)
    paths = sorted(Path(p.original_path).name for p in shared.provenance)
    assert paths == ["a.txt", "c.txt"]
    assert sorted(case.blobs.iter_shas()) == sorted(docs)


def test_provenance_fields_are_recorded(case: Case, make_files: Callable[..., Path]) -> None:
    folder = make_files({"n.html": "<html><body>synthetic</body></html>"})
    os.utime(folder / "n.html", (1_700_000_000, 1_700_000_000))
    case.add(
        [folder / "n.html"],
        source_url="https://gov.example/n",
        final_url="https://gov.example/n?x",
        collected_at="2026-03-14T11:30:00+02:00",
        collector="Investigator A",
        method="web-capture",
        note="saved from the browser",
    )
    (doc,) = case.documents()
    (prov,) = doc.provenance
    assert prov.source_url == "https://gov.example/n"
    assert prov.final_url == "https://gov.example/n?x"
    assert prov.collected_at == "2026-03-14T09:30:00.000000Z"
    assert prov.collector == "Investigator A"
    assert prov.method == "web-capture"
    assert prov.note == "saved from the browser"
    assert prov.tool == "indicia" and prov.tool_version
    assert prov.original_path == str(folder / "n.html")
    assert prov.original_mtime == "2023-11-14T22:13:20.000000Z"
    assert prov.recorded_at == doc.added_at
    assert prov.declared_type == "text/html"


def test_collected_at_defaults_to_intake_time_and_collector_to_actor(
    case: Case, make_files: Callable[..., Path]
) -> None:
    case.add([make_files({"x.txt": "x"})])
    (prov,) = case.documents()[0].provenance
    assert prov.collected_at == prov.recorded_at
    assert prov.collector == "tester" and prov.method == "file-copy"


def test_rerun_with_same_provenance_adds_nothing(
    case: Case, make_files: Callable[..., Path]
) -> None:
    folder = make_files({"a.txt": "a", "b.txt": "b"})
    case.add([folder], source_url="https://example.org/")
    head = case.head()
    again = case.add([folder], source_url="https://example.org/")
    assert again.summary()["unchanged"] == 2
    assert case.head() == head
    assert sum(len(d.provenance) for d in case.documents()) == 2


def tiny_png() -> bytes:
    """A valid 1x1 grey PNG, built by hand."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "looks-like.txt", "application/pdf"),
        (
            b"<!DOCTYPE html><html><head><title>t</title></head><body>x</body></html>",
            "page.pdf",
            "text/html",
        ),
        ("纯文本，没有扩展名。".encode(), "noext", "text/plain"),
        (tiny_png(), "image.docx", "image/png"),
        (
            b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
            b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>',
            "page.xml",
            "application/xhtml+xml",
        ),
    ],
)
def test_media_type_is_sniffed_from_content_not_extension(
    case: Case, make_files: Callable[..., Path], content: bytes, name: str, expected: str
) -> None:
    folder = make_files({name: content})
    (item,) = case.add([folder / name]).items
    assert item.media_type == expected
    doc = case.documents()[0]
    assert doc.media_type == expected


def test_docx_from_the_demo_corpus_is_recognised(case: Case) -> None:
    from importlib.resources import files

    corpus = Path(str(files("indicia").joinpath("data/samples/demo")))
    docx = next(corpus.glob("*.docx"))
    (item,) = case.add([docx]).items
    assert (
        item.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Path]:
    """A folder of things intake must refuse, next to one good file."""
    root = tmp_path / "hostile"
    root.mkdir()
    (root / "good.txt").write_text("synthetic evidence")
    (root / "empty.txt").write_bytes(b"")
    os.mkfifo(root / "fifo")
    (root / "loop-a").symlink_to(root / "loop-b")
    (root / "loop-b").symlink_to(root / "loop-a")
    (root / "dangling").symlink_to(root / "nowhere")
    (root / "dir-loop").mkdir()
    (root / "dir-loop" / "up").symlink_to(root)
    (root / "device").symlink_to("/dev/null")
    # A Unix socket path is limited to ~100 bytes: bind from inside the folder.
    cwd = Path.cwd()
    os.chdir(root)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind("sock")
    os.chdir(cwd)
    yield root
    sock.close()


def test_bad_inputs_get_stable_codes_and_the_batch_goes_on(case: Case, hostile: Path) -> None:
    report = case.add([hostile, hostile / "missing.txt"])
    by_name = {Path(i.path).name: i for i in report.items}
    assert by_name["good.txt"].status == "added"
    expected = {
        "empty.txt": ErrorCode.EMPTY_FILE,
        "fifo": ErrorCode.NOT_A_REGULAR_FILE,
        "sock": ErrorCode.NOT_A_REGULAR_FILE,
        "device": ErrorCode.NOT_A_REGULAR_FILE,
        "loop-a": ErrorCode.SYMLINK_LOOP,
        "loop-b": ErrorCode.SYMLINK_LOOP,
        "up": ErrorCode.SYMLINK_LOOP,
        "dangling": ErrorCode.PATH_NOT_FOUND,
        "missing.txt": ErrorCode.PATH_NOT_FOUND,
    }
    assert {n: by_name[n].error_code for n in expected} == {n: c.value for n, c in expected.items()}
    assert not report.ok and len(report.failed) == len(expected)
    rejected = [e for e in case.custody() if e.action == "intake.rejected"]
    assert {e.details["error_code"] for e in rejected} == {c.value for c in expected.values()}
    assert case.verify().ok


def test_size_limit(backend: Backend, make_files: Callable[..., Path]) -> None:
    backend.settings = replace(backend.settings, max_file_size=10)
    with backend.create() as case:
        folder = make_files({"small.txt": "0123456789", "big.txt": "0123456789A"})
        report = case.add([folder])
    codes = {Path(i.path).name: i.error_code for i in report.items}
    assert codes == {"big.txt": ErrorCode.FILE_TOO_LARGE.value, "small.txt": None}


@pytest.mark.skipif(os.geteuid() != 0, reason="run as root; as a user, chmod 0 suffices")
def test_permission_denied(backend: Backend, tmp_path: Path) -> None:
    """Root reads everything: run the CLI as root without the capabilities that bypass file
    permissions (setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH)."""
    import subprocess
    import sys

    inbox = tmp_path / "in"
    (inbox / "closed").mkdir(parents=True)
    (inbox / "open.txt").write_text("readable")
    (inbox / "secret.txt").write_text("not readable")
    (inbox / "closed" / "x.txt").write_text("x")
    (inbox / "secret.txt").chmod(0)
    (inbox / "closed").chmod(0)
    backend.create().close()
    try:
        done = subprocess.run(
            [
                "setpriv",
                "--bounding-set=-dac_override,-dac_read_search",
                "--",
                sys.executable,
                "-m",
                "indicia.cli",
                "add",
                str(tmp_path / "case"),
                str(inbox),
            ],
            env=backend.env(),
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        (inbox / "closed").chmod(0o755)
    assert done.returncode == 3, done.stderr
    assert f"E102 {inbox / 'secret.txt'}: permission denied" in done.stderr
    assert f"E102 {inbox / 'closed'}: permission denied" in done.stderr
    assert "1 added" in done.stdout


def test_invalid_provenance_is_refused_before_anything_is_stored(
    case: Case, make_files: Callable[..., Path]
) -> None:
    folder = make_files({"a.txt": "a"})
    for kwargs in (
        {"source_url": "not a url"},
        {"collected_at": "yesterday"},
        {"collected_at": "2026-03-14T09:30:00"},
        {"method": "Web Capture"},
    ):
        with pytest.raises(IntakeError) as err:
            case.add([folder], **kwargs)  # type: ignore[arg-type]
        assert err.value.code == ErrorCode.INVALID_PROVENANCE
    assert case.documents() == []


def test_blob_write_is_atomic_and_read_only(case: Case, make_files: Callable[..., Path]) -> None:
    case.add([make_files({"a.txt": "a" * 5000})])
    (doc,) = case.documents()
    path = case.original_path(doc)
    assert path.stat().st_mode & 0o777 == 0o444
    assert path.parent.parent == case.blobs.root and path.parent.name == doc.sha256[:2]
    assert list(case.blobs.tmp.iterdir()) == []


def test_file_growing_past_the_limit_while_read_is_refused(
    backend: Backend, tmp_path: Path
) -> None:
    from indicia.collect.intake import _LimitedReader

    source = tmp_path / "grows.bin"
    source.write_bytes(b"x" * 100)
    with source.open("rb") as fh:
        reader = _LimitedReader(fh, limit=50)
        with pytest.raises(IntakeError) as err:
            reader.read(1000)
    assert err.value.code == ErrorCode.FILE_TOO_LARGE


def test_stale_temporary_files_of_dead_processes_are_removed(case: Case) -> None:
    stale = case.blobs.tmp / "999999999-abc.part"
    stale.write_bytes(b"partial")
    mine = case.blobs.tmp / f"{os.getpid()}-abc.part"
    mine.write_bytes(b"in progress")
    assert case.blobs.clean_stale_tmp() == 1
    assert not stale.exists() and mine.exists()
    mine.unlink()


def test_orphan_blob_from_a_killed_run_is_adopted(
    case: Case, make_files: Callable[..., Path]
) -> None:
    folder = make_files({"a.txt": "orphaned then adopted"})
    with (folder / "a.txt").open("rb") as fh:
        blob = case.blobs.put(fh)
    (item,) = case.add([folder]).items
    assert item.status == "added" and item.sha256 == blob.sha256
    assert stat.S_IMODE(case.blobs.path_for(blob.sha256).stat().st_mode) == 0o444
    assert case.verify().ok
