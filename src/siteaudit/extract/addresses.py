"""Placeholder until the addresses extractor lands (returns nothing)."""


def extract_addresses(segments):
    return []
