"""Recommendations demo."""


def load() -> list[str]:
    return []
