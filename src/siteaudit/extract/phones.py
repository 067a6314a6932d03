"""Placeholder until the phones extractor lands (returns nothing)."""


def extract_phones(segments):
    return []
