"""E-mail, ZIP and WARC: what they contain becomes documents of their own, linked to them."""

from __future__ import annotations

import gzip
import zipfile
from email.message import EmailMessage
from pathlib import Path

from indicia import Case
from indicia.errors import ErrorCode
from tests.conftest import Backend

NOTE = "SYNTHETIC SAMPLE. 工厂实行封闭式管理，工人不得擅自离开宿舍。"


def eml(path: Path) -> Path:
    msg = EmailMessage()
    msg["From"] = "source@example.org"
    msg["To"] = "desk@example.org"
    msg["Subject"] = "转发：宿舍管理规定"
    msg["Date"] = "Mon, 02 Mar 2026 10:00:00 +0800"
    msg.set_content("Synthetic message. See the attached rules.")
    msg.add_attachment(
        NOTE.encode("gb18030"), maintype="text", subtype="plain", filename="rules.txt"
    )
    path.write_bytes(msg.as_bytes())
    return path


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def warc(path: Path) -> Path:
    """A one-record WARC 1.0 file, gzip-compressed, written out by hand."""
    page = (
        "<html><head><title>通知</title></head><body><article><p>"
        + NOTE
        + "</p></article></body></html>"
    ).encode()
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + f"Content-Length: {len(page)}\r\n\r\n".encode()
        + page
    )
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        "WARC-Record-ID: <urn:uuid:3f7c1c52-7c0e-4b8e-9d5c-2f0b0d6f1a11>\r\n"
        "WARC-Target-URI: https://gov.example/notice/1.html\r\n"
        "WARC-Date: 2026-03-01T08:00:00Z\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    path.write_bytes(gzip.compress(head + http + b"\r\n\r\n"))
    return path


def children_of(case: Case, parent: str) -> list[tuple[str, str, str | None, str | None]]:
    return sorted(
        (Path(p.original_path).name, d.media_type, p.source_url, p.collected_at)
        for d in case.documents()
        for p in d.provenance
        if p.parent_sha256 == parent
    )


def test_email_attachment_becomes_a_searchable_document(backend: Backend, tmp_path: Path) -> None:
    with backend.create() as case:
        (item,) = case.add([eml(tmp_path / "msg.eml")]).items
        assert item.media_type == "message/rfc822"
        report = case.analyze()
        assert report.ok and report.extracted == 2
        assert children_of(case, item.sha256 or "")[0][:2] == ("rules.txt", "text/plain")
        hits = case.search("封闭式管理")
        assert hits and "封闭式管理" in hits[0].text
        assert case.verify().ok


def test_zip_members_nested_zip_and_hostile_names(backend: Backend, tmp_path: Path) -> None:
    inner = zipped(tmp_path / "inner.zip", {"deep/note.txt": NOTE.encode()})
    outer = zipped(
        tmp_path / "outer.zip",
        {
            "a.txt": b"SYNTHETIC first member, plain English text about dormitories.",
            "../../escape.txt": b"SYNTHETIC member with a hostile name.",
            "inner.zip": inner.read_bytes(),
        },
    )
    with backend.create() as case:
        (item,) = case.add([outer]).items
        report = case.analyze()
        assert report.ok and report.extracted == 5  # outer, 3 members, inner's member
        names = [c[0] for c in children_of(case, item.sha256 or "")]
        assert names == ["a.txt", "escape.txt", "inner.zip"]
        assert not (tmp_path.parent / "escape.txt").exists()
        assert case.search("封闭式管理")
        again = case.analyze(force=True)
        assert again.ok
        assert sum(len(d.provenance) for d in case.documents()) == 5
        assert case.verify().ok


def test_warc_records_carry_their_uri_and_date(backend: Backend, tmp_path: Path) -> None:
    with backend.create() as case:
        (item,) = case.add([warc(tmp_path / "capture.warc.gz")]).items
        assert item.media_type == "application/warc"
        assert case.analyze().ok
        (child,) = children_of(case, item.sha256 or "")
        assert child[1] == "text/html"
        assert child[2:] == ("https://gov.example/notice/1.html", "2026-03-01T08:00:00.000000Z")
        assert case.search("擅自离开")[0].title == "通知"
        assert case.verify().ok


def test_zip_bomb_is_refused(backend: Backend, tmp_path: Path) -> None:
    bomb = zipped(tmp_path / "bomb.zip", {"zeros.bin": bytes(64 << 20)})
    with backend.create() as case:
        case.add([bomb])
        report = case.analyze()
        assert [code for _, code, _ in report.failures] == [ErrorCode.DECOMPRESSION_BOMB.value]
        assert case.verify().ok
