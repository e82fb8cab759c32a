"""The renderer reads nothing it wasn't given (render.LocalOnlyFetcher, render.allowed_local_file).

The HTML here is raw, not from a template: it is what an escaping mistake would let through,
so the fetcher is tested as the second line on its own.
"""

from __future__ import annotations

import base64
import io
import logging
from pathlib import Path

import pytest
from pypdf import PdfReader

from keiei.documents import render
from keiei.documents.safety import check_pdf

TEMPLATES = render.TEMPLATES
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
    )
).decode()


@pytest.mark.parametrize(
    "url",
    [
        (TEMPLATES / "base.css").as_uri(),
        "file://localhost" + str(TEMPLATES / "base.css"),
    ],
)
def test_files_in_the_templates_folder_may_be_read(url: str) -> None:
    assert render.allowed_local_file(url) == (TEMPLATES / "base.css").resolve()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://example.invalid/etc/passwd",
        (TEMPLATES / ".." / "render.py").as_uri(),
        (TEMPLATES / "..%2Frender.py").as_uri().replace("%252F", "%2F"),
        TEMPLATES.as_uri(),  # the folder itself
        (TEMPLATES / "missing.css").as_uri(),
        "http://127.0.0.1/",
        "https://example.invalid/x.css",
        "ftp://example.invalid/x",
        f"data:image/png;base64,{PNG}",
        "data:text/css,body{}",
        "javascript:alert(1)",
        "",
        "base.css",
    ],
)
def test_everything_else_is_refused(url: str) -> None:
    assert render.allowed_local_file(url) is None


def test_a_symlink_out_of_the_templates_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "link.css").symlink_to(secret)
    monkeypatch.setattr(render, "ALLOWED_ROOTS", (folder,))
    assert render.allowed_local_file((folder / "link.css").as_uri()) is None


def test_every_way_in_is_refused_logged_and_nothing_is_embedded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT-1234")
    url = secret.as_uri()
    relative = "../" * 12 + str(secret).lstrip("/")
    html = f"""<!DOCTYPE html><html><head>
<link rel="attachment" href="{url}">
<link rel="attachment" href="{relative}">
<link rel="stylesheet" href="https://example.invalid/a.css">
<style>
@import url("{url}");
@import "http://example.invalid/b.css";
@font-face {{ font-family: evil; src: url("{url}"); }}
body {{ background: url("//example.invalid/bg.png"); }}
p.x {{ font-family: evil; }}
</style></head><body>
<p class="x">visible text</p>
<img src="{url}"><img src="{relative}"><img src="//example.invalid/x.png"><img src="http://example.invalid/y.png">
<img src="data:image/png;base64,{PNG}">
<div style="background-image: url('https://example.invalid/c.png')">div</div>
<svg width="20" height="20" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
  <image href="{url}" width="10" height="10"/><image xlink:href="https://example.invalid/d.png" width="10" height="10"/>
  <use href="{url}#x"/>
</svg>
<object data="{url}"></object><embed src="{url}"><iframe src="{url}"></iframe>
<a rel="attachment" href="{url}">attachment link</a>
<a href="{url}">file link</a>
</body></html>"""
    asked: list[str] = []
    allowed = render.allowed_local_file

    def record(u: str) -> Path | None:
        asked.append(u)
        return allowed(u)

    monkeypatch.setattr(render, "allowed_local_file", record)
    with caplog.at_level(logging.WARNING, logger="keiei.documents.render"):
        data = bytes(render._html(html).render().write_pdf())

    assert asked, "the renderer asked for nothing: the test does not exercise the fetcher"
    assert all(allowed(u) is None for u in asked)  # every request was refused
    refusals = [r.getMessage() for r in caplog.records if "refused to fetch" in r.getMessage()]
    assert len(refusals) == len(asked)
    for way in (url, "example.invalid/a.css", "b.css", "bg.png", "x.png", "y.png", "c.png", "d.png", "data:image"):
        assert any(way in u for u in asked), f"{way} was never asked for"

    assert b"SECRET-CONTENT" not in data
    reader = PdfReader(io.BytesIO(data))
    assert reader.attachments == {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        assert not (resources.get("/XObject") or {}), "an image or object was embedded"
    assert "visible text" in reader.pages[0].extract_text()
    # The one thing a fetcher cannot stop, an <a href> to a file, is a link: the check finds it.
    findings = check_pdf(data)
    assert [h.kind for h in findings] == ["action"] and url in findings[0].detail
