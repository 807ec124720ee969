"""First-run set-up (to be built)."""


def setup_link() -> str | None:
    return None
