"""Where the index lives: the embedded default (files) or PostgreSQL, behind one small interface."""
