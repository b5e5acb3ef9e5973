"""The factory's start-up work: a built engine has read what its first question would otherwise wait for."""

import gc

from bot.answer import facts
from bot.factory import build_engine
from bot.settings import load_settings


def test_a_built_engine_has_read_the_checks_tables_and_settled_the_heap(seed_index_dir, seed_library):
    settings = load_settings({"NEWSBOT_LLM": "extractive", "NEWSBOT_INDEX_DIR": str(seed_index_dir)}, dotenv_path=None)
    facts.country_words.cache_clear()
    facts.places_in_country.cache_clear()
    gc.unfreeze()
    engine = build_engine(settings, seed_library)
    assert facts.places_in_country.cache_info().currsize == 1  # read at start-up, not by the first question
    assert gc.get_freeze_count() > 0  # start-up's objects are out of the collector's sight
    assert not engine.ask("What did Morgan Stanley say about H20?").refused
