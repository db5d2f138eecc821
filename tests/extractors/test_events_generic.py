"""A generic word for the person wanted ("a visionary leader") is no second post when the article
names the post being filled: invented sentences only."""

from __future__ import annotations

from .events_support import found


def vacancies(text: str) -> set[str | None]:
    return {e.post for e in found(text) if e.type == "VACANCY"}


def test_generic_leader_beside_a_named_post_is_no_second_vacancy():
    text = ("Kellby Community NHS Trust is recruiting for a new director of public health. The board said it "
            "was looking to recruit a visionary leader with a strong record.")
    assert vacancies(text) == {"director of public health"}


def test_generic_leader_alone_still_tells_a_search():
    text = ("The board of Kellby Community NHS Trust said it was looking to recruit a visionary leader with a "
            "strong record.")
    assert vacancies(text) == {"leader"}
