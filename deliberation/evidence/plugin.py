"""What this part of deliberation registers (called from deliberation.plugin)."""


def register() -> None:
    pass
