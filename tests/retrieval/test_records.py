"""JSON article records, one at a time: obvious meanings accepted, everything else rejected with a reason."""

import json

import pytest

from retrieval.records import BadRecord, article_from_record, read_records

BASE = {"title": "Budget passes", "text": "The budget passed on Tuesday.", "url": "https://example.org/b"}


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        ({"text": ["First paragraph.", "Second paragraph."]}, "text", "First paragraph.\nSecond paragraph."),
        ({"source": {"id": "ex", "name": "Example News"}}, "outlet", "Example News"),
        ({"outlet": "Example News"}, "outlet", "Example News"),
        ({"title": 2025}, "title", "2025"),
        ({"title": None}, "title", "The budget passed on Tuesday."),
        ({"url": "http://example.org/x?a=1"}, "url", "http://example.org/x?a=1"),
        ({"url": ""}, "url", ""),
    ],
)
def test_fields_with_an_obvious_meaning_are_accepted(change, field, value):
    article = article_from_record({**BASE, **change}, "f.json")
    assert (article.text if field == "text" else getattr(article.source, field)) == value


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"text": {"body": "x"}}, "text must be a string or a list of strings, not an object"),
        ({"text": ["ok", 3]}, "text must be a string or a list of strings, not a list"),
        ({"text": ""}, "no text"),
        ({"url": ["https://example.org/a"]}, "url must be a string, not a list"),
        ({"url": "javascript:alert(1)"}, "url must be an http(s) URL"),
        ({"url": "http://evil.example|BBC News> <!channel>"}, "url must be an http(s) URL"),
        ({"url": "ftp://example.org/f"}, "url must be an http(s) URL"),
        ({"outlet": {"id": 3}}, "outlet must be a string or an object with a name"),
        ({"published": ["2025"]}, "published must be a string, not a list"),
        ({"title": True}, "title must be a string, not true/false"),
    ],
)
def test_fields_without_one_reject_the_record_with_a_reason(change, reason):
    with pytest.raises(BadRecord, match=reason.replace("(", r"\(").replace(")", r"\)")):
        article_from_record({**BASE, **change}, "f.json")


def test_a_bad_jsonl_line_loses_only_itself_and_is_reported_by_number():
    lines = [
        json.dumps(BASE),
        "{not json",
        json.dumps({**BASE, "title": "Third", "url": ["x"]}),
        json.dumps({**BASE, "title": "Fourth"}),
    ]
    articles, warnings = read_records("\n".join(lines), ".jsonl", "feed.jsonl")
    assert [a.source.title for a in articles] == ["Budget passes", "Fourth"]
    assert [w.split(":")[1].strip() for w in warnings] == ["line 2", "line 3"]
    assert all(w.startswith("feed.jsonl: ") and w.endswith(", skipped") and "\n" not in w for w in warnings)


def test_a_json_list_keeps_its_good_records():
    articles, warnings = read_records(json.dumps([BASE, "just a string", {**BASE, "title": "Two"}]), ".json", "a.json")
    assert [a.source.title for a in articles] == ["Budget passes", "Two"]
    assert warnings == ["a.json: record 2: a record must be an object, not str, skipped"]
