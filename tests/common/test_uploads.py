from __future__ import annotations

import pytest

from csphub.common import uploads

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("letter.pdf", b"%PDF-1.7\n"),
        ("photo.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00"),
        ("report.docx", b"PK\x03\x04\x14\x00"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        ("notes.txt", "Neighbour reports noise – 23:00".encode()),
    ],
)
def test_it_accepts_allowed_files(name: str, head: bytes) -> None:
    assert uploads.problem(name, 1000, head, max_bytes=10 * MB) is None


def test_it_refuses_a_file_over_the_limit() -> None:
    assert uploads.problem("a.pdf", 10 * MB + 1, b"%PDF-", max_bytes=10 * MB) == (
        "The selected file must be smaller than 10MB"
    )


@pytest.mark.parametrize("name", ["page.html", "run.exe", "script.js", "image.svg", "noextension"])
def test_it_refuses_other_types(name: str) -> None:
    message = uploads.problem(name, 10, b"<html></html>", max_bytes=MB)
    assert message is not None and message.startswith("The selected file must be a PDF")


@pytest.mark.parametrize(
    ("name", "head"),
    [("a.pdf", b"<html>"), ("a.png", b"%PDF-"), ("a.txt", b"<!DOCTYPE html><html>"), ("a.txt", b"MZ\x00")],
)
def test_it_refuses_content_that_does_not_match_the_name(name: str, head: bytes) -> None:
    message = uploads.problem(name, 10, head, max_bytes=MB)
    assert message is not None and "is not a real" in message


def test_it_refuses_an_empty_file() -> None:
    assert uploads.problem("a.pdf", 0, b"", max_bytes=MB) == "The selected file is empty"
