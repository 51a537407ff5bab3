"""The visitors' search: a prebuilt, per-language index that the static search page queries."""
