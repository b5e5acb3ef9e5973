"""Articles from the web: feeds and pages fetched politely, dated, deduplicated and handed to the indexer."""
