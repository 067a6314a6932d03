"""Placeholder until the structured-data extractor lands (returns nothing)."""


def extract_structured(root, url):
    return []
