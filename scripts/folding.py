"""Plain-letter spellings of names, for the word-list generators in this folder."""
from __future__ import annotations

import unicodedata

# letters NFKD does not take apart, and ISO's marks for an Arabic ain or hamza ("Ra’s al Khaymah")
_LETTERS = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h",
                          "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "þ": "th", "ð": "d",
                          "’": "", "‘": "", "ʻ": "", "ʼ": "", "'": ""})


def fold(name: str) -> str | None:
    """'Badakhshān' -> 'Badakhshan', 'Bjørn' -> 'Bjorn'; None when a letter has no plain spelling ("Gəncə")."""
    plain = unicodedata.normalize("NFKD", name.translate(_LETTERS)).encode("ascii", "ignore").decode()
    letters = sum(c.isalpha() for c in unicodedata.normalize("NFKD", name.translate(_LETTERS))
                  if not unicodedata.combining(c))
    return plain if sum(c.isalpha() for c in plain) == letters else None
