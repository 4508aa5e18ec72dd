"""Every kind of bad input gives one specific InputError, one line naming the path; a batch goes on."""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from corroborator.errors import (
    BinaryInput,
    EmptyInput,
    InputError,
    MalformedInput,
    TooLarge,
    UnsupportedFormat,
)
from corroborator.ingest import read_bytes, read_file, read_paths
from corroborator.model import Article
from corroborator.settings import Settings
from tests.conftest import EXAMPLES

SETTINGS = Settings()
PARAGRAPH = (
    "The harbour board of the invented town of Westerly met on Monday and agreed to repair the old "
    "pier before the summer, board members said after the meeting."
)
RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Westerly Gazette (fictional)</title>
<item><title>Pier repairs agreed</title><guid>w-1</guid><description>{PARAGRAPH}</description></item>
<item><title>Ferry timetable changes</title><guid>w-2</guid><description>{PARAGRAPH}</description></item>
<item><title>Library reopens</title><guid>w-3</guid><description>{PARAGRAPH}</description></item>
</channel></rss>
"""


def only_error(path: Path, settings: Settings = SETTINGS) -> InputError:
    items = list(read_paths([path], settings))
    assert len(items) == 1, items
    [error] = items
    assert isinstance(error, InputError), error
    assert_one_line(error, str(path))
    return error


def assert_one_line(error: InputError, path: str) -> None:
    message = str(error)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert error.path == path and error.problem


def test_ingest_bad_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert "empty file" in str(only_error(tmp_path / "empty.txt"))
    (tmp_path / "blank.md").write_text("\n   \n\t\n")
    assert isinstance(only_error(tmp_path / "blank.md"), EmptyInput)


def test_ingest_bad_text_shorter_than_min_text_chars(tmp_path: Path) -> None:
    (tmp_path / "short.txt").write_text("Too short to be a report.")
    error = only_error(tmp_path / "short.txt")
    assert isinstance(error, EmptyInput) and "min_text_chars" in str(error)
    # The same file goes in when the threshold is lowered.
    assert read_file(tmp_path / "short.txt", replace(SETTINGS, min_text_chars=10))


def test_ingest_bad_binary_file(tmp_path: Path) -> None:
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert isinstance(only_error(tmp_path / "image.txt"), BinaryInput)
    (tmp_path / "image.html").write_bytes(b"\x00\x01\x02\x03" * 100)
    assert isinstance(only_error(tmp_path / "image.html"), BinaryInput)


def test_ingest_latin1_without_declaration_is_decoded(tmp_path: Path) -> None:
    text = f"São Paulo e Brasília: o café da manhã custa três reais. {PARAGRAPH}"
    (tmp_path / "latin1.txt").write_bytes(text.encode("latin-1"))
    [article] = read_file(tmp_path / "latin1.txt", SETTINGS)
    assert article.text == text
    html = f"<html><body><article><h1>Notícia</h1><p>{text}</p><p>{PARAGRAPH}</p></article></body></html>"
    (tmp_path / "latin1.html").write_bytes(html.encode("latin-1"))
    [page] = read_file(tmp_path / "latin1.html", SETTINGS)
    assert "São Paulo e Brasília" in page.text and "\ufffd" not in page.text


def test_ingest_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    (tmp_path / "utf16.txt").write_bytes(PARAGRAPH.encode("utf-16"))
    [article] = read_file(tmp_path / "utf16.txt", SETTINGS)
    assert article.text == PARAGRAPH


def test_ingest_bad_truncated_json(tmp_path: Path) -> None:
    records = [{"id": f"r{i}", "title": "Pier", "text": PARAGRAPH} for i in range(3)]
    whole = json.dumps(records)
    (tmp_path / "cut.json").write_text(whole[: len(whole) // 2])
    error = only_error(tmp_path / "cut.json")
    assert isinstance(error, MalformedInput) and "cut off" in str(error)


def test_ingest_bad_jsonl_record_is_one_error_and_the_rest_go_in(tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"r{i}", "text": f"{PARAGRAPH} Item {i}."}) for i in range(4)]
    lines[1] = '{"id": "r1", "text": 42}'  # no text
    lines[3] = lines[3][:30]  # cut off mid-record
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines) + "\n\n")
    items = list(read_paths([path], SETTINGS))
    assert [type(i).__name__ for i in items] == ["Article", "EmptyInput", "Article", "MalformedInput"]
    assert [i.external_id for i in items if isinstance(i, Article)] == ["r0", "r2"]
    assert_one_line(items[1], f"{path}#record-2")  # type: ignore[arg-type]
    assert_one_line(items[3], f"{path}#record-4")  # type: ignore[arg-type]
    assert "line 4" in str(items[3])


def test_ingest_bad_json_record_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"text": PARAGRAPH}, "just a string", {"text": PARAGRAPH + " Again."}]))
    items = list(read_paths([path], SETTINGS))
    assert [type(i).__name__ for i in items] == ["Article", "MalformedInput", "Article"]
    assert str(items[1]).startswith(f"{path}#record-2: ")


def test_ingest_bad_truncated_feed_keeps_the_items_before_the_damage(tmp_path: Path) -> None:
    cut = RSS[: RSS.index("<item><title>Library")] + "<item><title>Libr"
    (tmp_path / "cut.rss").write_text(cut)
    items = list(read_paths([tmp_path / "cut.rss"], SETTINGS))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [a.external_id for a in articles[:2]] == ["w-1", "w-2"]
    damage = [e for e in errors if e.path == str(tmp_path / "cut.rss")]
    assert len(damage) == 1 and isinstance(damage[0], MalformedInput)
    assert_one_line(damage[0], str(tmp_path / "cut.rss"))
    # The cut-off third entry, if feedparser recovers it, is too short to be an article.
    assert all(e.path.endswith("#entry-3") for e in errors if e not in damage)
    # Cut before the first item: nothing to keep, one error.
    (tmp_path / "stub.xml").write_text(RSS[:60])
    assert isinstance(only_error(tmp_path / "stub.xml"), MalformedInput)


def test_ingest_bad_html_without_text(tmp_path: Path) -> None:
    page = "<html><head><title>x</title><script>var a = 1;</script></head><body><div><span></p></div>"
    (tmp_path / "scripts.html").write_text(page)
    error = only_error(tmp_path / "scripts.html")
    assert isinstance(error, EmptyInput) and "no article text" in str(error)
    (tmp_path / "garbage.htm").write_text("%%%% ))) ;;; ")
    assert isinstance(only_error(tmp_path / "garbage.htm"), MalformedInput)


def test_ingest_bad_front_matter(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text(f"---\ntitle: [unclosed\nsource: X\n---\n\n{PARAGRAPH}\n")
    error = only_error(tmp_path / "bad.md")
    assert isinstance(error, MalformedInput) and "YAML" in str(error)


def test_ingest_bad_too_large_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(PARAGRAPH * 3)
    tiny = replace(SETTINGS, max_file_bytes=100)
    error = only_error(path, tiny)
    assert isinstance(error, TooLarge) and "max_file_bytes" in str(error)
    # A small compressed file that inflates past the limit is refused too.
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 10_000))
    assert bomb.stat().st_size < 100
    assert isinstance(only_error(bomb, tiny), TooLarge)
    articles, errors = read_bytes("upload.txt", (PARAGRAPH * 3).encode(), tiny)
    assert articles == [] and isinstance(errors[0], TooLarge)


def test_ingest_bad_unknown_extension(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 " + PARAGRAPH.encode())
    error = only_error(tmp_path / "report.pdf")
    assert isinstance(error, UnsupportedFormat) and "'.pdf'" in str(error) and ".html" in str(error)


def test_ingest_bad_missing_path_and_broken_link(tmp_path: Path) -> None:
    error = only_error(tmp_path / "nowhere.txt")
    assert "no such file" in str(error)
    (tmp_path / "dangling.md").symlink_to(tmp_path / "gone.md")
    assert "no such file" in str(only_error(tmp_path / "dangling.md"))


def test_ingest_bad_folder_loop(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "story.txt").write_text(PARAGRAPH)
    (tmp_path / "a" / "b" / "up").symlink_to(tmp_path / "a")
    items = list(read_paths([tmp_path / "a"], SETTINGS))
    assert [type(i).__name__ for i in items] == ["Article", "InputError"]
    assert "loop" in str(items[1])
    assert_one_line(items[1], str(tmp_path / "a" / "b" / "up"))  # type: ignore[arg-type]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_ingest_bad_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(PARAGRAPH)
    path.chmod(0)
    try:
        assert "permission denied" in str(only_error(path))
    finally:
        path.chmod(0o644)


def test_ingest_read_file_is_strict(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(EmptyInput):
        read_file(tmp_path / "empty.txt", SETTINGS)


def test_ingest_read_bytes_never_touches_the_file_system() -> None:
    articles, errors = read_bytes("../../no/such/dir/story.md", f"# Pier\n\n{PARAGRAPH}".encode(), SETTINGS)
    assert errors == [] and articles[0].title == "Pier" and articles[0].text == PARAGRAPH
    articles, errors = read_bytes("feed.rss", RSS.encode(), SETTINGS)
    assert len(articles) == 3 and errors == []
    articles, errors = read_bytes("notes.docx", b"PK\x03\x04", SETTINGS)
    assert articles == [] and isinstance(errors[0], UnsupportedFormat)


def test_ingest_folder_with_good_and_bad_files(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    good = [
        folder / "a-wire.md",
        folder / "sub" / "b-page.html",
        folder / "sub" / "c-records.jsonl",
        folder / "d-feed.rss",
    ]
    good[0].write_bytes((EXAMPLES / "port-elvan-fire" / "01-example-wire.md").read_bytes())
    good[1].write_bytes((EXAMPLES / "html" / "example-wire-port-elvan-fire.html").read_bytes())
    good[2].write_text(json.dumps({"id": "j1", "text": PARAGRAPH}) + "\n")
    good[3].write_text(RSS)
    bad = {
        folder / "e-empty.txt": b"",
        folder / "f-binary.txt": b"\x00" * 64,
        folder / "sub" / "g-cut.json": b'[{"text": "The harbour',
        folder / "sub" / "h-slides.pptx": b"PK\x03\x04",
    }
    for path, data in bad.items():
        path.write_bytes(data)
    (folder / ".hidden.txt").write_text(PARAGRAPH)  # skipped: hidden
    (folder / "README.md").write_text(PARAGRAPH)  # skipped: documentation
    items = list(read_paths([folder], SETTINGS))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(articles) == 1 + 1 + 1 + 3
    assert sorted(e.path for e in errors) == sorted(str(p) for p in bad)
    assert {type(e) for e in errors} == {EmptyInput, BinaryInput, MalformedInput, UnsupportedFormat}
    twins = [a.id for a in articles if a.origin in {str(good[0]), str(good[1])}]
    assert len(twins) == 2 and twins[0] == twins[1]  # the wire story as Markdown and as HTML
