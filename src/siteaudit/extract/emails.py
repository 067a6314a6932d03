"""Placeholder until the emails extractor lands (returns nothing)."""


def extract_emails(segments):
    return []
