"""Chinese search hits in the window: found inside unsegmented text, marked on the characters."""

from __future__ import annotations

from pathlib import Path

from docket.app.window.mainwindow import MainWindow
from docket.core.model.records import TextRange
from tests.app.window.test_mainwindow import import_through_window, open_new_case

# Three pages (form feeds split a text file's pages), no spaces between words.
CHINESE = (
    "关于本案的问题，法院认为原告提交的文档不完整。\n他们讨论了这个问题很久。\f"
    "本页没有相关内容，只有日期和签名。\f"
    "律师提出了三个新问题并要求补充文档。"
)


def test_a_chinese_word_is_found_and_marked_on_its_characters(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    open_new_case(window, tmp_path)
    path = tmp_path / "案件.txt"
    path.write_text(CHINESE, encoding="utf-8")
    assert import_through_window(qtbot, window, [path]).count("imported") == 1

    window.focus_search()
    window.search.query_box.setText("问题")  # typed by an input method: no key clicks
    qtbot.waitUntil(lambda: bool(window.search.hits()), timeout=10_000)
    hits = window.search.hits()
    assert sorted(hit.page for hit in hits) == [1, 3]  # every page with it, no other
    assert sum(len(hit.hits) for hit in hits) == 3
    first = min(hits, key=lambda hit: hit.page)
    window.search.hitActivated.emit(first)
    reader = window.reader
    assert reader.current_page() == 1
    for start, end in first.hits:
        selected = reader.text_view.range_cursor(TextRange(1, start, end)).selectedText()
        assert selected == "问题"
