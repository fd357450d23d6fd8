from __future__ import annotations

import re

from recommendations.drafting.diff import word_diff
from recommendations.drafting.markdown import _clean, blocks, paragraphs, render_markdown, replace_paragraph


def test_markdown_strips_script_and_javascript_links() -> None:
    html = render_markdown(
        "Hello <script>alert(1)</script> **world**\n\n[click](javascript:alert(1)) "
        '[ok](https://example.org) <a href="javascript:alert(2)">x</a>\n\n<img src=x onerror=alert(3)>'
    )
    assert "<script" not in html
    assert not re.search(r"<a [^>]*javascript", html)  # shown as text, never a link
    assert "<img" not in html
    assert "<strong>world</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">ok</a>' in html


def test_the_sanitiser_also_stops_what_the_renderer_might_let_through() -> None:
    html = _clean('<p><a href="javascript:alert(1)" onclick="x()">x</a><script>alert(1)</script></p>')
    assert html == '<p><a rel="noopener noreferrer nofollow">x</a></p>'


def test_raw_html_is_shown_as_text_not_markup() -> None:
    html = render_markdown('<iframe src="https://evil.example"></iframe>')
    assert "<iframe" not in html
    assert "&lt;iframe" in html


def test_headings_start_below_the_page_title() -> None:
    assert render_markdown("# Title") == "<h2>Title</h2>\n"


def test_paragraphs_are_the_top_level_blocks() -> None:
    text = "First para\nstill first.\n\n- a list\n\n- loose item\n\n> quote\n\nLast."
    assert paragraphs(text) == ["First para\nstill first.", "- a list\n\n- loose item", "> quote", "Last."]
    assert [b.number for b in blocks(text)] == [1, 2, 3, 4]
    assert "<li>" in str(blocks(text)[1].html)


def test_replace_paragraph_keeps_the_others_as_they_were() -> None:
    text = "One.\r\n\r\nTwo.\n\n\nThree."
    assert replace_paragraph(text, 2, "Deux.") == "One.\n\nDeux.\n\n\nThree."


def test_word_diff_marks_added_and_removed_words() -> None:
    diff = word_diff("Build 500 homes a year.", "Build at least 600 homes a year.")
    assert diff.text == "Build [-500-]{+at least 600+} homes a year."
    assert diff.added == 3 and diff.removed == 1
    assert "<del>" in diff.html and "<ins>" in diff.html
    assert '<span class="visually-hidden">added: </span>at least 600</ins>' in diff.html


def test_word_diff_escapes_html() -> None:
    diff = word_diff("a", "a <script>x</script>")
    assert "<script>" not in diff.html
    assert "&lt;script&gt;" in diff.html


def test_identical_texts_have_no_change() -> None:
    assert not word_diff("Same text.", "Same text.").changed


def test_word_diff_shows_only_the_inserted_punctuation_and_words() -> None:
    diff = word_diff("Homes need safety and warmth.", "Homes need safety, damp and warmth.")
    assert diff.text == "Homes need safety{+, damp+} and warmth."
    assert diff.added == 1 and diff.removed == 0
    assert "<del>" not in diff.html
    assert '<span class="visually-hidden">added: </span>, damp</ins>' in diff.html


def test_word_diff_a_punctuation_change_alone_is_a_change_but_no_word() -> None:
    diff = word_diff("Build homes.", "Build homes!")
    assert diff.text == "Build homes[-.-]{+!+}"
    assert diff.changed and diff.added == 0 and diff.removed == 0


def test_word_diff_keeps_words_with_apostrophes_and_hyphens_whole() -> None:
    diff = word_diff("The council's long-term plan.", "The council's short-term plan.")
    assert diff.text == "The council's [-long-term-]{+short-term+} plan."
