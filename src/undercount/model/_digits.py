"""Digit folding: Arabic-Indic, Extended (Persian/Urdu) and full-width digits to ASCII.

Lists typed in Arabic mix ``٠١٢٣٤٥٦٧٨٩`` (U+0660..U+0669), the Extended Arabic-Indic
``۰۱۲۳۴۵۶۷۸۹`` (U+06F0..U+06F9, common on Persian keyboards and in Iraqi Kurdistan)
and ASCII digits, sometimes inside one cell. Every parser folds them first.
"""

from __future__ import annotations

__all__ = ["digits_to_ascii"]

_DIGIT_BLOCKS: tuple[int, ...] = (
    0x0660,  # ARABIC-INDIC DIGIT ZERO
    0x06F0,  # EXTENDED ARABIC-INDIC DIGIT ZERO
    0xFF10,  # FULLWIDTH DIGIT ZERO (East Asian input methods, some PDFs)
)

_TABLE: dict[int, str] = {
    zero + offset: str(offset) for zero in _DIGIT_BLOCKS for offset in range(10)
}


def digits_to_ascii(text: str) -> str:
    """Return ``text`` with Arabic-Indic, Persian and full-width digits made ASCII.

    Parameters
    ----------
    text
        Any string; characters other than those digits are left untouched.

    Returns
    -------
    str
        The same string with ``٠-٩``, ``۰-۹`` and ``０-９`` replaced by ``0-9``.

    Examples
    --------
    >>> digits_to_ascii("١٧/٠٣/٢٠١٧")
    '17/03/2017'
    >>> digits_to_ascii("۱۳۹۶ and 2017")
    '1396 and 2017'
    """
    return text.translate(_TABLE)
