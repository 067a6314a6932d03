"""Placeholder until the hours extractor lands (returns nothing)."""


def extract_hours(segments):
    return []
