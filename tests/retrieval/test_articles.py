"""Reading article files: scraped pages split into stories, debris removed, every real line kept."""

import json
import re

import pytest

from retrieval.articles import UnreadableFile, looks_binary, read_article_file
from retrieval.index import find_source_files, read_sidecar
from tests.conftest import SEED_DIR

EXPECTED_STORIES = [
    ("000_a7ee327d698c6a93.txt", "China Celebrates DeepSeek's AI Success, But The Race Is Far From Over", "", ""),
    (
        "001_6618db9024ab068f.txt",
        "China is right to celebrate DeepSeek success but AI race isn't over, academic warns",
        "",
        "",
    ),
    (
        "001_6618db9024ab068f.txt",
        "WeChat and Uber team up to offer seamless overseas ride-hailing for Chinese travellers",
        "South China Morning Post",
        "4 hours ago",
    ),
    (
        "001_6618db9024ab068f.txt",
        "China confirms US bank employee banned from leaving over ‘criminal case'",
        "HKFP",
        "5 hours ago",
    ),
    (
        "001_6618db9024ab068f.txt",
        "Return of Nvidia H20 chip to China clears major AI upgrade bottleneck, Morgan Stanley says",
        "South China Morning Post",
        "5 hours ago",
    ),
]
DEBRIS = [
    "Advertisement",
    "05:00",
    "Try Our AI Features",
    "Explore what Daily8 AI can do for you:",
    "Comments",
    "No comments yet...",
    "Related Articles",
    "China, AI, DeepSeek, Technology, Competition",
    "Does the arrival of China's low-cost DeepSeek mean the end of Nvidia's chip dominance?",
]


def seed_articles():
    return [
        article
        for found in find_source_files([SEED_DIR])
        for article in read_article_file(found.path, found.source_path, read_sidecar(found.path)).articles
    ]


def test_the_seed_pages_captured_on_a_known_day_give_every_story_an_absolute_date():
    labels = {a.source.title[:30]: a.source.date_label for a in seed_articles()}
    assert len(labels) == 5
    for title, label in labels.items():
        assert re.match(r"(undated, captured )?\d{4}-\d{2}-\d{2}$", label), (title, label)
    related = [a.source for a in seed_articles() if a.source.published.endswith("ago")]
    assert [(s.published_at, s.date_precision, s.date_source) for s in related] == [
        ("2025-07-21T00:00:00Z", "day", "relative")
    ] * 3


def test_seed_pages_split_into_five_stories_with_titles_outlets_and_times():
    got = [(a.source.source_path, a.source.title, a.source.outlet, a.source.published) for a in seed_articles()]
    assert got == EXPECTED_STORIES


def test_debris_is_gone_from_every_story():
    for article in seed_articles():
        lines = article.text.splitlines()
        for debris in DEBRIS:
            assert debris not in lines, (article.source.title, debris)
        assert not any(re.fullmatch(r"\d{1,2}:\d{2}", line) for line in lines)
        assert "South China Morning Post" not in lines
        assert "- HKFP" not in lines


def test_every_real_line_of_the_pages_is_kept():
    kept = " ".join(" ".join([a.source.title, a.text]) for a in seed_articles())
    outlet_lines = {
        "South China Morning Post",
        "HKFP",
        "- South China Morning Post",
        "- HKFP",
        "4 hours ago",
        "5 hours ago",
    }
    for path in (found.path for found in find_source_files([SEED_DIR])):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and line not in DEBRIS and line not in outlet_lines:
                assert line in kept, f"{path.name}: lost {line[:70]!r}"


def test_sentences_broken_across_lines_are_rejoined():
    lead = seed_articles()[1]
    assert "DeepSeek, which is based in the eastern city of Hangzhou, stunned the world" in lead.text
    assert "a big gap between Beijing and Washington" in lead.text


def test_ids_are_stable_content_hashes():
    first, second = seed_articles(), seed_articles()
    assert [a.id for a in first] == [a.id for a in second]
    assert len({a.id for a in first}) == 5


def test_non_utf8_file_is_decoded_and_reported(tmp_path):
    path = tmp_path / "cafe.txt"
    path.write_bytes("Caf\u00e9 opens\nThe caf\u00e9 opened on Monday in Paris.".encode("cp1252"))
    read = read_article_file(path, "cafe.txt")
    assert read.articles[0].text == "The café opened on Monday in Paris."
    assert read.warnings == ["cafe.txt: not valid UTF-8, decoded as cp1252"]


@pytest.mark.parametrize(("content", "reason"), [(b"\x89PNG\r\n\x1a\n\x00\x00", "binary"), (b"  \n\n", "empty")])
def test_binary_and_empty_files_are_refused_in_one_line(tmp_path, content, reason):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as caught:
        read_article_file(path, "x.txt")
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_json_and_jsonl_records(tmp_path):
    record = {
        "title": "Budget passes",
        "text": "The budget passed on Tuesday.",
        "url": "https://example.org/b",
        "source": "Example News",
        "published": "2025-03-04",
    }
    (tmp_path / "one.json").write_text(json.dumps([record]))
    (tmp_path / "many.jsonl").write_text(json.dumps(record) + "\n" + json.dumps({**record, "title": "Second"}) + "\n")
    one = read_article_file(tmp_path / "one.json", "one.json").articles
    many = read_article_file(tmp_path / "many.jsonl", "many.jsonl").articles
    assert (one[0].source.title, one[0].source.outlet, one[0].source.published, one[0].source.url) == (
        "Budget passes",
        "Example News",
        "2025-03-04",
        "https://example.org/b",
    )
    assert [a.source.title for a in many] == ["Budget passes", "Second"]


def test_invalid_json_is_refused_in_one_line(tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(UnreadableFile, match="invalid JSON"):
        read_article_file(tmp_path / "bad.json", "bad.json")


def test_html_is_extracted_with_its_metadata(tmp_path):
    body = " ".join(["The harbour tunnel reopened on Friday after two years of repairs."] * 6)
    html = f"""<html><head><title>Tunnel reopens | City Post</title>
    <meta property="og:site_name" content="City Post"><meta property="article:published_time" content="2025-02-07">
    </head><body><nav>Home News Sport</nav><article><h1>Tunnel reopens</h1><p>{body}</p>
    <p>Officials said traffic would return to normal by Monday.</p></article>
    <footer>Advertisement</footer></body></html>"""
    (tmp_path / "tunnel.html").write_text(html)
    article = read_article_file(tmp_path / "tunnel.html", "tunnel.html").articles[0]
    assert "Officials said traffic would return to normal by Monday." in article.text
    assert "Home News Sport" not in article.text
    assert article.source.outlet == "City Post"
    assert article.source.published == "2025-02-07"


def test_markdown_title_loses_its_hashes(tmp_path):
    (tmp_path / "a.md").write_text("# Rates held\n\nThe central bank held rates at 4 per cent.")
    article = read_article_file(tmp_path / "a.md", "a.md").articles[0]
    assert article.source.title == "Rates held"


@pytest.mark.parametrize(
    ("raw", "binary"),
    [
        (b"Plain text\nwith lines.\n", False),
        ("Caf\xe9 cr\xe8me in cp1252\n".encode("cp1252"), False),
        (b"Short \x1b[31mred\x1b[0m article with a few escape codes.\n", False),
        (b"PNG\x00\x01\x02", True),
        (bytes(range(1, 256)) * 40, True),
    ],
)
def test_looks_binary(raw, binary):
    assert looks_binary(raw) is binary
