"""Placeholder until the appointments extractor lands (returns nothing)."""


def extract_appointments(segments, findings):
    return []
