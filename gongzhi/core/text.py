"""Free text as people type it: invisible characters at the edges are cut, and text with
nothing visible in it counts as empty.

A title of one zero-width space (U+200B), or of ideographic spaces (U+3000) and a
byte-order mark, was accepted as a notice title, a demand, a list item (issue 8):
``str.strip()`` removes spaces but not the format characters (category Cf) that copy and
paste from chat apps brings along. One cleaner, and one form field and one serializer
field built on it, so that every free-text input is cleaned the same way:

- ``clean(text)``: the text without invisible characters at its start and end.
- ``has_visible(text)``: whether anything in it shows on a screen.
- ``TextField``: a ``django.forms.CharField`` that cleans; text with nothing visible is
  empty (so a required field says so, an optional one stores "").
- ``ApiTextField``: the same for a DRF serializer field.

Characters inside the text are kept (a zero-width joiner builds emoji and some scripts).
tests/core/test_text.py sweeps every form of every app and every request body the API
documents: a plain CharField there (a password aside) fails the test, so a new app's
forms and serializers are held to the same rule.
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# Categories that never show: controls, format characters (zero-width space, joiners,
# word joiner, byte-order mark, direction marks, soft hyphen...), every kind of space
# (NBSP, U+3000 ideographic space...), line and paragraph separators, lone surrogates.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Cs"})
# Letters and symbols that render as blank although their category says otherwise.
INVISIBLE_CHARACTERS = frozenset(
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u2800"  # braille pattern blank
    "\u034f"  # combining grapheme joiner
    "\u17b4\u17b5"  # Khmer inherent vowels
    "\u180e"  # Mongolian vowel separator (Cf only since Unicode 6.3)
    "\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07"  # variation selectors
    "\ufe08\ufe09\ufe0a\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f"
)
# Marks that only change the character before them: alone they show nothing.
_MARKS = frozenset({"Mn", "Me"})

INVISIBLE_MESSAGE = _("内容不能只有空格或不可见字符,请填写文字。")


def is_invisible(char: str) -> bool:
    return char in INVISIBLE_CHARACTERS or unicodedata.category(char) in INVISIBLE_CATEGORIES


def clean(text: str) -> str:
    """``text`` without the invisible characters at its start and end."""
    start, end = 0, len(text)
    while start < end and is_invisible(text[start]):
        start += 1
    while end > start and is_invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def has_visible(text: str) -> bool:
    """Does anything in ``text`` show (a letter, a digit, a mark on a letter, a symbol)?"""
    return any(not is_invisible(c) and unicodedata.category(c) not in _MARKS for c in text)


def visible_or_empty(text: str) -> str:
    """The cleaned text, or "" when nothing in it shows."""
    cleaned = clean(text)
    return cleaned if has_visible(cleaned) else ""


class TextField(forms.CharField):
    """A form's free-text field: cleaned by ``clean``; text with nothing visible is empty.

    A required field given only invisible characters says so (``INVISIBLE_MESSAGE``)
    rather than that it was left empty; an optional one becomes ``empty_value``.
    """

    default_error_messages = {"invisible": INVISIBLE_MESSAGE}

    def to_python(self, value):
        value = super().to_python(value)
        if not isinstance(value, str) or value in self.empty_values or not self.strip:
            return value
        cleaned = visible_or_empty(value)
        if cleaned:
            return cleaned
        if self.required:
            raise ValidationError(self.error_messages["invisible"], code="invisible")
        return self.empty_value


class ApiTextField(serializers.CharField):
    """A serializer's free-text field: cleaned by ``clean`` (whatever ``trim_whitespace``
    says); text with nothing visible is blank (refused unless ``allow_blank``, with
    ``INVISIBLE_MESSAGE``)."""

    default_error_messages = {"invisible": INVISIBLE_MESSAGE}

    def run_validation(self, data=serializers.empty):
        if isinstance(data, str) and data:
            cleaned = visible_or_empty(data)
            if not cleaned:
                if not self.allow_blank:
                    self.fail("invisible" if data.strip() else "blank")
                return ""
            data = cleaned
        return super().run_validation(data)
