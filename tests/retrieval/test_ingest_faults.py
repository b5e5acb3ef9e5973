"""Hostile and broken inputs: each bad file is skipped with one line, and every good file is still ingested."""

import json
import os
import random
import shutil
import subprocess

import pytest

from retrieval.library import EmbeddedLibrary
from tests.conftest import NEWSBOT, REPO, cli_env

GOOD = "Rates held\nThe central bank held interest rates at 4 per cent on Thursday."


def folder_with(tmp_path, **files: bytes | str):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    for name, content in files.items():
        path = folder / name.replace("__", ".")
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return folder


def ingest(library, folder):
    report = library.ingest([folder])
    titles = {h.passage.source.title for h in library.search("central bank interest rates", 10).hits}
    return report, titles


def test_random_bytes_without_nul_are_binary_not_cp1252_text(tmp_path, fresh_library):
    rng = random.Random(7)
    noise = bytes(rng.randrange(1, 256) for _ in range(199_000))  # no NUL byte anywhere
    report, titles = ingest(fresh_library(), folder_with(tmp_path, noise__txt=noise))
    assert "Rates held" in titles
    assert report.skipped == 1
    assert report.warnings == ["noise.txt: binary file, skipped"]
    assert report.passages < 10  # not hundreds of garbage passages


def test_a_first_line_longer_than_a_passage_becomes_a_shortened_title(tmp_path, fresh_library):
    long_title = "Word " * 300 + "\nThe story itself says the quarry flooded."
    library = fresh_library()
    report, _ = ingest(library, folder_with(tmp_path, long__txt=long_title))
    assert (report.files_new, report.skipped, report.warnings) == (2, 0, [])
    [hit] = [h for h in library.search("story quarry flooded", 5).hits if "quarry" in h.passage.text]
    assert len(hit.passage.source.title) <= 200
    assert hit.passage.source.title.endswith("Word…")


def test_a_jsonl_file_keeps_its_good_lines(tmp_path, fresh_library):
    good = {"title": "Mill closes", "text": "The paper mill in the valley closed on Monday.", "outlet": "Valley News"}
    lines = [json.dumps(good), "{broken", json.dumps({**good, "title": "Second mill", "url": ["not", "a", "url"]})]
    report, _ = ingest(fresh_library(), folder_with(tmp_path, feed__jsonl="\n".join(lines)))
    assert report.articles == 2  # good.txt and the first line
    assert report.warnings == [
        "feed.jsonl: line 2: invalid JSON (Expecting property name enclosed in double quotes), skipped",
        "feed.jsonl: line 3: url must be a string, not a list, skipped",
    ]


def test_a_file_over_the_size_limit_is_skipped_with_one_line(tmp_path, store_kind):
    folder = folder_with(tmp_path, big__txt="Big story\n" + "The quarry expanded again. " * 2000)
    library = EmbeddedLibrary(tmp_path / "index", max_file_bytes=20_000)
    report, titles = ingest(library, folder)
    assert "Rates held" in titles
    assert report.warnings == ["big.txt: 0.1 MB is over the 0.02 MB limit for one file (NEWSBOT_MAX_FILE_MB), skipped"]


def test_a_file_name_that_is_not_utf8_is_skipped_with_one_line(tmp_path, fresh_library):
    folder = folder_with(tmp_path)
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("Cafe opens\nA cafe opened in the square on Friday.")
    report, titles = ingest(fresh_library(), folder)
    assert "Rates held" in titles
    assert report.warnings == ["caf\\xe9.txt: the file name is not valid UTF-8, skipped (rename it)"]


@pytest.mark.skipif(shutil.which("setpriv") is None and os.geteuid() == 0, reason="needs setpriv to drop root's access")
def test_an_unreadable_file_is_skipped_and_the_rest_ingested(tmp_path):
    folder = folder_with(tmp_path, locked__txt="Locked away\nNobody may read this.")
    (folder / "locked.txt").chmod(0)
    # root reads any file; without the DAC capabilities it gets EACCES like any other user
    drop = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    result = subprocess.run(
        [*drop, str(NEWSBOT), "--env-file", "/nonexistent", "ingest", str(folder)],
        cwd=REPO,
        env=cli_env(tmp_path / "index"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "warning: locked.txt: Permission denied, skipped" in result.stderr
    assert "1 articles" in result.stderr
