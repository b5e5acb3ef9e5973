"""The one Source record: flat records, JSON keys and dates derive from it."""

from datetime import date

import pytest

from retrieval.articles import make_article
from retrieval.passages import PASSAGE_FIELDS, Passage
from retrieval.sources import SOURCE_FIELDS, Source

SOURCE = Source("a1", "Title", "Outlet", "2025-03-04T10:00:00", "https://example.org/a", "dir/a.txt")


def test_fields_come_from_the_record():
    assert SOURCE_FIELDS[:6] == ("article_id", "title", "outlet", "published", "url", "source_path")
    assert SOURCE_FIELDS[6:] == ("published_at", "date_precision", "date_source", "captured_at")
    assert ("id", *SOURCE_FIELDS, "text", "position") == PASSAGE_FIELDS
    assert Source.from_dict({**SOURCE.to_dict(), "extra": 1}) == SOURCE


def test_a_record_written_before_dates_were_resolved_still_loads():
    old = {name: value for name, value in SOURCE.to_dict().items() if name in SOURCE_FIELDS[:6]}
    loaded = Source.from_dict(old)
    assert (loaded.published_at, loaded.date_precision, loaded.date_source) == (None, "unknown", "none")
    assert loaded.published_day == date(2025, 3, 4)


def test_a_passage_round_trips_through_its_flat_record():
    passage = Passage("p1", SOURCE, "Some text.", 3)
    record = passage.to_dict()
    assert list(record) == list(PASSAGE_FIELDS)
    assert Passage.from_dict(record) == passage


def test_article_ids_are_content_hashes():
    one, same, other = make_article("T", "text"), make_article("T", "text", outlet="X"), make_article("T", "other")
    assert one.id == same.id != other.id
    assert len(one.id) == 16


@pytest.mark.parametrize(
    ("published", "day"),
    [
        ("2025-03-04", date(2025, 3, 4)),
        ("2025-03-04T10:00:00+00:00", date(2025, 3, 4)),
        ("4 hours ago", None),
        ("", None),
        ("March 2025", None),
    ],
)
def test_published_day(published, day):
    assert Source("a", "t", published=published).published_day == day


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"published_at": "2025-07-21T07:05:00Z", "date_precision": "time"}, "2025-07-21 07:05 UTC"),
        ({"published_at": "2025-07-21T00:00:00Z", "date_precision": "day", "published": "5 hours ago"}, "2025-07-21"),
        ({"published_at": "2025-07-01T00:00:00Z", "date_precision": "month"}, "2025-07"),
        ({"published": "4 hours ago"}, "4 hours ago"),  # never resolved: shown as written
        ({"captured_at": "2025-07-21T09:00:00Z"}, "undated, captured 2025-07-21"),
        ({}, ""),
    ],
)
def test_the_date_a_reader_is_shown(fields, label):
    assert Source("a", "t", **fields).date_label == label
