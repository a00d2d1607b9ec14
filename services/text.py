"""Text that people write (reports, notes, reasons, comments, names): the one rule for how long it may be."""

from __future__ import annotations

from core.errors import BadInput


def required_text(value: str, what: str, max_length: int) -> str:
    """The text without surrounding blanks; BAD_USER_INPUT when nothing is left or too much is."""
    text = value.strip()
    if not 1 <= len(text) <= max_length:
        raise BadInput(f"{what} is 1 to {max_length} characters.")
    return text


def optional_text(value: str | None, what: str, max_length: int) -> str | None:
    """Like required_text, but absent or blank text is None."""
    if value is None or not value.strip():
        return None
    return required_text(value, what, max_length)
