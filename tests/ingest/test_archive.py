"""The raw archive keeps exact bytes once and survives a kill mid-write."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from pipelines.ingest.archive import RawArchive
from pipelines.ingest.roll import BEIJING
from pipelines.records import RawPage

GBK_PAGE = '<html><meta charset="gbk"><h1>英伟达股价</h1></html>'.encode("gbk")


def page(article_id: str = "ineiwxyz1234567", content: bytes = GBK_PAGE, **extra) -> RawPage:
    values = {
        "article_id": article_id,
        "url": f"https://finance.sina.com.cn/a/doc-{article_id}.shtml",
        "format": "sina_html",
        "content": content,
        "fetched_at": datetime(2025, 2, 5, 1, 2, 3, tzinfo=UTC),
        "status": 200,
        "charset": "gbk",
        "listed_at": datetime(2025, 2, 5, 9, 0, tzinfo=BEIJING),
        "origin": "live",
    }
    values.update(extra)
    return RawPage(**values)


def test_put_then_get_gives_back_the_same_page(archive: RawArchive):
    original = page()
    assert archive.put(original, {"content-type": "text/html; charset=gbk", "etag": '"x1"'})
    assert archive.has(original.article_id)
    assert archive.get(original.article_id) == original
    sidecar = archive.sidecar(original.article_id)
    assert sidecar["headers"]["etag"] == '"x1"'
    assert sidecar["size"] == len(GBK_PAGE)


def test_the_same_bytes_twice_are_stored_once(archive: RawArchive):
    assert archive.put(page())
    assert not archive.put(page(fetched_at=datetime(2025, 3, 1, tzinfo=UTC)))
    files = [p for p in archive.root.rglob("*") if p.is_file()]
    assert len(files) == 2  # the bytes and their sidecar
    assert archive.ids() == {"ineiwxyz1234567"}


def test_new_bytes_for_an_id_replace_the_old(archive: RawArchive):
    archive.put(page(content=b"<html>first</html>"))
    assert archive.put(page(content=b"<html>second</html>", format="text"))
    assert archive.get("ineiwxyz1234567").content == b"<html>second</html>"
    assert len([p for p in archive.root.rglob("*") if p.is_file()]) == 2


def test_iter_pages_is_in_id_order_whatever_the_insert_order(archive: RawArchive):
    ids = ["ineizzzz0000009", "h0123456789abcdef", "ineiaaaa0000001", "ineimmmm0000005"]
    for article_id in ids:
        archive.put(page(article_id, content=article_id.encode()))
    assert [p.article_id for p in archive.iter_pages()] == sorted(ids)
    assert RawArchive(archive.root).ids() == set(ids)  # a new handle sees the same


def test_a_kill_while_writing_leaves_no_half_page(archive: RawArchive, monkeypatch):
    archive.put(page(content=b"<html>old</html>"))
    real_replace = os.replace

    def killed_at_sidecar(source, target):
        if str(target).endswith(".json"):
            raise KeyboardInterrupt("killed")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", killed_at_sidecar)
    with pytest.raises(KeyboardInterrupt):
        archive.put(page("ineinewp0000001", content=b"<html>new</html>"))
    monkeypatch.setattr(os, "replace", real_replace)
    assert archive.ids() == {"ineiwxyz1234567"}
    assert not archive.has("ineinewp0000001")
    assert archive.get("ineiwxyz1234567").content == b"<html>old</html>"
    assert not [p for p in archive.root.rglob("*.part")]
    # The next run stores it normally.
    assert archive.put(page("ineinewp0000001", content=b"<html>new</html>"))


def test_a_corrupted_page_file_is_reported_not_returned(archive: RawArchive):
    archive.put(page())
    content_file = next(p for p in archive.root.rglob("*.html"))
    content_file.write_bytes(GBK_PAGE[:10])
    with pytest.raises(ValueError, match="sha256"):
        archive.get("ineiwxyz1234567")


@pytest.mark.parametrize("bad_id", ["../escape", "a/b", "", "中文"])
def test_ids_that_could_leave_the_folder_are_refused(archive: RawArchive, bad_id):
    with pytest.raises(ValueError):
        archive.put(page(bad_id))
