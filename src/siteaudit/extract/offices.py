"""Placeholder until office grouping lands (returns nothing)."""


def group_offices(findings, segments):
    return []
